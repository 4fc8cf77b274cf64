/* check_tk_reduce.c - the reductions and softmaxes (src/core/tk_reduce.c,
 * tk_softmax.c), called through nb_tkernel_* on hand-built nodes:
 * shapes and the axis= rules, values against plain loops, every element
 * of every VJP against central differences of the forward kernel, and
 * the corners: ties, nan, infinities, overflow, a norm of 0, scalars.
 *
 * Tolerances.  Values: the kernels add in halves, the references in
 * order; any order is within n u S of the exact sum of n terms whose
 * magnitudes add to S (u = 2^-53), so the two differ by at most
 * 2 n u S <= 2 * 51 * 2^-53 * 51 * e^2 < 5e-12 for the longest slice
 * here (51 elements of [-2, 2], exp'd for logsumexp); the final log,
 * sqrt, exp or division adds a few u.  Gradients: with h = 1e-5 the
 * central difference is off by h^2/6 |f'''| (< 1e-9: every third
 * derivative is O(1) on [-2, 2]) plus rounding, about u |f| / h < 1e-8
 * at |f| < 200.  Both tolerances leave room and still fail a wrong rule
 * by orders of magnitude.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/compile.h"
#include "core/program.h"
#include "core/tape.h"
#include "core/tkernel.h"
#include "core/view.h"
#include "testmain.h"
#include "testrand.h"
#include "tkcheck.h"

#define MAXN 64
#define VAL_TOL 1e-11
#define GRAD_TOL 1e-6
#define H 1e-5

static const enum nb_op ops[] = {
	NB_OP_RSUM, NB_OP_RMEAN, NB_OP_RMAX, NB_OP_RMIN,
	NB_OP_LOGSUMEXP, NB_OP_NORM, NB_OP_SOFTMAX, NB_OP_LOG_SOFTMAX,
};
#define N_OPS ((int)(sizeof ops / sizeof ops[0]))

static int is_softmax(enum nb_op op)
{
	return op == NB_OP_SOFTMAX || op == NB_OP_LOG_SOFTMAX;
}

/* A node of op on one input x of shape s, with room for its value,
 * upstream gradient and scratch. */
struct node {
	struct nb_targ in;
	struct nb_tnode n;
	double v[MAXN], dv[MAXN], work[MAXN];
};

static int shape_of(struct node *nd, enum nb_op op, int attr,
		    const double *x, struct nb_shape s, char *why)
{
	memset(nd, 0, sizeof *nd);
	nd->in = (struct nb_targ){ x, s, "X", NULL, 0 };
	nd->n = (struct nb_tnode){ op, attr, &nd->in, 1, nd->v, s, nd->dv,
				   nd->work, NULL, NULL };
	return nb_tkernel_shape(op, attr, &nd->in, 1, &nd->n.vs, why);
}

/* Builds the node and runs its forward kernel. */
static void forward(struct node *nd, enum nb_op op, int attr,
		    const double *x, struct nb_shape s)
{
	char why[NB_TKERNEL_WHY];

	ck_assert_int_eq(shape_of(nd, op, attr, x, s, why), 0);
	ck_assert_uint_le(nb_tkernel_work(&nd->n), MAXN);
	for (size_t k = 0; k < MAXN; k++)
		nd->v[k] = nd->work[k] = NAN;
	ck_assert_int_eq(nb_tkernel_forward(&nd->n, why), 0);
}

static size_t size_of(struct nb_shape s)
{
	size_t n = 1;

	for (int a = 0; a < s.rank; a++)
		n *= s.dim[a];
	return n;
}

/* The VJP of x with upstream dv, over a da full of nan (it must
 * overwrite every element). */
static void vjp(enum nb_op op, int attr, const double *x, struct nb_shape s,
		const double *dv, double *da)
{
	struct node nd;

	forward(&nd, op, attr, x, s);
	memcpy(nd.dv, dv, size_of(nd.n.vs) * sizeof *dv);
	for (size_t k = 0; k < size_of(s); k++)
		da[k] = NAN;
	nb_tkernel_vjp(&nd.n, 0, da);
}

/* ---- references: plain loops over a slice gathered by index ---- */

