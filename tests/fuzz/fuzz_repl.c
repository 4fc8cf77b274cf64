/* tests/fuzz/fuzz_repl.c - libFuzzer target: a script for the REPL.
 *
 * Runs the input as a script (statements, definitions, continued lines
 * and :commands) through nb_repl_script, the entry script mode uses, with
 * the script's output thrown away: the session, the command table, the
 * line joining and every diagnostic are driven by text a user typed,
 * which nothing else fuzzes.  Anything the sanitizers object to is a bug.
 *
 * :load and :save go through fopen, which this target wraps (linked with
 * -Wl,--wrap=fopen): while a script runs, a name without '/' opens one
 * scratch file in a private temporary directory (so :save x then :load y
 * round-trips a session) and any other path fails with EACCES, so a
 * script can neither read devices nor write real files.  The scratch file
 * is removed before each input, which keeps runs reproducible.
 *
 * stdout and stderr are swapped for /dev/null only around the call
 * (glibc's are plain variables); libFuzzer and the sanitizers keep
 * writing to the real stderr. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "front/repl.h"

FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);

static int in_script;           /* fopen is sandboxed */
static char scratch[64];        /* the one file :load and :save see */

FILE *__wrap_fopen(const char *path, const char *mode)
{
	if (!in_script)
		return __real_fopen(path, mode);
	if (strchr(path, '/')) {
		errno = EACCES;
		return NULL;
	}
	return __real_fopen(scratch, mode);
}

static void setup(void)
{
	char dir[] = "/tmp/nabla-fuzz-repl.XXXXXX";

	if (!mkdtemp(dir))
		abort();
	snprintf(scratch, sizeof scratch, "%s/session.nb", dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct nb_repl_opts o = { NB_FMT_TABLE, 6, 0, 0, 0, 0, NULL, NULL, 0 };
	FILE *in, *out = stdout, *err = stderr;

	if (!devnull) {
		setup();
		nb_alloc_set_budget(FUZZ_BUDGET);
		devnull = fopen("/dev/null", "w");
	}
	remove(scratch);
	/* fmemopen cannot open an empty buffer. */
	if (size == 0 || !(in = fmemopen((void *)data, size, "r")))
		return 0;
	stdout = stderr = devnull;
	in_script = 1;
	nb_repl_script(&o, in, "<fuzz>");
	in_script = 0;
	stdout = out;
	stderr = err;
	fclose(in);
	return 0;
}
