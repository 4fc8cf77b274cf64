/* ksum.h - compensated (Neumaier) summation.
 *
 * Batch mode's --sum adds up a value per row over millions of rows; a
 * plain running sum loses the low bits of every small addend once the
 * sum is large.  Neumaier's variant of Kahan summation carries what each
 * addition rounded away in c, whichever of the two addends is larger,
 * so the error stays near one rounding of the result whatever the
 * number of rows.  Partial sums (per block of rows) merge into a total
 * in a fixed order, so the result does not depend on threads. */
#ifndef NABLA_KSUM_H
#define NABLA_KSUM_H

#include <math.h>

struct nb_ksum {
	double s;       /* the running sum */
	double c;       /* what the additions rounded away */
};

static inline void nb_ksum_add(struct nb_ksum *k, double x)
{
	double t = k->s + x;

	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

/* Adds the partial sum part to k. */
static inline void nb_ksum_merge(struct nb_ksum *k, const struct nb_ksum *part)
{
	nb_ksum_add(k, part->s);
	k->c += part->c;
}

/* The sum; once it is infinite or nan, c is meaningless (inf - inf). */
static inline double nb_ksum_value(const struct nb_ksum *k)
{
	return isfinite(k->s) ? k->s + k->c : k->s;
}

#endif
