/* tcode_c.c - --emit c for programs with vectors and matrices (tcode.h):
 * the staged passes of tgrad.h as plain C loops over row-major arrays
 * whose sizes are constants.  Every node of the expression graph that
 * the value or a gradient needs is one array, filled by one loop nest:
 * elementwise ops element by element (a broadcast input read at its
 * stretched index), the tensor ops by their textbook loops. */
#include "codegen/tcode.h"

#include <string.h>

#include "codegen/emit.h"
#include "codegen/exprprint.h"
#include "codegen/tgrad.h"
#include "core/alloc.h"
#include "core/tkernel.h"
#include "core/view.h"
#include "num/numfmt.h"

struct ccode {
	struct nb_tgrad g;
	FILE *out;
	struct nb_shape *shape; /* per graph node */
	unsigned char *need;    /* per graph node: computed */
	uint32_t *owner;        /* per graph node: tape node + 1 whose value
				 * it is, or 0 */
	uint32_t *seq;          /* per graph node: K of t<K>; per tape node
				 * in vseq */
	uint32_t *vseq;
	uint32_t *alias;        /* per graph node: the forward value + 1 it
				 * is the twin of, or 0 */
	uint32_t next;
	uint32_t cur;           /* the node being written (elementwise) */
	int blas;               /* matrix products through CBLAS */
};

/* ------------------------------------------------------------------ */
/* Names and references */

static void value_name(struct ccode *c, size_t i)
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
static uint32_t resolve(const struct ccode *c, uint32_t x)
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
static void array_name(struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;

	if (e->op[x] == NB_OP_VAR && e->ref[x] >= c->g.p->tape.n)
		fputs("nb_upstream", c->out);  /* the only gradient leaf left */
	else if (e->op[x] == NB_OP_VAR)
		value_name(c, e->ref[x]);
	else if (c->owner[x])
		value_name(c, c->owner[x] - 1);
	else
		fprintf(c->out, "t%u", (unsigned)c->seq[x]);
}

static size_t size_of(const struct nb_shape *s)
{
	size_t n = 1;

	for (int k = 0; k < s->rank; k++)
		n *= s->dim[k];
	return n;
}

/* x's element at the loop indices i, j of a value of shape out, which x
 * broadcasts to. */
static void element(struct ccode *c, uint32_t x, const struct nb_shape *out)
{
	const struct nb_shape *s;
	int lead;

	x = resolve(c, x);
	if (c->g.e.op[x] == NB_OP_CONST) {
		nb_expr_print_number(c->out, c->g.e.num[x], NB_LANG_C);
		return;
	}
	s = &c->shape[x];
	lead = out->rank - s->rank;
	array_name(c, x);
	if (s->rank == 0)
		fputs("[0]", c->out);
	else if (s->rank == 1)
		fputs(s->dim[0] == 1 ? "[0]" : lead ? "[nb_j]" : "[nb_i]", c->out);
	else
		fprintf(c->out, "[%s * %u + %s]", s->dim[0] == 1 ? "0" : "nb_i",
			(unsigned)s->dim[1], s->dim[1] == 1 ? "0" : "nb_j");
}

static void elem_name(void *ctx, FILE *out, uint32_t x)
{
	struct ccode *c = ctx;

	(void)out;
	element(c, x, &c->shape[c->cur]);
}

static void leaf_elem(void *ctx, FILE *out, uint32_t ref)
{
	(void)ctx;
	(void)out;
	(void)ref;      /* every leaf is named: elem_name prints it */
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
		in[k] = (struct nb_targ){ NULL, c->shape[a], "", NULL };
		if (e->op[a] == NB_OP_CONST)
			in[k].x = &e->num[a];
	}
	return nb_tkernel_shape(op, (int)e->num[x], in, n, &c->shape[x], why);
}

/* ------------------------------------------------------------------ */
/* Loops */

static void open_loops(struct ccode *c, const struct nb_shape *s)
{
	if (s->rank >= 1)
		fprintf(c->out, "\tfor (size_t nb_i = 0; nb_i < %u; nb_i++)\n",
			(unsigned)s->dim[0]);
	if (s->rank == 2)
		fprintf(c->out, "\t\tfor (size_t nb_j = 0; nb_j < %u; nb_j++)\n",
			(unsigned)s->dim[1]);
	fprintf(c->out, "%.*s", s->rank + 1, "\t\t\t");
}

