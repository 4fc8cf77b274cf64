/* check_tk_jvp.c - the JVP of every tensor op (forward mode, core/
 * tkernel.h) against central differences of its forward kernel along a
 * random direction, at several shapes each; and the shaped tangent sweep
 * against reverse mode on whole programs: J v = <grad, v>.
 *
 * Tolerances.  An op that is linear in each input (a product, a
 * transpose, a gather, a sum) has values and tangents that are
 * multiples of 2^-10 (tkcheck.h) and a step that is a power of two: the
 * difference is exact and tol 0 checks the JVP bit for bit (a bilinear
 * op's h^2 term cancels in the central difference).  The others take
 * h = 1e-5: truncation h^2/6 |f'''| < 1e-9 and rounding u |f| / h
 * < 1e-9 at the sizes here, so 1e-6 leaves room and still fails a wrong
 * rule by orders of magnitude. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/program.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "testmain.h"
#include "testprog.h"
#include "tkcheck.h"

#define EXACT_H 0.0625
#define H 1e-5
#define TOL 1e-6

/* op on inputs of the given shapes, drawn from the seed. */
static void check(enum nb_op op, int attr, const struct nb_shape *s,
		  size_t nin, double h, double tol, uint64_t seed)
{
	tk_check_op(tk_check_jvp, op, attr, s, nin, h, tol, seed);
}

