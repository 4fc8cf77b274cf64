/* check_tsweep.c - the shape pass and the sweeps on shaped tapes, for
 * elementwise ops: broadcasting forward, gradients summed back to each
 * input's shape, against central differences on every element. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/program.h"
#include "core/view.h"
#include "testmain.h"

static void compile_ok(struct nb_program *p, const char *text)
{
	struct nb_diag d;

	memset(&d, 0, sizeof d);
	ck_assert_msg(nb_program_compile(p, "<expr>", text, strlen(text),
					 &d) == 0, "%s: %s", text, d.msg);
}

static void bind(struct nb_program *p, const char *name,
		 struct nb_shape s, const double *x)
{
	struct nb_tensor t = { s, (double *)x };
	long var = nb_program_var(p, name, strlen(name));

	ck_assert_msg(var >= 0, "no input %s", name);
	ck_assert_int_eq(nb_program_set_tensor(p, (size_t)var, &t), 0);
}

static size_t size_of(struct nb_shape s)
{
	size_t n;

	ck_assert_int_eq(nb_shape_size(&s, &n), 0);
	return n;
}

/* A random shape that broadcasts with out to out. */
static struct nb_shape shape_under(struct nb_shape out)
{
	struct nb_shape s = { 0, { 0 } };
	int drop = rand() % (out.rank + 1);

	s.rank = (uint8_t)(out.rank - drop);
	for (int a = 0; a < s.rank; a++)
		s.dim[a] = rand() % 3 ? out.dim[a + drop] : 1;
	return s;
}

static double randv(void)
{
	return (rand() % 2000 - 1000) / 400.0;
}

/* The sum of up * f over the output's elements, at the current values. */
static double weighted(struct nb_program *p, const double *up)
{
	struct nb_diag d;
	struct nb_view v;
	double s = 0;

	ck_assert_int_eq(nb_program_run(p, NULL, &d), 0);
	v = nb_node_value(&p->tape, p->output);
	for (size_t e = 0; e < size_of(v.shape); e++)
		s += up[e] * v.x[e];
	return s;
}

/* Elementwise programs on three inputs of random broadcastable shapes. */
START_TEST(elementwise_gradients_match_central_differences)
{
	static const char *const progs[] = {
		"x*y + z", "sin(x)*exp(y) - z/2", "max(x, y, z)", "x*x*y - 0*z",
		"tanh(x - y)*z", "hypot(x, y) + x*z", "(x + 1)^2*y - z",
	};
	const char *names[3] = { "x", "y", "z" };
	struct nb_shape out = { 2, { 0, 0 } };
	struct nb_program p = { 0 };
	double *x[3], *gr[3], up[12], h = 1e-6;
	struct nb_shape s[3];
	struct nb_diag d;

	srand(_i * 7919 + 1);
	out.dim[0] = 1 + rand() % 3;
	out.dim[1] = 1 + rand() % 4;
	compile_ok(&p, progs[_i % (sizeof progs / sizeof *progs)]);
	for (int k = 0; k < 3; k++) {
		s[k] = k == 0 ? out : shape_under(out);
		x[k] = nb_malloc(size_of(s[k]) * sizeof *x[k]);
		for (size_t e = 0; e < size_of(s[k]); e++)
			x[k][e] = randv();
	}
	for (size_t e = 0; e < size_of(out); e++)
		up[e] = randv();
	for (int k = 0; k < 3; k++)
		bind(&p, names[k], s[k], x[k]);
	{
		struct nb_tensor u = { out, up };
		ck_assert_int_eq(nb_program_run(&p, &u, &d), 0);
	}
	for (int k = 0; k < 3; k++) {
		long var = nb_program_var(&p, names[k], 1);
		struct nb_view g = nb_node_grad(&p.tape, p.vars[var]);
		ck_assert(nb_shape_equal(&g.shape, &s[k]));
		gr[k] = nb_malloc(size_of(s[k]) * sizeof *gr[k]);
		memcpy(gr[k], g.x, size_of(s[k]) * sizeof *gr[k]);
	}
	for (int k = 0; k < 3; k++) {
		double *gk = gr[k];
		for (size_t e = 0; e < size_of(s[k]); e++) {
			double keep = x[k][e], fp, fm;
			x[k][e] = keep + h;
			bind(&p, names[k], s[k], x[k]);
			fp = weighted(&p, up);
			x[k][e] = keep - h;
			bind(&p, names[k], s[k], x[k]);
			fm = weighted(&p, up);
			x[k][e] = keep;
			bind(&p, names[k], s[k], x[k]);
			ck_assert_msg(fabs(gk[e] - (fp - fm) / (2 * h)) <=
					      1e-6 * (1 + fabs(gk[e])),
				      "d/d%s[%zu]: %g vs %g", names[k], e,
				      gk[e], (fp - fm) / (2 * h));
		}
		nb_free(gk);
	}
	for (int k = 0; k < 3; k++)
		nb_free(x[k]);
	nb_program_free(&p);
}
END_TEST