/* The axis attr names for rank r, or -1 for none, -2 out of range. */
static int axis_for(int attr, int r)
{
	int a = attr > 0 ? attr - 1 : r + attr;

	if (attr == 0)
		return -1;
	return a >= 0 && a < r ? a : -2;
}

/* The elements of x of shape s whose indices agree with element e's
 * except along axis (all of them for axis -1), in order; returns how
 * many, and *pos is e's place among them. */
static size_t gather(const double *x, struct nb_shape s, int axis, size_t e,
		     double *out, size_t *pos)
{
	size_t n = size_of(s), cols = s.rank == 2 ? s.dim[1] : 1, m = 0;

	*pos = 0;
	for (size_t k = 0; k < n; k++) {
		int same = axis < 0 || (s.rank == 1) ||
			   (axis == 0 ? k % cols == e % cols
				      : k / cols == e / cols);
		if (!same)
			continue;
		if (k == e)
			*pos = m;
		out[m++] = x[k];
	}
	return m;
}

static double ref_reduce(enum nb_op op, const double *a, size_t n)
{
	double s = 0, best = a[0];

	for (size_t k = 0; k < n; k++) {
		switch (op) {
		case NB_OP_RMAX: best = a[k] > best ? a[k] : best; break;
		case NB_OP_RMIN: best = a[k] < best ? a[k] : best; break;
		case NB_OP_LOGSUMEXP: s += exp(a[k]); break;
		case NB_OP_NORM: s += a[k] * a[k]; break;
		default: s += a[k]; break;
		}
	}
	switch (op) {
	case NB_OP_RMAX: case NB_OP_RMIN: return best;
	case NB_OP_RMEAN: return s / (double)n;
	case NB_OP_LOGSUMEXP: return log(s);
	case NB_OP_NORM: return sqrt(s);
	default: return s;
	}
}

static double ref_softmax(enum nb_op op, const double *a, size_t n,
			  size_t pos)
{
	double s = 0;

	for (size_t k = 0; k < n; k++)
		s += exp(a[k]);
	return op == NB_OP_SOFTMAX ? exp(a[pos]) / s : log(exp(a[pos]) / s);
}

/* The index in x of the first element of reduced element j's slice:
 * j's indices with 0 inserted at axis. */
static size_t first_of(struct nb_shape s, int axis, size_t j)
{
	if (axis < 0 || s.rank == 1)
		return 0;
	return axis == 0 ? j : j * s.dim[1];
}

static void close_to(double got, double want, double tol, const char *what,
		     size_t k)
{
	ck_assert_msg(fabs(got - want) <= tol * (1 + fabs(want)),
		      "%s[%zu]: got %.17g, want %.17g", what, k, got, want);
}

/* ---- the sweep over ops, shapes and axes ---- */

/* 3x17 and 17x3 have slices longer than eight, contiguous and strided,
 * which the pairwise sum splits. */
static const struct nb_shape shapes[] = {
	{ 0, { 0 } }, { 1, { 5 } }, { 1, { 20 } }, { 2, { 1, 4 } },
	{ 2, { 4, 1 } }, { 2, { 3, 4 } }, { 2, { 3, 17 } }, { 2, { 17, 3 } },
};
#define N_SHAPES ((int)(sizeof shapes / sizeof shapes[0]))

/* axis= none, 0, 1, -1, -2 as attributes. */
static int attr_of(int c)
{
	static const int axes[] = { 0, 1, -1, -2 };

	return c == 0 ? 0 : nb_attr_of_axis(axes[c - 1]);
}
#define N_ATTRS 5

static double draw(uint64_t *st)
{
	return (double)(splitmix64(st) >> 11) * 0x1.0p-51 - 2;
}

static void check_shape(enum nb_op op, struct nb_shape s, int axis,
			struct nb_shape got)
{
	struct nb_shape want = s;

	if (!is_softmax(op)) {
		want = (struct nb_shape){ 0, { 0 } };
		for (int a = 0; axis >= 0 && a < s.rank; a++)
			if (a != axis)
				want.dim[want.rank++] = s.dim[a];
	}
	ck_assert_int_eq(got.rank, want.rank);
	for (int a = 0; a < want.rank; a++)
		ck_assert_uint_eq(got.dim[a], want.dim[a]);
}

