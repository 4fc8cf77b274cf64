/* check_ops.c - unit tests of the op table (src/ops.def, src/ops.c).
 *
 * The main test loops over every row of the table, so a new operator or
 * function is tested the day its row is added: its local gradients
 * (nb_op_locals) must match a central finite difference of its forward
 * rule (nb_op_forward) at points inside its domain, and its second-order
 * rules (nb_op_second_dot) a central difference of its local gradients,
 * symmetric in the two inputs.  The remaining tests
 * pin the subgradient conventions of SPEC section 1 exactly, and the
 * table's lookups and suggestions.  The SYMBOLIC column, parsed by
 * nabla's parser and evaluated, must equal LOCAL at every point of a grid
 * that includes zeros, ties and infinities. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "codegen/expr.h"
#include "codegen/localrule.h"
#include "core/compile.h"
#include "core/ops.h"
#include "core/program.h"
#include "core/sweep.h"
#include "testmain.h"

#define MAXARG 5

/* Sample points.  Per the rule text of the table, the domain-limited
 * functions (log, sqrt, asin, ...) accept some of these and not others;
 * a point where the forward value (or a value within the difference
 * step) is not finite is outside the domain and skipped, so no list of
 * domains is kept here. */
static const double points[] = {
	0.25, 0.4, 0.55, 0.7, 0.85,     /* inside (0.2, 0.9) */
	1.6, 2.0, 2.3, 2.9,             /* inside (1.5, 3) */
	-0.3, -0.65, -1.8, -2.6,        /* negatives, where allowed */
};
#define NPOINTS (sizeof points / sizeof points[0])

/* The argument counts to test for op: its arity, or 2, 3 and 5. */
static size_t arities(enum nb_op op, size_t *out)
{
	if (nb_ops[op].arity == NB_VARIADIC) {
		out[0] = 2;
		out[1] = 3;
		out[2] = 5;
		return 3;
	}
	out[0] = (size_t)nb_ops[op].arity;
	return 1;
}

/* Argument vector number j: consecutive arguments step through the point
 * list by 5 (coprime with its length), so they are distinct and mix
 * small, large and negative values. */
static void sample(size_t j, size_t n, double *x)
{
	for (size_t k = 0; k < n; k++)
		x[k] = points[(j + 5 * k) % NPOINTS];
}

static double fwd_at(enum nb_op op, const double *x, size_t n, size_t k,
		     double xk)
{
	double y[MAXARG];

	memcpy(y, x, n * sizeof *x);
	y[k] = xk;
	return nb_op_forward(op, y, n);
}

/* Local gradient k of op at x with x[j] replaced by xj; NAN if the value
 * there is not finite (outside the domain). */
static double local_at(enum nb_op op, const double *x, size_t n, size_t k,
		       size_t j, double xj)
{
	double y[MAXARG], local[MAXARG], v;

	memcpy(y, x, n * sizeof *x);
	y[j] = xj;
	v = nb_op_forward(op, y, n);
	if (!isfinite(v))
		return NAN;
	nb_op_locals(op, y, n, v, local);
	return local[k];
}

/* What a test differentiates numerically: op's value, or (second) its
 * local gradient k, as a function of x[j] alone. */
struct probe {
	enum nb_op op;
	const double *x;
	size_t n, k, j;
	int second;
};

static double probe_at(const struct probe *p, double xj)
{
	return p->second ? local_at(p->op, p->x, p->n, p->k, p->j, xj)
			 : fwd_at(p->op, p->x, p->n, p->j, xj);
}

/* Compares rule, called what in messages, with a central difference of
 * the probe.  Returns 1 if compared, 0 if skipped (outside the domain or
 * at a kink), -1 with why filled on a mismatch.
 *
 * Step and tolerance: h = 1e-6 * max(1, |x_j|).  A central difference
 * errs by h^2/6 * |f'''| (truncation, ~1e-13 for these functions at
 * these points, whose third derivatives are below ~1e2) plus about
 * eps * |f| / h from rounding the two values (~2e-10 * |f|).  A wrong
 * local rule is off by O(|f'|), so a relative tolerance of 1e-6 on
 * max(1, |local|), plus the explicit rounding term, leaves four orders
 * of magnitude on either side.
 *
 * Kinks: one-sided slopes over 2h on each side differ by about
 * 2h * |f''| for a smooth function (~1e-4 here at most) but by O(1) or
 * more when a kink or jump (relu, abs, floor, max at a tie, ...) lies
 * within 2h; such points are skipped, so the test needs no list of
 * which functions have kinks. */
static int against_difference(const struct probe *p, double rule,
			      const char *what, char *why, size_t whysize)
{
	double xj = p->x[p->j], h = 1e-6 * fmax(1, fabs(xj));
	double v = probe_at(p, xj), fp = probe_at(p, xj + h);
	double fm = probe_at(p, xj - h), fp2 = probe_at(p, xj + 2 * h);
	double fm2 = probe_at(p, xj - 2 * h);
	double right, left, num, tol, round;

	if (!isfinite(v) || !isfinite(fp) || !isfinite(fm) ||
	    !isfinite(fp2) || !isfinite(fm2))
		return 0;
	right = (fp2 - v) / (2 * h);
	left = (v - fm2) / (2 * h);
	if (fabs(right - left) > 1e-3 * fmax(1, fmax(fabs(right), fabs(left))))
		return 0;
	num = (fp - fm) / (2 * h);
	round = 4 * DBL_EPSILON * fmax(fabs(v), fmax(fabs(fp), fabs(fm))) / h;
	tol = 1e-6 * fmax(1, fabs(rule)) + round;
	if (fabs(rule - num) <= tol)
		return 1;
	snprintf(why, whysize, "%s %s at (", nb_ops[p->op].name, what);
	for (size_t i = 0; i < p->n; i++)
		snprintf(why + strlen(why), whysize - strlen(why), "%s%g",
			 i ? ", " : "", p->x[i]);
	snprintf(why + strlen(why), whysize - strlen(why),
		 "): rule %.10g, central difference %.10g", rule, num);
	return -1;
}

