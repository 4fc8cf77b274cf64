/* check_gradcheck.c - --check's step rule, relative error, kink
 * detection and verdicts, on programs compiled the way the CLI does. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "core/kink.h"
#include "modes/gradcheck.h"
#include "testmain.h"
#include "testprog.h"

/* Compiles text, binds the NULL-terminated pairs, runs the sweeps and
 * checks every input with tolerance tol. */
static void checked(struct nb_program *p, struct nb_check *c, double tol,
		    const char *text, ...)
{
	size_t wrt[8];
	va_list ap;

	compile_ok(p, text);
	va_start(ap, text);
	vbind_run(p, ap);
	va_end(ap);
	ck_assert(p->nvars <= 8);
	for (size_t k = 0; k < p->nvars; k++)
		wrt[k] = k;
	ck_assert_int_eq(nb_check_init(c, p, wrt, p->nvars, tol), 0);
	nb_check_run(c, p);
}

static const struct nb_partial *part(const struct nb_program *p,
				     const struct nb_check *c,
				     const char *name)
{
	long var = nb_program_var(p, name, strlen(name));

	ck_assert_msg(var >= 0, "no input %s", name);
	for (size_t k = 0; k < c->n; k++)
		if (c->part[k].var == (size_t)var)
			return &c->part[k];
	ck_abort_msg("%s not checked", name);
	return NULL;
}

static void done(struct nb_program *p, struct nb_check *c)
{
	nb_check_free(c);
	nb_program_free(p);
}

START_TEST(step_scales_with_the_input)
{
	double h0 = cbrt(DBL_EPSILON);

	/* cbrt(eps) balances truncation (h^2) against rounding (eps/h);
	 * below |x| = 1 the step stays absolute, above it relative. */
	ck_assert(fabs(h0 - 6.0554544523933395e-06) < 1e-20);
	ck_assert(nb_check_step(0) == h0);
	ck_assert(nb_check_step(0.5) == h0);
	ck_assert(nb_check_step(-1) == h0);
	ck_assert(nb_check_step(1e3) == 1e3 * h0);
	ck_assert(nb_check_step(-4e10) == 4e10 * h0);
}
END_TEST

START_TEST(the_step_taken_is_the_rounded_one)
{
	struct nb_program p;
	struct nb_check c;
	double x = 0.1, h = nb_check_step(x);

	/* 0.1 + h and 0.1 - h are rounded: their distance, not 2h, is the
	 * step the quotient divides by. */
	checked(&p, &c, 1e-6, "3 * x", "x", x, NULL);
	ck_assert((x + h) - (x - h) != 2 * h);
	ck_assert(c.part[0].step == (x + h) - (x - h));
	ck_assert(c.part[0].numeric ==
		  (3 * (x + h) - 3 * (x - h)) / ((x + h) - (x - h)));
	ck_assert(c.part[0].verdict == NB_CHECK_OK);
	done(&p, &c);
}
END_TEST

START_TEST(relative_error_rules)
{
	ck_assert(nb_check_error(-4, -4, 0) == 0);
	ck_assert(nb_check_error(0, 0, 0) == 0);
	ck_assert(fabs(nb_check_error(2, 1, 0) - 0.5) < 1e-16);
	ck_assert(fabs(nb_check_error(-1, 1, 0) - 2) < 1e-16);
	/* both within the floor of 0: the difference cannot tell them
	 * apart from 0 */
	ck_assert(nb_check_error(1e-12, 0, 1e-11) == 0);
	ck_assert(nb_check_error(1e-12, -3e-12, 1e-11) == 0);
	/* one above it is compared as usual */
	ck_assert(nb_check_error(1e-10, 0, 1e-11) == 1);
	ck_assert(isnan(nb_check_error(NAN, 1, 1)));
	ck_assert(isnan(nb_check_error(0, NAN, 1)));
	ck_assert(nb_check_error(INFINITY, INFINITY, 0) == 0);
	ck_assert(nb_check_error(INFINITY, 1e300, 0) == 1);
}
END_TEST

START_TEST(seeds_pass)
{
	struct nb_program p;
	struct nb_check c;

	checked(&p, &c, 1e-6, "q = x + y; f = q * z", "x", -2.0, "y", 5.0,
		"z", -4.0, NULL);
	ck_assert_int_eq(c.nok, 3);
	ck_assert(c.verdict == NB_CHECK_OK);
	ck_assert(fabs(part(&p, &c, "x")->numeric + 4) < 1e-9);
	ck_assert(fabs(part(&p, &c, "z")->numeric - 3) < 1e-9);
	ck_assert(c.maxerr < 1e-9);
	done(&p, &c);
	checked(&p, &c, 1e-6, "sigmoid(w0*x0 + w1*x1 + w2)", "w0", 2.0,
		"x0", -1.0, "w1", -3.0, "x1", -2.0, "w2", -3.0, NULL);
	ck_assert_int_eq(c.nok, 5);
	ck_assert(fabs(part(&p, &c, "x0")->numeric - 0.393224) < 1e-6);
	done(&p, &c);
}
END_TEST

