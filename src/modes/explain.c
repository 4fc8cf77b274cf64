/* explain.c - the backward pass told as a story, one gate at a time.
 *
 *   #4 f = q * z = -12, upstream 1 (df/df: the backward pass starts here)
 *      multiply: swaps its inputs; local b, a
 *      downstream to q = upstream 1 * local -4 = -4
 *      downstream to z = upstream 1 * local 3 = 3
 *   #2 q = x + y = 3, upstream -4
 *   ...
 *   #0 x = -2, input: df/dx = -4
 *
 * Nodes come in the order the reverse pass visits them, from the output
 * down.  The gate's words are the op table's summary and local-gradient
 * rule.  A node used more than once is a fork: its line lists what each
 * use sent back and their sum.  Every edge is told at most twice (at its
 * gate and at its fork), so the story is linear in the graph.  On
 * tensors (SPEC section 9) values are written as NumPy does, with their
 * shapes, and a gate's words are explain_gate.c's. */
#include "modes/explain.h"
#include "modes/explain_gate.h"
#include "modes/modes.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "num/numfmt.h"

/* The uses of each node by the nodes the output depends on: edges
 * use[start[i]] .. use[start[i + 1] - 1] have node i as their input,
 * and user[] holds the node each of them belongs to. */
struct uses {
	uint32_t *start, *edge, *user;
};

static void uses_free(struct uses *u)
{
	nb_free(u->start);
	nb_free(u->edge);
	nb_free(u->user);
}

static int uses_init(struct uses *u, const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;
	size_t n = p->output + 1, ne = t->first[n];

	u->start = nb_malloc((n + 1) * sizeof *u->start);
	u->edge = nb_malloc((ne ? ne : 1) * sizeof *u->edge);
	u->user = nb_malloc((ne ? ne : 1) * sizeof *u->user);
	if (!u->start || !u->edge || !u->user) {
		uses_free(u);
		return -1;
	}
	memset(u->start, 0, (n + 1) * sizeof *u->start);
	for (size_t e = 0; e < ne; e++)
		u->start[t->in[e] + 1]++;
	for (size_t i = 0; i < n; i++)
		u->start[i + 1] += u->start[i];
	/* Filled from the last user down, each node's list is in the
	 * order the reverse pass sends the gradients. */
	for (size_t i = n; i-- > 0;)
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			uint32_t k = u->start[t->in[e]]++;
			u->edge[k] = (uint32_t)e;
			u->user[k] = (uint32_t)i;
		}
	for (size_t i = n; i > 0; i--)
		u->start[i] = u->start[i - 1];
	u->start[0] = 0;
	return 0;
}

/* How the story writes numbers: digits and elements per axis. */
struct style {
	int prec;
	size_t max;
};

static void value(FILE *out, struct nb_view v, const struct style *st)
{
	nb_explain_value(out, v, st->prec, st->max);
}

/* "q" for a named node (or the output), else "#k". */
static void label(FILE *out, const struct nb_program *p, size_t i)
{
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	if (!name && i == p->output)
		name = nb_program_outname(p, &len);
	if (name)
		fwrite(name, 1, len, out);
	else
		fprintf(out, "#%zu", i);
}

/* "#2 q = x + y = 3": the node, its name, its text and its value. */
static void heading(FILE *out, const struct nb_program *p, size_t i,
		    const struct style *st)
{
	char text[NB_ELIDE + NB_SHAPE_BUF];
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	if (!name && i == p->output)
		name = nb_program_outname(p, &len);
	nb_text_elide(text, p, i, NB_ELIDE);
	fprintf(out, "#%zu ", i);
	if (name) {
		fwrite(name, 1, len, out);
		if (len != strlen(text) || memcmp(name, text, len) != 0)
			fprintf(out, " = %s", text);
	} else {
		fputs(text, out);
	}
	if (p->tape.op[i] != NB_OP_CONST || nb_tape_shaped(&p->tape)) {
		fputs(" = ", out);
		value(out, nb_node_value(&p->tape, i), st);
	}
	if (nb_tape_shaped(&p->tape))
		fprintf(out, ", shape %s",
			nb_shape_format(text, &p->tape.tv->shape[i]));
}