/* x's own index in its loops. */
static void here(struct ccode *c, uint32_t x)
{
	const struct nb_shape *s = &c->shape[x];

	array_name(c, x);
	if (s->rank == 0)
		fputs("[0]", c->out);
	else if (s->rank == 1)
		fputs("[nb_i]", c->out);
	else
		fprintf(c->out, "[nb_i * %u + nb_j]", (unsigned)s->dim[1]);
}

static void elementwise(struct ccode *c, uint32_t x, unsigned char *all)
{
	struct nb_exprnames names = { leaf_elem, elem_name, all, c };

	c->cur = x;
	open_loops(c, &c->shape[x]);
	here(c, x);
	fputs(" = ", c->out);
	nb_expr_print(c->out, &c->g.e, x, NB_LANG_C, &names);
	fputs(";\n", c->out);
}

static uint32_t arg(const struct ccode *c, uint32_t x, size_t k)
{
	return resolve(c, c->g.e.arg[c->g.e.first[x] + k]);
}

/* A scalar argument's value, as C: a number or NAME[0]. */
static void scalar(struct ccode *c, uint32_t a)
{
	if (c->g.e.op[a] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[a], NB_LANG_C);
	else {
		array_name(c, a);
		fputs("[0]", c->out);
	}
}

/* An index argument as a C index into n elements (negative from the
 * end). */
static void index_of(struct ccode *c, uint32_t a, const char *at, size_t n)
{
	fputs("nb_ix(", c->out);
	if (c->g.e.op[a] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[a], NB_LANG_C);
	else {
		array_name(c, a);
		fprintf(c->out, "[%s]", at);
	}
	fprintf(c->out, ", %zu)", n);
}

/* a @ b as one CBLAS call: dgemm, dgemv (b transposed for a vector on
 * the left) or ddot. */
static void blas_matmul(struct ccode *c, uint32_t x)
{
	uint32_t a = arg(c, x, 0), b = arg(c, x, 1);
	const struct nb_shape *sa = &c->shape[a], *sb = &c->shape[b];
	unsigned k = sa->dim[sa->rank - 1];
	unsigned n = sb->rank == 2 ? sb->dim[1] : 1;
	unsigned m = sa->rank == 2 ? sa->dim[0] : 1;
	int left = sa->rank == 2;

	if (sa->rank == 1 && sb->rank == 1) {
		fputs("\t", c->out);
		array_name(c, x);
		fprintf(c->out, "[0] = cblas_ddot(%u, ", k);
		array_name(c, a);
		fputs(", 1, ", c->out);
		array_name(c, b);
		fputs(", 1);\n", c->out);
		return;
	}
	if (sa->rank == 2 && sb->rank == 2)
		fprintf(c->out, "\tcblas_dgemm(CblasRowMajor, CblasNoTrans, "
			"CblasNoTrans, %u, %u, %u, 1.0, ", m, n, k);
	else
		fprintf(c->out, "\tcblas_dgemv(CblasRowMajor, %s, %u, %u, 1.0, ",
			left ? "CblasNoTrans" : "CblasTrans", left ? m : k,
			left ? k : n);
	array_name(c, left ? a : b);
	fprintf(c->out, ", %u, ", left ? k : n);
	array_name(c, left ? b : a);
	if (sb->rank == 2 && sa->rank == 2)
		fprintf(c->out, ", %u, 0.0, ", n);
	else
		fputs(", 1, 0.0, ", c->out);
	array_name(c, x);
	fprintf(c->out, ", %u);\n", sa->rank == 2 && sb->rank == 2 ? n : 1);
}