/* Gradients of node i, copied (NULL x: none). */
static double *grad_copy(const struct nb_program *p, size_t i)
{
	struct nb_view g = nb_node_grad(&p->tape, i);
	size_t n = size_of(g.shape);
	double *c = nb_malloc((n ? n : 1) * sizeof *c);

	ck_assert_ptr_nonnull(g.x);
	memcpy(c, g.x, n * sizeof *c);
	return c;
}

/* Without the edges' gradients (p->lean) the reverse sweep adds them
 * into the inputs' gradients itself: the same gradients bit for bit,
 * for broadcast inputs, inputs read by several nodes, tensor ops among
 * them, and runs longer than one block of elements. */
START_TEST(lean_sweeps_give_the_same_gradients)
{
	static const char *const progs[] = {
		"x*y + z", "sin(x)*exp(y) - z/2 + x*y", "max(x, y, z) * y",
		"tanh(x - y)*z + y*y", "sum(x*y) * z + x", "(x + 1)^2*y - z*y",
		"sum(transpose(z) * 2) + x*z", "f = x*x\ng = f*y + f", "x",
	};
	const char *names[3] = { "x", "y", "z" };
	const char *text = progs[_i % (sizeof progs / sizeof *progs)];
	struct nb_shape out = { 2, { 0, 0 } }, s[3];
	struct nb_program p = { 0 };
	double *x[3], *keep[3], *up;
	struct nb_diag d;

	srand(_i * 104729 + 3);
	out.dim[0] = 1 + rand() % (_i % 2 ? 3 : 40);
	out.dim[1] = 1 + rand() % (_i % 2 ? 4 : 70);
	up = nb_malloc(size_of(out) * sizeof *up);
	for (size_t e = 0; e < size_of(out); e++)
		up[e] = randv();
	compile_ok(&p, text);
	for (int k = 0; k < 3; k++) {
		s[k] = k == 0 ? out : shape_under(out);
		x[k] = nb_malloc(size_of(s[k]) * sizeof *x[k]);
		for (size_t e = 0; e < size_of(s[k]); e++)
			x[k][e] = randv();
		if (nb_program_var(&p, names[k], 1) >= 0)
			bind(&p, names[k], s[k], x[k]);
	}
	for (int lean = 0; lean < 2; lean++) {
		struct nb_tensor u = { out, up };
		p.lean = lean;
		ck_assert_int_eq(nb_program_run(&p, &u, &d), 0);
		if (p.tape.first[p.output] < p.tape.first[p.output + 1])
			ck_assert_int_eq(nb_edge_local(&p.tape, p.output,
						       p.tape.first[p.output])
							 .x == NULL,
					 lean);
		for (int k = 0; k < 3; k++) {
			long var = nb_program_var(&p, names[k], 1);
			double *g;
			if (var < 0)
				continue;
			g = grad_copy(&p, p.vars[var]);
			if (!lean) {
				keep[k] = g;
				continue;
			}
			ck_assert_msg(memcmp(g, keep[k], size_of(s[k]) *
					     sizeof *g) == 0,
				      "%s: d/d%s differs without edges", text,
				      names[k]);
			nb_free(g);
			nb_free(keep[k]);
		}
	}
	for (int k = 0; k < 3; k++)
		nb_free(x[k]);
	nb_free(up);
	nb_program_free(&p);
}
END_TEST

/* Without edges a matrix product reads a transposed matrix operand with
 * gemm's transpose flag (x.T folded in) and gives x's gradient
 * straight: the value and gradients of the product with the transpose
 * materialised, to rounding (gemm may add in another order). */
