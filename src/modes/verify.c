/* verify.c - grades a hand-written backward pass line by line.
 *
 * One forward sweep over the tape computes the forward program and what
 * every line of the backward pass computed; the reverse sweep gives the
 * true gradients and local gradients; one more reverse pass over the
 * forward program gathers each named node's contributions (verify_ctx.h).
 * Then the lines are graded in order, each against the contributions
 * its target still lacks, as a right backward pass would have them at
 * that point: a line is judged by its formula (its right side re-read
 * with the right gradients), and only then by its number, so an early
 * mistake is reported once, where it is made. */
#include "modes/verify.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/sweep.h"
#include "modes/verify_ctx.h"

#define NONE UINT32_MAX

static void *zalloc(size_t n, size_t size)
{
	void *p = nb_malloc(n * size);

	if (p)
		memset(p, 0, n * size);
	return p;
}

size_t nb_vx_line(const struct vctx *x, size_t k)
{
	size_t line, col;

	nb_source_position(&x->v->p.src, x->v->bw.line[k].stmt.start, &line,
			   &col);
	return line;
}

int nb_verify_compile(struct nb_verify *v, const char *name, char *text,
		      size_t len, struct nb_diag *d)
{
	memset(v, 0, sizeof *v);
	return nb_program_compile_backward(&v->p, name, text, len, &v->bw, d);
}

void nb_verify_free(struct nb_verify *v)
{
	nb_verify_tfree(v);
	nb_free(v->grade);
	nb_free(v->missing);
	nb_backward_free(&v->bw);
	nb_program_free(&v->p);
	memset(v, 0, sizeof *v);
}

int nb_vx_near(const struct vctx *x, double a, double b, double scale)
{
	double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);

	if (a == b || (isnan(a) && isnan(b)))
		return 1;
	if (fabs(scale) > m)
		m = fabs(scale);
	return fabs(a - b) <= x->tol * m;
}

double nb_vx_value(const struct vctx *x, const struct contrib *c)
{
	return nb_downstream(x->t->grad[c->gate], c->local);
}

/* The right value, at the line being graded, of the gradient node ref
 * holds: the whole gradient, or for the line's own target the part of
 * it a right pass has added so far. */
static double right_value(const struct vctx *x, uint32_t ref)
{
	uint32_t of = x->v->bw.line[x->lineof[ref - x->nfwd]].of;

	return of == x->g->of ? x->partial[of] : x->t->grad[of];
}

static int is_gradient(const struct vctx *x, uint32_t node)
{
	return node >= x->nfwd && x->lineof[node - x->nfwd] >= 0;
}

double nb_vx_eval(struct vctx *x, uint32_t node, double value)
{
	struct nb_tape *t = x->t;
	const struct nb_gradline *g = x->g;
	double r;

	for (size_t i = 0; i < x->nrefs; i++)
		x->saved[i] = t->value[x->refs[i]];
	for (size_t i = 0; i < x->nrefs; i++)
		if (is_gradient(x, x->refs[i]))
			t->value[x->refs[i]] = right_value(x, x->refs[i]);
	if (node != NONE)
		t->value[node] = value;
	if (g->rhs >= g->first)
		nb_forward(t, g->first, g->rhs + 1);
	r = t->value[g->rhs];
	for (size_t i = x->nrefs; i-- > 0;)
		t->value[x->refs[i]] = x->saved[i];
	return r;
}

static int named(const struct nb_tape *t, size_t i)
{
	return nb_tape_name(t, i).len > 0;
}

/* Adds l to the contribution of gate to node j, made at *slot if it is
 * this gate's. */
static int contribute(struct vctx *x, size_t *cap, uint32_t gate,
		      uint32_t j, double l, uint32_t *slot)
{
	if (slot[j] != NONE && x->c[slot[j]].gate == gate) {
		x->c[slot[j]].local += l;
		return 0;
	}
	if (nb_grow((void **)&x->c, cap, x->nc + 1, sizeof *x->c))
		return -1;
	slot[j] = (uint32_t)x->nc;
	x->c[x->nc++] = (struct contrib){ gate, j, l, OPEN, 0 };
	return 0;
}