static void matmul(struct ccode *c, uint32_t x)
{
	if (c->blas) {
		blas_matmul(c, x);
		return;
	}
	uint32_t a = arg(c, x, 0), b = arg(c, x, 1);
	const struct nb_shape *sa = &c->shape[a], *sb = &c->shape[b];
	unsigned k = sa->dim[sa->rank - 1];
	unsigned n = sb->rank == 2 ? sb->dim[1] : 1;
	int in = c->shape[x].rank + 1;  /* the block's indentation */
	const char *tabs = "\t\t\t\t\t";

	open_loops(c, &c->shape[x]);
	fprintf(c->out, "{\n%.*sdouble nb_s = 0;\n\n%.*sfor (size_t nb_p = 0; "
		"nb_p < %u; nb_p++)\n%.*snb_s += ", in + 1, tabs, in + 1, tabs,
		k, in + 2, tabs);
	array_name(c, a);
	if (sa->rank == 2)
		fprintf(c->out, "[nb_i * %u + nb_p] * ", k);
	else
		fputs("[nb_p] * ", c->out);
	array_name(c, b);
	if (sb->rank == 2)      /* the result's last index runs over n */
		fprintf(c->out, "[nb_p * %u + %s];\n", n,
			sa->rank == 1 ? "nb_i" : "nb_j");
	else
		fputs("[nb_p];\n", c->out);
	fprintf(c->out, "%.*s", in + 1, tabs);
	here(c, x);
	fprintf(c->out, " = nb_s;\n%.*s}\n", in, tabs);
}

static void transpose(struct ccode *c, uint32_t x)
{
	uint32_t a = arg(c, x, 0);
	const struct nb_shape *s = &c->shape[x];

	open_loops(c, s);
	here(c, x);
	fputs(" = ", c->out);
	array_name(c, a);
	if (s->rank == 2)
		fprintf(c->out, "[nb_j * %u + nb_i];\n", (unsigned)s->dim[0]);
	else
		fputs(s->rank ? "[nb_i];\n" : "[0];\n", c->out);
}

/* eye(n)[i], eye(n)[ids]: the rows of the identity, without it (an
 * embedding table's gradient would otherwise build an n x n matrix). */
static int unit_rows(const struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;

	return e->op[x] == NB_OP_INDEX && nb_expr_nargs(e, x) == 2 &&
	       e->op[e->arg[e->first[x]]] == NB_OP_EYE;
}

/* x[i], x[ids], X[i], X[ids], X[i, j]. */
static void gather(struct ccode *c, uint32_t x)
{
	uint32_t a = arg(c, x, 0), i = arg(c, x, 1);
	const struct nb_shape *sa = &c->shape[a], *si = &c->shape[i];
	size_t n = nb_expr_nargs(&c->g.e, x);

	open_loops(c, &c->shape[x]);
	here(c, x);
	fputs(" = ", c->out);
	if (unit_rows(c, x)) {
		fputs("(size_t)", c->out);
		index_of(c, i, si->rank ? "nb_i" : "0", sa->dim[0]);
		fputs(si->rank ? " == nb_j;\n" : " == nb_i;\n", c->out);
		return;
	}
	array_name(c, a);
	fputc('[', c->out);
	if (n == 3) {           /* X[i, j] */
		index_of(c, i, "0", sa->dim[0]);
		fprintf(c->out, " * %u + ", (unsigned)sa->dim[1]);
		index_of(c, arg(c, x, 2), "0", sa->dim[1]);
	} else {
		index_of(c, i, si->rank ? "nb_i" : "0", sa->dim[0]);
		if (sa->rank == 2)
			fprintf(c->out, " * %u + %s", (unsigned)sa->dim[1],
				si->rank ? "nb_j" : "nb_i");
	}
	fputs("];\n", c->out);
}

static void stack(struct ccode *c, uint32_t x)
{
	size_t n = nb_expr_nargs(&c->g.e, x);
	const struct nb_shape *s = &c->shape[x];

	for (size_t k = 0; k < n; k++) {
		uint32_t a = arg(c, x, k);
		if (s->rank == 2)
			fprintf(c->out, "\tfor (size_t nb_j = 0; nb_j < %u; nb_j++)\n\t\t",
				(unsigned)s->dim[1]);
		else
			fputc('\t', c->out);
		array_name(c, x);
		if (s->rank == 2)
			fprintf(c->out, "[%zu * %u + nb_j] = ", k,
				(unsigned)s->dim[1]);
		else
			fprintf(c->out, "[%zu] = ", k);
		if (c->g.e.op[a] == NB_OP_CONST)
			scalar(c, a);
		else {
			array_name(c, a);
			fputs(s->rank == 2 ? "[nb_j]" : "[0]", c->out);
		}
		fputs(";\n", c->out);
	}
}

