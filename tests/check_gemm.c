/* check_gemm.c - matrix products (src/core/gemm.c): nb_gemm (the CBLAS
 * for large products, the loop for small ones), the CBLAS for every size
 * and nabla's own loop, against a plain triple loop.
 *
 * Tolerance.  Each of the two results adds the k products (and beta*c)
 * in some order; with u = 2^-53, any order's result is within
 * gamma(k+2) * S of the exact value, where gamma(n) = n*u / (1 - n*u)
 * and S = |alpha| * sum |a_ip||b_pj| + |beta * c_ij| (Higham, Accuracy
 * and Stability, 3.1; the +2 covers the products by alpha and beta).
 * So two results differ by at most 2 * gamma(k+2) * S, which is what
 * the tests allow: a bound on any summation order, not a fudge factor.
 * Integer-valued data, whose sums are all exact, must match exactly. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/gemm.h"
#include "testmain.h"
#include "testrand.h"

static nb_gemm_fn *const backends[] = { nb_gemm, nb_gemm_blas,
					nb_gemm_loop };
static const char *const backend_names[] = { "nb_gemm", "cblas", "loop" };
#define N_BACKENDS (sizeof backends / sizeof backends[0])

/* A double in [-1, 1), or an integer in [-8, 8] when integral. */
static double draw(uint64_t *st, int integral)
{
	uint64_t r = splitmix64(st);

	if (integral)
		return (double)(int)(r % 17) - 8;
	return (double)(r >> 11) * 0x1.0p-52 - 1;
}

static double *fill(size_t n, uint64_t *st, int integral)
{
	double *x = nb_malloc(n * sizeof *x);

	ck_assert_ptr_nonnull(x);
	for (size_t i = 0; i < n; i++)
		x[i] = draw(st, integral);
	return x;
}

static double elem(const double *x, size_t ld, enum nb_trans t, size_t i,
		   size_t j)
{
	return t == NB_NOTRANS ? x[i * ld + j] : x[j * ld + i];
}

static double gamma_u(size_t n)
{
	double nu = (double)n * (DBL_EPSILON / 2);

	return nu / (1 - nu);
}

struct gcase { size_t m, n, k; };

static const struct gcase sizes[] = {
	{ 1, 1, 1 }, { 1, 1, 7 }, { 1, 9, 1 }, { 5, 1, 3 }, { 3, 5, 7 },
	{ 2, 3, 0 }, { 17, 13, 31 }, { 64, 64, 128 }, { 65, 63, 129 },
	{ 33, 130, 257 }, { 130, 70, 200 }, { 1, 100, 300 }, { 100, 1, 300 },
};
#define N_SIZES (sizeof sizes / sizeof sizes[0])
static const double betas[] = { 0, 1, -0.5 };
/* Cases: size x 4 transposes x 3 betas x 2 alphas x integral or not. */
#define N_GEMM_CASES ((int)N_SIZES * 4 * 3 * 2 * 2)

/* One case on every backend: rows padded (ld = columns + pad) so a
 * stride mistake shows. */
START_TEST(test_gemm)
{
	int c = _i;
	const struct gcase *g = &sizes[c % N_SIZES];
	enum nb_trans ta = (enum nb_trans)(c / N_SIZES % 2);
	enum nb_trans tb = (enum nb_trans)(c / N_SIZES / 2 % 2);
	double beta = betas[c / N_SIZES / 4 % 3];
	double alpha = c / N_SIZES / 12 % 2 ? 2.5 : 1;
	int integral = c / N_SIZES / 24 % 2;
	size_t m = g->m, n = g->n, k = g->k;
	size_t lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
	uint64_t st = (uint64_t)c;
	double *a = fill((ta ? k : m) * lda, &st, integral);
	double *b = fill((tb ? n : k) * ldb, &st, integral);
	double *c0 = fill(m * ldc, &st, integral);
	double *c1 = nb_malloc(m * ldc * sizeof *c1);

	ck_assert_ptr_nonnull(c1);
	for (size_t f = 0; f < N_BACKENDS; f++) {
		memcpy(c1, c0, m * ldc * sizeof *c1);
		if (beta == 0)  /* must be overwritten, not multiplied */
			for (size_t i = 0; i < m; i++)
				c1[i * ldc] = NAN;
		backends[f](ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c1,
			    ldc);
		for (size_t i = 0; i < m; i++) {
			for (size_t j = 0; j < ldc; j++) {
				double want = c0[i * ldc + j], s, tol;

				if (j >= n) {   /* padding untouched */
					ck_assert(c1[i * ldc + j] == want);
					continue;
				}
				want = beta == 0 ? 0 : beta * want;
				s = fabs(want);
				for (size_t p = 0; p < k; p++) {
					double t = elem(a, lda, ta, i, p) *
						   elem(b, ldb, tb, p, j);

					want += alpha * t;
					s += fabs(alpha * t);
				}
				tol = integral ? 0 : 2 * gamma_u(k + 2) * s;
				ck_assert_msg(fabs(c1[i * ldc + j] - want) <= tol,
					      "%s m=%zu n=%zu k=%zu ta=%d tb=%d "
					      "alpha=%g beta=%g: C[%zu,%zu] = %a, "
					      "want %a within %a",
					      backend_names[f], m, n,
					      k, ta, tb, alpha, beta, i, j,
					      c1[i * ldc + j], want, tol);
			}
		}
	}
	nb_free(a);
	nb_free(b);
	nb_free(c0);
	nb_free(c1);
}
END_TEST

