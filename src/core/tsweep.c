/* tsweep.c - the shape pass and the sweeps of a shaped tape. */
#include "core/tsweep.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/sweep.h"
#include "core/tkernel.h"
#include "core/tvals.h"

/* Kernels get the names of this many inputs for their messages. */
#define NAMED_INPUTS 3

/* What the shape pass and the forward sweep share. */
struct pass {
	struct nb_tape *t;
	struct nb_tvals *tv;
	const char *text;
	struct nb_diag *d;
	struct nb_quote q[NAMED_INPUTS];
	struct nb_targ *in;     /* maxin entries */
};

static int is_elem(const struct nb_tape *t, size_t i)
{
	return !nb_op_is_tensor((enum nb_op)t->op[i]);
}

/* How messages call node j: its name, else its text. */
static const char *node_name(struct pass *ps, size_t j, struct nb_quote *q)
{
	struct nb_span s = nb_tape_name(ps->t, j);

	if (s.len == 0)
		s = nb_tape_span(ps->t, j);
	return nb_quote(q, ps->text + s.start, s.len);
}

/* The inputs of node i as kernels see them; values only where known. */
static void inputs(struct pass *ps, size_t i, const unsigned char *known)
{
	const struct nb_tape *t = ps->t;
	size_t first = t->first[i], n = nb_tape_nin(t, i);

	for (size_t k = 0; k < n; k++) {
		uint32_t j = t->in[first + k];
		struct nb_targ *a = &ps->in[k];
		a->s = ps->tv->shape[j];
		if (known)
			a->x = known[j] ? &t->value[j] : NULL;
		else
			a->x = ps->tv->val ? ps->tv->val + ps->tv->off[j]
					   : NULL;
		a->name = ps->text && k < NAMED_INPUTS
				  ? node_name(ps, j, &ps->q[k]) : "";
	}
}

static const char *op_spelling(enum nb_op op)
{
	const struct nb_opinfo *o = &nb_ops[op];

	return o->sym ? o->sym : o->fn ? o->fn : o->name;
}

static int node_error(struct pass *ps, size_t i, const char *why)
{
	struct nb_span s = nb_tape_span(ps->t, i);

	return nb_error(ps->d, NB_EUSAGE, s.start, s.len, "%s", why);
}

/* NumPy broadcasting over every input of elementwise node i. */
static int elem_shape(struct pass *ps, size_t i, struct nb_shape *out)
{
	size_t n = nb_tape_nin(ps->t, i);
	char why[NB_TKERNEL_WHY], a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];
	struct nb_shape_conflict c;

	*out = n ? ps->in[0].s : nb_shape_scalar();
	for (size_t k = 1; k < n; k++) {
		struct nb_shape prev = *out;
		if (nb_shape_broadcast(&prev, &ps->in[k].s, out, &c) == 0)
			continue;
		snprintf(why, sizeof why,
			 "'%s' needs shapes that broadcast: %s is %s, %s is %s",
			 op_spelling((enum nb_op)ps->t->op[i]),
			 k == 1 ? ps->in[0].name : "the others",
			 nb_shape_format(a, &prev), ps->in[k].name,
			 nb_shape_format(b, &ps->in[k].s));
		return node_error(ps, i, why);
	}
	return 0;
}

/* The scalar value of elementwise node i when its inputs are constants
 * known now: a constructor's size may be an expression (zeros(2*n)). */
static void fold_known(struct nb_tape *t, size_t i, unsigned char *known)
{
	size_t first = t->first[i], n = nb_tape_nin(t, i);

	for (size_t k = 0; k < n; k++)
		if (!known[t->in[first + k]])
			return;
	n = nb_gather(t, i);
	t->value[i] = nb_op_forward((enum nb_op)t->op[i], t->xbuf, n);
	known[i] = 1;
}

/* The shape of leaf i: its bound tensor's, else a scalar. */
static struct nb_shape leaf_shape(const struct nb_tleaves *lv, size_t *k,
				  size_t i)
{
	while (*k < lv->n && lv->node[*k] < i)
		++*k;
	if (*k < lv->n && lv->node[*k] == i && lv->val[*k].data)
		return lv->val[*k].shape;
	return nb_shape_scalar();
}

/* Every node's shape, in order. */
static int shapes(struct pass *ps, const struct nb_tleaves *lv,
		  unsigned char *known)
{
	struct nb_tape *t = ps->t;
	size_t k = 0;
	char why[NB_TKERNEL_WHY];

	for (size_t i = 0; i < t->n; i++) {
		enum nb_op op = (enum nb_op)t->op[i];
		struct nb_shape *s = &ps->tv->shape[i];
		int r;

		if (nb_ops[op].kind == NB_LEAF) {
			*s = leaf_shape(lv, &k, i);
			/* a bound scalar is known too: zeros(n) n=3 */
			known[i] = s->rank == 0;
			continue;
		}
		known[i] = 0;   /* until fold_known finds a constant */
		inputs(ps, i, known);
		if (is_elem(t, i)) {
			if ((r = elem_shape(ps, i, s)) != 0)
				return r;
			if (s->rank == 0)
				fold_known(t, i, known);
		} else if (nb_tkernel_shape(op, nb_tape_attr(t, i), ps->in,
					    nb_tape_nin(t, i), s, why)) {
			return node_error(ps, i, why);
		}
	}
	return 0;
}

