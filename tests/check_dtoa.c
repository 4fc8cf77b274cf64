/* check_dtoa.c - the exact formatter (src/dtoa.c) and reader (src/atod.c)
 * against the C library, on millions of doubles and decimal strings.
 *
 * The formatter must print what nb_fmt_exact printed when it tried
 * printf precisions and read each back with strtod: that algorithm is
 * kept here, as the reference.  The reader must agree bit for bit with
 * glibc's strtod, which is correctly rounded, in the C locale.  Random
 * streams have fixed seeds, so a failure repeats; NB_DTOA_SWEEP in the
 * environment multiplies the number of cases for a longer sweep. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num/bignum.h"
#include "num/numfmt.h"
#include "num/pow5.h"
#include "testmain.h"
#include "testrand.h"

static long sweep(long n)
{
	const char *s = getenv("NB_DTOA_SWEEP");

	return s && atol(s) > 0 ? n * atol(s) : n;
}

/* The former nb_fmt_exact: the first %.Pg, P from 15 (from 1 for a
 * subnormal), that strtod reads back as v. */
static void reference(char *buf, double v)
{
	int prec = v != 0 && fabs(v) < DBL_MIN ? 1 : DBL_DIG;

	for (; prec <= DBL_DECIMAL_DIG; prec++) {
		snprintf(buf, NB_NUMBUF, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* v prints as the reference does and reads back, by strtod and by
 * nb_read_number, to the same bits. */
static void check_format(double v)
{
	char got[NB_NUMBUF], want[NB_NUMBUF];
	size_t len = nb_fmt_exact(got, v);
	double back;

	reference(want, v);
	ck_assert_msg(strcmp(got, want) == 0, "%a printed as %s, not %s", v,
		      got, want);
	ck_assert_uint_eq(len, strlen(got));
	ck_assert_int_eq(nb_read_number(got, len, &back), 0);
	ck_assert_msg(memcmp(&back, &v, sizeof v) == 0 &&
		      strtod(got, NULL) == v, "%a: %s reads back as %a", v,
		      got, back);
}

/* One double of a mix that random bit patterns alone would miss. */
static double some_double(uint64_t *state, long i)
{
	uint64_t bits = next_bits(state), r = next_bits(state);
	int k = (int)(r % 600) - 300;
	double v;

	switch (i % 8) {
	case 0:         /* subnormal */
		return from_bits(bits & 0x800fffffffffffffu);
	case 1:         /* a power of two, the asymmetric intervals */
		return from_bits(bits & 0xfff0000000000000u);
	case 2:         /* an integer of up to 64 bits */
		return (double)(int64_t)(bits >> (r % 64));
	case 3:         /* a power of ten, or a short decimal times one */
		v = pow(10, k);
		return r & 1 ? v : (double)(bits % 100000) * v;
	case 4:         /* a neighbour of a short decimal: near halfway */
		v = (double)(bits % 1000000) * pow(10, k);
		return nextafter(v, r & 1 ? INFINITY : -INFINITY);
	case 5:         /* the lowest and highest binades */
		return from_bits((bits & 0x801fffffffffffffu) |
				 (r & 1 ? 0x7fe0000000000000u : 0));
	default:
		return from_bits(bits);
	}
}

START_TEST(format_matches_printf_search)
{
	uint64_t state = 0x9e3779b97f4a7c15u;
	long n = sweep(1000000);

	for (long i = 0; i < n; i++) {
		double v = some_double(&state, i);
		if (isfinite(v))
			check_format(v);
	}
}
END_TEST

START_TEST(format_extremes)
{
	const double v[] = {
		0.0, -0.0, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN, DBL_TRUE_MIN,
		DBL_MIN - DBL_TRUE_MIN, DBL_MIN + DBL_TRUE_MIN, DBL_EPSILON,
		1 + DBL_EPSILON, 1 - DBL_EPSILON / 2, 9007199254740992.0,
		9007199254740994.0, 1e15, 1e16, 1e17, 1e22, 1e23, 5e-324,
		0x1p-1022, 0x1p-1021, 0x1p1023, 0x1p-1074, 0x1p-22, 0x1p-21,
		2.384185791015625e-07, 123456789012345680.0, 1e-5, 1e-4,
	};

	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		check_format(v[i]);
	/* Every power of two and ten in range. */
	for (int e = -1074; e <= 1023; e++)
		check_format(ldexp(1, e));
	for (int e = -323; e <= 308; e++)
		check_format(pow(10, e));
}
END_TEST

static void check_read(const char *s)
{
	double want = strtod(s, NULL), got = 12345;

	ck_assert_msg(nb_read_number(s, strlen(s), &got) == 0,
		      "%.60s rejected", s);
	ck_assert_msg(memcmp(&got, &want, sizeof got) == 0,
		      "%.60s (%zu bytes) read as %a, strtod says %a", s,
		      strlen(s), got, want);
}

/* Random digits with a point somewhere and an exponent near the ends of
 * the range: short, 19/20-digit and long mantissas. */
static void random_decimal(uint64_t *state, char *s)
{
	static const int lens[] = { 1, 3, 15, 16, 17, 18, 19, 20, 21, 40 };
	int n = lens[next_bits(state) % 10], k = 0, sign;

	if (next_bits(state) & 1)
		s[k++] = '-';
	sign = k;
	for (int j = 0; j < n; j++)
		s[k++] = (char)('0' + next_bits(state) % 10);
	if (next_bits(state) % 3 == 0) {
		int at = sign + (int)(next_bits(state) % (uint64_t)(n + 1));
		memmove(s + at + 1, s + at, (size_t)(k - at));
		s[at] = '.';
		k++;
	}
	sprintf(s + k, "e%d", (int)(next_bits(state) % 700) - 360);
}

/* A double's exact value, or exactly halfway to the next one, cut short
 * or with a nonzero digit after the 800 a reader must look at: the
 * hardest cases.  Long double holds the halfway point exactly, and
 * glibc prints it exactly. */
static void near_halfway(uint64_t *state, char *s, size_t size)
{
	double v = from_bits(next_bits(state) & 0x7fefffffffffffffu);
	long double h;
	int kind = (int)(next_bits(state) % 4), prec;
	char *e;
	char exp[16];

	if (next_bits(state) % 4 == 0)
		v = from_bits(next_bits(state) & 0x000fffffffffffffu);
	h = (long double)v + ((long double)nextafter(v, INFINITY) - v) / 2;
	prec = kind == 1 ? 16 + (int)(next_bits(state) % 30) : kind == 3 ? 17
									  : 780;
	snprintf(s, size, "%.*Le", prec, kind == 3 ? (long double)v : h);
	if (kind == 2 && (e = strchr(s, 'e'))) {
		strcpy(exp, e);
		snprintf(e, 48, "%030d1%s", 0, exp);
	}
}

START_TEST(read_matches_strtod)
{
	uint64_t state = 0x2545f4914f6cdd1du;
	long n = sweep(200000);
	char s[1024];

	for (long i = 0; i < n; i++) {
		if (i % 2)
			random_decimal(&state, s);
		else
			near_halfway(&state, s, sizeof s);
		check_read(s);
	}
}
END_TEST

START_TEST(read_hard_cases)
{
	static const char *const s[] = {
		"2.2250738585072011e-308", "2.2250738585072012e-308",
		"2.4703282292062327e-324", "2.4703282292062328e-324",
		"4.9406564584124654e-324", "1.7976931348623157e308",
		"1.7976931348623158e308", "1.7976931348623159e308",
		"179769313486231580793728971405301e276", "9007199254740993",
		"9007199254740993.0", "9007199254740992.9999999999999999999",
		"9007199254740993.0000000000000000001", "1e23", "8.41e21",
		"1e-400", "1e309", "1e308", "0.1", "123456789012345678901",
		"12345678901234567890", "18446744073709551615",
		"18446744073709551616", "0.000000000000000000000000000001e-300",
		"1000000000000000000000000000000000000e-343", "1e-343",
		"1e-342", "0.0", "-0.0", "00000000000000000000000001.5",
		/* runs of eight digits with leading zeros, read eight at a
		 * time, and the 19 kept digits ending inside such a run */
		"0.00000000000000001234567890123456789",
		"0.0000000123456789012345678901", "12345678.00000000",
		"1234567812345678123", "12345678123456781234567",
		"00000001234567891234567890", "0.00000009", "99999999.99999999",
	};

	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		check_read(s[i]);
}
END_TEST

/* Each power of five in the table is 5^q's top 128 bits, truncated:
 * T 2^(f - 127) <= 5^q < (T + 1) 2^(f - 127), f = floor(log2 5^q). */
START_TEST(pow5_table_exact)
{
	for (int q = NB_POW5_MIN; q <= NB_POW5_MAX; q++) {
		const uint64_t *t = nb_pow5[q - NB_POW5_MIN];
		int f = nb_log2_pow5(q);
		struct nb_big a, one;

		for (int plus = 0; plus <= 1; plus++) {
			uint64_t lo = t[1] + (uint64_t)plus;

			/* (T + plus) from 32-bit pieces, 2^32 as 2^16 2^16 */
			nb_big_set(&a, t[0] + (lo < t[1]));
			nb_big_muladd(&a, 1u << 16, 0);
			nb_big_muladd(&a, 1u << 16, (uint32_t)(lo >> 32));
			nb_big_muladd(&a, 1u << 16, 0);
			nb_big_muladd(&a, 1u << 16, (uint32_t)lo);
			nb_big_set(&one, 1);
			/* sign of (T + plus) 2^(f - 127) 5^-q - 1 */
			ck_assert_int_eq(nb_big_cmp_scaled(&a, f - 127, -q,
							   &one),
					 plus ? 1 : q >= 0 &&
					 q <= NB_POW5_EXACT_MAX ? 0 : -1);
		}
	}
}
END_TEST

static Suite *dtoa_suite(void)
{
	Suite *s = suite_create("dtoa");
	TCase *fmt = tcase_create("format");
	TCase *read = tcase_create("read");

	tcase_add_test(fmt, format_matches_printf_search);
	tcase_add_test(fmt, format_extremes);
	tcase_add_test(fmt, pow5_table_exact);
	tcase_set_timeout(fmt, 600);
	suite_add_tcase(s, fmt);
	tcase_add_test(read, read_matches_strtod);
	tcase_add_test(read, read_hard_cases);
	tcase_set_timeout(read, 600);
	suite_add_tcase(s, read);
	return s;
}

NB_CHECK_MAIN(dtoa_suite);
