/* numfmt.c - numbers in and out, the same in every locale.
 *
 * nabla never calls setlocale for LC_NUMERIC, so snprintf and strtod
 * always use '.'; what this file adds is the choice of digits (shortest
 * round trip, never "-nan") and a strict reader that accepts exactly the
 * numbers the contract allows and nothing strtod would also swallow
 * (hex, leading spaces, "nan(...)"). */
#include "numfmt.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

/* Longest number read without a heap copy; longer ones are rare (a
 * spreadsheet's 1000-digit zero padding) but must not be truncated. */
#define NB_READBUF 64

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

size_t nb_fmt_exact(char *buf, double v)
{
	size_t n = 0;
	int prec;

	if (!isfinite(v))
		return fmt_nonfinite(buf, v);
	/* Any decimal of at most DBL_DIG digits survives a trip through a
	 * normal double, so %.15g already is the shortest form whenever one
	 * that short exists.  Subnormals carry fewer digits ("5e-324"), so
	 * for them every precision is worth a try. */
	prec = v != 0 && fabs(v) < DBL_MIN ? 1 : DBL_DIG;
	for (; prec <= DBL_DECIMAL_DIG; prec++) {
		n = fmt_g(buf, v, prec);
		if (strtod(buf, NULL) == v)
			break;
	}
	return n;
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

static size_t skip_digits(const char *s, size_t i, size_t len)
{
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* sign? (digits ('.' digits?)? | '.' digits) ([eE] sign? digits)? */
static int is_decimal(const char *s, size_t len)
{
	size_t i = 0, mant;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	mant = i;
	i = skip_digits(s, i, len);
	if (i < len && s[i] == '.')
		i = skip_digits(s, i + 1, len);
	if (i - mant == 0 || (i - mant == 1 && s[mant] == '.'))
		return 0;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		exp = i;
		i = skip_digits(s, i, len);
		if (i == exp)
			return 0;
	}
	return i == len;
}

int nb_read_number(const char *s, size_t len, double *v)
{
	char small[NB_READBUF], *buf = small, *end;
	int ok;

	if (read_nonfinite(s, len, v) == 0)
		return 0;
	if (!is_decimal(s, len))
		return -1;
	/* strtod needs a terminator the caller's bytes may not have. */
	if (len >= sizeof small && !(buf = nb_malloc(len + 1)))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* Overflow gives inf and underflow 0 or a subnormal, as IEEE 754
	 * rounding would: the errno strtod sets for them is no error here. */
	*v = strtod(buf, &end);
	ok = end == buf + len;
	if (buf != small)
		nb_free(buf);
	return ok ? 0 : -1;
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
