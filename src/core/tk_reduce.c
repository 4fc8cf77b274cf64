/* tk_reduce.c - the reductions: sum, mean, max, min, logsumexp and norm
 * of all elements, or along one axis (SPEC §9).
 *
 * Each is a value and a gradient of one slice (core/tk_slice.h); the
 * kernels run them over the slices.  max and min route the gradient to
 * the first extremal element of a slice, in row-major order; a nan is
 * extremal, so a slice holding one reduces to nan and sends its gradient
 * to the first nan.
 *
 * Second order: sum and mean are linear and max and min route the
 * gradient to an element that a tangent does not move, so only
 * logsumexp's and the norm's gradients have a derivative along the
 * input's tangent. */
#include <float.h>
#include <math.h>
#include <stdio.h>

#include "core/tk_ops.h"
#include "core/tk_slice.h"

struct reduction {
	/* The slice's value; work holds len elements if scratch is set. */
	double (*value)(const double *x, size_t len, size_t stride,
			double *work);
	/* da = dv * d(v)/d(x), in the slice's places; v is its value. */
	void (*grad)(const double *x, size_t len, size_t stride, double v,
		     double dv, double *da);
	/* The value's tangent from the slice's tangent t (stride apart
	 * too); work as for value. */
	double (*tangent)(const double *x, const double *t, size_t len,
			  size_t stride, double v, double *work);
	/* The derivative of grad along the slice's tangent t, vt being the
	 * value's tangent, in da's places; NULL where it is 0. */
	void (*grad2)(const double *x, const double *t, size_t len,
		      size_t stride, double v, double vt, double dv,
		      double *da);
	int scratch;
};

static void fill(double *da, size_t len, size_t stride, double g)
{
	for (size_t k = 0; k < len; k++)
		da[k * stride] = g;
}

static double sum_value(const double *x, size_t len, size_t stride,
			double *work)
{
	(void)work;
	return nb_tk_sum(x, len, stride);
}

static void sum_grad(const double *x, size_t len, size_t stride, double v,
		     double dv, double *da)
{
	(void)x; (void)v;
	fill(da, len, stride, dv);
}

static double sum_tangent(const double *x, const double *t, size_t len,
			  size_t stride, double v, double *work)
{
	(void)x; (void)v; (void)work;
	return nb_tk_sum(t, len, stride);
}

static double mean_value(const double *x, size_t len, size_t stride,
			 double *work)
{
	(void)work;
	return nb_tk_sum(x, len, stride) / (double)len;
}

static void mean_grad(const double *x, size_t len, size_t stride, double v,
		      double dv, double *da)
{
	(void)x; (void)v;
	fill(da, len, stride, dv / (double)len);
}

static double mean_tangent(const double *x, const double *t, size_t len,
			   size_t stride, double v, double *work)
{
	(void)x; (void)v; (void)work;
	return nb_tk_sum(t, len, stride) / (double)len;
}

static double max_value(const double *x, size_t len, size_t stride,
			double *work)
{
	(void)work;
	return x[nb_tk_extremum(x, len, stride, 1) * stride];
}

static double min_value(const double *x, size_t len, size_t stride,
			double *work)
{
	(void)work;
	return x[nb_tk_extremum(x, len, stride, -1) * stride];
}

static void extremum_grad(const double *x, size_t len, size_t stride,
			  double dv, double *da, int sign)
{
	fill(da, len, stride, 0);
	da[nb_tk_extremum(x, len, stride, sign) * stride] = dv;
}

static void max_grad(const double *x, size_t len, size_t stride, double v,
		     double dv, double *da)
{
	(void)v;
	extremum_grad(x, len, stride, dv, da, 1);
}

static void min_grad(const double *x, size_t len, size_t stride, double v,
		     double dv, double *da)
{
	(void)v;
	extremum_grad(x, len, stride, dv, da, -1);
}

/* The tangent of the element the gradient is routed to. */
static double max_tangent(const double *x, const double *t, size_t len,
			  size_t stride, double v, double *work)
{
	(void)v; (void)work;
	return t[nb_tk_extremum(x, len, stride, 1) * stride];
}

static double min_tangent(const double *x, const double *t, size_t len,
			  size_t stride, double v, double *work)
{
	(void)v; (void)work;
	return t[nb_tk_extremum(x, len, stride, -1) * stride];
}

static double lse_value(const double *x, size_t len, size_t stride,
			double *work)
{
	double m, s = nb_tk_expsum(x, len, stride, work, 1, &m);

	return m + log(s);
}

