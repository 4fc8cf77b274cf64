/* check_shape.c - shapes: sizes, broadcasting, the matmul rules, and how
 * messages write them (src/core/shape.c). */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/shape.h"
#include "testmain.h"

static const char *fmt(const struct nb_shape *s)
{
	static char buf[NB_SHAPE_BUF];

	return nb_shape_format(buf, s);
}

START_TEST(test_format)
{
	struct nb_shape s = nb_shape_scalar();

	ck_assert_str_eq(fmt(&s), "()");
	s = nb_shape_vector(3);
	ck_assert_str_eq(fmt(&s), "3");
	s = nb_shape_matrix(5, 10);
	ck_assert_str_eq(fmt(&s), "5x10");
	/* The widest dimensions fit the buffer. */
	s = nb_shape_matrix(UINT32_MAX, UINT32_MAX);
	ck_assert_str_eq(fmt(&s), "4294967295x4294967295");
}
END_TEST

START_TEST(test_size)
{
	struct nb_shape s = nb_shape_scalar();
	size_t n = 99;

	ck_assert_int_eq(nb_shape_size(&s, &n), 0);
	ck_assert_uint_eq(n, 1);
	s = nb_shape_matrix(5, 10);
	ck_assert_int_eq(nb_shape_size(&s, &n), 0);
	ck_assert_uint_eq(n, 50);
	s = nb_shape_matrix(0, UINT32_MAX);
	ck_assert_int_eq(nb_shape_size(&s, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* 2^32-1 squared elements of 8 bytes is past 2^64 bytes. */
	s = nb_shape_matrix(UINT32_MAX, UINT32_MAX);
	n = 7;
	ck_assert_int_eq(nb_shape_size(&s, &n), -1);
	ck_assert_uint_eq(n, 7);
	/* SIZE_MAX / 8 elements exactly is the largest size accepted. */
	s = nb_shape_matrix(UINT32_MAX, (uint32_t)((SIZE_MAX / 8) / UINT32_MAX));
	ck_assert_int_eq(nb_shape_size(&s, &n), 0);
	s.dim[1]++;
	ck_assert_int_eq(nb_shape_size(&s, &n), -1);
}
END_TEST

/* Broadcasting cases: a, b, and the result ("!" = a conflict). */
struct bcase {
	struct nb_shape a, b;
	const char *want;
	int axis_a, axis_b;
};

START_TEST(test_broadcast)
{
	static const struct bcase cases[] = {
		{ { 0, { 0 } }, { 2, { 3, 4 } }, "3x4", 0, 0 },
		{ { 2, { 3, 4 } }, { 0, { 0 } }, "3x4", 0, 0 },
		{ { 0, { 0 } }, { 0, { 0 } }, "()", 0, 0 },
		{ { 1, { 4 } }, { 1, { 4 } }, "4", 0, 0 },
		{ { 1, { 1 } }, { 1, { 4 } }, "4", 0, 0 },
		{ { 2, { 3, 1 } }, { 1, { 5 } }, "3x5", 0, 0 },
		{ { 1, { 5 } }, { 2, { 3, 1 } }, "3x5", 0, 0 },
		{ { 2, { 1, 4 } }, { 2, { 3, 1 } }, "3x4", 0, 0 },
		{ { 2, { 3, 4 } }, { 1, { 4 } }, "3x4", 0, 0 },
		{ { 2, { 1, 1 } }, { 0, { 0 } }, "1x1", 0, 0 },
		{ { 2, { 0, 4 } }, { 1, { 1 } }, "0x4", 0, 0 },
		{ { 2, { 3, 4 } }, { 1, { 3 } }, "!", 1, 0 },
		{ { 1, { 3 } }, { 2, { 3, 4 } }, "!", 0, 1 },
		{ { 2, { 2, 4 } }, { 2, { 3, 4 } }, "!", 0, 0 },
		{ { 2, { 2, 5 } }, { 2, { 3, 4 } }, "!", 1, 1 },
		{ { 1, { 0 } }, { 1, { 2 } }, "!", 0, 0 },
	};
	const struct bcase *c = &cases[_i];
	struct nb_shape out = nb_shape_vector(77);
	struct nb_shape_conflict why = { -1, -1, 0, 0 };
	int r = nb_shape_broadcast(&c->a, &c->b, &out, &why);
	char sa[NB_SHAPE_BUF], sb[NB_SHAPE_BUF];

	nb_shape_format(sa, &c->a);
	nb_shape_format(sb, &c->b);
	if (strcmp(c->want, "!") == 0) {
		ck_assert_msg(r == -1, "%s with %s broadcast", sa, sb);
		ck_assert_int_eq(why.axis_a, c->axis_a);
		ck_assert_int_eq(why.axis_b, c->axis_b);
		ck_assert_uint_eq(why.dim_a, c->a.dim[c->axis_a]);
		ck_assert_uint_eq(why.dim_b, c->b.dim[c->axis_b]);
		ck_assert_uint_eq(out.rank, 1);
		ck_assert_uint_eq(out.dim[0], 77);
	} else {
		ck_assert_msg(r == 0, "%s with %s did not broadcast", sa, sb);
		ck_assert_msg(strcmp(fmt(&out), c->want) == 0,
			      "%s with %s gave %s, not %s", sa, sb, fmt(&out),
			      c->want);
	}
}
END_TEST
#define N_BCASES 16

struct mcase {
	struct nb_shape a, b;
	enum nb_matmul_error err;
	const char *want;
};

START_TEST(test_matmul)
{
	static const struct mcase cases[] = {
		{ { 2, { 5, 3 } }, { 2, { 3, 10 } }, NB_MATMUL_OK, "5x10" },
		{ { 2, { 5, 3 } }, { 1, { 3 } }, NB_MATMUL_OK, "5" },
		{ { 1, { 3 } }, { 2, { 3, 10 } }, NB_MATMUL_OK, "10" },
		{ { 1, { 3 } }, { 1, { 3 } }, NB_MATMUL_OK, "()" },
		{ { 2, { 1, 1 } }, { 2, { 1, 1 } }, NB_MATMUL_OK, "1x1" },
		{ { 2, { 5, 10 } }, { 1, { 3 } }, NB_MATMUL_INNER, "10 3" },
		{ { 1, { 4 } }, { 2, { 3, 4 } }, NB_MATMUL_INNER, "4 3" },
		{ { 2, { 5, 3 } }, { 2, { 5, 3 } }, NB_MATMUL_INNER, "3 5" },
		{ { 1, { 2 } }, { 1, { 3 } }, NB_MATMUL_INNER, "2 3" },
		{ { 0, { 0 } }, { 1, { 3 } }, NB_MATMUL_SCALAR, "" },
		{ { 2, { 3, 3 } }, { 0, { 0 } }, NB_MATMUL_SCALAR, "" },
	};
	const struct mcase *c = &cases[_i];
	struct nb_shape out;
	struct nb_shape_conflict why;
	enum nb_matmul_error e = nb_shape_matmul(&c->a, &c->b, &out, &why);
	char got[64];

	ck_assert_int_eq(e, c->err);
	if (e == NB_MATMUL_OK) {
		ck_assert_str_eq(fmt(&out), c->want);
	} else if (e == NB_MATMUL_INNER) {
		snprintf(got, sizeof got, "%lu %lu", (unsigned long)why.dim_a,
			 (unsigned long)why.dim_b);
		ck_assert_str_eq(got, c->want);
		ck_assert_int_eq(why.axis_a, c->a.rank - 1);
		ck_assert_int_eq(why.axis_b, 0);
	}
}
END_TEST
#define N_MCASES 11

START_TEST(test_transpose_equal)
{
	struct nb_shape m = nb_shape_matrix(5, 3), v = nb_shape_vector(3);
	struct nb_shape t = nb_shape_transpose(&m), s = nb_shape_scalar();

	ck_assert_str_eq(fmt(&t), "3x5");
	t = nb_shape_transpose(&t);
	ck_assert(nb_shape_equal(&t, &m));
	t = nb_shape_transpose(&v);
	ck_assert(nb_shape_equal(&t, &v));
	t = nb_shape_transpose(&s);
	ck_assert(nb_shape_equal(&t, &s));
	ck_assert(!nb_shape_equal(&v, &s));
	t = nb_shape_vector(5);
	ck_assert(!nb_shape_equal(&v, &t));
	t = nb_shape_matrix(3, 1);
	ck_assert(!nb_shape_equal(&v, &t));
}
END_TEST

START_TEST(test_tensor_alloc)
{
	struct nb_shape s = nb_shape_matrix(3, 4);
	struct nb_tensor t;

	ck_assert_int_eq(nb_tensor_alloc(&t, &s), 0);
	ck_assert_ptr_nonnull(t.data);
	ck_assert(nb_shape_equal(&t.shape, &s));
	t.data[11] = 1.0;
	nb_tensor_free(&t);
	ck_assert_ptr_null(t.data);
	nb_alloc_fail_at(1);
	ck_assert_int_eq(nb_tensor_alloc(&t, &s), -1);
	ck_assert_ptr_null(t.data);
	nb_alloc_fail_at(0);
	s = nb_shape_matrix(UINT32_MAX, UINT32_MAX);
	ck_assert_int_eq(nb_tensor_alloc(&t, &s), -1);
	ck_assert_ptr_null(t.data);
}
END_TEST

static Suite *shape_suite(void)
{
	Suite *s = suite_create("shape");
	TCase *tc = tcase_create("shape");

	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_size);
	tcase_add_loop_test(tc, test_broadcast, 0, N_BCASES);
	tcase_add_loop_test(tc, test_matmul, 0, N_MCASES);
	tcase_add_test(tc, test_transpose_equal);
	tcase_add_test(tc, test_tensor_alloc);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(shape_suite);
