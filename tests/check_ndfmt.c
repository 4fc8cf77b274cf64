/* check_ndfmt.c - tensors as NumPy writes them (src/output/ndfmt.c):
 * nesting, padding, elision per axis, precision, nan, inf and -0. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/ndfmt.h"
#include "testmain.h"

/* The text of the data x of shape s, lines joined with "|". */
static char *text(const double *x, struct nb_shape s, int prec, size_t max)
{
	struct nb_ndfmt f;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(out);
	nb_nd_layout(&f, (struct nb_view){ x, s }, prec, max);
	nb_nd_write(out, &f, "|");
	ck_assert_int_eq(fclose(out), 0);
	return buf;
}

static void expect(const double *x, struct nb_shape s, int prec, size_t max,
		   const char *want)
{
	char *got = text(x, s, prec, max);

	ck_assert_str_eq(got, want);
	free(got);
}

static const double iota[100] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
	20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
	37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53,
	54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70,
	71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87,
	88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99
};

START_TEST(test_scalar)
{
	const double x[] = { -4.25 };

	/* A scalar is its number, as the scalar table writes it. */
	expect(x, nb_shape_scalar(), 6, 6, "-4.25");
}
END_TEST

START_TEST(test_vector)
{
	const double x[] = { 1, 0, 3, 0 }, y[] = { 1, -2, 3, -3 };

	expect(x, nb_shape_vector(4), 6, 6, "[1, 0, 3, 0]");
	/* Every element as wide as the widest, as NumPy pads them. */
	expect(y, nb_shape_vector(4), 6, 6, "[ 1, -2,  3, -3]");
	expect(x, nb_shape_vector(0), 6, 6, "[]");
}
END_TEST

START_TEST(test_matrix)
{
	const double x[] = { 1, 2, 3, 4 }, y[] = { 1, -20, 300, 4 };

	expect(x, nb_shape_matrix(2, 2), 6, 6, "[[1, 2],| [3, 4]]");
	expect(y, nb_shape_matrix(2, 2), 6, 6,
	       "[[  1, -20],| [300,   4]]");
	expect(x, nb_shape_matrix(1, 4), 6, 6, "[[1, 2, 3, 4]]");
	expect(x, nb_shape_matrix(4, 1), 6, 6, "[[1],| [2],| [3],| [4]]");
	expect(x, nb_shape_matrix(0, 3), 6, 6, "[]");
	expect(x, nb_shape_matrix(2, 0), 6, 6, "[[],| []]");
}
END_TEST

START_TEST(test_elide)
{
	/* First (max + 1) / 2 and last max / 2 of an axis past max. */
	expect(iota, nb_shape_vector(10), 6, 6,
	       "[0, 1, 2, ..., 7, 8, 9]");
	expect(iota, nb_shape_vector(10), 6, 5, "[0, 1, 2, ..., 8, 9]");
	expect(iota, nb_shape_vector(10), 6, 1, "[0, ...]");
	/* Up to max, every element; 0 never elides. */
	expect(iota, nb_shape_vector(6), 6, 6, "[0, 1, 2, 3, 4, 5]");
	expect(iota, nb_shape_vector(12), 6, 0,
	       "[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11]");
	/* Each axis on its own; only shown elements set the width. */
	expect(iota, nb_shape_matrix(10, 10), 6, 4,
	       "[[ 0,  1, ...,  8,  9],| [10, 11, ..., 18, 19],| ...,"
	       "| [80, 81, ..., 88, 89],| [90, 91, ..., 98, 99]]");
	expect(iota, nb_shape_matrix(2, 50), 6, 2,
	       "[[ 0, ..., 49],| [50, ..., 99]]");
	expect(iota, nb_shape_matrix(50, 2), 6, 1, "[[0, ...],| ...]");
}
END_TEST

START_TEST(test_numbers)
{
	const double x[] = { 1.0 / 3, -0.0, NAN, INFINITY, -INFINITY, 1e-7 };

	expect(x, nb_shape_vector(6), 3, 0,
	       "[0.333,     0,   nan,   inf,  -inf, 1e-07]");
	expect(x, nb_shape_matrix(2, 3), 2, 0,
	       "[[ 0.33,     0,   nan],| [  inf,  -inf, 1e-07]]");
}
END_TEST

START_TEST(test_width)
{
	struct nb_ndfmt f;

	nb_nd_layout(&f, (struct nb_view){ iota, nb_shape_matrix(10, 10) }, 6,
		     4);
	ck_assert_uint_eq(f.lines, 5);
	ck_assert_uint_eq(f.elem, 2);
	ck_assert_uint_eq(f.width, strlen("[[ 0,  1, ...,  8,  9],"));
	ck_assert_uint_eq(nb_nd_line(NULL, &f, 2), strlen(" ...,"));
}
END_TEST

static Suite *ndfmt_suite(void)
{
	Suite *s = suite_create("ndfmt");
	TCase *tc = tcase_create("ndfmt");

	tcase_add_test(tc, test_scalar);
	tcase_add_test(tc, test_vector);
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_elide);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_width);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(ndfmt_suite);
