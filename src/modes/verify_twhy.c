/* verify_twhy.c - the classic mistakes of a backward pass on vectors and
 * matrices, tried against the true numbers to say why a line is wrong.
 *
 * As verify_why.c does for scalars: each row is one mistake, with a
 * test that says whether it gives what the line computed, for the
 * contribution c the line most likely means first.  Besides the fork
 * and sign mistakes, the shape rules of the seeds: the operands of '@'
 * swapped (dW = X.T @ dD for dD @ X.T) or a transpose missing or extra,
 * recognised when the line changed so gives the right gradient; a
 * result that is the gradient transposed; and a broadcast input whose
 * gradient was not summed back to its shape. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "modes/verify.h"
#include "modes/verify_ctx.h"
#include "modes/verify_tctx.h"

#define NONE UINT32_MAX

struct why {
	const struct tvx *t;
	struct vctx s;          /* for the names (verify_ctx.h) */
	struct nb_view added;   /* what the line adds (x NULL: none) */
	char *buf;
	size_t size;
};

/* A mistake that could not be tried for want of memory. */
static int oom(struct why *w)
{
	w->t->x->oom = 1;
	return 0;
}

static int near(const struct why *w, struct nb_view a, struct nb_view b)
{
	return nb_tvx_near(w->t, a, b, NULL);
}

static struct nb_view cv(const struct why *w, const struct tcontrib *c)
{
	return nb_tvx_cview(w->t, c);
}

/* "dW is 5x10, like W": the shape rule of gradients. */
static void like(const struct why *w, uint32_t of, char *buf, size_t size)
{
	char d[80], s[NB_SHAPE_BUF];
	struct nb_shape sh = nb_node_value(&w->t->x->fwd, of).shape;
	struct nb_span nm = nb_tape_name(w->s.t, of);

	nb_vx_dname(&w->s, of, d, sizeof d);
	snprintf(buf, size, "%s is %s, like %.*s", d, nb_shape_format(s, &sh),
		 (int)nm.len, w->s.v->p.src.text + nm.start);
}

/* How the reasons call node: its name, else its text. */
static const char *text(const struct why *w, uint32_t node, int *len)
{
	struct nb_span s = nb_tape_name(w->s.t, node);

	if (!s.len)
		s = nb_tape_span(w->s.t, node);

	*len = (int)(s.len > 60 ? 60 : s.len);
	return w->s.v->p.src.text + s.start;
}

static int overwrite(struct why *w, const struct tcontrib *c)
{
	const struct nb_tverify *x = w->t->x;
	char d[80], gate[120];

	if (x->g->add || x->self || x->nlines[c->of] == 0 ||
	    !near(w, w->added, cv(w, c)))
		return 0;
	nb_vx_dname(&w->s, c->of, d, sizeof d);
	for (size_t i = 0; i < x->nc; i++) {
		if (x->c[i].of != c->of || x->c[i].state == TOPEN)
			continue;
		nb_vx_gate(&w->s, x->c[i].gate, gate, sizeof gate);
		snprintf(w->buf, w->size, "'=' throws away what line %zu put in "
			 "%s (the gradient through %s); gradients add at a "
			 "fork: write %s += ...",
			 nb_vx_line(&w->s, x->c[i].line), d, gate, d);
		return 1;
	}
	return 0;
}

static int sign(struct why *w, const struct tcontrib *c)
{
	struct nb_view v = cv(w, c);
	struct nb_tensor neg;
	size_t n = nb_tvx_elems(&v.shape), i;
	int r;

	for (i = 0; i < n && v.x[i] == 0; i++)
		;
	if (i == n || !w->added.x)
		return 0;
	if (nb_tensor_alloc(&neg, &v.shape))
		return oom(w);
	for (i = 0; i < n; i++)
		neg.data[i] = -v.x[i];
	r = near(w, w->added, nb_tvx_view(&neg));
	nb_tensor_free(&neg);
	if (r)
		snprintf(w->buf, w->size, "a sign error: this is minus the "
			 "right value");
	return r;
}

/* Whether the line changed by var gives c. */
static int fixed_by(struct why *w, const struct tcontrib *c,
		    const struct tvariant *var)
{
	struct nb_tensor v;
	char why[256];
	int r;

	if (w->t->x->self && !w->t->x->g->add)
		return 0;
	if (nb_tvx_eval(w->t, READ_RIGHT, var, &v, why, sizeof why) != 0)
		return 0;
	r = near(w, nb_tvx_view(&v), cv(w, c));
	nb_tensor_free(&v);
	return r;
}

/* Whether node n is one of the line's own '@' nodes. */
static int own_matmul(const struct tvx *t, uint32_t n)
{
	const struct nb_tverify *x = t->x;

	return n >= x->g->first && n <= x->g->rhs && x->mark[n] == x->stamp &&
	       t->v->p.tape.op[n] == NB_OP_MATMUL;
}