/* The contributions of one reverse pass over the forward program: gl[i]
 * is d(gate of i)/d(i) for an unnamed node i. */
static int gather(struct vctx *x, double *gl, uint32_t *gate,
		  uint32_t *slot)
{
	const struct nb_tape *t = x->t;
	size_t cap = 0;

	for (size_t i = 0; i < x->nfwd; i++)
		gate[i] = slot[i] = NONE;
	for (size_t i = x->nfwd; i-- > 0;) {
		if (named(t, i)) {
			gate[i] = (uint32_t)i;
			gl[i] = 1;
		} else if (gate[i] == NONE) {
			continue;
		}
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			uint32_t j = t->in[e];
			double l = gl[i] * t->local[e];
			if (named(t, j)) {
				if (contribute(x, &cap, gate[i], j, l, slot))
					return -1;
			} else if (t->op[j] != NB_OP_CONST) {
				if (gate[j] == NONE)
					gl[j] = 0;
				gate[j] = gate[i];
				gl[j] += l;
			}
		}
	}
	return 0;
}

/* Counting sort: ix[start[k]..start[k + 1] - 1] are the indices of the
 * contributions whose key is k, in the order of x->c. */
static void by_key(const struct vctx *x, int gate, uint32_t *start,
		   uint32_t *ix, uint32_t *at)
{
	size_t n = (size_t)x->nfwd + 1;

	memset(start, 0, n * sizeof *start);
	for (size_t i = 0; i < x->nc; i++)
		start[(gate ? x->c[i].gate : x->c[i].of) + 1]++;
	for (size_t i = 0; i + 1 < n; i++)
		start[i + 1] += start[i];
	memcpy(at, start, n * sizeof *at);
	for (size_t i = 0; i < x->nc; i++)
		ix[at[gate ? x->c[i].gate : x->c[i].of]++] = (uint32_t)i;
}

/* Groups the contributions by the node they go to, keeping the reverse
 * pass's order within each, and indexes them by gate. */
static int group(struct vctx *x)
{
	size_t n = x->nc ? x->nc : 1;
	struct contrib *sorted = nb_malloc(n * sizeof *sorted);
	uint32_t *ix = nb_malloc(n * sizeof *ix);
	uint32_t *at = nb_malloc(((size_t)x->nfwd + 1) * sizeof *at);

	if (!sorted || !ix || !at) {
		nb_free(sorted);
		nb_free(ix);
		nb_free(at);
		return -1;
	}
	by_key(x, 0, x->cstart, ix, at);
	for (size_t i = 0; i < x->nc; i++)
		sorted[i] = x->c[ix[i]];
	nb_free(x->c);
	x->c = sorted;
	by_key(x, 1, x->gstart, x->bygate, at);
	nb_free(ix);
	nb_free(at);
	return 0;
}

static int contributions(struct vctx *x)
{
	double *gl = nb_malloc(((size_t)x->nfwd + 1) * sizeof *gl);
	uint32_t *gate = nb_malloc(((size_t)x->nfwd + 1) * sizeof *gate);
	uint32_t *slot = nb_malloc(((size_t)x->nfwd + 1) * sizeof *slot);
	int r = !gl || !gate || !slot || gather(x, gl, gate, slot) ||
		!(x->bygate = nb_malloc((x->nc + 1) * sizeof *x->bygate)) ||
		group(x);

	nb_free(gl);
	nb_free(gate);
	nb_free(slot);
	return r ? -1 : 0;
}

