/* gradcheck.c - partials by central differences on a ladder of steps,
 * each with an estimate of its error; kinks; verdicts.
 *
 * An input x is perturbed to x +- h and x +- 2h for steps h from
 * cbrt(eps) * max(1, |x|) down to cbrt(eps) * max(|x|, SCALE_FLOOR)
 * and two rungs below, each RUNG times the last, and the difference
 * whose estimated error is smallest is kept: a function's own scale,
 * which sets the best step, may be 1 (exp(x) at x = 1e-200) or |x|
 * (x^3 there), or between, or a little below (exp(500 x) at x = 2).
 * The manual's section GRADIENT CHECK has the error model.
 *
 * Each evaluation is a forward sweep from the input's node on: nothing
 * before it depends on it.  The sweeps leave the later nodes holding
 * values of a perturbed point; the next input's first sweep starts low
 * enough to repair them, and one last sweep repairs the rest.
 *
 * On a shaped tape (core/tvals.h) each element of a tensor input is a
 * partial: it is perturbed where the forward sweep reads it (the bound
 * tensor), the whole sweep runs again, which allocates nothing, and the
 * function checked is sum(upstream * output), whose gradient reverse
 * mode computed.  Kinks are followed per element. */
#include "modes/gradcheck.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/kink.h"
#include "core/sweep.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "num/numfmt.h"
#include "num/rng.h"

#define RUNG 0x1p-10            /* one step to the next */
#define SCALE_FLOOR (DBL_MIN / DBL_EPSILON)     /* keeps h a normal number */
#define TAYLOR 1e-3             /* how far from linear a usable step may be */

const char *nb_verdict_name(enum nb_verdict v)
{
	static const char *const names[] = { "ok", "kink", "inaccurate",
					     "fail" };

	return names[v];
}

double nb_check_step(double x)
{
	return cbrt(DBL_EPSILON) * fmax(1, fabs(x));
}

double nb_check_min_step(double x)
{
	return cbrt(DBL_EPSILON) * RUNG * RUNG * fmax(SCALE_FLOOR, fabs(x));
}

double nb_check_error(double a, double n)
{
	double big = fmax(fabs(a), fabs(n));

	if (isnan(a) || isnan(n))
		return NAN;
	if (a == n)
		return 0;
	if (isinf(big))
		return 1;
	return fabs(a - n) / big;
}

/* Marks in dep the nodes the output depends on (the output included). */
static void mark_dependencies(const struct nb_program *p, unsigned char *dep)
{
	const struct nb_tape *t = &p->tape;

	memset(dep, 0, t->n);
	dep[p->output] = 1;
	for (size_t i = p->output + 1; i-- > 0;)
		if (dep[i])
			for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
				dep[t->in[e]] = 1;
}

/* The number of elements of input var of p (1 for a scalar). */
static size_t elements(const struct nb_program *p, size_t var)
{
	size_t n = 1;

	if (p->tval && p->tval[var].data)
		nb_shape_size(&p->tval[var].shape, &n);
	return n;
}

size_t nb_check_total(const struct nb_program *p, const size_t *wrt,
		      size_t nwrt)
{
	size_t total = 0;

	for (size_t k = 0; k < nwrt; k++)
		total += elements(p, wrt[k]);
	return total;
}

/* The elements node i has (1 on a scalar tape). */
static size_t node_size(const struct nb_tape *t, size_t i)
{
	return t->tv ? t->tv->size[i] : 1;
}

