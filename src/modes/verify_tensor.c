/* verify_tensor.c - grades a hand-written backward pass on vectors and
 * matrices (verify_tctx.h).
 *
 * The same grading as verify.c's, with tensors for numbers: the forward
 * program swept on its own tape gives the true values and gradients and,
 * edge by edge, what each gate sends back to each named node; each line
 * is judged by its formula (its right side with the right gradients)
 * against the contributions its target still lacks, elementwise within
 * the tolerance, and only then by its number.  A tensor output's
 * gradient is what the pass's first line for it says, the seeds'
 * dD = np.random.randn(*D.shape). */
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

static void *zalloc(size_t n, size_t size)
{
	void *p = nb_malloc((n ? n : 1) * size);

	if (p)
		memset(p, 0, (n ? n : 1) * size);
	return p;
}

static size_t elems(const struct nb_shape *s)
{
	size_t n = 1;

	for (int i = 0; i < s->rank; i++)
		n *= s->dim[i];
	return n;
}

/* *a = a copy of w (a->data NULL when w has none). */
static int copy(struct nb_tensor *a, struct nb_view w)
{
	a->data = NULL;
	a->shape = w.shape;
	if (!w.x)
		return 0;
	if (nb_tensor_alloc(a, &w.shape))
		return -1;
	memcpy(a->data, w.x, elems(&w.shape) * sizeof *a->data);
	return 0;
}

static void add_into(double *a, struct nb_view w, double sign)
{
	for (size_t i = 0, n = elems(&w.shape); i < n; i++)
		a[i] += sign * w.x[i];
}

/* The forward program, nodes 0..nfwd-1 of p, on a tape of its own. */
static int copy_forward(struct nb_tape *f, const struct nb_tape *p,
			uint32_t nfwd)
{
	for (uint32_t i = 0; i < nfwd; i++) {
		uint32_t id;
		struct nb_span nm = nb_tape_name(p, i);
		if (nb_tape_push(f, (enum nb_op)p->op[i], nb_tape_span(p, i),
				 p->in + p->first[i], nb_tape_nin(p, i), &id) ||
		    (nb_tape_attr(p, i) &&
		     nb_tape_set_attr(f, id, nb_tape_attr(p, i))) ||
		    (nm.len && nb_tape_set_name(f, id, nm)))
			return -1;
		f->value[id] = p->value[i];
	}
	return 0;
}

static int oom(struct nb_diag *d)
{
	return nb_error_plain(d, NB_EFAIL, "out of memory");
}

static int setup(struct nb_verify *v, struct nb_tverify *x)
{
	size_t n = v->p.tape.n, nb = n - x->nfwd;

	x->upline = NONE;
	x->partial = zalloc(x->nfwd, sizeof *x->partial);
	x->nlines = zalloc(x->nfwd, sizeof *x->nlines);
	x->wrong = zalloc(x->nfwd, sizeof *x->wrong);
	x->lineof = zalloc(nb, sizeof *x->lineof);
	x->student = zalloc(v->bw.n, sizeof *x->student);
	x->mark = zalloc(n, sizeof *x->mark);
	x->map = zalloc(n, sizeof *x->map);
	x->refs = zalloc(n, sizeof *x->refs);
	if (!x->partial || !x->nlines || !x->wrong || !x->lineof ||
	    !x->student || !x->mark || !x->map || !x->refs)
		return -1;
	for (size_t i = 0; i < x->nfwd; i++)
		x->wrong[i] = -1;
	for (size_t i = 0; i < nb; i++)
		x->lineof[i] = -1;
	for (size_t k = 0; k < v->bw.n; k++)
		x->lineof[v->bw.line[k].node - x->nfwd] = (int64_t)k;
	return 0;
}

/* The tensor output's gradient: the value of the first line that gives
 * it, which must read no gradient and have the output's shape. */
