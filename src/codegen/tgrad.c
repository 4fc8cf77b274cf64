/* tgrad.c - the staged forward and backward pass of a shaped program
 * (tgrad.h), its rules written in the language's tensor notation. */
#include "codegen/tgrad.h"

#include <string.h>

#include "core/alloc.h"
#include "core/shape.h"
#include "core/tvals.h"

/* Every builder below returns 0, or -1 when out of memory. */

static int num(struct nb_tgrad *g, double v, uint32_t *id)
{
	return nb_expr_const(&g->e, v, id);
}

static int op2(struct nb_tgrad *g, enum nb_op op, uint32_t a, uint32_t b,
	       uint32_t *id)
{
	uint32_t args[2] = { a, b };

	return nb_expr_op(&g->e, op, args, 2, id);
}

static int top(struct nb_tgrad *g, enum nb_op op, int32_t attr,
	       const uint32_t *args, size_t n, uint32_t *id)
{
	return nb_expr_raw(&g->e, op, attr, 0, args, n, id);
}

static int top1(struct nb_tgrad *g, enum nb_op op, uint32_t a, uint32_t *id)
{
	return top(g, op, 0, &a, 1, id);
}

static int top2(struct nb_tgrad *g, enum nb_op op, uint32_t a, uint32_t b,
		uint32_t *id)
{
	uint32_t args[2] = { a, b };

	return top(g, op, 0, args, 2, id);
}

static const struct nb_shape *shape(const struct nb_tgrad *g, size_t i)
{
	return &g->p->tape.tv->shape[i];
}

/* ones(shape) (the number 1 for a scalar). */
static int ones(struct nb_tgrad *g, const struct nb_shape *s, uint32_t *id)
{
	uint32_t d[NB_MAX_RANK];

	if (s->rank == 0)
		return num(g, 1, id);
	for (int k = 0; k < s->rank; k++)
		if (num(g, s->dim[k], &d[k]))
			return -1;
	return top(g, NB_OP_ONES, 0, d, s->rank, id);
}

/* eye(n)[i]: the unit vector of index i (the gradient of a gather). */
static int unit(struct nb_tgrad *g, uint32_t n, uint32_t i, uint32_t *id)
{
	uint32_t c, eye;

	return num(g, n, &c) || top1(g, NB_OP_EYE, c, &eye) ||
	       top2(g, NB_OP_INDEX, eye, i, id);
}

/* x, reduced along axis ax (-1: all) of a value of shape s, made to
 * broadcast against s again: [x].T for the rows of a matrix. */
static int back(struct nb_tgrad *g, uint32_t x, const struct nb_shape *s,
		int ax, uint32_t *id)
{
	uint32_t row;

	if (ax != 1 || s->rank < 2) {
		*id = x;
		return 0;
	}
	return top1(g, NB_OP_STACK, x, &row) ||
	       top1(g, NB_OP_TRANSPOSE, row, id);
}

/* sum(x) or sum(x, axis=ax). */
static int reduce(struct nb_tgrad *g, enum nb_op op, uint32_t x, int ax,
		  uint32_t *id)
{
	return top(g, op, ax < 0 ? 0 : nb_attr_of_axis(ax), &x, 1, id);
}

/* c, of shape out, summed back to shape in, which broadcast to out: the
 * axes in lacks or has as 1 are summed, and the result is stacked back
 * into in's rank ([s], [[s]], [v], [v].T). */