/* Local gradient k of op at x against a central difference. */
static int compare(enum nb_op op, const double *x, size_t n, size_t k,
		   double local, char *why, size_t whysize)
{
	struct probe p = { op, x, n, 0, k, 0 };
	char what[32];

	snprintf(what, sizeof what, "local %zu", k);
	return against_difference(&p, local, what, why, whysize);
}

/* Runs check at every sample point of op, for each argument count;
 * check counts the comparisons it tried and those it could make (not
 * skipped at a kink or a domain edge). */
typedef void point_check(enum nb_op op, const double *x, size_t n,
			 size_t *tried, size_t *compared);

static void at_every_point(enum nb_op op, point_check *check)
{
	size_t ns[3], nn;

	if (nb_ops[op].kind == NB_LEAF)
		return;
	nn = arities(op, ns);
	for (size_t a = 0; a < nn; a++) {
		size_t n = ns[a], compared = 0, tried = 0;

		ck_assert_uint_le(n, MAXARG);
		for (size_t j = 0; j < NPOINTS; j++) {
			double x[MAXARG];

			sample(j, n, x);
			check(op, x, n, &tried, &compared);
		}
		/* most points must be usable, or the test proves nothing:
		 * even asin and acos (domain [-1, 1]) and floor (a jump at
		 * 2.0) keep at least 7 of the 13 points */
		ck_assert_msg(compared >= tried / 2,
			      "%s with %zu arguments: only %zu of %zu points "
			      "usable", nb_ops[op].name, n, compared, tried);
	}
}

static void locals_at(enum nb_op op, const double *x, size_t n,
		      size_t *tried, size_t *compared)
{
	double local[MAXARG + 1], v = nb_op_forward(op, x, n);
	char why[256];

	local[n] = 12345; /* sentinel: only n locals written */
	nb_op_locals(op, x, n, v, local);
	ck_assert_msg(local[n] == 12345, "%s wrote past its %zu locals",
		      nb_ops[op].name, n);
	for (size_t k = 0; k < n; k++) {
		int r = compare(op, x, n, k, local[k], why, sizeof why);
		(*tried)++;
		ck_assert_msg(r >= 0, "%s", why);
		*compared += (size_t)r;
	}
}

/* _i is the op: every row of the table. */
START_TEST(locals_match_central_differences)
{
	at_every_point((enum nb_op)_i, locals_at);
}
END_TEST

/* Second-order rule (k, j) of op at x: column j of the rules applied to
 * the unit tangent e_j. */
static double second(enum nb_op op, const double *x, size_t n, size_t k,
		     size_t j)
{
	double t[MAXARG] = { 0 }, out[MAXARG];

	t[j] = 1;
	nb_op_second_dot(op, x, n, nb_op_forward(op, x, n), t, out);
	return out[k];
}

/* Second-order rule (k, j) of op at x against a central difference of
 * local gradient k in x[j]: step, tolerance and the skipping of kinks
 * and domain edges as for the first order, one derivative up. */
static int compare2(enum nb_op op, const double *x, size_t n, size_t k,
		    size_t j, char *why, size_t whysize)
{
	struct probe p = { op, x, n, k, j, 1 };
	char what[64];

	snprintf(what, sizeof what, "second (%zu, %zu)", k, j);
	return against_difference(&p, second(op, x, n, k, j), what, why,
				  whysize);
}

/* Every second-order rule (k, j) at x, and its symmetry. */
static void seconds_at(enum nb_op op, const double *x, size_t n,
		       size_t *tried, size_t *compared)
{
	char why[256];

	for (size_t k = 0; k < n; k++)
		for (size_t j = 0; j < n; j++) {
			int r = compare2(op, x, n, k, j, why, sizeof why);
			double kj = second(op, x, n, k, j);
			double jk = second(op, x, n, j, k);

			(*tried)++;
			ck_assert_msg(r >= 0, "%s", why);
			*compared += (size_t)r;
			ck_assert_msg(kj == jk || (isnan(kj) && isnan(jk)),
				      "%s second not symmetric: (%zu, %zu) %g, "
				      "(%zu, %zu) %g", nb_ops[op].name, k, j,
				      kj, j, k, jk);
		}
}

/* _i is the op: every row of the table. */
START_TEST(seconds_match_central_differences)
{
	at_every_point((enum nb_op)_i, seconds_at);
}
END_TEST

