/* direction.c - reading NAME=NUMBER lists. */
#include "modes/direction.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "core/escape.h"
#include "num/numfmt.h"

static int fail(struct nb_direrr *e, size_t at, size_t len, const char *what,
		const char *s)
{
	struct nb_quote q;

	snprintf(e->msg, sizeof e->msg, "'%s' %s", nb_quote(&q, s + at, len),
		 what);
	e->at = at;
	e->len = len;
	return -1;
}

/* One item NAME=NUMBER of at bytes ilen at s + at. */
static int item(const struct nb_program *p, const char *s, size_t at,
		size_t ilen, double *dir, unsigned char *given,
		struct nb_direrr *e)
{
	const char *eq = memchr(s + at, '=', ilen);
	size_t nlen = eq ? (size_t)(eq - (s + at)) : 0, vlen = ilen - nlen - 1;
	long var;
	double v;

	if (!eq || nlen == 0 || vlen == 0)
		return fail(e, at, ilen, "is not NAME=NUMBER", s);
	if ((var = nb_program_var(p, s + at, nlen)) < 0)
		return fail(e, at, nlen, "is not an input variable of the "
			    "program", s);
	if (given[var])
		return fail(e, at, nlen, "is listed twice", s);
	if (nb_read_number(eq + 1, vlen, &v) || !isfinite(v))
		return fail(e, at + nlen + 1, vlen, "is not a finite number", s);
	given[var] = 1;
	dir[var] = v;
	return 0;
}

int nb_direction_read(const struct nb_program *p, const char *s, size_t len,
		      double *dir, unsigned char *given, struct nb_direrr *e)
{
	size_t at = 0;

	for (;;) {
		const char *comma = memchr(s + at, ',', len - at);
		size_t ilen = comma ? (size_t)(comma - (s + at)) : len - at;

		if (item(p, s, at, ilen, dir, given, e))
			return -1;
		if (!comma)
			return 0;
		at += ilen + 1;
	}
}

int nb_direction_new(const struct nb_program *p, double **dir,
		     unsigned char **given)
{
	size_t n = p->nvars ? p->nvars : 1;

	*given = nb_malloc(n);
	*dir = nb_malloc(n * sizeof **dir);
	if (!*dir || !*given) {
		nb_free(*given);
		return -1;
	}
	memset(*given, 0, n);
	for (size_t k = 0; k < n; k++)
		(*dir)[k] = 0;
	return 0;
}

int nb_direction_option(const struct nb_program *p, const char *opt,
			const char *arg, double **dir, struct nb_diag *d)
{
	unsigned char *given;
	struct nb_direrr e;
	int r = 0;

	if (nb_direction_new(p, dir, &given))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	if (nb_direction_read(p, arg, strlen(arg), *dir, given, &e))
		r = nb_error_plain(d, NB_EUSAGE, "%s: %s", opt, e.msg);
	nb_free(given);
	return r;
}
