/* tdirection.c - tensor directions: NAME=VALUE lists (tdirection.h). */
#include "front/tdirection.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/tvals.h"

int nb_tdirection_new(const struct nb_program *p, double **dir,
		      unsigned char **given)
{
	const struct nb_tvals *tv = p->tape.tv;
	size_t n = 0;

	for (size_t k = 0; k < p->nvars; k++)
		n += tv->size[p->vars[k]];
	*dir = nb_malloc((n ? n : 1) * sizeof **dir);
	*given = nb_malloc(p->nvars ? p->nvars : 1);
	if (!*dir || !*given) {
		nb_free(*dir);
		nb_free(*given);
		return -1;
	}
	memset(*dir, 0, n * sizeof **dir);
	memset(*given, 0, p->nvars);
	return 0;
}

/* The length of the item at s (len bytes): up to the first comma
 * outside brackets and parentheses. */
static size_t item_len(const char *s, size_t len)
{
	int depth = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '[' || s[i] == '(')
			depth++;
		else if ((s[i] == ']' || s[i] == ')') && depth > 0)
			depth--;
		else if (s[i] == ',' && depth == 0)
			return i;
	}
	return len;
}

/* Where input var's elements start in a direction. */
static size_t first_element(const struct nb_program *p, size_t var)
{
	size_t at = 0;

	for (size_t k = 0; k < var; k++)
		at += p->tape.tv->size[p->vars[k]];
	return at;
}

/* Whether value t fits input var: its shape, finite elements. */
static int check_value(const struct nb_program *p, const char *opt,
		       size_t var, const struct nb_tensor *t,
		       struct nb_diag *d)
{
	const struct nb_shape *want = &p->tape.tv->shape[p->vars[var]];
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];
	size_t len, n = p->tape.tv->size[p->vars[var]];
	const char *name = nb_node_name(p, p->vars[var], &len);

	if (!nb_shape_equal(&t->shape, want))
		return nb_error_plain(d, NB_EUSAGE, "%s: the direction of %.*s "
				      "is %s, but %.*s is %s: it must have its "
				      "input's shape", opt, (int)len, name,
				      nb_shape_format(a, &t->shape), (int)len,
				      name, nb_shape_format(b, want));
	for (size_t e = 0; e < n; e++)
		if (!isfinite(t->data[e]))
			return nb_error_plain(d, NB_EUSAGE, "%s: the direction "
					      "of %.*s is not finite", opt,
					      (int)len, name);
	return 0;
}

/* One item NAME=VALUE, len bytes at s. */
static int item(const struct nb_program *p, struct nb_argvalue *av,
		const char *opt, const char *s, size_t len, double *dir,
		unsigned char *given, struct nb_diag *d)
{
	const char *eq = memchr(s, '=', len);
	size_t nlen = eq ? (size_t)(eq - s) : 0;
	struct nb_tensor t = { { 0 }, NULL };
	struct nb_quote q;
	char *value;
	long var;
	int r;

	if (!eq || nlen == 0 || nlen + 1 == len)
		return nb_error_plain(d, NB_EUSAGE, "%s: '%s' is not "
				      "NAME=VALUE", opt, nb_quote(&q, s, len));
	if ((var = nb_program_var(p, s, nlen)) < 0)
		return nb_error_plain(d, NB_EUSAGE, "%s: '%s' is not an input "
				      "variable of the program", opt,
				      nb_quote(&q, s, nlen));
	if (given[var])
		return nb_error_plain(d, NB_EUSAGE, "%s: '%s' is listed twice",
				      opt, nb_quote(&q, s, nlen));
	if (!(value = nb_malloc(len - nlen)))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	memcpy(value, eq + 1, len - nlen - 1);
	value[len - nlen - 1] = '\0';
	r = nb_argvalue_read(av, opt, s, nlen, value, &t, d);
	nb_free(value);
	if (r == 0 && (r = check_value(p, opt, (size_t)var, &t, d)) == 0) {
		memcpy(dir + first_element(p, (size_t)var), t.data,
		       p->tape.tv->size[p->vars[var]] * sizeof *dir);
		given[var] = 1;
	}
	nb_tensor_free(&t);
	return r;
}

int nb_tdirection_read(const struct nb_program *p, struct nb_argvalue *av,
		       const char *opt, const char *s, size_t len,
		       double *dir, unsigned char *given, struct nb_diag *d)
{
	for (;;) {
		size_t ilen = item_len(s, len);
		int r = item(p, av, opt, s, ilen, dir, given, d);

		if (r || ilen == len)
			return r;
		s += ilen + 1;
		len -= ilen + 1;
	}
}
