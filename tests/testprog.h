/* tests/testprog.h - compiling and running programs in Check tests.
 *
 * Shared by the suites that drive the engine the way the command line
 * does: compile, bind inputs by name, run both sweeps. */
#ifndef NABLA_TESTPROG_H
#define NABLA_TESTPROG_H

#include <check.h>
#include <stdarg.h>
#include <string.h>

#include "core/compile.h"
#include "core/program.h"
#include "core/sweep.h"

/* Compiles text or fails the test with the diagnostic. */
static inline void compile_ok(struct nb_program *p, const char *text)
{
	struct nb_diag d;
	int r;

	memset(&d, 0, sizeof d);
	r = nb_program_compile(p, "<expr>", text, strlen(text), &d);
	ck_assert_msg(r == 0, "\"%.60s\" should compile, got %d: %s", text, r,
		      d.msg);
}

/* Binds the "name", value pairs of ap (ending with NULL), checks that
 * every input is bound and runs both sweeps. */
static inline void vbind_run(struct nb_program *p, va_list ap)
{
	struct nb_diag d;
	const char *name;

	while ((name = va_arg(ap, const char *)) != NULL) {
		double v = va_arg(ap, double);
		long var = nb_program_var(p, name, strlen(name));

		ck_assert_msg(var >= 0, "no input %s", name);
		nb_program_set(p, (size_t)var, v);
	}
	ck_assert_msg(nb_program_check_bound(p, &d) == 0, "%s", d.msg);
	nb_forward(&p->tape, 0, p->tape.n);
	nb_reverse(&p->tape, p->output);
}

/* vbind_run with the pairs as arguments. */
static inline void bind_run(struct nb_program *p, ...)
{
	va_list ap;

	va_start(ap, p);
	vbind_run(p, ap);
	va_end(ap);
}

#endif
