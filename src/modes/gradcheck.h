/* gradcheck.h - reverse mode checked against central differences
 * (--check, :check, --batch --check).
 *
 * For each reported input x, the program is evaluated at x + h and
 * x - h, all else fixed, and the quotient of the difference of the
 * output by the step actually taken is compared with reverse mode's
 * partial.  Step: h = cbrt(DBL_EPSILON) * max(1, |x|); why, and the
 * rules below, are in the manual's section on --check.
 *
 * The check keeps its own scratch arrays (never per-node state in the
 * tape) and allocates nothing after nb_check_init, so batch mode checks
 * every row at no cost in memory. */
#ifndef NABLA_GRADCHECK_H
#define NABLA_GRADCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"

#define NB_CHECK_TOL 1e-6       /* the default --tol */

/* A partial's verdict.  ROUNDING and FAIL are failures (exit status 1):
 * SPEC section 6 fails every error above the tolerance but a kink's. */
enum nb_verdict {
	NB_CHECK_OK,            /* relative error within the tolerance */
	NB_CHECK_KINK,          /* the difference straddles a kink or jump */
	NB_CHECK_ROUNDING,      /* above the tolerance, but |a - n| is within
				 * the bound on the difference's rounding
				 * error */
	NB_CHECK_FAIL           /* above the tolerance, or not a number */
};

/* One partial derivative, compared. */
struct nb_partial {
	size_t var;             /* index into p->vars */
	double x;               /* the input's value */
	double step;            /* (x + h) - (x - h) */
	double analytic;        /* reverse mode */
	double numeric;         /* the central difference */
	double error;           /* relative error; nan if either is nan */
	double rounding;        /* bound on the numeric's rounding error */
	enum nb_verdict verdict;
	uint32_t kink;          /* NB_CHECK_KINK: a node that crossed */
};

struct nb_check {
	double tol;
	struct nb_partial *part;        /* one per reported input */
	size_t n;
	uint32_t *kinknode;     /* the nodes that may have kinks */
	double *branch;         /* their branches at x + h */
	size_t nkink;
	/* Of the last nb_check_run: */
	size_t nok, nrounding, nkinks, nfail;
	double maxerr;          /* largest error (nan if one is nan) */
	enum nb_verdict verdict;        /* the worst */
};

/* Prepares c to check the nwrt inputs wrt (indices into p->vars) of p
 * with tolerance tol.  Returns 0, or -1 when out of memory. */
int nb_check_init(struct nb_check *c, const struct nb_program *p,
		  const size_t *wrt, size_t nwrt, double tol);
void nb_check_free(struct nb_check *c);

/* Checks every partial of p, whose sweeps have run at the point.  The
 * tape's values are as they were afterwards. */
void nb_check_run(struct nb_check *c, struct nb_program *p);

/* Reads a --tol argument, a number >= 0; returns 0, or -1 if s is
 * not one. */
int nb_check_tol_parse(const char *s, double *tol);

/* The step h for an input of value x. */
double nb_check_step(double x);

/* |a - n| / max(|a|, |n|), or 0 when both are within zero of 0 (the
 * difference cannot tell them from 0) or equal; 1 when one is infinite
 * and they differ; nan if either is. */
double nb_check_error(double a, double n, double zero);

/* "ok", "rounding", "kink" or "fail". */
const char *nb_verdict_name(enum nb_verdict v);

#endif