static int upstream(struct nb_verify *v, struct nb_tverify *x,
		    struct nb_tensor *up, struct nb_diag *d)
{
	struct tvx t = { v, x };
	struct nb_shape os = nb_node_value(&x->fwd, v->p.output).shape;
	char why[256], a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];
	size_t len;
	const char *out = nb_program_outname(&v->p, &len);
	int r;

	for (size_t k = 0; k < v->bw.n && x->upline == NONE; k++)
		if (v->bw.line[k].of == v->p.output)
			x->upline = (uint32_t)k;
	if (x->upline == NONE)
		return nb_error_plain(d, NB_EUSAGE, "the output %.*s is %s, not a "
				      "scalar: the backward pass starts with its "
				      "gradient, d%.*s = ... of shape %s (the "
				      "seeds' dD = np.random.randn(*D.shape))",
				      (int)len, out, nb_shape_format(a, &os),
				      (int)len, out, a);
	x->k = x->upline;
	x->g = &v->bw.line[x->upline];
	nb_tvx_refs(&t);
	r = nb_tvx_eval(&t, READ_STUDENT, NULL, up, why, sizeof why);
	if (r < 0)
		return oom(d);
	if (r == 0 && !nb_shape_equal(&up->shape, &os))
		snprintf(why, sizeof why, "it is %s", nb_shape_format(b, &up->shape));
	if (r == 0 && nb_shape_equal(&up->shape, &os))
		return 0;
	return nb_error(d, NB_EUSAGE, x->g->stmt.start, x->g->stmt.len,
			"the gradient of the output %.*s starts the backward "
			"pass and must have its shape %s: %s", (int)len, out,
			nb_shape_format(a, &os), why);
}

static int sweep(struct nb_verify *v, struct nb_tverify *x,
		 struct nb_diag *d)
{
	struct nb_program *p = &v->p;
	struct nb_tleaves lv = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	struct nb_tensor up = { { 0, { 0 } }, NULL };
	int r;

	if ((r = nb_tsweep_prepare(&x->fwd, &lv, p->src.text, d)) != 0)
		return r;
	if (!x->fwd.tv) {
		nb_forward(&x->fwd, 0, x->fwd.n);
		return nb_reverse(&x->fwd, p->output) ? oom(d) : 0;
	}
	if ((r = nb_tsweep_forward(&x->fwd, &lv, p->seed, p->src.text, d)))
		return r;
	if (nb_node_value(&x->fwd, p->output).shape.rank > 0 &&
	    (r = upstream(v, x, &up, d)) != 0) {
		nb_tensor_free(&up);
		return r;
	}
	nb_tsweep_reverse(&x->fwd, p->output, up.data);
	nb_tensor_free(&up);
	return 0;
}

/* Adds edge e's downstream gradient (of node i, to node j) to the
 * contribution of gate to j. */
static int contribute(struct nb_tverify *x, uint32_t gate, uint32_t i,
		      size_t e, uint32_t j)
{
	const struct nb_tape *f = &x->fwd;
	struct nb_view w = nb_node_value(f, j);
	size_t n = elems(&w.shape), c;
	double s;

	for (c = 0; c < x->nc; c++)
		if (x->c[c].gate == gate && x->c[c].of == j)
			break;
	if (c == x->nc) {
		if (nb_grow((void **)&x->c, &x->ccap, x->nc + 1, sizeof *x->c))
			return -1;
		x->c[c] = (struct tcontrib){ gate, j, zalloc(n, sizeof(double)),
					     TOPEN, 0 };
		if (!x->c[x->nc++].d)
			return -1;
	}
	if (!f->tv) {
		s = nb_downstream(f->grad[i], f->local[e]);
		add_into(x->c[c].d, (struct nb_view){ &s, w.shape }, 1);
	} else {
		add_into(x->c[c].d, nb_edge_down(f, e), 1);
	}
	return 0;
}

/* What each gate sends to each named node: unnamed nodes belong to the
 * gate of the statement they are in. */
