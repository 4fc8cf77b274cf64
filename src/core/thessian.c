/* thessian.c - Hessian-vector products on shaped tapes: a tangent
 * sweep, then a reverse sweep of gradient tangents. */
#include "core/thessian.h"

#include <string.h>

#include "core/alloc.h"
#include "core/tkernel.h"
#include "core/tsweep.h"
#include "core/tvals.h"

static void *array(size_t n, size_t size)
{
	return nb_malloc((n ? n : 1) * size);
}

int nb_tdual_init(struct nb_tdual *d, const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;
	const struct nb_tvals *tv = t->tv;
	size_t big = 0;

	for (size_t i = 0; i < t->n; i++)
		if (tv->size[i] > big)
			big = tv->size[i];
	d->tan = array(tv->nval, sizeof *d->tan);
	d->gtan = array(tv->nval, sizeof *d->gtan);
	d->scratch = array(big, sizeof *d->scratch);
	d->x = array(4 * t->maxin, sizeof *d->x);
	d->at = array(t->maxin, sizeof *d->at);
	if (d->tan && d->gtan && d->scratch && d->x && d->at)
		return 0;
	nb_tdual_free(d);
	return -1;
}

void nb_tdual_free(struct nb_tdual *d)
{
	nb_free(d->tan);
	nb_free(d->gtan);
	nb_free(d->scratch);
	nb_free(d->x);
	nb_free(d->at);
	*d = (struct nb_tdual){ NULL, NULL, NULL, NULL, NULL };
}

/* Elementwise node i passes its gradient's tangent to its inputs,
 * element by element, a broadcast input's summed over the elements that
 * read it. */
static void elem_dual(const struct nb_tape *t, size_t i, struct nb_tdual *d)
{
	const struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i), m = t->maxin;
	double *x = d->x, *tin = x + m, *loc = tin + m, *sec = loc + m;
	const double *v = tv->val + tv->off[i], *g = tv->grd + tv->off[i];
	const double *gt = d->gtan + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];

	for (size_t idx = 0; idx < tv->size[i]; idx++) {
		for (size_t k = 0; k < n; k++) {
			size_t j = t->in[first + k];
			d->at[k] = tv->off[j] + nb_tsweep_in_elem(t, i, k, idx);
			x[k] = tv->val[d->at[k]];
			tin[k] = d->tan[d->at[k]];
		}
		nb_op_locals(op, x, n, v[idx], loc);
		nb_op_second_dot(op, x, n, v[idx], tin, sec);
		for (size_t k = 0; k < n; k++)
			d->gtan[d->at[k]] += nb_downstream(gt[idx], loc[k]) +
					     nb_downstream(g[idx], sec[k]);
	}
}

static void add(double *to, const double *x, size_t n)
{
	for (size_t e = 0; e < n; e++)
		to[e] += x[e];
}

/* Tensor op i passes its gradient's tangent to its inputs: the VJP of
 * the tangent, plus the VJP's derivative along the inputs' tangents. */
static void op_dual(const struct nb_tape *t, size_t i, struct nb_tdual *d)
{
	const struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	struct nb_targ *in = tv->in;
	struct nb_tnode nd = { (enum nb_op)t->op[i], nb_tape_attr(t, i), in,
			       n, tv->val + tv->off[i], tv->shape[i], NULL,
			       tv->work, NULL, NULL };
	const double *vt = d->tan + tv->off[i];

	for (size_t k = 0; k < n; k++) {
		size_t j = t->in[first + k];
		in[k] = (struct nb_targ){ tv->val + tv->off[j], tv->shape[j],
					  "", d->tan + tv->off[j], 0 };
	}
	for (size_t k = 0; k < n; k++) {
		size_t j = t->in[first + k];
		double *to = d->gtan + tv->off[j];
		nd.dv = d->gtan + tv->off[i];
		nb_tkernel_vjp(&nd, k, d->scratch);
		add(to, d->scratch, tv->size[j]);
		nd.dv = tv->grd + tv->off[i];
		if (nb_tkernel_vjp2(&nd, vt, k, d->scratch))
			add(to, d->scratch, tv->size[j]);
	}
}

void nb_thvp_sweep(struct nb_program *p, const double *v,
		   struct nb_tdual *d)
{
	struct nb_tape *t = &p->tape;
	const struct nb_tvals *tv = t->tv;
	size_t at = 0;

	memset(d->tan, 0, tv->nval * sizeof *d->tan);
	for (size_t k = 0; k < p->nvars; k++) {
		size_t i = p->vars[k];
		memcpy(d->tan + tv->off[i], v + at, tv->size[i] * sizeof *v);
		at += tv->size[i];
	}
	nb_tsweep_tangent(t, d->tan);
	memset(d->gtan, 0, tv->nval * sizeof *d->gtan);
	for (size_t i = t->n; i-- > 0;) {
		if (nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		if (nb_op_is_tensor((enum nb_op)t->op[i]))
			op_dual(t, i, d);
		else
			elem_dual(t, i, d);
	}
}
