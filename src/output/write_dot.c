/* write_dot.c - the computational graph for Graphviz.
 *
 * Left to right as the forward pass runs: each node shows its name (or
 * op), its expression, value and gradient; each edge input -> node its
 * local and downstream gradient.  Node ids are tape indices (n0, n1, ...)
 * so the output is deterministic, a shared input is one node with several
 * edges out, and the output node has a double, bold border.  Numbers use
 * the human precision: this is a picture, not data. */
#include "output/writer.h"

#include "output/ndfmt.h"

/* Text inside an HTML-like label. */
static void html_bytes(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			putc(s[i], out);
		}
	}
}

/* label, then v as the table writes it: a matrix below it, a line per
 * row, so that its centred lines of equal width line up. */
static void html_value(FILE *out, const char *label, struct nb_view v,
		       const struct nb_outspec *spec)
{
	struct nb_ndfmt f;

	nb_nd_layout(&f, v, spec->precision, nb_outspec_max(spec));
	fputs(label, out);
	fputs(f.lines > 1 ? "<br/>" : " ", out);
	nb_nd_write(out, &f, "<br/>");
}

/*   name or op (bold)
 *   op: expr  (small; just op for a variable)
 *   value V
 *   grad G */
static void node(FILE *out, const struct nb_program *p, size_t i,
		 const struct nb_outspec *spec)
{
	char sbuf[NB_SHAPE_BUF];
	struct nb_view v = nb_node_value(&p->tape, i),
		       g = nb_node_grad(&p->tape, i);
	const struct nb_tape *t = &p->tape;
	const char *op = nb_ops[t->op[i]].name, *name;
	char buf[NB_ELIDE + 2];
	size_t len;

	name = nb_node_name(p, i, &len);
	if (!name && i == p->output)
		name = nb_program_outname(p, &len);
	fprintf(out, "\tn%zu [label=<<b>", i);
	if (name)
		html_bytes(out, name, len);
	else
		fputs(op, out);
	fputs("</b><br/><font point-size=\"10\">", out);
	if (t->op[i] == NB_OP_VAR) {
		fputs(op, out);
	} else {
		if (name)
			fprintf(out, "%s: ", op);
		html_bytes(out, buf, nb_text_elide(buf, p, i, NB_ELIDE));
	}
	fputs("</font>", out);
	if (nb_tape_shaped(t))
		fprintf(out, "<br/>shape %s", nb_shape_format(sbuf, &v.shape));
	html_value(out, "<br/>value", v, spec);
	if (g.x)
		html_value(out, "<br/>grad", g, spec);
	fputs(">", out);
	if (i == p->output)
		fputs(", style=\"rounded,bold\", peripheries=2", out);
	fputs("];\n", out);
}

/* Edge e of node i: its local gradient (or the rule in its place) and
 * its downstream gradient. */
static void edge(FILE *out, const struct nb_program *p, size_t i, size_t e,
		 const struct nb_outspec *spec)
{
	const struct nb_tape *t = &p->tape;
	struct nb_view local = nb_edge_local(t, i, e);
	char rule[NB_RULE_BUF];
	double tmp;

	fprintf(out, "\tn%u -> n%zu", (unsigned)t->in[e], i);
	if (!nb_node_grad(t, i).x) {
		fputs(";\n", out);
		return;
	}
	fputs(" [label=<", out);
	if (local.x) {
		html_value(out, "local", local, spec);
	} else {
		fputs("local ", out);
		html_bytes(out, rule, nb_edge_rule(rule, p, i, e));
	}
	html_value(out, "<br/>down", nb_write_down(t, i, e, &tmp), spec);
	fputs(">];\n", out);
}

void nb_write_dot(FILE *out, const struct nb_program *p,
		  const struct nb_outspec *spec)
{
	const struct nb_tape *t = &p->tape;

	fputs("digraph nabla {\n"
	      "\trankdir=LR;\n"
	      "\tnode [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=10];\n", out);
	for (size_t i = 0; i < t->n; i++)
		node(out, p, i, spec);
	for (size_t i = 0; i < t->n; i++)
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
			edge(out, p, i, e, spec);
	fputs("}\n", out);
}