/* pow's second-order rules keep its first-order special cases. */
START_TEST(pow_second_conventions)
{
	double x[2];

	x[0] = 0, x[1] = 1;     /* x^1 is straight even at 0 */
	ck_assert(second(NB_OP_POW, x, 2, 0, 0) == 0);
	x[0] = 0, x[1] = 0;     /* x^0 is the constant 1 */
	ck_assert(second(NB_OP_POW, x, 2, 0, 0) == 0);
	x[0] = 0, x[1] = 2.5;   /* 0^b = 0 for b > 0 */
	ck_assert(second(NB_OP_POW, x, 2, 0, 1) == 0);
	ck_assert(second(NB_OP_POW, x, 2, 1, 1) == 0);
	x[0] = 0, x[1] = 2;
	ck_assert(second(NB_OP_POW, x, 2, 0, 0) == 2);
	x[0] = -2, x[1] = 3;    /* |a|^b*cos(pi*b) at integer b */
	ck_assert(fabs(second(NB_OP_POW, x, 2, 1, 1) -
		       -8 * (log(2) * log(2) - 3.14159265358979323846 *
			      3.14159265358979323846)) < 1e-12);
	ck_assert(fabs(second(NB_OP_POW, x, 2, 0, 1) -
		       4 * (1 + 3 * log(2))) < 1e-12);
}
END_TEST

/* The routing ops and the steps have no curvature, at a tie or not. */
START_TEST(kinked_seconds_are_zero)
{
	static const enum nb_op flat[] = { NB_OP_RELU, NB_OP_ABS, NB_OP_SIGN,
		NB_OP_FLOOR, NB_OP_CEIL, NB_OP_MAX, NB_OP_MIN };
	double x[2] = { 0, 0 };

	for (size_t i = 0; i < sizeof flat / sizeof *flat; i++) {
		size_t n = nb_ops[flat[i]].arity == 1 ? 1 : 2;
		for (size_t k = 0; k < n; k++)
			for (size_t j = 0; j < n; j++)
				ck_assert(second(flat[i], x, n, k, j) == 0);
	}
}
END_TEST

/* The forward rule does not depend on anything but its inputs, and
 * locals do not depend on stale state (max/min's `hit` flag). */
