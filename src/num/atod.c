/* atod.c - decimal to double: 128-bit scaling, exact when in doubt.
 *
 * The first 19 significant digits w and the decimal exponent q give
 * x = w 10^q = w 5^q 2^q.  Multiplying w by the 128-bit truncation of
 * 5^q (pow5.h) gives x to within a relative 2^-63, or 2^-59 when digits
 * beyond the 19th were dropped; rounding both ends of that range to a
 * double almost always gives the same double, which is then the answer.
 * When the ends differ, x lies near the halfway point between two
 * doubles, and the whole digit string is compared with it exactly
 * (bignum.c).  A halfway point has at most 768 significant digits, so
 * 800 digits and whether any after them is nonzero settle it. */
#include "num/atod.h"

#include <stdint.h>
#include <string.h>

#include "num/bignum.h"
#include "num/bits64.h"
#include "num/pow5.h"

#define FAST_DIGITS 19
#define EXACT_DIGITS 800
/* Where a written exponent stops growing: far beyond any the digits
 * could offset, and far enough below INT64_MAX to add digit counts. */
#define EXP_LIMIT 100000000000000000

/* A decimal as written: its digits are those of the integer part then
 * those of the fraction, the value digits * 10^(exp - nfrac).  Reading
 * it also keeps the first FAST_DIGITS significant digits as w, and
 * counts those after them (dropped), noting whether any is nonzero. */
struct decimal {
	const char *ip, *fp;
	size_t nint, nfrac;
	int64_t exp;
	int neg;
	uint64_t w;
	int nw;
	int64_t dropped;
	int sticky;
};

/* Eight bytes as one word, the first in the low byte whatever the byte
 * order (compilers make this one load where that is native). */
