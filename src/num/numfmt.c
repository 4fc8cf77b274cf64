/* numfmt.c - numbers in and out, the same in every locale.
 *
 * The exact formatter and the reader are nabla's own (dtoa.c, atod.c):
 * they never look at the locale, and are many times faster than the
 * printf and strtod round trips they replace.  The human formatter
 * uses snprintf, whose decimal point is '.' since nabla never sets
 * LC_NUMERIC.  What this file adds is the layout of printf's %g, the
 * spelling of non-finite values (never "-nan") and a strict reader that
 * accepts exactly the numbers the contract allows and nothing strtod
 * would also swallow (hex, leading spaces, "nan(...)"). */
#include "num/numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "num/atod.h"
#include "num/dtoa.h"

static size_t fmt_nonfinite(char *buf, double v)
{
	/* The sign of a nan means nothing to users and breaks readers. */
	const char *s = isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";

	strcpy(buf, s);
	return strlen(s);
}

static size_t fmt_g(char *buf, double v, int prec)
{
	return (size_t)snprintf(buf, NB_NUMBUF, "%.*g", prec, v);
}

/* n digits of ds, as %.*g lays them out when its precision is prec and
 * the first digit's decimal exponent x: plainly when -4 <= x < prec,
 * else d.ddde+XX.  The digits move 17 bytes at a time, a size compilers
 * copy inline rather than call memcpy for: ds is readable 17 bytes past
 * its digits, and buf has room for NB_NUMBUF. */
static size_t layout(char *buf, const char *ds, int n, int x, int prec)
{
	char *b = buf;
	int i;

	if (x < -4 || x >= prec) {
		*b++ = ds[0];
		if (n > 1) {
			*b++ = '.';
			memcpy(b, ds + 1, 17);
			b += n - 1;
		}
		*b++ = 'e';
		*b++ = x < 0 ? '-' : '+';
		x = x < 0 ? -x : x;
		if (x >= 100)
			*b++ = (char)('0' + x / 100);
		*b++ = (char)('0' + x / 10 % 10);
		*b++ = (char)('0' + x % 10);
	} else if (x < 0) {
		*b++ = '0';
		*b++ = '.';
		for (i = x + 1; i < 0; i++)
			*b++ = '0';
		memcpy(b, ds, 17);
		b += n;
	} else if (n > x + 1) {
		memcpy(b, ds, 17);
		b += x + 1;
		*b++ = '.';
		memcpy(b, ds + x + 1, 17);
		b += n - x - 1;
	} else {
		memcpy(b, ds, 17);
		b += n;
		for (i = n; i <= x; i++)
			*b++ = '0';
	}
	*b = '\0';
	return (size_t)(b - buf);
}

/* The eight decimal digits of v < 10^8 as ASCII in one word, the first
 * in the low byte: each step splits every lane of the word in two at
 * once (4+4 digits, then 2+2, then 1+1), dividing by a multiply and a
 * shift that are exact for the lane's range (all 10^8 values of v were
 * compared with printf's; tests/check_dtoa.c compares whole numbers). */
static inline uint64_t digits8(uint32_t v)
{
	uint64_t x = v / 10000 | (uint64_t)(v % 10000) << 32;
	uint64_t h = (x * 10486 >> 20) & 0x0000007F0000007Fu;

	x = h | (x - h * 100) << 16;
	h = (x * 103 >> 10) & 0x000F000F000F000Fu;
	x = h | (x - h * 10) << 8;
	return x + 0x3030303030303030u;
}

static void store8(char *s, uint64_t x)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(s, &x, sizeof x);
#else
	for (int k = 0; k < 8; k++)
		s[k] = (char)(x >> 8 * k);
#endif
}

size_t nb_fmt_exact(char *buf, double v)
{
	struct nb_decimal d;
	char ds[24 + 17];
	size_t sign = signbit(v) != 0;

	if (!isfinite(v))
		return fmt_nonfinite(buf, v);
	if (sign)
		buf[0] = '-';
	if (v == 0) {
		strcpy(buf + sign, "0");
		return sign + 1;
	}
	nb_dtoa(v, &d);
	/* The 17 places in three independent pieces, zero-padded to 24: one
	 * chain of divisions by 100 was batch output's costliest loop. */
	store8(ds, digits8((uint32_t)(d.digits / 10000000000000000u)));
	store8(ds + 8, digits8((uint32_t)(d.digits / 100000000 % 100000000)));
	store8(ds + 16, digits8((uint32_t)(d.digits % 100000000)));
	memset(ds + 24, '0', 17);
	return sign + layout(buf + sign, ds + 24 - d.ndigits, d.ndigits,
			     d.exp + d.ndigits - 1, d.prec);
}

size_t nb_fmt_human(char *buf, double v, int prec)
{
	if (!isfinite(v))
		return fmt_nonfinite(buf, v);
	if (prec < 1)
		prec = 1;
	if (prec > DBL_DECIMAL_DIG)
		prec = DBL_DECIMAL_DIG;
	/* -0 comes from harmless products such as a negative gradient
	 * times a zero local gradient; to a reader it is just 0. */
	if (v == 0)
		v = 0;
	return fmt_g(buf, v, prec);
}

/* Whether the len bytes at s spell word, ignoring ASCII case. */
static int spelled_nocase(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len && word[i]; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != word[i])
			return 0;
	}
	return i == len && !word[i];
}

static int read_nonfinite(const char *s, size_t len, double *v)
{
	double sign = 1;

	if (len && (*s == '+' || *s == '-')) {
		sign = *s == '-' ? -1 : 1;
		s++;
		len--;
	}
	if (spelled_nocase(s, len, "nan")) {
		*v = NAN;
		return 0;
	}
	if (spelled_nocase(s, len, "inf")
	    || spelled_nocase(s, len, "infinity")) {
		*v = sign * INFINITY;
		return 0;
	}
	return -1;
}

int nb_read_number(const char *s, size_t len, double *v)
{
	if (nb_atod(s, len, v) == 0)
		return 0;
	return read_nonfinite(s, len, v);
}

int nb_number_underflows(const char *s, size_t len, double v)
{
	if (v != 0)
		return 0;
	/* Only the mantissa's digits count: 0e-999 is a plain zero. */
	for (size_t i = 0; i < len && s[i] != 'e' && s[i] != 'E'; i++)
		if (s[i] >= '1' && s[i] <= '9')
			return 1;
	return 0;
}
