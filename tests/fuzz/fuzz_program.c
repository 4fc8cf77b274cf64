/* tests/fuzz/fuzz_program.c - libFuzzer target: a program from bytes to
 * every output format.
 *
 * Parses the input as a program, binds every input variable, runs both
 * sweeps and the domain check, and writes every format; a program that
 * does not compile has its diagnostic rendered instead.  Anything the
 * sanitizers object to on the way is a bug. */
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "core/compile.h"
#include "core/domain.h"
#include "core/program.h"
#include "core/tvals.h"
#include "output/writer.h"

static void ignore(void *ctx, const struct nb_diag *d)
{
	(void)ctx;
	(void)d;
}

static void write_all(FILE *out, const struct nb_program *p)
{
	size_t wrt[1] = { 0 };
	struct nb_outspec spec = { NB_FMT_TABLE, 6, 1, wrt, p->nvars ? 1 : 0 };

	for (int f = 0; f < NB_NFORMATS; f++) {
		if (!nb_format_takes((enum nb_format)f, NB_ONESHOT))
			continue;
		spec.format = (enum nb_format)f;
		nb_write(out, p, &spec);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct nb_program p;
	struct nb_diag d;

	if (!devnull) {
		nb_alloc_set_budget(FUZZ_BUDGET);
		devnull = fopen("/dev/null", "w");
	}
	if (nb_program_compile(&p, "<fuzz>", (const char *)data, size, &d)) {
		nb_diag_print(devnull, &p.src, &d, 1);
	} else {
		/* Values that reach kinks, zeros and negatives. */
		for (size_t i = 0; i < p.nvars; i++)
			nb_program_set(&p, i, (double)(i % 5) - 2);
		/* The runs of the command line: shapes, then both sweeps. */
		if (nb_program_run(&p, NULL, &d)) {
			nb_diag_print(devnull, &p.src, &d, 1);
		} else {
			if (!p.tape.tv)
				nb_domain_check(&p, ignore, NULL);
			write_all(devnull, &p);
		}
	}
	nb_program_free(&p);
	return 0;
}
