/* text_read.c - .csv and .tsv value files, as numpy.loadtxt reads them
 * (valuefile.h). */
#include "front/valuefile.h"

#include <string.h>

#include "core/alloc.h"

struct text {
	const char *p;
	char sep;
	size_t rows, cols;      /* cols: of the first row */
	struct nb_numbuf nums;
	struct nb_diag *d;
};

/* Blanks around a field: spaces, and tabs unless they separate. */
static int blank(const struct text *t, char c)
{
	return c == ' ' || (c == '\t' && t->sep != '\t') || c == '\r';
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The field [b, e) of the row, trimmed, as a number. */
static int field(struct text *t, size_t b, size_t e)
{
	double v;
	int r;

	while (b < e && blank(t, t->p[b]))
		b++;
	while (e > b && blank(t, t->p[e - 1]))
		e--;
	if (b == e)
		return nb_error(t->d, NB_EFAIL, b, 1, "empty field");
	r = nb_numbuf_number(t->p + b, e - b, b, &v, t->d);
	return r ? r : nb_numbuf_push(&t->nums, v, t->d);
}

/* One line [b, e) without its newline or comment. */
static int row(struct text *t, size_t b, size_t e)
{
	size_t n = 0, f = b, s = b;
	int r;

	while (s < e && blank(t, t->p[s]))
		s++;
	if (s == e)
		return 0;               /* blank line */
	for (size_t i = b; i <= e; i++) {
		if (i < e && t->p[i] != t->sep)
			continue;
		if (t->rows > 0 && n == t->cols)
			return nb_error(t->d, NB_EFAIL, f, e - f, "this row has "
					"more than the %zu number%s of the first "
					"row", t->cols, plural(t->cols));
		r = field(t, f, i);
		if (r)
			return r;
		n++;
		f = i + 1;
	}
	if (t->rows > 0 && n < t->cols)
		return nb_error(t->d, NB_EFAIL, e, 1, "this row has %zu "
				"number%s; the first row has %zu", n,
				plural(n), t->cols);
	if (t->rows++ == 0)
		t->cols = n;
	return 0;
}

int nb_text_read(const char *p, size_t len, char sep, struct nb_tensor *tn,
		 struct nb_diag *d)
{
	struct text t = { p, sep, 0, 0, { NULL, 0, 0 }, d };
	struct nb_shape s;

	tn->data = NULL;
	for (size_t b = 0; b < len;) {
		const char *nl = memchr(p + b, '\n', len - b);
		size_t e = nl ? (size_t)(nl - p) : len;
		const char *hash = memchr(p + b, '#', e - b);
		int r = row(&t, b, hash ? (size_t)(hash - p) : e);

		if (r) {
			nb_free(t.nums.x);
			return r;
		}
		b = e + 1;
	}
	if (t.rows == 0)
		return nb_error(d, NB_EFAIL, len, 1, "no numbers in the file");
	if (t.rows > NB_MAX_DIM || t.cols > NB_MAX_DIM) {
		nb_free(t.nums.x);
		return nb_error(d, NB_EFAIL, 0, 1, "too many numbers in a "
				"line or column");
	}
	if (t.rows == 1 || t.cols == 1)
		s = nb_shape_vector((uint32_t)t.nums.n);
	else
		s = nb_shape_matrix((uint32_t)t.rows, (uint32_t)t.cols);
	nb_numbuf_take(&t.nums, &s, tn);
	return 0;
}
