/* tcode.c - writing the staged passes of a shaped program (tcode.h). */
#include "codegen/tcode.h"

#include <string.h>

#include "codegen/exprprint.h"
#include "codegen/tgrad.h"
#include "core/alloc.h"
#include "core/view.h"
#include "num/numfmt.h"

struct tcode {
	struct nb_tgrad g;
	FILE *out;
	enum nb_lang lang;
	uint32_t *uses;         /* per graph node: uses by what is printed */
	uint32_t *owner;        /* per graph node: tape node + 1 whose
				 * forward value it is, or 0 */
	uint32_t *seq;          /* per graph node: K of its name t<K> */
	unsigned char *named;   /* per graph node: printed by name */
	unsigned char *done;    /* per graph node: its statement is out */
	uint32_t *vseq;         /* per tape node: K of an unnamed value's
				 * name t<K> */
	uint32_t next;          /* the next K */
};

static int np(const struct tcode *c)
{
	return c->lang == NB_LANG_NUMPY;
}

static void value_name(struct tcode *c, size_t i)
{
	size_t len;
	const char *s = nb_node_name(c->g.p, i, &len);

	if (s)
		nb_name_write(c->out, c->lang, s, len);
	else
		fprintf(c->out, "t%u", (unsigned)c->vseq[i]);
}

static void leaf_name(void *ctx, FILE *out, uint32_t ref)
{
	struct tcode *c = ctx;
	uint32_t n = (uint32_t)c->g.p->tape.n;

	if (ref >= n)
		fputs("grad_", out);
	value_name(c, ref >= n ? ref - n : ref);
}

static void temp_name(void *ctx, FILE *out, uint32_t i)
{
	struct tcode *c = ctx;

	if (c->owner[i])
		value_name(c, c->owner[i] - 1);
	else
		fprintf(out, "t%u", (unsigned)c->seq[i]);
}

static void print(struct tcode *c, uint32_t x)
{
	struct nb_exprnames names = { leaf_name, temp_name, c->named, c };

	nb_expr_print(c->out, &c->g.e, x, c->lang, &names);
}

/* ------------------------------------------------------------------ */
/* Temporaries */

static void count(struct tcode *c, uint32_t root)
{
	if (root != NB_TG_NONE)
		c->uses[root]++;
}

/* The roots: the gradients each language writes as statements. */
static void count_roots(struct tcode *c, const size_t *wrt, size_t nwrt)
{
	const struct nb_tgrad *g = &c->g;

	if (np(c))
		for (size_t k = 0; k < g->nc; k++)
			count(c, g->c[k].expr);
	else {
		for (size_t i = 0; i < g->p->tape.n; i++)
			if (g->p->tape.op[i] != NB_OP_VAR &&
			    nb_tgrad_stated(g, i))
				count(c, g->sum[i]);
		for (size_t w = 0; w < nwrt; w++)
			count(c, g->sum[g->p->vars[wrt[w]]]);
	}
}

static int literal(const struct nb_expr *e, uint32_t i)
{
	if (e->op[i] == NB_OP_NEG)
		i = e->arg[e->first[i]];
	return e->op[i] == NB_OP_CONST;
}

/* Temporaries: the nodes used twice or more (not names or numbers), and
 * forward values, written by their names. */
static void choose(struct tcode *c, const size_t *wrt, size_t nwrt)
{
	const struct nb_expr *e = &c->g.e;
	const struct nb_tape *t = &c->g.p->tape;

	for (size_t i = 0; i < t->n; i++)
		if (c->g.def[i] != NB_TG_NONE) {
			c->owner[c->g.def[i]] = (uint32_t)i + 1;
			if (!c->owner[c->g.twin[i]])
				c->owner[c->g.twin[i]] = (uint32_t)i + 1;
		}
	count_roots(c, wrt, nwrt);
	for (size_t i = e->n; i-- > 0;)
		if (c->uses[i] && !c->owner[i])
			for (uint32_t k = e->first[i]; k < e->first[i + 1]; k++)
				c->uses[e->arg[k]]++;
	for (size_t i = 0; i < e->n; i++) {
		c->named[i] = c->owner[i] ||
			      (c->uses[i] > 1 && e->op[i] != NB_OP_VAR &&
			       !literal(e, i));
		if (c->named[i] && !c->owner[i])
			c->seq[i] = c->next++;
	}
}