static int sum_back(struct nb_tgrad *g, uint32_t c, const struct nb_shape *out,
		    const struct nb_shape *in, uint32_t *id)
{
	int lead = out->rank - in->rank, summed[NB_MAX_RANK], all = 1;
	uint32_t s;

	if (nb_shape_equal(out, in)) {
		*id = c;
		return 0;
	}
	for (int k = 0; k < out->rank; k++) {
		summed[k] = k < lead || (in->dim[k - lead] == 1 &&
					 out->dim[k] != 1);
		all &= summed[k];
	}
	if (all) {
		if (reduce(g, NB_OP_RSUM, c, -1, &s))
			return -1;
		for (int k = 0; k < in->rank; k++)
			if (top1(g, NB_OP_STACK, s, &s))
				return -1;
		*id = s;
		return 0;
	}
	/* out is a matrix and one of its axes is summed */
	if (reduce(g, NB_OP_RSUM, c, summed[0] ? 0 : 1, &s))
		return -1;
	if (in->rank == 1) {
		*id = s;
		return 0;
	}
	return summed[0] ? top1(g, NB_OP_STACK, s, id) : back(g, s, in, 1, id);
}

/* Node i's axis for its input of shape s: 0..rank-1, or -1 for all
 * elements (softmax's default: the last axis). */
static int node_axis(const struct nb_tgrad *g, size_t i,
		     const struct nb_shape *s)
{
	int ax = nb_axis_of_attr(nb_tape_attr(&g->p->tape, i), s->rank);
	enum nb_op op = (enum nb_op)g->p->tape.op[i];

	if (ax == -1 && (op == NB_OP_SOFTMAX || op == NB_OP_LOG_SOFTMAX))
		ax = s->rank - 1;
	if (ax >= 0 && s->rank == 1)
		ax = -1;
	return ax;
}

/* The vector [from, from - 1, ..., from - n + 1], or as a column
 * [[from], ...] when column. */
static int count_down(struct nb_tgrad *g, uint32_t n, double from, int column,
		      uint32_t *id)
{
	uint32_t *x = nb_malloc(((size_t)n + 1) * sizeof *x);
	int r = x ? 0 : -1;

	for (uint32_t k = 0; r == 0 && k < n; k++) {
		r = num(g, from - k, &x[k]);
		if (r == 0 && column)
			r = top1(g, NB_OP_STACK, x[k], &x[k]);
	}
	if (r == 0)
		r = top(g, NB_OP_STACK, 0, x, n, id);
	nb_free(x);
	return r;
}

/* Weights that fall along axis ax (-1: row-major order) of shape s, all
 * positive and distinct along it: the largest of them among the tied
 * extremes picks the first, as reverse mode routes. */
static int order_weights(struct nb_tgrad *g, const struct nb_shape *s, int ax,
			 uint32_t *id)
{
	uint32_t col, row, n, t, total;

	if (s->rank == 1 || ax == 1)
		return count_down(g, s->dim[s->rank - 1], s->dim[s->rank - 1],
				  0, id);
	if (ax == 0)
		return count_down(g, s->dim[0], s->dim[0], 1, id);
	/* m n + (n [[0], [-1], ...] + [0, -1, ...]) */
	return count_down(g, s->dim[0], 0, 1, &col) ||
	       count_down(g, s->dim[1], 0, 0, &row) ||
	       num(g, s->dim[1], &n) || op2(g, NB_OP_MUL, n, col, &t) ||
	       op2(g, NB_OP_ADD, t, row, &t) ||
	       num(g, (double)s->dim[0] * s->dim[1], &total) ||
	       op2(g, NB_OP_ADD, total, t, id);
}

/* max and min: dv at the first extreme element along the axis. */
static int extreme(struct nb_tgrad *g, size_t i, uint32_t a, uint32_t v,
		   uint32_t dv, const struct nb_shape *s, uint32_t *id)
{
	int ax = node_axis(g, i, s);
	uint32_t hit, w, wmax, first, vb, gb;

	if (s->rank == 0) {
		*id = dv;
		return 0;
	}
	return back(g, v, s, ax, &vb) || op2(g, NB_OP_EQ, a, vb, &hit) ||
	       order_weights(g, s, ax, &w) ||
	       op2(g, NB_OP_MUL, hit, w, &w) ||
	       reduce(g, NB_OP_RMAX, w, ax, &wmax) ||
	       back(g, wmax, s, ax, &wmax) ||
	       op2(g, NB_OP_EQ, w, wmax, &first) ||
	       back(g, dv, s, ax, &gb) || op2(g, NB_OP_MUL, gb, first, id);
}