/* The nodes from before the line that its right side reads. */
static void collect_refs(struct vctx *x)
{
	const struct nb_tape *t = x->t;
	const struct nb_gradline *g = x->g;
	uint32_t mark = (uint32_t)x->k + 1;

	x->nrefs = 0;
	x->self = 0;
	if (g->rhs < g->first) {
		x->refs[x->nrefs++] = g->rhs;
	} else {
		for (size_t e = t->first[g->first]; e < t->first[g->rhs + 1];
		     e++) {
			uint32_t j = t->in[e];
			if (j < g->first && x->stamp[j] != mark) {
				x->stamp[j] = mark;
				x->refs[x->nrefs++] = j;
			}
		}
	}
	for (size_t i = 0; i < x->nrefs; i++)
		if (is_gradient(x, x->refs[i]) &&
		    x->v->bw.line[x->lineof[x->refs[i] - x->nfwd]].of == g->of)
			x->self = 1;
}

const struct contrib *nb_vx_meant(const struct vctx *x)
{
	const struct contrib *first = NULL;

	for (size_t c = x->cstart[x->g->of]; c < x->cstart[x->g->of + 1]; c++) {
		if (x->c[c].state == MATCHED)
			continue;
		if (!first)
			first = &x->c[c];
		for (size_t i = 0; i < x->nrefs; i++)
			if (is_gradient(x, x->refs[i]) &&
			    x->v->bw.line[x->lineof[x->refs[i] - x->nfwd]].of ==
				    x->c[c].gate)
				return &x->c[c];
	}
	return first;
}

/* A right pass has c added from now on (a wrong line that tried it
 * counts as having added it, so the lines after are judged on their
 * own). */
static void take(struct vctx *x, struct contrib *c, int state)
{
	if (c->state == OPEN)
		x->partial[c->of] += nb_vx_value(x, c);
	c->state = (unsigned char)state;
	c->line = (uint32_t)x->k;
}

/* Matches d, what the line adds to its target, with the open
 * contributions: the one it means, any other, or all that are left.
 * Returns what it should have added, or NAN when nothing matches. */
static double match(struct vctx *x, double d)
{
	uint32_t of = x->g->of;
	struct contrib *meant = (struct contrib *)nb_vx_meant(x);
	double scale = fabs(x->partial[of]) + fabs(d), rest = 0;
	size_t open = 0;

	if (meant && nb_vx_near(x, d, nb_vx_value(x, meant), scale)) {
		take(x, meant, MATCHED);
		return nb_vx_value(x, meant);
	}
	for (size_t c = x->cstart[of]; c < x->cstart[of + 1]; c++) {
		if (x->c[c].state == MATCHED)
			continue;
		if (nb_vx_near(x, d, nb_vx_value(x, &x->c[c]), scale)) {
			take(x, &x->c[c], MATCHED);
			return nb_vx_value(x, &x->c[c]);
		}
		rest += nb_vx_value(x, &x->c[c]);
		open++;
	}
	if (open < 2 || !nb_vx_near(x, d, rest, scale))
		return NAN;
	for (size_t c = x->cstart[of]; c < x->cstart[of + 1]; c++)
		if (x->c[c].state != MATCHED)
			take(x, &x->c[c], MATCHED);
	return rest;
}

/* What a right line would have computed here, or NAN if this one is
 * wrong.  "dx = " on a name that has a value starts it again: right
 * only with the whole gradient. */
static double judge(struct vctx *x)
{
	uint32_t of = x->g->of;
	double before = x->partial[of], whole = x->t->grad[of], e;

	if (!x->g->add && !x->self) {
		if (nb_vx_near(x, x->c2, whole, 0)) {
			for (size_t c = x->cstart[of]; c < x->cstart[of + 1]; c++)
				if (x->c[c].state != MATCHED)
					take(x, &x->c[c], MATCHED);
			x->partial[of] = whole;
			return whole;
		}
		if (x->nlines[of] > 0)
			return NAN;
		if (x->c2 == 0 && x->nrefs == 0) /* dx = 0: a sum starts */
			return 0;
	}
	e = match(x, x->g->add || !x->self ? x->c2 : x->c2 - before);
	return x->g->add || !x->self ? e : before + e;
}

