/* bignum.c - just enough arbitrary precision to compare two numbers.
 *
 * Sizes are fixed (NB_BIG_WORDS): the callers' ranges bound them, and
 * the slow path of a number conversion must not allocate. */
#include "num/bignum.h"

void nb_big_set(struct nb_big *b, uint64_t v)
{
	b->n = 0;
	for (; v; v >>= 32)
		b->w[b->n++] = (uint32_t)v;
}

void nb_big_muladd(struct nb_big *b, uint32_t m, uint32_t add)
{
	uint64_t carry = add;

	for (size_t i = 0; i < b->n; i++) {
		uint64_t t = (uint64_t)b->w[i] * m + carry;
		b->w[i] = (uint32_t)t;
		carry = t >> 32;
	}
	/* Never full within the callers' bounds; the check only keeps a
	 * mistake there from writing past the array. */
	if (carry && b->n < NB_BIG_WORDS)
		b->w[b->n++] = (uint32_t)carry;
}

static void mul_pow5(struct nb_big *b, int k)
{
	/* 5^13 is the largest power of five in 32 bits. */
	for (; k >= 13; k -= 13)
		nb_big_muladd(b, 1220703125u, 0);
	if (k > 0) {
		uint32_t m = 1;
		while (k-- > 0)
			m *= 5;
		nb_big_muladd(b, m, 0);
	}
}

static void shift_left(struct nb_big *b, int k)
{
	size_t words = (size_t)k / 32, i;
	int bits = k % 32;

	if (!b->n)
		return;
	if (b->n + words + 1 > NB_BIG_WORDS)     /* as in nb_big_muladd */
		words = NB_BIG_WORDS - b->n - 1;
	b->w[b->n + words] = 0;
	for (i = b->n; i-- > 0;) {
		uint64_t t = (uint64_t)b->w[i] << bits;
		b->w[i + words + 1] |= (uint32_t)(t >> 32);
		b->w[i + words] = (uint32_t)t;
	}
	for (i = 0; i < words; i++)
		b->w[i] = 0;
	b->n += words + 1;
	if (!b->w[b->n - 1])
		b->n--;
}

static int compare(const struct nb_big *a, const struct nb_big *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = a->n; i-- > 0;)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

int nb_big_cmp_scaled(struct nb_big *a, int e2, int e5, struct nb_big *b)
{
	/* A factor with a negative exponent moves to the other side. */
	mul_pow5(e5 >= 0 ? a : b, e5 >= 0 ? e5 : -e5);
	shift_left(e2 >= 0 ? a : b, e2 >= 0 ? e2 : -e2);
	return compare(a, b);
}
