/* verify_tline.c - one line of a backward pass on tensors, evaluated on
 * a tape of its own (verify_tctx.h): its nodes copied, what it reads
 * from before it as leaves, maybe changed into a variant. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/sweep.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "modes/verify.h"
#include "modes/verify_ctx.h"
#include "modes/verify_tctx.h"

#define NONE UINT32_MAX

struct nb_view nb_tvx_view(const struct nb_tensor *a)
{
	return (struct nb_view){ a->data, a->shape };
}

struct nb_view nb_tvx_cview(const struct tvx *t, const struct tcontrib *c)
{
	return (struct nb_view){ c->d,
				 nb_node_value(&t->x->fwd, c->of).shape };
}

struct nb_view nb_tvx_grad(const struct tvx *t, uint32_t i)
{
	return nb_node_grad(&t->x->fwd, i);
}

void *nb_tvx_zalloc(size_t n, size_t size)
{
	void *p = nb_malloc((n ? n : 1) * size);

	if (p)
		memset(p, 0, (n ? n : 1) * size);
	return p;
}

size_t nb_tvx_elems(const struct nb_shape *s)
{
	size_t n = 1;

	for (int i = 0; i < s->rank; i++)
		n *= s->dim[i];
	return n;
}

/* *a = a copy of w (a->data NULL when w has none). */
int nb_tvx_copy(struct nb_tensor *a, struct nb_view w)
{
	a->data = NULL;
	a->shape = w.shape;
	if (!w.x)
		return 0;
	if (nb_tensor_alloc(a, &w.shape))
		return -1;
	memcpy(a->data, w.x, nb_tvx_elems(&w.shape) * sizeof *a->data);
	return 0;
}

void nb_tvx_add(double *a, struct nb_view w, double sign)
{
	for (size_t i = 0, n = nb_tvx_elems(&w.shape); i < n; i++)
		a[i] += sign * w.x[i];
}

/* The forward program, nodes 0..nfwd-1 of p, on a tape of its own. */

static double largest(struct nb_view a)
{
	double m = 0;

	if (!a.x)
		return 0;
	for (size_t i = 0, n = nb_tvx_elems(&a.shape); i < n; i++)
		if (fabs(a.x[i]) > m)
			m = fabs(a.x[i]);
	return m;
}

int nb_tvx_near(const struct tvx *t, struct nb_view a, struct nb_view b,
		const struct nb_view *scale)
{
	double m, mb, tol = t->x->tol;
	size_t n;

	if (!a.x || !b.x || !nb_shape_equal(&a.shape, &b.shape))
		return 0;
	m = largest(a);
	mb = largest(b);
	n = nb_tvx_elems(&a.shape);
	if (mb > m)
		m = mb;
	if (scale && nb_shape_equal(&scale->shape, &a.shape) &&
	    largest(*scale) > m)
		m = largest(*scale);
	for (size_t i = 0; i < n; i++) {
		double d = fabs(a.x[i] - b.x[i]);
		if (a.x[i] == b.x[i] || (isnan(a.x[i]) && isnan(b.x[i])))
			continue;
		if (!(d <= tol * m))
			return 0;
	}
	return 1;
}

int nb_tvx_is_gradient(const struct tvx *t, uint32_t j, uint32_t *of)
{
	const struct nb_tverify *x = t->x;

	if (j < x->nfwd || x->lineof[j - x->nfwd] < 0 ||
	    (size_t)x->lineof[j - x->nfwd] >= x->k)
		return 0;
	*of = t->v->bw.line[x->lineof[j - x->nfwd]].of;
	return 1;
}

struct nb_view nb_tvx_read(const struct tvx *t, uint32_t j, enum tread r)
{
	const struct nb_tverify *x = t->x;
	uint32_t of;

	if (!nb_tvx_is_gradient(t, j, &of))
		return j < x->nfwd ? nb_node_value(&x->fwd, j)
				   : (struct nb_view){ NULL, { 0, { 0 } } };
	if (r == READ_STUDENT)
		return nb_tvx_view(&x->student[x->lineof[j - x->nfwd]]);
	if (of == x->g->of)
		return nb_tvx_view(&x->partial[of]);
	return nb_tvx_grad(t, of);
}