START_TEST(rules_are_pure)
{
	for (int op = 0; op < NB_OP_NELEM; op++) {
		size_t ns[3], nn;

		if (nb_ops[op].kind == NB_LEAF)
			continue;
		nn = arities((enum nb_op)op, ns);
		for (size_t a = 0; a < nn; a++) {
			double x[MAXARG] = { 0.5, 0.5, 0.5, 0.5, 0.5 };
			double l1[MAXARG], l2[MAXARG], v = 0;
			size_t n = ns[a];

			for (int rep = 0; rep < 2; rep++) {
				v = nb_op_forward((enum nb_op)op, x, n);
				nb_op_locals((enum nb_op)op, x, n, v,
					     rep ? l2 : l1);
			}
			ck_assert_msg(memcmp(l1, l2, n * sizeof *l1) == 0,
				      "%s: locals differ between calls",
				      nb_ops[op].name);
			ck_assert_msg(v == nb_op_forward((enum nb_op)op, x, n),
				      "%s: forward differs between calls",
				      nb_ops[op].name);
		}
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* The conventions of SPEC section 1 and of the RULE column, exactly. */

static void locals_of(enum nb_op op, const double *x, size_t n, double *local)
{
	nb_op_locals(op, x, n, nb_op_forward(op, x, n), local);
}

static void expect_locals(enum nb_op op, const double *x, size_t n,
			  const double *want)
{
	double got[MAXARG];

	locals_of(op, x, n, got);
	for (size_t k = 0; k < n; k++)
		ck_assert_msg(got[k] == want[k] ||
				      (isnan(got[k]) && isnan(want[k])),
			      "%s: local %zu is %.17g, expected %.17g",
			      nb_ops[op].name, k, got[k], want[k]);
}

#define LOCALS(op, xs, ws)                                                \
	do {                                                              \
		const double x_[] = xs, w_[] = ws;                        \
		ck_assert_uint_eq(sizeof x_, sizeof w_);                  \
		expect_locals(op, x_, sizeof x_ / sizeof x_[0], w_);      \
	} while (0)
#define L(...) { __VA_ARGS__ }

START_TEST(max_routes_to_first_extremum)
{
	LOCALS(NB_OP_MAX, L(1, 3), L(0, 1));
	LOCALS(NB_OP_MAX, L(3, 1), L(1, 0));
	LOCALS(NB_OP_MAX, L(1, 3, 2), L(0, 1, 0));
	/* ties go to the first argument that attains the maximum */
	LOCALS(NB_OP_MAX, L(3, 3), L(1, 0));
	LOCALS(NB_OP_MAX, L(1, 3, 3), L(0, 1, 0));
	LOCALS(NB_OP_MAX, L(3, 1, 3), L(1, 0, 0));
	LOCALS(NB_OP_MAX, L(2, 5, 5, 1, 5), L(0, 1, 0, 0, 0));
	LOCALS(NB_OP_MAX, L(-1, -1, -1, -1, -1), L(1, 0, 0, 0, 0));
	LOCALS(NB_OP_MAX, L(-0.0, 0.0), L(1, 0));
	ck_assert(nb_op_forward(NB_OP_MAX, (double[]){ 2, 5, 5, 1, 5 }, 5) == 5);
	ck_assert(nb_op_forward(NB_OP_MAX, (double[]){ -3, -7 }, 2) == -3);
}
END_TEST

START_TEST(min_routes_to_first_extremum)
{
	LOCALS(NB_OP_MIN, L(1, 3), L(1, 0));
	LOCALS(NB_OP_MIN, L(3, 1), L(0, 1));
	LOCALS(NB_OP_MIN, L(1, 1), L(1, 0));
	LOCALS(NB_OP_MIN, L(4, 1, 2, 1), L(0, 1, 0, 0));
	LOCALS(NB_OP_MIN, L(4, 2, 1, 1, 1), L(0, 0, 1, 0, 0));
	ck_assert(nb_op_forward(NB_OP_MIN, (double[]){ 4, 2, 1, 1, 1 }, 5) == 1);
	ck_assert(nb_op_forward(NB_OP_MIN, (double[]){ -3, -7 }, 2) == -7);
}
END_TEST

START_TEST(max_min_route_exactly_one)
{
	/* whatever the values, exactly one argument gets the gradient */
	static const double vals[] = { 0, 1, -1, 2 };

	for (int code = 0; code < 4 * 4 * 4; code++) {
		double x[3] = { vals[code % 4], vals[code / 4 % 4],
				vals[code / 16] };
		for (int m = 0; m < 2; m++) {
			enum nb_op op = m ? NB_OP_MIN : NB_OP_MAX;
			double l[3], v = nb_op_forward(op, x, 3);
			size_t first = 3;

			locals_of(op, x, 3, l);
			for (size_t k = 0; k < 3; k++)
				if (first == 3 && x[k] == v)
					first = k;
			ck_assert_uint_lt(first, 3);
			for (size_t k = 0; k < 3; k++)
				ck_assert_msg(l[k] == (k == first),
					      "%s(%g, %g, %g): local %zu = %g",
					      nb_ops[op].name, x[0], x[1], x[2],
					      k, l[k]);
		}
	}
}
END_TEST

START_TEST(kinks)
{
	/* relu'(0) = 0, abs'(0) = 0 */
	LOCALS(NB_OP_RELU, L(0), L(0));
	LOCALS(NB_OP_RELU, L(-0.0), L(0));
	LOCALS(NB_OP_RELU, L(1e-300), L(1));
	LOCALS(NB_OP_RELU, L(-2), L(0));
	LOCALS(NB_OP_RELU, L(3), L(1));
	LOCALS(NB_OP_ABS, L(0), L(0));
	LOCALS(NB_OP_ABS, L(-0.0), L(0));
	LOCALS(NB_OP_ABS, L(-2), L(-1));
	LOCALS(NB_OP_ABS, L(2), L(1));
	ck_assert(nb_op_forward(NB_OP_RELU, (double[]){ -2 }, 1) == 0);
	ck_assert(nb_op_forward(NB_OP_RELU, (double[]){ 2.5 }, 1) == 2.5);
	ck_assert(nb_op_forward(NB_OP_ABS, (double[]){ -2.5 }, 1) == 2.5);
}
END_TEST

START_TEST(steps_have_zero_gradient)
{
	/* sign' = floor' = ceil' = 0 everywhere, at the jumps too */
	static const double xs[] = { -2.5, -1, -0.0, 0, 0.3, 1, 2, 7.75 };
	static const enum nb_op ops[] = { NB_OP_SIGN, NB_OP_FLOOR, NB_OP_CEIL };

	for (size_t o = 0; o < 3; o++)
		for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
			double l = 99;
			locals_of(ops[o], &xs[i], 1, &l);
			ck_assert_msg(l == 0, "%s'(%g) = %g", nb_ops[ops[o]].name,
				      xs[i], l);
		}
	ck_assert(nb_op_forward(NB_OP_SIGN, (double[]){ -0.5 }, 1) == -1);
	ck_assert(nb_op_forward(NB_OP_SIGN, (double[]){ 0 }, 1) == 0);
	ck_assert(nb_op_forward(NB_OP_SIGN, (double[]){ 4 }, 1) == 1);
	ck_assert(nb_op_forward(NB_OP_FLOOR, (double[]){ -0.5 }, 1) == -1);
	ck_assert(nb_op_forward(NB_OP_CEIL, (double[]){ -0.5 }, 1) == 0);
	ck_assert(nb_op_forward(NB_OP_CEIL, (double[]){ 1.2 }, 1) == 2);
}
END_TEST

START_TEST(sigmoid_derivative_is_s_times_one_minus_s)
{
	static const double xs[] = { -30, -3, -1, 0, 0.5, 1, 2, 10, 30 };

	for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
		double s = 1 / (1 + exp(-xs[i])), v, l;

		v = nb_op_forward(NB_OP_SIGMOID, &xs[i], 1);
		ck_assert_msg(fabs(v - s) <= 1e-15 * s, "sigmoid(%g) = %.17g, "
			      "expected %.17g", xs[i], v, s);
		/* (1 - s) s, as e/(1 + e)^2 with e = exp(-|x|): 1 - s
		 * cancels for large x (6500 ulps off at 10) */
		double e = exp(-fabs(xs[i])), ds = e / ((1 + e) * (1 + e));

		nb_op_locals(NB_OP_SIGMOID, &xs[i], 1, v, &l);
		ck_assert_msg(fabs(l - ds) <= 4 * DBL_EPSILON * ds,
			      "sigmoid'(%g) = %.17g, expected %.17g", xs[i], l,
			      ds);
	}
	LOCALS(NB_OP_SIGMOID, L(0), L(0.25));
	/* far out the forward value neither overflows nor loses the tail */
	ck_assert(nb_op_forward(NB_OP_SIGMOID, (double[]){ -800 }, 1) >= 0);
	ck_assert(nb_op_forward(NB_OP_SIGMOID, (double[]){ 800 }, 1) == 1);
	ck_assert(nb_op_forward(NB_OP_SIGMOID, (double[]){ -40 }, 1) > 0);
	/* softplus' = sigmoid */
	{
		double x = 0.7, l, s = 1 / (1 + exp(-x));
		locals_of(NB_OP_SOFTPLUS, &x, 1, &l);
		ck_assert_double_eq_tol(l, s, 1e-15);
		ck_assert_double_eq_tol(nb_op_forward(NB_OP_SOFTPLUS, &x, 1),
					log(1 + exp(x)), 1e-15);
		x = 800;
		ck_assert(nb_op_forward(NB_OP_SOFTPLUS, &x, 1) == 800);
	}
}
END_TEST

