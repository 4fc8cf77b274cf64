/* check_seeds_tensor.c - the seeds' vectorised examples (CS231n backprop
 * notes) through the core API: compile, bind tensors, run with an
 * upstream gradient, read the views.  Each expected gradient is written
 * here the way the notes derive it (naive loops for dW = dD @ X.T, the
 * closed forms of the neuron and of softmax cross-entropy), never read
 * back from nabla.
 *
 * Values are multiples of 2^-10 where the op is linear (matrix products,
 * gathers, the relu gate): every product and sum of them is exact in
 * double, so those gradients are compared bit for bit whatever order a
 * BLAS sums in.  The others are compared to a few ulps of their scale. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/compile.h"
#include "core/program.h"
#include "core/view.h"
#include "testmain.h"
#include "testprog.h"
#include "testrand.h"

/* A multiple of 2^-10 in [-1, 1) from *st. */
static double dyadic(uint64_t *st)
{
	return (double)(int64_t)(splitmix64(st) % 2048) / 1024.0 - 1.0;
}

static void fill(double *x, size_t n, uint64_t *st)
{
	for (size_t i = 0; i < n; i++)
		x[i] = dyadic(st);
}

static void bind(struct nb_program *p, const char *name, struct nb_shape s,
		 double *x)
{
	struct nb_tensor t = { s, x };
	long var = nb_program_var(p, name, strlen(name));

	ck_assert_msg(var >= 0, "no input %s", name);
	ck_assert_int_eq(nb_program_set_tensor(p, (size_t)var, &t), 0);
}

/* Runs p with the upstream gradient up of shape s (x NULL: none). */
static void run(struct nb_program *p, struct nb_shape s, double *up)
{
	struct nb_tensor t = { s, up };
	struct nb_diag d;
	int r;

	memset(&d, 0, sizeof d);
	ck_assert_int_eq(nb_program_check_bound(p, &d), 0);
	r = nb_program_run(p, up ? &t : NULL, &d);
	ck_assert_msg(r == 0, "run failed (%d): %s", r, d.msg);
	ck_assert(nb_program_has_grad(p));
}

/* The gradient of input name, which must have shape s. */
static const double *grad(const struct nb_program *p, const char *name,
			  struct nb_shape s)
{
	long var = nb_program_var(p, name, strlen(name));
	struct nb_view g;

	ck_assert_msg(var >= 0, "no input %s", name);
	g = nb_node_grad(&p->tape, p->vars[var]);
	ck_assert_msg(g.x != NULL, "no gradient for %s", name);
	ck_assert_msg(nb_shape_equal(&g.shape, &s),
		      "d/d%s has the wrong shape", name);
	return g.x;
}

static const double *value(const struct nb_program *p, struct nb_shape s)
{
	struct nb_view v = nb_node_value(&p->tape, p->output);

	ck_assert_msg(nb_shape_equal(&v.shape, &s), "output's shape is wrong");
	return v.x;
}

/* got[i] == want[i] within tol * scale (tol 0: exactly). */
static void same(const char *what, const double *got, const double *want,
		 size_t n, double tol, double scale)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(fabs(got[i] - want[i]) <= tol * scale,
			      "%s[%zu] is %.17g, expected %.17g", what, i,
			      got[i], want[i]);
}

/* D = W @ X with upstream dD: dW = dD @ X.T and dX = W.T @ dD, "by
 * dimension analysis" (the notes' 5x10 and 10x3), against naive loops. */