/* alpha == 0 reads neither A nor B (nan there does not spread). */
START_TEST(test_gemm_alpha_zero)
{
	double a[4] = { NAN, NAN, NAN, NAN }, b[4] = { 1, 2, 3, 4 };

	for (size_t f = 0; f < N_BACKENDS; f++) {
		double c[4] = { 1, 2, 3, 4 };

		backends[f](NB_NOTRANS, NB_TRANS, 2, 2, 2, 0, a, 2, b, 2, 2, c,
			    2);
		for (int i = 0; i < 4; i++)
			ck_assert(c[i] == 2 * (i + 1));
	}
}
END_TEST


/* gemv and dot against gemm's own loop, which the test above checked:
 * y = op(A) @ x is C = op(A) @ X with X one column. */
START_TEST(test_gemv_dot)
{
	static nb_gemv_fn *const gemvs[] = { nb_gemv, nb_gemv_blas,
					     nb_gemv_loop };
	const struct gcase *g = &sizes[_i % N_SIZES];
	enum nb_trans ta = (enum nb_trans)(_i / N_SIZES % 2);
	size_t m = g->m, n = g->n, lda = n + 1;
	size_t rows = ta ? n : m, cols = ta ? m : n;
	uint64_t st = 1000 + (uint64_t)_i;
	double *a = fill(m * lda, &st, 0), *x = fill(cols, &st, 0);
	double *y0 = fill(rows, &st, 0), *y1 = nb_malloc(rows * sizeof *y1);
	double *want = nb_malloc(rows * sizeof *want);

	ck_assert_ptr_nonnull(y1);
	ck_assert_ptr_nonnull(want);
	memcpy(want, y0, rows * sizeof *want);
	nb_gemm_loop(ta, NB_NOTRANS, rows, 1, cols, 1.5, a, lda, x, 1, -1,
		     want, 1);
	for (size_t f = 0; f < N_BACKENDS; f++) {
		memcpy(y1, y0, rows * sizeof *y1);
		gemvs[f](ta, m, n, 1.5, a, lda, x, -1, y1);
		for (size_t i = 0; i < rows; i++) {
			double s = fabs(y0[i]);

			for (size_t p = 0; p < cols; p++)
				s += 1.5 * fabs(elem(a, lda, ta, i, p) * x[p]);
			ck_assert_msg(fabs(y1[i] - want[i]) <=
				      2 * gamma_u(cols + 2) * s,
				      "gemv %zu: m=%zu n=%zu ta=%d: y[%zu] = %a, "
				      "want %a", f, m, n, ta, i, y1[i], want[i]);
		}
		/* dot(row 0 of A, x) is (A @ x)[0] with alpha 1, beta 0. */
		if (!ta && f == 0) {
			double d = nb_dot(n, a, x), w = 0, s = 0;

			for (size_t p = 0; p < n; p++) {
				w += a[p] * x[p];
				s += fabs(a[p] * x[p]);
			}
			ck_assert_msg(fabs(d - w) <= 2 * gamma_u(n) * s,
				      "dot n=%zu: %a, want %a", n, d, w);
		}
	}
	nb_free(a);
	nb_free(x);
	nb_free(y0);
	nb_free(y1);
	nb_free(want);
}
END_TEST

START_TEST(test_dot_exact)
{
	double x[7] = { 1, 2, 3, 4, 5, 6, 7 }, y[7] = { 7, -6, 5, -4, 3, -2, 1 };

	ck_assert(nb_dot(7, x, y) == 7 - 12 + 15 - 16 + 15 - 12 + 7);
	ck_assert(nb_dot(0, x, y) == 0);
	/* Four partial sums, one each for indices 0 mod 4, 1 mod 4, ...:
	 * 1e16 + 1 - 1e16 would be 0 added in order; here it is 1. */
	{
		double u[5] = { 1e16, 1, 1, 1, -1e16 }, ones[5] = { 1, 1, 1, 1, 1 };

		ck_assert(nb_dot(5, u, ones) == 3);
	}
}
END_TEST

static Suite *gemm_suite(void)
{
	Suite *s = suite_create("gemm");
	TCase *tc = tcase_create("gemm");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_gemm, 0, N_GEMM_CASES);
	tcase_add_test(tc, test_gemm_alpha_zero);
	tcase_add_loop_test(tc, test_gemv_dot, 0, (int)N_SIZES * 2);
	tcase_add_test(tc, test_dot_exact);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(gemm_suite);