static int contributions(struct nb_tverify *x)
{
	const struct nb_tape *f = &x->fwd;
	uint32_t *gate = nb_malloc(((size_t)x->nfwd + 1) * sizeof *gate);

	if (!gate)
		return -1;
	for (size_t i = 0; i < x->nfwd; i++)
		gate[i] = NONE;
	for (uint32_t i = x->nfwd; i-- > 0;) {
		if (nb_tape_name(f, i).len)
			gate[i] = i;
		else if (gate[i] == NONE)
			continue;
		for (size_t e = f->first[i]; e < f->first[i + 1]; e++) {
			uint32_t j = f->in[e];
			if (nb_tape_name(f, j).len) {
				if (contribute(x, gate[i], i, e, j)) {
					nb_free(gate);
					return -1;
				}
			} else if (f->op[j] != NB_OP_CONST) {
				gate[j] = gate[i];
			}
		}
	}
	nb_free(gate);
	for (size_t i = 0; i < x->nfwd; i++) {
		struct nb_shape s = nb_node_value(f, i).shape;
		if (nb_tensor_alloc(&x->partial[i], &s))
			return -1;
		memset(x->partial[i].data, 0, elems(&s) * sizeof(double));
	}
	return 0;
}

int nb_verify_sweep(struct nb_verify *v, struct nb_diag *d)
{
	struct nb_tverify *x;
	int r;

	if (!nb_program_shaped(&v->p))
		return 0;
	if (!(x = v->tv = zalloc(1, sizeof *x)))
		return oom(d);
	nb_tape_init(&x->fwd);
	x->nfwd = v->bw.started ? v->bw.fwd_end : (uint32_t)v->p.tape.n;
	if (copy_forward(&x->fwd, &v->p.tape, x->nfwd) || setup(v, x))
		return oom(d);
	if ((r = sweep(v, x, d)) != 0)
		return r;
	return contributions(x) ? oom(d) : 0;
}

void nb_verify_tfree(struct nb_verify *v)
{
	struct nb_tverify *x = v->tv;

	for (size_t k = 0; v->grade && k < v->bw.n; k++) {
		nb_tensor_free(&v->grade[k].tcomputed);
		nb_tensor_free(&v->grade[k].texpected);
	}
	if (!x)
		return;
	for (size_t i = 0; i < x->nc; i++)
		nb_free(x->c[i].d);
	for (size_t i = 0; x->partial && i < x->nfwd; i++)
		nb_tensor_free(&x->partial[i]);
	for (size_t k = 0; x->student && k < v->bw.n; k++)
		nb_tensor_free(&x->student[k]);
	nb_tensor_free(&x->c2);
	nb_free(x->c);
	nb_free(x->partial);
	nb_free(x->nlines);
	nb_free(x->wrong);
	nb_free(x->lineof);
	nb_free(x->student);
	nb_free(x->mark);
	nb_free(x->map);
	nb_free(x->refs);
	nb_tape_free(&x->fwd);
	nb_free(x);
	v->tv = NULL;
}

/* ---- grading ---- */

struct tcontrib *nb_tvx_meant(const struct tvx *t)
{
	struct nb_tverify *x = t->x;
	struct tcontrib *first = NULL;
	uint32_t of;

	for (size_t c = 0; c < x->nc; c++) {
		if (x->c[c].of != x->g->of || x->c[c].state == TMATCHED)
			continue;
		if (!first)
			first = &x->c[c];
		for (size_t i = 0; i < x->nrefs; i++)
			if (nb_tvx_is_gradient(t, x->refs[i], &of) &&
			    of == x->c[c].gate)
				return &x->c[c];
	}
	return first;
}

static void take(const struct tvx *t, struct tcontrib *c, int state)
{
	if (c->state == TOPEN)
		add_into(t->x->partial[c->of].data, nb_tvx_cview(t, c), 1);
	c->state = (unsigned char)state;
	c->line = (uint32_t)t->x->k;
}

/* Matches d, what the line adds, with the open contributions: the one
 * it means, any other, or all that are left; *e = what it should have
 * added.  Returns 1 when one matches, 0 when none, -1 out of memory. */
