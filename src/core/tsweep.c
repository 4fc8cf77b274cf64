/* tsweep.c - the shape pass and the sweeps of a shaped tape. */
#include "core/tsweep.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/oploop.h"
#include "core/sweep.h"
#include "core/tkernel.h"
#include "core/tvals.h"

/* No error, or none with a node to blame. */
static const struct nb_tfault no_fault = { NB_FAULT_ANY, NB_FAULT_ANY,
					   NB_FAULT_ANY };

/* Kernels get the names of this many inputs for their messages. */
#define NAMED_INPUTS 3
/* Most elements an elementwise op's loop takes at once: their local
 * gradients, in the scratch of work when no edge keeps them, stay in
 * the L1 cache. */
#define RUN_BLOCK 1024

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
		a->trans = !known && ps->tv->fold[j];
		if (a->trans)   /* the matrix the folded x.T reads */
			j = t->in[t->first[j]];
		if (known)
			a->x = known[j] ? &t->value[j] : NULL;
		else
			a->x = ps->tv->val ? nb_tvals_value(ps->tv, j) : NULL;
		a->name = ps->text && k < NAMED_INPUTS
				  ? node_name(ps, j, &ps->q[k]) : "";
	}
}

static const char *op_spelling(enum nb_op op)
{
	const struct nb_opinfo *o = &nb_ops[op];

	return o->sym ? o->sym : o->fn ? o->fn : o->name;
}

/* Where a message about node i points: an infix operator's symbol,
 * found in the text between its two operands (W @ x: the @), else the
 * node's whole expression (a call, a spelling the table does not
 * give, or no text kept). */
static struct nb_span error_span(const struct pass *ps, size_t i)
{
	const struct nb_tape *t = ps->t;
	struct nb_span s = nb_tape_span(t, i), a, b;
	const struct nb_opinfo *o = &nb_ops[t->op[i]];
	const char *sym = o->kind == NB_INFIX ? o->sym : NULL;
	size_t n = sym ? strlen(sym) : 0;

	if (!n || !s.len || nb_tape_nin(t, i) != 2)
		return s;
	a = nb_tape_span(t, t->in[t->first[i]]);
	b = nb_tape_span(t, t->in[t->first[i] + 1]);
	for (size_t p = (size_t)a.start + a.len; p + n <= b.start; p++)
		if (memcmp(ps->text + p, sym, n) == 0)
			return (struct nb_span){ (uint32_t)p, (uint32_t)n };
	return s;
}

static int node_error(struct pass *ps, size_t i, const char *why)
{
	struct nb_span s = error_span(ps, i);

	ps->t->fault.node = i;
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
		} else {
			for (size_t e = 0; e < nb_tape_nin(t, i); e++)
				ps->tv->by_value |= ps->in[e].x != NULL;
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

/* Whether node i's op runs as loops of oploop.h: one of at most two
 * inputs, not variadic. */
static int by_runs(const struct nb_tape *t, size_t i)
{
	size_t n = nb_tape_nin(t, i);

	return n >= 1 && n <= 2 && nb_ops[t->op[i]].arity != NB_VARIADIC;
}

/* Whether edge e, of node i, needs a scratch row without edges: others
 * add to its input's gradient too, and a tensor op's VJP overwrites
 * its row, a broadcast input's sums its elements apart (in the order
 * the edge's own row would). */
static int needs_scratch(const struct nb_tape *t, const struct nb_tvals *tv,
			 size_t i, size_t e)
{
	uint32_t j = t->in[e];

	return tv->uses[j] > 1 &&
	       (!is_elem(t, i) || tv->size[j] != tv->size[i]);
}

/* Without edges, the inputs of matrix product i that are transposes of
 * matrices read by it alone fold into it (tvals.h). */
static void fold_transposes(const struct nb_tape *t, struct nb_tvals *tv,
			    size_t i)
{
	size_t first = t->first[i];

	if (tv->edges || t->op[i] != NB_OP_MATMUL ||
	    tv->shape[t->in[first]].rank != 2 ||
	    tv->shape[t->in[first + 1]].rank != 2)
		return;
	for (size_t e = first; e < t->first[i + 1]; e++) {
		uint32_t j = t->in[e];
		tv->fold[j] = t->op[j] == NB_OP_TRANSPOSE && tv->uses[j] == 1 &&
			      tv->shape[t->in[t->first[j]]].rank == 2;
	}
}

/* Where node i's edges are in local and down.  Without edges a node's
 * scratch rows start at 0 of down, which is the largest node's. */
static int edge_layout(struct pass *ps, size_t i)
{
	struct nb_tape *t = ps->t;
	struct nb_tvals *tv = ps->tv;
	size_t scratch = 0;

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		size_t *into = tv->edges ? &tv->ndown : &scratch;
		int local = tv->edges && is_elem(t, i);
		tv->loff[e] = local ? tv->nlocal : SIZE_MAX;
		if (local && add_size(&tv->nlocal, tv->size[i]))
			return -1;
		tv->doff[e] = SIZE_MAX;
		if (!tv->edges && !needs_scratch(t, tv, i, e)) {
			uint32_t j = t->in[e];
			tv->set[j] = tv->uses[j] == 1 &&
				     (!is_elem(t, i) ||
				      (by_runs(t, i) &&
				       tv->size[j] == tv->size[i]));
			continue;
		}
		tv->doff[e] = *into;
		if (add_size(into, tv->size[t->in[e]]))
			return -1;
	}
	if (scratch > tv->ndown)
		tv->ndown = scratch;
	fold_transposes(t, tv, i);
	return 0;
}

