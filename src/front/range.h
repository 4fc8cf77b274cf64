/* range.h - --sweep NAME=A:B:N: N evenly spaced values of one input,
 * A and B included, as the input batch mode reads. */
#ifndef NABLA_RANGE_H
#define NABLA_RANGE_H

#include <stddef.h>
#include <stdio.h>

#define NB_RANGE_MAX 1000000    /* values of one sweep, at most */

struct nb_range {
	const char *name;       /* the input (not NUL-terminated) */
	size_t len;
	double a, b;
	unsigned long n;        /* 0: no sweep */
};

/* Reads NAME=A:B:N (A, B finite numbers, N from 1 to NB_RANGE_MAX);
 * returns 0, or -1 if arg is not one. */
int nb_range_parse(const char *arg, struct nb_range *r);

/* Value k of the n: A at 0, B at n - 1, in between evenly spaced. */
double nb_range_value(const struct nb_range *r, unsigned long k);

/* A temporary CSV file holding the header NAME and the values, one per
 * line, read back from its start; it goes away when closed.  NULL with
 * errno set when it cannot be made. */
FILE *nb_range_file(const struct nb_range *r);

#endif
