/* dtoa.c - shortest round-trip digits of a double, exactly.
 *
 * With v = m * 2^e, every number that reads back as v lies in v's
 * rounding interval, whose ends are halfway to the neighbouring
 * doubles; both ends belong to it when m is even (ties go to even).
 * Scaled by 10^-q to 17 or 18 integer digits, v and the two ends are
 * known by their integer parts and where their fractions lie (0, below
 * 1/2, 1/2, above), which settles both printf's rounding at any
 * precision and whether that rounding stays in the interval.
 *
 * The scaling multiplies by a 128-bit power of five (pow5.h): the error
 * is under 2^-70 of a unit, so the integer part and the fraction's
 * class are certain unless the product lies that close to a multiple
 * of 1/2; then bignum.c decides exactly. */
#include "num/dtoa.h"

#include <string.h>

#include "num/bignum.h"
#include "num/bits64.h"
#include "num/pow5.h"

/* In the order of frac_class's arithmetic. */
enum frac { FRAC_ZERO, FRAC_LOW, FRAC_HALF, FRAC_HIGH };

struct scaled {
	uint64_t floor;
	enum frac frac;
};

static const uint64_t pow10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000, 10000000000, 100000000000, 1000000000000,
	10000000000000, 100000000000000, 1000000000000000,
	10000000000000000, 100000000000000000, 1000000000000000000
};

/* x / 10^j: the cases normal doubles take divide by constants, which
 * compilers turn into multiplications. */
static uint64_t div_pow10(uint64_t x, int j)
{
	switch (j) {
	case 0:
		return x;
	case 1:
		return x / 10;
	case 2:
		return x / 100;
	case 3:
		return x / 1000;
	default:
		return x / pow10[j];
	}
}

/* The class of a fraction given by its first bit and whether any other
 * is set; without branches, which would mispredict half the time. */
static enum frac frac_class(int half, int rest)
{
	return (enum frac)(2 * half + rest);
}

/* x = k/2 exactly, or just above or below it (sign cmp). */
static struct scaled near_half(uint64_t k, int cmp)
{
	if (cmp < 0)
		return (struct scaled){ (k - 1) >> 1,
					(k - 1) & 1 ? FRAC_HIGH : FRAC_LOW };
	if (cmp == 0)
		return (struct scaled){ k >> 1, k & 1 ? FRAC_HALF : FRAC_ZERO };
	return (struct scaled){ k >> 1, k & 1 ? FRAC_HIGH : FRAC_LOW };
}

/* M * 2^e2 / 10^q, for M < 2^56 and 10^-q * 2^e2 * M in [10^15, 10^18). */
static struct scaled scale(uint64_t M, int e2, int q)
{
	/* X = M (T + d) 2^-sh with 0 <= d < 1: the product P = M T is X
	 * to within M units of 2^-sh, and sh lies in [70, 140]. */
	int sh = 127 - nb_log2_pow5(-q) - e2 + q;
	uint64_t p[3], u[3];
	struct nb_big a, b;
	uint64_t k;

	nb_mul64x128(M, nb_pow5[-q - NB_POW5_MIN], p);
	if (-q >= 0 && -q <= NB_POW5_EXACT_MAX)
		return (struct scaled){ nb_bits_at(p, sh),
					frac_class((int)(nb_bits_at(p, sh - 1) & 1),
						   !nb_low_zero(p, sh - 1)) };
	/* X lies strictly between P and P + M: certain when both are in
	 * the same half unit. */
	memcpy(u, p, sizeof u);
	nb_add192(u, M, 0);
	k = nb_bits_at(u, sh - 1);
	if (nb_bits_at(p, sh - 1) == k)
		return (struct scaled){ k >> 1, k & 1 ? FRAC_HIGH : FRAC_LOW };
	/* Within 2^-70 of k/2: compare M 2^(e2 + 1) with k 10^q. */
	nb_big_set(&a, M);
	nb_big_set(&b, k);
	return near_half(k, nb_big_cmp_scaled(&a, e2 + 1 - q, -q, &b));
}

/* x rounded to a multiple of 10^j, half to even as printf rounds, in
 * units of 10^j. */
