/* progshare.c - working copies of a program: its structure shared, the
 * arrays the sweeps write owned. */
#include "core/progshare.h"

#include <string.h>

#include "core/alloc.h"

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

int nb_program_share(struct nb_program *w, const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;
	int failed = 0;

	*w = *p;
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
	memset(w, 0, sizeof *w);
}