/* *total += n, or -1 if that overflows an arena of doubles. */
static int add_size(size_t *total, size_t n)
{
	if (n > SIZE_MAX / sizeof(double) - *total)
		return -1;
	*total += n;
	return 0;
}

/* Offsets of every node and edge in the arenas, and the work size. */
static int layout(struct pass *ps)
{
	struct nb_tape *t = ps->t;
	struct nb_tvals *tv = ps->tv;
	size_t work = 2 * t->maxin;

	for (size_t i = 0; i < t->n; i++) {
		if (nb_shape_size(&tv->shape[i], &tv->size[i]))
			return -1;
		tv->shaped |= tv->shape[i].rank > 0;
		tv->off[i] = tv->nval;
		if (add_size(&tv->nval, tv->size[i]))
			return -1;
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			tv->loff[e] = is_elem(t, i) ? tv->nlocal : SIZE_MAX;
			if (is_elem(t, i) && add_size(&tv->nlocal, tv->size[i]))
				return -1;
			tv->doff[e] = tv->ndown;
			if (add_size(&tv->ndown, tv->size[t->in[e]]))
				return -1;
		}
		if (!is_elem(t, i) && nb_ops[t->op[i]].kind != NB_LEAF) {
			struct nb_tnode nd = { (enum nb_op)t->op[i],
					       nb_tape_attr(t, i), ps->in,
					       nb_tape_nin(t, i), NULL,
					       tv->shape[i], NULL, NULL, NULL };
			size_t w;
			inputs(ps, i, NULL);
			w = nb_tkernel_work(&nd);
			if (w > work)
				work = w;
		}
	}
	tv->nwork = work;
	return 0;
}

