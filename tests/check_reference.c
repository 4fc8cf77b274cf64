/* tests/check_reference.c -- every op's value, first and second
 * derivatives against high-precision references.
 *
 * tests/reference/ops.ref (written by tests/reference/gen.py with mpmath,
 * see there for its format and the grid of points) holds, for every op
 * at extreme points -- subnormals, 1e+-300, near overflow and each
 * singularity, saturation -- the exact value and derivatives rounded to
 * the nearest double.  nb_op_forward must be within 2 ulps of the value
 * (libm's accuracy; the derivatives are built on it), nb_op_locals and
 * nb_op_second_dot within the line's tolerance (4 ulps, wider where the
 * generator says why) of the derivatives.  Distances are counted in
 * representable doubles, so a subnormal is held to its own spacing and
 * an overflow to inf counts as one step past DBL_MAX.  check_ops'
 * finite-difference tests cover ordinary points; these add exactness
 * where differences cannot reach. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ops.h"
#include "testmain.h"

#define MAXCASES 4096
#define VALUE_ULPS 2

struct refcase {
	int op;
	size_t n;               /* 1 or 2 inputs */
	double x[2], v, d[2], h[3];
	unsigned long tol;
};

static struct refcase cases[MAXCASES];
static size_t ncases;

static int op_named(const char *name)
{
	for (int op = 0; op < NB_OP_NELEM; op++)
		if (strcmp(nb_ops[op].name, name) == 0)
			return op;
	return -1;
}

static double number(char **s)
{
	char *end;
	double d = strtod(*s, &end);

	ck_assert_msg(end != *s, "ops.ref: not a number at '%.20s'", *s);
	*s = end;
	return d;
}

/* One line of ops.ref into c; 0 for a comment. */
static int parse(char *line, struct refcase *c)
{
	char name[32], *s = line;
	int len;

	if (line[0] == '#' || line[0] == '\n')
		return 0;
	ck_assert_msg(sscanf(line, "%31s %zu%n", name, &c->n, &len) == 2 &&
		      (c->n == 1 || c->n == 2),
		      "ops.ref: bad line '%s'", line);
	c->op = op_named(name);
	ck_assert_msg(c->op >= 0, "ops.ref: no op named '%s'", name);
	s += len;
	for (size_t k = 0; k < c->n; k++)
		c->x[k] = number(&s);
	c->v = number(&s);
	for (size_t k = 0; k < c->n; k++)
		c->d[k] = number(&s);
	for (size_t k = 0; k < (c->n == 1 ? 1 : 3); k++)
		c->h[k] = number(&s);
	c->tol = strtoul(s, NULL, 10);
	ck_assert_msg(c->tol > 0, "ops.ref: no tolerance in '%s'", line);
	return 1;
}

static void load(void)
{
	const char *top = getenv("abs_top_srcdir");
	char path[4096], line[1024];
	FILE *f;

	if (ncases)
		return;
	snprintf(path, sizeof path, "%s/tests/reference/ops.ref",
		 top ? top : ".");
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f)) {
		ck_assert_uint_lt(ncases, MAXCASES);
		ncases += (size_t)parse(line, &cases[ncases]);
	}
	fclose(f);
}

/* The double's place in the order of all doubles (-0 and +0 share 0). */
static int64_t order(double x)
{
	int64_t i;

	memcpy(&i, &x, sizeof i);
	return i < 0 ? INT64_MIN - i : i;
}

/* Representable doubles between got and want; 0 for two nans. */
static uint64_t ulps(double got, double want)
{
	int64_t a, b;

	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want) ? 0 : UINT64_MAX;
	a = order(got);
	b = order(want);
	return a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
}

/* Says on stderr (the test's log) what is off; returns 1 if it is. */
static int expect(const struct refcase *c, const char *what, double got,
		  double want, unsigned long tol)
{
	uint64_t d = ulps(got, want);

	if (d <= tol)
		return 0;
	fprintf(stderr, "%s(%.17g%s%.17g): %s is %.17g, exact %.17g "
		"(%llu ulps, allowed %lu)\n", nb_ops[c->op].name, c->x[0],
		c->n > 1 ? ", " : "", c->n > 1 ? c->x[1] : 0.0, what, got,
		want, (unsigned long long)d, tol);
	return 1;
}

/* The number of numbers of case c that are off. */
static int check_case(const struct refcase *c)
{
	static const char *const dname[] = { "d/da", "d/db" };
	static const char *const hname[2][2] = { { "d2/da2", "d2/dadb" },
						 { "d2/dbda", "d2/db2" } };
	double v = nb_op_forward((enum nb_op)c->op, c->x, c->n), l[2];
	int off = expect(c, "the value", v, c->v, VALUE_ULPS);

	nb_op_locals((enum nb_op)c->op, c->x, c->n, v, l);
	for (size_t k = 0; k < c->n; k++)
		off += expect(c, dname[k], l[k], c->d[k], c->tol);
	for (size_t j = 0; j < c->n; j++) {
		double t[2] = { j == 0, j == 1 }, out[2];

		nb_op_second_dot((enum nb_op)c->op, c->x, c->n, v, t, out);
		for (size_t k = 0; k < c->n; k++)
			off += expect(c, hname[k][j], out[k],
				      c->h[c->n == 1 ? 0 : k + j], c->tol);
	}
	return off;
}

/* _i is the op: every row of the table but the leaves has references. */
START_TEST(op_matches_references)
{
	size_t count = 0;
	int off = 0;

	load();
	if (nb_ops[_i].kind == NB_LEAF)
		return;
	for (size_t i = 0; i < ncases; i++)
		if (cases[i].op == _i) {
			off += check_case(&cases[i]);
			count++;
		}
	ck_assert_msg(count > 0, "%s has no reference points in ops.ref",
		      nb_ops[_i].name);
	ck_assert_msg(off == 0, "%s: %d numbers off at %zu points (the log "
		      "lists them)", nb_ops[_i].name, off, count);
}
END_TEST

static Suite *reference_suite(void)
{
	Suite *s = suite_create("reference");
	TCase *tc = tcase_create("ops");

	tcase_add_loop_test(tc, op_matches_references, 0, NB_OP_NELEM);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(reference_suite);
