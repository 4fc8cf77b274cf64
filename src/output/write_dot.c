/* write_dot.c - the computational graph for Graphviz.
 *
 * Left to right as the forward pass runs: each node shows its name (or
 * op), its expression, value and gradient; each edge input -> node its
 * local and downstream gradient.  Node ids are tape indices (n0, n1, ...)
 * so the output is deterministic, a shared input is one node with several
 * edges out, and the output node has a double, bold border.  Numbers use
 * the human precision: this is a picture, not data. */
#include "output/writer.h"

#include "num/numfmt.h"

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

static void html_number(FILE *out, const char *label, double v, int prec)
{
	char buf[NB_NUMBUF];

	nb_fmt_human(buf, v, prec);
	fputs(label, out);
	fputs(buf, out);
}

/*   name or op (bold)
 *   op: expr  (small; just op for a variable)
 *   value V
 *   grad G */
static void node(FILE *out, const struct nb_program *p, size_t i, int prec)
{
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
	html_number(out, "<br/>value ", t->value[i], prec);
	html_number(out, "<br/>grad ", t->grad[i], prec);
	fputs(">", out);
	if (i == p->output)
		fputs(", style=\"rounded,bold\", peripheries=2", out);
	fputs("];\n", out);
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
		node(out, p, i, spec->precision);
	for (size_t i = 0; i < t->n; i++) {
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			fprintf(out, "\tn%u -> n%zu [label=<",
				(unsigned)t->in[e], i);
			html_number(out, "local ", t->local[e],
				    spec->precision);
			html_number(out, "<br/>down ",
				    nb_downstream(t->grad[i], t->local[e]),
				    spec->precision);
			fputs(">];\n", out);
		}
	}
	fputs("}\n", out);
}
