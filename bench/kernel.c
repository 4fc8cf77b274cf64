/* bench/kernel.c - nabla's tape on rows already in memory.
 *
 *   kernel 'PROGRAM' < rows.csv
 *
 * Compiles PROGRAM with libnabla, reads the CSV (a header naming the
 * program's inputs, then numbers) into memory, then times one forward and
 * one reverse sweep per row, the work batch mode does between reading a
 * row and writing it.  Prints ns/row and a checksum, to set against
 * `baseline NAME mem` (the same arithmetic written by hand). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "program.h"
#include "sweep.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The header's names as indices of p's variables into var[]. */
static int map_header(const struct nb_program *p, char *line, long *var,
		      int max)
{
	int n = 0;

	for (char *name = strtok(line, ",\n"); name && n < max;
	     name = strtok(NULL, ",\n")) {
		var[n] = nb_program_var(p, name, strlen(name));
		if (var[n++] < 0) {
			fprintf(stderr, "kernel: '%s' is not an input\n", name);
			return -1;
		}
	}
	return n;
}

static double *read_rows(int ncol, size_t *nrows)
{
	size_t n = 0, cap = 1 << 16;
	double *v = malloc(cap * (size_t)ncol * sizeof *v);
	char line[4096];

	while (v && fgets(line, sizeof line, stdin)) {
		char *p = line;
		if (n == cap)
			v = realloc(v, (cap *= 2) * (size_t)ncol * sizeof *v);
		for (int j = 0; v && j < ncol; j++)
			v[n * (size_t)ncol + (size_t)j] = strtod(p, &p), p++;
		n++;
	}
	*nrows = n;
	return v;
}

int main(int argc, char **argv)
{
	struct nb_program p;
	struct nb_diag d;
	char line[4096];
	long var[256];
	double *rows, sum = 0, t0;
	size_t n;
	int ncol;

	if (argc != 2 || nb_program_compile(&p, "<expr>", argv[1],
					    strlen(argv[1]), &d) != 0) {
		fputs("usage: kernel 'PROGRAM' < rows.csv\n", stderr);
		return 2;
	}
	if (!fgets(line, sizeof line, stdin) ||
	    (ncol = map_header(&p, line, var, 256)) < 0 ||
	    !(rows = read_rows(ncol, &n)) || n == 0)
		return 1;
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < ncol; j++)
			nb_program_set(&p, (size_t)var[j],
				       rows[i * (size_t)ncol + (size_t)j]);
		nb_forward(&p.tape, 0, p.tape.n);
		nb_reverse(&p.tape, p.output);
		sum += p.tape.value[p.output];
		for (size_t k = 0; k < p.nvars; k++)
			sum += p.tape.grad[p.vars[k]];
	}
	printf("%.3f ns/row (checksum %.17g)\n", 1e9 * (now() - t0) / (double)n,
	       sum);
	free(rows);
	nb_program_free(&p);
	return 0;
}