/* Offsets of every node and edge in the arenas, and the work size. */
static int layout(struct pass *ps)
{
	struct nb_tape *t = ps->t;
	struct nb_tvals *tv = ps->tv;
	size_t work = 2 * t->maxin;

	if (!tv->edges)
		work = 2 * RUN_BLOCK > work ? 2 * RUN_BLOCK : work;
	memset(tv->uses, 0, t->n * sizeof *tv->uses);
	memset(tv->set, 0, t->n * sizeof *tv->set);
	memset(tv->fold, 0, t->n * sizeof *tv->fold);
	for (size_t i = 0; i < t->n; i++)
		tv->leaf[i] = NULL;
	for (size_t e = 0; e < t->nedge; e++)
		tv->uses[t->in[e]]++;
	for (size_t i = 0; i < t->n; i++) {
		/* a value too large is the one to blame */
		t->fault.node = i;
		if (nb_shape_size(&tv->shape[i], &tv->size[i]))
			return -1;
		tv->shaped |= tv->shape[i].rank > 0;
		tv->off[i] = tv->nval;
		if (add_size(&tv->nval, tv->size[i]) || edge_layout(ps, i))
			return -1;
		if (!is_elem(t, i) && nb_ops[t->op[i]].kind != NB_LEAF) {
			struct nb_tnode nd = { (enum nb_op)t->op[i],
					       nb_tape_attr(t, i), ps->in,
					       nb_tape_nin(t, i), NULL,
					       tv->shape[i], NULL, NULL, NULL,
					       NULL };
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
	ps->t->fault.node = big;
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
	tv->uses = array(t->n, sizeof *tv->uses);
	tv->set = array(t->n, sizeof *tv->set);
	tv->fold = array(t->n, sizeof *tv->fold);
	tv->leaf = array(t->n, sizeof *tv->leaf);
	tv->in = array(t->maxin, sizeof *tv->in);
	if (!tv->shape || !tv->off || !tv->size || !tv->loff || !tv->doff ||
	    !tv->uses || !tv->set || !tv->fold || !tv->leaf || !tv->in) {
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
		      int edges, const char *text, struct nb_diag *d)
{
	struct pass ps = { t, NULL, text, d, { { { 0 } } }, NULL };
	unsigned char *known = array(t->n, 1);
	int r = 0;

	t->fault = no_fault;
	nb_tvals_free(t->tv);
	t->tv = NULL;
	ps.tv = tvals_new(t);
	if (ps.tv) {
		ps.in = ps.tv->in;
		ps.tv->edges = edges;
	}
	if (!known || !ps.tv)
		r = nb_error_plain(d, NB_EFAIL, "out of memory");
	if (r == 0)
		r = shapes(&ps, leaves, known);
	if (r == 0 && layout(&ps))
		r = nb_error_plain(d, NB_EFAIL, "the values are too large "
				   "to hold in memory");
	else if (r == 0)
		t->fault = no_fault;
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

int nb_tsweep_prepared(const struct nb_tape *t,
		       const struct nb_tleaves *leaves, int edges)
{
	const struct nb_tvals *tv = t->tv;
	size_t k = 0;

	if (!tv || tv->by_value || tv->edges != edges)
		return 0;
	for (size_t i = 0; i < t->n; i++) {
		struct nb_shape s;
		if (nb_ops[t->op[i]].kind != NB_LEAF)
			continue;
		s = leaf_shape(leaves, &k, i);
		if (!nb_shape_equal(&s, &tv->shape[i]))
			return 0;
	}
	return 1;
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
		x[k] = nb_tvals_value(tv, j)[in_index(tv, i, j, idx)];
	}
	return n;
}

size_t nb_tsweep_in_elem(const struct nb_tape *t, size_t i, size_t k,
			 size_t idx)
{
	return in_index(t->tv, i, t->in[t->first[i] + k], idx);
}

/* The length of the runs of node i's elements along which every input
 * is either contiguous (contig[k] 1) or one element read again and
 * again (0): the trailing dimensions where each input keeps to one of
 * the two.  All of a same-shape or scalar input's elements are one run,
 * a matrix's rows are runs for a row or column broadcast. */
static size_t run_len(const struct nb_tape *t, size_t i, int *contig)
{
	const struct nb_tvals *tv = t->tv;
	const struct nb_shape *o = &tv->shape[i];
	size_t first = t->first[i], n = nb_tape_nin(t, i), len = 1;
	int mode[2] = { -1, -1 }, same = 1;

	for (int a = o->rank - 1; a >= 0 && same; a--) {
		for (size_t k = 0; k < n && o->dim[a] > 1; k++) {
			const struct nb_shape *s = &tv->shape[t->in[first + k]];
			int skip = o->rank - s->rank;
			int m = a >= skip && s->dim[a - skip] != 1;
			if (mode[k] < 0)
				mode[k] = m;
			same &= mode[k] == m;
		}
		if (same)
			len *= o->dim[a];
	}
	for (size_t k = 0; k < n; k++)
		contig[k] = mode[k] != 0;
	return len;
}

/* Elements p.. of node i's next run: at most RUN_BLOCK of them, within
 * one run, and where each input's start (in[k]). */
static size_t run_at(const struct nb_tape *t, size_t i, size_t p, size_t len,
		     const double **in)
{
	const struct nb_tvals *tv = t->tv;
	size_t m = len - p % len;

	for (size_t k = 0; k < nb_tape_nin(t, i); k++) {
		uint32_t j = t->in[t->first[i] + k];
		in[k] = nb_tvals_value(tv, j) + in_index(tv, i, j, p);
	}
	return m < RUN_BLOCK ? m : RUN_BLOCK;
}

static void elem_forward(struct nb_tape *t, size_t i)
{
	struct nb_tvals *tv = t->tv;
	double *x = tv->work, *v = tv->val + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];
	const double *in[2] = { NULL, NULL };
	int c[2];
	size_t len, m;

	if (!by_runs(t, i)) {
		for (size_t idx = 0; idx < tv->size[i]; idx++)
			v[idx] = nb_op_forward(op, x,
					       nb_tsweep_gather(t, i, idx, x));
		return;
	}
	len = run_len(t, i, c);
	for (size_t p = 0; p < tv->size[i]; p += m) {
		m = run_at(t, i, p, len, in);
		nb_oploop_forward(op, v + p, in[0], c[0], in[1], c[1], m);
	}
}

static void leaf_forward(struct nb_tape *t, const struct nb_tleaves *lv,
			 size_t *k, size_t i)
{
	struct nb_tvals *tv = t->tv;

	while (*k < lv->n && lv->node[*k] < i)
		++*k;
	if (*k < lv->n && lv->node[*k] == i && lv->val[*k].data &&
	    !tv->edges)
		tv->leaf[i] = lv->val[*k].data;
	else if (*k < lv->n && lv->node[*k] == i && lv->val[*k].data)
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
				  NULL, NULL };
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
	t->fault = no_fault;
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
		if (t->tv->fold[i])
			continue;
		inputs(&ps, i, NULL);
		nd = tnode(&ps, i);
		nd.rng = &rng;
		nd.fault = &t->fault;
		if (nb_tkernel_forward(&nd, why))
			r = node_error(&ps, i, why);
	}
	return r;
}