START_TEST(pow_conventions)
{
	const double ln2 = log(2);

	/* ordinary points: b*a^(b-1) and a^b*ln(a) */
	LOCALS(NB_OP_POW, L(2, 3), L(12, 8 * ln2));
	/* x^0 is the constant 1: its base gradient is 0, at 0 too */
	{
		double l[2];
		locals_of(NB_OP_POW, (double[]){ -2, 3 }, 2, l);
		ck_assert(l[0] == 12);
		locals_of(NB_OP_POW, (double[]){ 0, 0 }, 2, l);
		ck_assert(l[0] == 0);
		locals_of(NB_OP_POW, (double[]){ 3, 0 }, 2, l);
		ck_assert(l[0] == 0);
		ck_assert_double_eq_tol(l[1], log(3), 1e-15);
		locals_of(NB_OP_POW, (double[]){ -2, 0 }, 2, l);
		ck_assert(l[0] == 0);
	}
	/* 0^b for b > 0 is the constant 0: its exponent gradient is 0 */
	LOCALS(NB_OP_POW, L(0, 2), L(0, 0));
	LOCALS(NB_OP_POW, L(0, 1), L(1, 0));
	LOCALS(NB_OP_POW, L(0, 3), L(0, 0));
	LOCALS(NB_OP_POW, L(0, 0.5), L(INFINITY, 0));
	ck_assert(nb_op_forward(NB_OP_POW, (double[]){ 0, 0 }, 2) == 1);
	ck_assert(nb_op_forward(NB_OP_POW, (double[]){ 2, -1 }, 2) == 0.5);
}
END_TEST

START_TEST(other_rules_at_special_points)
{
	/* hypot: a/h, b/h, and 0 when h = 0 */
	LOCALS(NB_OP_HYPOT, L(0, 0), L(0, 0));
	LOCALS(NB_OP_HYPOT, L(3, 4), L(0.6, 0.8));
	LOCALS(NB_OP_HYPOT, L(-3, 4), L(-0.6, 0.8));
	/* atan2(y, x): x/(x^2+y^2), -y/(x^2+y^2) */
	LOCALS(NB_OP_ATAN2, L(1, 1), L(0.5, -0.5));
	LOCALS(NB_OP_ATAN2, L(0, -2), L(-0.5, 0));
	/* sum: 1 each; mean: 1/n each */
	LOCALS(NB_OP_SUM, L(1, 2, 3, 4, 5), L(1, 1, 1, 1, 1));
	LOCALS(NB_OP_MEAN, L(1, 2, 3, 4, 5), L(0.2, 0.2, 0.2, 0.2, 0.2));
	LOCALS(NB_OP_MEAN, L(1, 2), L(0.5, 0.5));
	ck_assert(nb_op_forward(NB_OP_MEAN, (double[]){ 1, 2, 3, 4, 5 }, 5) == 3);
	ck_assert(nb_op_forward(NB_OP_SUM, (double[]){ 1, 2, 3, 4, 5 }, 5) == 15);
	/* the binary operators: add distributes, mul swaps */
	LOCALS(NB_OP_ADD, L(3, -4), L(1, 1));
	LOCALS(NB_OP_SUB, L(3, -4), L(1, -1));
	LOCALS(NB_OP_MUL, L(3, -4), L(-4, 3));
	LOCALS(NB_OP_DIV, L(3, -4), L(-0.25, -3.0 / -4 / -4));
	LOCALS(NB_OP_NEG, L(5), L(-1));
	LOCALS(NB_OP_POS, L(5), L(1));
	/* sqrt and cbrt at 0: the slope is infinite */
	LOCALS(NB_OP_SQRT, L(4), L(0.25));
	LOCALS(NB_OP_SQRT, L(0), L(INFINITY));
	LOCALS(NB_OP_CBRT, L(8), L(1.0 / 12));
	LOCALS(NB_OP_CBRT, L(0), L(INFINITY));
	LOCALS(NB_OP_LOG, L(0.5), L(2));
	LOCALS(NB_OP_EXP, L(0), L(1));
	LOCALS(NB_OP_COS, L(0), L(-0.0));
	LOCALS(NB_OP_TANH, L(0), L(1));
}
END_TEST

/* ------------------------------------------------------------------ */
/* The table itself */

