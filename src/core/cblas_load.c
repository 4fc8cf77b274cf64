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

/* The library stays loaded until the process exits: its threads may be
 * running, and the products keep calling it. */
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