/* Writes the temporaries x needs that are not out yet, dependencies
 * first. */
static void temps(struct tcode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;

	if (c->done[x] || c->owner[x])
		return;
	c->done[x] = 1;
	for (uint32_t k = e->first[x]; k < e->first[x + 1]; k++)
		temps(c, e->arg[k]);
	if (!c->named[x] || c->uses[x] == 0)
		return;
	fputs(np(c) ? "    " : "", c->out);
	temp_name(c, c->out, x);
	fputs(" = ", c->out);
	print(c, x);
	fputc('\n', c->out);
}

/* One statement: NAME OP expr, its temporaries before it; NAME =
 * np.copy(expr) if copied. */
static void statement(struct tcode *c, size_t node, int grad, const char *op,
		      uint32_t x, int copied)
{
	temps(c, x);
	fputs(np(c) ? "    " : "", c->out);
	if (grad)
		fputs("grad_", c->out);
	value_name(c, node);
	fprintf(c->out, " %s %s", op, copied ? "np.copy(" : "");
	if (c->named[x] && (grad || c->owner[x] != node + 1))
		temp_name(c, c->out, x);
	else
		print(c, x);
	fputs(copied ? ")\n" : "\n", c->out);
}

/* ------------------------------------------------------------------ */
/* Values */

static void number(struct tcode *c, double v)
{
	char buf[NB_NUMBUF];

	nb_fmt_exact(buf, v);
	fputs(buf, c->out);
}

/* A value as a literal: [[1, 2], [3, 4]] (NumPy: np.array(...)). */
static void array(struct tcode *c, struct nb_view v)
{
	size_t rows = v.shape.rank == 2 ? v.shape.dim[0] : 1;
	size_t cols = v.shape.rank ? v.shape.dim[v.shape.rank - 1] : 1;

	if (v.shape.rank == 0) {
		number(c, v.x[0]);
		return;
	}
	fputs(np(c) ? "np.array([" : "[", c->out);
	for (size_t r = 0; r < rows; r++) {
		fputs(r ? ", " : "", c->out);
		fputs(v.shape.rank == 2 ? "[" : "", c->out);
		for (size_t k = 0; k < cols; k++) {
			fputs(k ? ", " : "", c->out);
			number(c, v.x[r * cols + k]);
		}
		fputs(v.shape.rank == 2 ? "]" : "", c->out);
	}
	fputs(np(c) ? "], dtype=float)" : "]", c->out);
}

static void zeros(struct tcode *c, const struct nb_shape *s)
{
	if (s->rank == 0) {
		fputs(np(c) ? "0.0" : "0", c->out);
		return;
	}
	fputs(np(c) ? "np.zeros((" : "zeros(", c->out);
	for (int k = 0; k < s->rank; k++)
		fprintf(c->out, "%s%u", k ? ", " : "", (unsigned)s->dim[k]);
	fputs(np(c) ? (s->rank == 1 ? ",))" : "))") : ")", c->out);
}

static void forward(struct tcode *c)
{
	const struct nb_tgrad *g = &c->g;
	const struct nb_tape *t = &g->p->tape;

	for (size_t i = 0; i < t->n; i++) {
		if (!g->live[i] || t->op[i] == NB_OP_VAR ||
		    (g->def[i] == NB_TG_NONE && !nb_tgrad_literal(g, i)))
			continue;
		if (g->def[i] != NB_TG_NONE) {
			statement(c, i, 0, "=", g->def[i], 0);
			continue;
		}
		fputs(np(c) ? "    " : "", c->out);
		value_name(c, i);
		fputs(" = ", c->out);
		array(c, nb_node_value(t, i));
		fputc('\n', c->out);
	}
}

/* ------------------------------------------------------------------ */
/* Gradients */

/* Whether node i has a contribution after the k-th. */
static int more(const struct nb_tgrad *g, size_t i, size_t k)
{
	while (++k < g->nc)
		if (g->c[k].node == i)
			return 1;
	return 0;
}