/* Operand k of a @ b as the flags change it, into buf. */
static void operand(const struct why *w, uint32_t n, unsigned flags, int k,
		    char *buf, size_t size)
{
	const struct nb_tape *p = w->s.t;
	uint32_t a = p->in[p->first[n] + (size_t)((flags & CHANGE_SWAP) ? !k
								      : k)];
	int la;
	const char *ta = text(w, a, &la);

	if (!(flags & (k ? CHANGE_T1 : CHANGE_T0)))
		snprintf(buf, size, "%.*s", la, ta);
	else if (p->op[a] == NB_OP_TRANSPOSE) {
		ta = text(w, p->in[p->first[a]], &la);
		snprintf(buf, size, "%.*s", la, ta);
	} else
		snprintf(buf, size, "%.*s.T", la, ta);
}

/* The right product, when the line's '@' has its operands swapped, a
 * transpose missing or one too many (dimension analysis: the one way
 * of multiplying them that gives the gradient's shape). */
static int product(struct why *w, const struct tcontrib *c)
{
	static const unsigned tries[] = {
		CHANGE_T0, CHANGE_T1, CHANGE_SWAP, CHANGE_SWAP | CHANGE_T0,
		CHANGE_SWAP | CHANGE_T1, CHANGE_SWAP | CHANGE_T0 | CHANGE_T1,
	};
	const struct nb_tape *p = w->s.t;
	char l[120], a[80], b[80], ra[80], rb[80];

	for (uint32_t n = w->t->x->g->first; n <= w->t->x->g->rhs; n++) {
		for (size_t i = 0; i < 6 && own_matmul(w->t, n); i++) {
			struct tvariant var = { tries[i], n,
						{ NULL, { 0, { 0 } } } };
			int t = (tries[i] & (CHANGE_T0 | CHANGE_T1)) != 0;
			int extra = 0, added = 0;
			if (!fixed_by(w, c, &var))
				continue;
			operand(w, n, 0, 0, a, sizeof a);
			operand(w, n, 0, 1, b, sizeof b);
			operand(w, n, tries[i], 0, ra, sizeof ra);
			operand(w, n, tries[i], 1, rb, sizeof rb);
			for (int k = 0; k < 2; k++) {
				int dropped;
				if (!(tries[i] & (k ? CHANGE_T1 : CHANGE_T0)))
					continue;
				dropped = p->op[p->in[p->first[n] +
					(size_t)((tries[i] & CHANGE_SWAP) ? !k
									  : k)]]
					  == NB_OP_TRANSPOSE;
				extra |= dropped;
				added |= !dropped;
			}
			like(w, c->of, l, sizeof l);
			snprintf(w->buf, w->size, "%s%s%s: write %s @ %s, not "
				 "%s @ %s (%s)",
				 tries[i] & CHANGE_SWAP ? "the operands of '@' "
				 "are swapped" : "",
				 tries[i] & CHANGE_SWAP && t ? ", and " : "",
				 !t ? "" : extra && added ? "the transposes are "
				 "wrong" : extra ? "a transpose is one too many"
				 : "a transpose is missing", ra, rb, a, b, l);
			return 1;
		}
	}
	return 0;
}

/* The line's value is the gradient transposed. */
static int transposed_result(struct why *w, const struct tcontrib *c)
{
	struct nb_view v = cv(w, c), a = w->added;
	struct nb_shape ts = nb_shape_transpose(&v.shape);
	struct nb_tensor tr;
	char l[120], s[NB_SHAPE_BUF];
	int r;

	if (!a.x || v.shape.rank != 2 || nb_shape_equal(&v.shape, &ts) ||
	    !nb_shape_equal(&a.shape, &ts))
		return 0;
	if (nb_tensor_alloc(&tr, &v.shape))
		return oom(w);
	for (uint32_t i = 0; i < v.shape.dim[0]; i++)
		for (uint32_t j = 0; j < v.shape.dim[1]; j++)
			tr.data[(size_t)i * v.shape.dim[1] + j] =
				a.x[(size_t)j * v.shape.dim[0] + i];
	r = near(w, nb_tvx_view(&tr), v);
	nb_tensor_free(&tr);
	if (!r)
		return 0;
	like(w, c->of, l, sizeof l);
	snprintf(w->buf, w->size, "this is the gradient transposed: it is %s, "
		 "but %s (a gradient has the shape of what it is the gradient "
		 "of; (A @ B).T is B.T @ A.T)", nb_shape_format(s, &a.shape), l);
	return 1;
}

/* How to sum a gradient of shape out back to shape s, which
 * broadcasting stretched to out: "sum(..., axis=0)"; 0 if s does not
 * broadcast to out. */