static void check_values(enum nb_op op, int attr, const double *x,
			 struct nb_shape s, int axis)
{
	struct node nd;
	double a[MAXN];
	size_t pos;

	forward(&nd, op, attr, x, s);
	check_shape(op, s, axis, nd.n.vs);
	if (is_softmax(op) && axis < 0)
		axis = s.rank - 1;
	for (size_t j = 0; j < size_of(nd.n.vs); j++) {
		size_t e = is_softmax(op) ? j : first_of(s, axis, j);
		size_t n = gather(x, s, axis, e, a, &pos);
		double want = is_softmax(op) ? ref_softmax(op, a, n, pos)
					     : ref_reduce(op, a, n);
		close_to(nd.v[j], want, VAL_TOL, nb_ops[op].name, j);
	}
}

/* A node of op on the input X of shape s, holding x, for tkcheck.h. */
static struct tk_node tk_node1(enum nb_op op, int attr, const double *x,
			       struct nb_shape s)
{
	struct tk_node n;

	memset(&n, 0, sizeof n);
	n.op = op;
	n.axis = attr;
	tk_add(&n, "X", s, x, NULL);
	return n;
}

static void check_grads(enum nb_op op, int attr, const double *x,
			struct nb_shape s, uint64_t seed)
{
	struct tk_node n = tk_node1(op, attr, x, s);

	tk_check_vjp(&n, H, GRAD_TOL, seed);
	tk_free(&n);
}

static void check_shape_error(enum nb_op op, int attr, struct nb_shape s,
			      const char *want)
{
	struct tk_node n = tk_node1(op, attr, NULL, s);

	tk_check_shape_error(&n, want);
	tk_free(&n);
}

static void check_out_of_range(enum nb_op op, int attr, struct nb_shape s)
{
	char want[NB_TKERNEL_WHY], buf[NB_SHAPE_BUF];

	snprintf(want, sizeof want, "axis %d is out of range for X of shape %s",
		 attr > 0 ? attr - 1 : attr, nb_shape_format(buf, &s));
	check_shape_error(op, attr, s, want);
}

/* Case _i: one op on every shape with every axis. */
START_TEST(test_sweep)
{
	enum nb_op op = ops[_i];
	uint64_t st = (uint64_t)_i;
	double x[MAXN];

	for (int si = 0; si < N_SHAPES; si++) {
		struct nb_shape s = shapes[si];
		for (size_t k = 0; k < size_of(s); k++)
			x[k] = draw(&st);
		for (int c = 0; c < N_ATTRS; c++) {
			int attr = attr_of(c), axis = axis_for(attr, s.rank);
			if (axis == -2) {
				check_out_of_range(op, attr, s);
				continue;
			}
			check_values(op, attr, x, s, axis);
			check_grads(op, attr, x, s, splitmix64(&st));
		}
	}
}
END_TEST

START_TEST(test_axis_message)
{
	struct nb_shape m = nb_shape_matrix(3, 4), z = nb_shape_scalar();

	check_shape_error(NB_OP_RSUM, nb_attr_of_axis(2), m,
			  "axis 2 is out of range for X of shape 3x4");
	check_shape_error(NB_OP_SOFTMAX, nb_attr_of_axis(-3), m,
			  "axis -3 is out of range for X of shape 3x4");
	check_shape_error(NB_OP_RMEAN, nb_attr_of_axis(0), z,
			  "axis 0 is out of range for X of shape ()");
	check_shape_error(NB_OP_LOG_SOFTMAX, nb_attr_of_axis(-1), z,
			  "axis -1 is out of range for X of shape ()");
}
END_TEST

/* Nothing to take the max of along axis 0 of a 0x3; along axis 1, none
 * of the 0 rows needs one. */
START_TEST(test_empty)
{
	struct nb_shape s = nb_shape_matrix(0, 3), out;
	struct tk_node n = tk_node1(NB_OP_RMAX, nb_attr_of_axis(1), NULL, s);
	char why[NB_TKERNEL_WHY];

	check_shape_error(NB_OP_RMAX, nb_attr_of_axis(0), s,
			  "'max' needs at least one element to reduce: "
			  "X is 0x3");
	check_shape_error(NB_OP_RMIN, 0, s,
			  "'min' needs at least one element to reduce: "
			  "X is 0x3");
	ck_assert_int_eq(tk_shape(&n, &out, why), 0);
	ck_assert_uint_eq(out.rank, 1);
	ck_assert_uint_eq(out.dim[0], 0);
	tk_free(&n);
}
END_TEST