START_TEST(table_is_consistent)
{
	for (int i = 0; i < NB_OP_NELEM; i++) {
		const struct nb_opinfo *o = &nb_ops[i];

		ck_assert_ptr_nonnull(o->name);
		ck_assert_ptr_nonnull(o->summary);
		ck_assert_ptr_nonnull(o->rule);
		ck_assert_msg(o->name[0] && o->summary[0] && o->rule[0],
			      "row %d has an empty column", i);
		for (int j = 0; j < i; j++) {
			ck_assert_msg(strcmp(o->name, nb_ops[j].name) != 0,
				      "name %s twice", o->name);
			if (o->fn && nb_ops[j].fn)
				ck_assert_msg(strcmp(o->fn, nb_ops[j].fn) != 0,
					      "function %s twice", o->fn);
		}
		switch (o->kind) {
		case NB_LEAF:
			ck_assert_int_eq(o->arity, 0);
			break;
		case NB_INFIX:
			ck_assert_ptr_nonnull(o->sym);
			ck_assert_int_eq(o->arity, 2);
			ck_assert_int_gt(o->lbp, 0);
			ck_assert_int_eq(nb_op_infix(o->sym, strlen(o->sym)), i);
			break;
		case NB_PREFIX:
			ck_assert_ptr_nonnull(o->sym);
			ck_assert_int_eq(o->arity, 1);
			ck_assert_int_eq(nb_op_prefix(o->sym, strlen(o->sym)), i);
			break;
		case NB_FUNC:
			ck_assert_ptr_nonnull(o->fn);
			ck_assert(o->arity == NB_VARIADIC || o->arity >= 1);
			break;
		case NB_SYNTAX:
			/* its SYM says how it is written, for --list-functions */
			ck_assert_ptr_nonnull(o->sym);
			ck_assert_ptr_null(o->fn);
			break;
		}
		if (o->fn)
			ck_assert_int_eq(nb_op_function(o->fn, strlen(o->fn)), i);
	}
}
END_TEST

START_TEST(spec_functions_are_all_there)
{
	/* SPEC section 1: the function list and arities */
	static const struct {
		const char *fn;
		int arity;
	} spec[] = {
		{ "exp", 1 }, { "log", 1 }, { "log2", 1 }, { "log10", 1 },
		{ "log1p", 1 }, { "expm1", 1 }, { "sqrt", 1 }, { "cbrt", 1 },
		{ "sin", 1 }, { "cos", 1 }, { "tan", 1 }, { "asin", 1 },
		{ "acos", 1 }, { "atan", 1 }, { "sinh", 1 }, { "cosh", 1 },
		{ "tanh", 1 }, { "sigmoid", 1 }, { "relu", 1 },
		{ "softplus", 1 }, { "abs", 1 }, { "sign", 1 }, { "floor", 1 },
		{ "ceil", 1 }, { "pow", 2 }, { "atan2", 2 }, { "hypot", 2 },
		{ "max", NB_VARIADIC }, { "min", NB_VARIADIC },
		{ "sum", NB_VARIADIC }, { "mean", NB_VARIADIC },
	};

	for (size_t i = 0; i < sizeof spec / sizeof spec[0]; i++) {
		int op = nb_op_function(spec[i].fn, strlen(spec[i].fn));
		ck_assert_msg(op >= 0, "no function %s", spec[i].fn);
		ck_assert_msg(nb_ops[op].arity == spec[i].arity,
			      "%s has arity %d, expected %d", spec[i].fn,
			      nb_ops[op].arity, spec[i].arity);
	}
	ck_assert_int_eq(nb_op_infix("+", 1), NB_OP_ADD);
	ck_assert_int_eq(nb_op_infix("-", 1), NB_OP_SUB);
	ck_assert_int_eq(nb_op_infix("*", 1), NB_OP_MUL);
	ck_assert_int_eq(nb_op_infix("/", 1), NB_OP_DIV);
	ck_assert_int_eq(nb_op_infix("^", 1), NB_OP_POW);
	ck_assert_int_eq(nb_op_prefix("-", 1), NB_OP_NEG);
	ck_assert_int_eq(nb_op_prefix("+", 1), NB_OP_POS);
	ck_assert_int_eq(nb_op_prefix("*", 1), -1);
	ck_assert_int_eq(nb_op_infix("%", 1), -1);
	/* lookups compare the whole slice */
	ck_assert_int_eq(nb_op_function("expm1", 3), NB_OP_EXP);
	ck_assert_int_eq(nb_op_function("ex", 2), -1);
	ck_assert_int_eq(nb_op_function("exp(", 4), -1);
	ck_assert_int_eq(nb_op_function("EXP", 3), -1);
	/* pi and e are constants, not functions */
	ck_assert_int_eq(nb_op_function("pi", 2), -1);
}
END_TEST

START_TEST(arity_ok)
{
	ck_assert(nb_op_arity_ok(NB_OP_SIN, 1));
	ck_assert(!nb_op_arity_ok(NB_OP_SIN, 0));
	ck_assert(!nb_op_arity_ok(NB_OP_SIN, 2));
	ck_assert(nb_op_arity_ok(NB_OP_ATAN2, 2));
	ck_assert(!nb_op_arity_ok(NB_OP_ATAN2, 1));
	ck_assert(!nb_op_arity_ok(NB_OP_MAX, 0));
	ck_assert(!nb_op_arity_ok(NB_OP_MAX, 1));
	ck_assert(nb_op_arity_ok(NB_OP_MAX, 2));
	ck_assert(nb_op_arity_ok(NB_OP_MEAN, 1000));
}
END_TEST

START_TEST(constants)
{
	double v = 0;

	ck_assert(nb_constant("pi", 2, &v));
	ck_assert(v == 3.14159265358979323846);
	ck_assert(nb_constant("e", 1, &v));
	ck_assert(v == exp(1.0));
	ck_assert(!nb_constant("pie", 3, &v));
	ck_assert(!nb_constant("p", 1, &v));
	ck_assert(!nb_constant("E", 1, &v));
	ck_assert(!nb_constant("exp", 3, &v));
}
END_TEST