static int stretched(const struct nb_shape *s, const struct nb_shape *out,
		     char *buf, size_t size)
{
	int n = 0, off = out->rank - s->rank, axis = -1;

	if (off < 0)
		return 0;
	for (int i = 0; i < out->rank; i++) {
		uint32_t d = i < off ? 1 : s->dim[i - off];
		if (d != out->dim[i] && d != 1)
			return 0;
		if (d == out->dim[i] && i >= off)
			continue;
		n++;
		axis = i;
	}
	if (s->rank == 0)
		snprintf(buf, size, "sum(...)");
	else if (n == 1 && axis < off)
		snprintf(buf, size, "sum(..., axis=%d)", axis);
	else
		snprintf(buf, size, "a sum over the stretched axes, keeping "
			 "those of size 1");
	return n > 0;
}

/* a summed back to shape s, into r. */
static void sum_back(struct nb_view a, const struct nb_shape *s, double *r)
{
	int off = a.shape.rank - s->rank;
	size_t n = nb_tvx_elems(&a.shape);

	memset(r, 0, nb_tvx_elems(s) * sizeof *r);
	for (size_t idx = 0; idx < n; idx++) {
		size_t rem = idx, to = 0, stride = 1;
		for (int i = a.shape.rank; i-- > 0;) {
			size_t k = rem % a.shape.dim[i];
			rem /= a.shape.dim[i];
			if (i >= off) {
				uint32_t d = s->dim[i - off];
				to += (d == 1 ? 0 : k) * stride;
				stride *= d;
			}
		}
		r[to] += a.x[idx];
	}
}

static int not_summed(struct why *w, const struct tcontrib *c)
{
	struct nb_view v = cv(w, c), a = w->added;
	struct nb_tensor sum;
	char axes[80], l[120], s1[NB_SHAPE_BUF], s2[NB_SHAPE_BUF], gate[120];
	struct nb_span nm = nb_tape_name(w->s.t, c->of);
	int r;

	if (!a.x || nb_shape_equal(&a.shape, &v.shape) ||
	    !stretched(&v.shape, &a.shape, axes, sizeof axes))
		return 0;
	if (nb_tensor_alloc(&sum, &v.shape))
		return oom(w);
	sum_back(a, &v.shape, sum.data);
	r = near(w, nb_tvx_view(&sum), v);
	nb_tensor_free(&sum);
	if (!r)
		return 0;
	like(w, c->of, l, sizeof l);
	nb_vx_gate(&w->s, c->gate, gate, sizeof gate);
	snprintf(w->buf, w->size, "%.*s is broadcast from %s to %s in %s: its "
		 "gradient must be summed back to its shape, %s (%s)",
		 (int)nm.len,
		 w->s.v->p.src.text + nm.start, nb_shape_format(s1, &v.shape),
		 nb_shape_format(s2, &a.shape), gate, axes, l);
	return 1;
}

/* The line reads the gradient of the wrong node as its upstream. */
static int wrong_upstream(struct why *w, const struct tcontrib *c)
{
	const struct nb_tverify *x = w->t->x;
	char used[80], up[80], gate[120];

	for (size_t i = 0; i < x->nrefs; i++) {
		uint32_t r = x->refs[i], of;
		struct tvariant var = { CHANGE_SUBST, r,
					nb_tvx_grad(w->t, c->gate) };
		if (!nb_tvx_is_gradient(w->t, r, &of) || of == c->gate ||
		    of == c->of || !fixed_by(w, c, &var))
			continue;
		nb_vx_dname(&w->s, of, used, sizeof used);
		nb_vx_dname(&w->s, c->gate, up, sizeof up);
		nb_vx_gate(&w->s, c->gate, gate, sizeof gate);
		snprintf(w->buf, w->size, "%s is not the upstream gradient here: "
			 "what flows into %s from above is %s", used, gate, up);
		return 1;
	}
	return 0;
}

/* The upstream gradient passed on as it is, through a gate that is not
 * an add: the relu gate's dz = dh. */
static int no_local(struct why *w, const struct tcontrib *c)
{
	struct nb_view up = nb_tvx_grad(w->t, c->gate);
	char gate[120];

	if (!near(w, w->added, up) || near(w, cv(w, c), up))
		return 0;
	nb_vx_gate(&w->s, c->gate, gate, sizeof gate);
	snprintf(w->buf, w->size, "the local gradient of %s is missing: "
		 "[downstream] = [local] * [upstream], elementwise", gate);
	return 1;
}

static int (*const mistakes[])(struct why *, const struct tcontrib *) = {
	overwrite, wrong_upstream, sign, transposed_result, product, not_summed, no_local,
};

#define NMISTAKES (sizeof mistakes / sizeof mistakes[0])