/* The lines of a value of shape s along axis ax (-1: all elements):
 * line l starts at element base(l) and has len elements stride apart. */
struct lines {
	size_t count, len, stride, step; /* base(l) = l * step */
};

static struct lines lines_of(const struct nb_shape *s, int ax)
{
	size_t all = size_of(s);

	if (ax < 0 || s->rank < 2)
		return (struct lines){ 1, all, 1, 0 };
	if (ax == 1)
		return (struct lines){ s->dim[0], s->dim[1], 1, s->dim[1] };
	return (struct lines){ s->dim[1], s->dim[0], s->dim[1], 1 };
}

/* The axis of a reduction or softmax node x over its input a: -1 for
 * all (softmax: the last axis by default). */
static int axis_of(const struct ccode *c, uint32_t x, uint32_t a)
{
	enum nb_op op = (enum nb_op)c->g.e.op[x];
	int r = c->shape[a].rank;
	int ax = nb_axis_of_attr((int32_t)c->g.e.num[x], r);

	if (ax == -1 && (op == NB_OP_SOFTMAX || op == NB_OP_LOG_SOFTMAX))
		ax = r - 1;
	return r < 2 ? -1 : ax;
}

/* Opens the loop over the lines, names the line's elements nb_x[p] and
 * declares its extreme nb_m and its sum nb_s as asked. */
static void open_line(struct ccode *c, uint32_t a, struct lines ln, int m,
		      int sum)
{
	fprintf(c->out, "\tfor (size_t nb_l = 0; nb_l < %zu; nb_l++) {\n"
		"\t\tconst double *nb_x = ", ln.count);
	array_name(c, a);
	fprintf(c->out, " + nb_l * %zu;\n", ln.step);
	if (m)
		fputs("\t\tdouble nb_m = nb_x[0];\n", c->out);
	if (sum)
		fputs("\t\tdouble nb_s = 0;\n", c->out);
	fputc('\n', c->out);
}

#define AT "nb_x[nb_p * %zu]"

/* sum, mean, max, min, logsumexp along an axis or over all. */
static void reduce(struct ccode *c, uint32_t x)
{
	enum nb_op op = (enum nb_op)c->g.e.op[x];
	uint32_t a = arg(c, x, 0);
	struct lines ln = lines_of(&c->shape[a], axis_of(c, x, a));
	const char *loop = "\t\tfor (size_t nb_p = 0; nb_p < %zu; nb_p++)\n\t\t\t";

	open_line(c, a, ln, op == NB_OP_RMAX || op == NB_OP_RMIN ||
		  op == NB_OP_LOGSUMEXP, op != NB_OP_RMAX && op != NB_OP_RMIN);
	fprintf(c->out, loop, ln.len);
	switch (op) {
	case NB_OP_RMAX: case NB_OP_RMIN:
		fprintf(c->out, "if (" AT " %c nb_m)\n\t\t\t\tnb_m = " AT ";\n",
			ln.stride, op == NB_OP_RMAX ? '>' : '<', ln.stride);
		break;
	case NB_OP_LOGSUMEXP:
		fprintf(c->out, "if (" AT " > nb_m)\n\t\t\t\tnb_m = " AT ";\n",
			ln.stride, ln.stride);
		fprintf(c->out, loop, ln.len);
		fprintf(c->out, "nb_s += exp(" AT " - nb_m);\n", ln.stride);
		break;
	default:
		fprintf(c->out, "nb_s += " AT ";\n", ln.stride);
		break;
	}
	fputs("\t\t", c->out);
	array_name(c, x);
	fputs(op == NB_OP_RMAX || op == NB_OP_RMIN ? "[nb_l] = nb_m;\n"
	      : op == NB_OP_LOGSUMEXP ? "[nb_l] = nb_m + log(nb_s);\n"
	      : op == NB_OP_RMEAN ? "[nb_l] = nb_s / " : "[nb_l] = nb_s;\n", c->out);
	if (op == NB_OP_RMEAN)
		fprintf(c->out, "%zu;\n", ln.len);
	fputs("\t}\n", c->out);
}

