/* check_tk_hvp.c - second order on tensors: the second-order term of
 * every tensor op's VJP (core/tkernel.h, nb_tkernel_vjp2) against central
 * differences of its VJP along random tangents, at several shapes and
 * along every axis; and whole programs' Hessian-vector products (core/
 * thessian.h) against central differences of their gradients, the
 * Hessian they make symmetric.
 *
 * Tolerances.  Linear and bilinear ops on values that are multiples of
 * 2^-10 (tkcheck.h) with a step that is a power of two have exact
 * differences: tol 0 checks their terms bit for bit (and a linear op's
 * VJP does not move at all, so its missing term is exactly right).  The
 * others take h = 1e-5: truncation h^2/6 |f''''| < 1e-9 and rounding
 * u |vjp| / h < 1e-10 at the sizes here, so 1e-6 leaves room and still
 * fails a wrong rule by orders of magnitude. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/program.h"
#include "core/thessian.h"
#include "core/tvals.h"
#include "testmain.h"
#include "testprog.h"
#include "testrand.h"
#include "tkcheck.h"

#define EXACT_H 0.0625
/* For max and min: values 2^-10 apart never swap under a step of
 * 2^-12 along tangents of at most 1. */
#define ROUTE_H 0x1p-12
#define H 1e-5
#define TOL 1e-6

/* op on inputs of the given shapes, drawn from the seed. */
static void check(enum nb_op op, int attr, const struct nb_shape *s,
		  size_t nin, double h, double tol, uint64_t seed)
{
	tk_check_op(tk_check_vjp2, op, attr, s, nin, h, tol, seed);
}

/* a @ b in its four rank cases, at three sizes: dA' = dC @ B'.T, and
 * dB' = A'.T @ dC. */
START_TEST(test_matmul)
{
	static const int ranks[][2] = { { 2, 2 }, { 2, 1 }, { 1, 2 },
					{ 1, 1 } };
	static const uint32_t sizes[][3] = { { 3, 4, 5 }, { 1, 1, 1 },
					     { 7, 2, 6 } };

	for (size_t z = 0; z < 3; z++) {
		const uint32_t *d = sizes[z];
		struct nb_shape s[2] = {
			tk_rank_shape(ranks[_i][0], ranks[_i][0] == 2 ? d[0] : d[1], d[1]),
			tk_rank_shape(ranks[_i][1], d[1], d[2]) };
		check(NB_OP_MATMUL, 0, s, 2, EXACT_H, 0, 11 + z);
	}
}
END_TEST

/* The bilinear dot and outer, and the linear transpose, trace and
 * stack (whose VJPs do not move). */
START_TEST(test_linear)
{
	struct nb_shape m = nb_shape_matrix(3, 5), v = nb_shape_vector(4);
	struct nb_shape sq = nb_shape_matrix(4, 4), two[2] = { v, v };

	check(NB_OP_TRANSPOSE, 0, &m, 1, EXACT_H, 0, 1);
	check(NB_OP_TRANSPOSE, 0, &v, 1, EXACT_H, 0, 2);
	check(NB_OP_DOT, 0, two, 2, EXACT_H, 0, 3);
	two[0] = nb_shape_vector(1);
	two[1] = nb_shape_vector(1);
	check(NB_OP_DOT, 0, two, 2, EXACT_H, 0, 4);
	two[0] = nb_shape_vector(4);
	two[1] = nb_shape_vector(3);
	check(NB_OP_OUTER, 0, two, 2, EXACT_H, 0, 5);
	check(NB_OP_TRACE, 0, &sq, 1, EXACT_H, 0, 6);
	for (size_t k = 0; k < 2; k++) {       /* [a, b] of scalars, vectors */
		two[0] = two[1] = tk_rank_shape((int)k, 3, 0);
		check(NB_OP_STACK, 0, two, 2, EXACT_H, 0, 7 + k);
	}
}
END_TEST