/* A right formula that computed a wrong number: a gradient it read was
 * incomplete (premature) or spoilt by an earlier wrong line. */
static void blame(struct vctx *x, struct nb_grade *gr)
{
	char name[80], gate[120];

	gr->verdict = NB_GRADE_CARRIED;
	for (size_t i = 0; i < x->nrefs; i++) {
		uint32_t r = x->refs[i], of;
		int64_t m;
		if (!is_gradient(x, r))
			continue;
		m = x->lineof[r - x->nfwd];
		of = x->v->bw.line[m].of;
		if (nb_vx_near(x, x->student[m], right_value(x, r), 0))
			continue;
		nb_vx_dname(x, of, name, sizeof name);
		if (x->wrong[of] >= 0) {
			nb_vx_blame_line(gr, name, nb_vx_line(x,
					 (size_t)x->wrong[of]));
			return;
		}
		for (size_t c = x->cstart[of]; c < x->cstart[of + 1]; c++) {
			if (x->c[c].state != OPEN)
				continue;
			nb_vx_gate(x, x->c[c].gate, gate, sizeof gate);
			nb_vx_blame_premature(gr, name, gate);
			return;
		}
	}
	nb_vx_blame_carried(gr);
}

static void grade_line(struct vctx *x, size_t k, double computed)
{
	struct nb_grade *gr = &x->v->grade[k];
	const struct contrib *c;
	uint32_t of;

	x->k = k;
	x->g = &x->v->bw.line[k];
	of = x->g->of;
	collect_refs(x);
	x->c2 = nb_vx_eval(x, NONE, 0);
	memset(gr, 0, sizeof *gr);
	gr->computed = computed;
	gr->gate = NONE;
	gr->expected = judge(x);
	if (!isnan(gr->expected)) {
		if (!nb_vx_near(x, computed, x->c2, 0))
			blame(x, gr);
	} else {
		c = nb_vx_diagnose(x, gr->reason, sizeof gr->reason);
		gr->verdict = NB_GRADE_WRONG;
		if (c) {
			gr->gate = c->gate;
			take(x, (struct contrib *)c, TRIED);
		}
		/* "dx = " where "dx += " was meant: say what dx should be. */
		if (c && !x->g->add && (x->self || x->nlines[of] > 0))
			gr->gate = UINT32_MAX;
		gr->expected = !c ? (x->g->add ? 0 : x->t->grad[of])
			       : gr->gate == UINT32_MAX ? x->partial[of]
			       : nb_vx_value(x, c);
		x->wrong[of] = (int64_t)k;
	}
	x->nlines[of]++;
}

int nb_vx_add_missing(struct nb_verify *v, uint32_t of, const char *reason)
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
static int find_missing(struct vctx *x)
{
	const struct nb_program *p = &x->v->p;
	char name[80], gate[120], reason[512];

	for (size_t i = 0; i < x->nfwd; i++) {
		int never = x->nlines[i] == 0;
		if (never && nb_program_var(p, p->src.text +
					   nb_tape_name(x->t, i).start,
					   nb_tape_name(x->t, i).len) < 0)
			continue;
		nb_vx_dname(x, (uint32_t)i, name, sizeof name);
		if (never) {
			snprintf(reason, sizeof reason, "%s is never computed "
				 "(%s is an input)", name, name + (name[0] == 'd' ?
							       1 : 5));
			if (nb_vx_add_missing(x->v, (uint32_t)i, reason))
				return -1;
			continue;
		}
		for (size_t c = x->cstart[i]; c < x->cstart[i + 1]; c++) {
			if (x->c[c].state != OPEN || nb_vx_value(x, &x->c[c]) == 0)
				continue;
			nb_vx_gate(x, x->c[c].gate, gate, sizeof gate);
			snprintf(reason, sizeof reason, "%s never gets the "
				 "gradient through %s: add it with %s += ...",
				 name, gate, name);
			if (nb_vx_add_missing(x->v, (uint32_t)i, reason))
				return -1;
		}
	}
	return 0;
}