/* The kink nodes the output depends on, one entry per element. */
static int kink_init(struct nb_check *c, const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;
	unsigned char *dep = nb_malloc(t->n);
	size_t nkink = 0;

	if (!dep)
		return -1;
	mark_dependencies(p, dep);
	for (size_t i = 0; i < t->n; i++)
		if (dep[i] && nb_kink_capable((enum nb_op)t->op[i]))
			nkink += node_size(t, i);
	c->kinknode = nb_malloc((nkink ? nkink : 1) * sizeof *c->kinknode);
	c->kinkelem = nb_malloc((nkink ? nkink : 1) * sizeof *c->kinkelem);
	c->branch = nb_malloc((nkink ? nkink : 1) * sizeof *c->branch);
	for (size_t i = 0; c->kinkelem && c->kinknode && i < t->n; i++)
		for (size_t e = 0; dep[i] && e < node_size(t, i) &&
		     nb_kink_capable((enum nb_op)t->op[i]); e++) {
			c->kinknode[c->nkink] = (uint32_t)i;
			c->kinkelem[c->nkink++] = e;
		}
	nb_free(dep);
	return c->kinknode && c->kinkelem && c->branch ? 0 : -1;
}

/* The partials: every element, or samples of the total picked by
 * selection sampling (Knuth's algorithm S), which keeps their order. */
static int pick(struct nb_check *c, const struct nb_program *p,
		const size_t *wrt, size_t nwrt, size_t samples,
		uint64_t seed)
{
	size_t total = nb_check_total(p, wrt, nwrt), seen = 0;
	struct nb_rng rng;

	if (samples == 0 || samples > total)
		samples = total;
	c->part = nb_malloc((samples ? samples : 1) * sizeof *c->part);
	if (!c->part)
		return -1;
	nb_rng_seed(&rng, seed);
	for (size_t k = 0; k < nwrt; k++)
		for (size_t e = 0; e < elements(p, wrt[k]); e++) {
			if (samples < total &&
			    (double)(total - seen++) * nb_rng_uniform(&rng) >=
			    (double)(samples - c->n))
				continue;
			c->part[c->n].var = wrt[k];
			c->part[c->n++].elem = e;
		}
	return 0;
}

int nb_check_init_sampled(struct nb_check *c, const struct nb_program *p,
			  const size_t *wrt, size_t nwrt, double tol,
			  double step, size_t samples, uint64_t seed)
{
	const struct nb_tape *t = &p->tape;
	int r;

	memset(c, 0, sizeof *c);
	c->tol = tol;
	c->step = step;
	c->nup = t->tv ? t->tv->size[p->output] : 1;
	c->up = nb_malloc((c->nup ? c->nup : 1) * sizeof *c->up);
	r = c->up ? pick(c, p, wrt, nwrt, samples, seed) : -1;
	if (r == 0)
		r = kink_init(c, p);
	if (r)
		nb_check_free(c);
	return r;
}

int nb_check_init(struct nb_check *c, const struct nb_program *p,
		  const size_t *wrt, size_t nwrt, double tol, double step)
{
	return nb_check_init_sampled(c, p, wrt, nwrt, tol, step, 0, 0);
}

void nb_check_free(struct nb_check *c)
{
	nb_free(c->part);
	nb_free(c->kinknode);
	nb_free(c->kinkelem);
	nb_free(c->branch);
	nb_free(c->up);
	memset(c, 0, sizeof *c);
}

/* The branch of kink node number k at the tape's current values. */
static double branch(const struct nb_check *c, const struct nb_tape *t,
		     size_t k)
{
	size_t i = c->kinknode[k], n = nb_tape_nin(t, i), e = c->kinkelem[k];

	if (t->tv) {
		n = nb_tsweep_gather(t, i, e, t->xbuf);
		return nb_kink_branch((enum nb_op)t->op[i], t->xbuf, n,
				      t->tv->val[t->tv->off[i] + e]);
	}
	for (size_t j = 0; j < n; j++)
		t->xbuf[j] = t->value[t->in[t->first[i] + j]];
	return nb_kink_branch((enum nb_op)t->op[i], t->xbuf, n, t->value[i]);
}

/* The first kink node whose branch differs from c->branch, or
 * UINT32_MAX. */
static uint32_t crossed(const struct nb_check *c, const struct nb_tape *t)
{
	for (size_t k = 0; k < c->nkink; k++)
		if (nb_kink_crossed((enum nb_op)t->op[c->kinknode[k]],
				    c->branch[k], branch(c, t, k)))
			return c->kinknode[k];
	return UINT32_MAX;
}