/* Gathers, x[i], X[i, j], X[i]: no term, the indices' tangents unread. */
START_TEST(test_index)
{
	static const double ids[] = { 2, 0, 2, -1 };
	struct nb_shape s = _i ? nb_shape_matrix(3, 4) : nb_shape_vector(5);
	uint64_t st = 7;
	struct tk_node nd = { .op = NB_OP_INDEX };

	tk_add(&nd, "x", s, NULL, &st);
	tk_add(&nd, "ids", nb_shape_vector(4), ids, NULL)->index = 1;
	tk_check_vjp2(&nd, EXACT_H, 0, 8);
	tk_free(&nd);
	tk_add(&nd, "x", s, NULL, &st);
	tk_add_const(&nd, "i", -2);
	if (_i == 1)
		tk_add_const(&nd, "j", 3);
	tk_check_vjp2(&nd, EXACT_H, 0, 9);
	tk_free(&nd);
}
END_TEST

static const enum nb_op reductions[] = {
	NB_OP_RSUM, NB_OP_RMEAN, NB_OP_RMAX, NB_OP_RMIN, NB_OP_LOGSUMEXP,
	NB_OP_NORM, NB_OP_SOFTMAX, NB_OP_LOG_SOFTMAX,
};

/* Every reduction and softmax at a scalar, vectors and matrices, over
 * all elements and along each axis, counted from either end (norm takes
 * no axis).  max and min route to an element that a small step does
 * not change (the values are 2^-10 apart, or tie exactly, which the
 * seeds here do not draw), so their missing term is right. */
START_TEST(test_reductions)
{
	enum nb_op op = reductions[_i];
	struct nb_shape shapes[] = { nb_shape_scalar(), nb_shape_vector(6),
				     nb_shape_matrix(3, 5),
				     nb_shape_matrix(1, 4),
				     nb_shape_matrix(4, 1) };
	static const int32_t axes[] = { 0, 1, -1, -2 };
	int route = op == NB_OP_RMAX || op == NB_OP_RMIN;
	int linear = route || op == NB_OP_RSUM || op == NB_OP_RMEAN;

	for (size_t z = 0; z < sizeof shapes / sizeof *shapes; z++)
		for (size_t a = 0; a <= 4; a++) {
			int32_t axis = a ? axes[a - 1] : 0;
			if (a && (op == NB_OP_NORM || axis >= shapes[z].rank ||
				  -axis > shapes[z].rank))
				continue;
			check(op, a ? nb_attr_of_axis(axis) : 0, &shapes[z],
			      1, route ? ROUTE_H : linear ? EXACT_H : H,
			      linear ? 0 : TOL,
			      50 + z * 5 + a);
		}
}
END_TEST

/* The norm's term at 0 is 0, as its gradient is. */
START_TEST(test_norm_zero)
{
	static const double zero[3] = { 0, 0, 0 };
	uint64_t st = 3;
	struct nb_targ a = { zero, nb_shape_vector(3), "x", NULL, 0 };
	double t[3], v = 0, vt = 0, dv = 1, d2[3] = { NAN, NAN, NAN };
	struct nb_tnode n = { NB_OP_NORM, 0, &a, 1, &v, nb_shape_scalar(),
			      &dv, t, NULL, NULL };

	for (size_t k = 0; k < 3; k++)
		t[k] = tk_dyadic(&st);
	a.t = t;
	ck_assert_int_eq(nb_tkernel_vjp2(&n, &vt, 0, d2), 1);
	for (size_t k = 0; k < 3; k++)
		ck_assert(d2[k] == 0);
}
END_TEST

/* Constructors and onehot: nothing to differentiate, no term. */
START_TEST(test_constructors)
{
	static const enum nb_op ops[] = { NB_OP_ZEROS, NB_OP_ONES,
					  NB_OP_RANDN, NB_OP_RAND };
	struct tk_node nd = { .op = NB_OP_EYE };

	tk_add_const(&nd, "n", 3);
	tk_check_vjp2(&nd, EXACT_H, 0, 1);
	tk_free(&nd);
	nd.op = NB_OP_ONEHOT;
	tk_add_const(&nd, "i", 1);
	tk_add_const(&nd, "n", 4);
	tk_check_vjp2(&nd, EXACT_H, 0, 1);
	tk_free(&nd);
	for (size_t k = 0; k < 4; k++) {
		nd.op = ops[k];
		tk_add_const(&nd, "m", 2);
		tk_add_const(&nd, "n", 3);
		tk_check_vjp2(&nd, EXACT_H, 0, 1);
		tk_free(&nd);
	}
}
END_TEST