/* Where edge e's downstream gradient goes: its own row (kept for the
 * writers, or scratch), else straight into its input's gradient. */
static double *down_of(const struct nb_tape *t, size_t e)
{
	const struct nb_tvals *tv = t->tv;

	return tv->doff[e] != SIZE_MAX ? tv->down + tv->doff[e]
				       : tv->grd + tv->off[t->in[e]];
}

/* Elementwise node i's reverse step element by element: the variadic
 * ops. */
static void elem_reverse_each(struct nb_tape *t, size_t i)
{
	struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	double *x = tv->work, *loc = tv->work + t->maxin;
	const double *v = tv->val + tv->off[i], *g = tv->grd + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];

	for (size_t idx = 0; idx < tv->size[i]; idx++) {
		nb_op_locals(op, x, nb_tsweep_gather(t, i, idx, x), v[idx],
			     loc);
		for (size_t k = 0; k < n; k++) {
			size_t e = first + k;
			uint32_t j = t->in[e];
			if (tv->edges)
				tv->local[tv->loff[e] + idx] = loc[k];
			down_of(t, e)[in_index(tv, i, j, idx)] +=
				nb_downstream(g[idx], loc[k]);
		}
	}
}

/* Elementwise node i's reverse step by runs (by_runs): the local
 * gradients of a block of elements, kept or in scratch, then their
 * downstream gradients, summed for a broadcast input. */
