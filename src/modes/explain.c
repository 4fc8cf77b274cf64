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
 * gate and at its fork), so the story is linear in the graph. */
#include "modes/explain.h"

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

static void num(FILE *out, double v, int prec)
{
	char buf[NB_NUMBUF];

	nb_fmt_human(buf, v, prec);
	fputs(buf, out);
}

/* "q" for a named node, else "#k (text)". */
static void node_ref(FILE *out, const struct nb_program *p, size_t i)
{
	char text[NB_ELIDE + 2];
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	if (name) {
		fwrite(name, 1, len, out);
		return;
	}
	nb_text_elide(text, p, i, NB_ELIDE);
	fprintf(out, "#%zu (%s)", i, text);
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
		    int prec)
{
	char text[NB_ELIDE + 2];
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
	if (p->tape.op[i] != NB_OP_CONST) {
		fputs(" = ", out);
		num(out, p->tape.value[i], prec);
	}
}

/* The fork line: what each use sent back, and the sum. */
static void fork_sum(FILE *out, const struct nb_program *p,
		     const struct uses *u, size_t i, int prec)
{
	const struct nb_tape *t = &p->tape;

	fputs("   gradients add at a fork: ", out);
	for (uint32_t k = u->start[i]; k < u->start[i + 1]; k++) {
		if (k > u->start[i])
			fputs(" + ", out);
		num(out, nb_downstream(t->grad[u->user[k]],
				       t->local[u->edge[k]]), prec);
		fputs(" from ", out);
		label(out, p, u->user[k]);
	}
	fputs(" = ", out);
	num(out, t->grad[i], prec);
	putc('\n', out);
}

/* A gate: its words, then one line per input. */
static void gate(FILE *out, const struct nb_program *p, size_t i, int prec)
{
	const struct nb_tape *t = &p->tape;
	const struct nb_opinfo *o = &nb_ops[t->op[i]];

	/* what the gate does, without a note in parentheses on syntax
	 * ("power (right-assoc.), also a ** b, pow(a, b)") */
	const char *note = strstr(o->summary, " (");
	int what = note ? (int)(note - o->summary) : (int)strlen(o->summary);

	fprintf(out, "   %.*s; local %s", what, o->summary, o->rule);
	/* The rule calls the inputs a and b: say which they are. */
	if (o->arity == 1 || o->arity == 2) {
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			fprintf(out, "%s%c = ", e == t->first[i] ? " (" : ", ",
				(int)('a' + (e - t->first[i])));
			node_ref(out, p, t->in[e]);
		}
		putc(')', out);
	}
	putc('\n', out);
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		fputs("   downstream to ", out);
		node_ref(out, p, t->in[e]);
		fputs(" = upstream ", out);
		num(out, t->grad[i], prec);
		fputs(" * local ", out);
		num(out, t->local[e], prec);
		fputs(" = ", out);
		num(out, nb_downstream(t->grad[i], t->local[e]), prec);
		putc('\n', out);
	}
}

static void leaf(FILE *out, const struct nb_program *p, size_t i, int prec)
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
	num(out, p->tape.grad[i], prec);
	putc('\n', out);
}

static void step(FILE *out, const struct nb_program *p,
		 const struct uses *u, size_t i, int prec)
{
	const struct nb_tape *t = &p->tape;
	uint32_t nuses = u->start[i + 1] - u->start[i];

	heading(out, p, i, prec);
	if (i != p->output && nuses == 0) {
		fputs(", not used by the output: upstream 0\n", out);
		return;
	}
	if (nb_ops[t->op[i]].kind == NB_LEAF) {
		leaf(out, p, i, prec);
	} else {
		fputs(", upstream ", out);
		num(out, t->grad[i], prec);
		fputs(i == p->output ? " (the output: the backward pass starts "
			"here)\n" : "\n", out);
	}
	if (nuses > 1)
		fork_sum(out, p, u, i, prec);
	if (nb_ops[t->op[i]].kind != NB_LEAF)
		gate(out, p, i, prec);
}

int nb_explain(FILE *out, const struct nb_program *p,
	       const struct nb_outspec *spec)
{
	struct uses u;
	size_t olen, len;
	const char *oname = nb_program_outname(p, &olen);

	if (uses_init(&u, p)) {
		errno = ENOMEM;
		return -1;
	}
	fprintf(out, "Backward pass of %.*s: each gate passes [downstream] = "
		"[upstream] * [local]\nto each of its inputs, from the output "
		"down.\n\n", (int)olen, oname);
	for (size_t i = p->output + 1; i-- > 0;)
		step(out, p, &u, i, spec->precision);
	fprintf(out, "\n%.*s = ", (int)olen, oname);
	num(out, p->tape.value[p->output], spec->precision);
	putc('\n', out);
	for (size_t k = 0; k < spec->nwrt; k++) {
		size_t v = p->vars[spec->wrt[k]];
		const char *name = nb_node_name(p, v, &len);

		fprintf(out, "d%.*s/d%.*s = ", (int)olen, oname, (int)len, name);
		num(out, p->tape.grad[v], spec->precision);
		putc('\n', out);
	}
	uses_free(&u);
	return 0;
}
