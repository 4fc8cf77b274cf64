/* view.c - views of a tape's values and gradients. */
#include "core/view.h"

static struct nb_view scalar(const double *x)
{
	return (struct nb_view){ x, { 0, { 0 } } };
}

struct nb_view nb_node_value(const struct nb_tape *t, size_t i)
{
	const struct nb_tvals *tv = t->tv;

	if (!tv)
		return scalar(&t->value[i]);
	return (struct nb_view){ nb_tvals_value(tv, i), tv->shape[i] };
}

struct nb_view nb_node_grad(const struct nb_tape *t, size_t i)
{
	const struct nb_tvals *tv = t->tv;

	if (!tv)
		return scalar(&t->grad[i]);
	return (struct nb_view){ tv->has_grad ? tv->grd + tv->off[i] : NULL,
				 tv->shape[i] };
}

struct nb_view nb_edge_local(const struct nb_tape *t, size_t i, size_t e)
{
	const struct nb_tvals *tv = t->tv;

	if (!tv)
		return scalar(&t->local[e]);
	if (!tv->has_grad || tv->loff[e] == SIZE_MAX)
		return (struct nb_view){ NULL, tv->shape[i] };
	return (struct nb_view){ tv->local + tv->loff[e],
				 tv->shape[i] };
}

struct nb_view nb_edge_down(const struct nb_tape *t, size_t e)
{
	const struct nb_tvals *tv = t->tv;

	if (!tv)
		return scalar(NULL);
	return (struct nb_view){ tv->has_grad && tv->edges ? tv->down +
				 tv->doff[e] : NULL,
				 tv->shape[t->in[e]] };
}
