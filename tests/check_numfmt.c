/* check_numfmt.c - number formatting and reading (src/numfmt.c).
 *
 * The exact formatter must read back to the same bits for every double,
 * so it is swept with random bit patterns (fixed seed, so a failure
 * repeats) besides the extremes; expected short forms are those of
 * Python's repr, the reference for shortest round-trip output. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "num/numfmt.h"
#include "testmain.h"
#include "testrand.h"

static int same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof a) == 0;
}

/* Significant digits of a formatted number, without leading or trailing
 * zeros ("100" has 1, "0.0012" has 2). */
static int sig_digits(const char *s)
{
	int n = 0, zeros = 0, seen = 0;

	for (; *s && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s == '0' && !seen)
			continue;
		seen = 1;
		if (*s == '0') {
			zeros++;
		} else {
			n += zeros + 1;
			zeros = 0;
		}
	}
	return n;
}

/* v through nb_fmt_exact and back, by strtod and by nb_read_number; and
 * no form with one digit fewer would have read back. */
static void check_round_trip(double v)
{
	char buf[NB_NUMBUF];
	size_t len = nb_fmt_exact(buf, v);
	double back;

	ck_assert_uint_eq(len, strlen(buf));
	ck_assert_uint_lt(len, NB_NUMBUF);
	ck_assert_msg(same_bits(strtod(buf, NULL), v),
		      "%a printed as %s reads back as %a", v, buf,
		      strtod(buf, NULL));
	ck_assert_msg(nb_read_number(buf, len, &back) == 0,
		      "nb_read_number rejects %s", buf);
	ck_assert_msg(same_bits(back, v), "%a printed as %s", v, buf);
	if (sig_digits(buf) > 1) {
		char shorter[400];     /* gcc cannot bound a %.*g */

		snprintf(shorter, sizeof shorter, "%.*g", sig_digits(buf) - 1,
			 v);
		ck_assert_msg(strtod(shorter, NULL) != v,
			      "%s is shorter than %s", shorter, buf);
	}
}

START_TEST(exact_round_trips_random_doubles)
{
	uint64_t state = 0x9e3779b97f4a7c15u;

	for (int i = 0; i < 100000; i++) {
		uint64_t bits = next_bits(&state);
		double v = from_bits(bits);

		/* Every fourth one subnormal or tiny: the random exponent
		 * almost never lands there on its own. */
		if (i % 4 == 0)
			v = from_bits(bits & 0x800fffffffffffffu);
		else if (i % 4 == 1)
			v = from_bits((bits & 0x801fffffffffffffu)
				      | 0x0010000000000000u);
		if (isnan(v))
			continue;
		check_round_trip(v);
	}
}
END_TEST

START_TEST(exact_round_trips_extremes)
{
	const double v[] = {
		0.0, -0.0, 1.0, -1.0, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN,
		DBL_TRUE_MIN, -DBL_TRUE_MIN, DBL_MIN - DBL_TRUE_MIN,
		DBL_EPSILON, 1 + DBL_EPSILON, 9007199254740993.0,
		0.1, 1e23, 8.41e21, 5e-324, 1.0 / 3, 2.0 / 3,
	};

	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		check_round_trip(v[i]);
}
END_TEST

static void check_exact(double v, const char *want)
{
	char buf[NB_NUMBUF];

	nb_fmt_exact(buf, v);
	ck_assert_str_eq(buf, want);
}

START_TEST(exact_is_shortest)
{
	check_exact(0.1, "0.1");
	check_exact(100, "100");
	check_exact(-12, "-12");
	check_exact(0.5, "0.5");
	check_exact(1.0 / 3, "0.3333333333333333");
	check_exact(2.0 / 3, "0.6666666666666666");
	check_exact(0.1 + 0.2, "0.30000000000000004");
	check_exact(9007199254740992.0, "9007199254740992");
	check_exact(0.7310585786300049, "0.7310585786300049");
	check_exact(123456789, "123456789");
	check_exact(0.001, "0.001");
	check_exact(1e-5, "1e-05");
	check_exact(1e300, "1e+300");
	check_exact(1e15, "1e+15");
	check_exact(-0.0, "-0");
	check_exact(0.0, "0");
	check_exact(DBL_MAX, "1.7976931348623157e+308");
	check_exact(DBL_MIN, "2.2250738585072014e-308");
	/* Subnormals have fewer digits than DBL_DIG. */
	check_exact(DBL_TRUE_MIN, "5e-324");
	check_exact(-2 * DBL_TRUE_MIN, "-1e-323");
}
END_TEST