START_TEST(test_matmul)
{
	/* (m,k)@(k,n), (m,k)@(k), (k)@(k,n), (k)@(k). */
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

START_TEST(test_linear)
{
	struct nb_shape m = nb_shape_matrix(3, 5), v = nb_shape_vector(4);
	struct nb_shape sq = nb_shape_matrix(4, 4), two[2] = { v, v };

	check(NB_OP_TRANSPOSE, 0, &m, 1, EXACT_H, 0, 1);
	check(NB_OP_TRANSPOSE, 0, &v, 1, EXACT_H, 0, 2);
	check(NB_OP_DOT, 0, two, 2, EXACT_H, 0, 3);
	two[1] = nb_shape_vector(3);
	check(NB_OP_OUTER, 0, two, 2, EXACT_H, 0, 4);
	check(NB_OP_TRACE, 0, &sq, 1, EXACT_H, 0, 5);
	for (size_t k = 0; k < 2; k++) {       /* [a, b] of scalars, vectors */
		two[0] = two[1] = tk_rank_shape((int)k, 3, 0);
		check(NB_OP_STACK, 0, two, 2, EXACT_H, 0, 6 + k);
	}
}
END_TEST

/* x[ids], X[ids] with a repeated id, then x[i], X[i, j], X[i] (_i 0, 1,
 * 2): the picks of the tangent, the indices' nan tangents unread. */
START_TEST(test_index)
{
	static const double ids[] = { 2, 0, 2, -1 };
	struct nb_shape s = _i ? nb_shape_matrix(3, 4) : nb_shape_vector(5);
	uint64_t st = 7;
	struct tk_node nd = { .op = NB_OP_INDEX };

	tk_add(&nd, "x", s, NULL, &st);
	tk_add(&nd, "ids", nb_shape_vector(4), ids, NULL)->index = 1;
	tk_check_jvp(&nd, EXACT_H, 0, 8);
	tk_free(&nd);
	tk_add(&nd, "x", s, NULL, &st);
	tk_add_const(&nd, "i", -2);
	if (_i == 1)
		tk_add_const(&nd, "j", 3);
	tk_check_jvp(&nd, EXACT_H, 0, 9);
	tk_free(&nd);
}
END_TEST

static const enum nb_op reductions[] = {
	NB_OP_RSUM, NB_OP_RMEAN, NB_OP_RMAX, NB_OP_RMIN, NB_OP_LOGSUMEXP,
	NB_OP_NORM, NB_OP_SOFTMAX, NB_OP_LOG_SOFTMAX,
};

/* Every reduction and softmax at a scalar, a vector and a matrix, over
 * all elements and along each axis (norm takes no axis). */
START_TEST(test_reductions)
{
	enum nb_op op = reductions[_i];
	struct nb_shape shapes[] = { nb_shape_scalar(), nb_shape_vector(6),
				     nb_shape_matrix(3, 5),
				     nb_shape_matrix(1, 4) };
	static const int32_t axes[] = { 0, 1, -1 };

	for (size_t z = 0; z < 4; z++)
		for (size_t a = 0; a < 3; a++) {
			int32_t axis = axes[a];
			if (a && (op == NB_OP_NORM || axis >= shapes[z].rank ||
				  -axis > shapes[z].rank))
				continue;
			check(op, a ? nb_attr_of_axis(axis) : 0, &shapes[z],
			      1, H, TOL, 20 + z * 3 + a);
		}
}
END_TEST

/* The norm's tangent at 0 is 0, as its gradient is. */
START_TEST(test_norm_zero)
{
	static const double zero[3] = { 0, 0, 0 };
	uint64_t st = 3;
	struct nb_targ a = { zero, nb_shape_vector(3), "x", NULL, 0 };
	double t[3], v = 0, dt = NAN;
	struct nb_tnode n = { NB_OP_NORM, 0, &a, 1, &v, nb_shape_scalar(),
			      NULL, t, NULL, NULL };

	for (size_t k = 0; k < 3; k++)
		t[k] = tk_dyadic(&st);
	a.t = t;
	nb_tkernel_jvp(&n, &dt);
	ck_assert(dt == 0);
}
END_TEST

/* Constructors and onehot: what their constant sizes and index make has
 * tangent 0. */
START_TEST(test_constructors)
{
	static const enum nb_op ops[] = { NB_OP_ZEROS, NB_OP_ONES,
					  NB_OP_RANDN, NB_OP_RAND };
	struct tk_node nd = { .op = NB_OP_EYE };

	tk_add_const(&nd, "n", 3);
	tk_check_jvp(&nd, EXACT_H, 0, 1);
	tk_free(&nd);
	nd.op = NB_OP_ONEHOT;
	tk_add_const(&nd, "i", 1);
	tk_add_const(&nd, "n", 4);
	tk_check_jvp(&nd, EXACT_H, 0, 1);
	tk_free(&nd);
	for (size_t k = 0; k < 4; k++) {
		nd.op = ops[k];
		tk_add_const(&nd, "m", 2);
		tk_add_const(&nd, "n", 3);
		tk_check_jvp(&nd, EXACT_H, 0, 1);
		tk_free(&nd);
	}
}
END_TEST

/* ---- whole programs: the tangent sweep against reverse mode ---- */

/* Binds input name to a tensor of shape s drawn from *st. */
static void bind_random(struct nb_program *p, const char *name,
			struct nb_shape s, uint64_t *st)
{
	double x[16];
	struct nb_tensor t = { s, x };
	long var = nb_program_var(p, name, strlen(name));

	for (size_t e = 0; e < 16; e++)
		x[e] = 2 * tk_dyadic(st);
	if (var >= 0)
		ck_assert_int_eq(nb_program_set_tensor(p, (size_t)var, &t), 0);
}

/* The tangent of p's output along a direction drawn from *st, and
 * <grad, direction> from reverse mode into *dot. */
static double jvp(struct nb_program *p, uint64_t *st, double *dot)
{
	const struct nb_tvals *tv = p->tape.tv;
	double *tan = nb_malloc(tv->nval * sizeof *tan), out;

	ck_assert_ptr_nonnull(tan);
	memset(tan, 0, tv->nval * sizeof *tan);
	*dot = 0;
	for (size_t k = 0; k < p->nvars; k++) {
		size_t i = p->vars[k];
		const double *g = tv->grd + tv->off[i];
		for (size_t e = 0; e < tv->size[i]; e++) {
			double d = tk_dyadic(st);
			tan[tv->off[i] + e] = d;
			*dot += g[e] * d;
		}
	}
	nb_tsweep_tangent(&p->tape, tan);
	out = tan[tv->off[p->output]];
	nb_free(tan);
	return out;
}

/* Programs over W (3x4), x (4), b (3) that take every differentiable
 * op and broadcasting. */
static const char *const programs[] = {
	"sum(tanh(W @ x + b) * b)",
	"logsumexp(W @ x) - dot(x, x) + mean(W * x)",
	"norm(outer(b, x) * W) + trace(W.T @ W)",
	"sum(softmax(W, axis=0) * W) + max(W @ x) + min(W, axis=1) @ b",
	"mean(log_softmax(W @ x + b)) + sum([x[0], b[-1]] * [1, 2])",
	"sum(W[1] * x) + min(b) + sum(W[[0, 2, 0]] @ x) + W[2, 3] * x[1]",
	"sum(sigmoid(x @ W.T) * [b, b]) + logsumexp(W, axis=0) @ x",
	"max(sum(W * W, axis=1)) + sum(exp(x) / (1 + x * x)) * mean(b)",
	"sum(zeros(3) + eye(3) @ b + onehot(1, 3) * b) + sum(ones(4) * x)",
};
#define N_PROGRAMS ((int)(sizeof programs / sizeof programs[0]))

START_TEST(test_forward_equals_reverse)
{
	uint64_t st = 100 + (uint64_t)_i;

	for (int round = 0; round < 5; round++) {
		struct nb_program p = { 0 };
		struct nb_diag d;
		double dot, t;

		compile_ok(&p, programs[_i]);
		bind_random(&p, "W", nb_shape_matrix(3, 4), &st);
		bind_random(&p, "x", nb_shape_vector(4), &st);
		bind_random(&p, "b", nb_shape_vector(3), &st);
		ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
		t = jvp(&p, &st, &dot);
		ck_assert_msg(fabs(t - dot) <= 1e-12 * (1 + fabs(dot)),
			      "%s: jvp %.17g, <grad, v> %.17g", programs[_i],
			      t, dot);
		nb_program_free(&p);
	}
}
END_TEST

static Suite *tk_jvp_suite(void)
{
	Suite *s = suite_create("tk_jvp");
	TCase *tc = tcase_create("tk_jvp");

	tcase_add_loop_test(tc, test_matmul, 0, 4);
	tcase_add_test(tc, test_linear);
	tcase_add_loop_test(tc, test_index, 0, 3);
	tcase_add_loop_test(tc, test_reductions, 0,
			    (int)(sizeof reductions / sizeof reductions[0]));
	tcase_add_test(tc, test_norm_zero);
	tcase_add_test(tc, test_constructors);
	tcase_add_loop_test(tc, test_forward_equals_reverse, 0, N_PROGRAMS);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(tk_jvp_suite);