/* Whether NumPy's x may be an array that another name holds: a name, a
 * transpose or a basic index are views. */
static int view(const struct tcode *c, uint32_t x)
{
	enum nb_op op = (enum nb_op)c->g.e.op[x];

	return c->named[x] || op == NB_OP_VAR || op == NB_OP_TRANSPOSE ||
	       op == NB_OP_INDEX;
}

/* NumPy: node i's contributions, the first assigned, the others added
 * (+=); a first one that may be a view is copied, so that += never
 * changes an array that another name holds. */
static void np_grad(struct tcode *c, size_t i)
{
	const struct nb_tgrad *g = &c->g;
	int first = 1;

	for (size_t k = 0; k < g->nc; k++) {
		uint32_t x = g->c[k].expr;
		if (g->c[k].node != i)
			continue;
		statement(c, i, 1, first ? "=" : "+=", x,
			  first && view(c, x) && more(g, i, k));
		first = 0;
	}
}

static void backward(struct tcode *c)
{
	const struct nb_tgrad *g = &c->g;
	const struct nb_tape *t = &g->p->tape;

	for (size_t i = t->n; i-- > 0;) {
		if (!g->live[i] || !t->dep[i] || g->sum[i] == NB_TG_NONE)
			continue;
		if (np(c) && (t->op[i] == NB_OP_VAR || nb_tgrad_stated(g, i)))
			np_grad(c, i);
		else if (!np(c) && t->op[i] != NB_OP_VAR &&
			 nb_tgrad_stated(g, i))
			statement(c, i, 1, "=", g->sum[i], 0);
	}
}

/* ------------------------------------------------------------------ */
/* The program and the function */

static void out_name(struct tcode *c)
{
	size_t len;
	const char *s = nb_program_outname(c->g.p, &len);

	nb_name_write(c->out, c->lang, s, len);
}

/* nabla: the live inputs bound to their values, and grad_OUT to the
 * upstream gradient given. */
static void bindings(struct tcode *c)
{
	const struct nb_program *p = c->g.p;

	for (size_t w = 0; w < p->nvars; w++) {
		uint32_t node = p->vars[w];
		if (!c->g.live[node])
			continue;
		value_name(c, node);
		fputs(" = ", c->out);
		array(c, nb_node_value(&p->tape, node));
		fputc('\n', c->out);
	}
	if (c->g.upstream) {
		fputs("grad_", c->out);
		value_name(c, p->output);
		fputs(" = ", c->out);
		array(c, nb_node_grad(&p->tape, p->output));
		fputc('\n', c->out);
	}
}

/* The partial df_dNAME of input w (nabla) or its dict entry (NumPy:
 * grad_NAME, which np_grad wrote). */
static void partial(struct tcode *c, size_t w)
{
	const struct nb_program *p = c->g.p;
	uint32_t node = p->vars[w], x = c->g.sum[node];
	size_t len;
	const char *s = nb_node_name(p, node, &len);

	if (!np(c) && x != NB_TG_NONE)
		temps(c, x);
	fprintf(c->out, np(c) ? "\"%.*s\": " : "df_d%.*s = ", (int)len, s);
	if (x == NB_TG_NONE)
		zeros(c, &p->tape.tv->shape[node]);
	else if (np(c)) {
		fputs("grad_", c->out);
		value_name(c, node);
	} else if (c->named[x])
		temp_name(c, c->out, x);
	else
		print(c, x);
}

static void write_symbolic(struct tcode *c, const size_t *wrt, size_t nwrt)
{
	fputs("# nabla --symbolic: the gradient of ", c->out);
	out_name(c);
	fputc('\n', c->out);
	bindings(c);
	forward(c);
	backward(c);
	for (size_t w = 0; w < nwrt; w++) {
		partial(c, wrt[w]);
		fputc('\n', c->out);
	}
}

static int uses_op(const struct tcode *c, enum nb_op op)
{
	for (size_t i = 0; i < c->g.e.n; i++)
		if (c->g.e.op[i] == op && (c->uses[i] || c->owner[i]))
			return 1;
	return 0;
}

