/* hessian.c - Hessian-vector products: a tangent sweep, then a reverse
 * sweep in dual numbers. */
#include "core/hessian.h"

#include "core/alloc.h"
#include "core/sweep.h"
#include "core/tangent.h"

int nb_dual_init(struct nb_dual *d, const struct nb_program *p)
{
	size_t n = p->tape.n ? p->tape.n : 1;
	size_t in = p->tape.maxin ? p->tape.maxin : 1;

	d->tan = nb_malloc(n * sizeof *d->tan);
	d->gtan = nb_malloc(n * sizeof *d->gtan);
	d->tin = nb_malloc(in * sizeof *d->tin);
	d->second = nb_malloc(in * sizeof *d->second);
	d->seed = 1;
	if (d->tan && d->gtan && d->tin && d->second)
		return 0;
	nb_dual_free(d);
	return -1;
}

void nb_dual_free(struct nb_dual *d)
{
	nb_free(d->tan);
	nb_free(d->gtan);
	nb_free(d->tin);
	nb_free(d->second);
	*d = (struct nb_dual){ NULL, NULL, NULL, NULL, 1 };
}

/* Passes node i's gradient and its tangent to its inputs. */
static void dual_step(struct nb_tape *t, size_t i, struct nb_dual *d)
{
	enum nb_op op = (enum nb_op)t->op[i];
	size_t first = t->first[i], n = nb_gather(t, i);
	const double *local = t->local + first;
	double g = t->grad[i], gt = d->gtan[i];

	for (size_t k = 0; k < n; k++)
		d->tin[k] = d->tan[t->in[first + k]];
	nb_op_second_dot(op, t->xbuf, n, t->value[i], d->tin, d->second);
	for (size_t k = 0; k < n; k++) {
		size_t in = t->in[first + k];

		t->grad[in] += nb_downstream(g, local[k]);
		d->gtan[in] += nb_downstream(gt, local[k]) +
			       nb_downstream(g, d->second[k]);
	}
}

int nb_hvp_sweep(struct nb_program *p, const double *v, struct nb_dual *d)
{
	struct nb_tape *t = &p->tape;

	/* The tangent sweep leaves every local gradient in the tape. */
	if (nb_tangent_sweep(p, v, d->tan))
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		t->grad[i] = 0;
		d->gtan[i] = 0;
	}
	t->grad[p->output] = d->seed;
	for (size_t i = t->n; i-- > 0;)
		if (nb_ops[t->op[i]].kind != NB_LEAF)
			dual_step(t, i, d);
	return 0;
}

int nb_hessian(struct nb_program *p, const size_t *wrt, size_t nwrt,
	       double *unit, struct nb_dual *d, double *h)
{
	for (size_t r = 0; r < nwrt; r++) {
		int fail;
		unit[wrt[r]] = 1;
		fail = nb_hvp_sweep(p, unit, d);
		unit[wrt[r]] = 0;
		if (fail)
			return -1;
		for (size_t c = 0; c < nwrt; c++)
			h[r * nwrt + c] = d->gtan[p->vars[wrt[c]]];
	}
	return 0;
}