/* x[i], X[i], X[i, j], x[ids], X[ids]: input 0 gets dv scattered. */
static int gather(struct nb_tgrad *g, size_t i, uint32_t dv, uint32_t *id)
{
	const struct nb_tape *t = &g->p->tape;
	const uint32_t *in = t->in + t->first[i];
	const struct nb_shape *x = shape(g, in[0]), *ids = shape(g, in[1]);
	uint32_t u, w, ut;

	if (unit(g, x->dim[0], g->val[in[1]], &u))
		return -1;
	if (nb_tape_nin(t, i) == 3)     /* dv * outer(eye(m)[i], eye(n)[j]) */
		return unit(g, x->dim[1], g->val[in[2]], &w) ||
		       top2(g, NB_OP_OUTER, u, w, &u) ||
		       op2(g, NB_OP_MUL, dv, u, id);
	if (x->rank == 1)       /* dv * eye(n)[i], dv @ eye(n)[ids] */
		return ids->rank == 0 ? op2(g, NB_OP_MUL, dv, u, id)
				      : top2(g, NB_OP_MATMUL, dv, u, id);
	if (ids->rank == 0)     /* outer(eye(m)[i], dv) */
		return top2(g, NB_OP_OUTER, u, dv, id);
	return top1(g, NB_OP_TRANSPOSE, u, &ut) ||     /* eye(m)[ids].T @ dv */
	       top2(g, NB_OP_MATMUL, ut, dv, id);
}

/* a @ b under NumPy's rules for ranks 1 and 2. */
static int matmul(struct nb_tgrad *g, size_t k, uint32_t a, uint32_t b,
		  int ra, int rb, uint32_t dv, uint32_t *id)
{
	uint32_t t;

	if (ra == 1 && rb == 1)
		return op2(g, NB_OP_MUL, dv, k ? a : b, id);
	if (k == 0 && rb == 2)  /* dv @ b.T, b @ dv */
		return ra == 2 ? top1(g, NB_OP_TRANSPOSE, b, &t) ||
				 top2(g, NB_OP_MATMUL, dv, t, id)
			       : top2(g, NB_OP_MATMUL, b, dv, id);
	if (k == 0)             /* outer(dv, b) */
		return top2(g, NB_OP_OUTER, dv, b, id);
	if (ra == 1)            /* outer(a, dv) */
		return top2(g, NB_OP_OUTER, a, dv, id);
	return top1(g, NB_OP_TRANSPOSE, a, &t) ||      /* a.T @ dv */
	       top2(g, NB_OP_MATMUL, t, dv, id);
}

/* sum, mean, logsumexp, softmax, log_softmax: along an axis or all. */
static int along(struct nb_tgrad *g, size_t i, uint32_t a, uint32_t v,
		 uint32_t dv, const struct nb_shape *s, uint32_t *id)
{
	enum nb_op op = (enum nb_op)g->p->tape.op[i];
	int ax = node_axis(g, i, s);
	uint32_t gb, t, u;
	size_t n;

	switch (op) {
	case NB_OP_RSUM: case NB_OP_RMEAN:
		if (back(g, dv, s, ax, &gb) || ones(g, s, &t))
			return -1;
		if (op == NB_OP_RMEAN) {
			if (ax < 0)
				nb_shape_size(s, &n);
			else
				n = s->dim[ax];
			if (num(g, (double)n, &u) ||
			    op2(g, NB_OP_DIV, gb, u, &gb))
				return -1;
		}
		return op2(g, NB_OP_MUL, gb, t, id);
	case NB_OP_LOGSUMEXP:   /* dv * exp(a - v) */
		return back(g, dv, s, ax, &gb) || back(g, v, s, ax, &t) ||
		       op2(g, NB_OP_SUB, a, t, &t) ||
		       nb_expr_op(&g->e, NB_OP_EXP, &t, 1, &t) ||
		       op2(g, NB_OP_MUL, gb, t, id);
	case NB_OP_SOFTMAX:     /* v * (dv - sum(dv * v, axis)) */
		return op2(g, NB_OP_MUL, dv, v, &t) ||
		       reduce(g, NB_OP_RSUM, t, ax, &t) ||
		       back(g, t, s, ax, &t) || op2(g, NB_OP_SUB, dv, t, &t) ||
		       op2(g, NB_OP_MUL, v, t, id);
	default:                /* dv - exp(v) * sum(dv, axis) */
		return reduce(g, NB_OP_RSUM, dv, ax, &t) ||
		       back(g, t, s, ax, &t) ||
		       nb_expr_op(&g->e, NB_OP_EXP, &v, 1, &u) ||
		       op2(g, NB_OP_MUL, u, t, &t) ||
		       op2(g, NB_OP_SUB, dv, t, id);
	}
}