/* A bound on the rounding error of evaluating the output, to first
 * order: each node's result is rounded by at most DBL_EPSILON of its
 * value (libm's functions within an ulp), or by DBL_TRUE_MIN where it
 * underflows, an error that reaches the output multiplied by the
 * node's gradient. */
static double rounding_scale(const struct nb_tape *t)
{
	const struct nb_tvals *tv = t->tv;
	double s = 0;

	for (size_t i = 0; i < t->n; i++) {
		const double *v = tv ? nb_tvals_value(tv, i) : &t->value[i];
		const double *g = tv ? tv->grd + tv->off[i] : &t->grad[i];
		if (nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		for (size_t e = 0; e < node_size(t, i); e++)
			if (g[e] != 0)
				s += (DBL_EPSILON * fabs(v[e]) + DBL_TRUE_MIN) *
				     fabs(g[e]);
	}
	return s;
}

/* The central difference with one step, and what it may be off by. */
struct diff {
	double h;               /* half the distance x + h, x - h are apart */
	double numeric;
	double truncation;      /* |numeric - the difference with step 2h| */
	double rounding;        /* bound on numeric's rounding error */
	uint32_t kink;          /* a node crossed between x - 2h and x + 2h */
	int usable;
};

static double estimate(const struct diff *d)
{
	return d->truncation + d->rounding;
}

/* The point being checked: the input's node, where the sweep reads the
 * element's value and that value, the output's value there, the bound
 * on one evaluation's rounding error, and the first node that may hold
 * a perturbed value. */
struct point {
	size_t node;
	uint32_t index;         /* a node that reads it as an index, or
				 * UINT32_MAX */
	double *slot;
	double x, f, rounding;
	size_t stale;
};

/* The function checked at the tape's values: sum(upstream * output),
 * the upstream gradient 1 without --upstream. */
static double checked(const struct nb_check *c, const struct nb_program *p)
{
	const struct nb_tvals *tv = p->tape.tv;
	const double *v;
	double f = 0;

	if (!tv)
		return c->up[0] * p->tape.value[p->output];
	v = nb_tvals_value(tv, p->output);
	for (size_t e = 0; e < c->nup; e++)
		f += c->up[e] * v[e];
	return f;
}

/* Runs the forward sweep of a shaped tape: nan if it stops (an index
 * input perturbed off an integer). */
static int shaped_forward(struct nb_program *p)
{
	struct nb_tleaves leaves = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	struct nb_diag d;

	return nb_tsweep_forward(&p->tape, &leaves, p->seed, p->src.text, &d);
}

/* The function checked with the input at v. */
static double output_at(const struct nb_check *c, struct nb_program *p,
			struct point *at, double v)
{
	struct nb_tape *t = &p->tape;

	*at->slot = v;
	if (t->tv)
		return shaped_forward(p) ? NAN : checked(c, p);
	nb_forward(t, at->node < at->stale ? at->node : at->stale, t->n);
	at->stale = at->node;
	return checked(c, p);
}

/* The differences with steps h and 2h.  x +- h are rounded: the
 * quotient divides by the distance they really are apart, or the
 * rounding would bias it; their midpoint may still be off x by up to
 * DBL_EPSILON * (|x + h| + |x - h|) / 4, which moves the quotient by
 * that times f'' (x^2 at x = 1e-200, where x +- h round to +-h).
 *
 * The step is usable if no evaluation is infinite or nan, no kink lies
 * between, and f at the five points x, x +- h, x +- 2h is close to a
 * quadratic: the third and fourth differences, about 2 f''' h^3 and
 * f'''' h^4, are small beside the values, or within what the values'
 * rounding errors can add up to (6 and 16 times one's bound, the sums
 * of the coefficients).  Beyond that, f is not the polynomial that
 * Taylor's formula and the error estimate assume: a pole between the
 * points (1/x at x = 1e-200 with h = 6e-6), or a step larger than the
 * function's wiggles (sin(x) at x = 1e200). */
static void measure(struct nb_check *c, struct nb_program *p,
		    struct point *at, double h, struct diff *d)
{
	const double x[4] = { at->x + 2 * h, at->x + h, at->x - h,
			      at->x - 2 * h };
	double f[4], scale = fabs(at->f), wide, third, fourth, curve;

	d->kink = UINT32_MAX;
	for (size_t k = 0; k < 4; k++) {
		f[k] = output_at(c, p, at, x[k]);
		scale = fmax(scale, fabs(f[k]));
		if (k == 0)
			for (size_t j = 0; j < c->nkink; j++)
				c->branch[j] = branch(c, &p->tape, j);
		else if (d->kink == UINT32_MAX)
			d->kink = crossed(c, &p->tape);
	}
	/* an index off an integer stops the sweep: a jump */
	if (d->kink == UINT32_MAX && isnan(f[0] + f[1] + f[2] + f[3]))
		d->kink = at->index;
	d->h = (x[1] - x[2]) / 2;
	d->numeric = (f[1] - f[2]) / (x[1] - x[2]);
	wide = (f[0] - f[3]) / (x[0] - x[3]);
	d->truncation = fabs(d->numeric - wide);
	third = f[0] - 2 * f[1] + 2 * f[2] - f[3];
	fourth = f[0] - 4 * f[1] + 6 * at->f - 4 * f[2] + f[3];
	/* f'' h, and the midpoint's offset over h: their product does not
	 * overflow where f'' would (1/x^2 = 1e400 at x = 1e-200) */
	curve = fabs(f[1] - 2 * at->f + f[2]) / d->h;
	/* each evaluation is off by up to at->rounding: the difference
	 * by twice that, before the division by 2h */
	d->rounding = at->rounding / d->h + curve * (DBL_EPSILON / 4) *
		      ((fabs(x[1]) + fabs(x[2])) / d->h);
	d->usable = d->kink == UINT32_MAX && isfinite(d->numeric) &&
		    isfinite(wide) &&
		    fabs(third) <= TAYLOR * scale + 6 * at->rounding &&
		    fabs(fourth) <= TAYLOR * scale + 16 * at->rounding;
}

/* The usable difference with the smallest estimated error, down the
 * ladder of steps (only the one of --step if given); else the first,
 * with *kink the first node crossed.  The rounding bound grows as the
 * step shrinks: once it alone exceeds the best estimate, smaller steps
 * cannot do better. */
static void best_step(struct nb_check *c, struct nb_program *p,
		      struct point *at, struct diff *best, uint32_t *kink)
{
	double h = c->step > 0 ? c->step : nb_check_step(at->x);
	double last = c->step > 0 ? h : nb_check_min_step(at->x);
	struct diff d;

	measure(c, p, at, h, best);
	*kink = best->kink;
	while (h > last && !(best->usable && estimate(best) == 0)) {
		h = fmax(h * RUNG, last);
		if (best->usable && at->rounding / h > estimate(best))
			break;
		measure(c, p, at, h, &d);
		if (*kink == UINT32_MAX)
			*kink = d.kink;
		if (d.usable && (!best->usable || estimate(&d) < estimate(best)))
			*best = d;
	}
}

/* The verdict on pt with the difference d.  A partial that the
 * difference cannot tell from 0 is not ok for that: at x^3 - 3x at
 * x = 1 the partial is 0 and the difference h^2, and it cannot tell a
 * wrong 1e-11 either. */
static enum nb_verdict verdict(const struct nb_check *c,
			       const struct nb_partial *pt,
			       const struct diff *d)
{
	if (!d->usable)
		return pt->kink != UINT32_MAX ? NB_CHECK_KINK
		       : NB_CHECK_INACCURATE;
	if (pt->error <= c->tol)
		return NB_CHECK_OK;
	if (fabs(pt->analytic - pt->numeric) <= estimate(d))
		return NB_CHECK_INACCURATE;
	return NB_CHECK_FAIL;
}

/* The first node that reads node j as an index (indices are not
 * differentiated, and only integers index), or UINT32_MAX. */
static uint32_t index_user(const struct nb_tape *t, size_t j)
{
	for (size_t i = j + 1; t->tv && i < t->n; i++) {
		size_t first = t->first[i];
		for (size_t e = first; e < t->first[i + 1]; e++)
			if (t->in[e] == j &&
			    ((t->op[i] == NB_OP_INDEX && e > first) ||
			     (t->op[i] == NB_OP_ONEHOT && e == first)))
				return (uint32_t)i;
	}
	return UINT32_MAX;
}

static void check_one(struct nb_check *c, struct nb_program *p,
		      struct nb_partial *pt, struct point *at)
{
	struct nb_tape *t = &p->tape;
	struct diff d;

	if (at->node != p->vars[pt->var])
		at->index = index_user(t, p->vars[pt->var]);
	at->node = p->vars[pt->var];
	at->slot = p->tval && p->tval[pt->var].data
		   ? &p->tval[pt->var].data[pt->elem] : &t->value[at->node];
	at->x = *at->slot;
	best_step(c, p, at, &d, &pt->kink);
	*at->slot = at->x;
	pt->x = at->x;
	pt->step = d.h;
	pt->analytic = t->tv ? t->tv->grd[t->tv->off[at->node] + pt->elem]
		       : t->grad[at->node];
	pt->numeric = d.numeric;
	pt->truncation = d.truncation;
	pt->rounding = d.rounding;
	pt->error = nb_check_error(pt->analytic, pt->numeric);
	if (d.usable)
		pt->kink = UINT32_MAX;
	pt->verdict = verdict(c, pt, &d);
}

/* Puts the tape's values back as they were before the check; a shaped
 * tape's gradients were never touched (had_grad: they are there). */
static void repair(struct nb_program *p, const struct point *at,
		   int had_grad)
{
	struct nb_tvals *tv = p->tape.tv;

	if (!tv) {
		if (at->stale < p->tape.n)
			nb_forward(&p->tape, at->stale, p->tape.n);
		return;
	}
	shaped_forward(p);
	tv->has_grad = had_grad;
}

void nb_check_run(struct nb_check *c, struct nb_program *p)
{
	struct nb_tvals *tv = p->tape.tv;
	struct point at = { SIZE_MAX, UINT32_MAX, NULL, 0, 0,
			    rounding_scale(&p->tape), p->tape.n };
	int had_grad = tv && tv->has_grad;

	if (tv)
		memcpy(c->up, tv->grd + tv->off[p->output],
		       c->nup * sizeof *c->up);
	else
		c->up[0] = p->tape.grad[p->output];
	at.f = checked(c, p);

	c->nok = c->ninaccurate = c->nkinks = c->nfail = 0;
	c->maxerr = 0;
	for (size_t k = 0; k < c->n; k++) {
		struct nb_partial *pt = &c->part[k];

		check_one(c, p, pt, &at);
		c->nok += pt->verdict == NB_CHECK_OK;
		c->ninaccurate += pt->verdict == NB_CHECK_INACCURATE;
		c->nkinks += pt->verdict == NB_CHECK_KINK;
		c->nfail += pt->verdict == NB_CHECK_FAIL;
		/* A kink's error says nothing; a nan one stays. */
		if (pt->verdict != NB_CHECK_KINK &&
		    (isnan(pt->error) || pt->error > c->maxerr))
			c->maxerr = pt->error;
	}
	repair(p, &at, had_grad);
	c->verdict = c->nfail ? NB_CHECK_FAIL
		     : c->ninaccurate ? NB_CHECK_INACCURATE
		     : c->nkinks ? NB_CHECK_KINK : NB_CHECK_OK;
}

int nb_check_tol_parse(const char *s, double *tol)
{
	if (nb_read_number(s, strlen(s), tol) || !(*tol >= 0))
		return -1;
	return 0;
}

int nb_check_step_parse(const char *s, double *step)
{
	if (nb_read_number(s, strlen(s), step) || !(*step > 0) ||
	    isinf(*step))
		return -1;
	return 0;
}