static void softmax(struct ccode *c, uint32_t x)
{
	uint32_t a = arg(c, x, 0);
	struct lines ln = lines_of(&c->shape[a], axis_of(c, x, a));
	const char *loop = "\t\tfor (size_t nb_p = 0; nb_p < %zu; nb_p++)\n\t\t\t";

	open_line(c, a, ln, 1, 1);
	fprintf(c->out, loop, ln.len);
	fprintf(c->out, "if (" AT " > nb_m)\n\t\t\t\tnb_m = " AT ";\n", ln.stride,
		ln.stride);
	fprintf(c->out, loop, ln.len);
	fprintf(c->out, "nb_s += exp(" AT " - nb_m);\n", ln.stride);
	fprintf(c->out, loop, ln.len);
	array_name(c, x);
	fprintf(c->out, "[nb_l * %zu + nb_p * %zu] = ", ln.step, ln.stride);
	if (c->g.e.op[x] == NB_OP_SOFTMAX)
		fprintf(c->out, "exp(" AT " - nb_m) / nb_s;\n\t}\n", ln.stride);
	else
		fprintf(c->out, "(" AT " - nb_m) - log(nb_s);\n\t}\n", ln.stride);
}

/* norm, dot, trace: one sum. */
static void total(struct ccode *c, uint32_t x)
{
	enum nb_op op = (enum nb_op)c->g.e.op[x];
	uint32_t a = arg(c, x, 0);
	const struct nb_shape *s = &c->shape[a];
	size_t n = op == NB_OP_TRACE ? s->dim[0] : size_of(s);

	fprintf(c->out, "\t{\n\t\tdouble nb_s = 0;\n\n\t\tfor (size_t nb_p = 0; "
		"nb_p < %zu; nb_p++)\n\t\t\tnb_s += ", n);
	array_name(c, a);
	if (op == NB_OP_TRACE)
		fprintf(c->out, "[nb_p * %zu + nb_p];\n", n);
	else if (op == NB_OP_DOT) {
		fputs("[nb_p] * ", c->out);
		array_name(c, arg(c, x, 1));
		fputs("[nb_p];\n", c->out);
	} else {
		fputs("[nb_p] * ", c->out);
		array_name(c, a);
		fputs("[nb_p];\n", c->out);
	}
	fputs("\t\t", c->out);
	array_name(c, x);
	fputs(op == NB_OP_NORM ? "[0] = sqrt(nb_s);\n\t}\n" : "[0] = nb_s;\n\t}\n",
	      c->out);
}

static void outer(struct ccode *c, uint32_t x)
{
	open_loops(c, &c->shape[x]);
	here(c, x);
	fputs(" = ", c->out);
	array_name(c, arg(c, x, 0));
	fputs("[nb_i] * ", c->out);
	array_name(c, arg(c, x, 1));
	fputs("[nb_j];\n", c->out);
}

/* zeros, ones, eye, onehot. */
static void make(struct ccode *c, uint32_t x)
{
	enum nb_op op = (enum nb_op)c->g.e.op[x];

	open_loops(c, &c->shape[x]);
	here(c, x);
	if (op == NB_OP_ZEROS || op == NB_OP_ONES)
		fputs(op == NB_OP_ZEROS ? " = 0;\n" : " = 1;\n", c->out);
	else if (op == NB_OP_EYE)
		fputs(" = nb_i == nb_j;\n", c->out);
	else {
		fputs(" = (size_t)", c->out);
		index_of(c, arg(c, x, 0), "0", c->shape[x].dim[0]);
		fputs(" == nb_i;\n", c->out);
	}
}

