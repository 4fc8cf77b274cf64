/* check_gradcheck.c - --check's steps, error estimate, relative error,
 * kink detection and verdicts, on programs compiled the way the CLI
 * does. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "core/kink.h"
#include "core/tvals.h"
#include "core/view.h"
#include "modes/gradcheck.h"
#include "testmain.h"
#include "testprog.h"

/* Compiles text, binds the NULL-terminated pairs, runs the sweeps and
 * checks every input with tolerance tol and step h (0: the ladder). */
static void vchecked(struct nb_program *p, struct nb_check *c, double tol,
		     double h, const char *text, va_list ap)
{
	size_t wrt[8];

	compile_ok(p, text);
	vbind_run(p, ap);
	ck_assert(p->nvars <= 8);
	for (size_t k = 0; k < p->nvars; k++)
		wrt[k] = k;
	ck_assert_int_eq(nb_check_init(c, p, wrt, p->nvars, tol, h), 0);
	nb_check_run(c, p);
}

static void checked(struct nb_program *p, struct nb_check *c, double tol,
		    const char *text, ...)
{
	va_list ap;

	va_start(ap, text);
	vchecked(p, c, tol, 0, text, ap);
	va_end(ap);
}

/* checked with the step of --step. */
static void stepped(struct nb_program *p, struct nb_check *c, double tol,
		    double h, const char *text, ...)
{
	va_list ap;

	va_start(ap, text);
	vchecked(p, c, tol, h, text, ap);
	va_end(ap);
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

START_TEST(the_ladder_spans_the_scales)
{
	double h0 = cbrt(DBL_EPSILON);

	/* cbrt(eps) balances truncation (h^2) against rounding (eps/h);
	 * the ladder runs from the step for a function of scale
	 * max(1, |x|) to two rungs (2^-20) below the one for a function
	 * of scale |x|. */
	ck_assert(fabs(h0 - 6.0554544523933395e-06) < 1e-20);
	ck_assert(nb_check_step(0) == h0);
	ck_assert(nb_check_step(0.5) == h0);
	ck_assert(nb_check_step(-1) == h0);
	ck_assert(nb_check_step(1e3) == 1e3 * h0);
	ck_assert(nb_check_step(-4e10) == 4e10 * h0);
	ck_assert(nb_check_min_step(0.5) == 0x1p-20 * 0.5 * h0);
	ck_assert(nb_check_min_step(-1e-200) == 0x1p-20 * 1e-200 * h0);
	ck_assert(nb_check_min_step(4e10) == 0x1p-20 * nb_check_step(4e10));
	/* the floor keeps the step a normal number at 0 */
	ck_assert(nb_check_min_step(0) ==
		  h0 * 0x1p-20 * (DBL_MIN / DBL_EPSILON));
	ck_assert(nb_check_min_step(0) / 64 >= DBL_MIN);
}
END_TEST

START_TEST(the_step_taken_is_the_rounded_one)
{
	struct nb_program p;
	struct nb_check c;
	double x = 0.1, h = nb_check_step(x);

	/* 0.1 + h and 0.1 - h are rounded: their distance, not 2h, is the
	 * step the quotient divides by. */
	stepped(&p, &c, 1e-6, h, "3 * x", "x", x, NULL);
	ck_assert((x + h) - (x - h) != 2 * h);
	ck_assert(c.part[0].step == ((x + h) - (x - h)) / 2);
	ck_assert(c.part[0].numeric ==
		  (3 * (x + h) - 3 * (x - h)) / ((x + h) - (x - h)));
	ck_assert(c.part[0].verdict == NB_CHECK_OK);
	done(&p, &c);
}
END_TEST

START_TEST(relative_error_rules)
{
	ck_assert(nb_check_error(-4, -4) == 0);
	ck_assert(nb_check_error(0, 0) == 0);
	ck_assert(nb_check_error(0, -0.0) == 0);
	ck_assert(fabs(nb_check_error(2, 1) - 0.5) < 1e-16);
	ck_assert(fabs(nb_check_error(-1, 1) - 2) < 1e-16);
	/* small is not zero: that the difference cannot tell them apart
	 * is the verdict's business */
	ck_assert(nb_check_error(1e-300, 0) == 1);
	ck_assert(isnan(nb_check_error(NAN, 1)));
	ck_assert(isnan(nb_check_error(0, NAN)));
	ck_assert(nb_check_error(INFINITY, INFINITY) == 0);
	ck_assert(nb_check_error(INFINITY, 1e300) == 1);
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
	ck_assert_int_eq(nb_check_init(&c, &p, all, 2, 1e-6, 0), 0);
	nb_check_run(&c, &p);
	ck_assert(c.part[0].verdict == NB_CHECK_FAIL);
	ck_assert(fabs(c.part[0].error - 0.5) < 1e-6);
	ck_assert(c.part[1].verdict == NB_CHECK_OK);
	ck_assert_int_eq(c.nfail, 1);
	ck_assert(c.verdict == NB_CHECK_FAIL);
	done(&p, &c);
}
END_TEST

START_TEST(truncation_is_estimated)
{
	struct nb_program p;
	struct nb_check c;
	const struct nb_partial *pt;
	double trunc = 20 * 20 * 20 * 1e-6 / 6;

	/* with h = 1e-3 the difference of exp(20 x) at 0 is off by about
	 * h^2/6 f'''(0) = 8000e-6/6, above the tolerance: the step 2h
	 * estimates that (3 times it, to first order), so the verdict
	 * blames the difference, not the gradient */
	stepped(&p, &c, NB_CHECK_TOL, 1e-3, "exp(20 * x)", "x", 0.0, NULL);
	pt = &c.part[0];
	ck_assert(fabs(pt->numeric - pt->analytic - trunc) < 0.01 * trunc);
	ck_assert(pt->truncation > 2.9 * trunc && pt->truncation < 3.1 * trunc);
	ck_assert(pt->rounding < 1e-6 * trunc);
	ck_assert(pt->verdict == NB_CHECK_INACCURATE);
	ck_assert_int_eq(c.ninaccurate, 1);
	ck_assert_int_eq(c.nfail, 0);
	done(&p, &c);
	/* the ladder finds a step where it is small */
	checked(&p, &c, NB_CHECK_TOL, "exp(20 * x)", "x", 0.0, NULL);
	ck_assert(c.part[0].verdict == NB_CHECK_OK);
	ck_assert(c.part[0].truncation + c.part[0].rounding < 1e-6);
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
	ck_assert(c.part[0].verdict == NB_CHECK_INACCURATE);
	ck_assert_int_eq(c.ninaccurate, 1);
	ck_assert(c.verdict == NB_CHECK_INACCURATE);
	done(&p, &c);
	/* x + 1e8 keeps 8 fewer digits of x */
	checked(&p, &c, NB_CHECK_TOL, "(x + 1e8) - 1e8", "x", 1.0, NULL);
	ck_assert(c.part[0].error > 1e-4);
	ck_assert(c.part[0].verdict == NB_CHECK_INACCURATE);
	done(&p, &c);
}
END_TEST

/* A function and where its check must say ok: x in [lo, hi] and |x| in
 * [alo, ahi], f' not 0.  Elsewhere the difference may be inaccurate: f'
 * tiny beside f (cos(x) at 1e-10, where f - 1 is below f's rounding), a
 * step larger than the function's wiggles (sin(x) at x = 1e10), f
 * underflowing (x^2 at 1e-200), or f' = 0 where the difference is its
 * truncation error (x^3 - 3x at 1); the verdict may say so, never
 * fail. */
static const struct smooth {
	const char *text;
	double lo, hi, alo, ahi;
} smooth[] = {
	{ "x^2", -HUGE_VAL, HUGE_VAL, 1e-100, 1e100 },
	{ "x^3", -HUGE_VAL, HUGE_VAL, 0, 1e100 },
	{ "x^3 - 3*x", -HUGE_VAL, HUGE_VAL, 0, 1e100 },
	{ "(1 - x)^2", -HUGE_VAL, HUGE_VAL, 0, 1e100 },
	{ "x^2.5", 1e-100, 1e100, 0, HUGE_VAL },
	{ "1/x", -HUGE_VAL, HUGE_VAL, 1e-100, HUGE_VAL },
	{ "x^-2", -HUGE_VAL, HUGE_VAL, 0, HUGE_VAL },
	{ "sqrt(x)", 0, HUGE_VAL, 0, HUGE_VAL },
	{ "log(x)", 0, HUGE_VAL, 0, HUGE_VAL },
	{ "x * log(x)", 0, HUGE_VAL, 0, HUGE_VAL },
	{ "log(1 + x)", -0.5, HUGE_VAL, 0, HUGE_VAL },
	{ "log(x^2 + 1)", -HUGE_VAL, HUGE_VAL, 1e-3, 1e100 },
	{ "exp(x)", -HUGE_VAL, 3, 0, HUGE_VAL },
	{ "exp(x) - 1 - x", -HUGE_VAL, 3, 1e-3, HUGE_VAL },
	{ "exp(-x*x)", -HUGE_VAL, HUGE_VAL, 1e-3, 3 },
	{ "x * exp(-x)", -3, HUGE_VAL, 0, HUGE_VAL },
	{ "sin(x)", -HUGE_VAL, HUGE_VAL, 0, 3 },
	{ "cos(x)", -HUGE_VAL, HUGE_VAL, 1e-3, 3 },
	{ "tanh(x)", -HUGE_VAL, HUGE_VAL, 0, HUGE_VAL },
	{ "sigmoid(x)", -HUGE_VAL, HUGE_VAL, 0, HUGE_VAL },
	{ "atan(x)", -HUGE_VAL, HUGE_VAL, 0, 1e3 },
	{ "x / (1 + x)", -HUGE_VAL, HUGE_VAL, 0, 1e3 },
};

static const double points[] = {
	0, 1e-200, 1e-100, 1e-10, 1e-3, 0.5, 1, 3, 1e3, 1e10, 1e100, 1e200,
	-1e-200, -1e-100, -1e-10, -1e-3, -0.5, -1, -3, -1e3, -1e10, -1e100,
	-1e200
};

#define NPOINTS (sizeof points / sizeof points[0])

static int ok_expected(const struct smooth *s, double x, double analytic)
{
	return s->lo <= x && x <= s->hi && s->alo <= fabs(x) &&
	       fabs(x) <= s->ahi && analytic != 0;
}

/* The verdict on the input x of text at v with reverse mode's partial
 * multiplied by factor, or -1 where f or the partial is not finite
 * (no gradient to check). */
static int verdict_scaled(const char *text, double v, double factor,
			  double *analytic)
{
	struct nb_program p;
	struct nb_check c;
	size_t x = 0;
	int r = -1;

	compile_ok(&p, text);
	bind_run(&p, "x", v, NULL);
	*analytic = p.tape.grad[p.vars[0]];
	if (isfinite(p.tape.value[p.output]) && isfinite(*analytic)) {
		p.tape.grad[p.vars[0]] *= factor;
		ck_assert_int_eq(nb_check_init(&c, &p, &x, 1, NB_CHECK_TOL, 0),
				 0);
		nb_check_run(&c, &p);
		r = (int)c.part[0].verdict;
		nb_check_free(&c);
	}
	nb_program_free(&p);
	return r;
}

START_TEST(right_gradients_pass_from_1e_200_to_1e200)
{
	const struct smooth *s = &smooth[_i];
	size_t nok = 0;
	double a;

	for (size_t k = 0; k < NPOINTS; k++) {
		int v = verdict_scaled(s->text, points[k], 1, &a);

		if (v < 0)
			continue;
		ck_assert_msg(v != NB_CHECK_FAIL, "%s at %g failed", s->text,
			      points[k]);
		if (ok_expected(s, points[k], a)) {
			ck_assert_msg(v == NB_CHECK_OK, "%s at %g: %s", s->text,
				      points[k],
				      nb_verdict_name((enum nb_verdict)v));
			nok++;
		}
	}
	ck_assert_msg(nok >= 8, "%s: ok at %zu points", s->text, nok);
}
END_TEST

START_TEST(wrong_gradients_fail_where_right_ones_pass)
{
	/* ten times the tolerance off, the wrong sign, twice the value */
	static const double factors[] = { 1 + 1e-5, 1 - 1e-5, -1, 2 };
	const struct smooth *s = &smooth[_i];
	double a;

	for (size_t k = 0; k < NPOINTS; k++) {
		if (verdict_scaled(s->text, points[k], 1, &a) < 0 ||
		    !ok_expected(s, points[k], a))
			continue;
		for (size_t j = 0; j < sizeof factors / sizeof *factors; j++)
			ck_assert_msg(verdict_scaled(s->text, points[k],
						     factors[j], &a) ==
				      NB_CHECK_FAIL, "%s at %g times %g passed",
				      s->text, points[k], factors[j]);
	}
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
	ck_assert(r == NB_CHECK_KINK || c.part[0].kink == UINT32_MAX);
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
	/* within every step of the ladder of it, though not on it */
	ck_assert(verdict_at("relu(x - 1)", 1 + 1e-13) == NB_CHECK_KINK);
	ck_assert(verdict_at("abs(x - 1e-3) * 5", 1e-3 - 1e-18) ==
		  NB_CHECK_KINK);
}
END_TEST

START_TEST(smooth_points_are_not_kinks)
{
	/* away from the kink, or where the function is smooth after all */
	ck_assert(verdict_at("relu(x)", 0.5) == NB_CHECK_OK);
	ck_assert(verdict_at("relu(x)", -0.5) == NB_CHECK_OK);
	ck_assert(verdict_at("abs(x)", 1e-3) == NB_CHECK_OK);
	/* the first step straddles the kink, a smaller one does not */
	ck_assert(verdict_at("abs(x) * 5", -2e-6) == NB_CHECK_OK);
	ck_assert(verdict_at("relu(x - 1)", 1 + 1e-9) == NB_CHECK_OK);
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

/* Binds input name of p to the tensor of shape s with elements x. */
static void bind_tensor(struct nb_program *p, const char *name,
			struct nb_shape s, const double *x)
{
	struct nb_tensor t = { s, (double *)x };
	long var = nb_program_var(p, name, strlen(name));

	ck_assert_msg(var >= 0, "no input %s", name);
	ck_assert_int_eq(nb_program_set_tensor(p, (size_t)var, &t), 0);
}

/* The seeds' D = W @ X with an upstream gradient dD, swept. */
static void matmul_program(struct nb_program *p)
{
	static const double w[6] = { 1, -2, 0.5, 3, 1.5, -1 };
	static const double x[6] = { 0.25, 2, -1, 1, 4, -0.5 };
	static const double up[4] = { 1, -1, 2, 0.5 };
	struct nb_tensor u = { nb_shape_matrix(2, 2), (double *)up };
	struct nb_diag d;

	compile_ok(p, "D = W @ X");
	bind_tensor(p, "W", nb_shape_matrix(2, 3), w);
	bind_tensor(p, "X", nb_shape_matrix(3, 2), x);
	ck_assert_int_eq(nb_program_run(p, &u, &d), 0);
}

START_TEST(every_tensor_element_is_checked)
{
	struct nb_program p;
	struct nb_check c;
	size_t all[2] = { 0, 1 }, w = 0;
	double before[4];

	matmul_program(&p);
	memcpy(before, nb_node_value(&p.tape, p.output).x, sizeof before);
	ck_assert_int_eq(nb_check_init(&c, &p, all, 2, 1e-6, 0), 0);
	nb_check_run(&c, &p);
	ck_assert_uint_eq(c.n, 12);
	for (size_t k = 0; k < c.n; k++) {
		ck_assert_msg(c.part[k].verdict == NB_CHECK_OK, "element %zu",
			      k);
		ck_assert_uint_eq(c.part[k].elem, k < 6 ? k : k - 6);
	}
	/* dW[1,2] = (dD @ X.T)[1,2] = 2 * 4 + 0.5 * -0.5 */
	ck_assert(c.part[5].analytic == 7.75);
	ck_assert(fabs(c.part[5].numeric - 7.75) < 1e-9);
	/* the values and the gradient are as they were */
	ck_assert(memcmp(before, nb_node_value(&p.tape, p.output).x,
			 sizeof before) == 0);
	ck_assert(nb_program_has_grad(&p));
	ck_assert(nb_node_grad(&p.tape, p.vars[w]).x[5] == 7.75);
	done(&p, &c);
}
END_TEST

START_TEST(a_wrong_tensor_element_fails_alone)
{
	struct nb_program p;
	struct nb_check c;
	size_t all[2] = { 0, 1 };
	struct nb_tvals *tv;

	matmul_program(&p);
	tv = p.tape.tv;
	/* a reverse pass that got dX[2,1] wrong */
	tv->grd[tv->off[p.vars[1]] + 5] += 0.5;
	ck_assert_int_eq(nb_check_init(&c, &p, all, 2, 1e-6, 0), 0);
	nb_check_run(&c, &p);
	for (size_t k = 0; k < c.n; k++)
		ck_assert_msg(c.part[k].verdict == (k == 11 ? NB_CHECK_FAIL
						    : NB_CHECK_OK),
			      "element %zu", k);
	ck_assert_uint_eq(c.part[11].var, 1);
	ck_assert_uint_eq(c.part[11].elem, 5);
	ck_assert_int_eq(c.nfail, 1);
	done(&p, &c);
}
END_TEST

START_TEST(samples_are_reproducible)
{
	static double w[600];
	struct nb_program p;
	struct nb_check a, b, other;
	size_t all[1] = { 0 };
	struct nb_diag d;
	int same = 1;

	for (size_t k = 0; k < 600; k++)
		w[k] = (double)k / 600;
	compile_ok(&p, "sum(W * W)");
	bind_tensor(&p, "W", nb_shape_matrix(20, 30), w);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_uint_eq(nb_check_total(&p, all, 1), 600);
	ck_assert_int_eq(nb_check_init_sampled(&a, &p, all, 1, 1e-6, 0, 7, 3),
			 0);
	ck_assert_int_eq(nb_check_init_sampled(&b, &p, all, 1, 1e-6, 0, 7, 3),
			 0);
	ck_assert_int_eq(nb_check_init_sampled(&other, &p, all, 1, 1e-6, 0,
					       7, 4), 0);
	ck_assert_uint_eq(a.n, 7);
	for (size_t k = 0; k < 7; k++) {
		ck_assert_uint_eq(a.part[k].elem, b.part[k].elem);
		/* without replacement, in order */
		ck_assert(k == 0 || a.part[k].elem > a.part[k - 1].elem);
		same &= a.part[k].elem == other.part[k].elem;
	}
	ck_assert_msg(!same, "another seed picks other elements");
	nb_check_free(&b);
	nb_check_free(&other);
	done(&p, &a);
}
END_TEST

START_TEST(tensor_kinks_are_found_per_element)
{
	static const double x[2] = { 0, 1 };
	struct nb_program p;
	struct nb_check c;
	size_t all[1] = { 0 };
	struct nb_diag d;

	compile_ok(&p, "sum(max(0, x))");
	bind_tensor(&p, "x", nb_shape_vector(2), x);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_int_eq(nb_check_init(&c, &p, all, 1, 1e-6, 0), 0);
	nb_check_run(&c, &p);
	ck_assert(c.part[0].verdict == NB_CHECK_KINK);
	ck_assert(c.part[1].verdict == NB_CHECK_OK);
	done(&p, &c);
}
END_TEST

static Suite *gradcheck_suite(void)
{
	Suite *s = suite_create("gradcheck");
	TCase *tc = tcase_create("step");

	tcase_add_test(tc, the_ladder_spans_the_scales);
	tcase_add_test(tc, the_step_taken_is_the_rounded_one);
	tcase_add_test(tc, relative_error_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("verdicts");
	tcase_add_test(tc, seeds_pass);
	tcase_add_test(tc, a_wrong_gradient_fails);
	tcase_add_test(tc, truncation_is_estimated);
	tcase_add_test(tc, rounding_is_not_a_failure);
	tcase_add_test(tc, values_are_restored);
	suite_add_tcase(s, tc);
	tc = tcase_create("scales");
	tcase_add_loop_test(tc, right_gradients_pass_from_1e_200_to_1e200, 0,
			    sizeof smooth / sizeof smooth[0]);
	tcase_add_loop_test(tc, wrong_gradients_fail_where_right_ones_pass, 0,
			    sizeof smooth / sizeof smooth[0]);
	suite_add_tcase(s, tc);
	tc = tcase_create("kinks");
	tcase_add_test(tc, kinks_are_found);
	tcase_add_test(tc, smooth_points_are_not_kinks);
	tcase_add_test(tc, kink_rules);
	suite_add_tcase(s, tc);
	tc = tcase_create("tensors");
	tcase_add_test(tc, every_tensor_element_is_checked);
	tcase_add_test(tc, a_wrong_tensor_element_fails_alone);
	tcase_add_test(tc, samples_are_reproducible);
	tcase_add_test(tc, tensor_kinks_are_found_per_element);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(gradcheck_suite);
