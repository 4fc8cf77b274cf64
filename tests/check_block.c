/* check_block.c - the block sweeps (block.h) against the scalar sweeps
 * (sweep.h): every value, gradient and local gradient, row by row.
 *
 * The rows of a block are computed by loops over ops.def's expressions,
 * vectorised where the compiler can; the scalar sweeps compute one row.
 * Both must give the same doubles: the same bits, -0 apart from +0 and
 * inf from a large number; nan only has to be nan (its sign and payload
 * depend on which operand an instruction propagates, and nabla prints
 * every nan as "nan").  Programs: every op of the table on special
 * points (0, -0, nan, inf, subnormals, ties of max and min), and random
 * programs over the whole table; blocks of several sizes, none of which
 * divides the number of rows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/block.h"
#include "core/compile.h"
#include "testmain.h"
#include "testrand.h"
#include "testprog.h"

#define NVARS 3
#define MAXTEXT 4096

static const double special[] = {
	0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 2.0, 0.7, 1e-310, -4e-320,
	1e308, -1e308, INFINITY, -INFINITY, NAN, -NAN
};
#define NSPECIAL (sizeof special / sizeof *special)

/* Block sizes: one row (the tape's own arrays), sizes around the vector
 * groups, and a full block. */
static const size_t sizes[] = { 1, 2, 3, 4, 5, 7, 9, NB_BLOCK_ROWS };

static uint64_t rng_state;

static uint64_t rnd(void)
{
	return splitmix64(&rng_state);
}