static uint64_t load8(const char *s)
{
	const unsigned char *b = (const unsigned char *)s;

	return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
	       (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 |
	       (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 |
	       (uint64_t)b[7] << 56;
}

/* If the eight bytes at s are all digits, their value in *v and the
 * number of leading zeros in *lz, else -1: number fields are mostly
 * runs of digits, and eight at a time is several times faster. */
static int eight_digits(const char *s, uint64_t *v, int *lz)
{
	const uint64_t ones = 0x0101010101010101u;
	uint64_t x = load8(s), d = x - 0x30 * ones;

	/* Every byte in '0'..'9': its high nibble is 3 and adding 6 does
	 * not carry into it. */
	if (((x & 0xF0 * ones) | ((x + 6 * ones) & 0xF0 * ones) >> 4) !=
	    0x33 * ones)
		return -1;
	for (*lz = 0; *lz < 8 && !(d >> 8 * *lz & 0xff); ++*lz)
		;
	/* Pairs, then groups of four, then all eight, each by one multiply. */
	d = d * 10 + (d >> 8);
	d = ((d & 0x000000FF000000FFu) * (100 + (1000000ull << 32)) +
	     ((d >> 16) & 0x000000FF000000FFu) * (1 + (10000ull << 32))) >> 32;
	*v = d;
	return 0;
}

/* Takes the digits from s[i] on into d's w; returns the index after.
 * Locals, not d's fields, in the loops: a store through d could change
 * the bytes at s as far as the compiler knows, forcing reloads. */
static size_t take_digits(const char *s, size_t i, size_t len,
			  struct decimal *d)
{
	uint64_t w = d->w;
	int nw = d->nw, sticky = 0;
	size_t from;
	uint64_t v;
	int lz;

	for (; i + 8 <= len && nw + 8 <= FAST_DIGITS &&
	       !eight_digits(s + i, &v, &lz); i += 8) {
		nw += w ? 8 : 8 - lz;
		w = w * 100000000 + v;
	}
	for (; i < len && nw < FAST_DIGITS; i++) {
		unsigned c = (unsigned)(unsigned char)s[i] - '0';
		if (c > 9)
			break;
		w = w * 10 + c;
		nw += w != 0;
	}
	for (from = i; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		sticky |= s[i] != '0';
	d->w = w;
	d->nw = nw;
	d->dropped += (int64_t)(i - from);
	d->sticky |= sticky;
	return i;
}

static int parse(const char *s, size_t len, struct decimal *d)
{
	size_t i = 0, end;
	int eneg;

	d->neg = len && s[0] == '-';
	if (len && (s[0] == '+' || s[0] == '-'))
		i++;
	d->w = 0;
	d->nw = 0;
	d->dropped = 0;
	d->sticky = 0;
	d->ip = s + i;
	end = take_digits(s, i, len, d);
	d->nint = end - i;
	i = end;
	d->fp = s + i;
	d->nfrac = 0;
	if (i < len && s[i] == '.') {
		d->fp = s + i + 1;
		end = take_digits(s, i + 1, len, d);
		d->nfrac = end - i - 1;
		i = end;
	}
	if (!d->nint && !d->nfrac)
		return -1;
	d->exp = 0;
	if (i == len)
		return 0;
	if (s[i] != 'e' && s[i] != 'E')
		return -1;
	i++;
	eneg = i < len && s[i] == '-';
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i == len || s[i] < '0' || s[i] > '9')
		return -1;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		if (d->exp < EXP_LIMIT)
			d->exp = d->exp * 10 + (s[i] - '0');
	if (eneg)
		d->exp = -d->exp;
	return i == len ? 0 : -1;
}

static int digit(const struct decimal *d, size_t i)
{
	return (i < d->nint ? d->ip[i] : d->fp[i - d->nint]) - '0';
}

/* The index of the first significant digit (the count if none is). */
static size_t first_significant(const struct decimal *d)
{
	size_t i = 0, n = d->nint + d->nfrac;

	while (i < n && digit(d, i) == 0)
		i++;
	return i;
}

/* The digits from i up to at most max of them; *dropped counts those
 * after, *sticky says whether any of them is nonzero. */
static size_t digit_span(const struct decimal *d, size_t i, size_t max,
			 int64_t *dropped, int *sticky)
{
	size_t n = d->nint + d->nfrac, end = n - i > max ? i + max : n;

	*dropped = (int64_t)(n - end);
	*sticky = 0;
	for (size_t k = end; k < n && !*sticky; k++)
		*sticky = digit(d, k) != 0;
	return end;
}

/* The double nearest y 2^s, y being 192 bits with one of its top two
 * set, as IEEE 754 bits; *drop is the position of the lowest bit kept. */
static uint64_t round_bits(const uint64_t y[3], int s, int *drop)
{
	int top = 191 - nb_clz64(y[0]), e = top + s;
	uint64_t m;

	/* 53 bits, or fewer where the subnormals' fixed spacing starts. */
	*drop = e >= -1022 ? top - 52 : -1074 - s;
	if (e > 1023)
		return (uint64_t)0x7ff << 52;
	if (*drop > top + 1)
		return 0;
	m = nb_bits_at(y, *drop);
	if (nb_bits_at(y, *drop - 1) & 1 &&
	    (m & 1 || !nb_low_zero(y, *drop - 1)))
		m++;
	/* Adding m's leading bit steps the exponent field by one, so a
	 * carry out of the mantissa and a subnormal rounding up to DBL_MIN
	 * come out right, and so does overflow to infinity. */
	if (e < -1022)
		return m;
	return ((uint64_t)(e + 1022) << 52) + m;
}

/* Whether every y in [p, u] rounds as p does, p rounding to bits with
 * drop as round_bits gives.  Rounding looks only at the bits from drop
 * - 1 up and whether any below is set: if those agree and p is not
 * exactly halfway, so does u. */
static int same_rounding(const uint64_t p[3], const uint64_t u[3], int s,
			 uint64_t bits, int drop)
{
	uint64_t k = nb_bits_at(p, drop - 1);
	int d;

	if (nb_bits_at(u, drop - 1) == k && !(k & 1 && nb_low_zero(p, drop - 1)))
		return 1;
	return round_bits(u, s, &d) == bits;
}

/* The sign of x - h, h being halfway between the double with bits a and
 * the next one up. */
static int cmp_halfway(const struct decimal *d, uint64_t a)
{
	int biased = (int)(a >> 52), e, sticky, c, k;
	uint64_t m = a & (((uint64_t)1 << 52) - 1);
	size_t i = first_significant(d), end;
	int64_t dropped;
	struct nb_big x, h;

	e = biased ? biased - 1075 : -1074;
	if (biased)
		m |= (uint64_t)1 << 52;
	end = digit_span(d, i, EXACT_DIGITS, &dropped, &sticky);
	nb_big_set(&x, 0);
	for (; i < end; i++)
		nb_big_muladd(&x, 10, (uint32_t)digit(d, i));
	nb_big_set(&h, 2 * m + 1);
	/* x = digits 10^k against h = (2m + 1) 2^(e - 1). */
	k = (int)(d->exp - (int64_t)d->nfrac + dropped);
	c = nb_big_cmp_scaled(&x, k - e + 1, k, &h);
	return c ? c : sticky;
}

/* u = an upper bound of x scaled as p = wT is: wT exactly when 5^q is
 * in the table exactly and no digit was dropped, else under
 * (w + 2^lz sticky)(T + 1), w being shifted left by lz. */
static void upper_bound(uint64_t u[3], const uint64_t p[3], uint64_t w,
			const uint64_t t[2], int lz, int exact5, int sticky)
{
	uint64_t lo = t[1] + !exact5, hi = t[0] + (lo < t[1]);

	memcpy(u, p, 3 * sizeof *u);
	if (!exact5)
		nb_add192(u, w, 0);
	if (!sticky)
		return;
	nb_add192(u, lo << lz, 0);
	nb_add192(u, lz ? lo >> (64 - lz) | hi << lz : hi, 1);
	if (lz)
		nb_add192(u, hi >> (64 - lz), 2);
}

/* The bits of the double nearest d's value, w 10^q with w not 0 and q
 * in the table's range. */
static uint64_t nearest(const struct decimal *d, int q)
{
	const uint64_t *t = nb_pow5[q - NB_POW5_MIN];
	int lz = nb_clz64(d->w), s = q + nb_log2_pow5(q) - 127 - lz, drop;
	uint64_t w = d->w << lz, p[3], u[3], bits;

	nb_mul64x128(w, t, p);
	upper_bound(u, p, w, t, lz, q >= 0 && q <= NB_POW5_EXACT_MAX,
		    d->sticky);
	bits = round_bits(p, s, &drop);
	/* Ties go to even. */
	if (!same_rounding(p, u, s, bits, drop) &&
	    cmp_halfway(d, bits) + (int)(bits & 1) > 0)
		bits++;
	return bits;
}

int nb_atod(const char *s, size_t len, double *v)
{
	struct decimal d;
	uint64_t bits;
	int64_t q;

	if (parse(s, len, &d))
		return -1;
	q = d.exp - (int64_t)d.nfrac + d.dropped;
	if (!d.w || q < NB_POW5_MIN)
		bits = 0;
	else if (q > 308)
		bits = (uint64_t)0x7ff << 52;
	else
		bits = nearest(&d, (int)q);
	if (d.neg)
		bits |= (uint64_t)1 << 63;
	memcpy(v, &bits, sizeof *v);
	return 0;
}
