/* tk_slice.h - what the reductions and the softmaxes share: the axis=
 * attribute read for an input's rank, the slices along that axis, and
 * the sums and maxima over a slice.
 *
 * A value taken along an axis is a set of slices: slice j (0 <= j <
 * outer * inner, row-major over the other axes, so j is also the index
 * of a reduction's result) has len elements, stride inner apart, the
 * first at nb_slice_at(&sl, j).  No axis makes all elements one slice. */
#ifndef NABLA_TK_SLICE_H
#define NABLA_TK_SLICE_H

#include <stddef.h>

#include "core/tkernel.h"

struct nb_slices {
	size_t outer, len, inner;
};

/* The axis attr names for input a: 0..rank-1, or dflt when none is
 * given.  Returns 0 with *axis set, or -1 with why (NB_TKERNEL_WHY
 * bytes) when it is out of range: "axis 2 is out of range for X of
 * shape 3x4". */
int nb_tk_axis(int attr, const struct nb_targ *a, int dflt, int *axis,
	       char *why);

/* The slices of a value of shape s along axis (-1: all elements). */
struct nb_slices nb_tk_slices(const struct nb_shape *s, int axis);

/* The slices of node n's input along its axis= attribute, or dflt
 * without one (the shape rule has checked it). */
struct nb_slices nb_tk_node_slices(const struct nb_tnode *n, int dflt);

static inline size_t nb_slice_at(const struct nb_slices *sl, size_t j)
{
	return j / sl->inner * sl->len * sl->inner + j % sl->inner;
}

/* The sum of n elements stride apart, pairwise (in halves down to runs
 * of eight added in order): accurate for long slices, and the same bits
 * on every run.  The first element starts the sum, so the sum of one
 * element is that element (-0 stays -0); 0 for none. */
double nb_tk_sum(const double *x, size_t n, size_t stride);

/* Where the first largest (sign 1) or smallest (sign -1) of n >= 1
 * elements stride apart is; a nan is both, as NumPy's max is nan when
 * one is. */
size_t nb_tk_extremum(const double *x, size_t n, size_t stride, int sign);

/* e[k * estride] = exp(x[k * stride] - m) for the slice's largest
 * element *m (-inf for none), and returns their sum: the stable core of
 * logsumexp and the softmaxes.  Where x[k] is m itself, x[k] - m counts
 * as 0 even at an infinity: a slice of -inf shares evenly, as a slice
 * of equal numbers does, and +inf elements share among themselves. */
double nb_tk_expsum(const double *x, size_t n, size_t stride, double *e,
		    size_t estride, double *m);

/* x - m as nb_tk_expsum counts it. */
static inline double nb_tk_shift(double x, double m)
{
	return x == m ? 0 : x - m;
}

#endif
