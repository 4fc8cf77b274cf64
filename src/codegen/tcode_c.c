/* tcode_c.c - --emit c for programs with vectors and matrices (tcode.h):
 * the staged passes of tgrad.h as plain C loops over row-major arrays
 * whose sizes are constants.  Every node of the expression graph that
 * the value or a gradient needs is one static array, filled by one loop
 * nest (tcode_cloop.c); this file names them, gives them their shapes
 * and writes the function around them. */
#include "codegen/tcode.h"

#include <string.h>

#include "codegen/emit.h"
#include "codegen/exprprint.h"
#include "codegen/tcode_c.h"
#include "codegen/tgrad.h"
#include "core/alloc.h"
#include "core/tkernel.h"
#include "core/view.h"
#include "num/numfmt.h"

/* ------------------------------------------------------------------ */
/* Names and references */

void nb_cc_value_name(struct ccode *c, size_t i)
{
	size_t len;
	const char *s = nb_node_name(c->g.p, i, &len);

	if (s)
		nb_name_write(c->out, c->blas ? NB_LANG_CBLAS : NB_LANG_C, s,
			      len);
	else
		fprintf(c->out, "t%u", (unsigned)c->vseq[i]);
}

/* The graph node whose array holds x: a leaf's value or gradient, the
 * node a forward value's twin (tgrad.h) repeats, or x itself. */
uint32_t nb_cc_resolve(const struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;
	size_t n = c->g.p->tape.n;

	for (;;) {
		uint32_t r = e->ref[x], y = x;
		if (e->op[x] == NB_OP_VAR && r >= n)
			y = c->g.sum[r - n];
		else if (e->op[x] == NB_OP_VAR)
			y = c->g.def[r];
		else if (c->alias[x])
			y = c->alias[x] - 1;
		if (y == NB_TG_NONE || y == x)
			return x;
		x = y;
	}
}

/* The array of graph node x (resolved). */
void nb_cc_array_name(struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;

	if (e->op[x] == NB_OP_VAR && e->ref[x] >= c->g.p->tape.n)
		fputs("nb_upstream", c->out);  /* the only gradient leaf left */
	else if (e->op[x] == NB_OP_VAR)
		nb_cc_value_name(c, e->ref[x]);
	else if (c->owner[x])
		nb_cc_value_name(c, c->owner[x] - 1);
	else
		fprintf(c->out, "t%u", (unsigned)c->seq[x]);
}

size_t nb_cc_size(const struct nb_shape *s)
{
	size_t n = 1;

	for (int k = 0; k < s->rank; k++)
		n *= s->dim[k];
	return n;
}

/* ------------------------------------------------------------------ */
/* Shapes of the graph's nodes */

static int shape_of(struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;
	enum nb_op op = (enum nb_op)e->op[x];
	size_t n = nb_expr_nargs(e, x);
	struct nb_targ in[3];
	char why[NB_TKERNEL_WHY];
	struct nb_shape_conflict cf;

	if (op == NB_OP_VAR) {
		uint32_t r = e->ref[x];
		size_t tn = c->g.p->tape.n;
		c->shape[x] = c->g.p->tape.tv->shape[r >= tn ? r - tn : r];
		return 0;
	}
	c->shape[x] = nb_shape_scalar();
	if (op == NB_OP_CONST)
		return 0;
	if (!nb_op_is_tensor(op)) {
		for (uint32_t k = e->first[x]; k < e->first[x + 1]; k++)
			if (nb_shape_broadcast(&c->shape[x],
					       &c->shape[e->arg[k]],
					       &c->shape[x], &cf))
				return -1;
		return 0;
	}
	if (op == NB_OP_STACK) {        /* any number of arguments */
		struct nb_shape a = c->shape[e->arg[e->first[x]]];
		c->shape[x] = a.rank ? nb_shape_matrix((uint32_t)n, a.dim[0])
				     : nb_shape_vector((uint32_t)n);
		return 0;
	}
	for (size_t k = 0; k < n && k < 3; k++) {
		uint32_t a = e->arg[e->first[x] + k];
		in[k] = (struct nb_targ){ NULL, c->shape[a], "", NULL, 0 };
		if (e->op[a] == NB_OP_CONST)
			in[k].x = &e->num[a];
	}
	return nb_tkernel_shape(op, (int)e->num[x], in, n, &c->shape[x], why);
}