static const struct {
	const char *typo, *want;
} nearest[] = {
	{ "sigmoud", "sigmoid" }, { "Sigmoid", "sigmoid" },
	{ "sigmod", "sigmoid" }, { "sqr", "sqrt" }, { "sqrtt", "sqrt" },
	{ "exxp", "exp" }, { "tanhh", "tanh" }, { "hypo", "hypot" },
	{ "meen", "mean" }, { "floorr", "floor" }, { "softpluss", "softplus" },
	{ "atan22", "atan2" }, { "relu", "relu" },
	/* case is ignored, a swap of two letters is one edit */
	{ "RELU", "relu" }, { "ReLU", "relu" }, { "EXP", "exp" },
	{ "SIGMOID", "sigmoid" }, { "sigmiod", "sigmoid" },
	/* other notations */
	{ "ln", "log" }, { "arctan", "atan" },
	/* nothing close: no suggestion */
	{ "qwertyuiop", NULL }, { "zz", NULL }, { "foo", NULL },
	{ "bogus", NULL },
};

START_TEST(nearest_function)
{
	const char *typo = nearest[_i].typo, *want = nearest[_i].want;
	const char *got = nb_op_nearest_function(typo, strlen(typo));

	if (want)
		ck_assert_msg(got && strcmp(got, want) == 0,
			      "nearest to %s: %s, expected %s", typo,
			      got ? got : "(none)", want);
	else
		ck_assert_msg(got == NULL, "nearest to %s: %s, expected none",
			      typo, got);
}
END_TEST