static int match(const struct tvx *t, struct nb_view d, struct nb_tensor *e)
{
	struct nb_tverify *x = t->x;
	struct tcontrib *meant = nb_tvx_meant(t);
	struct nb_view scale = nb_tvx_view(&x->partial[x->g->of]);
	struct nb_tensor rest;
	size_t open = 0;

	if (meant && nb_tvx_near(t, d, nb_tvx_cview(t, meant), &scale)) {
		take(t, meant, TMATCHED);
		return copy(e, nb_tvx_cview(t, meant)) ? -1 : 1;
	}
	if (copy(&rest, scale))
		return -1;
	memset(rest.data, 0, elems(&rest.shape) * sizeof *rest.data);
	for (size_t c = 0; c < x->nc; c++) {
		if (x->c[c].of != x->g->of || x->c[c].state == TMATCHED)
			continue;
		if (nb_tvx_near(t, d, nb_tvx_cview(t, &x->c[c]), &scale)) {
			take(t, &x->c[c], TMATCHED);
			nb_tensor_free(&rest);
			return copy(e, nb_tvx_cview(t, &x->c[c])) ? -1 : 1;
		}
		add_into(rest.data, nb_tvx_cview(t, &x->c[c]), 1);
		open++;
	}
	if (open < 2 || !nb_tvx_near(t, d, nb_tvx_view(&rest), &scale)) {
		nb_tensor_free(&rest);
		return 0;
	}
	for (size_t c = 0; c < x->nc; c++)
		if (x->c[c].of == x->g->of && x->c[c].state != TMATCHED)
			take(t, &x->c[c], TMATCHED);
	*e = rest;
	return 1;
}

/* Whether the line reads nothing but constants. */
static int constant(const struct tvx *t)
{
	for (size_t i = 0; i < t->x->nrefs; i++)
		if (t->v->p.tape.op[t->x->refs[i]] != NB_OP_CONST)
			return 0;
	return 1;
}

static int all_zero(struct nb_view w)
{
	for (size_t i = 0, n = elems(&w.shape); i < n; i++)
		if (w.x[i] != 0)
			return 0;
	return 1;
}

/* What a right line would have computed here into *e: 1, or 0 if this
 * one is wrong, -1 out of memory.  "dx = " on a name that has a value
 * starts it again: right only with the whole gradient. */
static int judge(const struct tvx *t, struct nb_tensor *e)
{
	struct nb_tverify *x = t->x;
	uint32_t of = x->g->of;
	struct nb_view c2 = nb_tvx_view(&x->c2), whole = nb_tvx_grad(t, of);
	struct nb_tensor before, d;
	int plain = x->g->add || !x->self, r;

	if (!c2.x)
		return 0;
	if (!x->g->add && !x->self) {
		if (nb_tvx_near(t, c2, whole, NULL)) {
			for (size_t c = 0; c < x->nc; c++)
				if (x->c[c].of == of && x->c[c].state != TMATCHED)
					take(t, &x->c[c], TMATCHED);
			memcpy(x->partial[of].data, whole.x,
			       elems(&whole.shape) * sizeof *whole.x);
			return copy(e, whole) ? -1 : 1;
		}
		if (x->nlines[of] > 0)
			return 0;
		if (constant(t) && all_zero(c2) &&
		    nb_shape_equal(&c2.shape, &whole.shape))
			return copy(e, c2) ? -1 : 1;    /* dW = zeros(..) */
	}
	if (copy(&before, nb_tvx_view(&x->partial[of])) || copy(&d, c2)) {
		nb_tensor_free(&before);
		return -1;
	}
	if (!plain && nb_shape_equal(&d.shape, &before.shape))
		add_into(d.data, nb_tvx_view(&before), -1);
	r = match(t, nb_tvx_view(&d), e);
	if (r == 1 && !plain)
		add_into(e->data, nb_tvx_view(&before), 1);
	nb_tensor_free(&before);
	nb_tensor_free(&d);
	return r;
}

/* The right value now of the gradient ref r holds. */
static struct nb_view right_value(const struct tvx *t, uint32_t r)
{
	return nb_tvx_read(t, r, READ_RIGHT);
}