/* The gradient of x at upstream dv, all ones. */
static void grad1(enum nb_op op, int attr, const double *x, struct nb_shape s,
		  double *da)
{
	double dv[MAXN];

	for (size_t k = 0; k < MAXN; k++)
		dv[k] = 1;
	vjp(op, attr, x, s, dv, da);
}

static void assert_elems(const double *got, const double *want, size_t n)
{
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(got[k] == want[k] ||
				      (isnan(got[k]) && isnan(want[k])),
			      "[%zu]: got %.17g, want %.17g", k, got[k],
			      want[k]);
}

/* max and min route to the first extremal element in row-major order,
 * per slice with axis=. */
START_TEST(test_ties)
{
	static const double v[] = { 1, 3, 3, 2 }, w[] = { 2, 1, 5, 1 };
	static const double m[] = { 1, 5, 2, 4, 5, 2, 4, 0, 2 };
	static const double all[] = { 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	static const double cols[] = { 0, 1, 1, 1, 0, 0, 0, 0, 0 };
	static const double rows[] = { 0, 1, 0, 0, 1, 0, 1, 0, 0 };
	static const double first3[] = { 0, 1, 0, 0 };
	static const double mcols[] = { 1, 0, 1, 0, 0, 0, 0, 1, 0 };
	struct nb_shape s3 = nb_shape_matrix(3, 3);
	double da[MAXN];

	grad1(NB_OP_RMAX, 0, v, nb_shape_vector(4), da);
	assert_elems(da, first3, 4);
	grad1(NB_OP_RMIN, 0, w, nb_shape_vector(4), da);
	assert_elems(da, first3, 4);
	grad1(NB_OP_RMAX, 0, m, s3, da);
	assert_elems(da, all, 9);
	grad1(NB_OP_RMAX, nb_attr_of_axis(0), m, s3, da);
	assert_elems(da, cols, 9);
	grad1(NB_OP_RMAX, nb_attr_of_axis(-1), m, s3, da);
	assert_elems(da, rows, 9);
	grad1(NB_OP_RMIN, nb_attr_of_axis(0), m, s3, da);
	assert_elems(da, mcols, 9);
}
END_TEST

/* A nan makes max and min nan, as NumPy's, and takes the gradient. */
START_TEST(test_nan)
{
	static const double x[] = { 1, NAN, 3, NAN }, y[] = { 5, NAN };
	static const double at1[] = { 0, 1, 0, 0 };
	struct node nd;
	double da[MAXN];

	for (int k = 0; k < 2; k++) {
		enum nb_op op = k ? NB_OP_RMIN : NB_OP_RMAX;
		forward(&nd, op, 0, x, nb_shape_vector(4));
		ck_assert(isnan(nd.v[0]));
		grad1(op, 0, x, nb_shape_vector(4), da);
		assert_elems(da, at1, 4);
		forward(&nd, op, 0, y, nb_shape_vector(2));
		ck_assert(isnan(nd.v[0]));
	}
}
END_TEST

static double value1(enum nb_op op, const double *x, size_t n)
{
	struct node nd;

	forward(&nd, op, 0, x, nb_shape_vector((uint32_t)n));
	return nd.v[0];
}

START_TEST(test_logsumexp_extremes)
{
	static const double big[] = { 1000, 1000 }, small[] = { -1000, -1000 };
	static const double ninf[] = { -INFINITY, -INFINITY, -INFINITY };
	static const double pinf[] = { 1, INFINITY };
	static const double third[] = { 1. / 3, 1. / 3, 1. / 3 };
	static const double onlyinf[] = { 0, 1 }, half[] = { 0.5, 0.5 };
	double da[MAXN];

	close_to(value1(NB_OP_LOGSUMEXP, big, 2), 1000 + log(2), 1e-15,
		 "lse", 0);
	close_to(value1(NB_OP_LOGSUMEXP, small, 2), -1000 + log(2), 1e-15,
		 "lse", 0);
	ck_assert(value1(NB_OP_LOGSUMEXP, ninf, 3) == -INFINITY);
	ck_assert(value1(NB_OP_LOGSUMEXP, pinf, 2) == INFINITY);
	/* The gradient is the softmax, even where every element is -inf
	 * (the limit of equal elements) or one is +inf. */
	grad1(NB_OP_LOGSUMEXP, 0, ninf, nb_shape_vector(3), da);
	assert_elems(da, third, 3);
	grad1(NB_OP_LOGSUMEXP, 0, big, nb_shape_vector(2), da);
	assert_elems(da, half, 2);
	grad1(NB_OP_LOGSUMEXP, 0, pinf, nb_shape_vector(2), da);
	assert_elems(da, onlyinf, 2);
}
END_TEST

/* softmax sums to 1 along its axis, and is unmoved by adding 1000 or
 * -1000 to a slice (no overflow to inf, no underflow to 0/0). */
START_TEST(test_softmax_stable)
{
	static const double base[] = { 0, 1, 2, -1, 0.5, 3 };
	struct nb_shape s = nb_shape_matrix(2, 3);
	double x[6];
	struct node ref, nd;

	for (int op = 0; op < 2; op++) {
		enum nb_op o = op ? NB_OP_LOG_SOFTMAX : NB_OP_SOFTMAX;
		forward(&ref, o, 0, base, s);
		for (int shift = -1; shift <= 1; shift += 2) {
			for (int k = 0; k < 6; k++)
				x[k] = base[k] + shift * 1000;
			forward(&nd, o, 0, x, s);
			for (int k = 0; k < 6; k++)
				close_to(nd.v[k], ref.v[k], 1e-15,
					 nb_ops[o].name, (size_t)k);
		}
	}
	for (int c = 0; c < 3; c++) {
		int attr = c == 2 ? 0 : nb_attr_of_axis(c);
		struct run { size_t n, stride, count, step; } sl =
			c == 0 ? (struct run){ 2, 3, 3, 1 }
			       : (struct run){ 3, 1, 2, 3 };
		forward(&nd, NB_OP_SOFTMAX, attr, base, s);
		for (size_t j = 0; j < sl.count; j++) {
			double t = 0;
			for (size_t k = 0; k < sl.n; k++)
				t += nd.v[j * sl.step + k * sl.stride];
			close_to(t, 1, 1e-15, "softmax sum", j);
		}
	}
}
END_TEST

/* A scalar is one slice of one element: each reduction gives it back
 * (norm its magnitude) and passes the gradient through. */
START_TEST(test_scalar)
{
	static const double x[] = { -3 }, dv[] = { 2.5 };
	static const double value[] = { -3, -3, -3, -3, -3, 3 };
	static const double grad[] = { 2.5, 2.5, 2.5, 2.5, 2.5, -2.5 };
	struct nb_shape s = nb_shape_scalar();
	double da[1];
	struct node nd;

	forward(&nd, NB_OP_SOFTMAX, 0, x, s);
	ck_assert(nd.v[0] == 1);
	forward(&nd, NB_OP_LOG_SOFTMAX, 0, x, s);
	ck_assert(nd.v[0] == 0);
	for (int k = 0; k < 2; k++) {
		vjp(k ? NB_OP_SOFTMAX : NB_OP_LOG_SOFTMAX, 0, x, s, dv, da);
		ck_assert(da[0] == 0);
	}
	for (int k = 0; k < 6; k++) {
		forward(&nd, ops[k], 0, x, s);
		ck_assert(nd.v[0] == value[k]);
		vjp(ops[k], 0, x, s, dv, da);
		ck_assert(da[0] == grad[k]);
	}
}
END_TEST

START_TEST(test_norm)
{
	static const double zero[] = { 0, 0, 0 }, pyth[] = { 3, 4 };
	static const double huge[] = { 1e200, -1e200 }, tiny[] = { 3e-200,
								  4e-200 };
	static const double inf[] = { 1, -INFINITY };
	double da[MAXN];

	ck_assert(value1(NB_OP_NORM, zero, 3) == 0);
	grad1(NB_OP_NORM, 0, zero, nb_shape_vector(3), da);
	assert_elems(da, zero, 3);
	ck_assert(value1(NB_OP_NORM, pyth, 2) == 5);
	close_to(value1(NB_OP_NORM, huge, 2), sqrt(2) * 1e200, 1e-15, "norm",
		 0);
	close_to(value1(NB_OP_NORM, tiny, 2), 5e-200, 1e-15, "norm", 0);
	ck_assert(value1(NB_OP_NORM, inf, 2) == INFINITY);
}
END_TEST

/* ---- through the sweeps (core/tsweep.c): shapes, scratch, seeds ---- */

static double run_value(struct nb_program *p, const double *x,
			struct nb_shape s)
{
	struct nb_tensor t = { s, (double *)x };
	struct nb_diag d;

	ck_assert_int_eq(nb_program_set_tensor(p, 0, &t), 0);
	ck_assert_int_eq(nb_program_run(p, NULL, &d), 0);
	return nb_node_value(&p->tape, p->output).x[0];
}

/* The program's value from the kernels called one by one. */
static double by_kernels(const double *x, struct nb_shape s, int attr)
{
	struct node a, b;
	double prod[MAXN], lse, norm;

	forward(&a, NB_OP_LOGSUMEXP, 0, x, s);
	lse = a.v[0];
	forward(&a, NB_OP_NORM, 0, x, s);
	norm = a.v[0];
	forward(&a, NB_OP_SOFTMAX, attr, x, s);
	forward(&b, NB_OP_LOG_SOFTMAX, attr, x, s);
	for (size_t k = 0; k < size_of(s); k++)
		prod[k] = a.v[k] * b.v[k];
	forward(&a, NB_OP_LOGSUMEXP, 0, prod, s);
	return lse * norm + a.v[0];
}

/* Case _i: the softmaxes along the default axis, or axis=0 (attributes
 * set on the tape as the parser sets them), on a 3x17 input whose
 * slices need logsumexp's and norm's scratch; the gradient of the
 * scalar output against central differences of whole runs. */
START_TEST(test_through_sweeps)
{
	static const char text[] = "logsumexp(x) * norm(x) + "
				   "logsumexp(softmax(x) * log_softmax(x))";
	struct nb_shape s = nb_shape_matrix(3, 17);
	struct nb_program p = { 0 };
	struct nb_diag d;
	struct nb_view g;
	double x[51], gx[51];
	uint64_t st = 99;

	memset(&d, 0, sizeof d);
	ck_assert_msg(nb_program_compile(&p, "<expr>", text, strlen(text),
					 &d) == 0, "%s", d.msg);
	for (size_t i = 0; _i && i < p.tape.n; i++)
		if (is_softmax((enum nb_op)p.tape.op[i]))
			ck_assert_int_eq(nb_tape_set_attr(&p.tape, (uint32_t)i,
							  nb_attr_of_axis(0)),
					 0);
	for (size_t k = 0; k < 51; k++)
		x[k] = draw(&st);
	close_to(run_value(&p, x, s), by_kernels(x, s, _i ? nb_attr_of_axis(0)
							     : 0),
		 VAL_TOL, "f", 0);
	g = nb_node_grad(&p.tape, p.vars[0]);
	ck_assert(nb_shape_equal(&g.shape, &s));
	memcpy(gx, g.x, sizeof gx);
	for (size_t k = 0; k < 51; k++) {
		double keep = x[k], fp, fm;
		x[k] = keep + H;
		fp = run_value(&p, x, s);
		x[k] = keep - H;
		fm = run_value(&p, x, s);
		x[k] = keep;
		close_to(gx[k], (fp - fm) / (2 * H), GRAD_TOL, "dx", k);
	}
	nb_program_free(&p);
}
END_TEST

static Suite *tk_reduce_suite(void)
{
	Suite *s = suite_create("tk_reduce");
	TCase *tc = tcase_create("tk_reduce");

	tcase_add_loop_test(tc, test_sweep, 0, N_OPS);
	tcase_add_test(tc, test_axis_message);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_ties);
	tcase_add_test(tc, test_nan);
	tcase_add_test(tc, test_logsumexp_extremes);
	tcase_add_test(tc, test_softmax_stable);
	tcase_add_test(tc, test_scalar);
	tcase_add_test(tc, test_norm);
	tcase_add_loop_test(tc, test_through_sweeps, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(tk_reduce_suite);
