/* shape.c - shape arithmetic: sizes, broadcasting, the matmul rules. */
#include "core/shape.h"

#include <stdio.h>

#include "core/alloc.h"

struct nb_shape nb_shape_scalar(void)
{
	struct nb_shape s = { 0, { 0 } };

	return s;
}

struct nb_shape nb_shape_vector(uint32_t n)
{
	struct nb_shape s = { 1, { n } };

	return s;
}

struct nb_shape nb_shape_matrix(uint32_t m, uint32_t n)
{
	struct nb_shape s = { 2, { m, n } };

	return s;
}

int nb_shape_equal(const struct nb_shape *a, const struct nb_shape *b)
{
	if (a->rank != b->rank)
		return 0;
	for (int i = 0; i < a->rank; i++)
		if (a->dim[i] != b->dim[i])
			return 0;
	return 1;
}

int nb_shape_size(const struct nb_shape *s, size_t *n)
{
	size_t size = 1, limit = SIZE_MAX / sizeof(double);

	for (int i = 0; i < s->rank; i++) {
		if (s->dim[i] != 0 && size > limit / s->dim[i])
			return -1;
		size *= s->dim[i];
	}
	*n = size;
	return 0;
}

/* Dimension i counted from the end (0 = last) of s, 1 past its rank. */
static uint32_t dim_from_end(const struct nb_shape *s, int i)
{
	return i < s->rank ? s->dim[s->rank - 1 - i] : 1;
}

int nb_shape_broadcast(const struct nb_shape *a, const struct nb_shape *b,
		       struct nb_shape *out, struct nb_shape_conflict *why)
{
	struct nb_shape r;

	r.rank = a->rank > b->rank ? a->rank : b->rank;
	for (int i = 0; i < r.rank; i++) {
		uint32_t da = dim_from_end(a, i), db = dim_from_end(b, i);

		if (da != db && da != 1 && db != 1) {
			why->axis_a = a->rank - 1 - i;
			why->axis_b = b->rank - 1 - i;
			why->dim_a = da;
			why->dim_b = db;
			return -1;
		}
		r.dim[r.rank - 1 - i] = da == 1 ? db : da;
	}
	*out = r;
	return 0;
}

enum nb_matmul_error nb_shape_matmul(const struct nb_shape *a,
				     const struct nb_shape *b,
				     struct nb_shape *out,
				     struct nb_shape_conflict *why)
{
	uint32_t ka, kb;

	if (a->rank == 0 || b->rank == 0)
		return NB_MATMUL_SCALAR;
	ka = a->dim[a->rank - 1];
	kb = b->dim[0];
	if (ka != kb) {
		why->axis_a = a->rank - 1;
		why->axis_b = 0;
		why->dim_a = ka;
		why->dim_b = kb;
		return NB_MATMUL_INNER;
	}
	/* The rows of a (if a matrix), then the columns of b (if one). */
	out->rank = 0;
	if (a->rank == 2)
		out->dim[out->rank++] = a->dim[0];
	if (b->rank == 2)
		out->dim[out->rank++] = b->dim[1];
	return NB_MATMUL_OK;
}

struct nb_shape nb_shape_transpose(const struct nb_shape *s)
{
	struct nb_shape t = *s;

	for (int i = 0; i < s->rank; i++)
		t.dim[i] = s->dim[s->rank - 1 - i];
	return t;
}

char *nb_shape_format(char *buf, const struct nb_shape *s)
{
	size_t len = 0;

	if (s->rank == 0) {
		snprintf(buf, NB_SHAPE_BUF, "()");
		return buf;
	}
	for (int i = 0; i < s->rank; i++)
		len += (size_t)snprintf(buf + len, NB_SHAPE_BUF - len, "%s%lu",
					i ? "x" : "", (unsigned long)s->dim[i]);
	return buf;
}

int nb_tensor_alloc(struct nb_tensor *t, const struct nb_shape *s)
{
	size_t n;

	t->data = NULL;
	if (nb_shape_size(s, &n) != 0)
		return -1;
	t->data = nb_malloc(n * sizeof(double));
	if (!t->data)
		return -1;
	t->shape = *s;
	return 0;
}

void nb_tensor_free(struct nb_tensor *t)
{
	nb_free(t->data);
	t->data = NULL;
}