/* A right formula that computed a wrong number (or none): a gradient it
 * read was incomplete, or spoilt by an earlier wrong line. */
static void blame(const struct tvx *t, struct nb_grade *gr)
{
	struct nb_tverify *x = t->x;
	struct vctx s = { .v = t->v, .t = &t->v->p.tape, .g = x->g };
	char name[80], gate[120];

	gr->verdict = NB_GRADE_CARRIED;
	for (size_t i = 0; i < x->nrefs; i++) {
		uint32_t r = x->refs[i], of;
		int64_t m;
		if (!nb_tvx_is_gradient(t, r, &of))
			continue;
		m = x->lineof[r - x->nfwd];
		if (nb_tvx_near(t, nb_tvx_view(&x->student[m]),
				right_value(t, r), NULL))
			continue;
		nb_vx_dname(&s, of, name, sizeof name);
		if (x->wrong[of] >= 0) {
			snprintf(gr->reason, sizeof gr->reason, "right, but it "
				 "reads %s, which line %zu got wrong", name,
				 nb_vx_line(&s, (size_t)x->wrong[of]));
			return;
		}
		for (size_t c = 0; c < x->nc; c++) {
			if (x->c[c].of != of || x->c[c].state != TOPEN)
				continue;
			nb_vx_gate(&s, x->c[c].gate, gate, sizeof gate);
			gr->verdict = NB_GRADE_PREMATURE;
			snprintf(gr->reason, sizeof gr->reason, "it "
				 "reads %s before all of its gradient has "
				 "arrived: the part through %s is not added yet "
				 "(gradients add at a fork: finish %s before "
				 "using it)", name, gate, name);
			return;
		}
	}
	snprintf(gr->reason, sizeof gr->reason, "right, but it reads a "
		 "gradient an earlier line got wrong");
}

/* The target's value after line k, from what its right side computed. */
static int record(const struct tvx *t, size_t k)
{
	struct nb_tverify *x = t->x;
	const struct nb_gradline *g = &t->v->bw.line[k];
	const struct nb_tape *p = &t->v->p.tape;
	struct nb_tensor *s = &x->student[k];
	struct nb_view c = nb_tvx_view(&t->v->grade[k].tcomputed), old;

	if (copy(s, c))
		return -1;
	if (!g->add || !s->data)
		return 0;
	old = nb_tvx_view(&x->student[x->lineof[p->in[p->first[g->node]] -
						 x->nfwd]]);
	if (old.x && nb_shape_equal(&old.shape, &c.shape))
		add_into(s->data, old, 1);
	else
		nb_tensor_free(s);
	return 0;
}

static int wrong_line(const struct tvx *t, struct nb_grade *gr)
{
	struct nb_tverify *x = t->x;
	uint32_t of = x->g->of;
	const struct tcontrib *c = nb_tvx_diagnose(t, gr->reason,
						   sizeof gr->reason);
	struct nb_view e;

	gr->verdict = NB_GRADE_WRONG;
	if (c) {
		gr->gate = c->gate;
		take(t, (struct tcontrib *)c, TTRIED);
	}
	/* "dx = " where "dx += " was meant: say what dx should be. */
	if (c && !x->g->add && (x->self || x->nlines[of] > 0))
		gr->gate = UINT32_MAX;
	e = !c ? nb_tvx_grad(t, of)
	    : gr->gate == UINT32_MAX ? nb_tvx_view(&x->partial[of])
	    : nb_tvx_cview(t, c);
	if (copy(&gr->texpected, e))
		return -1;
	if (!c && x->g->add)    /* one too many: it should add nothing */
		memset(gr->texpected.data, 0,
		       elems(&e.shape) * sizeof *gr->texpected.data);
	x->wrong[of] = (int64_t)x->k;
	return 0;
}