/* Whether node j of the program, read by line k, is a leaf of its tape:
 * a forward node or an earlier line's gradient. */
static int outside(const struct nb_tverify *x, uint32_t j)
{
	return j < x->nfwd || (x->lineof[j - x->nfwd] >= 0 &&
			       (size_t)x->lineof[j - x->nfwd] < x->k);
}

/* Marks the nodes of the line's tape with x->stamp; the leaves go to
 * x->refs in increasing order. */
void nb_tvx_refs(const struct tvx *t)
{
	struct nb_tverify *x = t->x;
	const struct nb_tape *p = &t->v->p.tape;
	uint32_t rhs = x->g->rhs, of;

	x->stamp++;
	x->nrefs = 0;
	x->self = 0;
	x->mark[rhs] = x->stamp;
	for (uint32_t i = rhs + 1; i-- > x->nfwd;) {
		if (x->mark[i] != x->stamp || outside(x, i))
			continue;
		for (size_t e = p->first[i]; e < p->first[i + 1]; e++)
			x->mark[p->in[e]] = x->stamp;
	}
	for (uint32_t i = 0; i <= rhs; i++)
		if (x->mark[i] == x->stamp && (outside(x, i) ||
					       nb_ops[p->op[i]].kind == NB_LEAF))
			x->refs[x->nrefs++] = i;
	for (size_t i = 0; i < x->nrefs; i++)
		if (nb_tvx_is_gradient(t, x->refs[i], &of) && of == x->g->of)
			x->self = 1;
}

/* The inputs ins of a copy of a @ b (whose inputs in the program are
 * in) as the flags change them. */
static int change(const struct nb_tape *p, struct nb_tape *m,
		  const uint32_t *map, unsigned flags, const uint32_t *in,
		  uint32_t *ins)
{
	uint32_t orig[2] = { in[0], in[1] };

	if (flags & CHANGE_SWAP) {
		uint32_t s = ins[0];
		ins[0] = ins[1];
		ins[1] = s;
		orig[0] = in[1];
		orig[1] = in[0];
	}
	for (int k = 0; k < 2; k++) {
		if (!(flags & (k ? CHANGE_T1 : CHANGE_T0)))
			continue;
		if (p->op[orig[k]] == NB_OP_TRANSPOSE)
			ins[k] = map[p->in[p->first[orig[k]]]];
		else if (nb_tape_push(m, NB_OP_TRANSPOSE,
				      nb_tape_span(p, orig[k]), &ins[k], 1,
				      &ins[k]))
			return -1;
	}
	return 0;
}

/* Pushes node i of the program onto m as a copy, with its inputs
 * mapped and, if var changes it, changed. */
static int copy_node(const struct tvx *t, struct nb_tape *m, uint32_t i,
		     const struct tvariant *var)
{
	const struct nb_tape *p = &t->v->p.tape;
	uint32_t *map = t->x->map, in[NB_MAX_RANK + 2], *ins = in, id;
	size_t n = nb_tape_nin(p, i), first = p->first[i];
	int r;

	if (n > sizeof in / sizeof *in && !(ins = nb_malloc(n * sizeof *ins)))
		return -1;
	for (size_t k = 0; k < n; k++)
		ins[k] = map[p->in[first + k]];
	if (var && var->node == i && n == 2 && (var->change & ~CHANGE_SUBST) &&
	    change(p, m, map, var->change, p->in + first, ins)) {
		r = -1;
		goto out;
	}
	r = nb_tape_push(m, (enum nb_op)p->op[i], nb_tape_span(p, i), ins, n,
			 &id) ||
	    (nb_tape_attr(p, i) && nb_tape_set_attr(m, id, nb_tape_attr(p, i))) ||
	    (nb_tape_name(p, i).len &&
	     nb_tape_set_name(m, id, nb_tape_name(p, i))) ? -1 : 0;
	if (r == 0) {
		map[i] = id;
		m->value[id] = p->value[i];
	}
out:
	if (ins != in)
		nb_free(ins);
	return r;
}

