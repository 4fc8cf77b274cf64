/* bench/kernel.c - nabla's tape on rows already in memory.
 *
 *   kernel 'PROGRAM' [print|modes] < rows.csv
 *
 * Compiles PROGRAM with libnabla, reads the CSV (a header naming the
 * program's inputs, then numbers) into memory, then times the sweeps over
 * blocks of rows (block.h), the work batch mode does between reading
 * rows and writing them.  Prints ns/row and a checksum, to set against
 * `baseline NAME mem` (the same arithmetic written by hand).  With
 * "print", writes f and the gradient of each row instead, as
 * `baseline NAME` does, for bench/run.sh to check before timing.  With
 * "modes", times the whole gradient of each row by reverse mode (a
 * forward and a reverse sweep) and by forward mode (a forward sweep and
 * one tangent sweep per input), one row at a time on the tape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/block.h"
#include "core/compile.h"
#include "core/program.h"
#include "core/sweep.h"
#include "core/tangent.h"

/* Most columns, and inputs of the program. */
#define MAXCOL 256

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

/* Rows 0..m-1 of the block: f and the gradient, printed, and added to
 * acc[0] (f) and acc[1..] (the gradient).  One sum per column: a single
 * sum would be a chain of dependent additions that, unlike the
 * baseline's, no arithmetic of the row overlaps. */
static void take_rows(const struct nb_program *p, const struct nb_block *blk,
		      size_t m, int print, double *acc)
{
	const double *col[MAXCOL + 1];
	size_t ncol = p->nvars + 1;

	col[0] = nb_block_values(blk, p->output);
	for (size_t k = 0; k < p->nvars; k++)
		col[k + 1] = blk->grad + p->vars[k] * blk->rows;
	for (size_t r = 0; print && r < m; r++)
		for (size_t k = 0; k < ncol; k++)
			printf("%.17g%c", col[k][r], k + 1 < ncol ? ',' : '\n');
	for (size_t r = 0; r < m; r++)
		for (size_t k = 0; k < ncol; k++)
			acc[k] += col[k][r];
}

/* The sweeps over the n rows (ncol columns feeding variables var[]), a
 * block at a time; the sum of every f and gradient goes to *sum.
 * Returns 0, or -1 when out of memory. */
static int sweep_rows(struct nb_program *p, const long *var, int ncol,
		      const double *rows, size_t n, int print, double *sum)
{
	struct nb_block blk;
	double acc[MAXCOL + 1] = { 0 };

	if (nb_block_init(&blk, &p->tape, nb_block_rows(&p->tape), 0))
		return -1;
	nb_block_inputs_only(&blk, &p->tape);
	for (size_t i0 = 0; i0 < n; i0 += blk.rows) {
		size_t m = n - i0 < blk.rows ? n - i0 : blk.rows;
		for (int j = 0; j < ncol; j++) {
			double *v = nb_block_values(&blk, p->vars[var[j]]);
			for (size_t r = 0; r < m; r++)
				v[r] = rows[(i0 + r) * (size_t)ncol + (size_t)j];
		}
		nb_block_forward(&blk, &p->tape, m);
		nb_block_reverse(&blk, &p->tape, p->output, m);
		take_rows(p, &blk, m, print, acc);
	}
	nb_block_free(&blk);
	*sum = 0;
	for (size_t k = 0; k <= p->nvars; k++)
		*sum += acc[k];
	return 0;
}

/* Mode 0 (reverse) or 1 (forward) over the n rows, repeated until at
 * least 0.2 s have passed; returns the seconds per row. */
static double time_mode(struct nb_program *p, const long *var, int ncol,
			const double *rows, size_t n, int mode, double *dir,
			double *tan, double *sum)
{
	double t0 = now(), t;
	size_t done = 0;

	do {
		for (size_t r = 0; r < n; r++, done++) {
			for (int j = 0; j < ncol; j++)
				nb_program_set(p, (size_t)var[j],
					       rows[r * (size_t)ncol + (size_t)j]);
			nb_forward(&p->tape, 0, p->tape.n);
			if (mode == 0) {
				nb_reverse(&p->tape, p->output);
				*sum += p->tape.grad[p->vars[0]];
			}
			for (size_t k = 0; mode == 1 && k < p->nvars; k++) {
				dir[k] = 1;
				nb_tangent_sweep(p, dir, tan);
				dir[k] = 0;
				*sum += tan[p->output];
			}
		}
	} while ((t = now() - t0) < 0.2);
	return t / (double)done;
}

/* Reverse mode against forward mode for the whole gradient: the seeds'
 * point that for one output reverse mode costs the same whatever the
 * number of inputs.  Returns 0, or -1 when out of memory. */
static int compare_modes(struct nb_program *p, const long *var, int ncol,
			 const double *rows, size_t n)
{
	double *tan = malloc(p->tape.n * sizeof *tan);
	double *dir = calloc(p->nvars ? p->nvars : 1, sizeof *dir);
	double rev, fwd, sum = 0;

	if (tan && dir) {
		rev = time_mode(p, var, ncol, rows, n, 0, dir, tan, &sum);
		fwd = time_mode(p, var, ncol, rows, n, 1, dir, tan, &sum);
		printf("%.1f %.1f %zu (checksum %.17g)\n", 1e9 * rev,
		       1e9 * fwd, p->nvars, sum);
	}
	free(tan);
	free(dir);
	return tan && dir ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct nb_program p;
	struct nb_diag d;
	char line[4096];
	long var[MAXCOL];
	double *rows, sum, t0;
	size_t n;
	int ncol, fail, print = argc == 3 && strcmp(argv[2], "print") == 0;
	int modes = argc == 3 && strcmp(argv[2], "modes") == 0;

	if ((argc != 2 && !print && !modes) ||
	    nb_program_compile(&p, "<expr>", argv[1], strlen(argv[1]), &d)) {
		fputs("usage: kernel 'PROGRAM' [print|modes] < rows.csv\n",
		      stderr);
		return 2;
	}
	if (!fgets(line, sizeof line, stdin) ||
	    (ncol = map_header(&p, line, var, MAXCOL)) < 0 || p.nvars > MAXCOL ||
	    !(rows = read_rows(ncol, &n)) || n == 0)
		return 1;
	for (int j = 0; j < ncol; j++)
		nb_program_set(&p, (size_t)var[j], 0);
	if (print)
		puts("f,gradient...");
	t0 = now();
	fail = modes ? compare_modes(&p, var, ncol, rows, n)
		     : sweep_rows(&p, var, ncol, rows, n, print, &sum);
	if (!print && !modes && !fail)
		printf("%.3f ns/row (checksum %.17g)\n",
		       1e9 * (now() - t0) / (double)n, sum);
	free(rows);
	nb_program_free(&p);
	return fail ? 1 : 0;
}
