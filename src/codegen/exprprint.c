/* exprprint.c - expressions as nabla, C or Python text. */
#include "codegen/exprprint.h"

#include <math.h>
#include <string.h>

#include "num/numfmt.h"

struct printer {
	FILE *out;
	const struct nb_expr *e;
	enum nb_lang lang;
	const struct nb_exprnames *names;
};

/* Precedence, loosest to tightest: 1 + -, 2 * /, 3 prefix - +, 4 ^ (as
 * an operator: nabla only), 5 calls, names and positive numbers. */
static int level(const struct printer *pr, uint32_t i, int top)
{
	const struct nb_expr *e = pr->e;

	if (!top && pr->names->named && pr->names->named[i])
		return 5;
	switch (e->op[i]) {
	case NB_OP_CONST: return signbit(e->num[i]) ? 3 : 5;
	case NB_OP_ADD: case NB_OP_SUB: return 1;
	case NB_OP_MUL: case NB_OP_DIV: return 2;
	case NB_OP_NEG: case NB_OP_POS: return 3;
	case NB_OP_POW: return pr->lang == NB_LANG_NABLA ? 4 : 5;
	case NB_OP_MATMUL: return pr->lang == NB_LANG_NABLA ? 2 : 5;
	case NB_OP_SUM: case NB_OP_MEAN:
		/* C and Python write them as sums */
		return pr->lang == NB_LANG_NABLA ? 5 : 1 + (e->op[i] == NB_OP_MEAN);
	default: return 5;
	}
}

void nb_expr_print_number(FILE *out, double v, enum nb_lang lang)
{
	char buf[NB_NUMBUF];

	nb_fmt_exact(buf, v);
	fputs(buf, out);
	if (lang != NB_LANG_NABLA && !strpbrk(buf, ".e"))
		fputs(".0", out);
}

static void node(struct printer *pr, uint32_t i, int top);

static void wrapped(struct printer *pr, uint32_t i, int parens)
{
	if (parens)
		fputc('(', pr->out);
	node(pr, i, 0);
	if (parens)
		fputc(')', pr->out);
}

static uint32_t arg(const struct printer *pr, uint32_t i, size_t k)
{
	return pr->e->arg[pr->e->first[i] + k];
}

/* a OP b for the left-associative operators of level l. */
static void infix(struct printer *pr, uint32_t i, const char *sym, int l)
{
	uint32_t a = arg(pr, i, 0), b = arg(pr, i, 1);

	wrapped(pr, a, level(pr, a, 0) < l);
	fprintf(pr->out, " %s ", sym);
	wrapped(pr, b, level(pr, b, 0) <= l);
}

/* The function's name in NumPy: np.NAME, or a helper of the emitted
 * code (nb_NAME) where NumPy has none that follows nabla's rules. */
static const char *numpy_callee(const struct printer *pr, enum nb_op op)
{
	static const char *const np_names[][2] = {
		{ "asin", "np.arcsin" }, { "acos", "np.arccos" },
		{ "max", "np.maximum" }, { "min", "np.minimum" },
		{ "atan", "np.arctan" }, { "atan2", "np.arctan2" },
		{ "pow", "np.power" }, { "norm", "np.linalg.norm" },
		{ "sigmoid", "nb_sigmoid" }, { "relu", "nb_relu" },
		{ "softplus", "nb_softplus" }, { "mul0", "nb_mul0" },
		{ "step", "nb_step" }, { "eq", "nb_eq" },
		{ "logsumexp", "nb_logsumexp" }, { "softmax", "nb_softmax" },
		{ "log_softmax", "nb_log_softmax" },
	};
	const char *fn = nb_ops[op].fn;

	/* the reductions share their names with the n-ary ops */
	if (op == NB_OP_RMAX || op == NB_OP_RMIN)
		return op == NB_OP_RMAX ? "np.max" : "np.min";
	for (size_t k = 0; k < sizeof np_names / sizeof np_names[0]; k++)
		if (strcmp(fn, np_names[k][0]) == 0)
			return np_names[k][1];
	fputs("np.", pr->out);
	return fn;
}

