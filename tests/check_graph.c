/* check_graph.c - gradients of whole programs: the worked examples of the
 * seeds (../shared/seeds/), run through parser, forward and reverse sweep.
 *
 * Expected numbers come from the seeds themselves (their printed values,
 * or their backprop code transcribed to C below) or from arithmetic done
 * by hand in this file, never from nabla's output. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/program.h"
#include "core/sweep.h"
#include "testmain.h"
#include "testprog.h"

/* ------------------------------------------------------------------ */
/* Helpers */

static double value(const struct nb_program *p)
{
	return p->tape.value[p->output];
}

/* d(output)/d(input name) */
static double grad(const struct nb_program *p, const char *name)
{
	long var = nb_program_var(p, name, strlen(name));

	ck_assert_msg(var >= 0, "no input %s", name);
	return p->tape.grad[p->vars[var]];
}

/* The node called name (an input or a named intermediate). */
static size_t node(const struct nb_program *p, const char *name)
{
	for (size_t i = 0; i < p->tape.n; i++) {
		size_t len;
		const char *s = nb_node_name(p, i, &len);
		if (s && len == strlen(name) && memcmp(s, name, len) == 0)
			return i;
	}
	ck_abort_msg("no node named %s", name);
	return 0;
}

/* The one node with operator op (the test programs have one). */
static size_t node_op(const struct nb_program *p, enum nb_op op)
{
	size_t found = p->tape.n;

	for (size_t i = 0; i < p->tape.n; i++)
		if (p->tape.op[i] == op) {
			ck_assert_msg(found == p->tape.n, "two %s nodes",
				      nb_ops[op].name);
			found = i;
		}
	ck_assert_msg(found < p->tape.n, "no %s node", nb_ops[op].name);
	return found;
}

/* a and b agree to a relative 1e-12 (different but equivalent orders of
 * floating-point operations). */
static void close_to(double a, double b, const char *what)
{
	ck_assert_msg(fabs(a - b) <= 1e-12 * fmax(1, fmax(fabs(a), fabs(b))),
		      "%s: %.17g, expected %.17g", what, a, b);
}

/* a rounds to the 5-digit figure b printed in the seeds */
static void digits5(double a, double b, const char *what)
{
	ck_assert_msg(fabs(a - b) <= 5e-6, "%s: %.8f, expected %.5f", what, a, b);
}

/* ------------------------------------------------------------------ */
/* f(x, y, z) = (x + y) z  (seed 004, CS231n) */

START_TEST(simple_circuit)
{
	static const char *const texts[] = {
		"(x + y) * z",
		"q = x + y; f = q * z",
		"q = x + y\nf = q * z\n",
	};

	for (size_t i = 0; i < 3; i++) {
		struct nb_program p;

		compile_ok(&p, texts[i]);
		bind_run(&p, "x", -2.0, "y", 5.0, "z", -4.0, NULL);
		ck_assert(value(&p) == -12);
		ck_assert(grad(&p, "x") == -4);
		ck_assert(grad(&p, "y") == -4);
		ck_assert(grad(&p, "z") == 3);
		/* the add node q = 3 with upstream gradient z = -4 */
		{
			size_t q = node_op(&p, NB_OP_ADD);
			ck_assert(p.tape.value[q] == 3);
			ck_assert(p.tape.grad[q] == -4);
		}
		ck_assert(p.tape.grad[p.output] == 1);
		nb_program_free(&p);
	}
}
END_TEST

START_TEST(bindings_in_the_program)
{
	struct nb_program p;

	compile_ok(&p, "x = -2; y = 5; z = -4\nq = x + y\nf = q * z");
	bind_run(&p, NULL);
	ck_assert(value(&p) == -12);
	ck_assert(grad(&p, "x") == -4);
	ck_assert(grad(&p, "y") == -4);
	ck_assert(grad(&p, "z") == 3);
	ck_assert(p.tape.value[node(&p, "q")] == 3);
	nb_program_free(&p);
}
END_TEST