/* Bytes as a person reads them: "3.6 GB". */
static void human_bytes(char *buf, size_t len, double bytes)
{
	static const char *unit[] = { "bytes", "kB", "MB", "GB", "TB", "PB" };
	size_t u = 0;

	while (bytes >= 1000 && u + 1 < sizeof unit / sizeof *unit) {
		bytes /= 1000;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
}

/* The arenas must fit in nb_alloc_budget(); the message points at the
 * largest value, the one to make smaller. */
static int check_budget(struct pass *ps)
{
	const struct nb_tvals *tv = ps->tv;
	size_t n = 0, big = 0, budget = nb_alloc_budget();
	char need[32], have[32], why[160];

	if (add_size(&n, tv->nval) == 0 && add_size(&n, tv->nval) == 0 &&
	    add_size(&n, tv->nlocal) == 0 && add_size(&n, tv->ndown) == 0 &&
	    add_size(&n, tv->nwork) == 0 && n <= budget / sizeof(double))
		return 0;
	for (size_t i = 1; i < ps->t->n; i++)
		if (tv->size[i] > tv->size[big])
			big = i;
	human_bytes(need, sizeof need,
		    ((double)tv->nval * 2 + (double)tv->nlocal +
		     (double)tv->ndown + (double)tv->nwork) * sizeof(double));
	human_bytes(have, sizeof have, (double)budget);
	snprintf(why, sizeof why, "out of memory: the values and gradients "
		 "need %s, more than the %s there is", need, have);
	{
		struct nb_span s = nb_tape_span(ps->t, big);

		return nb_error(ps->d, NB_EFAIL, s.start, s.len, "%s", why);
	}
}

static void *array(size_t n, size_t size)
{
	return nb_malloc((n ? n : 1) * size);
}

/* The per-node and per-edge arrays, before the shape pass. */
static struct nb_tvals *tvals_new(const struct nb_tape *t)
{
	struct nb_tvals *tv = nb_malloc(sizeof *tv);

	if (!tv)
		return NULL;
	memset(tv, 0, sizeof *tv);
	tv->shape = array(t->n, sizeof *tv->shape);
	tv->off = array(t->n, sizeof *tv->off);
	tv->size = array(t->n, sizeof *tv->size);
	tv->loff = array(t->nedge, sizeof *tv->loff);
	tv->doff = array(t->nedge, sizeof *tv->doff);
	tv->in = array(t->maxin, sizeof *tv->in);
	if (!tv->shape || !tv->off || !tv->size || !tv->loff || !tv->doff ||
	    !tv->in) {
		nb_tvals_free(tv);
		return NULL;
	}
	return tv;
}

static int arenas(struct nb_tvals *tv)
{
	tv->val = array(tv->nval, sizeof *tv->val);
	tv->grd = array(tv->nval, sizeof *tv->grd);
	tv->local = array(tv->nlocal, sizeof *tv->local);
	tv->down = array(tv->ndown, sizeof *tv->down);
	tv->work = array(tv->nwork, sizeof *tv->work);
	return tv->val && tv->grd && tv->local && tv->down && tv->work ? 0
									: -1;
}

int nb_tsweep_prepare(struct nb_tape *t, const struct nb_tleaves *leaves,
		      const char *text, struct nb_diag *d)
{
	struct pass ps = { t, NULL, text, d, { { { 0 } } }, NULL };
	unsigned char *known = array(t->n, 1);
	int r = 0;

	nb_tvals_free(t->tv);
	t->tv = NULL;
	ps.tv = tvals_new(t);
	if (ps.tv)
		ps.in = ps.tv->in;
	if (!known || !ps.tv)
		r = nb_error_plain(d, NB_EFAIL, "out of memory");
	if (r == 0)
		r = shapes(&ps, leaves, known);
	if (r == 0 && layout(&ps))
		r = nb_error_plain(d, NB_EFAIL, "the values are too large "
				   "to hold in memory");
	if (r == 0)
		r = check_budget(&ps);
	if (r == 0 && arenas(ps.tv))
		r = nb_error_plain(d, NB_EFAIL, "out of memory");
	nb_free(known);
	if (r)
		nb_tvals_free(ps.tv);
	else
		t->tv = ps.tv;
	return r;
}

/* Where input k's element for element idx of node i is: broadcasting
 * reads a stretched dimension's one element again and again. */
static size_t bcast_index(const struct nb_shape *out,
			  const struct nb_shape *in, size_t idx)
{
	size_t at = 0, stride = 1;
	int skip = out->rank - in->rank;

	for (int a = out->rank - 1; a >= skip; a--) {
		size_t dim = out->dim[a], c = idx % dim;
		uint32_t d = in->dim[a - skip];
		idx /= dim;
		if (d != 1)
			at += c * stride;
		stride *= d;
	}
	return at;
}

/* The element of input j of node i that element idx reads. */
static size_t in_index(const struct nb_tvals *tv, size_t i, uint32_t j,
		       size_t idx)
{
	if (tv->size[j] == tv->size[i])
		return idx;
	if (tv->size[j] == 1)
		return 0;
	return bcast_index(&tv->shape[i], &tv->shape[j], idx);
}

size_t nb_tsweep_gather(const struct nb_tape *t, size_t i, size_t idx,
			double *x)
{
	const struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i);

	for (size_t k = 0; k < n; k++) {
		uint32_t j = t->in[first + k];
		x[k] = tv->val[tv->off[j] + in_index(tv, i, j, idx)];
	}
	return n;
}

size_t nb_tsweep_in_elem(const struct nb_tape *t, size_t i, size_t k,
			 size_t idx)
{
	return in_index(t->tv, i, t->in[t->first[i] + k], idx);
}

static void elem_forward(struct nb_tape *t, size_t i)
{
	struct nb_tvals *tv = t->tv;
	double *x = tv->work, *v = tv->val + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];

	for (size_t idx = 0; idx < tv->size[i]; idx++)
		v[idx] = nb_op_forward(op, x, nb_tsweep_gather(t, i, idx, x));
}

static void leaf_forward(struct nb_tape *t, const struct nb_tleaves *lv,
			 size_t *k, size_t i)
{
	struct nb_tvals *tv = t->tv;

	while (*k < lv->n && lv->node[*k] < i)
		++*k;
	if (*k < lv->n && lv->node[*k] == i && lv->val[*k].data)
		memcpy(tv->val + tv->off[i], lv->val[*k].data,
		       tv->size[i] * sizeof *tv->val);
	else
		tv->val[tv->off[i]] = t->value[i];
}

static struct nb_tnode tnode(struct pass *ps, size_t i)
{
	struct nb_tvals *tv = ps->tv;

	return (struct nb_tnode){ (enum nb_op)ps->t->op[i],
				  nb_tape_attr(ps->t, i), ps->in,
				  nb_tape_nin(ps->t, i), tv->val + tv->off[i],
				  tv->shape[i], tv->grd + tv->off[i], tv->work,
				  NULL };
}

