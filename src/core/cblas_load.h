/* cblas_load.h - the CBLAS configure found, loaded when first wanted.
 *
 * OpenBLAS starts its pool of threads as soon as it is loaded, and each
 * idle worker spins in sched_yield for a while before it sleeps: a
 * program linked with it pays that on every run, products or not.  So
 * when configure found a shared CBLAS (NB_CBLAS_SONAME), nabla does not
 * link it but loads it with dlopen on the first call of nb_cblas(),
 * which core/gemm.c makes only for a product big enough to want it.
 * NABLA_BLAS in the environment names another library to load.  A CBLAS
 * found only as a static library is linked as before.
 *
 * Only core/gemm.c includes this file, and only when configure found a
 * CBLAS (HAVE_CBLAS). */
#ifndef NABLA_CBLAS_LOAD_H
#define NABLA_CBLAS_LOAD_H

#include <cblas.h>

/* cblas_dgemm and cblas_dgemv with int sizes, as every CBLAS with 32-bit
 * indices declares them (cblas_load.c checks against cblas.h). */
typedef void nb_cblas_dgemm_fn(enum CBLAS_ORDER order,
			       enum CBLAS_TRANSPOSE ta,
			       enum CBLAS_TRANSPOSE tb, int m, int n, int k,
			       double alpha, const double *a, int lda,
			       const double *b, int ldb, double beta,
			       double *c, int ldc);
typedef void nb_cblas_dgemv_fn(enum CBLAS_ORDER order,
			       enum CBLAS_TRANSPOSE ta, int m, int n,
			       double alpha, const double *a, int lda,
			       const double *x, int incx, double beta,
			       double *y, int incy);

struct nb_cblas {
	nb_cblas_dgemm_fn *dgemm;
	nb_cblas_dgemv_fn *dgemv;
};

/* The CBLAS's functions, or NULL when it cannot be loaded or lacks one
 * of them (the products then run on nabla's own loop).  The first call
 * loads the library; any thread may call, at any time. */
const struct nb_cblas *nb_cblas(void);

#endif