/* The leaves of the line's tape, with their values. */
static int leaves(const struct tvx *t, struct nb_tape *m, enum tread r,
		  const struct tvariant *var, struct nb_tensor *val,
		  uint32_t *node, char *why, size_t size)
{
	struct nb_tverify *x = t->x;
	const struct nb_tape *p = &t->v->p.tape;

	for (size_t k = 0; k < x->nrefs; k++) {
		uint32_t j = x->refs[k], id;
		struct nb_view w = nb_tvx_read(t, j, r);
		struct nb_span nm = nb_tape_name(p, j);
		if (!outside(x, j))
			w = (struct nb_view){ &p->value[j], nb_shape_scalar() };
		if (var && var->change == CHANGE_SUBST && var->node == j)
			w = var->subst;
		if (!w.x) {
			struct vctx s = { .v = t->v };
			snprintf(why, size, "it reads %.*s, which line %zu could "
				 "not compute", (int)nm.len,
				 t->v->p.src.text + nm.start,
				 nb_vx_line(&s, (size_t)x->lineof[j - x->nfwd]));
			return 1;
		}
		if (nb_tape_push(m, outside(x, j) ? NB_OP_VAR
				 : (enum nb_op)p->op[j], nb_tape_span(p, j), NULL, 0,
				 &id) ||
		    (nm.len && nb_tape_set_name(m, id, nm)))
			return -1;
		x->map[j] = id;
		node[k] = id;
		val[k] = (struct nb_tensor){ w.shape, NULL };
		if (w.shape.rank == 0)
			m->value[id] = w.x[0];
		else
			val[k].data = (double *)w.x;
	}
	return 0;
}

static int result(const struct nb_tape *m, uint32_t root,
		  struct nb_tensor *out)
{
	struct nb_view w = nb_node_value(m, root);

	if (nb_tensor_alloc(out, &w.shape))
		return -1;
	memcpy(out->data, w.x, nb_tvx_elems(&w.shape) * sizeof *w.x);
	return 0;
}

static int run(const struct tvx *t, struct nb_tape *m,
	       const struct nb_tleaves *lv, struct nb_tensor *out, char *why,
	       size_t size)
{
	struct nb_diag d;
	const char *text = t->v->p.src.text;
	int r = nb_tsweep_prepare(m, lv, 1, text, &d);

	if (r == 0 && m->tv)
		r = nb_tsweep_forward(m, lv, t->v->p.seed, text, &d);
	else if (r == 0)
		nb_forward(m, 0, m->n);
	if (r == NB_EFAIL && !d.located)
		return -1;
	if (r) {
		snprintf(why, size, "%s", d.msg);
		return 1;
	}
	return result(m, t->x->map[t->x->g->rhs], out);
}

int nb_tvx_eval(const struct tvx *t, enum tread r,
		const struct tvariant *var, struct nb_tensor *out, char *why,
		size_t size)
{
	struct nb_tverify *x = t->x;
	struct nb_tape m;
	size_t n = x->nrefs ? x->nrefs : 1;
	struct nb_tensor *val = nb_malloc(n * sizeof *val);
	uint32_t *node = nb_malloc(n * sizeof *node);
	int res = -1;

	out->data = NULL;
	nb_tape_init(&m);
	if (!val || !node)
		goto done;
	if ((res = leaves(t, &m, r, var, val, node, why, size)) != 0)
		goto done;
	res = -1;
	for (uint32_t i = x->nfwd; i <= x->g->rhs; i++)
		if (x->mark[i] == x->stamp && !outside(x, i) &&
		    nb_ops[t->v->p.tape.op[i]].kind != NB_LEAF &&
		    copy_node(t, &m, i, var))
			goto done;
	res = run(t, &m, &(struct nb_tleaves){ node, val, x->nrefs }, out,
		  why, size);
done:
	nb_tape_free(&m);
	nb_free(val);
	nb_free(node);
	if (res < 0)
		x->oom = 1;
	return res;
}