/* Edges: local = d(node)/d(input), downstream = upstream * local. */
START_TEST(locals_and_downstream_on_edges)
{
	struct nb_program p;
	size_t q, f, x, y, z;
	uint32_t e;

	compile_ok(&p, "q = x + y; f = q * z");
	bind_run(&p, "x", -2.0, "y", 5.0, "z", -4.0, NULL);
	q = node(&p, "q");
	f = node(&p, "f");
	x = node(&p, "x");
	y = node(&p, "y");
	z = node(&p, "z");
	/* mul swaps: the local of q is z's value, the local of z is q's */
	e = p.tape.first[f];
	ck_assert_uint_eq(p.tape.in[e], q);
	ck_assert(p.tape.local[e] == -4);
	ck_assert(p.tape.grad[f] * p.tape.local[e] == -4);
	ck_assert_uint_eq(p.tape.in[e + 1], z);
	ck_assert(p.tape.local[e + 1] == 3);
	ck_assert(p.tape.grad[f] * p.tape.local[e + 1] == 3);
	/* add distributes: local 1 on both edges, downstream = upstream */
	e = p.tape.first[q];
	ck_assert_uint_eq(p.tape.in[e], x);
	ck_assert_uint_eq(p.tape.in[e + 1], y);
	ck_assert(p.tape.local[e] == 1);
	ck_assert(p.tape.local[e + 1] == 1);
	ck_assert(p.tape.grad[q] * p.tape.local[e] == -4);
	nb_program_free(&p);

	/* x * y: the local of x is y and the local of y is x */
	compile_ok(&p, "x * y");
	bind_run(&p, "x", 3.0, "y", -4.0, NULL);
	e = p.tape.first[p.output];
	ck_assert(p.tape.local[e] == -4);
	ck_assert(p.tape.local[e + 1] == 3);
	nb_program_free(&p);

	/* sub: 1 and -1; div: 1/b and -a/b^2 */
	compile_ok(&p, "(x - y) / z");
	bind_run(&p, "x", 7.0, "y", 3.0, "z", 2.0, NULL);
	e = p.tape.first[p.output];
	ck_assert(p.tape.local[e] == 0.5);       /* 1/z */
	ck_assert(p.tape.local[e + 1] == -1);    /* -(x-y)/z^2 */
	ck_assert(grad(&p, "x") == 0.5);
	ck_assert(grad(&p, "y") == -0.5);
	ck_assert(grad(&p, "z") == -1);
	nb_program_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The sigmoid neuron (seeds 000-004: w0=2, x0=-1, w1=-3, x1=-2, w2=-3)
 *
 * Seed 004's flat backward code, transcribed:
 *   s0 = w0*x0; s1 = w1*x1; s2 = s0 + s1; s3 = s2 + w2; L = sigmoid(s3)
 *   grad_s3 = (1 - L) * L; grad_w2 = grad_s2 = grad_s0 = grad_s1 = grad_s3
 *   grad_w1 = grad_s1 * x1; grad_x1 = grad_s1 * w1
 *   grad_w0 = grad_s0 * x0; grad_x0 = grad_s0 * w0
 * (the seed's last line reads grad_w0 * w0, a typo for grad_s0 * w0: the
 * CS231n notes have dx0 = w0 * ddot). */

struct neuron {
	double L, w0, x0, w1, x1, w2;
};

static struct neuron neuron_by_hand(double w0, double x0, double w1,
				    double x1, double w2)
{
	double s0 = w0 * x0, s1 = w1 * x1, s2 = s0 + s1, s3 = s2 + w2;
	double L = 1.0 / (1 + exp(-s3));
	double grad_L = 1.0;
	double grad_s3 = grad_L * (1 - L) * L;
	double grad_w2 = grad_s3, grad_s2 = grad_s3;
	double grad_s0 = grad_s2, grad_s1 = grad_s2;
	struct neuron g = { L, grad_s0 * x0, grad_s0 * w0, grad_s1 * x1,
			    grad_s1 * w1, grad_w2 };
	return g;
}

static const char *const neuron_texts[] = {
	"1/(1+exp(-(w0*x0+w1*x1+w2)))",
	"sigmoid(w0*x0 + w1*x1 + w2)",
	/* seed 004, as written there */
	"s0 = w0 * x0\n"
	"s1 = w1 * x1\n"
	"s2 = s0 + s1\n"
	"s3 = s2 + w2\n"
	"L = sigmoid(s3)\n",
};

START_TEST(sigmoid_neuron)
{
	struct nb_program p;
	struct neuron h = neuron_by_hand(2, -1, -3, -2, -3);
	double f, dw2;

	compile_ok(&p, neuron_texts[_i]);
	bind_run(&p, "w0", 2.0, "x0", -1.0, "w1", -3.0, "x1", -2.0, "w2", -3.0,
	    NULL);
	f = value(&p);
	/* the seeds' printed numbers */
	digits5(f, 0.73106, "f");
	digits5(grad(&p, "w0"), -0.19661, "df/dw0");
	digits5(grad(&p, "x0"), 0.39322, "df/dx0");
	digits5(grad(&p, "w1"), -0.39322, "df/dw1");
	digits5(grad(&p, "x1"), -0.58984, "df/dx1");
	digits5(grad(&p, "w2"), 0.19661, "df/dw2");
	/* exact relations: the argument is exactly 1, f = sigmoid(1),
	 * df/dw2 = f (1 - f), df/dwi = xi df/dw2, df/dxi = wi df/dw2 */
	close_to(f, 1 / (1 + exp(-1.0)), "f");
	dw2 = grad(&p, "w2");
	close_to(dw2, f * (1 - f), "df/dw2");
	close_to(grad(&p, "w0"), -1 * dw2, "df/dw0");
	close_to(grad(&p, "x0"), 2 * dw2, "df/dx0");
	close_to(grad(&p, "w1"), -2 * dw2, "df/dw1");
	close_to(grad(&p, "x1"), -3 * dw2, "df/dx1");
	/* seed 004's backward code */
	close_to(f, h.L, "f");
	close_to(grad(&p, "w0"), h.w0, "grad_w0");
	close_to(grad(&p, "x0"), h.x0, "grad_x0");
	close_to(grad(&p, "w1"), h.w1, "grad_w1");
	close_to(grad(&p, "x1"), h.x1, "grad_x1");
	close_to(grad(&p, "w2"), h.w2, "grad_w2");
	nb_program_free(&p);
}
END_TEST

START_TEST(sigmoid_neuron_elsewhere)
{
	/* the three forms agree with the hand computation away from the
	 * seeds' point too */
	static const double pts[][5] = {
		{ 0.5, 1.5, -0.25, 2, 0.1 },
		{ -1, 3, 2, -0.5, -4 },
		{ 4, 2, -3, 1, 0 },
	};

	for (size_t j = 0; j < 3; j++)
		for (size_t i = 0; i < 3; i++) {
			const double *v = pts[j];
			struct neuron h = neuron_by_hand(v[0], v[1], v[2], v[3],
							 v[4]);
			struct nb_program p;

			compile_ok(&p, neuron_texts[i]);
			bind_run(&p, "w0", v[0], "x0", v[1], "w1", v[2], "x1", v[3],
			    "w2", v[4], NULL);
			close_to(value(&p), h.L, "f");
			close_to(grad(&p, "w0"), h.w0, "df/dw0");
			close_to(grad(&p, "x0"), h.x0, "df/dx0");
			close_to(grad(&p, "w1"), h.w1, "df/dw1");
			close_to(grad(&p, "x1"), h.x1, "df/dx1");
			close_to(grad(&p, "w2"), h.w2, "df/dw2");
			nb_program_free(&p);
		}
}
END_TEST

START_TEST(staged_neuron_intermediates)
{
	/* every named stage has the seed's value and gradient */
	struct nb_program p;
	double s3, L;

	compile_ok(&p, neuron_texts[2]);
	bind_run(&p, "w0", 2.0, "x0", -1.0, "w1", -3.0, "x1", -2.0, "w2", -3.0,
	    NULL);
	ck_assert(p.tape.value[node(&p, "s0")] == -2);
	ck_assert(p.tape.value[node(&p, "s1")] == 6);
	ck_assert(p.tape.value[node(&p, "s2")] == 4);
	s3 = p.tape.value[node(&p, "s3")];
	ck_assert(s3 == 1);
	L = value(&p);
	ck_assert_uint_eq(p.output, node(&p, "L"));
	{
		size_t len;
		const char *s = nb_program_outname(&p, &len);
		ck_assert(len == 1 && s[0] == 'L');
	}
	/* add nodes copy the gradient: s3, s2, s1, s0 all get (1-L)L */
	close_to(p.tape.grad[node(&p, "s3")], (1 - L) * L, "grad_s3");
	ck_assert(p.tape.grad[node(&p, "s2")] == p.tape.grad[node(&p, "s3")]);
	ck_assert(p.tape.grad[node(&p, "s1")] == p.tape.grad[node(&p, "s3")]);
	ck_assert(p.tape.grad[node(&p, "s0")] == p.tape.grad[node(&p, "s3")]);
	ck_assert(p.tape.grad[node(&p, "L")] == 1);
	nb_program_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Seed 003 (CS231n "backprop in practice"): the staged program exactly
 * as written there, with math.exp spelled exp.  Its own forward and
 * backward code is transcribed below. */

static const char cs231n_program[] =
	"x = 3 # example values\n"
	"y = -4\n"
	"\n"
	"# forward pass\n"
	"sigy = 1.0 / (1 + exp(-y)) # sigmoid in numerator   #(1)\n"
	"num = x + sigy # numerator                               #(2)\n"
	"sigx = 1.0 / (1 + exp(-x)) # sigmoid in denominator #(3)\n"
	"xpy = x + y                                              #(4)\n"
	"xpysqr = xpy**2                                          #(5)\n"
	"den = sigx + xpysqr # denominator                        #(6)\n"
	"invden = 1.0 / den                                       #(7)\n"
	"f = num * invden # done! \n";

struct cs231n {
	double f, sigy, num, sigx, xpy, xpysqr, den, invden;
	double dx, dy, dsigy, dnum, dsigx, dxpy, dxpysqr, dden, dinvden;
};

static struct cs231n cs231n_by_hand(double x, double y)
{
	struct cs231n c;

	/* forward pass */
	c.sigy = 1.0 / (1 + exp(-y));                   /* (1) */
	c.num = x + c.sigy;                             /* (2) */
	c.sigx = 1.0 / (1 + exp(-x));                   /* (3) */
	c.xpy = x + y;                                  /* (4) */
	c.xpysqr = c.xpy * c.xpy;                       /* (5) */
	c.den = c.sigx + c.xpysqr;                      /* (6) */
	c.invden = 1.0 / c.den;                         /* (7) */
	c.f = c.num * c.invden;
	/* backprop f = num * invden */
	c.dnum = c.invden;                              /* (8) */
	c.dinvden = c.num;                              /* (8) */
	/* backprop invden = 1.0 / den */
	c.dden = (-1.0 / (c.den * c.den)) * c.dinvden;  /* (7) */
	/* backprop den = sigx + xpysqr */
	c.dsigx = (1) * c.dden;                         /* (6) */
	c.dxpysqr = (1) * c.dden;                       /* (6) */
	/* backprop xpysqr = xpy**2 */
	c.dxpy = (2 * c.xpy) * c.dxpysqr;               /* (5) */
	/* backprop xpy = x + y */
	c.dx = (1) * c.dxpy;                            /* (4) */
	c.dy = (1) * c.dxpy;                            /* (4) */
	/* backprop sigx = 1.0 / (1 + math.exp(-x)) */
	c.dx += ((1 - c.sigx) * c.sigx) * c.dsigx;      /* (3) */
	/* backprop num = x + sigy */
	c.dx += (1) * c.dnum;                           /* (2) */
	c.dsigy = (1) * c.dnum;                         /* (2) */
	/* backprop sigy = 1.0 / (1 + math.exp(-y)) */
	c.dy += ((1 - c.sigy) * c.sigy) * c.dsigy;      /* (1) */
	return c;
}

START_TEST(cs231n_staged)
{
	struct nb_program p;
	struct cs231n c = cs231n_by_hand(3, -4);
	static const struct {
		const char *name;
		size_t value, grad;
	} stages[] = {
#define STAGE(n, d) { #n, offsetof(struct cs231n, n), offsetof(struct cs231n, d) }
		STAGE(sigy, dsigy), STAGE(num, dnum), STAGE(sigx, dsigx),
		STAGE(xpy, dxpy), STAGE(xpysqr, dxpysqr), STAGE(den, dden),
		STAGE(invden, dinvden),
#undef STAGE
	};

	compile_ok(&p, cs231n_program);
	/* x and y are bound by the program itself */
	bind_run(&p, NULL);
	ck_assert(p.tape.value[node(&p, "x")] == 3);
	ck_assert(p.tape.value[node(&p, "y")] == -4);
	ck_assert_uint_eq(p.nvars, 2);
	close_to(value(&p), c.f, "f");
	close_to(grad(&p, "x"), c.dx, "dx");
	close_to(grad(&p, "y"), c.dy, "dy");
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		size_t n = node(&p, stages[i].name);
		double v = *(const double *)((const char *)&c + stages[i].value);
		double g = *(const double *)((const char *)&c + stages[i].grad);
		char what[64];

		snprintf(what, sizeof what, "value of %s", stages[i].name);
		close_to(p.tape.value[n], v, what);
		snprintf(what, sizeof what, "gradient of %s", stages[i].name);
		close_to(p.tape.grad[n], g, what);
	}
	/* gradients add at forks: x feeds num, sigx and xpy */
	close_to(grad(&p, "x"),
		 c.dxpy + (1 - c.sigx) * c.sigx * c.dsigx + c.dnum,
		 "dx as a sum of three paths");
	nb_program_free(&p);
}
END_TEST

START_TEST(cs231n_one_expression)
{
	static const double pts[][2] = { { 3, -4 }, { 0.5, 1.5 }, { -2, 0.25 } };

	for (size_t i = 0; i < 3; i++) {
		struct cs231n c = cs231n_by_hand(pts[i][0], pts[i][1]);
		struct nb_program p;

		compile_ok(&p, "(x+sigmoid(y))/(sigmoid(x)+(x+y)^2)");
		bind_run(&p, "x", pts[i][0], "y", pts[i][1], NULL);
		close_to(value(&p), c.f, "f");
		close_to(grad(&p, "x"), c.dx, "dx");
		close_to(grad(&p, "y"), c.dy, "dy");
		nb_program_free(&p);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Max routes, gradients add at forks */

START_TEST(max_routes)
{
	struct nb_program p;

	compile_ok(&p, "max(x, y)");
	bind_run(&p, "x", 3.0, "y", 1.0, NULL);
	ck_assert(value(&p) == 3);
	ck_assert(grad(&p, "x") == 1);
	ck_assert(grad(&p, "y") == 0);
	bind_run(&p, "x", 1.0, "y", 3.0, NULL);
	ck_assert(grad(&p, "x") == 0);
	ck_assert(grad(&p, "y") == 1);
	/* a tie goes to the first argument */
	bind_run(&p, "x", 2.0, "y", 2.0, NULL);
	ck_assert(grad(&p, "x") == 1);
	ck_assert(grad(&p, "y") == 0);
	nb_program_free(&p);

	compile_ok(&p, "max(y, x)");
	bind_run(&p, "x", 2.0, "y", 2.0, NULL);
	ck_assert(grad(&p, "y") == 1);
	ck_assert(grad(&p, "x") == 0);
	nb_program_free(&p);

	/* seed 003: the max gate routes the gradient 2 to z, w gets 0
	 * (CS231n's circuit 2 * (x*y + max(z, w)) at 3, -4, 2, -1) */
	compile_ok(&p, "2 * (x*y + max(z, w))");
	bind_run(&p, "x", 3.0, "y", -4.0, "z", 2.0, "w", -1.0, NULL);
	ck_assert(value(&p) == -20);
	ck_assert(grad(&p, "z") == 2);
	ck_assert(grad(&p, "w") == 0);
	ck_assert(grad(&p, "x") == -8);
	ck_assert(grad(&p, "y") == 6);
	nb_program_free(&p);

	/* the whole upstream gradient, through a scaled path */
	compile_ok(&p, "3 * max(a, b, c)");
	bind_run(&p, "a", 1.0, "b", 5.0, "c", 5.0, NULL);
	ck_assert(grad(&p, "a") == 0);
	ck_assert(grad(&p, "b") == 3);
	ck_assert(grad(&p, "c") == 0);
	nb_program_free(&p);

	compile_ok(&p, "min(a, b, c)");
	bind_run(&p, "a", 4.0, "b", -1.0, "c", -1.0, NULL);
	ck_assert(value(&p) == -1);
	ck_assert(grad(&p, "a") == 0);
	ck_assert(grad(&p, "b") == 1);
	ck_assert(grad(&p, "c") == 0);
	nb_program_free(&p);
}
END_TEST

START_TEST(max_of_a_fork)
{
	/* max(x, x): both edges come from x, only the first carries */
	struct nb_program p;
	uint32_t e;

	compile_ok(&p, "max(x, x)");
	bind_run(&p, "x", 2.0, NULL);
	e = p.tape.first[p.output];
	ck_assert(p.tape.local[e] == 1);
	ck_assert(p.tape.local[e + 1] == 0);
	ck_assert(grad(&p, "x") == 1);
	nb_program_free(&p);
}
END_TEST

START_TEST(forks_add)
{
	struct nb_program p;

	/* d/dx (x*x + x) = 2x + 1 */
	compile_ok(&p, "x*x + x");
	bind_run(&p, "x", 3.0, NULL);
	ck_assert(value(&p) == 12);
	ck_assert(grad(&p, "x") == 7);
	nb_program_free(&p);

	/* x used in three statements: a = x*y (da/dx = y), b = x + 1,
	 * f = a * b + x: df/dx = y*b + a + 1 */
	compile_ok(&p, "a = x * y\nb = x + 1\nf = a * b + x");
	bind_run(&p, "x", 2.0, "y", 5.0, NULL);
	ck_assert(value(&p) == 10 * 3 + 2);
	ck_assert(grad(&p, "x") == 5 * 3 + 10 + 1);
	ck_assert(grad(&p, "y") == 2 * 3);
	nb_program_free(&p);
	/* a named node used twice also sums its gradients */
	compile_ok(&p, "q = x + y; q * q");
	bind_run(&p, "x", 1.0, "y", 2.0, NULL);
	ck_assert(value(&p) == 9);
	ck_assert(p.tape.grad[node(&p, "q")] == 6);
	ck_assert(grad(&p, "x") == 6);
	nb_program_free(&p);
}
END_TEST

START_TEST(unused_and_constant_parts)
{
	struct nb_program p;

	/* an intermediate the output does not use gets gradient 0, and so
	 * does an input only it uses */
	compile_ok(&p, "unused = exp(w) * x\nf = x * 2");
	bind_run(&p, "w", 1.0, "x", 4.0, NULL);
	ck_assert(value(&p) == 8);
	ck_assert(grad(&p, "x") == 2);
	ck_assert(grad(&p, "w") == 0);
	ck_assert(p.tape.grad[node(&p, "unused")] == 0);
	nb_program_free(&p);

	/* even when its local gradient is infinite: log(w) at w = 0 */
	compile_ok(&p, "u = log(w); f = x");
	bind_run(&p, "w", 0.0, "x", 4.0, NULL);
	ck_assert(grad(&p, "w") == 0);
	ck_assert(grad(&p, "x") == 1);
	nb_program_free(&p);

	/* the output itself is an input: gradient 1 */
	compile_ok(&p, "x");
	bind_run(&p, "x", 4.0, NULL);
	ck_assert(value(&p) == 4);
	ck_assert(grad(&p, "x") == 1);
	nb_program_free(&p);

	/* a constant program */
	compile_ok(&p, "2^10 - 24");
	bind_run(&p, NULL);
	ck_assert(value(&p) == 1000);
	nb_program_free(&p);
}
END_TEST

START_TEST(rerun_with_new_values)
{
	/* the sweeps recompute everything: no stale gradients from an
	 * earlier run */
	struct nb_program p;

	compile_ok(&p, "(x + y) * z");
	bind_run(&p, "x", -2.0, "y", 5.0, "z", -4.0, NULL);
	bind_run(&p, "x", 1.0, "y", 2.0, "z", 10.0, NULL);
	ck_assert(value(&p) == 30);
	ck_assert(grad(&p, "x") == 10);
	ck_assert(grad(&p, "y") == 10);
	ck_assert(grad(&p, "z") == 3);
	nb_program_free(&p);
}
END_TEST

START_TEST(chain_of_functions)
{
	/* d/dx sin(x^2) * exp(-x) by hand: 2x cos(x^2) e^-x - sin(x^2) e^-x */
	struct nb_program p;
	double x = 0.7, want;

	compile_ok(&p, "sin(x^2) * exp(-x)");
	bind_run(&p, "x", x, NULL);
	want = 2 * x * cos(x * x) * exp(-x) - sin(x * x) * exp(-x);
	close_to(value(&p), sin(x * x) * exp(-x), "f");
	close_to(grad(&p, "x"), want, "df/dx");
	nb_program_free(&p);

	/* the SPEC's pow: x^y, d/dx = y x^(y-1), d/dy = x^y ln x */
	compile_ok(&p, "x^y");
	bind_run(&p, "x", 2.0, "y", 3.0, NULL);
	ck_assert(value(&p) == 8);
	ck_assert(grad(&p, "x") == 12);
	close_to(grad(&p, "y"), 8 * log(2.0), "df/dy");
	nb_program_free(&p);

	/* mean and sum distribute */
	compile_ok(&p, "mean(a, b, a, c) + sum(a, c)");
	bind_run(&p, "a", 1.0, "b", 2.0, "c", 3.0, NULL);
	ck_assert(value(&p) == 7.0 / 4 + 4);
	ck_assert(grad(&p, "a") == 0.5 + 1);
	ck_assert(grad(&p, "b") == 0.25);
	ck_assert(grad(&p, "c") == 1.25);
	nb_program_free(&p);
}
END_TEST

#define N(a) ((int)(sizeof a / sizeof a[0]))

static Suite *graph_suite(void)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("seeds");

	tcase_add_test(tc, simple_circuit);
	tcase_add_test(tc, bindings_in_the_program);
	tcase_add_test(tc, locals_and_downstream_on_edges);
	tcase_add_loop_test(tc, sigmoid_neuron, 0, N(neuron_texts));
	tcase_add_test(tc, sigmoid_neuron_elsewhere);
	tcase_add_test(tc, staged_neuron_intermediates);
	tcase_add_test(tc, cs231n_staged);
	tcase_add_test(tc, cs231n_one_expression);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, max_routes);
	tcase_add_test(tc, max_of_a_fork);
	tcase_add_test(tc, forks_add);
	tcase_add_test(tc, unused_and_constant_parts);
	tcase_add_test(tc, rerun_with_new_values);
	tcase_add_test(tc, chain_of_functions);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(graph_suite);
