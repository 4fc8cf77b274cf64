/* tk_softmax.c - softmax and log_softmax along an axis, by default the
 * last (SPEC §9); a scalar is one slice of one element, so its softmax
 * is 1 and its log_softmax 0.  Both subtract the slice's largest
 * element before exp (core/tk_slice.h), so no input overflows them.
 * Each op is a forward and a VJP of one slice of len elements stride
 * apart, run over the slices by the kernels; and the VJP's derivative
 * along the input's tangent (second order), from the value's tangent. */
#include <math.h>

#include "core/tk_ops.h"
#include "core/tk_slice.h"

typedef void slice_forward(const double *x, double *v, size_t len,
			   size_t st);
/* A VJP (g the upstream gradient) or a JVP (g the input's tangent) of
 * one slice, from its value v. */
typedef void slice_vjp(const double *v, const double *g, double *out,
		       size_t len, size_t st);

static void softmax_slice(const double *x, double *v, size_t len, size_t st)
{
	double m, s = nb_tk_expsum(x, len, st, v, st, &m);

	for (size_t k = 0; k < len; k++)
		v[k * st] /= s;
}

/* da = v * (dv - sum(dv * v)), the products summed in da's places. */
static void softmax_slice_vjp(const double *v, const double *dv, double *da,
			      size_t len, size_t st)
{
	double s;

	for (size_t k = 0; k < len; k++)
		da[k * st] = dv[k * st] * v[k * st];
	s = nb_tk_sum(da, len, st);
	for (size_t k = 0; k < len; k++)
		da[k * st] = v[k * st] * (dv[k * st] - s);
}

/* x - max - log(sum(exp(x - max))), the exps held in v meanwhile. */
static void log_softmax_slice(const double *x, double *v, size_t len,
			      size_t st)
{
	double m, ls = log(nb_tk_expsum(x, len, st, v, st, &m));

	for (size_t k = 0; k < len; k++)
		v[k * st] = nb_tk_shift(x[k * st], m) - ls;
}

/* da = dv - exp(v) * sum(dv). */
static void log_softmax_slice_vjp(const double *v, const double *dv,
				  double *da, size_t len, size_t st)
{
	double s = nb_tk_sum(dv, len, st);

	for (size_t k = 0; k < len; k++)
		da[k * st] = dv[k * st] - exp(v[k * st]) * s;
}

/* dt = t - sum(exp(v) * t), the products summed in dt's places. */
static void log_softmax_slice_jvp(const double *v, const double *t,
				  double *dt, size_t len, size_t st)
{
	double s;

	for (size_t k = 0; k < len; k++)
		dt[k * st] = exp(v[k * st]) * t[k * st];
	s = nb_tk_sum(dt, len, st);
	for (size_t k = 0; k < len; k++)
		dt[k * st] = t[k * st] - s;
}

/* A VJP's second-order term for one slice: its derivative along the
 * input's tangent, from the value v, its tangent vt and the upstream
 * gradient g. */
typedef void slice_vjp2(const double *v, const double *vt, const double *g,
			double *out, size_t len, size_t st);

/* The derivative of v * (g - sum(g * v)) along vt:
 * vt * (g - sum(g * v)) - v * sum(g * vt), the sums in out's places. */
static void softmax_slice_vjp2(const double *v, const double *vt,
			       const double *g, double *out, size_t len,
			       size_t st)
{
	double gv, gvt;

	for (size_t k = 0; k < len; k++)
		out[k * st] = g[k * st] * v[k * st];
	gv = nb_tk_sum(out, len, st);
	for (size_t k = 0; k < len; k++)
		out[k * st] = g[k * st] * vt[k * st];
	gvt = nb_tk_sum(out, len, st);
	for (size_t k = 0; k < len; k++)
		out[k * st] = vt[k * st] * (g[k * st] - gv) - v[k * st] * gvt;
}

/* The derivative of g - exp(v) * sum(g) along vt: -exp(v) * vt * sum(g). */
static void log_softmax_slice_vjp2(const double *v, const double *vt,
				   const double *g, double *out, size_t len,
				   size_t st)
{
	double s = nb_tk_sum(g, len, st);

	for (size_t k = 0; k < len; k++)
		out[k * st] = -exp(v[k * st]) * vt[k * st] * s;
}

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

static int forward(const struct nb_tnode *n, slice_forward *f)
{
	struct nb_slices sl = slices(n);

	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		f(n->in[0].x + at, n->v + at, sl.len, sl.inner);
	}
	return 0;
}

/* f over the slices of the node's value v and of g (its upstream
 * gradient, or its input's tangent), into out. */
static void by_slice(const struct nb_tnode *n, const double *g, double *out,
		     slice_vjp *f)
{
	struct nb_slices sl = slices(n);

	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		f(n->v + at, g + at, out + at, sl.len, sl.inner);
	}
}

/* f over the slices of the node's value, its tangent vt and its upstream
 * gradient, into out. */
static void by_slice2(const struct nb_tnode *n, const double *vt,
		      double *out, slice_vjp2 *f)
{
	struct nb_slices sl = slices(n);

	for (size_t j = 0; j < sl.outer * sl.inner; j++) {
		size_t at = nb_slice_at(&sl, j);
		f(n->v + at, vt + at, n->dv + at, out + at, sl.len, sl.inner);
	}
}

static int softmax_forward(const struct nb_tnode *n, char *why)
{
	(void)why;
	return forward(n, softmax_slice);
}

static void softmax_vjp(const struct nb_tnode *n, size_t k, double *da)
{
	(void)k;
	by_slice(n, n->dv, da, softmax_slice_vjp);
}

/* dt = v * (t - sum(v * t)): softmax's Jacobian diag(v) - v v.T is
 * symmetric, so its JVP is its VJP's rule applied to the tangent. */
static void softmax_jvp(const struct nb_tnode *n, double *dt)
{
	by_slice(n, n->in[0].t, dt, softmax_slice_vjp);
}

static void softmax_vjp2(const struct nb_tnode *n, const double *vt,
			 size_t k, double *da)
{
	(void)k;
	by_slice2(n, vt, da, softmax_slice_vjp2);
}

static int log_softmax_forward(const struct nb_tnode *n, char *why)
{
	(void)why;
	return forward(n, log_softmax_slice);
}

static void log_softmax_vjp(const struct nb_tnode *n, size_t k, double *da)
{
	(void)k;
	by_slice(n, n->dv, da, log_softmax_slice_vjp);
}

static void log_softmax_jvp(const struct nb_tnode *n, double *dt)
{
	by_slice(n, n->in[0].t, dt, log_softmax_slice_jvp);
}

static void log_softmax_vjp2(const struct nb_tnode *n, const double *vt,
			     size_t k, double *da)
{
	(void)k;
	by_slice2(n, vt, da, log_softmax_slice_vjp2);
}

const struct nb_tk nb_tk_SOFTMAX = { softmax_shape, NULL, softmax_forward,
				     softmax_vjp, softmax_jvp, softmax_vjp2 };
const struct nb_tk nb_tk_LOG_SOFTMAX = { softmax_shape, NULL,
					 log_softmax_forward,
					 log_softmax_vjp, log_softmax_jvp,
					 log_softmax_vjp2 };
