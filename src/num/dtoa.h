/* dtoa.h - the digits nb_fmt_exact prints for a double.
 *
 * They are those of printf's %.Pg for the smallest precision P (from
 * 15, or from 1 for a subnormal) that reads back to the same double:
 * the shortest round trip, except that a power of two may take one more
 * digit than the very shortest when its correctly rounded shorter form
 * falls outside the narrower half of its rounding interval.  Computed
 * exactly, without printf or strtod. */
#ifndef NABLA_DTOA_H
#define NABLA_DTOA_H

#include <stdint.h>

struct nb_decimal {
	uint64_t digits;        /* no trailing zeros */
	int ndigits;            /* how many: 1 to 17 */
	int exp;                /* the value is digits * 10^exp */
	int prec;               /* P */
};

/* v is finite and not zero; its sign is ignored. */
void nb_dtoa(double v, struct nb_decimal *d);

#endif
