/* bits64.h - wide integer helpers for the number conversions.
 *
 * A 192-bit number is three words, high first; bit 0 is the lowest bit
 * of the last word.  C11 has no 128-bit integer: gcc and clang have
 * unsigned __int128 on 64-bit targets (__extension__ keeps -pedantic
 * quiet), and elsewhere the product is put together from 32-bit halves. */
#ifndef NABLA_BITS64_H
#define NABLA_BITS64_H

#include <stdint.h>

/* Returns the high word of a * b and stores the low one in *lo. */
static inline uint64_t nb_mul64(uint64_t a, uint64_t b, uint64_t *lo)
{
#ifdef __SIZEOF_INT128__
	__extension__ typedef unsigned __int128 u128;
	u128 p = (u128)a * b;

	*lo = (uint64_t)p;
	return (uint64_t)(p >> 64);
#else
	uint64_t al = a & 0xffffffffu, ah = a >> 32;
	uint64_t bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);

	*lo = (mid << 32) | (ll & 0xffffffffu);
	return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
#endif
}

/* p = m * t, t being 128 bits (high word first). */
static inline void nb_mul64x128(uint64_t m, const uint64_t t[2],
				uint64_t p[3])
{
	uint64_t lo_hi = nb_mul64(m, t[1], &p[2]);
	uint64_t hi_lo, hi_hi = nb_mul64(m, t[0], &hi_lo);

	p[1] = hi_lo + lo_hi;
	p[0] = hi_hi + (p[1] < lo_hi);
}

/* Leading zero bits of x, which is not 0. */
static inline int nb_clz64(uint64_t x)
{
#ifdef __GNUC__
	return __builtin_clzll(x);
#else
	int n = 0;

	for (; !(x >> 63); x <<= 1)
		n++;
	return n;
#endif
}

/* y += a, a 64-bit number shifted left by 64 * word (0 to 2). */
static inline void nb_add192(uint64_t y[3], uint64_t a, int word)
{
	int i = 2 - word;
	uint64_t old = y[i];

	y[i] += a;
	for (; y[i] < old && i > 0; i--) {
		old = y[i - 1];
		y[i - 1]++;
	}
}

/* The 64 bits of y from bit pos up (pos <= 192, beyond the top: 0). */
static inline uint64_t nb_bits_at(const uint64_t y[3], int pos)
{
	int i = 2 - pos / 64, k = pos % 64;
	uint64_t lo = i >= 0 ? y[i] >> k : 0;

	if (k && i > 0)
		lo |= y[i - 1] << (64 - k);
	return lo;
}

/* Whether every bit of y below bit pos (0 <= pos <= 192) is 0.  No
 * early exit: the answer is random, so branches on it would mispredict. */
static inline int nb_low_zero(const uint64_t y[3], int pos)
{
	uint64_t any = 0;

	for (int i = 2; i >= 0; i--, pos -= 64)
		any |= pos >= 64 ? y[i] : pos > 0 ? y[i] << (64 - pos) : 0;
	return !any;
}

#endif