static void elem_reverse_runs(struct nb_tape *t, size_t i)
{
	struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i), m;
	const double *v = tv->val + tv->off[i], *g = tv->grd + tv->off[i];
	enum nb_op op = (enum nb_op)t->op[i];
	size_t stride = tv->edges ? tv->size[i] : RUN_BLOCK;
	const double *in[2] = { NULL, NULL };
	int c[2];
	size_t len = run_len(t, i, c);

	for (size_t p = 0; p < tv->size[i]; p += m) {
		double *pl = tv->edges ? tv->local + tv->loff[first] + p
				       : tv->work;
		m = run_at(t, i, p, len, in);
		nb_oploop_locals(op, n > 1 ? 3 : 1, pl, stride, in[0], c[0],
				 in[1], c[1], v + p, m);
		for (size_t k = 0; k < n; k++) {
			size_t e = first + k;
			double *d = down_of(t, e) +
				    in_index(tv, i, t->in[e], p);
			if (tv->set[t->in[e]])
				nb_oploop_set_down(d, g + p, pl + k * stride,
						   m);
			else if (c[k])
				nb_oploop_add_down(d, g + p, pl + k * stride,
						   m);
			else
				nb_oploop_sum_down(d, g + p, pl + k * stride,
						   m);
		}
	}
}

/* The gradients of node i's edges: into their rows (zeroed first) or
 * straight into their inputs' gradients. */
static void node_reverse(struct pass *ps, size_t i)
{
	struct nb_tape *t = ps->t;
	struct nb_tvals *tv = t->tv;
	size_t first = t->first[i], n = nb_tape_nin(t, i);

	if (tv->fold[i]) {      /* its gradient is its input's already */
		memcpy(down_of(t, first), tv->grd + tv->off[i],
		       tv->size[i] * sizeof *tv->grd);
		return;
	}
	if (!is_elem(t, i)) {
		struct nb_tnode nd;
		inputs(ps, i, NULL);
		nd = tnode(ps, i);
		for (size_t k = 0; k < n; k++)
			nb_tkernel_vjp(&nd, k, down_of(t, first + k));
		return;
	}
	for (size_t k = 0; k < n; k++)
		if (tv->doff[first + k] != SIZE_MAX)
			memset(down_of(t, first + k), 0,
			       tv->size[t->in[first + k]] * sizeof *tv->down);
	if (by_runs(t, i))
		elem_reverse_runs(t, i);
	else
		elem_reverse_each(t, i);
}

/* The output's gradient is upstream; its seed adds when the sweep
 * reaches it, after what later nodes (which the output does not
 * depend on: gradients 0) added, so an edge into it may overwrite. */
void nb_tsweep_reverse(struct nb_tape *t, size_t output,
		       const double *upstream)
{
	struct nb_tvals *tv = t->tv;
	struct pass ps = { t, tv, NULL, NULL, { { { 0 } } }, tv->in };

	for (size_t i = 0; i < t->n; i++)
		if (!tv->set[i])
			memset(tv->grd + tv->off[i], 0,
			       tv->size[i] * sizeof *tv->grd);
	for (size_t i = t->n; i-- > 0;) {
		size_t first = t->first[i], n = nb_tape_nin(t, i);
		if (i == output)
			for (size_t e = 0; e < tv->size[output]; e++)
				tv->grd[tv->off[output] + e] +=
					upstream ? upstream[e] : 1;
		if (nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		node_reverse(&ps, i);
		for (size_t k = 0; k < n; k++) {
			size_t e = first + k;
			if (tv->doff[e] == SIZE_MAX)
				continue;
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
			x[k] = nb_tvals_value(tv, j)[in_index(tv, i, j, idx)];
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
