/* hessian.h - second order: Hessian-vector products, forward over reverse.
 *
 * H.v is the derivative of the gradient along v.  One tangent sweep
 * (tangent.h) moves every node along v; then the reverse sweep runs in
 * dual numbers, carrying each gradient g and its tangent g':
 *   g_in  += g . local_k
 *   g'_in += g' . local_k + g . sum_j d2(node)/d(x_k)d(x_j) . tangent_j
 * with the table's SECOND rules.  The tangents of the inputs' gradients
 * are H.v: two sweeps, without forming H.  The full Hessian is n such
 * products, one per unit vector.  Per-node state lives in struct
 * nb_dual, never in the tape. */
#ifndef NABLA_HESSIAN_H
#define NABLA_HESSIAN_H

#include "core/program.h"

/* Work arrays for one program: node tangents, gradient tangents, and
 * one node's input tangents and second-order sums; and the output's
 * gradient, 1 unless an upstream gradient u scales it (the second order
 * of u f is u times f's). */
struct nb_dual {
	double *tan, *gtan;
	double *tin, *second;
	double seed;
};

/* Allocates the arrays for p, the seed 1; returns 0 or -1 when out of
 * memory. */
int nb_dual_init(struct nb_dual *d, const struct nb_program *p);
void nb_dual_free(struct nb_dual *d);

/* The gradient (into the tape, the output's d->seed) and its tangent
 * along v (one entry per p->vars) into d->gtan: (H.v)_k is
 * d->gtan[p->vars[k]].  The values must have been computed.  Returns 0,
 * or -1 when out of memory. */
int nb_hvp_sweep(struct nb_program *p, const double *v, struct nb_dual *d);

/* The rows of the Hessian for the nwrt inputs wrt (indices into p->vars)
 * into h, nwrt x nwrt row-major: row r is H.e_wrt[r] restricted to wrt.
 * Leaves the gradient in the tape.  unit has p->nvars entries, all 0
 * (and left so).  Returns 0, or -1 when out of memory. */
int nb_hessian(struct nb_program *p, const size_t *wrt, size_t nwrt,
		double *unit, struct nb_dual *d, double *h);

#endif
