/* pow5.h - the powers of five that scale between binary and decimal.
 *
 * nb_pow5[q - NB_POW5_MIN] is 5^q times a power of two, truncated to
 * 128 bits with the top one set (high word first):
 *	5^q = (T + d) * 2^(nb_log2_pow5(q) - 127), 0 <= d < 1,
 * and d is 0 exactly when 0 <= q <= 55.  The range covers every scale
 * the number reader and the shortest formatter use. */
#ifndef NABLA_POW5_H
#define NABLA_POW5_H

#include <stdint.h>

#define NB_POW5_MIN (-343)
#define NB_POW5_MAX 340
#define NB_POW5_EXACT_MAX 55

extern const uint64_t nb_pow5[NB_POW5_MAX - NB_POW5_MIN + 1][2];

/* floor(log2 5^q) for q in the table's range: 1217359 / 2^19 is log2 5
 * closely enough there, and the offset keeps the shift off negative
 * numbers, whose right shift C leaves to the implementation. */
static inline int nb_log2_pow5(int q)
{
	return (int)(((long)q * 1217359 + 1000L * 524288) >> 19) - 1000;
}

/* floor(log10 2^e) for |e| <= 1650, the same way. */
static inline int nb_log10_pow2(int e)
{
	return (int)(((long)e * 78913 + 1000L * 262144) >> 18) - 1000;
}

#endif
