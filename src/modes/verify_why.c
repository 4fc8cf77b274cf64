/* verify_why.c - the classic mistakes of a hand-written backward pass,
 * tried against the true numbers to say why a line is wrong.
 *
 * Each row of the table is one mistake the seed notes warn about, with a
 * test: given the contribution c the line should add (upstream
 * grad[gate] times local gradient c->local), does the mistake give the
 * value the line computed?  Rows are tried in order (those that read
 * the line's own text, the strongest evidence, first), for the
 * contribution the line most likely means first; the first that fits is
 * the reason.  When tensors land, the shape rules (dW = X.T @ dD against
 * dD @ X.T) become rows here. */
#include <math.h>
#include <string.h>

#include "modes/verify.h"
#include "modes/verify_ctx.h"
#include "num/numfmt.h"

#define NONE UINT32_MAX

/* What the line adds to its target, read with the right gradients. */
static double added(const struct vctx *x)
{
	return x->self && !x->g->add ? x->c2 - x->partial[x->g->of] : x->c2;
}

static const char *name_of(const struct vctx *x, uint32_t node, size_t *len)
{
	struct nb_span s = nb_tape_name(x->t, node);

	*len = s.len;
	return x->v->p.src.text + s.start;
}

void nb_vx_dname(const struct vctx *x, uint32_t node, char *buf,
		 size_t size)
{
	size_t len;
	const char *name = name_of(x, node, &len);
	struct nb_span t = x->g ? x->g->target : (struct nb_span){ 0, 0 };
	int grad = t.len > 5 &&
		   memcmp(x->v->p.src.text + t.start, "grad_", 5) == 0;

	snprintf(buf, size, "%s%.*s", grad ? "grad_" : "d", (int)len, name);
}

void nb_vx_blame_line(struct nb_grade *gr, const char *name, size_t line)
{
	snprintf(gr->reason, sizeof gr->reason, "right, but it reads %s, "
		 "which line %zu got wrong", name, line);
}

void nb_vx_blame_premature(struct nb_grade *gr, const char *name,
			   const char *gate)
{
	gr->verdict = NB_GRADE_PREMATURE;
	snprintf(gr->reason, sizeof gr->reason, "it reads %s before all of "
		 "its gradient has arrived: the part through %s is not added "
		 "yet (gradients add at a fork: finish %s before using it)",
		 name, gate, name);
}

void nb_vx_blame_carried(struct nb_grade *gr)
{
	snprintf(gr->reason, sizeof gr->reason, "right, but it reads a "
		 "gradient an earlier line got wrong");
}

