/* gemm.c - matrix products on a CBLAS when configure found one, else on
 * a cache-blocked loop. */
#include "core/gemm.h"

#include "config.h"
#ifdef HAVE_CBLAS
#include <limits.h>

#include "core/cblas_load.h"
#endif

/* The loop packs a KC x NC block of op(B) contiguously (64 KiB, within
 * a level-2 cache), then sweeps every row of C over it: each row's NC
 * elements stay in level 1 while KC terms are added to them. */
enum { KC = 128, NC = 64 };

/* Element (i, j) of op(X), for X stored with rows ld apart. */
static double at(const double *x, size_t ld, enum nb_trans t, size_t i,
		 size_t j)
{
	return t == NB_NOTRANS ? x[i * ld + j] : x[j * ld + i];
}

/* C = beta * C, where beta == 0 clears C even of nan. */
static void scale_rows(size_t m, size_t n, double beta, double *c,
		       size_t ldc)
{
	if (beta == 1)
		return;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
}

/* C[:, j0:j0+nc] += alpha * op(A)[:, p0:p0+kc] @ bp, bp the packed block
 * (kc rows of nc).  The innermost loop runs over contiguous rows of C
 * and bp, which the compiler vectorises. */
static void block_update(enum nb_trans ta, size_t m, size_t p0, size_t kc,
			 size_t j0, size_t nc, double alpha, const double *a,
			 size_t lda, const double *restrict bp,
			 double *restrict c, size_t ldc)
{
	for (size_t i = 0; i < m; i++) {
		double *restrict ci = c + i * ldc + j0;

		for (size_t p = 0; p < kc; p++) {
			double s = alpha * at(a, lda, ta, i, p0 + p);
			const double *restrict bpp = bp + p * nc;

			/* A full block's constant trip count lets -O2's
			 * cheap vectoriser take the loop. */
			if (nc == NC)
				for (size_t j = 0; j < NC; j++)
					ci[j] += s * bpp[j];
			else
				for (size_t j = 0; j < nc; j++)
					ci[j] += s * bpp[j];
		}
	}
}

void nb_gemm_loop(enum nb_trans ta, enum nb_trans tb, size_t m, size_t n,
		  size_t k, double alpha, const double *a, size_t lda,
		  const double *b, size_t ldb, double beta, double *c,
		  size_t ldc)
{
	double bp[KC * NC];

	scale_rows(m, n, beta, c, ldc);
	if (alpha == 0 || m == 0)
		return;
	/* Blocks of k in increasing order: each C element adds its terms
	 * in order of k, as a plain triple loop does. */
	for (size_t p0 = 0; p0 < k; p0 += KC) {
		size_t kc = k - p0 < KC ? k - p0 : KC;

		for (size_t j0 = 0; j0 < n; j0 += NC) {
			size_t nc = n - j0 < NC ? n - j0 : NC;

			for (size_t p = 0; p < kc; p++)
				for (size_t j = 0; j < nc; j++)
					bp[p * nc + j] =
						at(b, ldb, tb, p0 + p, j0 + j);
			block_update(ta, m, p0, kc, j0, nc, alpha, a, lda, bp,
				     c, ldc);
		}
	}
}

void nb_gemv_loop(enum nb_trans ta, size_t m, size_t n, double alpha,
		  const double *a, size_t lda, const double *x, double beta,
		  double *y)
{
	if (ta == NB_NOTRANS) {
		scale_rows(m, 1, beta, y, 1);
		if (alpha == 0)
			return;
		for (size_t i = 0; i < m; i++)
			y[i] += alpha * nb_dot(n, a + i * lda, x);
		return;
	}
	/* A.T @ x: add x[i] times row i of A, rows in order, so that each
	 * y element adds its terms in order as above. */
	scale_rows(n, 1, beta, y, 1);
	if (alpha == 0)
		return;
	for (size_t i = 0; i < m; i++) {
		double s = alpha * x[i];
		const double *ai = a + i * lda;

		for (size_t j = 0; j < n; j++)
			y[j] += s * ai[j];
	}
}

/* Four partial sums (elements i mod 4), added pairwise at the end:
 * independent chains the processor overlaps, in a fixed order. */
double nb_dot(size_t n, const double *x, const double *y)
{
	double s[4] = { 0, 0, 0, 0 };
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		for (int l = 0; l < 4; l++)
			s[l] += x[i + l] * y[i + l];
	for (; i < n; i++)
		s[i % 4] += x[i] * y[i];
	return (s[0] + s[1]) + (s[2] + s[3]);
}

#ifdef HAVE_CBLAS
/* Whether every size fits CBLAS's int and none is 0: the reference BLAS
 * rejects a row stride of 0 (as a 0-column matrix may have), and the
 * loop handles empty products exactly. */
