/* tests/fuzz/run.h - nb_cli_main run as a user would, on files in a
 * scratch directory, with its stdout and stderr captured. */
#ifndef NABLA_FUZZ_RUN_H
#define NABLA_FUZZ_RUN_H

#include <stddef.h>

struct fuzz_run {
	char *out, *err;        /* what nabla wrote, NUL-terminated */
	size_t outlen, errlen;
	int status;             /* nb_cli_main's exit status */
};

/* The path of the scratch file name (a few letters), made on first use
 * in a directory of the target's own. */
const char *fuzz_path(const char *name);

/* Writes len bytes of data to the scratch file name; returns its path. */
const char *fuzz_write(const char *name, const void *data, size_t len);

/* Runs nb_cli_main on argv (NULL-terminated), stdin empty. */
void fuzz_main(char **argv, struct fuzz_run *r);

void fuzz_run_free(struct fuzz_run *r);

#endif