static int below(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* A point: mostly special values, sometimes any double in [-4, 4]. */
static double point(void)
{
	if (below(3) == 0)
		return -4 + 8 * (double)(rnd() >> 11) * 0x1.0p-53;
	return special[below((int)NSPECIAL)];
}

static int same(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static void check_same(const char *what, const char *text, size_t row,
		       size_t i, double blockv, double scalarv)
{
	ck_assert_msg(same(blockv, scalarv), "%s: row %zu: %s of %zu: block "
		      "%.17g, scalar %.17g", text, row, what, i, blockv,
		      scalarv);
}

/* Runs the n rows of in (NVARS values each, for p's variables in order)
 * through blocks of `rows` rows and compares each row with the scalar
 * sweeps; with inputs_only, only what nb_block_inputs_only keeps, and
 * the local gradients only if the block keeps them. */
static void compare(struct nb_program *p, const char *text,
		    const double *in, size_t n, size_t rows, int inputs_only,
		    int keep)
{
	struct nb_tape *t = &p->tape;
	struct nb_block blk;
	double value[64], grad[64], local[128];

	ck_assert(t->n <= 64 && t->nedge <= 128);
	for (size_t k = 0; k < p->nvars; k++)
		nb_program_set(p, k, 0);
	ck_assert(nb_block_init(&blk, t, rows, keep) == 0);
	if (inputs_only)
		nb_block_inputs_only(&blk, t);
	for (size_t r0 = 0; r0 < n; r0 += rows) {
		size_t m = n - r0 < rows ? n - r0 : rows;
		for (size_t k = 0; k < p->nvars; k++)
			for (size_t j = 0; j < m; j++)
				nb_block_values(&blk, p->vars[k])[j] =
					in[(r0 + j) * NVARS + k];
		nb_block_forward(&blk, t, m);
		nb_block_reverse(&blk, t, p->output, m);
		for (size_t j = 0; j < m; j++) {
			/* A block of one row is the tape: keep it first. */
			for (size_t i = 0; i < t->n; i++) {
				value[i] = blk.value[i * rows + j];
				grad[i] = blk.grad[i * rows + j];
			}
			for (size_t e = 0; keep && e < t->nedge; e++)
				local[e] = blk.local[e * rows + j];
			for (size_t k = 0; k < p->nvars; k++)
				nb_program_set(p, k, in[(r0 + j) * NVARS + k]);
			nb_forward(t, 0, t->n);
			ck_assert(nb_reverse(t, p->output) == 0);
			for (size_t i = 0; i < t->n; i++) {
				check_same("value", text, r0 + j, i, value[i],
					   t->value[i]);
				if (!inputs_only || blk.active[i])
					check_same("grad", text, r0 + j, i,
						   grad[i], t->grad[i]);
			}
			for (size_t e = 0; keep && e < t->nedge; e++)
				if (!inputs_only || blk.active[t->in[e]])
					check_same("local", text, r0 + j, e,
						   local[e], t->local[e]);
		}
	}
	nb_block_free(&blk);
}

/* Every block size over n points of the program text: every pair of
 * special values for the first two variables when n is NPAIRS, else
 * random points. */
#define NPAIRS (NSPECIAL * NSPECIAL)
static void compare_all(const char *text, size_t n)
{
	static double in[NPAIRS * NVARS];
	struct nb_program p = { 0 };

	ck_assert(n <= NPAIRS);
	compile_ok(&p, text);
	ck_assert(p.nvars <= NVARS);
	for (size_t i = 0; i < n * NVARS; i++)
		in[i] = point();
	for (size_t i = 0; n == NPAIRS && i < n; i++) {
		in[i * NVARS] = special[i / NSPECIAL];
		in[i * NVARS + 1] = special[i % NSPECIAL];
	}
	/* Ties (max, min) and forks of equal values. */
	for (size_t i = 0; n < NPAIRS && i < n; i += 5)
		in[i * NVARS + 1] = in[i * NVARS];
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		compare(&p, text, in, n, sizes[s], 0, 1);
		compare(&p, text, in, n, sizes[s], 1, 1);
		/* The batch's wide layout: no local gradient kept. */
		compare(&p, text, in, n, sizes[s], 1, 0);
		compare(&p, text, in, n, sizes[s], 0, 0);
	}
	nb_program_free(&p);
}

/* Op with its inputs' texts a, b (and a again for a third argument). */
static int apply(char *buf, size_t size, enum nb_op op, const char *a,
		 const char *b, int nargs)
{
	const struct nb_opinfo *o = &nb_ops[op];

	switch (o->kind) {
	case NB_INFIX:
		return snprintf(buf, size, "(%s %s %s)", a, o->sym, b);
	case NB_PREFIX:
		return snprintf(buf, size, "(%s%s)", o->sym, a);
	case NB_FUNC:
		if (o->arity == 1)
			return snprintf(buf, size, "%s(%s)", o->fn, a);
		if (o->arity == 2 || nargs == 2)
			return snprintf(buf, size, "%s(%s, %s)", o->fn, a, b);
		return snprintf(buf, size, "%s(%s, %s, %s)", o->fn, a, b, a);
	case NB_LEAF:
	case NB_SYNTAX:
		break;
	}
	return snprintf(buf, size, "%s", a);
}

/* Every op on two variables, on every pair of special points. */
START_TEST(every_op)
{
	char text[128], outer[160];
	size_t n = 0;

	for (int op = 0; op < NB_OP_NELEM; op++) {
		if (nb_ops[op].kind == NB_LEAF)
			continue;
		for (int nargs = 2; nargs <= (nb_ops[op].arity == NB_VARIADIC
					       ? 3 : 2); nargs++) {
			apply(text, sizeof text, (enum nb_op)op, "x", "y", nargs);
			compare_all(text, NPAIRS);
			/* Gradients of 0, inf and nan into the op, which meet
			 * its infinite and zero local gradients. */
			snprintf(outer, sizeof outer, "y * %s", text);
			compare_all(outer, NPAIRS);
			/* An input used twice: gradients add at the fork. */
			apply(text, sizeof text, (enum nb_op)op, "x", "x", nargs);
			compare_all(text, 50);
			n++;
		}
	}
	fprintf(stderr, "check_block: %zu op forms\n", n);
}
END_TEST

/* A random expression of at most depth levels into buf. */
static void expr(char *buf, size_t size, int depth)
{
	static const char *const leaves[] = { "x", "y", "z", "2", "0.5", "0",
					      "-1", "pi" };
	char a[MAXTEXT / 4], b[MAXTEXT / 4];
	int op;

	if (depth == 0 || below(4) == 0) {
		snprintf(buf, size, "%s", leaves[below(8)]);
		return;
	}
	do
		op = below(NB_OP_NELEM);
	while (nb_ops[op].kind == NB_LEAF);
	expr(a, sizeof a, depth - 1);
	expr(b, sizeof b, depth - 1);
	apply(buf, size, (enum nb_op)op, a, b, 2 + below(2));
}

/* Random programs over the whole table, with named intermediates used
 * more than once. */
START_TEST(random_programs)
{
	char e1[MAXTEXT / 4], e2[MAXTEXT / 4], text[MAXTEXT];
	int tested = 0;

	rng_state = 42 + (uint64_t)_i;
	while (tested < 40) {
		struct nb_program p = { 0 };
		struct nb_diag d;
		expr(e1, sizeof e1, 3);
		expr(e2, sizeof e2, 3);
		snprintf(text, sizeof text, "u = %s\nu * x + %s - u", e1, e2);
		/* Cut short (a syntax error, or a name cut into a new
		 * variable) or too many nodes for compare: draw again. */
		if (nb_program_compile(&p, "<expr>", text, strlen(text), &d) ||
		    p.nvars > NVARS || p.tape.n > 64 || p.tape.nedge > 128) {
			nb_program_free(&p);
			continue;
		}
		nb_program_free(&p);
		compare_all(text, 60);
		tested++;
	}
}
END_TEST

/* x + x + ... (n terms): n nodes and 2n - 2 edges. */
static void long_sum(struct nb_program *p, size_t n)
{
	static char text[4 * 10001];

	ck_assert(4 * n < sizeof text);
	text[0] = 'x';
	for (size_t i = 1; i < n; i++)
		memcpy(text + 4 * i - 3, " + x", 4);
	text[4 * n - 3] = '\0';
	compile_ok(p, text);
}

/* A large tape gets a shorter block, a huge one the tape itself. */
START_TEST(block_rows_bounded)
{
	struct nb_program p = { 0 };
	struct nb_block blk;
	size_t rows, slot;

	compile_ok(&p, "x * y");
	ck_assert_uint_eq(nb_block_rows(&p.tape), NB_BLOCK_ROWS);
	nb_program_free(&p);
	long_sum(&p, 2000);
	rows = nb_block_rows(&p.tape);
	slot = (2 * p.tape.n + p.tape.nedge) * sizeof(double);
	ck_assert(rows > 1 && rows < NB_BLOCK_ROWS);
	ck_assert(rows * slot <= NB_BLOCK_BYTES);
	nb_program_free(&p);
	long_sum(&p, 10000);
	ck_assert_uint_eq(nb_block_rows(&p.tape), 1);
	nb_program_set(&p, 0, 1.5);
	ck_assert(nb_block_init(&blk, &p.tape, 1, 1) == 0);
	ck_assert(blk.value == p.tape.value && blk.grad == p.tape.grad &&
		  blk.local == p.tape.local);
	nb_block_forward(&blk, &p.tape, 1);
	nb_block_reverse(&blk, &p.tape, p.output, 1);
	ck_assert(p.tape.value[p.output] == 1.5 * 10000);
	ck_assert(p.tape.grad[p.vars[0]] == 10000);
	nb_block_free(&blk);
	nb_program_free(&p);
}
END_TEST

/* A block that keeps no local gradient leaves the tape without any: a
 * large program's batch run holds none per edge. */
START_TEST(lean_block)
{
	struct nb_program p = { 0 };
	struct nb_block blk;

	long_sum(&p, 10000);
	nb_program_set(&p, 0, 1.5);
	ck_assert(nb_block_init(&blk, &p.tape, 1, 0) == 0);
	nb_block_inputs_only(&blk, &p.tape);
	nb_block_forward(&blk, &p.tape, 1);
	nb_block_reverse(&blk, &p.tape, p.output, 1);
	ck_assert(p.tape.value[p.output] == 1.5 * 10000);
	ck_assert(p.tape.grad[p.vars[0]] == 10000);
	ck_assert(p.tape.local == NULL && p.tape.nlocal == 0);
	nb_block_free(&blk);
	nb_program_free(&p);
}
END_TEST

static Suite *block_suite(void)
{
	Suite *s = suite_create("block");
	TCase *tc = tcase_create("block");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, every_op);
	tcase_add_loop_test(tc, random_programs, 0, 4);
	tcase_add_test(tc, block_rows_bounded);
	tcase_add_test(tc, lean_block);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(block_suite);