/* The gradient node i's tensor op sends to its input k, in the input's
 * shape, or NB_TG_NONE (an index, a constructor's size). */
static int tensor_vjp(struct nb_tgrad *g, size_t i, size_t k, uint32_t dv,
		      uint32_t *id)
{
	const struct nb_tape *t = &g->p->tape;
	const uint32_t *in = t->in + t->first[i];
	size_t nin = nb_tape_nin(t, i);
	uint32_t a = g->val[in[0]], b = nin > 1 ? g->val[in[1]] : a, v, u, c;
	const struct nb_shape *s = shape(g, in[k]);

	if (nb_expr_leaf(&g->e, (uint32_t)i, &v))
		return -1;
	*id = NB_TG_NONE;
	switch ((enum nb_op)t->op[i]) {
	case NB_OP_MATMUL:
		return matmul(g, k, a, b, shape(g, in[0])->rank,
			      shape(g, in[1])->rank, dv, id);
	case NB_OP_TRANSPOSE:   /* a vector's or a scalar's is itself */
		if (s->rank < 2) {
			*id = dv;
			return 0;
		}
		return top1(g, NB_OP_TRANSPOSE, dv, id);
	case NB_OP_INDEX:
		return k ? 0 : gather(g, i, dv, id);
	case NB_OP_STACK:
		return num(g, (double)k, &c) || top2(g, NB_OP_INDEX, dv, c, id);
	case NB_OP_RSUM: case NB_OP_RMEAN: case NB_OP_LOGSUMEXP:
	case NB_OP_SOFTMAX: case NB_OP_LOG_SOFTMAX:
		return along(g, i, a, v, dv, s, id);
	case NB_OP_RMAX: case NB_OP_RMIN:
		return extreme(g, i, a, v, dv, s, id);
	case NB_OP_NORM:        /* dv * a / (v + (1 - sign(v))): 0 at 0 */
		return nb_expr_op(&g->e, NB_OP_SIGN, &v, 1, &u) ||
		       num(g, 1, &c) || op2(g, NB_OP_SUB, c, u, &u) ||
		       op2(g, NB_OP_ADD, v, u, &u) ||
		       op2(g, NB_OP_MUL, dv, a, &c) ||
		       op2(g, NB_OP_DIV, c, u, id);
	case NB_OP_DOT:
		return op2(g, NB_OP_MUL, dv, k ? a : b, id);
	case NB_OP_OUTER:       /* dv @ b, dv.T @ a */
		if (k == 0)
			return top2(g, NB_OP_MATMUL, dv, b, id);
		return top1(g, NB_OP_TRANSPOSE, dv, &u) ||
		       top2(g, NB_OP_MATMUL, u, a, id);
	case NB_OP_TRACE:
		return num(g, s->dim[0], &c) || top1(g, NB_OP_EYE, c, &u) ||
		       op2(g, NB_OP_MUL, dv, u, id);
	default:                /* constructors: no input is differentiable */
		return 0;
	}
}

