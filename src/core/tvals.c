/* tvals.c - copying and freeing the arenas of a shaped tape. */
#include "core/tvals.h"

#include <string.h>

#include "core/alloc.h"

/* A copy of n items of size bytes at src (at least one item's room, as
 * the shape pass allocates); NULL sets *failed. */
static void *copy_of(const void *src, size_t n, size_t size, int *failed)
{
	void *d = nb_malloc((n ? n : 1) * size);

	if (!d)
		*failed = 1;
	else if (n)
		memcpy(d, src, n * size);
	return d;
}

struct nb_tvals *nb_tvals_copy(const struct nb_tvals *tv, size_t nodes,
			       size_t edges, size_t maxin)
{
	struct nb_tvals *c = nb_malloc(sizeof *c);
	int failed = 0;

	if (!c)
		return NULL;
	*c = *tv;
	c->shape = copy_of(tv->shape, nodes, sizeof *c->shape, &failed);
	c->off = copy_of(tv->off, nodes, sizeof *c->off, &failed);
	c->size = copy_of(tv->size, nodes, sizeof *c->size, &failed);
	c->uses = copy_of(tv->uses, nodes, sizeof *c->uses, &failed);
	c->set = copy_of(tv->set, nodes, sizeof *c->set, &failed);
	c->fold = copy_of(tv->fold, nodes, sizeof *c->fold, &failed);
	/* Where the copy's leaves are bound: its forward sweep says. */
	c->leaf = copy_of(tv->leaf, nodes, sizeof *c->leaf, &failed);
	for (size_t i = 0; c->leaf && i < nodes; i++)
		c->leaf[i] = NULL;
	c->loff = copy_of(tv->loff, edges, sizeof *c->loff, &failed);
	c->doff = copy_of(tv->doff, edges, sizeof *c->doff, &failed);
	c->in = copy_of(tv->in, maxin, sizeof *c->in, &failed);
	c->val = copy_of(tv->val, tv->nval, sizeof *c->val, &failed);
	c->grd = copy_of(tv->grd, tv->nval, sizeof *c->grd, &failed);
	c->local = copy_of(tv->local, tv->nlocal, sizeof *c->local, &failed);
	c->down = copy_of(tv->down, tv->ndown, sizeof *c->down, &failed);
	c->work = copy_of(tv->work, tv->nwork, sizeof *c->work, &failed);
	if (failed) {
		nb_tvals_free(c);
		return NULL;
	}
	return c;
}

void nb_tvals_free(struct nb_tvals *tv)
{
	if (!tv)
		return;
	nb_free(tv->shape);
	nb_free(tv->off);
	nb_free(tv->size);
	nb_free(tv->uses);
	nb_free(tv->set);
	nb_free(tv->fold);
	nb_free(tv->leaf);
	nb_free(tv->loff);
	nb_free(tv->doff);
	nb_free(tv->val);
	nb_free(tv->grd);
	nb_free(tv->local);
	nb_free(tv->down);
	nb_free(tv->work);
	nb_free(tv->in);
	nb_free(tv);
}