static int fits(size_t m, size_t n, size_t k, size_t l1, size_t l2,
		size_t l3)
{
	size_t all[] = { m, n, k, l1, l2, l3 };

	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i] == 0 || all[i] > INT_MAX)
			return 0;
	return 1;
}

/* The CBLAS for a product of m * n * k multiply-adds, or NULL for the
 * loop.  OpenBLAS runs such products 3 to 7 times as fast as the loop,
 * but loading it costs some 1.5 ms (and its idle threads spin for a
 * while): a product below 2^20 multiply-adds (about 100 x 100 @ 100 x
 * 100) saves at most 0.1 ms on it, so it runs on the loop and never
 * loads the library.  The rule looks at the size alone, so a product's
 * bits do not depend on what ran before it. */
static const struct nb_cblas *blas_for(size_t m, size_t n, size_t k)
{
	const double big = 1 << 20;

	if ((double)m * (double)n * (double)k < big)
		return NULL;
	return nb_cblas();
}

static enum CBLAS_TRANSPOSE cblas_trans(enum nb_trans t)
{
	return t == NB_NOTRANS ? CblasNoTrans : CblasTrans;
}

static int gemm_on(const struct nb_cblas *b, enum nb_trans ta,
		   enum nb_trans tb, size_t m, size_t n, size_t k,
		   double alpha, const double *a, size_t lda, const double *bm,
		   size_t ldb, double beta, double *c, size_t ldc)
{
	if (!b || !fits(m, n, k, lda, ldb, ldc))
		return 0;
	b->dgemm(CblasRowMajor, cblas_trans(ta), cblas_trans(tb), (int)m,
		 (int)n, (int)k, alpha, a, (int)lda, bm, (int)ldb, beta, c,
		 (int)ldc);
	return 1;
}

static int gemv_on(const struct nb_cblas *b, enum nb_trans ta, size_t m,
		   size_t n, double alpha, const double *a, size_t lda,
		   const double *x, double beta, double *y)
{
	if (!b || !fits(m, n, 1, lda, 1, 1))
		return 0;
	b->dgemv(CblasRowMajor, cblas_trans(ta), (int)m, (int)n, alpha, a,
		 (int)lda, x, 1, beta, y, 1);
	return 1;
}
#endif

#ifndef HAVE_CBLAS
struct nb_cblas;

static const struct nb_cblas *blas_for(size_t m, size_t n, size_t k)
{
	(void)m, (void)n, (void)k;
	return NULL;
}

static const struct nb_cblas *nb_cblas(void)
{
	return NULL;
}
#endif

/* The product on lib, or on the loop when there is none (NULL) or it
 * cannot take these sizes. */
static void gemm_with(const struct nb_cblas *lib, enum nb_trans ta,
		      enum nb_trans tb, size_t m, size_t n, size_t k,
		      double alpha, const double *a, size_t lda,
		      const double *b, size_t ldb, double beta, double *c,
		      size_t ldc)
{
#ifdef HAVE_CBLAS
	if (gemm_on(lib, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c,
		    ldc))
		return;
#else
	(void)lib;
#endif
	nb_gemm_loop(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static void gemv_with(const struct nb_cblas *lib, enum nb_trans ta,
		      size_t m, size_t n, double alpha, const double *a,
		      size_t lda, const double *x, double beta, double *y)
{
#ifdef HAVE_CBLAS
	if (gemv_on(lib, ta, m, n, alpha, a, lda, x, beta, y))
		return;
#else
	(void)lib;
#endif
	nb_gemv_loop(ta, m, n, alpha, a, lda, x, beta, y);
}

void nb_gemm(enum nb_trans ta, enum nb_trans tb, size_t m, size_t n,
	     size_t k, double alpha, const double *a, size_t lda,
	     const double *b, size_t ldb, double beta, double *c,
	     size_t ldc)
{
	gemm_with(blas_for(m, n, k), ta, tb, m, n, k, alpha, a, lda, b, ldb,
		  beta, c, ldc);
}

void nb_gemv(enum nb_trans ta, size_t m, size_t n, double alpha,
	     const double *a, size_t lda, const double *x, double beta,
	     double *y)
{
	gemv_with(blas_for(m, n, 1), ta, m, n, alpha, a, lda, x, beta, y);
}

void nb_gemm_blas(enum nb_trans ta, enum nb_trans tb, size_t m, size_t n,
		  size_t k, double alpha, const double *a, size_t lda,
		  const double *b, size_t ldb, double beta, double *c,
		  size_t ldc)
{
	gemm_with(nb_cblas(), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c,
		  ldc);
}

void nb_gemv_blas(enum nb_trans ta, size_t m, size_t n, double alpha,
		  const double *a, size_t lda, const double *x, double beta,
		  double *y)
{
	gemv_with(nb_cblas(), ta, m, n, alpha, a, lda, x, beta, y);
}
