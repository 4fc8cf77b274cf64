/* tests/fuzz/run.c - nb_cli_main with its output captured (run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "front/cli.h"
#include "run.h"

#define NPATHS 8

static char dir[] = "/tmp/nabla-fuzz.XXXXXX";
static char paths[NPATHS][64];

const char *fuzz_path(const char *name)
{
	size_t n = strlen(dir) + 1;
	int i;

	if (!paths[0][0] && !mkdtemp(dir))
		abort();
	for (i = 0; i < NPATHS && paths[i][0]; i++)
		if (strcmp(paths[i] + n, name) == 0)
			return paths[i];
	if (i == NPATHS)
		abort();
	snprintf(paths[i], sizeof paths[i], "%s/%s", dir, name);
	return paths[i];
}

const char *fuzz_write(const char *name, const void *data, size_t len)
{
	const char *path = fuzz_path(name);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		abort();
	return path;
}

/* The whole file at path, NUL-terminated, with its length. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		abort();
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

void fuzz_main(char **argv, struct fuzz_run *r)
{
	const char *out_path = fuzz_path("out"), *err_path = fuzz_path("err");
	FILE *out = stdout, *err = stderr;
	int argc = 0;

	while (argv[argc])
		argc++;
	if (!freopen("/dev/null", "r", stdin) ||
	    !(stdout = fopen(out_path, "wb")) ||
	    !(stderr = fopen(err_path, "wb")))
		abort();
	optind = 0;             /* getopt starts afresh */
	nb_alloc_set_budget(FUZZ_BUDGET);
	r->status = nb_cli_main(argc, argv);
	fclose(stderr);         /* nb_cli_main closed stdout */
	stdout = out;
	stderr = err;
	r->out = slurp(out_path, &r->outlen);
	r->err = slurp(err_path, &r->errlen);
}

void fuzz_run_free(struct fuzz_run *r)
{
	free(r->out);
	free(r->err);
}