START_TEST(test_matmul_dimension_analysis)
{
	enum { M = 5, K = 10, N = 3 };
	double W[M * K], X[K * N], dD[M * N], D[M * N], dW[M * K], dX[K * N];
	uint64_t st = 1;
	struct nb_program p;

	fill(W, M * K, &st);
	fill(X, K * N, &st);
	fill(dD, M * N, &st);
	for (int i = 0; i < M; i++)
		for (int j = 0; j < N; j++) {
			D[i * N + j] = 0;
			for (int k = 0; k < K; k++)
				D[i * N + j] += W[i * K + k] * X[k * N + j];
		}
	for (int i = 0; i < M; i++)
		for (int k = 0; k < K; k++) {
			dW[i * K + k] = 0;
			for (int j = 0; j < N; j++)
				dW[i * K + k] += dD[i * N + j] * X[k * N + j];
		}
	for (int k = 0; k < K; k++)
		for (int j = 0; j < N; j++) {
			dX[k * N + j] = 0;
			for (int i = 0; i < M; i++)
				dX[k * N + j] += W[i * K + k] * dD[i * N + j];
		}
	compile_ok(&p, "D = W @ X");
	bind(&p, "W", nb_shape_matrix(M, K), W);
	bind(&p, "X", nb_shape_matrix(K, N), X);
	run(&p, nb_shape_matrix(M, N), dD);
	same("D", value(&p, nb_shape_matrix(M, N)), D, M * N, 0, 0);
	same("dW", grad(&p, "W", nb_shape_matrix(M, K)), dW, M * K, 0, 0);
	same("dX", grad(&p, "X", nb_shape_matrix(K, N)), dX, K * N, 0, 0);
	nb_program_free(&p);
}
END_TEST

/* The relu gate on [1, -2, 3, -3] with upstream [4, -1, 5, 9] passes
 * [4, 0, 5, 0]: max(0, x), relu(x), max(x, 0) (the same away from 0),
 * and x bound in the program itself. */
static const char *const relu_forms[] = {
	"max(0, x)", "relu(x)", "max(x, 0)",
	"x = [1, -2, 3, -3]; y = max(0, x)",
};

START_TEST(test_relu_gate)
{
	double x[] = { 1, -2, 3, -3 }, up[] = { 4, -1, 5, 9 };
	const double want_v[] = { 1, 0, 3, 0 }, want_g[] = { 4, 0, 5, 0 };
	struct nb_program p;

	compile_ok(&p, relu_forms[_i]);
	if (strchr(relu_forms[_i], ';') == NULL)
		bind(&p, "x", nb_shape_vector(4), x);
	run(&p, nb_shape_vector(4), up);
	same("max(0, x)", value(&p, nb_shape_vector(4)), want_v, 4, 0, 0);
	same("dx", grad(&p, "x", nb_shape_vector(4)), want_g, 4, 0, 0);
	nb_program_free(&p);
}
END_TEST

/* The gate at its kink, elementwise: n-ary max gives a tie to its first
 * argument, so max(x, 0) passes the gradient where x is 0 and max(0, x)
 * and relu do not; min likewise.  A reduction's tie goes to the first
 * extremal element in row-major order. */
static const struct {
	const char *text;
	double grad[4];
} tie_forms[] = {
	{ "max(x, 0)", { 4, 0, 5, 9 } },
	{ "max(0, x)", { 0, 0, 5, 0 } },
	{ "relu(x)", { 0, 0, 5, 0 } },
	{ "min(x, 0)", { 4, -1, 0, 9 } },
	{ "min(0, x)", { 0, -1, 0, 0 } },
	/* x = [0, -2, 3, 3]: d/dmax(x) = sum(up * [4, -1, 5, 9]) = 123. */
	{ "max(x) * [4, -1, 5, 9]", { 0, 0, 123, 0 } },
	/* x = [0, -2, 3, -2] */
	{ "min(x) * [4, -1, 5, 9]", { 0, 123, 0, 0 } },
};

START_TEST(test_gate_ties)
{
	double x[] = { 0, -2, 3, 0 }, up[] = { 4, -1, 5, 9 };
	struct nb_program p;

	x[3] = _i >= 5 ? (_i == 5 ? 3 : -2) : 0;   /* a tied extremum */
	compile_ok(&p, tie_forms[_i].text);
	bind(&p, "x", nb_shape_vector(4), x);
	run(&p, nb_shape_vector(4), up);
	same(tie_forms[_i].text, grad(&p, "x", nb_shape_vector(4)),
	     tie_forms[_i].grad, 4, 0, 0);
	nb_program_free(&p);
}
END_TEST