START_TEST(nearest_function_is_a_function)
{
	/* whatever it suggests is a known function; long input is safe */
	static const char *const words[] = { "a", "xx", "lg", "expp1", "maxx",
					     "summ", "coss", "x",
					     ("a_very_long_name_that_is_not_a_"
					      "function_at_all_really") };

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		const char *got = nb_op_nearest_function(words[i],
							 strlen(words[i]));
		if (got)
			ck_assert_msg(nb_op_function(got, strlen(got)) >= 0,
				      "%s -> %s", words[i], got);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* The SYMBOLIC column against LOCAL */

/* Grid values: zeros of both signs, ties (every value repeats across
 * arguments), the special points of pow, and infinities. */
static const double grid[] = { -2.5, -1, -0.5, -0.0, 0, 0.3, 0.5, 1, 2, 3,
			       INFINITY, -INFINITY };
#define NGRID (sizeof grid / sizeof grid[0])

/* Whether got is want: both nan, equal, or within 4 ulps. */
static int same_number(double got, double want)
{
	if (isnan(got) || isnan(want))
		return isnan(got) && isnan(want);
	return got == want ||
	       fabs(got - want) <= 4 * DBL_EPSILON * fmax(fabs(got), fabs(want));
}

/* Rule piece k of op, compiled by nabla's parser. */
static void compile_rule(enum nb_op op, size_t k, struct nb_program *p)
{
	struct nb_diag d;
	size_t len;
	const char *text = nb_local_text(op, k, &len);

	ck_assert_msg(text != NULL, "%s: no symbolic rule for input %zu",
		      nb_ops[op].name, k);
	ck_assert_msg(nb_program_compile(p, "<rule>", text, len, &d) == 0,
		      "%s: rule '%.*s' does not compile: %s", nb_ops[op].name,
		      (int)len, text, d.msg);
}

/* The rule's value with its names bound to vals[NB_RV_...]. */
static double eval_rule(struct nb_program *p, const double *vals)
{
	static const char *const names[NB_RV_COUNT] = { "a", "b", "v", "n",
							 "r" };

	for (int k = 0; k < NB_RV_COUNT; k++) {
		long var = nb_program_var(p, names[k], 1);
		if (var >= 0)
			nb_program_set(p, (size_t)var, vals[k]);
	}
	for (size_t i = 0; i < p->nvars; i++)
		ck_assert_msg(p->bound[i], "a rule uses a name other than a, b, "
			      "v, n, r");
	nb_forward(&p->tape, 0, p->tape.n);
	return p->tape.value[p->output];
}

/* The same rule instantiated (and simplified) as --symbolic does it,
 * over leaves 0..4 valued vals, evaluated node by node. */
static double eval_instantiated(struct nb_localrules *lr, enum nb_op op,
				size_t k, const double *vals)
{
	struct nb_expr e;
	uint32_t bind[NB_RV_COUNT], id;
	double val[256], x[4];

	nb_expr_init(&e);
	for (int j = 0; j < NB_RV_COUNT; j++)
		ck_assert_int_eq(nb_expr_leaf(&e, (uint32_t)j, &bind[j]), 0);
	ck_assert_int_eq(nb_local_expr(lr, &e, op, k, bind, &id), 0);
	ck_assert_uint_le(e.n, 256);
	for (uint32_t i = 0; i < e.n; i++) {
		size_t n = nb_expr_nargs(&e, i);
		if (e.op[i] == NB_OP_VAR)
			val[i] = vals[e.ref[i]];
		else if (e.op[i] == NB_OP_CONST)
			val[i] = e.num[i];
		else {
			ck_assert_uint_le(n, 4);
			for (size_t j = 0; j < n; j++)
				x[j] = val[e.arg[e.first[i] + j]];
			val[i] = nb_op_forward((enum nb_op)e.op[i], x, n);
		}
	}
	nb_expr_free(&e);
	return val[id];
}

/* Compares both forms of the rule with LOCAL at x; returns 1 if the
 * point counts (its value is not nan). */
static int symbolic_at(enum nb_op op, struct nb_program *rules,
		       struct nb_localrules *lr, const double *x, size_t n)
{
	int variadic = nb_ops[op].arity == NB_VARIADIC;
	double local[MAXARG], v = nb_op_forward(op, x, n), r = 1;

	if (isnan(v) || ((op == NB_OP_MAX || op == NB_OP_MIN) && isinf(v)))
		return 0;
	nb_op_locals(op, x, n, v, local);
	for (size_t k = 0; k < n; k++) {
		double vals[NB_RV_COUNT] = { variadic ? x[k] : x[0],
					     n > 1 ? x[1] : 0, v, (double)n, r };
		double parsed = eval_rule(&rules[variadic ? 0 : k], vals);
		double built = eval_instantiated(lr, op, k, vals);

		ck_assert_msg(same_number(parsed, local[k]) &&
				      same_number(built, local[k]),
			      "%s local %zu at (%g, %g, ...) of %zu: LOCAL %.17g, "
			      "symbolic rule %.17g, instantiated %.17g",
			      nb_ops[op].name, k, x[0], n > 1 ? x[1] : 0, n,
			      local[k], parsed, built);
		r -= parsed;
	}
	return 1;
}

/* _i is the op: every row of the table. */
START_TEST(symbolic_rules_equal_locals)
{
	enum nb_op op = (enum nb_op)_i;
	struct nb_program rules[2];
	struct nb_localrules lr;
	size_t ns[3], nn, pieces;

	if (nb_ops[op].kind == NB_LEAF)
		return;
	nb_localrules_init(&lr);
	pieces = nb_ops[op].arity == 2 ? 2 : 1;
	for (size_t k = 0; k < pieces; k++)
		compile_rule(op, k, &rules[k]);
	nn = arities(op, ns);
	for (size_t a = 0; a < nn; a++) {
		size_t n = ns[a], total = 1, counted = 0;
		double x[MAXARG];

		for (size_t k = 0; k < n; k++)
			total *= NGRID;
		/* every combination of grid values, thinned to ~3000 */
		for (size_t code = 0; code < total; code += 1 + total / 3000) {
			for (size_t k = 0, c = code; k < n; k++, c /= NGRID)
				x[k] = grid[c % NGRID];
			counted += (size_t)symbolic_at(op, rules, &lr, x, n);
		}
		/* and the ordinary points of the finite-difference test */
		for (size_t j = 0; j < NPOINTS; j++) {
			sample(j, n, x);
			counted += (size_t)symbolic_at(op, rules, &lr, x, n);
		}
		ck_assert_msg(counted >= 14, "%s: only %zu points compared",
			      nb_ops[op].name, counted);
	}
	for (size_t k = 0; k < pieces; k++)
		nb_program_free(&rules[k]);
	nb_localrules_free(&lr);
}
END_TEST

START_TEST(symbolic_max_routes_like_local)
{
	/* ties: the first argument equal to the maximum takes it all */
	struct nb_program rule;
	struct nb_localrules lr;
	const double x[5] = { 2, 5, 5, 1, 5 };

	nb_localrules_init(&lr);
	compile_rule(NB_OP_MAX, 0, &rule);
	ck_assert(symbolic_at(NB_OP_MAX, &rule, &lr, x, 5));
	ck_assert(eval_instantiated(&lr, NB_OP_MAX, 1,
				    (double[]){ 5, 0, 5, 5, 1 }) == 1);
	ck_assert(eval_instantiated(&lr, NB_OP_MAX, 2,
				    (double[]){ 5, 0, 5, 5, 0 }) == 0);
	nb_program_free(&rule);
	nb_localrules_free(&lr);
	/* a rule names only a, b, v, n and r, and routes only where r is */
	ck_assert(nb_local_routes(NB_OP_MAX) && nb_local_routes(NB_OP_MIN));
	ck_assert(!nb_local_routes(NB_OP_SUM) && !nb_local_routes(NB_OP_RELU));
}
END_TEST

#define N(a) ((int)(sizeof a / sizeof a[0]))

static Suite *ops_suite(void)
{
	Suite *s = suite_create("ops");
	TCase *tc = tcase_create("every_row");

	tcase_add_loop_test(tc, locals_match_central_differences, 0,
			    NB_OP_NELEM);
	tcase_add_loop_test(tc, seconds_match_central_differences, 0,
			    NB_OP_NELEM);
	tcase_add_test(tc, rules_are_pure);
	tcase_add_loop_test(tc, symbolic_rules_equal_locals, 0, NB_OP_NELEM);
	tcase_add_test(tc, symbolic_max_routes_like_local);
	suite_add_tcase(s, tc);

	tc = tcase_create("conventions");
	tcase_add_test(tc, max_routes_to_first_extremum);
	tcase_add_test(tc, min_routes_to_first_extremum);
	tcase_add_test(tc, max_min_route_exactly_one);
	tcase_add_test(tc, kinks);
	tcase_add_test(tc, steps_have_zero_gradient);
	tcase_add_test(tc, sigmoid_derivative_is_s_times_one_minus_s);
	tcase_add_test(tc, pow_conventions);
	tcase_add_test(tc, pow_second_conventions);
	tcase_add_test(tc, kinked_seconds_are_zero);
	tcase_add_test(tc, other_rules_at_special_points);
	suite_add_tcase(s, tc);

	tc = tcase_create("table");
	tcase_add_test(tc, table_is_consistent);
	tcase_add_test(tc, spec_functions_are_all_there);
	tcase_add_test(tc, arity_ok);
	tcase_add_test(tc, constants);
	tcase_add_loop_test(tc, nearest_function, 0, N(nearest));
	tcase_add_test(tc, nearest_function_is_a_function);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(ops_suite);
