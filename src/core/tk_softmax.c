/* tk_softmax.c - softmax and log_softmax along an axis, by default the
 * last (SPEC §9); a scalar is one slice of one element, so its softmax
 * is 1 and its log_softmax 0.  Both subtract the slice's largest
 * element before exp (core/tk_slice.h), so no input overflows them. */
#include <math.h>

#include "core/tk_ops.h"
#include "core/tk_slice.h"

static int softmax_shape(int attr, const struct nb_targ *in, size_t nin,
			 struct nb_shape *out, char *why)
{
	int axis;

	(void)nin;
	if (nb_tk_axis(attr, in, in->s.rank - 1, &axis, why))
		return -1;
	*out = in->s;
	return 0;
}

static struct nb_slices slices(const struct nb_tnode *n)
{
	return nb_tk_node_slices(n, n->in[0].s.rank - 1);
}

static int softmax_forward(const struct nb_tnode *n, char *why)
{
	struct nb_slices sl = slices(n);

	(void)why;
	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		double *v = n->v + at, m;
		double s = nb_tk_expsum(n->in[0].x + at, sl.len, sl.inner, v,
					sl.inner, &m);
		for (size_t k = 0; k < sl.len; k++)
			v[k * sl.inner] /= s;
	}
	return 0;
}

/* da = v * (dv - sum(dv * v)), the products summed in da's places. */
static void softmax_vjp(const struct nb_tnode *n, size_t k, double *da)
{
	struct nb_slices sl = slices(n);

	(void)k;
	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j), st = sl.inner;
		const double *v = n->v + at, *dv = n->dv + at;
		double *d = da + at, s;
		for (size_t e = 0; e < sl.len; e++)
			d[e * st] = dv[e * st] * v[e * st];
		s = nb_tk_sum(d, sl.len, st);
		for (size_t e = 0; e < sl.len; e++)
			d[e * st] = v[e * st] * (dv[e * st] - s);
	}
}

/* x - max - log(sum(exp(x - max))), the exps held in v meanwhile. */
static int log_softmax_forward(const struct nb_tnode *n, char *why)
{
	struct nb_slices sl = slices(n);

	(void)why;
	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j), st = sl.inner;
		const double *x = n->in[0].x + at;
		double *v = n->v + at, m;
		double ls = log(nb_tk_expsum(x, sl.len, st, v, st, &m));
		for (size_t k = 0; k < sl.len; k++)
			v[k * st] = nb_tk_shift(x[k * st], m) - ls;
	}
	return 0;
}

/* da = dv - exp(v) * sum(dv). */
static void log_softmax_vjp(const struct nb_tnode *n, size_t k, double *da)
{
	struct nb_slices sl = slices(n);

	(void)k;
	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j), st = sl.inner;
		const double *v = n->v + at, *dv = n->dv + at;
		double s = nb_tk_sum(dv, sl.len, st);
		for (size_t e = 0; e < sl.len; e++)
			da[at + e * st] = dv[e * st] - exp(v[e * st]) * s;
	}
}

const struct nb_tk nb_tk_SOFTMAX = { softmax_shape, NULL, softmax_forward,
				     softmax_vjp };
const struct nb_tk nb_tk_LOG_SOFTMAX = { softmax_shape, NULL,
					 log_softmax_forward,
					 log_softmax_vjp };
