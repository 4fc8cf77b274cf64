/* tk_util.c - helpers the tensor kernels share (tk_util.h). */
#include "core/tk_util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/tape.h"
#include "num/numfmt.h"

size_t nb_tk_count(const struct nb_shape *s)
{
	size_t c = 1;

	for (int i = 0; i < s->rank; i++)
		c *= s->dim[i];
	return c;
}

void nb_tk_no_grad(const struct nb_tnode *n, size_t k, double *da)
{
	memset(da, 0, nb_tk_count(&n->in[k].s) * sizeof *da);
}

void nb_tk_no_tangent(const struct nb_tnode *n, double *dt)
{
	memset(dt, 0, nb_tk_count(&n->vs) * sizeof *dt);
}

/* Why the constant value of size argument a is not a size. */
static int bad_size(const char *fn, const struct nb_targ *a, uint32_t min,
		    char *why)
{
	char num[NB_NUMBUF];
	double v = *a->x;
	int named;

	nb_fmt_exact(num, v);
	named = strcmp(a->name, num) != 0;
	if (isfinite(v) && v == floor(v) && v > NB_MAX_DIM)
		snprintf(why, NB_TKERNEL_WHY,
			 "%s: size %s is too large (at most %lu)", fn, num,
			 (unsigned long)NB_MAX_DIM);
	else
		snprintf(why, NB_TKERNEL_WHY,
			 "%s needs %s integer sizes, not %s%s%s", fn,
			 min ? "positive" : "non-negative", named ? a->name : "",
			 named ? " = " : "", num);
	return -1;
}

int nb_tk_size_arg(const char *fn, const struct nb_targ *a, uint32_t min,
		   uint32_t *size, char *why)
{
	char sh[NB_SHAPE_BUF];
	double v;

	if (a->s.rank != 0) {
		snprintf(why, NB_TKERNEL_WHY, "%s needs scalar sizes: %s is %s",
			 fn, a->name, nb_shape_format(sh, &a->s));
		return -1;
	}
	if (!a->x) {
		snprintf(why, NB_TKERNEL_WHY,
			 "%s needs sizes known before evaluation, such as 3, "
			 "2*n or an input: %s is computed from a vector or "
			 "matrix", fn, a->name);
		return -1;
	}
	v = *a->x;
	if (!isfinite(v) || v != floor(v) || v < min || v > NB_MAX_DIM)
		return bad_size(fn, a, min, why);
	*size = (uint32_t)v;
	return 0;
}

int nb_tk_fault(const struct nb_tnode *nd, size_t k, size_t elem)
{
	if (nd->fault) {
		nd->fault->in = k;
		nd->fault->elem = elem;
	}
	return -1;
}

int nb_tk_index(double v, uint32_t len, int from_end, size_t *at, char *why,
		const char *whose, ...)
{
	char num[NB_NUMBUF];
	va_list ap;
	int w;

	if (v == floor(v) && v < len && v >= (from_end ? -(double)len : 0)) {
		*at = v < 0 ? (size_t)(v + len) : (size_t)v;
		return 0;
	}
	nb_fmt_exact(num, v);
	if (v != floor(v) || !isfinite(v)) {
		snprintf(why, NB_TKERNEL_WHY, "index %s is not an integer", num);
		return -1;
	}
	w = snprintf(why, NB_TKERNEL_WHY, "index %s is out of range for ",
		     num);
	va_start(ap, whose);
	vsnprintf(why + w, NB_TKERNEL_WHY - (size_t)w, whose, ap);
	va_end(ap);
	return -1;
}