START_TEST(nonfinite_spelling)
{
	char buf[NB_NUMBUF];

	nb_fmt_exact(buf, NAN);
	ck_assert_str_eq(buf, "nan");
	nb_fmt_exact(buf, -NAN);
	ck_assert_str_eq(buf, "nan");
	nb_fmt_exact(buf, copysign(NAN, -1));
	ck_assert_str_eq(buf, "nan");
	nb_fmt_exact(buf, INFINITY);
	ck_assert_str_eq(buf, "inf");
	nb_fmt_exact(buf, -INFINITY);
	ck_assert_str_eq(buf, "-inf");
	nb_fmt_human(buf, copysign(NAN, -1), 6);
	ck_assert_str_eq(buf, "nan");
	nb_fmt_human(buf, INFINITY, 6);
	ck_assert_str_eq(buf, "inf");
	nb_fmt_human(buf, -INFINITY, 3);
	ck_assert_str_eq(buf, "-inf");
}
END_TEST

static void check_human(double v, int prec, const char *want)
{
	char buf[NB_NUMBUF];
	size_t len = nb_fmt_human(buf, v, prec);

	ck_assert_str_eq(buf, want);
	ck_assert_uint_eq(len, strlen(want));
}

START_TEST(human_precision)
{
	check_human(0.7310585786300049, 6, "0.731059");
	check_human(-4, 6, "-4");
	check_human(1.5e-7, 6, "1.5e-07");
	check_human(1.0 / 3, 3, "0.333");
	check_human(1234567, 6, "1.23457e+06");
	check_human(100, 6, "100");
	check_human(-0.0, 6, "0");
	check_human(2.5, 1, "2");
	/* Out-of-range precisions are clamped to 1 and 17 digits. */
	check_human(0.7310585786300049, 0, "0.7");
	check_human(0.1, 40, "0.10000000000000001");
	check_human(-DBL_MAX, 17, "-1.7976931348623157e+308");
}
END_TEST

static void check_reads(const char *s, double want)
{
	double v = 12345;

	ck_assert_msg(nb_read_number(s, strlen(s), &v) == 0,
		      "\"%s\" should read as a number", s);
	ck_assert_msg(same_bits(v, want) || (isnan(v) && isnan(want)),
		      "\"%s\" read as %a, want %a", s, v, want);
}

START_TEST(read_accepts)
{
	check_reads("0", 0);
	check_reads("-0", -0.0);
	check_reads("+1", 1);
	check_reads("42", 42);
	check_reads("1.", 1);
	check_reads(".5", 0.5);
	check_reads("-.5", -0.5);
	check_reads("2.5", 2.5);
	check_reads("1e3", 1000);
	check_reads("1E-3", 0.001);
	check_reads("6.02E23", 6.02e23);
	check_reads("-2.5e+10", -2.5e10);
	check_reads("0.1", 0.1);
	check_reads("5e-324", DBL_TRUE_MIN);
	check_reads("1e999", INFINITY);
	check_reads("-1e999", -INFINITY);
	check_reads("1e-999", 0);
	check_reads("nan", NAN);
	check_reads("NaN", NAN);
	check_reads("-nan", NAN);
	check_reads("inf", INFINITY);
	check_reads("+inf", INFINITY);
	check_reads("-inf", -INFINITY);
	check_reads("Inf", INFINITY);
	check_reads("infinity", INFINITY);
	check_reads("-INFINITY", -INFINITY);
}
END_TEST