/* ---- whole programs: H.v against the gradient's differences ---- */

/* Programs over W (3x4), x (4), b (3) with every op that has a second
 * derivative, elementwise ones broadcasting, forks (an input used
 * twice) and linear ops on the way. */
static const char *const programs[] = {
	"sum(tanh(W @ x + b) * b)",
	"logsumexp(W @ x) - dot(x, x) * mean(W * x)",
	"norm(outer(b, x) * W) + trace(W.T @ W) * norm(b)",
	"sum(softmax(W, axis=0) * W) + max(W @ x) * (min(W, axis=1) @ b)",
	"mean(log_softmax(W @ x + b)) * sum(log_softmax(W, axis=0) * W)",
	"sum(W[1] * x * x) + min(b) * sum(W[[0, 2, 0]] @ x) + W[2, 3] * x[1]",
	"sum(sigmoid(x @ W.T) * [b, b]) + (logsumexp(W, axis=0) @ x) ^ 2",
	"sum(exp(x) / (1 + x * x)) * mean(b) + sum(sqrt(1 + W * W), axis=1) @ b",
	"-log(softmax(W @ x + b)[1]) + sum(relu(W @ x + b) ^ 3)",
	"sum(softmax(W, axis=1) * log_softmax(W, axis=-2)) + dot(b, b) ^ 2",
	"logsumexp(W * W + b @ W, axis=1) @ b + sum(sin(W) @ cos(x))",
	"sum(eye(3) @ b * b) / (1 + sum(ones(4) * x * x)) + onehot(1, 3) @ b",
};
#define N_PROGRAMS ((int)(sizeof programs / sizeof programs[0]))

/* Uniform in [-1, 1) on a grid fine enough that no two values tie. */
static double uniform(uint64_t *st)
{
	return (double)(splitmix64(st) >> 11) * 0x1p-52 - 1;
}

/* A program over some of W, x and b and a point: the elements of its inputs in
 * the order of p.vars, as H.v's vectors lay them out. */
struct prog {
	struct nb_program p;
	double x[32];
	size_t n;
};

/* The shape of input var of g: W is 3x4, x 4, b 3. */
static struct nb_shape var_shape(const struct prog *g, size_t var)
{
	size_t len;
	const char *s = nb_node_name(&g->p, g->p.vars[var], &len);

	return *s == 'W' ? nb_shape_matrix(3, 4)
	       : nb_shape_vector(*s == 'x' ? 4 : 3);
}

/* Binds g's inputs to the elements at x, in turn. */
static void prog_bind(struct prog *g, const double *x)
{
	size_t at = 0;

	for (size_t k = 0; k < g->p.nvars; k++) {
		struct nb_tensor t = { var_shape(g, k), (double *)x + at };
		ck_assert_int_eq(nb_program_set_tensor(&g->p, k, &t), 0);
		at += tk_count(&t.shape);
	}
}

static void prog_new(struct prog *g, const char *text, uint64_t *st)
{
	memset(g, 0, sizeof *g);
	compile_ok(&g->p, text);
	ck_assert_uint_le(g->p.nvars, 3);
	for (size_t k = 0; k < g->p.nvars; k++) {
		struct nb_shape s = var_shape(g, k);
		for (size_t e = 0; e < tk_count(&s); e++)
			g->x[g->n++] = uniform(st);
	}
}

/* Runs the sweeps at the inputs x (g->n of them, W, x and b in the
 * program's order of vars), and copies the gradient into grad. */