/* ------------------------------------------------------------------ */
/* The function */

static void mark(struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;

	x = nb_cc_resolve(c, x);
	if (c->need[x])
		return;
	c->need[x] = 1;
	for (uint32_t k = e->first[x] + (uint32_t)nb_cc_unit_rows(c, x);
	     k < e->first[x + 1]; k++)
		mark(c, e->arg[k]);
}

static uint32_t out_node(const struct ccode *c)
{
	return nb_cc_resolve(c, c->g.val[c->g.p->output]);
}

static void param(struct ccode *c, const char *pre, const char *prefix,
		  size_t node)
{
	fputs(pre, c->out);
	fputs(prefix, c->out);
	nb_cc_value_name(c, node);
	fprintf(c->out, "[%zu]", nb_cc_size(&c->g.p->tape.tv->shape[node]));
}

/* OUT(const double IN[n], ..., [const double grad_OUT[n], double
 * nb_value[n],] double grad_IN[n], ...) */
static void signature(struct ccode *c, const size_t *wrt, size_t nwrt)
{
	const struct nb_program *p = c->g.p;
	size_t len, outsize = nb_cc_size(&p->tape.tv->shape[p->output]);
	const char *name = nb_program_outname(p, &len);
	const char *sep = "";

	fputs(p->tape.tv->shape[p->output].rank ? "void " : "double ", c->out);
	nb_name_write(c->out, c->blas ? NB_LANG_CBLAS : NB_LANG_C, name, len);
	fputc('(', c->out);
	for (size_t w = 0; w < p->nvars; w++, sep = ", ")
		param(c, sep, "const double ", p->vars[w]);
	if (c->g.upstream) {
		fprintf(c->out, "%sconst double nb_upstream[%zu]", sep, outsize);
		sep = ", ";
	}
	if (p->tape.tv->shape[p->output].rank) {
		fprintf(c->out, "%sdouble nb_value[%zu]", sep, outsize);
		sep = ", ";
	}
	for (size_t w = 0; w < nwrt; w++, sep = ", ")
		param(c, sep, "double grad_", p->vars[wrt[w]]);
	if (!*sep)
		fputs("void", c->out);
	fputc(')', c->out);
}

static void head(struct ccode *c, const size_t *wrt, size_t nwrt)
{
	size_t len;
	const char *name = nb_program_outname(c->g.p, &len);

	fprintf(c->out, "/* nabla --emit %s: %.*s and its gradient, on "
		"row-major arrays of doubles.\n *   ", c->blas ? "cblas" : "c",
		(int)len, name);
	signature(c, wrt, nwrt);
	fputs("\n * reads the inputs (and nb_upstream, the gradient arriving at a "
	      "vector or\n * matrix output), writes every gradient grad_NAME "
	      "(and a vector or matrix\n * output's value, nb_value) and "
	      "returns a scalar output's value.  Its arrays\n * are static: "
	      "it is not reentrant.  Indices are not checked.  Needs\n * "
	      "<math.h>, -lm", c->out);
	fputs(c->blas ? ", and a CBLAS (<cblas.h>; -lopenblas or -lcblas). */\n"
		      "#include <cblas.h>\n" : ". */\n", c->out);
	fputs("#include <math.h>\n#include <stddef.h>\n", c->out);
	nb_emit_helpers(c->out, NB_LANG_C, &c->g.e);
	for (size_t i = 0; i < c->g.e.n; i++)
		if (c->need[i] && (c->g.e.op[i] == NB_OP_INDEX ||
				   c->g.e.op[i] == NB_OP_ONEHOT)) {
			fputs("\n/* index v of n elements, negative from the "
			      "end */\nstatic inline long nb_ix(double v, "
			      "size_t n)\n{\n\treturn v < 0 ? (long)v + (long)n"
			      " : (long)v;\n}\n", c->out);
			break;
		}
	fputc('\n', c->out);
	signature(c, wrt, nwrt);
	fputs("\n{\n", c->out);
}