int nb_tsweep_forward(struct nb_tape *t, const struct nb_tleaves *leaves,
		      uint64_t seed, const char *text, struct nb_diag *d)
{
	struct pass ps = { t, t->tv, text, d, { { { 0 } } }, t->tv->in };
	struct nb_rng rng;
	char why[NB_TKERNEL_WHY];
	size_t k = 0;
	int r = 0;

	nb_rng_seed(&rng, seed);
	t->tv->has_grad = 0;
	for (size_t i = 0; i < t->n && r == 0; i++) {
		struct nb_tnode nd;
		if (nb_ops[t->op[i]].kind == NB_LEAF) {
			leaf_forward(t, leaves, &k, i);
			continue;
		}
		if (is_elem(t, i)) {
			elem_forward(t, i);
			continue;
		}
		inputs(&ps, i, NULL);
		nd = tnode(&ps, i);
		nd.rng = &rng;
		if (nb_tkernel_forward(&nd, why))
			r = node_error(&ps, i, why);
	}
	return r;
}

/* The local and downstream gradients of every edge of elementwise node
 * i; a broadcast input's downstream gradient sums over the elements
 * that read it. */
static void elem_reverse(struct nb_tape *t, size_t i)
{
	struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	double *x = tv->work, *loc = tv->work + t->maxin;
	const double *v = tv->val + tv->off[i], *g = tv->grd + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];

	for (size_t k = 0; k < n; k++)
		memset(tv->down + tv->doff[first + k], 0,
		       tv->size[t->in[first + k]] * sizeof *tv->down);
	for (size_t idx = 0; idx < tv->size[i]; idx++) {
		for (size_t k = 0; k < n; k++) {
			uint32_t j = t->in[first + k];
			x[k] = tv->val[tv->off[j] + in_index(tv, i, j, idx)];
		}
		nb_op_locals(op, x, n, v[idx], loc);
		for (size_t k = 0; k < n; k++) {
			size_t e = first + k;
			uint32_t j = t->in[e];
			tv->local[tv->loff[e] + idx] = loc[k];
			tv->down[tv->doff[e] + in_index(tv, i, j, idx)] +=
				nb_downstream(g[idx], loc[k]);
		}
	}
}

void nb_tsweep_reverse(struct nb_tape *t, size_t output,
		       const double *upstream)
{
	struct nb_tvals *tv = t->tv;
	struct pass ps = { t, tv, NULL, NULL, { { { 0 } } }, tv->in };

	memset(tv->grd, 0, tv->nval * sizeof *tv->grd);
	for (size_t e = 0; e < tv->size[output]; e++)
		tv->grd[tv->off[output] + e] = upstream ? upstream[e] : 1;
	for (size_t i = t->n; i-- > 0;) {
		size_t first = t->first[i], n = nb_tape_nin(t, i);
		if (nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		if (is_elem(t, i)) {
			elem_reverse(t, i);
		} else {
			struct nb_tnode nd;
			inputs(&ps, i, NULL);
			nd = tnode(&ps, i);
			for (size_t k = 0; k < n; k++)
				nb_tkernel_vjp(&nd, k,
					       tv->down + tv->doff[first + k]);
		}
		for (size_t k = 0; k < n; k++) {
			size_t e = first + k;
			uint32_t j = t->in[e];
			double *gj = tv->grd + tv->off[j];
			const double *dj = tv->down + tv->doff[e];
			for (size_t m = 0; m < tv->size[j]; m++)
				gj[m] += dj[m];
		}
	}
	tv->has_grad = 1;
}

/* Elementwise node i's tangent: the local gradients times the inputs'
 * tangents, a broadcast input's read again and again. */
static void elem_tangent(struct nb_tape *t, size_t i, double *tan)
{
	struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	double *x = tv->work, *loc = tv->work + t->maxin;
	const double *v = tv->val + tv->off[i];
	double *dt = tan + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];

	for (size_t idx = 0; idx < tv->size[i]; idx++) {
		double sum = 0;
		for (size_t k = 0; k < n; k++) {
			uint32_t j = t->in[first + k];
			x[k] = tv->val[tv->off[j] + in_index(tv, i, j, idx)];
		}
		nb_op_locals(op, x, n, v[idx], loc);
		for (size_t k = 0; k < n; k++) {
			uint32_t j = t->in[first + k];
			sum += nb_downstream(tan[tv->off[j] +
						 in_index(tv, i, j, idx)],
					     loc[k]);
		}
		dt[idx] = sum;
	}
}

void nb_tsweep_tangent(struct nb_tape *t, double *tan)
{
	struct nb_tvals *tv = t->tv;
	struct pass ps = { t, tv, NULL, NULL, { { { 0 } } }, tv->in };

	for (size_t i = 0; i < t->n; i++) {
		struct nb_tnode nd;
		if (nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		if (is_elem(t, i)) {
			elem_tangent(t, i, tan);
			continue;
		}
		inputs(&ps, i, NULL);
		for (size_t k = 0; k < nb_tape_nin(t, i); k++)
			ps.in[k].t = tan + tv->off[t->in[t->first[i] + k]];
		nd = tnode(&ps, i);
		nb_tkernel_jvp(&nd, tan + tv->off[i]);
	}
}