static void statement(struct ccode *c, uint32_t x, unsigned char *all)
{
	switch ((enum nb_op)c->g.e.op[x]) {
	case NB_OP_MATMUL: matmul(c, x); break;
	case NB_OP_TRANSPOSE: transpose(c, x); break;
	case NB_OP_INDEX: gather(c, x); break;
	case NB_OP_STACK: stack(c, x); break;
	case NB_OP_RSUM: case NB_OP_RMEAN: case NB_OP_RMAX: case NB_OP_RMIN:
	case NB_OP_LOGSUMEXP:
		reduce(c, x);
		break;
	case NB_OP_SOFTMAX: case NB_OP_LOG_SOFTMAX: softmax(c, x); break;
	case NB_OP_NORM: case NB_OP_DOT: case NB_OP_TRACE: total(c, x); break;
	case NB_OP_OUTER: outer(c, x); break;
	case NB_OP_ZEROS: case NB_OP_ONES: case NB_OP_EYE: case NB_OP_ONEHOT:
		make(c, x);
		break;
	default:
		elementwise(c, x, all);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The function */

static void mark(struct ccode *c, uint32_t x)
{
	const struct nb_expr *e = &c->g.e;

	x = resolve(c, x);
	if (c->need[x])
		return;
	c->need[x] = 1;
	for (uint32_t k = e->first[x] + (uint32_t)unit_rows(c, x);
	     k < e->first[x + 1]; k++)
		mark(c, e->arg[k]);
}

static uint32_t out_node(const struct ccode *c)
{
	return resolve(c, c->g.val[c->g.p->output]);
}

static void param(struct ccode *c, const char *pre, const char *prefix,
		  size_t node)
{
	fputs(pre, c->out);
	fputs(prefix, c->out);
	value_name(c, node);
	fprintf(c->out, "[%zu]", size_of(&c->g.p->tape.tv->shape[node]));
}

/* OUT(const double IN[n], ..., [const double grad_OUT[n], double
 * nb_value[n],] double grad_IN[n], ...) */
static void signature(struct ccode *c, const size_t *wrt, size_t nwrt)
{
	const struct nb_program *p = c->g.p;
	size_t len, outsize = size_of(&p->tape.tv->shape[p->output]);
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
	size_t n = size_of(&v.shape);
	char buf[NB_NUMBUF];

	fputs("\tstatic const double ", c->out);
	value_name(c, i);
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
			array_name(c, x);
			fprintf(c->out, "[%zu];\n", size_of(&c->shape[x]));
		}
	fputc('\n', c->out);
}

/* dst[...] = node x (a number, or an array of the same size). */
static void copy(struct ccode *c, const char *dst, size_t node, uint32_t x,
		 size_t n)
{
	fprintf(c->out, "\tfor (size_t nb_i = 0; nb_i < %zu; nb_i++)\n\t\t%s", n, dst);
	if (node != SIZE_MAX)
		value_name(c, node);
	fputs("[nb_i] = ", c->out);
	if (x == NB_TG_NONE)
		fputs("0", c->out);
	else if (c->g.e.op[x] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[x], NB_LANG_C);
	else {
		array_name(c, x);
		fputs(size_of(&c->shape[x]) == 1 ? "[0]" : "[nb_i]", c->out);
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
			value_name(c, p->vars[w]);
			fputs(";\n", c->out);
		}
	if (c->g.upstream && !c->need[c->g.sum[p->output]])
		fputs("\t(void)nb_upstream;\n", c->out);
	for (uint32_t x = 0; x < c->g.e.n; x++)
		if (c->need[x] && c->g.e.op[x] != NB_OP_VAR &&
		    c->g.e.op[x] != NB_OP_CONST)
			statement(c, x, all);
	for (size_t w = 0; w < nwrt; w++) {
		uint32_t node = p->vars[wrt[w]], s = c->g.sum[node];
		copy(c, "grad_", node, s == NB_TG_NONE ? s : resolve(c, s),
		     size_of(&p->tape.tv->shape[node]));
	}
	if (p->tape.tv->shape[p->output].rank) {
		copy(c, "nb_value", SIZE_MAX, out,
		     size_of(&p->tape.tv->shape[p->output]));
		fputs("}\n", c->out);
		return;
	}
	fputs("\treturn ", c->out);
	if (c->g.e.op[out] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[out], NB_LANG_C);
	else {
		array_name(c, out);
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