static void literal(struct ccode *c, size_t i)
{
	struct nb_view v = nb_node_value(&c->g.p->tape, i);
	size_t n = nb_cc_size(&v.shape);
	char buf[NB_NUMBUF];

	fputs("\tstatic const double ", c->out);
	nb_cc_value_name(c, i);
	fprintf(c->out, "[%zu] = {", n);
	for (size_t k = 0; k < n; k++) {
		nb_fmt_exact(buf, v.x[k]);
		fprintf(c->out, "%s%s", k ? ", " : " ", buf);
	}
	fputs(" };\n", c->out);
}

static void declarations(struct ccode *c)
{
	const struct nb_tgrad *g = &c->g;

	for (size_t i = 0; i < g->p->tape.n; i++)
		if (g->live[i] && nb_tgrad_literal(g, i))
			literal(c, i);
	for (uint32_t x = 0; x < g->e.n; x++)
		if (c->need[x] && g->e.op[x] != NB_OP_VAR &&
		    g->e.op[x] != NB_OP_CONST) {
			fputs("\tstatic double ", c->out);
			nb_cc_array_name(c, x);
			fprintf(c->out, "[%zu];\n", nb_cc_size(&c->shape[x]));
		}
	fputc('\n', c->out);
}

/* dst[...] = node x (a number, or an array of the same size). */
static void copy(struct ccode *c, const char *dst, size_t node, uint32_t x,
		 size_t n)
{
	fprintf(c->out, "\tfor (size_t nb_i = 0; nb_i < %zu; nb_i++)\n\t\t%s", n, dst);
	if (node != SIZE_MAX)
		nb_cc_value_name(c, node);
	fputs("[nb_i] = ", c->out);
	if (x == NB_TG_NONE)
		fputs("0", c->out);
	else if (c->g.e.op[x] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[x], NB_LANG_C);
	else {
		nb_cc_array_name(c, x);
		fputs(nb_cc_size(&c->shape[x]) == 1 ? "[0]" : "[nb_i]", c->out);
	}
	fputs(";\n", c->out);
}

static void body(struct ccode *c, const size_t *wrt, size_t nwrt)
{
	const struct nb_program *p = c->g.p;
	unsigned char *all = c->need + c->g.e.n + 1;
	uint32_t out = out_node(c);

	memset(all, 1, c->g.e.n + 1);
	for (size_t w = 0; w < p->nvars; w++)
		if (!c->g.live[p->vars[w]]) {   /* the output ignores it */
			fputs("\t(void)", c->out);
			nb_cc_value_name(c, p->vars[w]);
			fputs(";\n", c->out);
		}
	if (c->g.upstream && !c->need[c->g.sum[p->output]])
		fputs("\t(void)nb_upstream;\n", c->out);
	for (uint32_t x = 0; x < c->g.e.n; x++)
		if (c->need[x] && c->g.e.op[x] != NB_OP_VAR &&
		    c->g.e.op[x] != NB_OP_CONST)
			nb_cc_statement(c, x, all);
	for (size_t w = 0; w < nwrt; w++) {
		uint32_t node = p->vars[wrt[w]], s = c->g.sum[node];
		copy(c, "grad_", node, s == NB_TG_NONE ? s : nb_cc_resolve(c, s),
		     nb_cc_size(&p->tape.tv->shape[node]));
	}
	if (p->tape.tv->shape[p->output].rank) {
		copy(c, "nb_value", SIZE_MAX, out,
		     nb_cc_size(&p->tape.tv->shape[p->output]));
		fputs("}\n", c->out);
		return;
	}
	fputs("\treturn ", c->out);
	if (c->g.e.op[out] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[out], NB_LANG_C);
	else {
		nb_cc_array_name(c, out);
		fputs("[0]", c->out);
	}
	fputs(";\n}\n", c->out);
}