static double sigmoid(double z)
{
	return 1 / (1 + exp(-z));
}

/* The notes' neuron layer s = u @ sigmoid(W @ x + b) (z = Wx + b,
 * h = f(z), s = u'h): ds/du = h, and with dz = u * h * (1 - h),
 * ds/dW = outer(dz, x), ds/dx = W.T @ dz, ds/db = dz. */
START_TEST(test_neuron_layer)
{
	enum { M = 4, N = 3 };
	double W[M * N], x[N], b[M], u[M];
	double h[M], dz[M], dW[M * N], dx[N] = { 0 }, s = 0;
	uint64_t st = 7;
	struct nb_program p;

	fill(W, M * N, &st);
	fill(x, N, &st);
	fill(b, M, &st);
	fill(u, M, &st);
	for (int i = 0; i < M; i++) {
		double z = b[i];

		for (int j = 0; j < N; j++)
			z += W[i * N + j] * x[j];
		h[i] = sigmoid(z);
		dz[i] = u[i] * h[i] * (1 - h[i]);
		s += u[i] * h[i];
		for (int j = 0; j < N; j++) {
			dW[i * N + j] = dz[i] * x[j];
			dx[j] += W[i * N + j] * dz[i];
		}
	}
	compile_ok(&p, "s = u @ sigmoid(W @ x + b)");
	bind(&p, "W", nb_shape_matrix(M, N), W);
	bind(&p, "x", nb_shape_vector(N), x);
	bind(&p, "b", nb_shape_vector(M), b);
	bind(&p, "u", nb_shape_vector(M), u);
	run(&p, nb_shape_scalar(), NULL);
	same("s", value(&p, nb_shape_scalar()), &s, 1, 1e-14, 1);
	same("ds/du", grad(&p, "u", nb_shape_vector(M)), h, M, 1e-14, 1);
	same("ds/dW", grad(&p, "W", nb_shape_matrix(M, N)), dW, M * N, 1e-14, 1);
	same("ds/dx", grad(&p, "x", nb_shape_vector(N)), dx, N, 1e-14, 1);
	same("ds/db", grad(&p, "b", nb_shape_vector(M)), dz, M, 1e-14, 1);
	nb_program_free(&p);
}
END_TEST

/* An embedding lookup E[ids] with id 1 twice: on the way back the rows
 * of the upstream scatter-add into dE (row 1 gets two of them), and the
 * ids, an input used as an index, get gradient 0 of their shape. */
START_TEST(test_embedding_repeated_id)
{
	enum { V = 5, D = 3, N = 4 };
	double E[V * D], ids[N] = { 1, 3, 1, -1 }, up[N * D], dE[V * D] = { 0 };
	double rows[N * D];
	const double zeros[N] = { 0 };
	uint64_t st = 3;
	struct nb_program p;

	fill(E, V * D, &st);
	fill(up, N * D, &st);
	for (int r = 0; r < N; r++) {
		int id = ids[r] < 0 ? V + (int)ids[r] : (int)ids[r];

		for (int j = 0; j < D; j++) {
			rows[r * D + j] = E[id * D + j];
			dE[id * D + j] += up[r * D + j];
		}
	}
	compile_ok(&p, "E[ids]");
	bind(&p, "E", nb_shape_matrix(V, D), E);
	bind(&p, "ids", nb_shape_vector(N), ids);
	run(&p, nb_shape_matrix(N, D), up);
	same("E[ids]", value(&p, nb_shape_matrix(N, D)), rows, N * D, 0, 0);
	same("dE", grad(&p, "E", nb_shape_matrix(V, D)), dE, V * D, 0, 0);
	same("dids", grad(&p, "ids", nb_shape_vector(N)), zeros, N, 0, 0);
	nb_program_free(&p);
}
END_TEST