/* The function's name in the target language. */
static const char *callee(const struct printer *pr, enum nb_op op)
{
	static const char *const c_helpers[][2] = {
		{ "abs", "fabs" }, { "sigmoid", "nb_sigmoid" },
		{ "tanh", "nb_tanh" },
		{ "relu", "nb_relu" }, { "softplus", "nb_softplus" },
		{ "sign", "nb_sign" }, { "max", "nb_max" }, { "min", "nb_min" },
		{ "mul0", "nb_mul0" }, { "step", "nb_step" }, { "eq", "nb_eq" },
	};
	static const char *const py_helpers[][2] = {
		{ "sigmoid", "nb_sigmoid" }, { "tanh", "nb_tanh" },
		{ "relu", "nb_relu" },
		{ "softplus", "nb_softplus" }, { "sign", "nb_sign" },
		{ "cbrt", "nb_cbrt" }, { "abs", "abs" }, { "max", "max" },
		{ "min", "min" }, { "pow", "math.pow" }, { "mul0", "nb_mul0" },
		{ "step", "nb_step" }, { "eq", "nb_eq" },
	};
	const char *fn = nb_ops[op].fn;

	if (pr->lang == NB_LANG_NUMPY)
		return numpy_callee(pr, op);
	if (pr->lang == NB_LANG_C) {
		for (size_t k = 0; k < sizeof c_helpers / sizeof c_helpers[0]; k++)
			if (strcmp(fn, c_helpers[k][0]) == 0)
				return c_helpers[k][1];
	} else if (pr->lang == NB_LANG_PYTHON) {
		for (size_t k = 0; k < sizeof py_helpers / sizeof py_helpers[0];
		     k++)
			if (strcmp(fn, py_helpers[k][0]) == 0)
				return py_helpers[k][1];
		fputs("math.", pr->out);
	}
	return fn;
}

/* A tensor op's axis=A, kept in num (expr.h): A + 1, or A < 0. */
static void axis(struct printer *pr, uint32_t i)
{
	int32_t a = (int32_t)pr->e->num[i];

	if (nb_op_is_tensor((enum nb_op)pr->e->op[i]) && a != 0)
		fprintf(pr->out, ", axis=%d", (int)(a > 0 ? a - 1 : a));
}

/* fn(a, b, ...); C's max and min take two arguments: nested calls.  A
 * node tagged NB_EXPR_LOCAL calls the helper of op's local gradient. */
static void call(struct printer *pr, uint32_t i)
{
	enum nb_op op = (enum nb_op)pr->e->op[i];
	size_t n = nb_expr_nargs(pr->e, i);
	int binary = (pr->lang == NB_LANG_C || pr->lang == NB_LANG_NUMPY) &&
		     n > 2;
	int local = pr->e->ref[i] == NB_EXPR_LOCAL;
	const char *fn = local ? nb_ops[op].fn : callee(pr, op);

	for (size_t k = 1; binary && k < n - 1; k++)
		fprintf(pr->out, "%s(", fn);
	fprintf(pr->out, "%s%s(", local ? "nb_d" : "", fn);
	for (size_t k = 0; k < n; k++) {
		if (k)
			fputs(binary && k > 1 ? "), " : ", ", pr->out);
		node(pr, arg(pr, i, k), 0);
	}
	axis(pr, i);
	fputc(')', pr->out);
}

/* Whether node i can take a postfix .T or [...] without parentheses. */
static int primary(const struct printer *pr, uint32_t i)
{
	return level(pr, i, 0) == 5 && pr->e->op[i] != NB_OP_CONST;
}

static void operand(struct printer *pr, uint32_t i)
{
	wrapped(pr, i, !primary(pr, i));
}

/* An index: NumPy takes integers (nb_ix converts). */
static void index_arg(struct printer *pr, uint32_t i)
{
	if (pr->lang != NB_LANG_NUMPY)
		node(pr, i, 0);
	else if (pr->e->op[i] == NB_OP_CONST)
		fprintf(pr->out, "%.0f", pr->e->num[i]);
	else {
		fputs("nb_ix(", pr->out);
		node(pr, i, 0);
		fputc(')', pr->out);
	}
}

/* The arguments, ", " apart; as integers (sizes) if ints. */
static void list(struct printer *pr, uint32_t i, int ints)
{
	for (size_t k = 0, n = nb_expr_nargs(pr->e, i); k < n; k++) {
		if (k)
			fputs(", ", pr->out);
		if (ints)
			index_arg(pr, arg(pr, i, k));
		else
			node(pr, arg(pr, i, k), 0);
	}
}

/* The tensor ops (TOP rows of ops.def) in nabla and NumPy; 0 when op
 * is a plain call in both. */
