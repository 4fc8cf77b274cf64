/* json_read.c - .json value files: a number, or arrays of numbers nested
 * up to NB_MAX_RANK deep and not ragged (valuefile.h). */
#include "front/valuefile.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

struct json {
	const char *p;
	size_t len, pos;
	int rank;                       /* depth of the numbers; -1: none yet */
	size_t dim[NB_MAX_RANK];        /* 0 until an array at that depth ends */
	struct nb_numbuf nums;
	struct nb_diag *d;
};

static void skip_ws(struct json *j)
{
	while (j->pos < j->len && (j->p[j->pos] == ' ' ||
				   j->p[j->pos] == '\t' ||
				   j->p[j->pos] == '\r' ||
				   j->p[j->pos] == '\n'))
		j->pos++;
}

static int at(const struct json *j, char c)
{
	return j->pos < j->len && j->p[j->pos] == c;
}

static int digits(struct json *j)
{
	size_t b = j->pos;

	while (j->pos < j->len && j->p[j->pos] >= '0' && j->p[j->pos] <= '9')
		j->pos++;
	return j->pos > b;
}

/* JSON's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, which
 * excludes nan, inf, "+1" and ".5" (not JSON); then read exactly. */
static int number(struct json *j)
{
	size_t b = j->pos;
	int ok;
	double v;

	if (at(j, '-'))
		j->pos++;
	ok = at(j, '0') ? (j->pos++, 1) : digits(j);
	if (ok && at(j, '.')) {
		j->pos++;
		ok = digits(j);
	}
	if (ok && (at(j, 'e') || at(j, 'E'))) {
		j->pos++;
		if (at(j, '+') || at(j, '-'))
			j->pos++;
		ok = digits(j);
	}
	if (!ok || j->pos == b)
		return nb_error(j->d, NB_EFAIL, j->pos, 1, j->pos == b ?
				"expected a number or '['" : "bad number");
	ok = nb_numbuf_number(j->p + b, j->pos - b, b, &v, j->d);
	return ok ? ok : nb_numbuf_push(&j->nums, v, j->d);
}

/* "nan", "inf" or "-inf", as nabla's JSON writes those numbers. */
static int nonfinite(struct json *j)
{
	static const char *const name[] = { "\"nan\"", "\"inf\"",
					    "\"-inf\"" };
	static const double v[] = { NAN, INFINITY, -INFINITY };

	for (int k = 0; k < 3; k++) {
		size_t n = strlen(name[k]);
		if (j->len - j->pos >= n && !memcmp(j->p + j->pos, name[k], n)) {
			j->pos += n;
			return nb_numbuf_push(&j->nums, v[k], j->d);
		}
	}
	return nb_error(j->d, NB_EFAIL, j->pos, 1, "a string may only be "
			"\"nan\", \"inf\" or \"-inf\"");
}

static int value(struct json *j, int depth);

/* The array at j->pos (its '['), its elements at depth + 1. */
static int array(struct json *j, int depth)
{
	size_t open = j->pos, n = 0;
	int r;

	if (j->rank >= 0 && depth >= j->rank)
		return nb_error(j->d, NB_EFAIL, open, 1, "expected a number, "
				"as in the arrays before");
	if (depth == NB_MAX_RANK)
		return nb_error(j->d, NB_EFAIL, open, 1, "arrays nested too "
				"deep: nabla reads values of rank %d at most",
				NB_MAX_RANK);
	j->pos++;
	skip_ws(j);
	if (at(j, ']'))
		return nb_error(j->d, NB_EFAIL, open, 2, "empty array");
	for (;;) {
		r = value(j, depth + 1);
		if (r)
			return r;
		n++;
		skip_ws(j);
		if (at(j, ']'))
			break;
		if (!at(j, ','))
			return nb_error(j->d, NB_EFAIL, j->pos, 1,
					"expected ',' or ']'");
		j->pos++;
	}
	j->pos++;
	if (j->dim[depth] == 0)
		j->dim[depth] = n;
	else if (j->dim[depth] != n)
		return nb_error(j->d, NB_EFAIL, open, j->pos - open, "ragged: "
				"this array's length is %zu, the first's at its "
				"depth %zu", n, j->dim[depth]);
	return 0;
}

static int value(struct json *j, int depth)
{
	skip_ws(j);
	if (at(j, '['))
		return array(j, depth);
	if (j->rank < 0)
		j->rank = depth;
	else if (depth != j->rank)
		return nb_error(j->d, NB_EFAIL, j->pos, 1, "expected '[', as "
				"in the arrays before");
	return at(j, '"') ? nonfinite(j) : number(j);
}

int nb_json_read(const char *p, size_t len, struct nb_tensor *t,
		 struct nb_diag *d)
{
	struct json j = { p, len, 0, -1, { 0 }, { NULL, 0, 0 }, d };
	struct nb_shape s = nb_shape_scalar();
	int r;

	t->data = NULL;
	r = value(&j, 0);
	skip_ws(&j);
	if (!r && j.pos < len)
		r = nb_error(d, NB_EFAIL, j.pos, 1, "unexpected text after "
			     "the value");
	for (int i = 0; !r && i < j.rank; i++) {
		if (j.dim[i] > NB_MAX_DIM)
			r = nb_error(d, NB_EFAIL, 0, 1, "too many elements");
		s.dim[i] = (uint32_t)j.dim[i];
	}
	if (r) {
		nb_free(j.nums.x);
		return r;
	}
	s.rank = (uint8_t)j.rank;
	nb_numbuf_take(&j.nums, &s, t);
	return 0;
}