/* NumPy's helpers, by the op that needs them: nabla's conventions
 * (relu'(0) = 0, the zero rule of mul0) and its stable forms. */
static const struct {
	enum nb_op op;
	const char *text;
} np_helpers[] = {
	{ NB_OP_INDEX, "def nb_ix(i):\n"
	  "    # indices are numbers that hold integers\n"
	  "    return np.asarray(i).astype(np.intp)\n" },
	{ NB_OP_EYE, "def nb_unit(i, n):\n"
	  "    # eye(n)[i]: the rows of the identity that i (a number or a\n"
	  "    # vector of them, negative from the end) picks, without it\n"
	  "    return (np.arange(n) == (nb_ix(i) % n)[..., None]) * 1.0\n" },
	{ NB_OP_SIGMOID, "def nb_sigmoid(a):\n"
	  "    e = np.exp(-np.abs(a))\n"
	  "    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))\n" },
	{ NB_OP_SOFTPLUS, "def nb_softplus(a):\n"
	  "    return np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))\n" },
	{ NB_OP_RELU, "def nb_relu(a):\n"
	  "    return np.where((a > 0) | np.isnan(a), a, 0.0)\n" },
	{ NB_OP_MUL0, "def nb_mul0(a, b):\n"
	  "    # a * b, but 0 if either is 0, even times inf or nan\n"
	  "    with np.errstate(invalid=\"ignore\"):\n"
	  "        return np.where((a == 0) | (b == 0), 0.0, a * b)\n" },
	{ NB_OP_STEP, "def nb_step(a):\n"
	  "    # 1 where a > 0, else 0 (nan stays nan)\n"
	  "    return np.where(np.isnan(a), a, (a > 0) * 1.0)\n" },
	{ NB_OP_EQ, "def nb_eq(a, b):\n"
	  "    # 1 where a == b, else 0 (nan where either is nan)\n"
	  "    return np.where(np.isnan(a) | np.isnan(b), a + b, "
	  "(a == b) * 1.0)\n" },
	{ NB_OP_LOGSUMEXP, "def nb_logsumexp(a, axis=None):\n"
	  "    m = np.max(a, axis=axis, keepdims=True)\n"
	  "    s = m + np.log(np.sum(np.exp(a - m), axis=axis, "
	  "keepdims=True))\n"
	  "    return s.reshape(np.max(a, axis=axis).shape)\n" },
	{ NB_OP_SOFTMAX, "def nb_softmax(a, axis=-1):\n"
	  "    e = np.exp(a - np.max(a, axis=axis, keepdims=True))\n"
	  "    return e / np.sum(e, axis=axis, keepdims=True)\n" },
	{ NB_OP_LOG_SOFTMAX, "def nb_log_softmax(a, axis=-1):\n"
	  "    m = a - np.max(a, axis=axis, keepdims=True)\n"
	  "    return m - np.log(np.sum(np.exp(m), axis=axis, "
	  "keepdims=True))\n" },
};

/* The function's parameters, "(IN, ..., grad_OUT)" (grad_OUT with
 * --upstream). */
static void params(struct tcode *c)
{
	const struct nb_program *p = c->g.p;

	fputc('(', c->out);
	for (size_t w = 0; w < p->nvars; w++) {
		fputs(w ? ", " : "", c->out);
		value_name(c, p->vars[w]);
	}
	if (c->g.upstream) {
		fputs(p->nvars ? ", grad_" : "grad_", c->out);
		value_name(c, p->output);
	}
	fputc(')', c->out);
}

