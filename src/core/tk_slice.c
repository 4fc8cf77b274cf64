/* tk_slice.c - axes, slices, sums and maxima for the reductions and the
 * softmaxes. */
#include "core/tk_slice.h"

#include <math.h>
#include <stdio.h>

int nb_tk_axis(int attr, const struct nb_targ *a, int dflt, int *axis,
	       char *why)
{
	char shape[NB_SHAPE_BUF];
	int r = nb_axis_of_attr(attr, a->s.rank);

	if (r == -2) {
		snprintf(why, NB_TKERNEL_WHY,
			 "axis %d is out of range for %s of shape %s",
			 attr > 0 ? attr - 1 : attr, a->name,
			 nb_shape_format(shape, &a->s));
		return -1;
	}
	*axis = r == -1 ? dflt : r;
	return 0;
}

struct nb_slices nb_tk_slices(const struct nb_shape *s, int axis)
{
	struct nb_slices sl = { 1, 1, 1 };

	for (int a = 0; a < s->rank; a++) {
		if (axis < 0 || a == axis)
			sl.len *= s->dim[a];
		else if (a < axis)
			sl.outer *= s->dim[a];
		else
			sl.inner *= s->dim[a];
	}
	return sl;
}

struct nb_slices nb_tk_node_slices(const struct nb_tnode *n, int dflt)
{
	int axis = nb_axis_of_attr(n->axis, n->in[0].s.rank);

	return nb_tk_slices(&n->in[0].s, axis == -1 ? dflt : axis);
}

/* Runs this long are added in order. */
#define RUN 8

double nb_tk_sum(const double *x, size_t n, size_t stride)
{
	double s;

	if (n > RUN) {
		size_t h = n / 2;
		return nb_tk_sum(x, h, stride) +
		       nb_tk_sum(x + h * stride, n - h, stride);
	}
	if (n == 0)
		return 0;
	s = x[0];
	for (size_t k = 1; k < n; k++)
		s += x[k * stride];
	return s;
}

size_t nb_tk_extremum(const double *x, size_t n, size_t stride, int sign)
{
	size_t best = 0;

	for (size_t k = 1; k < n && !isnan(x[best * stride]); k++) {
		double a = x[k * stride];
		if (isnan(a) || sign * a > sign * x[best * stride])
			best = k;
	}
	return best;
}

double nb_tk_expsum(const double *x, size_t n, size_t stride, double *e,
		    size_t estride, double *m)
{
	*m = n ? x[nb_tk_extremum(x, n, stride, 1) * stride] : -INFINITY;
	for (size_t k = 0; k < n; k++)
		e[k * estride] = exp(nb_tk_shift(x[k * stride], *m));
	return nb_tk_sum(e, n, estride);
}
