/* tk_index.c - picking and placing elements: x[i], X[i], X[i, j],
 * gathers x[ids] and X[ids], the array literal [a, b, ...], onehot(i, n).
 *
 * The shape rules see only shapes; the values of indices are checked by
 * the forward kernels, which alone know them (in batch they come from
 * rows).  The reverse sweep runs only after a forward sweep that
 * accepted every index, so the VJPs read the indices unchecked.  Every
 * op here is linear in what it differentiates: no second-order term. */
#include <stdio.h>
#include <string.h>

#include "core/tk_ops.h"
#include "core/tk_util.h"

/* ---- x[i], X[i], X[i, j], x[ids], X[ids] ---- */

/* Whether the indices of x (inputs 1..nin-1) have ranks that fit it. */
static int index_ranks(const struct nb_targ *in, size_t nin, char *why)
{
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];
	const struct nb_shape *x = &in[0].s;

	if (x->rank == 0) {
		snprintf(why, NB_TKERNEL_WHY,
			 "a scalar cannot be indexed: %s is ()", in[0].name);
		return -1;
	}
	if (nin < 2 || nin - 1 > x->rank) {
		snprintf(why, NB_TKERNEL_WHY,
			 "%s is %s: it takes one index%s, not %lu", in[0].name,
			 nb_shape_format(a, x), x->rank == 2 ? " or two" : "",
			 (unsigned long)(nin - 1));
		return -1;
	}
	for (size_t k = 1; k < nin; k++) {
		unsigned max = nin == 2 ? 1 : 0;
		if (in[k].s.rank <= max)
			continue;
		snprintf(why, NB_TKERNEL_WHY,
			 "an index is %s: %s is %s",
			 max ? "a scalar or a vector of indices" : "a scalar "
			 "where there are two", in[k].name,
			 nb_shape_format(b, &in[k].s));
		return -1;
	}
	return 0;
}

static int index_shape(int axis, const struct nb_targ *in, size_t nin,
		       struct nb_shape *out, char *why)
{
	const struct nb_shape *x = &in[0].s, *ids;

	(void)axis;
	if (index_ranks(in, nin, why))
		return -1;
	ids = &in[1].s;
	*out = nb_shape_scalar();
	if (nin == 2) {         /* ids' shape, then the rest of a row */
		if (ids->rank == 1)
			out->dim[out->rank++] = ids->dim[0];
		if (x->rank == 2)
			out->dim[out->rank++] = x->dim[1];
	}
	return 0;
}

/* Where the elements of index node nd come from: elements at, at + 1,
 * ... at + row - 1 of x for each of its cnt picks, in order. */
struct picks {
	size_t cnt, row;
};

static struct picks picks_of(const struct nb_tnode *nd)
{
	const struct nb_shape *x = &nd->in[0].s;
	struct picks p;

	p.cnt = nb_tk_count(&nd->in[1].s);
	p.row = nd->nin == 2 && x->rank == 2 ? x->dim[1] : 1;
	return p;
}

/* The first element of x that pick l reads; the forward kernel has
 * checked the index. */
static size_t pick_at(const struct nb_tnode *nd, size_t l)
{
	const struct nb_shape *x = &nd->in[0].s;
	double i = nd->in[1].x[l], j;

	i = i < 0 ? i + x->dim[0] : i;
	if (nd->nin == 2)
		return (size_t)i * (x->rank == 2 ? x->dim[1] : 1);
	j = nd->in[2].x[0];
	j = j < 0 ? j + x->dim[1] : j;
	return (size_t)i * x->dim[1] + (size_t)j;
}

/* Whether every index of nd is an integer in range. */
static int check_picks(const struct nb_tnode *nd, char *why)
{
	const struct nb_targ *x = &nd->in[0];
	unsigned long rows = x->s.dim[0];
	size_t at, cnt = nb_tk_count(&nd->in[1].s);

	for (size_t l = 0; l < cnt; l++) {
		double i = nd->in[1].x[l];
		int r = x->s.rank == 1
				? nb_tk_index(i, x->s.dim[0], 1, &at, why,
					      "%s of length %lu", x->name,
					      rows)
				: nb_tk_index(i, x->s.dim[0], 1, &at, why,
					      "%s with %lu rows", x->name,
					      rows);
		if (r)
			return nb_tk_fault(nd, 1, l);
	}
	if (nd->nin == 3 &&
	    nb_tk_index(nd->in[2].x[0], x->s.dim[1], 1, &at, why,
			"%s with %lu columns", x->name,
			(unsigned long)x->s.dim[1]))
		return nb_tk_fault(nd, 2, 0);
	return 0;
}

/* out = the elements of x (the value or the tangent of input 0) that
 * nd picks. */
static void gather(const struct nb_tnode *nd, const double *x, double *out)
{
	struct picks p = picks_of(nd);

	if (p.row == 1)
		for (size_t l = 0; l < p.cnt; l++)
			out[l] = x[pick_at(nd, l)];
	else
		for (size_t l = 0; l < p.cnt; l++)
			memcpy(out + l * p.row, x + pick_at(nd, l),
			       p.row * sizeof *x);
}