/* The same lookup written as the notes first write it, a one-hot row
 * times the table: onehot(i, V) @ E is row i, and dE = outer(onehot, up). */
START_TEST(test_embedding_onehot_product)
{
	enum { V = 5, D = 3 };
	double E[V * D], up[D], dE[V * D] = { 0 };
	uint64_t st = 5;
	struct nb_program p;

	fill(E, V * D, &st);
	fill(up, D, &st);
	for (int j = 0; j < D; j++)
		dE[2 * D + j] = up[j];
	compile_ok(&p, "onehot(2, 5) @ E");
	bind(&p, "E", nb_shape_matrix(V, D), E);
	run(&p, nb_shape_vector(D), up);
	same("onehot(2, 5) @ E", value(&p, nb_shape_vector(D)), E + 2 * D, D,
	     0, 0);
	same("dE", grad(&p, "E", nb_shape_matrix(V, D)), dE, V * D, 0, 0);
	nb_program_free(&p);
}
END_TEST

/* Softmax cross-entropy at the top of a model: L = -log(softmax(z)[y])
 * has dL/dz = softmax(z) - onehot(y, n): the correct class gets p - 1,
 * the others p.  Also through log_softmax, and with logits large enough
 * that a softmax without the max shift would overflow. */
static const char *const xent_forms[] = {
	"L = -log(softmax(z)[y])",
	"L = -log_softmax(z)[y]",
	"p = softmax(z); L = -log(p[y])",
};

static void xent(const char *text, double shift)
{
	enum { N = 5 };
	double z[N], y = 3, prob[N], want[N], mx = -INFINITY, sum = 0, L;
	uint64_t st = 11;
	struct nb_program p;

	fill(z, N, &st);
	for (int i = 0; i < N; i++) {
		z[i] = 4 * z[i] + shift;
		mx = fmax(mx, z[i]);
	}
	for (int i = 0; i < N; i++)
		sum += exp(z[i] - mx);
	for (int i = 0; i < N; i++) {
		prob[i] = exp(z[i] - mx) / sum;
		want[i] = prob[i] - (i == (int)y);
	}
	L = -(z[(int)y] - mx - log(sum));
	compile_ok(&p, text);
	bind(&p, "z", nb_shape_vector(N), z);
	bind(&p, "y", nb_shape_scalar(), &y);
	run(&p, nb_shape_scalar(), NULL);
	/* L is computed from logits of magnitude up to |shift| + 4. */
	same("L", value(&p, nb_shape_scalar()), &L, 1, 1e-14, fabs(shift) + 4);
	same("dL/dz", grad(&p, "z", nb_shape_vector(N)), want, N, 1e-14, 1);
	same("dL/dy", grad(&p, "y", nb_shape_scalar()), (double[]){ 0 }, 1,
	     0, 0);
	nb_program_free(&p);
}

START_TEST(test_softmax_cross_entropy)
{
	xent(xent_forms[_i], 0);
	xent(xent_forms[_i], 1000);
}
END_TEST

static Suite *seeds_tensor_suite(void)
{
	Suite *s = suite_create("seeds_tensor");
	TCase *tc = tcase_create("vectorised");

	tcase_add_test(tc, test_matmul_dimension_analysis);
	tcase_add_loop_test(tc, test_relu_gate, 0,
			    sizeof relu_forms / sizeof *relu_forms);
	tcase_add_loop_test(tc, test_gate_ties, 0,
			    sizeof tie_forms / sizeof *tie_forms);
	tcase_add_test(tc, test_neuron_layer);
	tcase_add_test(tc, test_embedding_repeated_id);
	tcase_add_test(tc, test_embedding_onehot_product);
	tcase_add_loop_test(tc, test_softmax_cross_entropy, 0,
			    sizeof xent_forms / sizeof *xent_forms);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(seeds_tensor_suite);