/* The fork line: what each use sent back, and the sum. */
static void fork_sum(FILE *out, const struct nb_program *p,
		     const struct uses *u, size_t i, const struct style *st)
{
	const struct nb_tape *t = &p->tape;
	double tmp;

	fputs("   gradients add at a fork: ", out);
	for (uint32_t k = u->start[i]; k < u->start[i + 1]; k++) {
		if (k > u->start[i])
			fputs(" + ", out);
		value(out, nb_write_down(t, u->user[k], u->edge[k], &tmp), st);
		fputs(" from ", out);
		label(out, p, u->user[k]);
	}
	fputs(" = ", out);
	value(out, nb_node_grad(t, i), st);
	putc('\n', out);
}

static void leaf(FILE *out, const struct nb_program *p, size_t i,
		 const struct style *st)
{
	size_t olen, len;
	const char *oname = nb_program_outname(p, &olen);
	const char *name = nb_node_name(p, i, &len);

	if (p->tape.op[i] == NB_OP_CONST) {
		fputs(", a constant: the gradient stops here\n", out);
		return;
	}
	fprintf(out, ", an input: d%.*s/d%.*s = ", (int)olen, oname, (int)len,
		name);
	value(out, nb_node_grad(&p->tape, i), st);
	putc('\n', out);
}

static void step(FILE *out, const struct nb_program *p,
		 const struct uses *u, size_t i, const struct style *st)
{
	const struct nb_tape *t = &p->tape;
	uint32_t nuses = u->start[i + 1] - u->start[i];

	heading(out, p, i, st);
	if (i != p->output && nuses == 0) {
		fputs(", not used by the output: upstream 0\n", out);
		return;
	}
	if (nb_ops[t->op[i]].kind == NB_LEAF) {
		leaf(out, p, i, st);
	} else {
		fputs(", upstream ", out);
		value(out, nb_node_grad(t, i), st);
		fputs(i == p->output ? " (the output: the backward pass starts "
			"here)\n" : "\n", out);
	}
	if (nuses > 1)
		fork_sum(out, p, u, i, st);
	if (nb_ops[t->op[i]].kind != NB_LEAF)
		nb_explain_gate(out, p, i, st->prec, st->max);
}

int nb_explain(FILE *out, const struct nb_program *p,
	       const struct nb_outspec *spec)
{
	struct uses u;
	size_t olen, len;
	const char *oname = nb_program_outname(p, &olen);
	struct style st = { spec->precision, nb_outspec_max(spec) };

	if (uses_init(&u, p)) {
		errno = ENOMEM;
		return -1;
	}
	fprintf(out, "Backward pass of %.*s: each gate passes [downstream] = "
		"[upstream] * [local]\nto each of its inputs, from the output "
		"down.\n%s\n", (int)olen, oname, !nb_tape_shaped(&p->tape) ? ""
		: "On tensors every gradient has the shape of its value: an "
		  "elementwise gate's\nlocal gradient is elementwise, and a "
		  "structural gate's is the rule that\ncomputes the "
		  "downstream gradient.\n");
	for (size_t i = p->output + 1; i-- > 0;)
		step(out, p, &u, i, &st);
	fprintf(out, "\n%.*s = ", (int)olen, oname);
	value(out, nb_node_value(&p->tape, p->output), &st);
	putc('\n', out);
	for (size_t k = 0; k < spec->nwrt; k++) {
		size_t v = p->vars[spec->wrt[k]];
		const char *name = nb_node_name(p, v, &len);

		fprintf(out, "d%.*s/d%.*s = ", (int)olen, oname, (int)len, name);
		value(out, nb_node_grad(&p->tape, v), &st);
		putc('\n', out);
	}
	uses_free(&u);
	return 0;
}

static int run(const struct nb_mode_call *c)
{
	return nb_explain(c->out, c->p, c->spec);
}

const struct nb_mode_ops nb_explain_mode = { run, NULL, NULL };