static void np_head(struct tcode *c)
{
	const struct nb_program *p = c->g.p;
	char buf[NB_SHAPE_BUF];

	fputs("# nabla --emit python: ", c->out);
	out_name(c);
	fputs(" and its gradient, on NumPy arrays.\n# ", c->out);
	out_name(c);
	params(c);
	fputs(" returns (", c->out);
	out_name(c);
	fputs(", {NAME: gradient}); the shapes:", c->out);
	for (size_t w = 0; w < p->nvars; w++) {
		fputs(w ? ", " : " ", c->out);
		value_name(c, p->vars[w]);
		fprintf(c->out, " %s", nb_shape_format(buf,
			&p->tape.tv->shape[p->vars[w]]));
	}
	if (c->g.upstream) {
		fputs(", grad_", c->out);
		value_name(c, p->output);
		fprintf(c->out, " %s (the gradient arriving at ",
			nb_shape_format(buf, &p->tape.tv->shape[p->output]));
		out_name(c);
		fputc(')', c->out);
	}
	fputs(".\nimport numpy as np\n", c->out);
	for (size_t k = 0; k < sizeof np_helpers / sizeof np_helpers[0]; k++)
		if (uses_op(c, np_helpers[k].op) ||
		    (np_helpers[k].op == NB_OP_INDEX &&
		     (uses_op(c, NB_OP_ONEHOT) || uses_op(c, NB_OP_EYE))))
			fprintf(c->out, "\n\n%s", np_helpers[k].text);
}

static void np_params(struct tcode *c)
{
	const struct nb_program *p = c->g.p;

	fputs("\n\ndef ", c->out);
	out_name(c);
	params(c);
	fputs(":\n", c->out);
	for (size_t w = 0; w < p->nvars; w++) {
		fputs("    ", c->out);
		value_name(c, p->vars[w]);
		fputs(" = np.asarray(", c->out);
		value_name(c, p->vars[w]);
		fputs(", dtype=float)\n", c->out);
	}
}

static void write_numpy(struct tcode *c, const size_t *wrt, size_t nwrt)
{
	np_head(c);
	np_params(c);
	forward(c);
	fputc('\n', c->out);
	backward(c);
	fputs("    return ", c->out);
	value_name(c, c->g.p->output);
	fputs(", {", c->out);
	for (size_t w = 0; w < nwrt; w++) {
		fputs(w ? ", " : "", c->out);
		partial(c, wrt[w]);
	}
	fputs("}\n", c->out);
}

static void *zalloc(size_t n, size_t size)
{
	void *x = nb_malloc(n * size);

	if (x)
		memset(x, 0, n * size);
	return x;
}

static void tcode_free(struct tcode *c)
{
	nb_tgrad_free(&c->g);
	nb_free(c->uses);
	nb_free(c->owner);
	nb_free(c->seq);
	nb_free(c->named);
	nb_free(c->done);
	nb_free(c->vseq);
}

/* Names t1, t2, ... for the unnamed values, in order. */
static void name_values(struct tcode *c)
{
	const struct nb_tgrad *g = &c->g;

	c->next = 1;
	for (size_t i = 0; i < g->p->tape.n; i++)
		if (g->live[i] && !nb_node_name(g->p, i, &(size_t){ 0 }) &&
		    (g->def[i] != NB_TG_NONE || nb_tgrad_literal(g, i)))
			c->vseq[i] = c->next++;
}

int nb_tcode_write(FILE *out, const struct nb_program *p, enum nb_lang lang,
		   const size_t *wrt, size_t nwrt, struct nb_diag *d)
{
	struct tcode c;
	size_t n;
	int r;

	memset(&c, 0, sizeof c);
	c.out = out;
	c.lang = lang;
	r = nb_tgrad_build(&c.g, p);
	n = c.g.e.n + 1;
	if (r == 0) {
		c.uses = zalloc(n, sizeof *c.uses);
		c.owner = zalloc(n, sizeof *c.owner);
		c.seq = zalloc(n, sizeof *c.seq);
		c.named = zalloc(n, 1);
		c.done = zalloc(n, 1);
		c.vseq = zalloc(p->tape.n + 1, sizeof *c.vseq);
		r = c.uses && c.owner && c.seq && c.named && c.done && c.vseq
			    ? 0 : -1;
	}
	if (r == 0) {
		name_values(&c);
		choose(&c, wrt, nwrt);
		if (lang == NB_LANG_NUMPY)
			write_numpy(&c, wrt, nwrt);
		else
			write_symbolic(&c, wrt, nwrt);
	}
	tcode_free(&c);
	if (r == -2)
		return nb_error_plain(d, NB_EFAIL, "internal error: a symbolic "
				      "rule of the op table does not compile");
	return r ? nb_error_plain(d, NB_EFAIL, "out of memory") : 0;
}