void nb_vx_gate(const struct vctx *x, uint32_t node, char *buf, size_t size)
{
	struct nb_span s = nb_tape_span(x->t, node);
	size_t len, n = 0, cut = s.len > 60 ? 57 : s.len;
	const char *name = name_of(x, node, &len);
	int w = snprintf(buf, size, "%.*s = ", (int)len, name);

	if (w < 0 || (size_t)w >= size)
		return;
	n = (size_t)w;
	/* Program text is quoted back: blanks for line breaks, '?' for
	 * any byte a terminal would not print as itself. */
	for (size_t i = 0; i < cut && n + 4 < size; i++) {
		unsigned char c = (unsigned char)x->v->p.src.text[s.start + i];
		buf[n++] = c == '\n' || c == '\t' ? ' '
			   : c < 0x20 || c > 0x7e ? '?' : (char)c;
	}
	if (cut < s.len && n + 4 < size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

static double grad(const struct vctx *x, uint32_t node)
{
	return x->t->grad[node];
}

static double value(const struct vctx *x, uint32_t node)
{
	return x->t->value[node];
}

static int near(const struct vctx *x, double a, double b)
{
	return nb_vx_near(x, a, b, 0);
}

/* The other contribution of c's gate, when the gate has exactly two
 * inputs: a * b, a + b, ... */
static const struct contrib *sibling(const struct vctx *x,
				     const struct contrib *c)
{
	const struct contrib *o = NULL;
	size_t n = 0;

	for (size_t i = x->gstart[c->gate]; i < x->gstart[c->gate + 1]; i++) {
		n++;
		if (x->c[x->bygate[i]].of != c->of)
			o = &x->c[x->bygate[i]];
	}
	return n == 2 ? o : NULL;
}

/* "dx = ..." at a fork: the value is one branch's, and the branches an
 * earlier line added are thrown away. */
static int overwrite(struct vctx *x, const struct contrib *c, char *why,
		     size_t size)
{
	char d[80], gate[120];

	if (x->g->add || x->self || x->nlines[c->of] == 0 ||
	    !near(x, added(x), nb_vx_value(x, c)))
		return 0;
	nb_vx_dname(x, c->of, d, sizeof d);
	for (size_t i = x->cstart[c->of]; i < x->cstart[c->of + 1]; i++) {
		if (x->c[i].state == OPEN)
			continue;
		nb_vx_gate(x, x->c[i].gate, gate, sizeof gate);
		snprintf(why, size, "'=' throws away what line %zu put in %s "
			 "(the gradient through %s); gradients add at a fork: "
			 "write %s += ...", nb_vx_line(x, x->c[i].line), d,
			 gate, d);
		return 1;
	}
	return 0;
}

static int sign(struct vctx *x, const struct contrib *c, char *why,
		size_t size)
{
	double v = nb_vx_value(x, c);

	if (v == 0 || !near(x, added(x), -v))
		return 0;
	snprintf(why, size, "a sign error: this is minus the right value");
	return 1;
}

/* The multiply gate's local gradients are its inputs, swapped. */
static int not_swapped(struct vctx *x, const struct contrib *c, char *why,
		       size_t size)
{
	const struct contrib *o = sibling(x, c);
	char gate[120];
	size_t n, m;
	const char *a = name_of(x, c->of, &n), *b;

	if (!o || !near(x, c->local, value(x, o->of)) ||
	    !near(x, o->local, value(x, c->of)) ||
	    near(x, value(x, c->of), value(x, o->of)) ||
	    !near(x, added(x), grad(x, c->gate) * value(x, c->of)))
		return 0;
	b = name_of(x, o->of, &m);
	nb_vx_gate(x, c->gate, gate, sizeof gate);
	snprintf(why, size, "the multiply gate swaps its inputs: the local "
		 "gradient of %.*s in %s is %.*s, not %.*s", (int)n, a, gate,
		 (int)m, b, (int)n, a);
	return 1;
}

/* A swap where nothing swaps: the add gate's local gradient is 1. */
static int add_swapped(struct vctx *x, const struct contrib *c, char *why,
		       size_t size)
{
	const struct contrib *o = sibling(x, c);

	if (!o || !near(x, c->local, 1) || near(x, value(x, o->of), 1) ||
	    !near(x, added(x), grad(x, c->gate) * value(x, o->of)))
		return 0;
	snprintf(why, size, "an add gate passes its gradient on unchanged "
		 "(local gradient 1): only the multiply gate swaps its "
		 "inputs");
	return 1;
}

/* The line reads the gradient of the wrong node as its upstream. */
static int wrong_upstream(struct vctx *x, const struct contrib *c,
			  char *why, size_t size)
{
	char used[80], up[80], gate[120];

	for (size_t i = 0; i < x->nrefs; i++) {
		uint32_t r = x->refs[i], of;
		if (r < x->nfwd || x->lineof[r - x->nfwd] < 0)
			continue;
		of = x->v->bw.line[x->lineof[r - x->nfwd]].of;
		if (of == c->gate || of == c->of ||
		    !near(x, nb_vx_eval(x, r, grad(x, c->gate)),
			  nb_vx_value(x, c)))
			continue;
		nb_vx_dname(x, of, used, sizeof used);
		nb_vx_dname(x, c->gate, up, sizeof up);
		nb_vx_gate(x, c->gate, gate, sizeof gate);
		snprintf(why, size, "%s is not the upstream gradient here: what "
			 "flows into %s from above is %s", used, gate, up);
		return 1;
	}
	return 0;
}

/* Whether the line is right with w's value in place of forward name r. */
static int right_with(struct vctx *x, const struct contrib *c, uint32_t r,
		      uint32_t w)
{
	return w != r && !near(x, value(x, w), value(x, r)) &&
	       near(x, nb_vx_eval(x, r, value(x, w)), nb_vx_value(x, c));
}

/* The local gradient taken at the wrong value: (1 - s) * s with the
 * wrong s.  The right value is the gate's own or one of its inputs'. */
static int wrong_value(struct vctx *x, const struct contrib *c, char *why,
		       size_t size)
{
	for (size_t i = 0; i < x->nrefs; i++) {
		uint32_t r = x->refs[i], w = NONE;
		size_t n, m;
		const char *a, *b;
		if (r >= x->nfwd || !nb_tape_name(x->t, r).len)
			continue;
		if (right_with(x, c, r, c->gate))
			w = c->gate;
		for (size_t k = x->gstart[c->gate];
		     k < x->gstart[c->gate + 1] && w == NONE; k++)
			if (right_with(x, c, r, x->c[x->bygate[k]].of))
				w = x->c[x->bygate[k]].of;
		if (w == NONE)
			continue;
		a = name_of(x, w, &n);
		b = name_of(x, r, &m);
		snprintf(why, size, "the local gradient is taken at the wrong "
			 "value: with %.*s in place of %.*s this line is right",
			 (int)n, a, (int)m, b);
		return 1;
	}
	return 0;
}

static int no_upstream(struct vctx *x, const struct contrib *c, char *why,
		       size_t size)
{
	char up[80];

	if (near(x, grad(x, c->gate), 1) || !near(x, added(x), c->local))
		return 0;
	nb_vx_dname(x, c->gate, up, sizeof up);
	snprintf(why, size, "the upstream gradient %s is missing: "
		 "[downstream] = [local] * [upstream]", up);
	return 1;
}

static int no_local(struct vctx *x, const struct contrib *c, char *why,
		    size_t size)
{
	char gate[120];

	if (near(x, c->local, 1) || !near(x, added(x), grad(x, c->gate)))
		return 0;
	nb_vx_gate(x, c->gate, gate, sizeof gate);
	snprintf(why, size, "the local gradient of %s is missing: "
		 "[downstream] = [local] * [upstream]", gate);
	return 1;
}

static int extra_upstream(struct vctx *x, const struct contrib *c,
			  char *why, size_t size)
{
	char up[80];
	double g = grad(x, c->gate);

	if (near(x, g, 1) || g == 0 ||
	    !near(x, added(x), nb_vx_value(x, c) * g))
		return 0;
	nb_vx_dname(x, c->gate, up, sizeof up);
	snprintf(why, size, "the upstream gradient %s is multiplied in twice",
		 up);
	return 1;
}

static int (*const mistakes[])(struct vctx *, const struct contrib *,
			       char *, size_t) = {
	overwrite, wrong_upstream, sign, not_swapped, add_swapped,
	wrong_value, no_upstream, no_local, extra_upstream,
};

#define NMISTAKES (sizeof mistakes / sizeof mistakes[0])

/* Whether the line reads the gradient of node. */
static int reads_gradient(const struct vctx *x, uint32_t node)
{
	for (size_t i = 0; i < x->nrefs; i++) {
		uint32_t r = x->refs[i];
		if (r >= x->nfwd && x->lineof[r - x->nfwd] >= 0 &&
		    x->v->bw.line[x->lineof[r - x->nfwd]].of == node)
			return 1;
	}
	return 0;
}

/* A branch already added, added again; with read, only one whose gate's
 * gradient the line reads (the line repeats it). */
static int twice(struct vctx *x, int read, char *why, size_t size)
{
	char gate[120];

	for (size_t i = x->cstart[x->g->of]; i < x->cstart[x->g->of + 1]; i++) {
		const struct contrib *c = &x->c[i];
		if (c->state != MATCHED || !near(x, added(x), nb_vx_value(x, c)) ||
		    (read && !reads_gradient(x, c->gate)))
			continue;
		nb_vx_gate(x, c->gate, gate, sizeof gate);
		snprintf(why, size, "the gradient through %s was already added "
			 "at line %zu: each branch of a fork is added once",
			 gate, nb_vx_line(x, c->line));
		return 1;
	}
	return 0;
}

static const struct contrib *unexplained(struct vctx *x,
					 const struct contrib *c, char *why,
					 size_t size)
{
	char up[80], gate[120], g[NB_NUMBUF], l[NB_NUMBUF];

	nb_vx_dname(x, c->gate, up, sizeof up);
	nb_vx_gate(x, c->gate, gate, sizeof gate);
	nb_fmt_human(g, grad(x, c->gate), x->prec);
	nb_fmt_human(l, c->local, x->prec);
	snprintf(why, size, "none of the classic mistakes explains it; through "
		 "%s, [downstream] = [local] %s * [upstream] %s %s", gate, l,
		 up, g);
	return c;
}

const struct contrib *nb_vx_diagnose(struct vctx *x, char *why, size_t size)
{
	const struct contrib *meant = nb_vx_meant(x);
	uint32_t of = x->g->of;
	char d[80];

	nb_vx_dname(x, of, d, sizeof d);
	if (of == x->v->p.output) {
		snprintf(why, size, "the backward pass starts at the output: "
			 "%s = 1.0 (its gradient with respect to itself)", d);
		return NULL;
	}
	/* A line that repeats a branch already added reads that branch's
	 * upstream; otherwise the branch whose upstream the line reads is
	 * what it means; failing that, a branch already added is likelier
	 * than a mistake on another one. */
	if (twice(x, 1, why, size))
		return NULL;
	for (size_t m = 0; meant && m < NMISTAKES; m++)
		if (mistakes[m](x, meant, why, size))
			return meant;
	if (twice(x, 0, why, size))
		return NULL;
	for (size_t m = 0; m < NMISTAKES; m++)
		for (size_t i = x->cstart[of]; i < x->cstart[of + 1]; i++)
			if (x->c[i].state != MATCHED && &x->c[i] != meant &&
			    mistakes[m](x, &x->c[i], why, size))
				return &x->c[i];
	if (meant)
		return unexplained(x, meant, why, size);
	snprintf(why, size, "%s already has every gradient that reaches it: "
		 "this line adds one too many", d);
	return NULL;
}
