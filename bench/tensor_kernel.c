/* bench/tensor_kernel.c - nabla's tensor sweeps in-process.
 *
 *   tensor_kernel DIR [RUNS | bytes]
 *
 * Compiles DIR/prog.nb with libnabla, binds each input NAME to
 * DIR/NAME.npy, and runs the program (shape pass, forward and reverse
 * sweeps: nb_program_run).  Without RUNS prints the output's value and
 * the sum of each input's gradient, for bench/tensor.sh to check against
 * NumPy; with RUNS prints the median seconds of a run, the measure set
 * against NumPy by hand and PyTorch's autograd in the same invocation;
 * with "bytes", the bytes of every node's value and gradient, the size
 * peak memory is set against. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/compile.h"
#include "core/program.h"
#include "core/tvals.h"
#include "core/view.h"
#include "front/readfile.h"
#include "front/valuefile.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Binds every input of p to DIR/NAME.npy. */
static int bind_all(struct nb_program *p, const char *dir)
{
	for (size_t k = 0; k < p->nvars; k++) {
		size_t len;
		const char *name = nb_node_name(p, p->vars[k], &len);
		char path[4096];
		struct nb_valuefile vf;
		struct nb_diag d;
		int r;

		snprintf(path, sizeof path, "%s/%.*s.npy", dir, (int)len, name);
		r = nb_valuefile_read(&vf, path, &d);
		if (r == 0 && nb_program_set_tensor(p, k, &vf.value))
			r = 1;
		nb_valuefile_free(&vf);
		if (r) {
			fprintf(stderr, "tensor_kernel: %s: %s\n", path, d.msg);
			return -1;
		}
	}
	return 0;
}

static double sum(struct nb_view v)
{
	size_t n;
	double s = 0;

	nb_shape_size(&v.shape, &n);
	for (size_t e = 0; e < n; e++)
		s += v.x[e];
	return s;
}

static void print_check(const struct nb_program *p)
{
	printf("%.17g\n", nb_node_value(&p->tape, p->output).x[0]);
	for (size_t k = 0; k < p->nvars; k++) {
		size_t len;
		const char *name = nb_node_name(p, p->vars[k], &len);
		printf("%.*s %.17g\n", (int)len, name,
		       sum(nb_node_grad(&p->tape, p->vars[k])));
	}
}

int main(int argc, char **argv)
{
	struct nb_program p = { 0 };
	struct nb_diag d;
	char path[4096];
	const char *name;
	char *text;
	size_t len;
	int bytes = argc > 2 && strcmp(argv[2], "bytes") == 0;
	int runs = argc > 2 && !bytes ? atoi(argv[2]) : 0;
	double t[101];

	if (argc < 2 || runs < 0 || runs > 101) {
		fputs("usage: tensor_kernel DIR [RUNS <= 101 | bytes]\n",
		      stderr);
		return 2;
	}
	snprintf(path, sizeof path, "%s/prog.nb", argv[1]);
	if (!(text = nb_read_file(path, &len, &name, &d)) ||
	    nb_program_compile_owned(&p, name, text, len, 1, 0, &d)) {
		fprintf(stderr, "tensor_kernel: %s: %s\n", path, d.msg);
		return 1;
	}
	/* It prints no edge's gradients: the sweeps keep none. */
	p.lean = 1;
	if (bind_all(&p, argv[1]) || nb_program_run(&p, NULL, &d)) {
		fprintf(stderr, "tensor_kernel: %s: %s\n", path, d.msg);
		return 1;
	}
	if (bytes) {
		printf("%zu\n", 2 * sizeof(double) * p.tape.tv->nval);
		return 0;
	}
	if (runs == 0) {
		print_check(&p);
		return 0;
	}
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		nb_program_run(&p, NULL, &d);
		t[r] = now() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	printf("%.6f\n", t[runs / 2]);
	nb_program_free(&p);
	return 0;
}