START_TEST(a_wrong_gradient_fails)
{
	struct nb_program p;
	struct nb_check c;
	size_t all[2] = { 0, 1 };

	/* a reverse pass that lost the fork's second path */
	compile_ok(&p, "x * x + y");
	bind_run(&p, "x", 3.0, "y", 1.0, NULL);
	p.tape.grad[p.vars[0]] = 3;
	ck_assert_int_eq(nb_check_init(&c, &p, all, 2, 1e-6), 0);
	nb_check_run(&c, &p);
	ck_assert(c.part[0].verdict == NB_CHECK_FAIL);
	ck_assert(fabs(c.part[0].error - 0.5) < 1e-6);
	ck_assert(c.part[1].verdict == NB_CHECK_OK);
	ck_assert_int_eq(c.nfail, 1);
	ck_assert(c.verdict == NB_CHECK_FAIL);
	done(&p, &c);
}
END_TEST

START_TEST(truncation_fails_at_a_tiny_tolerance)
{
	struct nb_program p;
	struct nb_check c;

	/* truncation, h^2/6 * f'''(x)/f'(x) = 400 h^2/6, about 2.4e-9: far
	 * above rounding, within the default tolerance, above 1e-10 */
	checked(&p, &c, 1e-10, "exp(20 * x)", "x", 0.0, NULL);
	ck_assert(c.part[0].error > 1e-9 && c.part[0].error < 1e-8);
	ck_assert(fabs(c.part[0].analytic - c.part[0].numeric) >
		  10 * c.part[0].rounding);
	ck_assert(c.part[0].verdict == NB_CHECK_FAIL);
	done(&p, &c);
	checked(&p, &c, NB_CHECK_TOL, "exp(20 * x)", "x", 0.0, NULL);
	ck_assert(c.part[0].verdict == NB_CHECK_OK);
	done(&p, &c);
}
END_TEST

START_TEST(rounding_is_not_a_failure)
{
	struct nb_program p;
	struct nb_check c;

	/* tanh(12 +- h) differ in their last digits: the difference is off
	 * by 0.2%, within its rounding bound, while reverse mode is within
	 * 1e-6 of sech(12)^2 = 1.5100538175976e-10 (its rule 1 - tanh^2
	 * loses digits there too, fewer) */
	checked(&p, &c, NB_CHECK_TOL, "tanh(x)", "x", 12.0, NULL);
	ck_assert(fabs(c.part[0].analytic / 1.5100538175976e-10 - 1) < 1e-6);
	ck_assert(c.part[0].error > 1e-3);
	ck_assert(fabs(c.part[0].analytic - c.part[0].numeric) <=
		  c.part[0].rounding);
	ck_assert(c.part[0].verdict == NB_CHECK_ROUNDING);
	ck_assert_int_eq(c.nrounding, 1);
	ck_assert(c.verdict == NB_CHECK_ROUNDING);
	done(&p, &c);
	/* x + 1e8 keeps 8 fewer digits of x */
	checked(&p, &c, NB_CHECK_TOL, "(x + 1e8) - 1e8", "x", 1.0, NULL);
	ck_assert(c.part[0].error > 1e-4);
	ck_assert(c.part[0].verdict == NB_CHECK_ROUNDING);
	done(&p, &c);
}
END_TEST

START_TEST(values_are_restored)
{
	static const char text[] = "a = relu(x) * y; b = max(a, z) + "
				   "floor(x); f = b / y";
	struct nb_program p, q;
	struct nb_check c;

	/* the same program, swept once, and checked after its sweeps */
	compile_ok(&q, text);
	bind_run(&q, "x", 0.75, "y", 2.0, "z", -1.0, NULL);
	checked(&p, &c, 1e-6, text, "x", 0.75, "y", 2.0, "z", -1.0, NULL);
	ck_assert_int_eq(p.tape.n, q.tape.n);
	ck_assert(memcmp(q.tape.value, p.tape.value,
			 p.tape.n * sizeof *p.tape.value) == 0);
	nb_program_free(&q);
	done(&p, &c);
}
END_TEST