/* Records c, node i's contribution to its input in; a contribution that
 * is 0 is none. */
static int contribute(struct nb_tgrad *g, size_t in, uint32_t c)
{
	uint32_t sum[2];

	if (c == NB_TG_NONE || nb_expr_is(&g->e, c, 0))
		return 0;
	if (nb_grow((void **)&g->c, &g->ccap, g->nc + 1, sizeof *g->c))
		return -1;
	g->c[g->nc++] = (struct nb_tgcontrib){ (uint32_t)in, c };
	if (g->sum[in] == NB_TG_NONE) {
		g->sum[in] = c;
		return 0;
	}
	sum[0] = g->sum[in];
	sum[1] = c;
	return nb_expr_op(&g->e, NB_OP_ADD, sum, 2, &g->sum[in]);
}

/* An elementwise op: mul0(dv, local), summed back to each input's shape;
 * max and min route r (ops.def) from argument to argument. */
static int elementwise(struct nb_tgrad *g, size_t i, uint32_t dv)
{
	const struct nb_tape *t = &g->p->tape;
	enum nb_op op = (enum nb_op)t->op[i];
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	int variadic = nb_ops[op].arity == NB_VARIADIC;
	uint32_t bind[NB_RV_COUNT], local, c;
	int r;

	bind[NB_RV_A] = g->val[t->in[first]];
	bind[NB_RV_B] = n > 1 ? g->val[t->in[first + 1]] : bind[NB_RV_A];
	if (nb_expr_leaf(&g->e, (uint32_t)i, &bind[NB_RV_V]) ||
	    num(g, (double)n, &bind[NB_RV_N]) || num(g, 1, &bind[NB_RV_R]))
		return -1;
	for (size_t k = 0; k < n; k++) {
		uint32_t in = t->in[first + k];
		if (variadic)
			bind[NB_RV_A] = g->val[in];
		if ((r = nb_local_expr(&g->rules, &g->e, op, k, bind, &local)))
			return r;
		if (t->dep[in] && (op2(g, NB_OP_MUL0, dv, local, &c) ||
				   sum_back(g, c, shape(g, i), shape(g, in),
					    &c) || contribute(g, in, c)))
			return -1;
		if (variadic && nb_local_routes(op) &&
		    op2(g, NB_OP_SUB, bind[NB_RV_R], local, &bind[NB_RV_R]))
			return -1;
	}
	return 0;
}

static int tensor_op(struct nb_tgrad *g, size_t i, uint32_t dv)
{
	const struct nb_tape *t = &g->p->tape;
	uint32_t c;

	for (size_t k = 0; k < nb_tape_nin(t, i); k++) {
		uint32_t in = t->in[t->first[i] + k];
		if (t->dep[in] && (tensor_vjp(g, i, k, dv, &c) ||
				   contribute(g, in, c)))
			return -1;
	}
	return 0;
}

/* A gradient that is a name or a number is used as it stands. */
static int plain(const struct nb_expr *e, uint32_t x)
{
	if (e->op[x] == NB_OP_NEG)
		x = e->arg[e->first[x]];
	return e->op[x] == NB_OP_VAR || e->op[x] == NB_OP_CONST;
}

