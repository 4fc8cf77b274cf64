/* cblas_load.c - the CBLAS, loaded with dlopen on first use (or linked,
 * when configure found no shared library to load). */
#include "core/cblas_load.h"

#include "config.h"

#ifdef NB_CBLAS_SONAME
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Calls go through pointers of our own types, so they must be the types
 * cblas.h gives the functions (a CBLAS with 64-bit indices is not). */
_Static_assert(_Generic(&cblas_dgemm, nb_cblas_dgemm_fn *: 1, default: 0),
	       "cblas.h's cblas_dgemm is not the one nabla calls");
_Static_assert(_Generic(&cblas_dgemv, nb_cblas_dgemv_fn *: 1, default: 0),
	       "cblas.h's cblas_dgemv is not the one nabla calls");

static struct nb_cblas loaded;
static const struct nb_cblas *found;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* POSIX gives dlsym's object pointer a function pointer's
 * representation; copying the bytes avoids the conversion ISO C lacks. */
static int symbol(void *lib, const char *name, void *fn, size_t size)
{
	void *p = dlsym(lib, name);

	if (!p || size != sizeof p)
		return 0;
	memcpy(fn, &p, size);
	return 1;
}

/* Whether OPENBLAS_NUM_THREADS asks for a number of threads: OpenBLAS
 * reads it as atoi does, and takes 0 (an empty value, a word, a number
 * below 1) for "as many as there are cores". */
static int threads_asked(void)
{
	const char *s = getenv("OPENBLAS_NUM_THREADS");

	return s && strtol(s, NULL, 10) > 0;
}

/* OpenBLAS splits a product among its threads in ways that change the
 * last bits with their number (0.3.21 on one and two threads: most
 * products with k of some hundreds, in a few to most elements), so a
 * product would give other bits on a machine with other cores.  It runs
 * on one thread unless OPENBLAS_NUM_THREADS asks for more, and the
 * workers OpenBLAS started on loading are stopped rather than left
 * spinning.  Another CBLAS has neither function. */
static void one_thread(void *lib)
{
	void (*set)(int);
	int (*stop)(void);

	if (threads_asked())
		return;
	if (symbol(lib, "openblas_set_num_threads", &set, sizeof set))
		set(1);
	if (symbol(lib, "blas_thread_shutdown_", &stop, sizeof stop))
		stop();
}

/* The library stays loaded until the process exits: the products keep
 * calling it. */
static void load(void)
{
	const char *name = getenv("NABLA_BLAS");
	void *lib;

	lib = dlopen(name && *name ? name : NB_CBLAS_SONAME,
		     RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return;
	if (!symbol(lib, "cblas_dgemm", &loaded.dgemm, sizeof loaded.dgemm) ||
	    !symbol(lib, "cblas_dgemv", &loaded.dgemv, sizeof loaded.dgemv)) {
		dlclose(lib);
		return;
	}
	one_thread(lib);
	found = &loaded;
}

const struct nb_cblas *nb_cblas(void)
{
	pthread_once(&once, load);
	return found;
}
#else
static const struct nb_cblas linked = { cblas_dgemm, cblas_dgemv };

const struct nb_cblas *nb_cblas(void)
{
	return &linked;
}
#endif
