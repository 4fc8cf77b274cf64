/* tvals.c - freeing the arenas of a shaped tape. */
#include "core/tvals.h"

#include "core/alloc.h"

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
