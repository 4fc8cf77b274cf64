/* thessian.h - second order on shaped tapes: Hessian-vector products,
 * forward over reverse, as core/hessian.h does for scalars.
 *
 * H.v = d/dx [grad f . v]: the derivative of the gradient along v.  After
 * the forward and reverse sweeps (core/tsweep.h), one tangent sweep
 * along v gives every node's tangent; then a reverse sweep carries each
 * node's gradient tangent g', the derivative of its gradient g along v:
 *   elementwise node, per element, with ops.def's SECOND rules:
 *     g'_in += g' . local_k + g . sum_j d2(node)/d(x_k)d(x_j) . t_j,
 *     summed back over broadcasting as gradients are;
 *   tensor op: g'_in += VJP_k(g') + the derivative of VJP_k(g) along the
 *     inputs' tangents (nb_tkernel_vjp2, core/tkernel.h).
 * The inputs' gradient tangents are H.v: two sweeps, H never formed.
 * Arrays are sized once by nb_tdual_init; the sweeps allocate nothing. */
#ifndef NABLA_THESSIAN_H
#define NABLA_THESSIAN_H

#include <stddef.h>

#include "core/program.h"

struct nb_tdual {
	double *tan, *gtan;     /* per element, laid out as the values */
	double *scratch;        /* the elements of the largest value */
	double *x;              /* 4 * maxin: an element's inputs, their
				 * tangents, locals and second-order sums */
	size_t *at;             /* maxin: where they are in the inputs */
};

/* Allocates d for p's shaped tape (its shape pass done).  Returns 0, or
 * -1 when out of memory. */
int nb_tdual_init(struct nb_tdual *d, const struct nb_program *p);
void nb_tdual_free(struct nb_tdual *d);

/* The gradient's tangent along v (one entry per element of each of
 * p->vars in turn) into d->gtan: H.v for input k starts at
 * d->gtan + tv->off[p->vars[k]].  The values and the gradient (of a
 * scalar output, or of an upstream gradient held fixed) must have been
 * computed; they are left as they are. */
void nb_thvp_sweep(struct nb_program *p, const double *v,
		   struct nb_tdual *d);

#endif