static int reads_gradient(const struct tvx *t, uint32_t node)
{
	uint32_t of;

	for (size_t i = 0; i < t->x->nrefs; i++)
		if (nb_tvx_is_gradient(t, t->x->refs[i], &of) && of == node)
			return 1;
	return 0;
}

/* A branch already added, added again. */
static int twice(struct why *w, int read)
{
	const struct nb_tverify *x = w->t->x;
	char gate[120];

	for (size_t i = 0; i < x->nc; i++) {
		const struct tcontrib *c = &x->c[i];
		if (c->of != x->g->of || c->state != TMATCHED ||
		    !near(w, w->added, cv(w, c)) ||
		    (read && !reads_gradient(w->t, c->gate)))
			continue;
		nb_vx_gate(&w->s, c->gate, gate, sizeof gate);
		snprintf(w->buf, w->size, "the gradient through %s was already "
			 "added at line %zu: each branch of a fork is added once",
			 gate, nb_vx_line(&w->s, c->line));
		return 1;
	}
	return 0;
}

static const struct tcontrib *unexplained(struct why *w,
					  const struct tcontrib *c)
{
	const struct nb_tverify *x = w->t->x;
	char l[120], gate[120], s[NB_SHAPE_BUF];
	struct nb_shape want = cv(w, c).shape;

	like(w, c->of, l, sizeof l);
	nb_vx_gate(&w->s, c->gate, gate, sizeof gate);
	if (!w->added.x)
		snprintf(w->buf, w->size, "%s; a gradient has the shape of what "
			 "it is the gradient of: %s", x->c2why, l);
	else if (!nb_shape_equal(&w->added.shape, &want))
		snprintf(w->buf, w->size, "it is %s, but %s: a gradient has the "
			 "shape of what it is the gradient of",
			 nb_shape_format(s, &w->added.shape), l);
	else
		snprintf(w->buf, w->size, "none of the classic mistakes explains "
			 "it; through %s, [downstream] = [upstream] pulled back "
			 "through the gate's local gradient", gate);
	return c;
}

/* What the line adds to its target, read with the right gradients, in
 * *a (data NULL: nothing). */
static int added(const struct tvx *t, struct nb_tensor *a)
{
	const struct nb_tverify *x = t->x;
	const struct nb_tensor *p = &x->partial[x->g->of];

	*a = (struct nb_tensor){ { 0, { 0 } }, NULL };
	if (!x->c2.data)
		return 0;
	if (nb_tensor_alloc(a, &x->c2.shape))
		return -1;
	memcpy(a->data, x->c2.data, nb_tvx_elems(&a->shape) * sizeof *a->data);
	if (x->self && !x->g->add) {
		if (!nb_shape_equal(&a->shape, &p->shape)) {
			nb_tensor_free(a);
			return 0;
		}
		for (size_t i = 0, n = nb_tvx_elems(&a->shape); i < n; i++)
			a->data[i] -= p->data[i];
	}
	return 0;
}

static const struct tcontrib *diagnose(struct why *w)
{
	const struct nb_tverify *x = w->t->x;
	const struct tcontrib *meant = nb_tvx_meant(w->t);
	uint32_t of = x->g->of;
	char d[80];

	nb_vx_dname(&w->s, of, d, sizeof d);
	if (of == w->s.v->p.output) {
		snprintf(w->buf, w->size, "the backward pass starts at the "
			 "output: %s = 1.0 (its gradient with respect to "
			 "itself)", d);
		return NULL;
	}
	if (twice(w, 1))
		return NULL;
	for (size_t m = 0; meant && m < NMISTAKES; m++)
		if (mistakes[m](w, meant))
			return meant;
	if (twice(w, 0))
		return NULL;
	for (size_t m = 0; m < NMISTAKES; m++)
		for (size_t i = 0; i < x->nc; i++)
			if (x->c[i].of == of && x->c[i].state != TMATCHED &&
			    &x->c[i] != meant && mistakes[m](w, &x->c[i]))
				return &x->c[i];
	if (meant)
		return unexplained(w, meant);
	snprintf(w->buf, w->size, "%s already has every gradient that reaches "
		 "it: this line adds one too many", d);
	return NULL;
}

const struct tcontrib *nb_tvx_diagnose(const struct tvx *t, char *why,
				       size_t size)
{
	struct nb_tensor a;
	struct why w = { t, { .v = t->v, .t = &t->v->p.tape, .g = t->x->g },
			 { NULL, { 0, { 0 } } }, why, size };
	const struct tcontrib *c;

	if (added(t, &a)) {
		t->x->oom = 1;
		a.data = NULL;
	}
	w.added = nb_tvx_view(&a);
	c = diagnose(&w);
	nb_tensor_free(&a);
	return c;
}
