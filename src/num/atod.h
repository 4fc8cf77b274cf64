/* atod.h - decimal text to the nearest double, exactly.
 *
 * Needs no terminator, no allocation and no locale: the digits are
 * read in place, and the result is the correctly rounded double (ties
 * to even), overflowing to infinity and underflowing through the
 * subnormals to zero as IEEE 754 rounding does. */
#ifndef NABLA_ATOD_H
#define NABLA_ATOD_H

#include <stddef.h>

/* Reads the len bytes at s if they are exactly one decimal number,
 *	sign? (digits ('.' digits?)? | '.' digits) ([eE] sign? digits)?
 * Returns 0 and sets *v, or -1 leaving *v alone. */
int nb_atod(const char *s, size_t len, double *v);

#endif