static int tensor(struct printer *pr, uint32_t i, enum nb_op op)
{
	int np = pr->lang == NB_LANG_NUMPY;
	size_t n = nb_expr_nargs(pr->e, i);

	switch (op) {
	case NB_OP_MATMUL:
		if (!np) {
			infix(pr, i, "@", 2);
			return 1;
		}
		operand(pr, arg(pr, i, 0));
		fputs(".dot(", pr->out);
		node(pr, arg(pr, i, 1), 0);
		fputc(')', pr->out);
		return 1;
	case NB_OP_TRANSPOSE:
		operand(pr, arg(pr, i, 0));
		fputs(".T", pr->out);
		return 1;
	case NB_OP_INDEX:
		if (np && n == 2 && pr->e->op[arg(pr, i, 0)] == NB_OP_EYE) {
			/* eye(n)[i]: rows of the identity, without it */
			fputs("nb_unit(", pr->out);
			node(pr, arg(pr, i, 1), 0);
			fputs(", ", pr->out);
			index_arg(pr, arg(pr, arg(pr, i, 0), 0));
			fputc(')', pr->out);
			return 1;
		}
		operand(pr, arg(pr, i, 0));
		fputc('[', pr->out);
		for (size_t k = 1; k < n; k++) {
			fputs(k > 1 ? ", " : "", pr->out);
			index_arg(pr, arg(pr, i, k));
		}
		fputc(']', pr->out);
		return 1;
	case NB_OP_STACK:
		fputs(np ? "np.array([" : "[", pr->out);
		list(pr, i, 0);
		fputs(np ? "])" : "]", pr->out);
		return 1;
	case NB_OP_ZEROS: case NB_OP_ONES:
		if (!np)
			return 0;
		fprintf(pr->out, "np.%s((", nb_ops[op].fn);
		list(pr, i, 1);
		fputs(n == 1 ? ",))" : "))", pr->out);
		return 1;
	case NB_OP_ONEHOT:
		if (!np)
			return 0;
		fputs("np.eye(", pr->out);
		index_arg(pr, arg(pr, i, 1));
		fputs(")[", pr->out);
		index_arg(pr, arg(pr, i, 0));
		fputc(']', pr->out);
		return 1;
	case NB_OP_EYE:
		if (!np)
			return 0;
		fputs("np.eye(", pr->out);
		index_arg(pr, arg(pr, i, 0));
		fputc(')', pr->out);
		return 1;
	default:
		return 0;
	}
}

/* sum and mean in C and Python: (a + b + ...) [/ n]. */
static void sum(struct printer *pr, uint32_t i)
{
	size_t n = nb_expr_nargs(pr->e, i);
	int mean = pr->e->op[i] == NB_OP_MEAN;

	if (mean)
		fputc('(', pr->out);
	for (size_t k = 0; k < n; k++) {
		uint32_t a = arg(pr, i, k);
		if (k)
			fputs(" + ", pr->out);
		wrapped(pr, a, k > 0 && level(pr, a, 0) <= 1);
	}
	if (mean) {
		fputs(") / ", pr->out);
		nb_expr_print_number(pr->out, (double)n, pr->lang);
	}
}

/* -a; -(a * b) is written -a * b, which is the same number. */
static void negation(struct printer *pr, uint32_t i)
{
	uint32_t a = arg(pr, i, 0);
	enum nb_op op = (enum nb_op)pr->e->op[a];

	fputc('-', pr->out);
	if ((op == NB_OP_MUL || op == NB_OP_DIV) && level(pr, a, 0) == 2) {
		uint32_t l = arg(pr, a, 0), r = arg(pr, a, 1);
		wrapped(pr, l, level(pr, l, 0) < 3);
		fputs(op == NB_OP_MUL ? " * " : " / ", pr->out);
		wrapped(pr, r, level(pr, r, 0) <= 2);
		return;
	}
	wrapped(pr, a, level(pr, a, 0) < 3);
}

static void node(struct printer *pr, uint32_t i, int top)
{
	const struct nb_expr *e = pr->e;
	enum nb_op op = (enum nb_op)e->op[i];

	if (!top && pr->names->named && pr->names->named[i]) {
		pr->names->temp(pr->names->ctx, pr->out, i);
		return;
	}
	switch (op) {
	case NB_OP_VAR:
		pr->names->leaf(pr->names->ctx, pr->out, e->ref[i]);
		return;
	case NB_OP_CONST:
		nb_expr_print_number(pr->out, e->num[i], pr->lang);
		return;
	case NB_OP_ADD: infix(pr, i, "+", 1); return;
	case NB_OP_SUB: infix(pr, i, "-", 1); return;
	case NB_OP_MUL: infix(pr, i, "*", 2); return;
	case NB_OP_DIV: infix(pr, i, "/", 2); return;
	case NB_OP_NEG: negation(pr, i); return;
	case NB_OP_POS:
		fputc('+', pr->out);
		wrapped(pr, arg(pr, i, 0), level(pr, arg(pr, i, 0), 0) < 3);
		return;
	case NB_OP_POW:
		if (pr->lang == NB_LANG_NABLA) {
			uint32_t a = arg(pr, i, 0), b = arg(pr, i, 1);
			wrapped(pr, a, level(pr, a, 0) <= 4);
			fputc('^', pr->out);
			wrapped(pr, b, level(pr, b, 0) < 3);
			return;
		}
		break;
	case NB_OP_SUM: case NB_OP_MEAN:
		if (pr->lang != NB_LANG_NABLA) {
			sum(pr, i);
			return;
		}
		break;
	default:
		if (nb_op_is_tensor(op) && tensor(pr, i, op))
			return;
		break;
	}
	call(pr, i);
}

void nb_expr_print(FILE *out, const struct nb_expr *e, uint32_t i,
		   enum nb_lang lang, const struct nb_exprnames *names)
{
	struct printer pr = { out, e, lang, names };

	node(&pr, i, 1);
}
