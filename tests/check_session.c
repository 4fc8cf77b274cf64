/* check_session.c - the REPL's session model (src/session.c).
 *
 * Bindings and definitions, replacement, deletion, cycle refusal (which
 * must leave the session unchanged), the program text built for a name
 * (dependencies first, each once, unbound names listed) and :save's
 * text, which must compile and give the same numbers. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/program.h"
#include "core/sweep.h"
#include "front/session.h"
#include "testmain.h"

/* Defines name = expr whose references are the blank-separated refs. */
static int define(struct nb_session *s, const char *name, const char *expr,
		  const char *refs, char *why)
{
	const char *r[8];
	size_t len[8], n = 0;

	while (*refs) {
		size_t l = strcspn(refs, " ");
		r[n] = refs;
		len[n++] = l;
		refs += l;
		refs += strspn(refs, " ");
	}
	return nb_session_define(s, name, strlen(name), expr, strlen(expr), r,
				 len, n, why, 256);
}

static void bind(struct nb_session *s, const char *name, double v)
{
	ck_assert_int_eq(nb_session_bind(s, name, strlen(name), v), 0);
}

/* The program built for root, and the unbound names. */
static void program(const struct nb_session *s, const char *root,
		    struct nb_text *out, struct nb_text *unbound)
{
	size_t len = strlen(root);

	memset(out, 0, sizeof *out);
	memset(unbound, 0, sizeof *unbound);
	ck_assert_int_eq(nb_session_program(s, &root, &len, 1, out, unbound),
			 0);
}

/* The seeds' circuit, defined before its inputs are bound. */
static void seeds(struct nb_session *s)
{
	char why[256];

	nb_session_init(s);
	ck_assert_int_eq(define(s, "f", "q * z", "q z", why), 0);
	ck_assert_int_eq(define(s, "q", "x + y", "x y", why), 0);
	bind(s, "x", -2);
	bind(s, "y", 5);
	bind(s, "z", -4);
}

START_TEST(program_puts_dependencies_first)
{
	struct nb_session s;
	struct nb_text out, unbound;

	seeds(&s);
	program(&s, "f", &out, &unbound);
	ck_assert_str_eq(out.s, "x = -2\ny = 5\nz = -4\nq = x + y\n"
			 "f = q * z\n");
	ck_assert_str_eq(unbound.s, "");
	nb_free(out.s);
	nb_free(unbound.s);
	program(&s, "q", &out, &unbound);
	ck_assert_str_eq(out.s, "x = -2\ny = 5\nq = x + y\n");
	nb_free(out.s);
	nb_free(unbound.s);
	nb_session_free(&s);
}
END_TEST

START_TEST(program_lists_unbound_names_once)
{
	struct nb_session s;
	struct nb_text out, unbound;
	char why[256];

	nb_session_init(&s);
	ck_assert_int_eq(define(&s, "a", "x * y", "x y", why), 0);
	ck_assert_int_eq(define(&s, "b", "a + x + w", "a x w", why), 0);
	program(&s, "b", &out, &unbound);
	ck_assert_str_eq(unbound.s, "x, y, w");
	nb_free(out.s);
	nb_free(unbound.s);
	nb_session_free(&s);
}
END_TEST

START_TEST(redefinition_replaces_in_place)
{
	struct nb_session s;
	char why[256];

	seeds(&s);
	bind(&s, "q", 3);               /* a definition becomes a binding */
	ck_assert_int_eq(nb_session_find(&s, "q", 1), 1);
	ck_assert_ptr_null(s.e[1].expr);
	ck_assert(s.e[1].value == 3);
	ck_assert_int_eq(define(&s, "x", "y * 2", "y", why), 0);
	ck_assert_str_eq(s.e[nb_session_find(&s, "x", 1)].expr, "y * 2");
	ck_assert_uint_eq(s.n, 5);
	nb_session_free(&s);
}
END_TEST

START_TEST(cycles_are_refused_and_change_nothing)
{
	struct nb_session s;
	char why[256];

	seeds(&s);
	ck_assert_int_eq(define(&s, "x", "f + 1", "f", why), 1);
	ck_assert_str_eq(why, "x -> f -> q -> x");
	ck_assert_ptr_null(s.e[nb_session_find(&s, "x", 1)].expr);
	ck_assert_int_eq(define(&s, "g", "g * 2", "g", why), 1);
	ck_assert_str_eq(why, "g -> g");
	ck_assert_int_eq(nb_session_find(&s, "g", 1), -1);
	ck_assert_uint_eq(s.n, 5);
	nb_session_free(&s);
}
END_TEST