static int backward(struct nb_tgrad *g)
{
	const struct nb_tape *t = &g->p->tape;
	uint32_t out = g->p->output, n = (uint32_t)t->n;
	int r;

	/* --upstream: a tensor's, or a number other than 1 that scales */
	g->upstream = nb_program_has_grad(g->p) &&
		      (shape(g, out)->rank > 0 ||
		       t->tv->grd[t->tv->off[out]] != 1);
	if (g->upstream ? nb_expr_leaf(&g->e, n + out, &g->sum[out])
			: num(g, 1, &g->sum[out]))
		return -1;
	for (size_t i = t->n; i-- > 0;) {
		uint32_t s = g->sum[i];
		if (!g->live[i] || !t->dep[i] || s == NB_TG_NONE)
			continue;
		g->gref[i] = s;
		if (!plain(&g->e, s) &&
		    nb_expr_leaf(&g->e, n + (uint32_t)i, &g->gref[i]))
			return -1;
		if (nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		r = nb_op_is_tensor((enum nb_op)t->op[i])
			    ? tensor_op(g, i, g->gref[i])
			    : elementwise(g, i, g->gref[i]);
		if (r)
			return r;
	}
	return 0;
}

static int forward(struct nb_tgrad *g)
{
	const struct nb_tape *t = &g->p->tape;

	g->live[g->p->output] = 1;
	for (size_t i = t->n; i-- > 0;)
		if (g->live[i])
			for (uint32_t k = t->first[i]; k < t->first[i + 1]; k++)
				g->live[t->in[k]] = 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t n = nb_tape_nin(t, i);
		int r;

		g->def[i] = NB_TG_NONE;
		if (t->op[i] == NB_OP_CONST && shape(g, i)->rank == 0)
			r = num(g, t->value[i], &g->val[i]);
		else
			r = nb_expr_leaf(&g->e, (uint32_t)i, &g->val[i]);
		if (r)
			return -1;
		if (!g->live[i] || nb_ops[t->op[i]].kind == NB_LEAF ||
		    nb_tgrad_literal(g, i))
			continue;
		for (size_t k = 0; k < n; k++)
			g->args[k] = g->val[t->in[t->first[i] + k]];
		/* tagged: each node's statement is its own */
		if (nb_expr_raw(&g->e, (enum nb_op)t->op[i],
				nb_tape_attr(t, i), (uint32_t)i + 1, g->args, n,
				&g->def[i]) ||
		    nb_expr_raw(&g->e, (enum nb_op)t->op[i],
				nb_tape_attr(t, i), 0, g->args, n, &g->twin[i]))
			return -1;
	}
	return 0;
}

int nb_tgrad_build(struct nb_tgrad *g, const struct nb_program *p)
{
	size_t n = p->tape.n + 1;

	memset(g, 0, sizeof *g);
	g->p = p;
	nb_expr_init(&g->e);
	nb_localrules_init(&g->rules);
	g->live = nb_malloc(n);
	g->val = nb_malloc(n * sizeof *g->val);
	g->def = nb_malloc(n * sizeof *g->def);
	g->twin = nb_malloc(n * sizeof *g->twin);
	g->sum = nb_malloc(n * sizeof *g->sum);
	g->gref = nb_malloc(n * sizeof *g->gref);
	g->args = nb_malloc((p->tape.maxin + 1) * sizeof *g->args);
	if (!g->live || !g->val || !g->def || !g->twin || !g->sum || !g->gref ||
	    !g->args)
		return -1;
	memset(g->live, 0, n);
	for (size_t i = 0; i < n; i++)
		g->sum[i] = g->gref[i] = NB_TG_NONE;
	if (forward(g))
		return -1;
	return backward(g);
}

void nb_tgrad_free(struct nb_tgrad *g)
{
	nb_expr_free(&g->e);
	nb_localrules_free(&g->rules);
	nb_free(g->live);
	nb_free(g->val);
	nb_free(g->def);
	nb_free(g->twin);
	nb_free(g->sum);
	nb_free(g->gref);
	nb_free(g->args);
	nb_free(g->c);
	memset(g, 0, sizeof *g);
}

int nb_tgrad_stated(const struct nb_tgrad *g, size_t i)
{
	return g->gref[i] != NB_TG_NONE && g->gref[i] != g->sum[i];
}

int nb_tgrad_literal(const struct nb_tgrad *g, size_t i)
{
	enum nb_op op = (enum nb_op)g->p->tape.op[i];

	return op == NB_OP_RANDN || op == NB_OP_RAND ||
	       (op == NB_OP_CONST && shape(g, i)->rank > 0);
}