static int grade_line(const struct tvx *t, size_t k)
{
	struct nb_tverify *x = t->x;
	struct nb_grade *gr = &t->v->grade[k];
	int r;

	x->k = k;
	x->g = &t->v->bw.line[k];
	nb_tvx_refs(t);
	memset(gr, 0, sizeof *gr);
	gr->computed = gr->expected = NAN;
	gr->gate = NONE;
	nb_tensor_free(&x->c2);
	if (nb_tvx_eval(t, READ_STUDENT, NULL, &gr->tcomputed, gr->novalue,
			sizeof gr->novalue) < 0 ||
	    (r = nb_tvx_eval(t, READ_RIGHT, NULL, &x->c2, x->c2why,
			     sizeof x->c2why)) < 0)
		return -1;
	if ((r = judge(t, &gr->texpected)) < 0)
		return -1;
	if (r == 1) {
		if (!nb_tvx_near(t, nb_tvx_view(&gr->tcomputed),
				 nb_tvx_view(&x->c2), NULL))
			blame(t, gr);
	} else if (wrong_line(t, gr)) {
		return -1;
	}
	x->nlines[x->g->of]++;
	return record(t, k);
}

/* Whether input i's gradient is 0 by construction: it is only an index. */
static int index_only(const struct nb_tverify *x, uint32_t i)
{
	const struct nb_tape *f = &x->fwd;

	for (size_t n = 0; n < x->nfwd; n++)
		for (size_t e = f->first[n]; e < f->first[n + 1]; e++)
			if (f->in[e] == i &&
			    !((f->op[n] == NB_OP_INDEX && e > f->first[n]) ||
			      f->op[n] == NB_OP_ONEHOT))
				return 0;
	return 1;
}

static int add_missing(struct nb_verify *v, uint32_t of, const char *reason)
{
	if (nb_grow((void **)&v->missing, &v->missingcap, v->nmissing + 1,
		    sizeof *v->missing))
		return -1;
	v->missing[v->nmissing].of = of;
	snprintf(v->missing[v->nmissing++].reason, sizeof v->missing->reason,
		 "%s", reason);
	return 0;
}

/* Inputs without a line, and names whose lines leave out a gate. */
static int find_missing(const struct tvx *t)
{
	struct nb_tverify *x = t->x;
	const struct nb_program *p = &t->v->p;
	struct vctx s = { .v = t->v, .t = &t->v->p.tape, .g = NULL };
	char name[80], gate[120], reason[512];

	for (uint32_t i = 0; i < x->nfwd; i++) {
		int never = x->nlines[i] == 0;
		struct nb_span nm = nb_tape_name(&p->tape, i);
		if (never && (nb_program_var(p, p->src.text + nm.start,
					     nm.len) < 0 || index_only(x, i)))
			continue;
		nb_vx_dname(&s, i, name, sizeof name);
		if (never) {
			snprintf(reason, sizeof reason, "%s is never computed "
				 "(%s is an input)", name, name + 1);
			if (add_missing(t->v, i, reason))
				return -1;
			continue;
		}
		for (size_t c = 0; c < x->nc; c++) {
			if (x->c[c].of != i || x->c[c].state != TOPEN ||
			    all_zero(nb_tvx_cview(t, &x->c[c])))
				continue;
			nb_vx_gate(&s, x->c[c].gate, gate, sizeof gate);
			snprintf(reason, sizeof reason, "%s never gets the "
				 "gradient through %s: add it with %s += ...",
				 name, gate, name);
			if (add_missing(t->v, i, reason))
				return -1;
		}
	}
	return 0;
}

int nb_verify_tgrade(struct nb_verify *v, double tol, int prec)
{
	struct tvx t = { v, v->tv };

	v->tv->tol = tol;
	v->tv->prec = prec;
	if (!(v->grade = zalloc(v->bw.n, sizeof *v->grade)))
		return -1;
	v->first_error = v->bw.n;
	for (size_t k = 0; k < v->bw.n; k++) {
		if (grade_line(&t, k))
			return -1;
		if (v->grade[k].verdict <= NB_GRADE_CARRIED)
			v->correct++;
		else if (v->first_error == v->bw.n)
			v->first_error = k;
	}
	return find_missing(&t);
}