static void gradient_at(struct prog *g, const double *x, double *grad)
{
	const struct nb_tvals *tv;
	struct nb_diag d;
	size_t at = 0;

	prog_bind(g, x);
	ck_assert_int_eq(nb_program_run(&g->p, NULL, &d), 0);
	tv = g->p.tape.tv;
	for (size_t k = 0; k < g->p.nvars; k++) {
		size_t i = g->p.vars[k];
		memcpy(grad + at, tv->grd + tv->off[i],
		       tv->size[i] * sizeof *grad);
		at += tv->size[i];
	}
}

/* H.v at the inputs x into hv, by nb_thvp_sweep. */
static void hvp_at(struct prog *g, const double *x, const double *v,
		   double *hv)
{
	struct nb_tdual d;
	const struct nb_tvals *tv;
	size_t at = 0;

	gradient_at(g, x, hv);
	ck_assert_int_eq(nb_tdual_init(&d, &g->p), 0);
	nb_thvp_sweep(&g->p, v, &d);
	tv = g->p.tape.tv;
	for (size_t k = 0; k < g->p.nvars; k++) {
		size_t i = g->p.vars[k];
		memcpy(hv + at, d.gtan + tv->off[i], tv->size[i] * sizeof *hv);
		at += tv->size[i];
	}
	nb_tdual_free(&d);
}

START_TEST(test_hvp_vs_differences)
{
	uint64_t st = 300 + (uint64_t)_i;

	for (int round = 0; round < 4; round++) {
		struct prog g;
		double v[32], hv[32], up[32], down[32], xs[32];
		const double *x = g.x;
		prog_new(&g, programs[_i], &st);
		for (size_t e = 0; e < g.n; e++)
			v[e] = uniform(&st);
		hvp_at(&g, x, v, hv);
		for (size_t e = 0; e < g.n; e++)
			xs[e] = x[e] + H * v[e];
		gradient_at(&g, xs, up);
		for (size_t e = 0; e < g.n; e++)
			xs[e] = x[e] - H * v[e];
		gradient_at(&g, xs, down);
		for (size_t e = 0; e < g.n; e++) {
			double diff = (up[e] - down[e]) / (2 * H);
			ck_assert_msg(fabs(hv[e] - diff) <= TOL * (1 +
				      fabs(diff)), "%s: (H.v)[%zu] %.17g, "
				      "central difference of the gradient "
				      "%.17g", programs[_i], e, hv[e], diff);
		}
		nb_program_free(&g.p);
	}
}
END_TEST

/* The Hessian, one product per unit vector, is symmetric: each entry is
 * computed twice, by different sweeps, to rounding. */
START_TEST(test_hessian_symmetric)
{
	uint64_t st = 500 + (uint64_t)_i;
	struct prog g;
	double e[32] = { 0 }, h[19][32];

	prog_new(&g, programs[_i], &st);
	ck_assert_uint_le(g.n, 19);
	for (size_t r = 0; r < g.n; r++) {
		e[r] = 1;
		hvp_at(&g, g.x, e, h[r]);
		e[r] = 0;
	}
	for (size_t r = 0; r < g.n; r++)
		for (size_t c = 0; c < r; c++)
			ck_assert_msg(fabs(h[r][c] - h[c][r]) <= 1e-12 *
				      (1 + fabs(h[r][c])), "%s: H[%zu][%zu] "
				      "%.17g, H[%zu][%zu] %.17g", programs[_i],
				      r, c, h[r][c], c, r, h[c][r]);
	nb_program_free(&g.p);
}
END_TEST

static Suite *tk_hvp_suite(void)
{
	Suite *s = suite_create("tk_hvp");
	TCase *tc = tcase_create("tk_hvp");

	tcase_add_loop_test(tc, test_matmul, 0, 4);
	tcase_add_test(tc, test_linear);
	tcase_add_loop_test(tc, test_index, 0, 3);
	tcase_add_loop_test(tc, test_reductions, 0,
			    (int)(sizeof reductions / sizeof reductions[0]));
	tcase_add_test(tc, test_norm_zero);
	tcase_add_test(tc, test_constructors);
	tcase_add_loop_test(tc, test_hvp_vs_differences, 0, N_PROGRAMS);
	tcase_add_loop_test(tc, test_hessian_symmetric, 0, N_PROGRAMS);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(tk_hvp_suite);
