/* gradcheck.h - reverse mode checked against central differences
 * (--check, :check, --batch --check).
 *
 * For each reported input x (each element of a tensor input), the
 * program is evaluated at x +- h and x +- 2h, all else fixed, for a ladder of steps h; the central
 * difference with the smallest estimated error (truncation from the
 * step 2h, rounding from a bound) is compared with reverse mode's
 * partial.  The steps, the error model and the verdicts are in the
 * manual's section GRADIENT CHECK.
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
/* The most elements checked without --check-samples. */
#define NB_CHECK_MAX_ELEMENTS 10000

/* A partial's verdict.  Only FAIL is a failure (exit status 1): the
 * gradient is wrong.  INACCURATE says the difference cannot tell here. */
enum nb_verdict {
	NB_CHECK_OK,            /* relative error within the tolerance */
	NB_CHECK_KINK,          /* every difference straddles a kink or jump */
	NB_CHECK_INACCURATE,    /* above the tolerance, but |a - n| is within
				 * the difference's estimated error, or no
				 * step gave a usable difference */
	NB_CHECK_FAIL           /* above the tolerance and the estimate, or
				 * not a number */
};

/* One partial derivative, compared. */
struct nb_partial {
	size_t var;             /* index into p->vars */
	size_t elem;            /* the element of a tensor input (0: a
				 * scalar's), row-major */
	double x;               /* the input's value */
	double step;            /* h, as rounded: ((x + h) - (x - h)) / 2 */
	double analytic;        /* reverse mode */
	double numeric;         /* the central difference */
	double error;           /* relative error; nan if either is nan */
	double truncation;      /* estimate of the numeric's truncation error */
	double rounding;        /* bound on the numeric's rounding error */
	enum nb_verdict verdict;
	uint32_t kink;          /* NB_CHECK_KINK: a node that crossed */
};

struct nb_check {
	double tol;
	double step;            /* --step, or 0: the ladder */
	struct nb_partial *part;        /* one per reported input */
	size_t n;
	uint32_t *kinknode;     /* the nodes that may have kinks, */
	size_t *kinkelem;       /* one entry per element on a shaped tape */
	double *branch;         /* their branches at x + h */
	size_t nkink;
	/* The output is weighted by the upstream gradient (1 without
	 * --upstream): the function checked is sum(upstream * output). */
	double *up;
	size_t nup;
	/* Of the last nb_check_run: */
	size_t nok, ninaccurate, nkinks, nfail;
	double maxerr;          /* largest error (nan if one is nan) */
	enum nb_verdict verdict;        /* the worst */
};

/* Prepares c to check the nwrt inputs wrt (indices into p->vars) of p
 * with tolerance tol and the step of --step (0 for the ladder).
 * Returns 0, or -1 when out of memory. */
int nb_check_init(struct nb_check *c, const struct nb_program *p,
		  const size_t *wrt, size_t nwrt, double tol, double step);

/* nb_check_init, for a program whose sweeps have run, on every element
 * of the inputs wrt (a scalar is one), or on samples of them (0: all)
 * picked uniformly without replacement by the random numbers of seed,
 * in the order of the inputs and of their elements.  Returns 0, or -1
 * when out of memory. */
int nb_check_init_sampled(struct nb_check *c, const struct nb_program *p,
			  const size_t *wrt, size_t nwrt, double tol,
			  double step, size_t samples, uint64_t seed);

/* The number of elements of the inputs wrt of p (a scalar is one): the
 * front ends refuse more than NB_CHECK_MAX_ELEMENTS without
 * --check-samples. */
size_t nb_check_total(const struct nb_program *p, const size_t *wrt,
		      size_t nwrt);

void nb_check_free(struct nb_check *c);

/* Checks every partial of p, whose sweeps have run at the point.  The
 * tape's values are as they were afterwards. */
void nb_check_run(struct nb_check *c, struct nb_program *p);

/* Reads a --tol argument, a number >= 0; returns 0, or -1 if s is
 * not one. */
int nb_check_tol_parse(const char *s, double *tol);

/* Reads a --step argument, a finite number > 0; returns 0, or -1. */
int nb_check_step_parse(const char *s, double *step);

/* The largest and the smallest step of the ladder for an input of
 * value x: cbrt(DBL_EPSILON) * max(1, |x|) and
 * cbrt(DBL_EPSILON) * 2^-20 * max(|x|, DBL_MIN / DBL_EPSILON). */
double nb_check_step(double x);
double nb_check_min_step(double x);

/* |a - n| / max(|a|, |n|), or 0 when they are equal; 1 when one is
 * infinite and they differ; nan if either is. */
double nb_check_error(double a, double n);

/* "ok", "kink", "inaccurate" or "fail". */
const char *nb_verdict_name(enum nb_verdict v);

#endif