/* The verdict on the only input x of text at x = v. */
static enum nb_verdict verdict_at(const char *text, double v)
{
	struct nb_program p;
	struct nb_check c;
	enum nb_verdict r;

	checked(&p, &c, 1e-6, text, "x", v, NULL);
	r = c.part[0].verdict;
	if (r == NB_CHECK_KINK)
		ck_assert(nb_kink_capable((enum nb_op)p.tape.op[c.part[0].kink]));
	done(&p, &c);
	return r;
}

START_TEST(kinks_are_found)
{
	/* at the kink: the difference straddles it */
	ck_assert(verdict_at("relu(x)", 0) == NB_CHECK_KINK);
	ck_assert(verdict_at("abs(x)", 0) == NB_CHECK_KINK);
	ck_assert(verdict_at("max(x, 1)", 1) == NB_CHECK_KINK);
	ck_assert(verdict_at("min(2, x, 3)", 2) == NB_CHECK_KINK);
	ck_assert(verdict_at("sign(x)", 0) == NB_CHECK_KINK);
	ck_assert(verdict_at("floor(x)", 3) == NB_CHECK_KINK);
	ck_assert(verdict_at("ceil(x)", -2) == NB_CHECK_KINK);
	ck_assert(verdict_at("atan2(x, -1)", 0) == NB_CHECK_KINK);
	ck_assert(verdict_at("hypot(x, 0)", 0) == NB_CHECK_KINK);
	/* within the step of it, though not on it */
	ck_assert(verdict_at("relu(x - 1)", 1 + 1e-9) == NB_CHECK_KINK);
	ck_assert(verdict_at("abs(x) * 5", -2e-6) == NB_CHECK_KINK);
}
END_TEST

START_TEST(smooth_points_are_not_kinks)
{
	/* away from the kink, or where the function is smooth after all */
	ck_assert(verdict_at("relu(x)", 0.5) == NB_CHECK_OK);
	ck_assert(verdict_at("relu(x)", -0.5) == NB_CHECK_OK);
	ck_assert(verdict_at("abs(x)", 1e-3) == NB_CHECK_OK);
	ck_assert(verdict_at("max(x, 1)", 1.01) == NB_CHECK_OK);
	ck_assert(verdict_at("floor(x) + x", 3.5) == NB_CHECK_OK);
	ck_assert(verdict_at("atan2(x, 1)", 0) == NB_CHECK_OK);
	ck_assert(verdict_at("atan2(1, x)", 0) == NB_CHECK_OK);
	ck_assert(verdict_at("hypot(x, 1)", 0) == NB_CHECK_OK);
	/* a kink the output does not depend on */
	ck_assert(verdict_at("q = relu(x); f = x * 2", 0) == NB_CHECK_OK);
}
END_TEST

START_TEST(kink_rules)
{
	double x[3] = { 1, 3, 3 };

	/* max routes to the first of a tie */
	ck_assert(nb_kink_branch(NB_OP_MAX, x + 1, 2, 3) == 0);
	ck_assert(nb_kink_branch(NB_OP_MAX, x, 3, 3) == 1);
	/* relu and abs: only opposite sides cross, touching does not */
	ck_assert(nb_kink_crossed(NB_OP_RELU, 1, -1));
	ck_assert(!nb_kink_crossed(NB_OP_RELU, 1, 0));
	ck_assert(!nb_kink_crossed(NB_OP_ABS, -1, -1));
	/* a jump changes the value */
	ck_assert(nb_kink_crossed(NB_OP_FLOOR, 2, 3));
	ck_assert(!nb_kink_crossed(NB_OP_SIGN, NAN, NAN));
	ck_assert(!nb_kink_capable(NB_OP_SIGMOID));
	ck_assert(!nb_kink_capable(NB_OP_MUL));
}
END_TEST

static Suite *gradcheck_suite(void)
{
	Suite *s = suite_create("gradcheck");
	TCase *tc = tcase_create("step");

	tcase_add_test(tc, step_scales_with_the_input);
	tcase_add_test(tc, the_step_taken_is_the_rounded_one);
	tcase_add_test(tc, relative_error_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("verdicts");
	tcase_add_test(tc, seeds_pass);
	tcase_add_test(tc, a_wrong_gradient_fails);
	tcase_add_test(tc, truncation_fails_at_a_tiny_tolerance);
	tcase_add_test(tc, rounding_is_not_a_failure);
	tcase_add_test(tc, values_are_restored);
	suite_add_tcase(s, tc);
	tc = tcase_create("kinks");
	tcase_add_test(tc, kinks_are_found);
	tcase_add_test(tc, smooth_points_are_not_kinks);
	tcase_add_test(tc, kink_rules);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(gradcheck_suite);