/* dv * softmax(x), which nb_tk_expsum defines also at infinities. */
static void lse_grad(const double *x, size_t len, size_t stride, double v,
		     double dv, double *da)
{
	double m, s = nb_tk_expsum(x, len, stride, da, stride, &m);

	(void)v;
	for (size_t k = 0; k < len; k++)
		da[k * stride] = dv * (da[k * stride] / s);
}

/* dv * softmax(x) * (t - vt): the softmax p moves by p * (t - p.t), and
 * p.t is the value's tangent. */
static void lse_grad2(const double *x, const double *t, size_t len,
		      size_t stride, double v, double vt, double dv,
		      double *da)
{
	lse_grad(x, len, stride, v, dv, da);
	for (size_t k = 0; k < len; k++)
		da[k * stride] *= t[k * stride] - vt;
}

/* sum(softmax(x) * t), the softmax in work. */
static double lse_tangent(const double *x, const double *t, size_t len,
			  size_t stride, double v, double *work)
{
	double m, s = nb_tk_expsum(x, len, stride, work, 1, &m);

	(void)v;
	for (size_t k = 0; k < len; k++)
		work[k] = work[k] / s * t[k * stride];
	return nb_tk_sum(work, len, 1);
}

/* The sum of squares, scaled by the largest magnitude only when it
 * overflows or underflows: plain where it is exact enough, so a norm of
 * ordinary numbers is the one everybody computes. */
static double norm_value(const double *x, size_t len, size_t stride,
			 double *work)
{
	double s, big = 0;

	for (size_t k = 0; k < len; k++)
		work[k] = x[k * stride] * x[k * stride];
	s = nb_tk_sum(work, len, 1);
	if (!isinf(s) && !(s < DBL_MIN))
		return sqrt(s);
	for (size_t k = 0; k < len; k++)
		big = fmax(big, fabs(x[k * stride]));
	if (big == 0 || isinf(big))
		return big;
	for (size_t k = 0; k < len; k++)
		work[k] = (x[k * stride] / big) * (x[k * stride] / big);
	return big * sqrt(nb_tk_sum(work, len, 1));
}

static void norm_grad(const double *x, size_t len, size_t stride, double v,
		      double dv, double *da)
{
	for (size_t k = 0; k < len; k++)
		da[k * stride] = v == 0 ? 0 : dv * (x[k * stride] / v);
}

/* The derivative of dv * x / v: dv * (t - x * vt / v) / v, 0 at 0 as
 * the gradient is. */
static void norm_grad2(const double *x, const double *t, size_t len,
		       size_t stride, double v, double vt, double dv,
		       double *da)
{
	double r = v == 0 ? 0 : vt / v;

	for (size_t k = 0; k < len; k++)
		da[k * stride] = v == 0 ? 0
				 : dv * ((t[k * stride] - x[k * stride] * r) / v);
}

/* sum(x * t) / v, 0 at 0 as the gradient is. */
static double norm_tangent(const double *x, const double *t, size_t len,
			   size_t stride, double v, double *work)
{
	if (v == 0)
		return 0;
	for (size_t k = 0; k < len; k++)
		work[k] = x[k * stride] / v * t[k * stride];
	return nb_tk_sum(work, len, 1);
}

static const struct reduction rsum = { sum_value, sum_grad, sum_tangent,
				       NULL, 0 };
static const struct reduction rmean = { mean_value, mean_grad, mean_tangent,
					NULL, 0 };
static const struct reduction rmax = { max_value, max_grad, max_tangent,
				       NULL, 0 };
static const struct reduction rmin = { min_value, min_grad, min_tangent,
				       NULL, 0 };
static const struct reduction rlse = { lse_value, lse_grad, lse_tangent,
				       lse_grad2, 1 };
static const struct reduction rnorm = { norm_value, norm_grad, norm_tangent,
					norm_grad2, 1 };

static const struct reduction *reduction(enum nb_op op)
{
	switch (op) {
	case NB_OP_RSUM: return &rsum;
	case NB_OP_RMEAN: return &rmean;
	case NB_OP_RMAX: return &rmax;
	case NB_OP_RMIN: return &rmin;
	case NB_OP_LOGSUMEXP: return &rlse;
	default: return &rnorm;
	}
}

/* The input's shape without the reduced axis (a scalar without axis=);
 * *len is how many elements each result reduces. */