static int index_forward(const struct nb_tnode *nd, char *why)
{
	if (check_picks(nd, why))
		return -1;
	gather(nd, nd->in[0].x, nd->v);
	return 0;
}

/* The picks of the tangent; the indices have none. */
static void index_jvp(const struct nb_tnode *nd, double *dt)
{
	gather(nd, nd->in[0].t, dt);
}

/* A gather's VJP scatter-adds: an element picked twice gets both. */
static void index_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	struct picks p = picks_of(nd);
	const double *dv = nd->dv;

	nb_tk_no_grad(nd, k, da);
	if (k != 0)
		return;
	for (size_t l = 0; l < p.cnt; l++) {
		double *d = da + pick_at(nd, l);
		for (size_t e = 0; e < p.row; e++)
			d[e] += dv[l * p.row + e];
	}
}

const struct nb_tk nb_tk_INDEX = { index_shape, NULL, index_forward,
				   index_vjp, index_jvp, NULL };

/* ---- [a, b, ...] ---- */

/* How a message calls element k: "element 2 (w)", or "element 5" past
 * the inputs that have names: a format of one %lu and three %s. */
#define ELEMENT "element %lu%s%s%s"
#define ELEMENT_ARGS(in, k)                                           \
	(unsigned long)(k), *(in)[k].name ? " (" : "", (in)[k].name, \
		*(in)[k].name ? ")" : ""

static int stack_error(const struct nb_targ *in, size_t k, char *why)
{
	char sk[NB_SHAPE_BUF], s0[NB_SHAPE_BUF];

	nb_shape_format(sk, &in[k].s);
	if (in[k].s.rank >= 2)
		snprintf(why, NB_TKERNEL_WHY,
			 "arrays of rank > 2 are not supported: " ELEMENT
			 " is %s", ELEMENT_ARGS(in, k), sk);
	else
		snprintf(why, NB_TKERNEL_WHY,
			 "an array's elements need one shape: " ELEMENT " is "
			 "%s, " ELEMENT " is %s", ELEMENT_ARGS(in, 0),
			 nb_shape_format(s0, &in[0].s), ELEMENT_ARGS(in, k),
			 sk);
	return -1;
}

static int stack_shape(int axis, const struct nb_targ *in, size_t nin,
		       struct nb_shape *out, char *why)
{
	(void)axis;
	for (size_t k = 0; k < nin; k++)
		if (in[k].s.rank >= 2)
			return stack_error(in, k, why);
	for (size_t k = 1; k < nin; k++)
		if (!nb_shape_equal(&in[k].s, &in[0].s))
			return stack_error(in, k, why);
	if (nin > NB_MAX_DIM) {
		snprintf(why, NB_TKERNEL_WHY, "an array has too many elements");
		return -1;
	}
	if (nin && in[0].s.rank == 1)
		*out = nb_shape_matrix((uint32_t)nin, in[0].s.dim[0]);
	else
		*out = nb_shape_vector((uint32_t)nin);
	return 0;
}

/* The elements each input contributes: 1, or a row's. */
static size_t stack_row(const struct nb_tnode *nd)
{
	return nd->vs.rank == 2 ? nd->vs.dim[1] : 1;
}

static int stack_forward(const struct nb_tnode *nd, char *why)
{
	size_t row = stack_row(nd);

	(void)why;
	for (size_t k = 0; k < nd->nin; k++)
		memcpy(nd->v + k * row, nd->in[k].x, row * sizeof *nd->v);
	return 0;
}

static void stack_jvp(const struct nb_tnode *nd, double *dt)
{
	size_t row = stack_row(nd);

	for (size_t k = 0; k < nd->nin; k++)
		memcpy(dt + k * row, nd->in[k].t, row * sizeof *dt);
}

static void stack_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	size_t row = stack_row(nd);

	memcpy(da, nd->dv + k * row, row * sizeof *da);
}

const struct nb_tk nb_tk_STACK = { stack_shape, NULL, stack_forward,
				   stack_vjp, stack_jvp, NULL };

/* ---- onehot(i, n) ---- */

static int onehot_shape(int axis, const struct nb_targ *in, size_t nin,
			struct nb_shape *out, char *why)
{
	char a[NB_SHAPE_BUF];
	uint32_t n;

	(void)axis;
	(void)nin;
	if (in[0].s.rank != 0) {
		snprintf(why, NB_TKERNEL_WHY,
			 "onehot needs a scalar index: %s is %s", in[0].name,
			 nb_shape_format(a, &in[0].s));
		return -1;
	}
	if (nb_tk_size_arg("onehot", &in[1], 1, &n, why))
		return -1;
	*out = nb_shape_vector(n);
	return 0;
}

static int onehot_forward(const struct nb_tnode *nd, char *why)
{
	size_t n = nd->vs.dim[0], at;

	if (nb_tk_index(nd->in[0].x[0], nd->vs.dim[0], 0, &at, why,
			"onehot of length %lu", (unsigned long)n))
		return nb_tk_fault(nd, 0, 0);
	memset(nd->v, 0, n * sizeof *nd->v);
	nd->v[at] = 1;
	return 0;
}

const struct nb_tk nb_tk_ONEHOT = { onehot_shape, NULL, onehot_forward,
				    nb_tk_no_grad, nb_tk_no_tangent, NULL };