static int setup(struct vctx *x, struct nb_verify *v, double tol, int prec)
{
	size_t n = v->p.tape.n, nb = n - v->bw.fwd_end;

	memset(x, 0, sizeof *x);
	x->v = v;
	x->t = &v->p.tape;
	x->tol = tol;
	x->prec = prec;
	x->nfwd = v->bw.started ? v->bw.fwd_end : (uint32_t)n;
	nb = n - x->nfwd;
	x->cstart = nb_malloc(((size_t)x->nfwd + 1) * sizeof *x->cstart);
	x->gstart = nb_malloc(((size_t)x->nfwd + 1) * sizeof *x->gstart);
	x->partial = zalloc((size_t)x->nfwd + 1, sizeof *x->partial);
	x->nlines = zalloc((size_t)x->nfwd + 1, sizeof *x->nlines);
	x->wrong = nb_malloc(((size_t)x->nfwd + 1) * sizeof *x->wrong);
	x->lineof = nb_malloc((nb + 1) * sizeof *x->lineof);
	x->student = nb_malloc((v->bw.n + 1) * sizeof *x->student);
	x->refs = nb_malloc((x->t->nedge + 1) * sizeof *x->refs);
	x->saved = nb_malloc((x->t->nedge + 1) * sizeof *x->saved);
	x->stamp = zalloc(n + 1, sizeof *x->stamp);
	v->grade = nb_malloc((v->bw.n + 1) * sizeof *v->grade);
	if (!x->cstart || !x->gstart || !x->partial || !x->nlines || !x->wrong ||
	    !x->lineof || !x->student || !x->refs || !x->saved || !x->stamp ||
	    !v->grade)
		return -1;
	for (size_t i = 0; i < x->nfwd; i++)
		x->wrong[i] = -1;
	for (size_t i = 0; i < nb; i++)
		x->lineof[i] = -1;
	for (size_t k = 0; k < v->bw.n; k++)
		x->lineof[v->bw.line[k].node - x->nfwd] = (int64_t)k;
	return 0;
}

static void teardown(struct vctx *x)
{
	nb_free(x->c);
	nb_free(x->cstart);
	nb_free(x->gstart);
	nb_free(x->bygate);
	nb_free(x->partial);
	nb_free(x->nlines);
	nb_free(x->wrong);
	nb_free(x->lineof);
	nb_free(x->student);
	nb_free(x->refs);
	nb_free(x->saved);
	nb_free(x->stamp);
}

/* What every line computed, read before any line is re-evaluated. */
static void record(struct vctx *x, double *computed)
{
	const struct nb_tape *t = x->t;

	for (size_t k = 0; k < x->v->bw.n; k++) {
		computed[k] = t->value[x->v->bw.line[k].rhs];
		x->student[k] = t->value[x->v->bw.line[k].node];
	}
}

int nb_verify_grade(struct nb_verify *v, double tol, int prec)
{
	struct vctx x;
	double *computed = NULL;
	int r = -1;

	if (v->tv)
		return nb_verify_tgrade(v, tol, prec);
	if (setup(&x, v, tol, prec) ||
	    !(computed = nb_malloc((v->bw.n + 1) * sizeof *computed)))
		goto out;
	nb_forward(x.t, 0, x.t->n);
	if (nb_reverse(x.t, v->p.output) || contributions(&x))
		goto out;
	record(&x, computed);
	v->first_error = v->bw.n;
	for (size_t k = 0; k < v->bw.n; k++) {
		grade_line(&x, k, computed[k]);
		if (v->grade[k].verdict <= NB_GRADE_CARRIED)
			v->correct++;
		else if (v->first_error == v->bw.n)
			v->first_error = k;
	}
	r = find_missing(&x);
out:
	nb_free(computed);
	teardown(&x);
	return r;
}
