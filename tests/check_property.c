/* check_property.c - random expressions and programs: reverse-mode
 * gradients against central differences.
 *
 * A fixed-seed PRNG builds random trees over every op of the table (the
 * variadic ones with 2 to 5 arguments), with forks (variables used many
 * times), repeated subexpressions (a subtree printed twice), named
 * intermediates, unused intermediates and constant assignments that bind
 * inputs.  Each tree is printed as program text, with the fewest
 * parentheses SPEC section 1's precedence allows (plus some extra ones,
 * random spaces, newlines, backslash-newlines and comments where the
 * grammar allows them), and goes through the real parser.
 *
 * Everything nabla computes is compared with this file's own evaluator of
 * the tree, written from the SPEC's function list: the output value,
 * and every partial derivative against a central difference of that
 * evaluator.  Points are drawn so that every function stays in its
 * domain: arguments of log, sqrt, asin, ... pass through wrappers that
 * keep them in range (log(abs(e) + 0.5), asin(tanh(e) * 0.9), ...), and a
 * point is rejected and redrawn when any node is non-finite or large, or
 * near a kink (relu, abs, floor, max at a near-tie, atan2's branch cut,
 * ...), where no finite difference is meaningful.
 *
 * At each point the derivative modes are checked against reverse mode:
 * forward mode (one tangent sweep per input) gives the same partials to
 * rounding; a tangent sweep along a random direction d gives grad f . d;
 * the Hessian (forward over reverse) is symmetric and matches central
 * differences of reverse mode's gradient; and a Hessian-vector product
 * along a random v is H.v.  The program --symbolic prints for each case,
 * read back by nabla's parser and evaluated at the point, must give
 * reverse mode's gradient.
 *
 * Each loop iteration of a test runs CASES cases from its own seed and
 * reports its counts on stderr (the .log file). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen/symbolic.h"
#include "core/compile.h"
#include "core/hessian.h"
#include "core/program.h"
#include "core/sweep.h"
#include "core/tangent.h"
#include "modes/gradcheck.h"
#include "testmain.h"
#include "testrand.h"

#define CASES 400      /* cases per loop iteration */
#define ITERS 8        /* loop iterations per test */
#define POINTS 2       /* points per case */
#define MAXNODES 600
#define MAXSTMT 10
#define NVARS 4
#define MAXTEXT 6000
#define BIG 1e4        /* largest |value| of any node at an accepted point */

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, fixed seeds, so every run tests the same cases. */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return splitmix64(&rng_state);
}

