/* check_valuefile.c - the value-file readers in memory: the shapes
 * numpy.loadtxt and JSON give, and every allocation made to fail in turn
 * (src/front/valuefile.c and its readers; tests/valuefile.sh checks them
 * against NumPy on files).  Under the sanitizer build a leak on any of
 * those paths fails the test. */
#include <string.h>

#include "core/alloc.h"
#include "front/valuefile.h"
#include "output/npy.h"
#include "testmain.h"

enum { TEXT, JSON, NPY };

static int read_any(int kind, const char *p, size_t len, struct nb_tensor *t,
		    struct nb_diag *d)
{
	if (kind == NPY)
		return nb_npy_read((const unsigned char *)p, len, "x.npy", t, d);
	if (kind == JSON)
		return nb_json_read(p, len, t, d);
	return nb_text_read(p, len, ',', t, d);
}

struct rcase {
	int kind;
	const char *text;
	const char *shape;
	double last;
};

static const struct rcase cases[] = {
	{ TEXT, "1,2,3\n4,5,6\n", "2x3", 6 },
	{ TEXT, "1\n2\n3\n", "3", 3 },
	{ TEXT, "# c\n 7 \n", "1", 7 },
	{ TEXT, "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "17", 17 },
	{ JSON, "[[1, 2], [3, 4], [5, 6]]", "3x2", 6 },
	{ JSON, "2.5", "()", 2.5 },
	{ JSON, "[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]]",
	  "1x17", 17 },
};

START_TEST(test_shapes)
{
	const struct rcase *c = &cases[_i];
	struct nb_tensor t;
	struct nb_diag d;
	char sh[NB_SHAPE_BUF];
	size_t n;

	ck_assert_int_eq(read_any(c->kind, c->text, strlen(c->text), &t, &d), 0);
	ck_assert_str_eq(nb_shape_format(sh, &t.shape), c->shape);
	nb_shape_size(&t.shape, &n);
	ck_assert(t.data[n - 1] == c->last);
	nb_tensor_free(&t);
}
END_TEST

/* Allocation n fails, for n = 1, 2, ... until the read succeeds: each
 * failure is a clean "out of memory" with nothing left allocated. */
static void sweep(int kind, const char *p, size_t len)
{
	for (unsigned long n = 1;; n++) {
		struct nb_tensor t;
		struct nb_diag d;
		int r;

		nb_alloc_fail_at(n);
		r = read_any(kind, p, len, &t, &d);
		if (!nb_alloc_fail_hit()) {
			nb_alloc_fail_at(0);
			ck_assert_int_eq(r, 0);
			nb_tensor_free(&t);
			ck_assert_uint_gt(n, 1);
			return;
		}
		ck_assert_int_eq(r, NB_EFAIL);
		ck_assert_str_eq(d.msg, "out of memory");
		ck_assert_ptr_null(t.data);
	}
}

START_TEST(test_alloc_failures)
{
	const struct rcase *c = &cases[_i];

	sweep(c->kind, c->text, strlen(c->text));
}
END_TEST

START_TEST(test_alloc_failures_npy)
{
	static const double x[6] = { 1, 2, 3, 4, 5, 6 };
	struct nb_shape s = nb_shape_matrix(2, 3);
	char buf[NB_NPY_HEADER_MAX + sizeof x];
	size_t len = nb_npy_header((unsigned char *)buf, &s);

	/* The data as little-endian doubles, as nb_npy_write puts them. */
	for (int i = 0; i < 6; i++) {
		unsigned char *p = (unsigned char *)buf + len + 8 * i;
		unsigned long long bits;

		memcpy(&bits, &x[i], sizeof bits);
		for (int k = 0; k < 8; k++)
			p[k] = (unsigned char)(bits >> (8 * k));
	}
	sweep(NPY, buf, len + sizeof x);
}
END_TEST

static Suite *valuefile_suite(void)
{
	Suite *s = suite_create("valuefile");
	TCase *tc = tcase_create("valuefile");
	int n = (int)(sizeof cases / sizeof cases[0]);

	tcase_add_loop_test(tc, test_shapes, 0, n);
	tcase_add_loop_test(tc, test_alloc_failures, 0, n);
	tcase_add_test(tc, test_alloc_failures_npy);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(valuefile_suite);
