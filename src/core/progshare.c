/* progshare.c - working copies of a program: its structure shared, the
 * arrays the sweeps write owned, and a shaped program's bound tensors
 * and arenas copied. */
#include "core/progshare.h"

#include <string.h>

#include "core/alloc.h"
#include "core/tvals.h"

/* A copy of n doubles at src, or NULL (also when there are none). */
static double *copy(const double *src, size_t n, int *failed)
{
	double *d;

	if (!src || n == 0)
		return NULL;
	d = nb_malloc(n * sizeof *d);
	if (!d) {
		*failed = 1;
		return NULL;
	}
	memcpy(d, src, n * sizeof *d);
	return d;
}

/* The values bound to p's variables, each its own copy: a batch row
 * writes its elements into them. */
static int copy_tensors(struct nb_program *w, const struct nb_program *p)
{
	w->tval = nb_malloc(p->nvars * sizeof *w->tval);
	if (!w->tval)
		return -1;
	memset(w->tval, 0, p->nvars * sizeof *w->tval);
	for (size_t k = 0; k < p->nvars; k++) {
		size_t n;
		if (!p->tval[k].data)
			continue;
		if (nb_tensor_alloc(&w->tval[k], &p->tval[k].shape) ||
		    nb_shape_size(&p->tval[k].shape, &n))
			return -1;
		memcpy(w->tval[k].data, p->tval[k].data,
		       n * sizeof *w->tval[k].data);
	}
	return 0;
}

int nb_program_share(struct nb_program *w, const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;
	int failed = 0;

	*w = *p;
	w->tval = NULL;
	w->tape.tv = NULL;
	if (p->tval && p->nvars && copy_tensors(w, p))
		failed = 1;
	if (t->tv && !(w->tape.tv = nb_tvals_copy(t->tv, t->n, t->nedge,
						  t->maxin)))
		failed = 1;
	w->tape.value = copy(t->value, t->n, &failed);
	w->tape.grad = copy(t->grad, t->n, &failed);
	/* nb_tape_locals grows the copy's own when a sweep needs more. */
	w->tape.local = copy(t->local, t->nlocal, &failed);
	if (!w->tape.local)
		w->tape.nlocal = 0;
	w->tape.xbuf = copy(t->xbuf, t->maxin, &failed);
	return failed ? -1 : 0;
}

void nb_program_share_free(struct nb_program *w)
{
	nb_free(w->tape.value);
	nb_free(w->tape.grad);
	nb_free(w->tape.local);
	nb_free(w->tape.xbuf);
	nb_tvals_free(w->tape.tv);
	for (size_t k = 0; w->tval && k < w->nvars; k++)
		nb_tensor_free(&w->tval[k]);
	nb_free(w->tval);
	memset(w, 0, sizeof *w);
}