static uint64_t round_at(const struct scaled *x, int j)
{
	uint64_t c = div_pow10(x->floor, j), half = pow10[j] / 2;
	uint64_t r = x->floor - c * pow10[j];
	int up;

	/* At j = 0 the fraction decides alone. */
	if (j == 0)
		up = x->frac == FRAC_HIGH || (x->frac == FRAC_HALF && c & 1);
	else
		up = r > half || (r == half && (x->frac != FRAC_ZERO || c & 1));
	return c + (uint64_t)up;
}

/* 2^e2 10^-q as a double: 5^-q's top word times a power of two made
 * from its bits, as scale's shift is in [70, 140]. */
static double unit(int e2, int q)
{
	int sh = 127 - nb_log2_pow5(-q) - e2 + q;
	uint64_t bits = (uint64_t)(1023 + 64 - sh) << 52;
	double two;

	memcpy(&two, &bits, sizeof two);
	return (double)nb_pow5[-q - NB_POW5_MIN][0] * two;
}

/* v = m 2^e and what is known of its rounding interval, scaled by
 * 10^-q: v as x; in units of 2^(e - 2), v is 4m and the ends are 4m + 2
 * and 4m - below, computed (lo, hi) only when needed. */
struct interval {
	uint64_t m;
	int e, q, below, ends;
	double u;               /* 2^(e - 2) 10^-q, to 2^-52 */
	struct scaled x, lo, hi;
};

/* Whether c (units of 10^-q) is in the interval, with its ends when m
 * is even.  The gaps to the ends are below u and 2u, and u is known to
 * 2^-52 (it is at most 16): that settles all but the c near an end,
 * which the ends computed exactly settle. */
static int reads_back(struct interval *iv, uint64_t c)
{
	int closed = !(iv->m & 1);
	double u = iv->u;
	/* c - x lies in (d - 1, d]; exact, as c and x are near each other.
	 * The difference wraps to its signed value as gcc and clang define
	 * the conversion: a branch on its sign would mispredict half the
	 * time, as would one on each test below, so they are combined. */
	double d = (double)(int64_t)(c - iv->x.floor);
	int in = (d < 2 * u - 1e-6) & (1 - d < iv->below * u - 1e-6);
	int out = (d - 1 > 2 * u + 1e-6) | (-d > iv->below * u + 1e-6);

	if (in | out)
		return in;
	if (!iv->ends) {
		iv->hi = scale(4 * iv->m + 2, iv->e - 2, iv->q);
		iv->lo = scale(4 * iv->m - (uint64_t)iv->below, iv->e - 2,
			       iv->q);
		iv->ends = 1;
	}
	return (c > iv->lo.floor || (c == iv->lo.floor &&
				     iv->lo.frac == FRAC_ZERO && closed)) &&
	       (c < iv->hi.floor || (c == iv->hi.floor &&
				     (iv->hi.frac != FRAC_ZERO || closed)));
}

void nb_dtoa(double v, struct nb_decimal *d)
{
	struct interval iv = { 0 };
	uint64_t bits, c;
	int biased, p, len, j;

	memcpy(&bits, &v, sizeof bits);
	biased = (int)(bits >> 52 & 0x7ff);
	iv.m = bits & (((uint64_t)1 << 52) - 1);
	/* Below the smallest normal the spacing is that of DBL_MIN; at a
	 * power of two the double below is half as far as the one above. */
	iv.e = biased ? biased - 1075 : -1074;
	iv.below = biased > 1 && !iv.m ? 1 : 2;
	if (biased)
		iv.m |= (uint64_t)1 << 52;
	/* q gives v 17 or 18 digits before the point. */
	iv.q = nb_log10_pow2(iv.e + 63 - nb_clz64(iv.m)) - 16;
	iv.x = scale(4 * iv.m, iv.e - 2, iv.q);
	iv.u = unit(iv.e - 2, iv.q);
	len = iv.x.floor >= pow10[17] ? 18 : 17;
	/* printf's rounding to p digits until it reads back; 17 digits
	 * always do. */
	for (p = biased ? 15 : 1;; p++) {
		j = len - p;
		c = round_at(&iv.x, j);
		if (reads_back(&iv, c * pow10[j]))
			break;
	}
	for (; c % 10 == 0; c /= 10)
		j++;
	d->digits = c;
	/* Rounding up may have carried into one more digit: 10^p became 1. */
	d->ndigits = len - j + (c >= pow10[len - j]);
	d->exp = iv.q + j;
	d->prec = p;
}