START_TEST(read_rejects)
{
	static const char *const bad[] = {
		"", "+", "-", ".", "-.", "e5", ".e5", "1e", "1e+", "1e-",
		"0x10", "0x1p3", "1.2.3", " 1", "1 ", "\t1", "1\n", "1a",
		"nan(1)", "infinit", "in", "na", "--1", "+-1", "1,5",
		"1e5.5", "1e 5", "inf1", "1_000", "\302\2401", "one",
	};
	double v = 12345;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ck_assert_msg(nb_read_number(bad[i], strlen(bad[i]), &v) != 0,
			      "\"%s\" should be rejected", bad[i]);
	}
	ck_assert(v == 12345);
}
END_TEST

START_TEST(read_uses_only_len_bytes)
{
	double v;

	/* The bytes after len would make a different number (or none). */
	ck_assert_int_eq(nb_read_number("12345", 3, &v), 0);
	ck_assert(v == 123);
	ck_assert_int_eq(nb_read_number("1e5", 1, &v), 0);
	ck_assert(v == 1);
	ck_assert_int_eq(nb_read_number("2,3", 1, &v), 0);
	ck_assert(v == 2);
	ck_assert_int_ne(nb_read_number("1x", 2, &v), 0);
}
END_TEST

START_TEST(read_long_numbers_whole)
{
	/* Longer than any stack buffer: the digits at the end still count. */
	size_t n = 5000;
	char *s = malloc(n + 16);
	double v;

	ck_assert_ptr_nonnull(s);
	memset(s, '0', n);
	memcpy(s + n, "1.5", 4);
	ck_assert_int_eq(nb_read_number(s, n + 3, &v), 0);
	ck_assert(v == 1.5);
	/* 1 followed by n zeros, scaled back by e-n. */
	s[0] = '1';
	memset(s + 1, '0', n - 1);
	snprintf(s + n, 16, "e-%zu", n - 1);
	ck_assert_int_eq(nb_read_number(s, strlen(s), &v), 0);
	ck_assert(v == 1);
	/* and a bad byte at the end is still seen. */
	memset(s, '1', n);
	s[n] = 'x';
	ck_assert_int_ne(nb_read_number(s, n + 1, &v), 0);
	free(s);
}
END_TEST

/* A nonzero decimal that reads as 0 is underflow; zeros, subnormals and
 * the non-finite spellings are not. */
START_TEST(read_underflow)
{
	static const char *const under[] = {
		"1e-999", "-1e-999", "2e-324", "0.0001e-400", "5E-99999"
	};
	static const char *const fine[] = {
		"0", "-0", "0.0", "0e-999", "000e5", "5e-324", "1e-300", "nan",
		"inf", "1"
	};
	double v;

	for (size_t i = 0; i < sizeof under / sizeof *under; i++) {
		ck_assert_int_eq(nb_read_number(under[i], strlen(under[i]), &v),
				 0);
		ck_assert_msg(nb_number_underflows(under[i], strlen(under[i]),
						   v), "%s", under[i]);
	}
	for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
		ck_assert_int_eq(nb_read_number(fine[i], strlen(fine[i]), &v),
				 0);
		ck_assert_msg(!nb_number_underflows(fine[i], strlen(fine[i]),
						    v), "%s", fine[i]);
	}
}
END_TEST

static Suite *numfmt_suite(void)
{
	Suite *s = suite_create("numfmt");
	TCase *exact = tcase_create("exact");
	TCase *human = tcase_create("human");
	TCase *read = tcase_create("read");

	tcase_add_test(exact, exact_round_trips_random_doubles);
	tcase_add_test(exact, exact_round_trips_extremes);
	tcase_add_test(exact, exact_is_shortest);
	tcase_add_test(exact, nonfinite_spelling);
	tcase_set_timeout(exact, 60);
	suite_add_tcase(s, exact);
	tcase_add_test(human, human_precision);
	suite_add_tcase(s, human);
	tcase_add_test(read, read_accepts);
	tcase_add_test(read, read_rejects);
	tcase_add_test(read, read_uses_only_len_bytes);
	tcase_add_test(read, read_long_numbers_whole);
	tcase_add_test(read, read_underflow);
	suite_add_tcase(s, read);
	return s;
}

NB_CHECK_MAIN(numfmt_suite);
