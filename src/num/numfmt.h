/* numfmt.h - locale-independent number formatting and reading.
 *
 * nabla never sets LC_NUMERIC, and these functions never depend on it:
 * the decimal point is always '.'. */
#ifndef NABLA_NUMFMT_H
#define NABLA_NUMFMT_H

#include <stddef.h>

/* Big enough for any number either formatter writes, with the NUL. */
#define NB_NUMBUF 40

/* The shortest decimal that reads back to exactly v ("0.1", "100",
 * "1e+300", "-0"); non-finite as "nan", "inf", "-inf" (never "-nan").
 * Writes a NUL-terminated string to buf, returns its length. */
size_t nb_fmt_exact(char *buf, double v);

/* v rounded to prec significant digits, %g style with trailing zeros
 * dropped ("0.731059", "-4", "1.5e-07"), -0 as "0"; non-finite as
 * nb_fmt_exact. */
size_t nb_fmt_human(char *buf, double v, int prec);

/* Reads a whole decimal number (optional sign, digits, '.', exponent, or
 * nan/inf/-inf/infinity) from the len bytes at s.  Returns 0 and sets *v,
 * or -1 if the bytes are not exactly one number. */
int nb_read_number(const char *s, size_t len, double *v);

/* Whether the len bytes at s, read by nb_read_number as v, spell a
 * nonzero decimal that rounded to 0 (1e-999): the caller reports it,
 * since a silent 0 where the user wrote a nonzero number changes the
 * program's meaning.  Subnormal results are not underflow here. */
int nb_number_underflows(const char *s, size_t len, double v);

#endif
