/* gradcheck.c - partials by central differences, kinks, relative errors.
 *
 * Each input costs two forward sweeps, from its own node on: nothing
 * before it depends on it.  Those sweeps leave the later nodes holding
 * values of a perturbed point; the next input's first sweep starts low
 * enough to repair them, and one last sweep repairs the rest. */
#include "modes/gradcheck.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/kink.h"
#include "core/sweep.h"
#include "num/numfmt.h"

const char *nb_verdict_name(enum nb_verdict v)
{
	static const char *const names[] = { "ok", "kink", "rounding", "fail" };

	return names[v];
}

double nb_check_step(double x)
{
	return cbrt(DBL_EPSILON) * fmax(1, fabs(x));
}

double nb_check_error(double a, double n, double zero)
{
	double big = fmax(fabs(a), fabs(n));

	if (isnan(a) || isnan(n))
		return NAN;
	if (a == n || big <= zero)
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

int nb_check_init(struct nb_check *c, const struct nb_program *p,
		  const size_t *wrt, size_t nwrt, double tol)
{
	const struct nb_tape *t = &p->tape;
	unsigned char *dep = nb_malloc(t->n);
	size_t nkink = 0;

	memset(c, 0, sizeof *c);
	c->tol = tol;
	c->n = nwrt;
	if (!dep)
		return -1;
	mark_dependencies(p, dep);
	for (size_t i = 0; i < t->n; i++)
		nkink += dep[i] && nb_kink_capable((enum nb_op)t->op[i]);
	c->part = nb_malloc((nwrt ? nwrt : 1) * sizeof *c->part);
	c->kinknode = nb_malloc((nkink ? nkink : 1) * sizeof *c->kinknode);
	c->branch = nb_malloc((nkink ? nkink : 1) * sizeof *c->branch);
	if (!c->part || !c->kinknode || !c->branch) {
		nb_free(dep);
		nb_check_free(c);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++)
		if (dep[i] && nb_kink_capable((enum nb_op)t->op[i]))
			c->kinknode[c->nkink++] = (uint32_t)i;
	for (size_t k = 0; k < nwrt; k++)
		c->part[k].var = wrt[k];
	nb_free(dep);
	return 0;
}

void nb_check_free(struct nb_check *c)
{
	nb_free(c->part);
	nb_free(c->kinknode);
	nb_free(c->branch);
	memset(c, 0, sizeof *c);
}

/* The branch of kink node number k at the tape's current values. */
static double branch(const struct nb_check *c, const struct nb_tape *t,
		     size_t k)
{
	size_t i = c->kinknode[k], n = nb_tape_nin(t, i);

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
 * value (libm's functions within an ulp), an error that reaches the
 * output multiplied by the node's gradient. */
static double rounding_scale(const struct nb_tape *t)
{
	double s = 0;

	for (size_t i = 0; i < t->n; i++)
		if (nb_ops[t->op[i]].kind != NB_LEAF && t->grad[i] != 0)
			s += fabs(t->value[i] * t->grad[i]);
	return DBL_EPSILON * s;
}

/* Fills pt; *stale is the first node that may hold a perturbed value. */
static void check_one(struct nb_check *c, struct nb_program *p,
		      struct nb_partial *pt, double rounding, size_t *stale)
{
	struct nb_tape *t = &p->tape;
	size_t node = p->vars[pt->var];
	double x = t->value[node], h = nb_check_step(x);
	double xp = x + h, xm = x - h, fp;

	/* x + h and x - h are rounded: divide by the step they really
	 * are apart, or the rounding biases the quotient. */
	pt->x = x;
	pt->step = xp - xm;
	pt->analytic = t->grad[node];
	t->value[node] = xp;
	nb_forward(t, node < *stale ? node : *stale, t->n);
	fp = t->value[p->output];
	for (size_t k = 0; k < c->nkink; k++)
		c->branch[k] = branch(c, t, k);
	t->value[node] = xm;
	nb_forward(t, node, t->n);
	pt->numeric = (fp - t->value[p->output]) / pt->step;
	pt->kink = crossed(c, t);
	t->value[node] = x;
	*stale = node;
	/* Each evaluation is off by up to rounding: their difference by
	 * twice that, before the division by the step.  A partial the
	 * analytic one is closer to than that is all the difference can
	 * resolve: a larger error is the difference's, not reverse mode's
	 * (tanh(x) at x = 12: the values differ in their last digits). */
	pt->rounding = 2 * rounding / pt->step;
	pt->error = nb_check_error(pt->analytic, pt->numeric, pt->rounding);
	if (pt->kink != UINT32_MAX)
		pt->verdict = NB_CHECK_KINK;
	else if (pt->error <= c->tol)
		pt->verdict = NB_CHECK_OK;
	else if (fabs(pt->analytic - pt->numeric) <= pt->rounding)
		pt->verdict = NB_CHECK_ROUNDING;
	else
		pt->verdict = NB_CHECK_FAIL;
}

void nb_check_run(struct nb_check *c, struct nb_program *p)
{
	double rounding = rounding_scale(&p->tape);
	size_t stale = p->tape.n;

	c->nok = c->nrounding = c->nkinks = c->nfail = 0;
	c->maxerr = 0;
	for (size_t k = 0; k < c->n; k++) {
		struct nb_partial *pt = &c->part[k];

		check_one(c, p, pt, rounding, &stale);
		c->nok += pt->verdict == NB_CHECK_OK;
		c->nrounding += pt->verdict == NB_CHECK_ROUNDING;
		c->nkinks += pt->verdict == NB_CHECK_KINK;
		c->nfail += pt->verdict == NB_CHECK_FAIL;
		/* A kink's error says nothing; a nan one stays. */
		if (pt->verdict != NB_CHECK_KINK &&
		    (isnan(pt->error) || pt->error > c->maxerr))
			c->maxerr = pt->error;
	}
	if (stale < p->tape.n)
		nb_forward(&p->tape, stale, p->tape.n);
	c->verdict = c->nfail ? NB_CHECK_FAIL
		     : c->nrounding ? NB_CHECK_ROUNDING
		     : c->nkinks ? NB_CHECK_KINK : NB_CHECK_OK;
}

int nb_check_tol_parse(const char *s, double *tol)
{
	if (nb_read_number(s, strlen(s), tol) || !(*tol >= 0))
		return -1;
	return 0;
}