START_TEST(lean_products_fold_transposes)
{
	static const char *const progs[] = {
		"sum((a @ b.T) * g)", "sum((a.T @ c) * h)",
		"sum((a.T @ m.T) * k)", "sum((a @ b.T) * g) + sum(b.T)",
		"T = a.T\nsum((T @ c) * h) + sum(T)",
	};
	/* a 3x4, b 5x4, c 3x5, g 3x5, h 4x5, k 4x5, m 5x3 */
	static const struct { const char *name; uint32_t r, c; } in[] = {
		{ "a", 3, 4 }, { "b", 5, 4 }, { "c", 3, 5 }, { "g", 3, 5 },
		{ "h", 4, 5 }, { "k", 4, 5 }, { "m", 5, 3 },
	};
	const char *text = progs[_i];
	struct nb_program p = { 0 };
	double x[7][20], *keep[7] = { NULL }, f[2];
	struct nb_diag d;

	srand(_i + 11);
	compile_ok(&p, text);
	for (size_t v = 0; v < 7; v++) {
		for (size_t e = 0; e < 20; e++)
			x[v][e] = randv();
		if (nb_program_var(&p, in[v].name, 1) >= 0)
			bind(&p, in[v].name,
			     (struct nb_shape){ 2, { in[v].r, in[v].c } },
			     x[v]);
	}
	for (int lean = 0; lean < 2; lean++) {
		p.lean = lean;
		ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
		f[lean] = nb_node_value(&p.tape, p.output).x[0];
		for (size_t v = 0; v < 7; v++) {
			long var = nb_program_var(&p, in[v].name, 1);
			double *g;
			if (var < 0)
				continue;
			g = grad_copy(&p, p.vars[var]);
			if (!lean) {
				keep[v] = g;
				continue;
			}
			for (size_t e = 0; e < in[v].r * in[v].c; e++)
				ck_assert_msg(fabs(g[e] - keep[v][e]) <=
						      1e-13 * (1 + fabs(g[e])),
					      "%s: d/d%s[%zu] %g, not %g", text,
					      in[v].name, e, g[e], keep[v][e]);
			nb_free(g);
			nb_free(keep[v]);
		}
	}
	ck_assert(fabs(f[0] - f[1]) <= 1e-13 * (1 + fabs(f[0])));
	nb_program_free(&p);
}
END_TEST

/* A run after another keeps the arenas only while every shape is what
 * it was: a leaf bound to another shape, or a size from a scalar's
 * value (ones(n)), shapes the tape again; a leaf bound again to the
 * same shape is read anew (without edges, where it is: _i 1). */
START_TEST(runs_shape_again_when_shapes_change)
{
	static const double x[4] = { 1, 2, 3, 4 }, y[3] = { 2, 2, 2 };
	struct nb_program p = { 0 };
	struct nb_diag d;
	struct nb_view g;

	compile_ok(&p, "sum(x*x) + sum(ones(n))");
	p.lean = _i;
	bind(&p, "x", (struct nb_shape){ 1, { 3 } }, y);
	nb_program_set(&p, (size_t)nb_program_var(&p, "n", 1), 2);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_double_eq(nb_node_value(&p.tape, p.output).x[0], 12 + 2);
	bind(&p, "x", (struct nb_shape){ 1, { 3 } }, x);
	nb_program_set(&p, (size_t)nb_program_var(&p, "n", 1), 2);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_double_eq(nb_node_value(&p.tape, p.output).x[0], 14 + 2);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_double_eq(nb_node_value(&p.tape, p.output).x[0], 14 + 2);
	bind(&p, "x", (struct nb_shape){ 1, { 4 } }, x);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_double_eq(nb_node_value(&p.tape, p.output).x[0], 30 + 2);
	g = nb_node_grad(&p.tape, p.vars[nb_program_var(&p, "x", 1)]);
	ck_assert_uint_eq(g.shape.dim[0], 4);
	ck_assert_double_eq(g.x[3], 8);
	nb_program_set(&p, (size_t)nb_program_var(&p, "n", 1), 5);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_double_eq(nb_node_value(&p.tape, p.output).x[0], 30 + 5);
	nb_program_free(&p);
}
END_TEST

START_TEST(broadcast_values_and_summed_gradient)
{
	static const double m[6] = { 1, 2, 3, 4, 5, 6 }, v[3] = { 10, 20, 30 };
	struct nb_program p = { 0 };
	struct nb_diag d;
	struct nb_view val, gv;

	static const double up[6] = { 1, 1, 1, 1, 1, 1 };
	struct nb_tensor u = { { 2, { 2, 3 } }, (double *)up };

	compile_ok(&p, "m * v");
	bind(&p, "m", (struct nb_shape){ 2, { 2, 3 } }, m);
	bind(&p, "v", (struct nb_shape){ 1, { 3 } }, v);
	ck_assert_int_eq(nb_program_run(&p, &u, &d), 0);
	val = nb_node_value(&p.tape, p.output);
	ck_assert_double_eq(val.x[4], 5 * 20);
	gv = nb_node_grad(&p.tape, p.vars[nb_program_var(&p, "v", 1)]);
	ck_assert_int_eq(gv.shape.rank, 1);
	ck_assert_double_eq(gv.x[0], 1 + 4);
	ck_assert_double_eq(gv.x[2], 3 + 6);
	nb_program_free(&p);
}
END_TEST

