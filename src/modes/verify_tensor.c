/* verify_tensor.c - grades a hand-written backward pass on vectors and
 * matrices (verify_tctx.h).
 *
 * The same grading as verify.c's, with tensors for numbers: each line
 * is judged by its formula (its right side with the right gradients)
 * against the contributions its target still lacks, elementwise within
 * the tolerance, and only then by its number (the student's own, which
 * reads the gradients the earlier lines computed). */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "modes/verify.h"
#include "modes/verify_ctx.h"
#include "modes/verify_tctx.h"

#define NONE UINT32_MAX

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
		nb_tvx_add(t->x->partial[c->of].data, nb_tvx_cview(t, c), 1);
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
		return nb_tvx_copy(e, nb_tvx_cview(t, meant)) ? -1 : 1;
	}
	if (nb_tvx_copy(&rest, scale))
		return -1;
	memset(rest.data, 0, nb_tvx_elems(&rest.shape) * sizeof *rest.data);
	for (size_t c = 0; c < x->nc; c++) {
		if (x->c[c].of != x->g->of || x->c[c].state == TMATCHED)
			continue;
		if (nb_tvx_near(t, d, nb_tvx_cview(t, &x->c[c]), &scale)) {
			take(t, &x->c[c], TMATCHED);
			nb_tensor_free(&rest);
			return nb_tvx_copy(e, nb_tvx_cview(t, &x->c[c])) ? -1 : 1;
		}
		nb_tvx_add(rest.data, nb_tvx_cview(t, &x->c[c]), 1);
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
	for (size_t i = 0, n = nb_tvx_elems(&w.shape); i < n; i++)
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
			       nb_tvx_elems(&whole.shape) * sizeof *whole.x);
			return nb_tvx_copy(e, whole) ? -1 : 1;
		}
		if (x->nlines[of] > 0)
			return 0;
		if (constant(t) && all_zero(c2) &&
		    nb_shape_equal(&c2.shape, &whole.shape))
			return nb_tvx_copy(e, c2) ? -1 : 1;    /* dW = zeros(..) */
	}
	if (nb_tvx_copy(&before, nb_tvx_view(&x->partial[of])) || nb_tvx_copy(&d, c2)) {
		nb_tensor_free(&before);
		return -1;
	}
	if (!plain && nb_shape_equal(&d.shape, &before.shape))
		nb_tvx_add(d.data, nb_tvx_view(&before), -1);
	r = match(t, nb_tvx_view(&d), e);
	if (r == 1 && !plain)
		nb_tvx_add(e->data, nb_tvx_view(&before), 1);
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
			nb_vx_blame_line(gr, name, nb_vx_line(&s,
					 (size_t)x->wrong[of]));
			return;
		}
		for (size_t c = 0; c < x->nc; c++) {
			if (x->c[c].of != of || x->c[c].state != TOPEN)
				continue;
			nb_vx_gate(&s, x->c[c].gate, gate, sizeof gate);
			nb_vx_blame_premature(gr, name, gate);
			return;
		}
	}
	nb_vx_blame_carried(gr);
}

/* The target's value after line k, from what its right side computed. */
static int record(const struct tvx *t, size_t k)
{
	struct nb_tverify *x = t->x;
	const struct nb_gradline *g = &t->v->bw.line[k];
	const struct nb_tape *p = &t->v->p.tape;
	struct nb_tensor *s = &x->student[k];
	struct nb_view c = nb_tvx_view(&t->v->grade[k].tcomputed), old;

	if (nb_tvx_copy(s, c))
		return -1;
	if (!g->add || !s->data)
		return 0;
	old = nb_tvx_view(&x->student[x->lineof[p->in[p->first[g->node]] -
						 x->nfwd]]);
	if (old.x && nb_shape_equal(&old.shape, &c.shape))
		nb_tvx_add(s->data, old, 1);
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
	if (nb_tvx_copy(&gr->texpected, e))
		return -1;
	if (!c && x->g->add)    /* one too many: it should add nothing */
		memset(gr->texpected.data, 0,
		       nb_tvx_elems(&e.shape) * sizeof *gr->texpected.data);
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
			if (nb_vx_add_missing(t->v, i, reason))
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
			if (nb_vx_add_missing(t->v, i, reason))
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
	if (!(v->grade = nb_tvx_zalloc(v->bw.n, sizeof *v->grade)))
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
	return v->tv->oom ? -1 : find_missing(&t);
}