static void ccode_free(struct ccode *c)
{
	nb_tgrad_free(&c->g);
	nb_free(c->shape);
	nb_free(c->need);
	nb_free(c->owner);
	nb_free(c->seq);
	nb_free(c->vseq);
	nb_free(c->alias);
}

/* Names: the tape's values by their names or t<K>, then the other
 * arrays t<K>. */
static void names(struct ccode *c)
{
	const struct nb_tgrad *g = &c->g;
	size_t len;

	c->next = 1;
	for (size_t i = 0; i < g->p->tape.n; i++) {
		if (!g->live[i] || (g->def[i] == NB_TG_NONE &&
				    !nb_tgrad_literal(g, i)))
			continue;
		if (!nb_node_name(g->p, i, &len))
			c->vseq[i] = c->next++;
		if (g->def[i] != NB_TG_NONE)
			c->owner[g->def[i]] = (uint32_t)i + 1;
	}
	for (uint32_t x = 0; x < g->e.n; x++)
		if (c->need[x] && !c->owner[x])
			c->seq[x] = c->next++;
}

int nb_tcode_write_c(FILE *out, const struct nb_program *p, const size_t *wrt,
		     size_t nwrt, int blas, struct nb_diag *d)
{
	struct ccode c;
	size_t n;
	int r;

	memset(&c, 0, sizeof c);
	c.out = out;
	c.blas = blas;
	r = nb_tgrad_build(&c.g, p);
	n = c.g.e.n + 1;
	if (r == 0) {
		c.shape = nb_malloc(n * sizeof *c.shape);
		c.need = nb_malloc(2 * n);
		c.owner = nb_malloc(n * sizeof *c.owner);
		c.seq = nb_malloc(n * sizeof *c.seq);
		c.vseq = nb_malloc((p->tape.n + 1) * sizeof *c.vseq);
		c.alias = nb_malloc(n * sizeof *c.alias);
		r = c.shape && c.need && c.owner && c.seq && c.vseq && c.alias
			    ? 0 : -1;
	}
	for (uint32_t x = 0; r == 0 && x < c.g.e.n; x++)
		if (shape_of(&c, x))
			r = -2;
	if (r == 0) {
		memset(c.need, 0, 2 * n);
		memset(c.owner, 0, n * sizeof *c.owner);
		memset(c.seq, 0, n * sizeof *c.seq);
		memset(c.vseq, 0, (p->tape.n + 1) * sizeof *c.vseq);
		memset(c.alias, 0, n * sizeof *c.alias);
		for (size_t i = 0; i < p->tape.n; i++)
			if (c.g.def[i] != NB_TG_NONE && c.g.twin[i] != c.g.def[i]
			    && !c.alias[c.g.twin[i]])
				c.alias[c.g.twin[i]] = c.g.def[i] + 1;
		mark(&c, c.g.val[p->output]);
		for (size_t w = 0; w < nwrt; w++)
			if (c.g.sum[p->vars[wrt[w]]] != NB_TG_NONE)
				mark(&c, c.g.sum[p->vars[wrt[w]]]);
		names(&c);
		head(&c, wrt, nwrt);
		declarations(&c);
		body(&c, wrt, nwrt);
	}
	ccode_free(&c);
	if (r == -2)
		return nb_error_plain(d, NB_EFAIL, "internal error: a gradient "
				      "of --emit c has no shape");
	return r ? nb_error_plain(d, NB_EFAIL, "out of memory") : 0;
}
