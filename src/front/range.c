/* range.c - the values of --sweep, written as CSV for batch mode.
 *
 * A temporary file, not memory, holds them: batch mode streams its
 * input, and a sweep is an input like any other. */
#include "front/range.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "num/numfmt.h"

/* Reads the number of [s, end) into *v; 0, or -1. */
static int finite_number(const char *s, const char *end, double *v)
{
	return end > s && nb_read_number(s, (size_t)(end - s), v) == 0 &&
	       isfinite(*v) ? 0 : -1;
}

int nb_range_parse(const char *arg, struct nb_range *r)
{
	const char *eq = strchr(arg, '='), *c1, *c2;
	unsigned long n = 0;

	if (!eq || eq == arg || !(c1 = strchr(eq + 1, ':')) ||
	    !(c2 = strchr(c1 + 1, ':')) ||
	    finite_number(eq + 1, c1, &r->a) || finite_number(c1 + 1, c2, &r->b))
		return -1;
	for (const char *d = c2 + 1; *d; d++) {
		if (*d < '0' || *d > '9' || n > NB_RANGE_MAX)
			return -1;
		n = n * 10 + (unsigned long)(*d - '0');
	}
	if (n < 1 || n > NB_RANGE_MAX)
		return -1;
	r->name = arg;
	r->len = (size_t)(eq - arg);
	r->n = n;
	return 0;
}

double nb_range_value(const struct nb_range *r, unsigned long k)
{
	double t;

	if (r->n == 1 || k == 0)
		return r->a;
	if (k == r->n - 1)
		return r->b;
	/* weighted so that the ends are exact and the steps symmetric */
	t = (double)k / (double)(r->n - 1);
	return r->a * (1 - t) + r->b * t;
}

FILE *nb_range_file(const struct nb_range *r)
{
	FILE *f = tmpfile();
	char num[NB_NUMBUF];
	int e;

	if (!f)
		return NULL;
	fprintf(f, "%.*s\n", (int)r->len, r->name);
	for (unsigned long k = 0; k < r->n; k++) {
		nb_fmt_exact(num, nb_range_value(r, k));
		fprintf(f, "%s\n", num);
	}
	if (fflush(f) == 0 && !ferror(f) && fseek(f, 0, SEEK_SET) == 0)
		return f;
	e = errno;
	fclose(f);
	errno = e ? e : EIO;
	return NULL;
}
