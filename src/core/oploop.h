/* oploop.h - the elementwise ops of ops.def as loops over many elements.
 *
 * The scalar batch blocks (core/block.c) and the shaped sweeps
 * (core/tsweep.c) both run an op over a run of elements at once: one
 * switch on the op, then a loop whose body is ops.def's FORWARD or
 * LOCAL expression, the scalar sweeps' own arithmetic, so the results
 * are theirs bit for bit.  An input is either contiguous (stride 1) or
 * one element read again and again (stride 0: a broadcast input). */
#ifndef NABLA_OPLOOP_H
#define NABLA_OPLOOP_H

#include <stddef.h>

#include "core/ops.h"

/* pv[r] = op(pa[r * sa], pb[r * sb]) for r < m (pb unused for an op of
 * one input; sa and sb are 0 or 1, not both 0 unless m <= 1).  Returns
 * 0, or -1 for the ops that go element by element: the variadic ones
 * (sum, mean, max, min) and the leaves. */
int nb_oploop_forward(enum nb_op op, double *restrict pv, const double *pa,
		      int sa, const double *pb, int sb, size_t m);

/* The local gradients d(v)/d(input k), for the inputs k with bit k of
 * want set, into pl[k * stride + r] for r < m, given the inputs as for
 * nb_oploop_forward and the values pv.  Returns 0, or -1 as
 * nb_oploop_forward does. */
int nb_oploop_locals(enum nb_op op, unsigned want, double *restrict pl,
		     size_t stride, const double *pa, int sa,
		     const double *pb, int sb, const double *pv, size_t m);

/* gin[r] += nb_downstream(g[r], l[r]) for r < m, vectorised. */
void nb_oploop_add_down(double *restrict gin, const double *restrict g,
			const double *restrict l, size_t m);

/* gin[r] = +0 + nb_downstream(g[r], l[r]) for r < m: gin's first and
 * only gradients, as nb_oploop_add_down would add them to +0. */
void nb_oploop_set_down(double *restrict gin, const double *restrict g,
			const double *restrict l, size_t m);

/* The sum of nb_downstream(g[r], l[r]) for r < m added to *gin one by
 * one in order: a broadcast input's downstream gradient. */
void nb_oploop_sum_down(double *gin, const double *g, const double *l,
			size_t m);

#endif