static int below(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static int chance(int percent)
{
	return below(100) < percent;
}

static double uniform(double lo, double hi)
{
	return lo + (hi - lo) * (double)(rnd() >> 11) * 0x1.0p-53;
}

/* ------------------------------------------------------------------ */
/* The reference: each op's value, from the SPEC's definitions, written
 * independently of src/ops.def. */

static int ref_known(int op)
{
	switch (op) {
	case NB_OP_ADD: case NB_OP_SUB: case NB_OP_MUL: case NB_OP_DIV:
	case NB_OP_POW: case NB_OP_NEG: case NB_OP_POS: case NB_OP_EXP:
	case NB_OP_LOG: case NB_OP_LOG2: case NB_OP_LOG10: case NB_OP_LOG1P:
	case NB_OP_EXPM1: case NB_OP_SQRT: case NB_OP_CBRT: case NB_OP_SIN:
	case NB_OP_COS: case NB_OP_TAN: case NB_OP_ASIN: case NB_OP_ACOS:
	case NB_OP_ATAN: case NB_OP_SINH: case NB_OP_COSH: case NB_OP_TANH:
	case NB_OP_SIGMOID: case NB_OP_RELU: case NB_OP_SOFTPLUS:
	case NB_OP_ABS: case NB_OP_SIGN: case NB_OP_FLOOR: case NB_OP_CEIL:
	case NB_OP_ATAN2: case NB_OP_HYPOT: case NB_OP_MAX: case NB_OP_MIN:
	case NB_OP_SUM: case NB_OP_MEAN: case NB_OP_MUL0: case NB_OP_STEP:
	case NB_OP_EQ:
		return 1;
	default:
		return 0;
	}
}

static double ref_value(int op, const double *x, int n)
{
	double a = x[0], b = n > 1 ? x[1] : 0, r;

	switch (op) {
	case NB_OP_ADD: return a + b;
	case NB_OP_SUB: return a - b;
	case NB_OP_MUL: return a * b;
	case NB_OP_MUL0: return a == 0 || b == 0 ? 0 : a * b;
	case NB_OP_DIV: return a / b;
	case NB_OP_POW: return pow(a, b);
	case NB_OP_NEG: return -a;
	case NB_OP_POS: return a;
	case NB_OP_EXP: return exp(a);
	case NB_OP_LOG: return log(a);
	case NB_OP_LOG2: return log(a) / log(2.0);
	case NB_OP_LOG10: return log(a) / log(10.0);
	case NB_OP_LOG1P: return log1p(a);
	case NB_OP_EXPM1: return expm1(a);
	case NB_OP_SQRT: return sqrt(a);
	case NB_OP_CBRT: return a < 0 ? -pow(-a, 1.0 / 3) : pow(a, 1.0 / 3);
	case NB_OP_SIN: return sin(a);
	case NB_OP_COS: return cos(a);
	case NB_OP_TAN: return sin(a) / cos(a);
	case NB_OP_ASIN: return asin(a);
	case NB_OP_ACOS: return acos(a);
	case NB_OP_ATAN: return atan(a);
	case NB_OP_SINH: return (exp(a) - exp(-a)) / 2;
	case NB_OP_COSH: return (exp(a) + exp(-a)) / 2;
	case NB_OP_TANH: return tanh(a);
	case NB_OP_SIGMOID: return 1 / (1 + exp(-a));
	case NB_OP_RELU: return a > 0 ? a : 0;
	case NB_OP_SOFTPLUS: return a > 30 ? a + log1p(exp(-a)) : log1p(exp(a));
	case NB_OP_ABS: return a < 0 ? -a : a;
	case NB_OP_SIGN: return a > 0 ? 1 : a < 0 ? -1 : 0;
	case NB_OP_STEP: return a > 0 ? 1 : 0;
	case NB_OP_EQ: return a == b ? 1 : 0;
	case NB_OP_FLOOR: return floor(a);
	case NB_OP_CEIL: return ceil(a);
	case NB_OP_ATAN2: return atan2(a, b);
	case NB_OP_HYPOT: return sqrt(a * a + b * b);
	case NB_OP_MAX:
		r = a;
		for (int i = 1; i < n; i++)
			r = x[i] > r ? x[i] : r;
		return r;
	case NB_OP_MIN:
		r = a;
		for (int i = 1; i < n; i++)
			r = x[i] < r ? x[i] : r;
		return r;
	case NB_OP_SUM:
	case NB_OP_MEAN:
		r = 0;
		for (int i = 0; i < n; i++)
			r += x[i];
		return op == NB_OP_MEAN ? r / n : r;
	default:
		return NAN;
	}
}

/* ------------------------------------------------------------------ */
/* Random programs */

enum kind { K_VAR, K_CONST, K_REF, K_OP };
enum spelling { SP_DEFAULT, SP_STARSTAR, SP_FUNCTION };

struct node {
	enum kind kind;
	int op;                 /* K_OP: enum nb_op */
	int spelling;           /* pow: ^, ** or pow(...) */
	int nargs;
	int arg[5];
	int idx;                /* K_VAR: variable, K_REF: statement */
	const char *text;       /* K_CONST: the literal */
	int extra_parens;
	int has_input;          /* depends on a variable or a statement */
};

struct stmt {
	char name[16];
	int root;
	int named;              /* 0: a bare expression (last only) */
	int is_input;           /* a constant expression: binds an input */
};

struct prog {
	struct node node[MAXNODES];
	int nnodes;
	struct stmt stmt[MAXSTMT];
	int nstmts;
	int too_big;
	char text[MAXTEXT];
	size_t len;
	int paren;              /* while printing: open parentheses */
	int refpct;             /* while generating: leaves that are names */
};

static const char *const varnames[NVARS] = { "x", "y1", "w_b", "Zeta" };
static const char *const stmtnames[] = { "t", "h", "node_", "_tmp", "Q" };

/* literals: exercise every number form of the lexer */
static const char *const literals[] = {
	"2", "0.5", ".25", "1.5", "3", "1e-1", "2.5E0", "0.75", "10",
	"1e1", "0.125", "4", "1.25e+0", "pi", "e",
};

static double literal_value(const char *s)
{
	if (strcmp(s, "pi") == 0)
		return 3.14159265358979323846;
	if (strcmp(s, "e") == 0)
		return 2.71828182845904523536;
	return strtod(s, NULL);
}

static int new_node(struct prog *g, enum kind k)
{
	struct node *n;

	if (g->nnodes >= MAXNODES) {
		g->too_big = 1;
		return 0;  /* reuse node 0; the case is thrown away */
	}
	n = &g->node[g->nnodes];
	memset(n, 0, sizeof *n);
	n->kind = k;
	n->extra_parens = chance(6);
	return g->nnodes++;
}

static int mk_const(struct prog *g, const char *text)
{
	int i = new_node(g, K_CONST);
	g->node[i].text = text;
	return i;
}

static int mk_op(struct prog *g, int op, int nargs, const int *args)
{
	int i = new_node(g, K_OP);
	struct node *n = &g->node[i];

	n->op = op;
	n->nargs = nargs;
	for (int k = 0; k < nargs; k++) {
		n->arg[k] = args[k];
		n->has_input |= g->node[args[k]].has_input;
	}
	if (op == NB_OP_POW)
		n->spelling = below(3);
	return i;
}

static int mk1(struct prog *g, int op, int a)
{
	return mk_op(g, op, 1, &a);
}

static int mk2(struct prog *g, int op, int a, int b)
{
	int args[2] = { a, b };
	return mk_op(g, op, 2, args);
}

static int gen(struct prog *g, int depth, int nstmts_visible);

/* A strictly positive expression (>= 0.1) built around e. */
static int positive(struct prog *g, int e)
{
	switch (below(6)) {
	case 0: return mk2(g, NB_OP_ADD, mk1(g, NB_OP_ABS, e),
			   mk_const(g, "0.5"));
	case 1: return mk2(g, NB_OP_HYPOT, e, mk_const(g, "0.5"));
	case 2: return mk2(g, NB_OP_ADD, mk1(g, NB_OP_SIGMOID, e),
			   mk_const(g, "0.1"));
	case 3: return mk1(g, NB_OP_COSH, e);
	case 4: return mk2(g, NB_OP_ADD, mk2(g, NB_OP_POW, e, mk_const(g, "2")),
			   mk_const(g, ".25"));
	default: return mk1(g, NB_OP_EXP, mk2(g, NB_OP_MUL,
					      mk1(g, NB_OP_TANH, e),
					      mk_const(g, "2")));
	}
}

/* An expression inside (-0.9, 0.9) built around e. */
static int unit(struct prog *g, int e)
{
	switch (below(3)) {
	case 0: return mk2(g, NB_OP_MUL, mk1(g, NB_OP_TANH, e),
			   mk_const(g, "0.9"));
	case 1: return mk2(g, NB_OP_MUL, mk_const(g, "0.9"),
			   mk1(g, NB_OP_SIN, e));
	default: return mk2(g, NB_OP_SUB,
			    mk2(g, NB_OP_MUL, mk1(g, NB_OP_SIGMOID, e),
				mk_const(g, "1.8")),
			    mk_const(g, "0.9"));
	}
}

static int leaf(struct prog *g, int nvis)
{
	int r = below(100), i;

	if (r < 85 - g->refpct || (r >= 100 - g->refpct && nvis == 0)) {
		i = new_node(g, K_VAR);
		/* favour the first variables, so forks are common */
		g->node[i].idx = below(2) ? below(2) : below(NVARS);
		g->node[i].has_input = 1;
	} else if (r < 100 - g->refpct) {
		i = mk_const(g, literals[below(sizeof literals /
					    sizeof literals[0])]);
	} else {
		i = new_node(g, K_REF);
		g->node[i].idx = nvis - 1 - below(nvis < 3 ? nvis : 3);
		g->node[i].has_input = 1;
	}
	return i;
}

static int ops_table[NB_OP_NELEM], nops_table;

static void init_ops(void)
{
	nops_table = 0;
	for (int op = 0; op < NB_OP_NELEM; op++)
		if (nb_ops[op].kind != NB_LEAF && ref_known(op))
			ops_table[nops_table++] = op;
}

/* Whether op's local gradients vanish at a generic point. */
static int flat(int op)
{
	double x[5] = { 0.37, 0.61, 0.29, 0.83, 0.47 }, l[5];
	int n = nb_ops[op].arity == NB_VARIADIC ? 3 : nb_ops[op].arity;

	nb_op_locals((enum nb_op)op, x, (size_t)n,
		     nb_op_forward((enum nb_op)op, x, (size_t)n), l);
	for (int k = 0; k < n; k++)
		if (l[k] != 0)
			return 0;
	return 1;
}

/* A random expression of at most depth levels of operators. */
static int gen(struct prog *g, int depth, int nvis)
{
	int op, a, b, args[5], n;

	if (depth == 0 || chance(12))
		return leaf(g, nvis);
	/* a repeated subexpression: an earlier subtree used again */
	if (g->nnodes > 4 && chance(8))
		return g->nnodes - 1 - below(g->nnodes < 12 ? g->nnodes : 12);
	op = ops_table[below(nops_table)];
	/* ops whose gradient is zero everywhere (floor, sign, ...) cut every
	 * path through them: pick them less often */
	if (flat(op) && chance(70))
		op = ops_table[below(nops_table)];
	switch (op) {
	case NB_OP_LOG: case NB_OP_LOG2: case NB_OP_LOG10: case NB_OP_LOG1P:
	case NB_OP_SQRT:
		return mk1(g, op, positive(g, gen(g, depth - 1, nvis)));
	case NB_OP_ASIN: case NB_OP_ACOS:
		return mk1(g, op, unit(g, gen(g, depth - 1, nvis)));
	case NB_OP_TAN:
		a = gen(g, depth - 1, nvis);
		if (chance(50))
			a = mk2(g, NB_OP_MUL, mk1(g, NB_OP_TANH, a),
				mk_const(g, "1.2"));
		return mk1(g, op, a);
	case NB_OP_DIV:
		a = gen(g, depth - 1, nvis);
		b = positive(g, gen(g, depth - 1, nvis));
		if (chance(30))
			b = mk1(g, NB_OP_NEG, b);
		return mk2(g, op, a, b);
	case NB_OP_POW:
		switch (below(3)) {
		case 0: /* any base, a small whole exponent */
			a = gen(g, depth - 1, nvis);
			b = mk_const(g, below(2) ? "2" : "3");
			break;
		case 1: /* positive base, bounded exponent */
			a = positive(g, gen(g, depth - 1, nvis));
			b = mk2(g, NB_OP_MUL, mk1(g, NB_OP_TANH,
						  gen(g, depth - 1, nvis)),
				mk_const(g, "2"));
			break;
		default: /* positive base, any exponent */
			a = positive(g, gen(g, depth - 1, nvis));
			b = gen(g, depth - 1, nvis);
			break;
		}
		return mk2(g, op, a, b);
	default:
		break;
	}
	n = nb_ops[op].arity == NB_VARIADIC ? 2 + below(4) : nb_ops[op].arity;
	for (int k = 0; k < n; k++)
		args[k] = gen(g, depth - 1, nvis);
	return mk_op(g, op, n, args);
}

/* A constant expression: numbers and operators only. */
static int gen_constant(struct prog *g)
{
	int a = mk_const(g, literals[below(sizeof literals / sizeof literals[0])]);

	switch (below(4)) {
	case 0: return mk1(g, NB_OP_NEG, a);
	case 1: return mk2(g, NB_OP_MUL, a, mk_const(g, "pi"));
	case 2: return mk1(g, NB_OP_SIN, mk2(g, NB_OP_POW, a, mk1(g, NB_OP_NEG,
							   mk_const(g, "1"))));
	default: return a;
	}
}

/* A program: as programs, 1 to MAXSTMT statements, each named, the last
 * maybe bare; as an expression, one bare statement. */
static void gen_program(struct prog *g, int as_program)
{
	int n = as_program ? 2 + below(MAXSTMT - 1) : 1;

	g->nnodes = 0;
	g->nstmts = 0;
	g->too_big = 0;
	for (int s = 0; s < n; s++) {
		struct stmt *st = &g->stmt[g->nstmts];
		int last = s == n - 1;

		st->named = !last || chance(60);
		snprintf(st->name, sizeof st->name, "%s%d",
			 stmtnames[s % 5], s);
		g->refpct = last ? 45 : 20;
		if (as_program && !last && chance(12)) {
			st->root = gen_constant(g);
		} else if (as_program && last && chance(50)) {
			/* an output that uses every earlier statement */
			st->root = gen(g, 2, g->nstmts);
			for (int k = 0; k < g->nstmts; k++) {
				int ref = new_node(g, K_REF);
				g->node[ref].idx = k;
				g->node[ref].has_input = 1;
				st->root = mk2(g, below(4) ? NB_OP_ADD : NB_OP_MUL,
					       st->root, ref);
			}
		} else {
			st->root = gen(g, last ? 3 + below(3) : 1 + below(3),
				       g->nstmts);
			/* a statement of constants only would bind an
			 * input: make it depend on a variable */
			if (!g->node[st->root].has_input) {
				int v = new_node(g, K_VAR);
				g->node[v].idx = below(NVARS);
				g->node[v].has_input = 1;
				st->root = mk2(g, NB_OP_ADD, st->root, v);
			}
		}
		st->is_input = !g->node[st->root].has_input;
		g->nstmts++;
	}
}

/* ------------------------------------------------------------------ */
/* Printing: SPEC precedence, low to high: + - < * / < unary - + < ^,
 * ^ right-associative. */

static int level(const struct prog *g, int i)
{
	const struct node *n = &g->node[i];

	if (n->kind != K_OP)
		return 5;
	switch (n->op) {
	case NB_OP_ADD: case NB_OP_SUB: return 1;
	case NB_OP_MUL: case NB_OP_DIV: return 2;
	case NB_OP_NEG: case NB_OP_POS: return 3;
	case NB_OP_POW: return n->spelling == SP_FUNCTION ? 5 : 4;
	default: return 5;
	}
}

static void emit(struct prog *g, const char *s)
{
	size_t n = strlen(s);

	if (g->len + n + 1 >= MAXTEXT) {
		g->too_big = 1;
		return;
	}
	memcpy(g->text + g->len, s, n + 1);
	g->len += n;
}

/* Space between tokens; a line break only where the grammar skips it
 * (inside parentheses, or after an operator). */
static void space(struct prog *g, int newline_ok)
{
	int r = below(100);

	newline_ok |= g->paren > 0;
	if (r < 55)
		return;
	if (r < 85)
		emit(g, " ");
	else if (r < 88)
		emit(g, "\t");
	else if (r < 91)
		emit(g, " \\\n  ");
	else if (!newline_ok)
		emit(g, " ");
	else if (r < 96)
		emit(g, "\n  ");
	else
		emit(g, "  # a comment ( +\n");
}

static void print(struct prog *g, int i);

static void print_wrapped(struct prog *g, int i, int parens)
{
	if (parens || (g->node[i].extra_parens && g->node[i].kind == K_OP)) {
		emit(g, "(");
		g->paren++;
		space(g, 1);
		print(g, i);
		space(g, 1);
		g->paren--;
		emit(g, ")");
	} else {
		print(g, i);
	}
}

static void print(struct prog *g, int i)
{
	const struct node *n = &g->node[i];
	const struct nb_opinfo *info;
	int l;

	if (g->too_big)
		return;
	switch (n->kind) {
	case K_VAR: emit(g, varnames[n->idx]); return;
	case K_CONST: emit(g, n->text); return;
	case K_REF: emit(g, g->stmt[n->idx].name); return;
	case K_OP: break;
	}
	info = &nb_ops[n->op];
	l = level(g, i);
	if (l == 5) {
		/* a call */
		emit(g, info->fn);
		if (chance(10))
			emit(g, " ");
		emit(g, "(");
		g->paren++;
		for (int k = 0; k < n->nargs; k++) {
			space(g, 1);
			if (k) {
				emit(g, ",");
				space(g, 1);
			}
			print_wrapped(g, n->arg[k], 0);
		}
		space(g, 1);
		g->paren--;
		emit(g, ")");
	} else if (l == 3) {
		emit(g, info->sym);
		space(g, 1);
		print_wrapped(g, n->arg[0], level(g, n->arg[0]) < 3);
	} else {
		int left = level(g, n->arg[0]), right = level(g, n->arg[1]);
		/* left-associative + - * /: a right operand at the same
		 * level needs parentheses; ^ is right-associative and binds
		 * tighter than unary minus on its left, looser on its
		 * right (2^-1) */
		int lp = l == 4 ? left <= 4 : left < l;
		int rp = l == 4 ? right < 3 : right <= l;

		print_wrapped(g, n->arg[0], lp);
		space(g, 0);
		emit(g, l == 4 && n->spelling == SP_STARSTAR ? "**" : info->sym);
		space(g, 1);
		print_wrapped(g, n->arg[1], rp);
	}
}

static void separator(struct prog *g)
{
	static const char *const seps[] = { ";", "\n", " ; ", ";\n", "\n\n",
					    "\n# a comment line\n", " ;;\n" };
	emit(g, seps[below(sizeof seps / sizeof seps[0])]);
}

static void print_program(struct prog *g)
{
	g->len = 0;
	g->text[0] = '\0';
	g->paren = 0;
	if (chance(10))
		separator(g);
	for (int s = 0; s < g->nstmts; s++) {
		const struct stmt *st = &g->stmt[s];
		if (s)
			separator(g);
		if (st->named) {
			emit(g, st->name);
			space(g, 0);
			emit(g, "=");
			space(g, 1);
		}
		print(g, st->root);
	}
	if (chance(10))
		separator(g);
}

/* ------------------------------------------------------------------ */
/* Evaluation of the tree */

struct eval {
	const struct prog *g;
	double var[NVARS];
	double input[MAXSTMT];  /* values of the constant statements */
	double sval[MAXSTMT];   /* value of each statement */
	double val[MAXNODES];
	unsigned char done[MAXNODES];
	int pinned;             /* statement whose value is pinned, or -1 */
	double pin;             /* its value */
	int check;              /* record kinks and magnitudes */
	int bad;                /* a node is non-finite, large, or near a kink */
};

static int same_tree(const struct prog *g, int a, int b)
{
	const struct node *x = &g->node[a], *y = &g->node[b];

	if (a == b)
		return 1;
	if (x->kind != y->kind)
		return 0;
	switch (x->kind) {
	case K_VAR: case K_REF: return x->idx == y->idx;
	case K_CONST: return literal_value(x->text) == literal_value(y->text);
	case K_OP:
		if (x->op != y->op || x->nargs != y->nargs)
			return 0;
		for (int k = 0; k < x->nargs; k++)
			if (!same_tree(g, x->arg[k], y->arg[k]))
				return 0;
		return 1;
	}
	return 0;
}

/* Whether argument k of a max/min node n, valued v, is within dist of
 * the extremum while being a different function of the inputs. */
static int near_tie(struct eval *ev, const struct node *n, const double *x,
		    double v)
{
	int first = -1;

	for (int k = 0; k < n->nargs; k++)
		if (x[k] == v) {
			first = k;
			break;
		}
	for (int k = 0; k < n->nargs; k++)
		if (k != first && fabs(x[k] - v) < 1e-3 * fmax(1, fabs(v)) &&
		    !same_tree(ev->g, n->arg[k], n->arg[first]))
			return 1;
	return 0;
}

/* Marks points where a finite difference across op at x is unreliable:
 * a kink or jump within 1e-3 (relative) of an argument, an infinite
 * slope, a pole or a branch cut. */
static int near_kink(struct eval *ev, const struct node *n, const double *x,
		     double v)
{
	double a = x[0], b = n->nargs > 1 ? x[1] : 0;
	const double tiny = 1e-3 * fmax(1, fabs(a));

	switch (n->op) {
	case NB_OP_RELU: case NB_OP_ABS: case NB_OP_SIGN: case NB_OP_CBRT:
	case NB_OP_STEP:
		return fabs(a) < tiny;
	case NB_OP_EQ:
		return fabs(a - b) < tiny;
	case NB_OP_FLOOR: case NB_OP_CEIL:
		return fabs(a - nearbyint(a)) < tiny;
	case NB_OP_LOG: case NB_OP_LOG2: case NB_OP_LOG10: case NB_OP_SQRT:
		return a < tiny;
	case NB_OP_LOG1P:
		return a + 1 < tiny;
	case NB_OP_ASIN: case NB_OP_ACOS:
		return 1 - fabs(a) < 1e-3;
	case NB_OP_TAN:
		return fabs(cos(a)) < 0.05;
	case NB_OP_DIV:
		return fabs(b) < 1e-3 * fmax(1, fabs(b));
	case NB_OP_POW:
		/* a whole constant exponent takes any base; otherwise the
		 * base must stay positive */
		if (ev->g->node[n->arg[1]].kind == K_CONST && b == floor(b))
			return 0;
		return a < tiny;
	case NB_OP_HYPOT:
		return hypot(a, b) < 1e-3;
	case NB_OP_ATAN2:
		return hypot(a, b) < 1e-3 || (b < 0 && fabs(a) < 1e-3 * fmax(1, -b));
	case NB_OP_MAX: case NB_OP_MIN:
		return near_tie(ev, n, x, v);
	default:
		return 0;
	}
}

static double eval_node(struct eval *ev, int i)
{
	const struct node *n = &ev->g->node[i];
	double x[5], v;

	if (ev->done[i])
		return ev->val[i];
	switch (n->kind) {
	case K_VAR: v = ev->var[n->idx]; break;
	case K_CONST: v = literal_value(n->text); break;
	case K_REF: v = ev->sval[n->idx]; break;
	default:
		for (int k = 0; k < n->nargs; k++)
			x[k] = eval_node(ev, n->arg[k]);
		v = ref_value(n->op, x, n->nargs);
		if (ev->check && near_kink(ev, n, x, v))
			ev->bad = 1;
		break;
	}
	if (ev->check && !(fabs(v) <= BIG))
		ev->bad = 1;
	ev->done[i] = 1;
	ev->val[i] = v;
	return v;
}

/* Evaluates every statement; returns the output's value. */
static double eval_program(struct eval *ev)
{
	memset(ev->done, 0, (size_t)ev->g->nnodes);
	for (int s = 0; s < ev->g->nstmts; s++)
		ev->sval[s] = s == ev->pinned ? ev->pin
			      : ev->g->stmt[s].is_input
				      ? ev->input[s]
				      : eval_node(ev, ev->g->stmt[s].root);
	return ev->sval[ev->g->nstmts - 1];
}

/* Central difference of the output in the value of named statement s,
 * everything it depends on held fixed: what reverse mode calls the
 * gradient of its node. */
static double central_node(struct eval *ev, int s, double x, double h)
{
	double fp, fm;

	ev->pinned = s;
	ev->pin = x + h;
	fp = eval_program(ev);
	ev->pin = x - h;
	fm = eval_program(ev);
	ev->pinned = -1;
	return (fp - fm) / (2 * h);
}

/* The values of the constant statements, as the program computes them. */
static void eval_inputs(struct eval *ev)
{
	for (int s = 0; s < ev->g->nstmts; s++)
		if (ev->g->stmt[s].is_input) {
			memset(ev->done, 0, (size_t)ev->g->nnodes);
			ev->input[s] = eval_node(ev, ev->g->stmt[s].root);
		}
}

/* ------------------------------------------------------------------ */
/* One input of the reference: a variable or a constant statement. */

static double *input_slot(struct eval *ev, int which)
{
	return which < NVARS ? &ev->var[which] : &ev->input[which - NVARS];
}

/* Central difference of the output in input `which` with step h. */
static double central(struct eval *ev, int which, double h)
{
	double *slot = input_slot(ev, which), x = *slot, fp, fm;

	*slot = x + h;
	fp = eval_program(ev);
	*slot = x - h;
	fm = eval_program(ev);
	*slot = x;
	return (fp - fm) / (2 * h);
}

struct stats {
	long cases, points, partials, unsure, rejected, zero, nodes;
	long second, second_unsure;     /* Hessian entries compared, skipped */
	long opcount[NB_OP_NELEM];
	long starstar, powfn;
	long symbolic;          /* partials read back from --symbolic */
};

static void count_ops(const struct prog *g, struct stats *st)
{
	for (int i = 0; i < g->nnodes; i++)
		if (g->node[i].kind == K_OP) {
			st->opcount[g->node[i].op]++;
			st->starstar += g->node[i].op == NB_OP_POW &&
					g->node[i].spelling == SP_STARSTAR;
			st->powfn += g->node[i].op == NB_OP_POW &&
				     g->node[i].spelling == SP_FUNCTION;
		}
}

/* Draws a point where every node is finite, moderate and away from
 * kinks; returns 0 if none is found in a few tries. */
static int draw_point(struct eval *ev, struct stats *st)
{
	for (int tries = 0; tries < 12; tries++) {
		double scale = tries < 6 ? 2 : 1;
		for (int v = 0; v < NVARS; v++)
			ev->var[v] = uniform(-scale, scale);
		ev->check = 1;
		ev->bad = 0;
		eval_inputs(ev);
		eval_program(ev);
		ev->check = 0;
		if (!ev->bad)
			return 1;
		st->rejected++;
	}
	return 0;
}

/* Step and tolerance.
 *
 * h = cbrt(eps) * max(1, |x|) (about 6e-6 * max(1, |x|)) balances the
 * central difference's truncation error, h^2/6 * |f'''|, against its
 * rounding error, about eps * max|f| / h: with every node at most BIG =
 * 1e4 in magnitude, rounding contributes below 1e-6 in absolute terms.
 *
 * Truncation depends on the third derivative, which a random composition
 * can make large; so the difference is also taken with h/2, and the two
 * must agree to within tol/4 (relative) before anything is asserted: the
 * truncation error of the h/2 difference is then about a third of their
 * gap.  Points where they disagree are counted as unsure and skipped;
 * the test requires them to be rare.
 *
 * A correct gradient then lies within tol = 1e-5 (relative to
 * max(1, |a|, |n|)) of the h/2 difference, while a wrong local rule or a
 * lost or duplicated path is off by O(1) relative. */
#define TOL 1e-5

/* ------------------------------------------------------------------ */
/* Forward mode and second order against reverse mode */

#define MAXVARS (NVARS + MAXSTMT)

/* Whether a and b, the same sum of products over the graph's paths
 * taken in two orders, agree to rounding, relative to scale.  Terms that
 * cancel can be far larger than the result: with nodes up to BIG = 1e4
 * (and local gradients as large), a product of two of them carries a
 * rounding error of BIG^2 * eps, about 2e-8, that scale does not see;
 * 1e-7 covers it, while a wrong rule or a lost path is off by O(1). */
static int close_to(double a, double b, double scale)
{
	return fabs(a - b) <= 1e-7 * fmax(1, scale);
}

/* Reverse mode's gradient at the point with input j moved to x. */
static void gradient_at(struct nb_program *p, size_t j, double x, double *g)
{
	nb_program_set(p, j, x);
	nb_forward(&p->tape, 0, p->tape.n);
	ck_assert(nb_reverse(&p->tape, p->output) == 0);
	for (size_t k = 0; k < p->nvars; k++)
		g[k] = p->tape.grad[p->vars[k]];
}

/* Column j of the Hessian against central differences of the gradient,
 * with steps h and h/2 as for the first derivatives (see TOL). */
static void hessian_column(struct nb_program *p, const double *h, size_t j,
			   struct stats *st, const char *text)
{
	size_t n = p->nvars;
	double x = p->tape.value[p->vars[j]], step;
	double gp[MAXVARS], gm[MAXVARS], n1[MAXVARS], n2[MAXVARS];

	step = cbrt(DBL_EPSILON) * fmax(1, fabs(x));
	gradient_at(p, j, x + step, gp);
	gradient_at(p, j, x - step, gm);
	for (size_t k = 0; k < n; k++)
		n1[k] = (gp[k] - gm[k]) / (2 * step);
	gradient_at(p, j, x + step / 2, gp);
	gradient_at(p, j, x - step / 2, gm);
	for (size_t k = 0; k < n; k++)
		n2[k] = (gp[k] - gm[k]) / step;
	gradient_at(p, j, x, gp);
	for (size_t k = 0; k < n; k++) {
		double a = h[k * n + j];
		if (fabs(n1[k] - n2[k]) > TOL / 4 * fmax(1, fabs(n2[k]))) {
			st->second_unsure++;
			continue;
		}
		st->second++;
		ck_assert_msg(fabs(a - n2[k]) <= TOL * fmax(1, fmax(fabs(a),
								  fabs(n2[k]))),
			      "d2f/d%zu d%zu: forward over reverse %.17g, "
			      "central difference of the gradient %.17g\n"
			      "--- text ---\n%.1500s", k, j, a, n2[k], text);
	}
}

/* Forward mode, jvp, the Hessian and hvp at the point p holds, whose
 * sweeps have run. */
static void check_second_order(struct nb_program *p, struct stats *st,
			       const char *text)
{
	size_t n = p->nvars, vars[MAXVARS];
	double h[MAXVARS * MAXVARS], unit[MAXVARS] = { 0 }, d[MAXVARS];
	double g[MAXVARS], want, scale;
	struct nb_dual dual;

	ck_assert_uint_le(n, MAXVARS);
	ck_assert_int_eq(nb_dual_init(&dual, p), 0);
	for (size_t k = 0; k < n; k++) {
		g[k] = p->tape.grad[p->vars[k]];
		vars[k] = k;
		d[k] = uniform(-1, 1);
	}
	/* forward mode, one sweep per input, is reverse mode */
	for (size_t k = 0; k < n; k++) {
		unit[k] = 1;
		ck_assert(nb_tangent_sweep(p, unit, dual.tan) == 0);
		unit[k] = 0;
		ck_assert_msg(close_to(dual.tan[p->output], g[k], fabs(g[k])),
			      "forward mode %.17g, reverse mode %.17g\n"
			      "--- text ---\n%.1500s", dual.tan[p->output],
			      g[k], text);
	}
	/* one tangent sweep along d is grad f . d */
	ck_assert(nb_tangent_sweep(p, d, dual.tan) == 0);
	want = scale = 0;
	for (size_t k = 0; k < n; k++) {
		want += g[k] * d[k];
		scale += fabs(g[k] * d[k]);
	}
	ck_assert_msg(close_to(dual.tan[p->output], want, scale),
		      "jvp %.17g, grad f . d %.17g\n--- text ---\n%.1500s",
		      dual.tan[p->output], want, text);
	/* the Hessian: symmetric, and the derivative of the gradient */
	ck_assert(nb_hessian(p, vars, n, unit, &dual, h) == 0);
	for (size_t k = 0; k < n; k++) {
		ck_assert_msg(close_to(p->tape.grad[p->vars[k]], g[k],
				       fabs(g[k])),
			      "the Hessian sweeps changed the gradient");
		for (size_t j = 0; j < k; j++)
			ck_assert_msg(close_to(h[k * n + j], h[j * n + k],
					       fabs(h[k * n + j])),
				      "H[%zu][%zu] = %.17g, H[%zu][%zu] = %.17g"
				      "\n--- text ---\n%.1500s", k, j,
				      h[k * n + j], j, k, h[j * n + k], text);
	}
	/* H.d in one product */
	ck_assert(nb_hvp_sweep(p, d, &dual) == 0);
	for (size_t k = 0; k < n; k++) {
		want = scale = 0;
		for (size_t j = 0; j < n; j++) {
			want += h[k * n + j] * d[j];
			scale += fabs(h[k * n + j] * d[j]);
		}
		ck_assert_msg(close_to(dual.gtan[p->vars[k]], want, scale),
			      "(H.v)[%zu] %.17g, H times v %.17g\n--- text ---"
			      "\n%.1500s", k, dual.gtan[p->vars[k]], want, text);
	}
	for (size_t j = 0; j < n; j++)
		hessian_column(p, h, j, st, text);
	nb_dual_free(&dual);
}

/* The program --symbolic prints for p (every input bound), compiled
 * again and evaluated: each df_d<NAME> must be reverse mode's partial. */
static void check_symbolic(const struct nb_program *p, const char *text,
			   struct stats *st)
{
	struct nb_program q;
	struct nb_diag d;
	char *buf = NULL, name[64];
	size_t len = 0, *wrt = malloc((p->nvars + 1) * sizeof *wrt);
	FILE *f = open_memstream(&buf, &len);

	ck_assert(f && wrt);
	for (size_t w = 0; w < p->nvars; w++)
		wrt[w] = w;
	ck_assert_int_eq(nb_symbolic_write(f, p, wrt, p->nvars, &d), 0);
	fclose(f);
	ck_assert_msg(nb_program_compile(&q, "<symbolic>", buf, len, &d) == 0,
		      "--symbolic output does not compile: %s\n--- program "
		      "---\n%.1500s\n--- output ---\n%.3000s", d.msg, text, buf);
	ck_assert_msg(nb_program_check_bound(&q, &d) == 0, "%s\n%.3000s",
		      d.msg, buf);
	nb_forward(&q.tape, 0, q.tape.n);
	for (size_t w = 0; w < p->nvars; w++) {
		size_t nlen;
		const char *s = nb_node_name(p, p->vars[w], &nlen);
		double want = p->tape.grad[p->vars[w]], got;
		int64_t node;

		snprintf(name, sizeof name, "df_d%.*s", (int)nlen, s);
		node = nb_symtab_find(&q.names, name, strlen(name));
		ck_assert_msg(node >= 0, "no %s in\n%.3000s", name, buf);
		got = q.tape.value[node];
		ck_assert_msg(fabs(got - want) <= 1e-9 * fmax(1, fabs(want)),
			      "%s: symbolic %.17g, reverse mode %.17g\n--- "
			      "program ---\n%.1500s\n--- output ---\n%.3000s",
			      name, got, want, text, buf);
		st->symbolic++;
	}
	nb_program_free(&q);
	free(buf);
	free(wrt);
}

static void check_case(struct prog *g, struct stats *st, int as_program)
{
	static struct eval ev;
	struct nb_program p;
	struct nb_diag d;
	long var_of[NVARS + MAXSTMT];
	int r, ninputs = NVARS + g->nstmts;

	memset(&ev, 0, sizeof ev);
	ev.g = g;
	ev.pinned = -1;
	r = nb_program_compile(&p, "<expr>", g->text, g->len, &d);
	if (r) {
		size_t line, col;
		nb_source_position(&p.src, d.start, &line, &col);
		ck_abort_msg("generated text does not compile: %zu:%zu: %s\n"
			     "--- text ---\n%.1500s", line, col, d.msg, g->text);
	}
	/* where each input lives; named intermediates are not inputs */
	for (int w = 0; w < ninputs; w++) {
		const char *name = w < NVARS ? varnames[w]
					     : g->stmt[w - NVARS].name;
		var_of[w] = nb_program_var(&p, name, strlen(name));
		if (w >= NVARS) {
			const struct stmt *s = &g->stmt[w - NVARS];
			int want = s->named && s->is_input;
			ck_assert_msg((var_of[w] >= 0) == want,
				      "%s: input %ld, expected %s", name,
				      var_of[w], want ? "an input" : "none");
		}
	}

	for (int pt = 0; pt < POINTS; pt++) {
		double f, a, n1, n2, scale;

		if (!draw_point(&ev, st))
			break;
		/* nabla's own constant bindings agree with the reference */
		for (int s = 0; s < g->nstmts; s++)
			if (g->stmt[s].is_input && var_of[NVARS + s] >= 0) {
				double got = p.tape.value[p.vars[var_of[NVARS + s]]];
				ck_assert_msg(fabs(got - ev.input[s]) <=
						      1e-12 * fmax(1, fabs(got)),
					      "constant %s = %.17g, expected %.17g",
					      g->stmt[s].name, got, ev.input[s]);
				ck_assert(p.bound[var_of[NVARS + s]]);
			}
		for (int v = 0; v < NVARS; v++)
			if (var_of[v] >= 0)
				nb_program_set(&p, (size_t)var_of[v], ev.var[v]);
		ck_assert_msg(nb_program_check_bound(&p, &d) == 0, "%s", d.msg);
		nb_forward(&p.tape, 0, p.tape.n);
		ck_assert(nb_reverse(&p.tape, p.output) == 0);
		check_symbolic(&p, g->text, st);
		f = eval_program(&ev);
		ck_assert_msg(fabs(p.tape.value[p.output] - f) <=
				      1e-9 * fmax(1, fabs(f)),
			      "value %.17g, expected %.17g\n--- text ---\n%.1500s",
			      p.tape.value[p.output], f, g->text);
		st->points++;
		for (int w = 0; w < ninputs; w++) {
			double x = *input_slot(&ev, w), h;

			if (w >= NVARS && !g->stmt[w - NVARS].is_input)
				continue;
			h = cbrt(DBL_EPSILON) * fmax(1, fabs(x));
			n1 = central(&ev, w, h);
			n2 = central(&ev, w, h / 2);
			if (var_of[w] < 0) {
				/* an input the program does not have: the
				 * output cannot depend on it */
				ck_assert_msg(n1 == 0 && n2 == 0,
					      "output depends on unused %d", w);
				continue;
			}
			a = p.tape.grad[p.vars[var_of[w]]];
			scale = fmax(1, fmax(fabs(a), fabs(n2)));
			if (fabs(n1 - n2) > TOL / 4 * fmax(1, fabs(n2))) {
				st->unsure++;
				continue;
			}
			st->partials++;
			st->zero += n2 == 0;
			ck_assert_msg(fabs(a - n2) <= TOL * scale,
				      "d/d%s: reverse mode %.17g, central "
				      "difference %.17g (h: %.17g)\npoint:"
				      " x=%.17g y1=%.17g w_b=%.17g Zeta=%.17g\n"
				      "--- text ---\n%.1500s",
				      w < NVARS ? varnames[w]
						: g->stmt[w - NVARS].name,
				      a, n2, n1, ev.var[0], ev.var[1],
				      ev.var[2], ev.var[3], g->text);
		}
		/* the gradient of every named intermediate node */
		for (int s = 0; s + 1 < g->nstmts; s++) {
			const struct stmt *stm = &g->stmt[s];
			int64_t node;
			double x, h;

			if (stm->is_input)
				continue;
			eval_program(&ev);      /* back to the point itself */
			node = nb_symtab_find(&p.names, stm->name,
					      strlen(stm->name));
			ck_assert_msg(node >= 0, "no node named %s", stm->name);
			x = ev.sval[s];
			h = cbrt(DBL_EPSILON) * fmax(1, fabs(x));
			n1 = central_node(&ev, s, x, h);
			n2 = central_node(&ev, s, x, h / 2);
			a = p.tape.grad[node];
			if (fabs(n1 - n2) > TOL / 4 * fmax(1, fabs(n2))) {
				st->unsure++;
				continue;
			}
			st->nodes++;
			ck_assert_msg(fabs(a - n2) <= TOL * fmax(1, fmax(fabs(a),
								   fabs(n2))),
				      "gradient of node %s: reverse mode %.17g, "
				      "central difference %.17g\n--- text ---\n"
				      "%.1500s", stm->name, a, n2, g->text);
		}
		check_second_order(&p, st, g->text);
	}
	nb_program_free(&p);
	st->cases++;
	count_ops(g, st);
	(void)as_program;
}

static void run(int as_program, int iter)
{
	static struct prog g;
	struct stats st;

	memset(&st, 0, sizeof st);
	init_ops();
	rng_state = 0x6e61626c61ull * 1000003u + (uint64_t)iter * 7919u +
		    (uint64_t)as_program * 104729u;
	while (st.cases < CASES) {
		gen_program(&g, as_program);
		if (g.too_big)
			continue;
		print_program(&g);
		if (g.too_big)
			continue;
		check_case(&g, &st, as_program);
	}
	fprintf(stderr,
		"check_property: %s, seed %d: %ld cases, %ld points, %ld "
		"partials compared (%ld of them zero), %ld node gradients, "
		"%ld unsure skipped, %ld points redrawn; %ld Hessian entries "
		"compared, %ld unsure skipped; %ld partials read back from "
		"--symbolic\n",
		as_program ? "programs" : "expressions", iter, st.cases,
		st.points, st.partials, st.zero, st.nodes, st.unsure,
		st.rejected, st.second, st.second_unsure, st.symbolic);
	ck_assert_msg(st.symbolic >= st.points, "only %ld symbolic partials",
		      st.symbolic);
	/* the run proves something: every op of the table appeared, and
	 * few partials were skipped */
	for (int op = 0; op < NB_OP_NELEM; op++)
		if (nb_ops[op].kind != NB_LEAF)
			ck_assert_msg(st.opcount[op] > 0,
				      "op %s never generated", nb_ops[op].name);
	ck_assert_msg(st.starstar > 0 && st.powfn > 0, "pow spellings missing");
	ck_assert_msg(st.points >= CASES, "only %ld points", st.points);
	ck_assert_msg(st.unsure * 20 <= st.partials + st.nodes,
		      "%ld unsure of %ld partials", st.unsure,
		      st.partials + st.nodes);
	if (as_program)
		ck_assert_msg(st.nodes >= CASES, "only %ld node gradients",
			      st.nodes);
	ck_assert_msg(st.second >= CASES, "only %ld Hessian entries",
		      st.second);
	ck_assert_msg(st.second_unsure * 20 <= st.second,
		      "%ld unsure of %ld Hessian entries", st.second_unsure,
		      st.second);
}

/* --check on random programs at points away from kinks, poles and
 * overflow (draw_point): no partial of a right gradient may fail, few
 * may be reported as kinks (the points keep 1e-3 from every kink, a
 * hundred times the largest step), and few may be inaccurate where a
 * difference could see the partial at all.  A partial whose change over
 * the step, |analytic| * h, is below the difference's own rounding bound
 * is invisible to any central difference at that step (random programs
 * make such flat spots, 1e-82 after a saturated function, at a rate that
 * depends on the mix of ops): "inaccurate" is the right verdict there,
 * so those are counted apart, not against the checker. */
static void run_check(int iter)
{
	static struct prog g;
	static struct eval ev;
	struct stats st;
	long checked = 0, kinks = 0, inaccurate = 0, invisible = 0;
	double worst = 0;

	memset(&st, 0, sizeof st);
	init_ops();
	rng_state = 0x636865636bull * 1000003u + (uint64_t)iter * 7919u;
	while (st.cases < CASES) {
		struct nb_program p;
		struct nb_check c;
		struct nb_diag d;
		size_t wrt[NVARS + MAXSTMT];

		gen_program(&g, iter & 1);
		if (g.too_big)
			continue;
		print_program(&g);
		if (g.too_big)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.g = &g;
		ev.pinned = -1;
		st.cases++;
		if (!draw_point(&ev, &st))
			continue;
		ck_assert_int_eq(nb_program_compile(&p, "<expr>", g.text, g.len,
						    &d), 0);
		for (int v = 0; v < NVARS; v++) {
			long var = nb_program_var(&p, varnames[v],
						  strlen(varnames[v]));
			if (var >= 0)
				nb_program_set(&p, (size_t)var, ev.var[v]);
		}
		ck_assert_msg(nb_program_check_bound(&p, &d) == 0, "%s", d.msg);
		nb_forward(&p.tape, 0, p.tape.n);
		ck_assert(nb_reverse(&p.tape, p.output) == 0);
		for (size_t k = 0; k < p.nvars; k++)
			wrt[k] = k;
		ck_assert_int_eq(nb_check_init(&c, &p, wrt, p.nvars,
					       NB_CHECK_TOL, 0), 0);
		nb_check_run(&c, &p);
		for (size_t k = 0; k < c.n; k++)
			ck_assert_msg(c.part[k].verdict != NB_CHECK_FAIL,
				      "--check fails d/d%.*s: analytic %.17g, "
				      "numeric %.17g, error %g\n--- text ---"
				      "\n%.1500s", (int)nb_tape_name(&p.tape,
				      p.vars[c.part[k].var]).len, p.src.text +
				      nb_tape_name(&p.tape,
				      p.vars[c.part[k].var]).start,
				      c.part[k].analytic, c.part[k].numeric,
				      c.part[k].error, g.text);
		for (size_t k = 0; k < c.n; k++) {
			const struct nb_partial *pt = &c.part[k];
			if (pt->verdict != NB_CHECK_INACCURATE)
				continue;
			if (fabs(pt->analytic) * pt->step <= pt->rounding)
				invisible++;
			else
				inaccurate++;
		}
		checked += (long)c.n;
		kinks += (long)c.nkinks;
		if (c.maxerr > worst)
			worst = c.maxerr;
		nb_check_free(&c);
		nb_program_free(&p);
	}
	fprintf(stderr, "check_property: --check, seed %d: %ld cases, %ld "
		"partials checked, %ld kinks, %ld inaccurate, %ld too flat to "
		"see, largest error %g\n", iter, st.cases, checked, kinks,
		inaccurate, invisible, worst);
	ck_assert_msg(checked >= CASES, "only %ld partials checked", checked);
	ck_assert_msg(kinks * 100 <= checked, "%ld kinks in %ld partials",
		      kinks, checked);
	ck_assert_msg(inaccurate * 100 <= checked, "%ld inaccurate of %ld "
		      "partials", inaccurate, checked);
}

START_TEST(random_checks)
{
	run_check(_i);
}
END_TEST

START_TEST(every_op_has_a_reference)
{
	/* a new row of the op table needs a reference value here, so that
	 * the random tests below cover it */
	for (int op = 0; op < NB_OP_NELEM; op++)
		if (nb_ops[op].kind != NB_LEAF)
			ck_assert_msg(ref_known(op),
				      "op %s has no reference in check_property.c",
				      nb_ops[op].name);
}
END_TEST

START_TEST(reference_matches_forward_rules)
{
	/* the reference and nabla's forward rules agree op by op at a few
	 * points inside every domain, so a disagreement in the random
	 * tests points at the graph, not at a single function */
	static const double pts[] = { 0.3, 0.7, 1.7, -0.4, -2.2 };

	for (int op = 0; op < NB_OP_NELEM; op++) {
		int n = nb_ops[op].arity == NB_VARIADIC ? 4 : nb_ops[op].arity;

		if (nb_ops[op].kind == NB_LEAF)
			continue;
		for (int j = 0; j < 5; j++) {
			double x[4], want, got;
			for (int k = 0; k < n; k++)
				x[k] = pts[(j + 2 * k) % 5];
			want = ref_value(op, x, n);
			got = nb_op_forward((enum nb_op)op, x, (size_t)n);
			if (isnan(want)) {
				ck_assert_msg(isnan(got), "%s at %g: %g, not nan",
					      nb_ops[op].name, x[0], got);
				continue;
			}
			ck_assert_msg(fabs(got - want) <= 1e-14 * fmax(1, fabs(want)),
				      "%s at %g: %.17g, reference %.17g",
				      nb_ops[op].name, x[0], got, want);
		}
	}
}
END_TEST

START_TEST(random_expressions)
{
	run(0, _i);
}
END_TEST

START_TEST(random_programs)
{
	run(1, _i);
}
END_TEST

static Suite *property_suite(void)
{
	Suite *s = suite_create("property");
	TCase *tc = tcase_create("reference");

	tcase_add_test(tc, every_op_has_a_reference);
	tcase_add_test(tc, reference_matches_forward_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	/* generous: sanitizer builds are several times slower */
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, random_expressions, 0, ITERS);
	tcase_add_loop_test(tc, random_programs, 0, ITERS);
	tcase_add_loop_test(tc, random_checks, 0, ITERS);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(property_suite);