/* A definition may refer to a name not defined yet; defining that name
 * later in terms of the first closes a cycle all the same, also after
 * :del took the name away. */
START_TEST(cycles_through_names_not_yet_defined)
{
	struct nb_session s;
	char why[256];

	nb_session_init(&s);
	ck_assert_int_eq(define(&s, "f", "q * 2", "q", why), 0);
	ck_assert_int_eq(define(&s, "h", "f + 1", "f", why), 0);
	ck_assert_int_eq(define(&s, "q", "h + 1", "h", why), 1);
	ck_assert_str_eq(why, "q -> h -> f -> q");
	ck_assert_int_eq(nb_session_find(&s, "q", 1), -1);
	nb_session_free(&s);
	seeds(&s);
	ck_assert_int_eq(nb_session_delete(&s, "q", 1), 0);
	ck_assert_int_eq(define(&s, "q", "f + 1", "f", why), 1);
	ck_assert_str_eq(why, "q -> f -> q");
	nb_session_free(&s);
}
END_TEST

START_TEST(delete_forgets_a_name)
{
	struct nb_session s;
	struct nb_text out, unbound;

	seeds(&s);
	ck_assert_int_eq(nb_session_delete(&s, "q", 1), 0);
	ck_assert_int_eq(nb_session_delete(&s, "q", 1), -1);
	program(&s, "f", &out, &unbound);
	ck_assert_str_eq(unbound.s, "q");
	nb_free(out.s);
	nb_free(unbound.s);
	nb_session_free(&s);
}
END_TEST

/* The saved text compiles and computes what the session does. */
START_TEST(save_reads_back)
{
	struct nb_session s;
	struct nb_text out = { 0 };
	struct nb_program p;
	struct nb_diag d;

	seeds(&s);
	bind(&s, "n", NAN);
	bind(&s, "i", -INFINITY);
	bind(&s, "t", 0.1 + 0.2);
	ck_assert_int_eq(nb_session_save(&s, &out), 0);
	ck_assert_str_eq(out.s, "x = -2\ny = 5\nz = -4\nn = 0/0\ni = -1/0\n"
			 "t = 0.30000000000000004\nq = x + y\nf = q * z\n");
	ck_assert_int_eq(nb_program_compile(&p, "saved", out.s, out.len, &d),
			 0);
	nb_forward(&p.tape, 0, p.tape.n);
	ck_assert(p.tape.value[p.output] == -12);
	ck_assert(isnan(p.tape.value[p.vars[3]]));
	ck_assert(p.tape.value[p.vars[4]] == -INFINITY);
	ck_assert(p.tape.value[p.vars[5]] == 0.1 + 0.2);
	nb_program_free(&p);
	nb_free(out.s);
	nb_session_free(&s);
}
END_TEST

/* A chain far longer than any recursion could take: the walks are
 * iterative. */
START_TEST(long_chains_do_not_recurse)
{
	struct nb_session s;
	struct nb_text out, unbound;
	char name[16], prev[16], why[256];
	enum { N = 5000 };

	nb_session_init(&s);
	bind(&s, "v0", 1);
	for (int i = 1; i < N; i++) {
		snprintf(name, sizeof name, "v%d", i);
		snprintf(prev, sizeof prev, "v%d", i - 1);
		ck_assert_int_eq(define(&s, name, "x", prev, why), 0);
	}
	ck_assert_int_eq(define(&s, "v0", "v1", "v4999", why), 1);
	program(&s, name, &out, &unbound);
	ck_assert_str_eq(unbound.s, "");
	nb_free(out.s);
	nb_free(unbound.s);
	nb_session_free(&s);
}
END_TEST

static Suite *session_suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");

	tcase_add_test(tc, program_puts_dependencies_first);
	tcase_add_test(tc, program_lists_unbound_names_once);
	tcase_add_test(tc, redefinition_replaces_in_place);
	tcase_add_test(tc, cycles_are_refused_and_change_nothing);
	tcase_add_test(tc, cycles_through_names_not_yet_defined);
	tcase_add_test(tc, delete_forgets_a_name);
	tcase_add_test(tc, save_reads_back);
	tcase_add_test(tc, long_chains_do_not_recurse);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(session_suite);