START_TEST(broadcast_mismatch_names_both_shapes)
{
	static const double m[6] = { 1, 2, 3, 4, 5, 6 }, v[2] = { 1, 2 };
	struct nb_program p = { 0 };
	struct nb_diag d;

	compile_ok(&p, "1 + m + v");
	bind(&p, "m", (struct nb_shape){ 2, { 2, 3 } }, m);
	bind(&p, "v", (struct nb_shape){ 1, { 2 } }, v);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 2);
	ck_assert_str_eq(d.msg, "'+' needs shapes that broadcast: 1 + m is "
				"2x3, v is 2");
	ck_assert_uint_eq(d.start, 6);
	ck_assert_uint_eq(d.len, 1);
	nb_program_free(&p);
}
END_TEST

START_TEST(scalar_programs_keep_no_shapes)
{
	struct nb_program p = { 0 };
	struct nb_diag d;

	compile_ok(&p, "x*y + 1");
	nb_program_set(&p, 0, 2);
	nb_program_set(&p, 1, 3);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_ptr_null(p.tape.tv);
	ck_assert_double_eq(p.tape.value[p.output], 7);
	ck_assert_double_eq(p.tape.grad[p.vars[0]], 3);
	nb_program_free(&p);
}
END_TEST

START_TEST(tensor_output_without_upstream_has_values_only)
{
	static const double x[3] = { 1, -2, 3 };
	struct nb_program p = { 0 };
	struct nb_diag d;
	struct nb_view v;

	compile_ok(&p, "x * 2");
	bind(&p, "x", (struct nb_shape){ 1, { 3 } }, x);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert(!nb_program_has_grad(&p));
	v = nb_node_value(&p.tape, p.output);
	ck_assert_double_eq(v.x[1], -4);
	ck_assert_ptr_null(nb_node_grad(&p.tape, p.output).x);
	nb_program_free(&p);
}
END_TEST

START_TEST(upstream_of_the_wrong_shape_is_an_error)
{
	static const double x[3] = { 1, -2, 3 }, up[2] = { 1, 1 };
	struct nb_program p = { 0 };
	struct nb_tensor u = { { 1, { 2 } }, (double *)up };
	struct nb_diag d;

	compile_ok(&p, "y = x * 2");
	bind(&p, "x", (struct nb_shape){ 1, { 3 } }, x);
	ck_assert_int_eq(nb_program_run(&p, &u, &d), 2);
	ck_assert_str_eq(d.msg, "--upstream is 2, but the output y is 3: it "
				"must have the output's shape");
	nb_program_free(&p);
}
END_TEST

START_TEST(values_past_the_memory_budget_are_a_clean_error)
{
	struct nb_program p = { 0 };
	struct nb_diag d;

	compile_ok(&p, "sum(ones(100000)) + x");
	nb_program_set(&p, 0, 1);
	nb_alloc_set_budget(8 * 100000);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 1);
	ck_assert_str_eq(d.msg, "out of memory: the values and gradients need "
				"2.4 MB, more than the 800.0 kB there is");
	ck_assert_uint_eq(d.start, 4);
	ck_assert_uint_eq(d.len, 12);
	nb_alloc_set_budget(8 * 400000);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	ck_assert_double_eq(nb_node_value(&p.tape, p.output).x[0], 100001);
	nb_alloc_set_budget(0);
	nb_program_free(&p);
}
END_TEST

static Suite *tsweep_suite(void)
{
	Suite *s = suite_create("tsweep");
	TCase *tc = tcase_create("elementwise");

	tcase_add_loop_test(tc, elementwise_gradients_match_central_differences,
			    0, 60);
	tcase_add_loop_test(tc, lean_sweeps_give_the_same_gradients, 0, 36);
	tcase_add_loop_test(tc, lean_products_fold_transposes, 0, 5);
	tcase_add_loop_test(tc, runs_shape_again_when_shapes_change, 0, 2);
	tcase_add_test(tc, broadcast_values_and_summed_gradient);
	tcase_add_test(tc, broadcast_mismatch_names_both_shapes);
	tcase_add_test(tc, scalar_programs_keep_no_shapes);
	tcase_add_test(tc, tensor_output_without_upstream_has_values_only);
	tcase_add_test(tc, upstream_of_the_wrong_shape_is_an_error);
	tcase_add_test(tc, values_past_the_memory_budget_are_a_clean_error);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(tsweep_suite);
