/* bignum.h - exact comparisons for the conversions 128 bits cannot settle.
 *
 * The number reader and the shortest formatter work with 128-bit
 * approximations of powers of ten, which decide all but a vanishing
 * share of cases: a value within the approximation's error of a
 * rounding boundary.  Those come here, to be compared exactly. */
#ifndef NABLA_BIGNUM_H
#define NABLA_BIGNUM_H

#include <stddef.h>
#include <stdint.h>

/* Room for every comparison the conversions make: 800 decimal digits
 * scaled to the smallest subnormal's halfway point is under 2720 bits. */
#define NB_BIG_WORDS 96

/* A natural number, little-endian 32-bit words. */
struct nb_big {
	size_t n;               /* words in use; the top one is not 0 */
	uint32_t w[NB_BIG_WORDS];
};

void nb_big_set(struct nb_big *b, uint64_t v);

/* b = b * m + add. */
void nb_big_muladd(struct nb_big *b, uint32_t m, uint32_t add);

/* The sign (-1, 0, 1) of a * 2^e2 * 5^e5 - b; changes a and b. */
int nb_big_cmp_scaled(struct nb_big *a, int e2, int e5, struct nb_big *b);

#endif
