/* tests/fuzz/fuzz_repl.c - libFuzzer target: a script for the REPL.
 *
 * Runs the input as a script (statements, definitions, continued lines
 * and :commands) through nb_repl_script, the entry script mode uses, with
 * the script's output thrown away: the session, the command table, the
 * line joining and every diagnostic are driven by text a user typed,
 * which nothing else fuzzes.  Anything the sanitizers object to is a bug.
 *
 * :load reads through fopen, and :save writes a temporary file next to
 * its target (mkstemp) and renames it over the target; this target wraps
 * all three (linked with -Wl,--wrap=...).  While a script runs, a name
 * without '/' stands for one scratch file in a private temporary
 * directory (so :save x then :load y round-trips a session), and any
 * other path fails with EACCES, so a script can neither read devices nor
 * write real files: a fuzzed ":save /x" once wrote /x, as root.  The
 * scratch file is removed before each input, which keeps runs
 * reproducible.
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
int __real_mkstemp(char *tmpl);
int __wrap_mkstemp(char *tmpl);
int __real_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to);

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

/* :save's temporary file, in the current directory only. */
int __wrap_mkstemp(char *tmpl)
{
	if (in_script && strchr(tmpl, '/')) {
		errno = EACCES;
		return -1;
	}
	return __real_mkstemp(tmpl);
}

/* :save's temporary file becomes the scratch file. */
int __wrap_rename(const char *from, const char *to)
{
	if (!in_script)
		return __real_rename(from, to);
	if (strchr(to, '/') || strchr(from, '/')) {
		errno = EACCES;
		return -1;
	}
	return __real_rename(from, scratch);
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
	struct nb_repl_opts o = { .format = NB_FMT_TABLE, .precision = 6 };
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
