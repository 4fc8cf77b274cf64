/* tcode_cloop.c - the loop nests of --emit c (tcode_c.h): one per node
 * of the expression graph, elementwise ops element by element (a
 * broadcast input read at its stretched index), @ as three loops or one
 * CBLAS call, reductions and softmax along their lines, gathers, array
 * literals and the constructors. */
#include "codegen/tcode_c.h"

#include "codegen/exprprint.h"

/* x's element at the loop indices i, j of a value of shape out, which x
 * broadcasts to. */
static void element(struct ccode *c, uint32_t x, const struct nb_shape *out)
{
	const struct nb_shape *s;
	int lead;

	x = nb_cc_resolve(c, x);
	if (c->g.e.op[x] == NB_OP_CONST) {
		nb_expr_print_number(c->out, c->g.e.num[x], NB_LANG_C);
		return;
	}
	s = &c->shape[x];
	lead = out->rank - s->rank;
	nb_cc_array_name(c, x);
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

	nb_cc_array_name(c, x);
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
	return nb_cc_resolve(c, c->g.e.arg[c->g.e.first[x] + k]);
}

/* A scalar argument's value, as C: a number or NAME[0]. */
static void scalar(struct ccode *c, uint32_t a)
{
	if (c->g.e.op[a] == NB_OP_CONST)
		nb_expr_print_number(c->out, c->g.e.num[a], NB_LANG_C);
	else {
		nb_cc_array_name(c, a);
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
		nb_cc_array_name(c, a);
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
		nb_cc_array_name(c, x);
		fprintf(c->out, "[0] = cblas_ddot(%u, ", k);
		nb_cc_array_name(c, a);
		fputs(", 1, ", c->out);
		nb_cc_array_name(c, b);
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
	nb_cc_array_name(c, left ? a : b);
	fprintf(c->out, ", %u, ", left ? k : n);
	nb_cc_array_name(c, left ? b : a);
	if (sb->rank == 2 && sa->rank == 2)
		fprintf(c->out, ", %u, 0.0, ", n);
	else
		fputs(", 1, 0.0, ", c->out);
	nb_cc_array_name(c, x);
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
	nb_cc_array_name(c, a);
	if (sa->rank == 2)
		fprintf(c->out, "[nb_i * %u + nb_p] * ", k);
	else
		fputs("[nb_p] * ", c->out);
	nb_cc_array_name(c, b);
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
	nb_cc_array_name(c, a);
	if (s->rank == 2)
		fprintf(c->out, "[nb_j * %u + nb_i];\n", (unsigned)s->dim[0]);
	else
		fputs(s->rank ? "[nb_i];\n" : "[0];\n", c->out);
}

/* eye(n)[i], eye(n)[ids]: the rows of the identity, without it (an
 * embedding table's gradient would otherwise build an n x n matrix). */
int nb_cc_unit_rows(const struct ccode *c, uint32_t x)
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
	if (nb_cc_unit_rows(c, x)) {
		fputs("(size_t)", c->out);
		index_of(c, i, si->rank ? "nb_i" : "0", sa->dim[0]);
		fputs(si->rank ? " == nb_j;\n" : " == nb_i;\n", c->out);
		return;
	}
	nb_cc_array_name(c, a);
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
		nb_cc_array_name(c, x);
		if (s->rank == 2)
			fprintf(c->out, "[%zu * %u + nb_j] = ", k,
				(unsigned)s->dim[1]);
		else
			fprintf(c->out, "[%zu] = ", k);
		if (c->g.e.op[a] == NB_OP_CONST)
			scalar(c, a);
		else {
			nb_cc_array_name(c, a);
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
	size_t all = nb_cc_size(s);

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
	nb_cc_array_name(c, a);
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
	nb_cc_array_name(c, x);
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
	nb_cc_array_name(c, x);
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
	size_t n = op == NB_OP_TRACE ? s->dim[0] : nb_cc_size(s);

	fprintf(c->out, "\t{\n\t\tdouble nb_s = 0;\n\n\t\tfor (size_t nb_p = 0; "
		"nb_p < %zu; nb_p++)\n\t\t\tnb_s += ", n);
	nb_cc_array_name(c, a);
	if (op == NB_OP_TRACE)
		fprintf(c->out, "[nb_p * %zu + nb_p];\n", n);
	else if (op == NB_OP_DOT) {
		fputs("[nb_p] * ", c->out);
		nb_cc_array_name(c, arg(c, x, 1));
		fputs("[nb_p];\n", c->out);
	} else {
		fputs("[nb_p] * ", c->out);
		nb_cc_array_name(c, a);
		fputs("[nb_p];\n", c->out);
	}
	fputs("\t\t", c->out);
	nb_cc_array_name(c, x);
	fputs(op == NB_OP_NORM ? "[0] = sqrt(nb_s);\n\t}\n" : "[0] = nb_s;\n\t}\n",
	      c->out);
}

static void outer(struct ccode *c, uint32_t x)
{
	open_loops(c, &c->shape[x]);
	here(c, x);
	fputs(" = ", c->out);
	nb_cc_array_name(c, arg(c, x, 0));
	fputs("[nb_i] * ", c->out);
	nb_cc_array_name(c, arg(c, x, 1));
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

void nb_cc_statement(struct ccode *c, uint32_t x, unsigned char *all)
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