static int reduced(int attr, const struct nb_targ *in, struct nb_shape *out,
		   size_t *len, char *why)
{
	int axis;

	if (nb_tk_axis(attr, in, -1, &axis, why))
		return -1;
	*out = nb_shape_scalar();
	for (int a = 0; axis >= 0 && a < in->s.rank; a++)
		if (a != axis)
			out->dim[out->rank++] = in->s.dim[a];
	*len = nb_tk_slices(&in->s, axis).len;
	return 0;
}

static int reduce_shape(int attr, const struct nb_targ *in, size_t nin,
			struct nb_shape *out, char *why)
{
	size_t len;

	(void)nin;
	return reduced(attr, in, out, &len, why);
}

/* max and min of nothing have no value (NumPy refuses them too). */
static int extremum_shape(const char *fn, int attr, const struct nb_targ *in,
			  struct nb_shape *out, char *why)
{
	char shape[NB_SHAPE_BUF];
	size_t len;

	if (reduced(attr, in, out, &len, why))
		return -1;
	if (len > 0)
		return 0;
	snprintf(why, NB_TKERNEL_WHY,
		 "'%s' needs at least one element to reduce: %s is %s", fn,
		 in->name, nb_shape_format(shape, &in->s));
	return -1;
}

static int max_shape(int attr, const struct nb_targ *in, size_t nin,
		     struct nb_shape *out, char *why)
{
	(void)nin;
	return extremum_shape("max", attr, in, out, why);
}

static int min_shape(int attr, const struct nb_targ *in, size_t nin,
		     struct nb_shape *out, char *why)
{
	(void)nin;
	return extremum_shape("min", attr, in, out, why);
}

static size_t reduce_work(const struct nb_tnode *n)
{
	return reduction(n->op)->scratch ? nb_tk_node_slices(n, -1).len : 0;
}

static int reduce_forward(const struct nb_tnode *n, char *why)
{
	const struct reduction *r = reduction(n->op);
	struct nb_slices sl = nb_tk_node_slices(n, -1);

	(void)why;
	for (size_t j = 0; j < sl.outer * sl.inner; j++)
		n->v[j] = r->value(n->in[0].x + nb_slice_at(&sl, j), sl.len,
				   sl.inner, n->work);
	return 0;
}

static void reduce_vjp(const struct nb_tnode *n, size_t k, double *da)
{
	const struct reduction *r = reduction(n->op);
	struct nb_slices sl = nb_tk_node_slices(n, -1);

	(void)k;
	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		r->grad(n->in[0].x + at, sl.len, sl.inner, n->v[j], n->dv[j],
			da + at);
	}
}

static void reduce_jvp(const struct nb_tnode *n, double *dt)
{
	const struct reduction *r = reduction(n->op);
	struct nb_slices sl = nb_tk_node_slices(n, -1);

	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		dt[j] = r->tangent(n->in[0].x + at, n->in[0].t + at, sl.len,
				   sl.inner, n->v[j], n->work);
	}
}

static void reduce_vjp2(const struct nb_tnode *n, const double *vt,
			size_t k, double *da)
{
	const struct reduction *r = reduction(n->op);
	struct nb_slices sl = nb_tk_node_slices(n, -1);

	(void)k;
	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		r->grad2(n->in[0].x + at, n->in[0].t + at, sl.len, sl.inner,
			 n->v[j], vt[j], n->dv[j], da + at);
	}
}

const struct nb_tk nb_tk_RSUM = { reduce_shape, reduce_work, reduce_forward,
				  reduce_vjp, reduce_jvp, NULL };
const struct nb_tk nb_tk_RMEAN = { reduce_shape, reduce_work,
				   reduce_forward, reduce_vjp, reduce_jvp,
				   NULL };
const struct nb_tk nb_tk_RMAX = { max_shape, reduce_work, reduce_forward,
				  reduce_vjp, reduce_jvp, NULL };
const struct nb_tk nb_tk_RMIN = { min_shape, reduce_work, reduce_forward,
				  reduce_vjp, reduce_jvp, NULL };
const struct nb_tk nb_tk_LOGSUMEXP = { reduce_shape, reduce_work,
				       reduce_forward, reduce_vjp, reduce_jvp,
				       reduce_vjp2 };
const struct nb_tk nb_tk_NORM = { reduce_shape, reduce_work, reduce_forward,
				  reduce_vjp, reduce_jvp, reduce_vjp2 };
