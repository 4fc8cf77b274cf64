/* gemm.h - matrix products: C = alpha * op(A) @ op(B) + beta * C.
 *
 * Row-major, with the meaning of cblas_dgemm(CblasRowMajor, ...): op(X)
 * is X or its transpose, read in place (a transpose is never copied), so
 * a VJP such as dW = dD @ X.T is one call.  With a CBLAS found by
 * configure (OpenBLAS) the products of at least 2^20 multiply-adds run
 * there, the library loaded on the first of them (core/cblas_load.h);
 * smaller ones, and all of them without a CBLAS (or with --without-blas,
 * or when it cannot be loaded), on the *_loop functions below, which are
 * always built so that tests compare both in one build.  Which one runs
 * a product depends on its size alone, never on what ran before.
 *
 * Like the reference BLAS: beta == 0 overwrites C (whatever it held,
 * nan included), alpha == 0 reads neither A nor B.
 *
 * Threads: OpenBLAS runs on one thread unless OPENBLAS_NUM_THREADS asks
 * for more (core/cblas_load.c): its bits change with the thread count.
 * Its products give the same bits run after run, and may differ in the
 * last bits from the loop's, whose terms are added in order of k
 * (check_gemm bounds the difference).  nb_dot is always nabla's own
 * loop: OpenBLAS splits a long dot product among threads, so its bits
 * would depend on their number. */
#ifndef NABLA_GEMM_H
#define NABLA_GEMM_H

#include <stddef.h>

enum nb_trans { NB_NOTRANS = 0, NB_TRANS = 1 };

/* op(A) is m x k: A is stored m x k (ta == NB_NOTRANS) or k x m, rows
 * lda apart; op(B) is k x n: B is stored k x n or n x k, rows ldb apart;
 * C is m x n, rows ldc apart.  A row stride is at least the stored
 * row's length, and at least 1. */
typedef void nb_gemm_fn(enum nb_trans ta, enum nb_trans tb, size_t m,
			size_t n, size_t k, double alpha, const double *a,
			size_t lda, const double *b, size_t ldb, double beta,
			double *c, size_t ldc);

/* y (length op(A)'s rows) = alpha * op(A) @ x + beta * y, where A is
 * stored m x n, rows lda apart: op(A) @ x is A @ x (x of length n) or
 * A.T @ x (x of length m).  x and y are contiguous. */
typedef void nb_gemv_fn(enum nb_trans ta, size_t m, size_t n, double alpha,
			const double *a, size_t lda, const double *x,
			double beta, double *y);

/* On the CBLAS configure found, else on nabla's own loops. */
nb_gemm_fn nb_gemm;
nb_gemv_fn nb_gemv;

/* On the CBLAS whatever the size, when there is one (tests). */
nb_gemm_fn nb_gemm_blas;
nb_gemv_fn nb_gemv_blas;

/* Always on nabla's own loops, whatever configure found. */
nb_gemm_fn nb_gemm_loop;
nb_gemv_fn nb_gemv_loop;

/* The dot product of the n contiguous elements of x and of y, in a
 * fixed order whatever the machine or the thread count. */
double nb_dot(size_t n, const double *x, const double *y);

#endif
