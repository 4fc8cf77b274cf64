/* bench/baseline.c - the hand-written C that nabla is measured against.
 *
 *   baseline neuron|staged        B1: reads CSV on stdin with strtod,
 *                                 writes f and the gradient per row with
 *                                 %.17g, as nabla --batch --no-echo does
 *   baseline neuron|staged mem    B2: the same arithmetic on rows already
 *                                 in memory; prints ns/row on stdout
 *
 * The forward and backward code is flat, in the style of the CS231n
 * notes: one statement per gate, grad_ variables, += at forks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#define MAXIN 8

/* f = 1/(1+exp(-(w0*x0+w1*x1+w2))); in: w0,x0,w1,x1,w2 */
static void neuron(const double *in, double *out)
{
	double w0 = in[0], x0 = in[1], w1 = in[2], x1 = in[3], w2 = in[4];
	double s = w0 * x0 + w1 * x1 + w2;
	double f = 1 / (1 + exp(-s));
	double grad_s = (1 - f) * f;

	out[0] = f;
	out[1] = x0 * grad_s;
	out[2] = w0 * grad_s;
	out[3] = x1 * grad_s;
	out[4] = w1 * grad_s;
	out[5] = grad_s;
}

/* f = (x + sigmoid(y)) / (sigmoid(x) + (x+y)^2); in: x,y */
static void staged(const double *in, double *out)
{
	double x = in[0], y = in[1];
	double sigy = 1 / (1 + exp(-y));
	double num = x + sigy;
	double sigx = 1 / (1 + exp(-x));
	double xpy = x + y;
	double xpysqr = xpy * xpy;
	double den = sigx + xpysqr;
	double invden = 1 / den;
	double f = num * invden;
	double grad_num = invden, grad_invden = num;
	double grad_den = -1 / (den * den) * grad_invden;
	double grad_sigx = grad_den, grad_xpysqr = grad_den;
	double grad_xpy = 2 * xpy * grad_xpysqr;
	double grad_x = grad_xpy, grad_y = grad_xpy;
	double grad_sigy;

	grad_x += (1 - sigx) * sigx * grad_sigx;
	grad_x += grad_num;
	grad_sigy = grad_num;
	grad_y += (1 - sigy) * sigy * grad_sigy;
	out[0] = f;
	out[1] = grad_x;
	out[2] = grad_y;
}

struct kernel {
	const char *name;
	void (*fn)(const double *, double *);
	int nin, nout;
};

static const struct kernel kernels[] = {
	{ "neuron", neuron, 5, 6 },
	{ "staged", staged, 2, 3 },
};

/* One CSV line of n numbers into v; 0 at the end of input. */
static int read_row(char *line, size_t size, double *v, int n)
{
	char *p = line, *end;

	if (!fgets(line, (int)size, stdin))
		return 0;
	for (int i = 0; i < n; i++) {
		v[i] = strtod(p, &end);
		p = end + 1;
	}
	return 1;
}

static void end_to_end(const struct kernel *k)
{
	char line[4096];
	double in[MAXIN], out[MAXIN];

	if (!fgets(line, sizeof line, stdin))
		return;
	fputs(k->nin == 5 ? "f,df/dw0,df/dx0,df/dw1,df/dx1,df/dw2\n"
			  : "f,df/dx,df/dy\n", stdout);
	while (read_row(line, sizeof line, in, k->nin)) {
		k->fn(in, out);
		for (int j = 0; j < k->nout; j++)
			printf("%.17g%c", out[j], j + 1 < k->nout ? ',' : '\n');
	}
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void in_memory(const struct kernel *k)
{
	char line[4096];
	size_t n = 0, cap = 1 << 16;
	double *rows = malloc(cap * MAXIN * sizeof *rows), out[MAXIN];
	double sum = 0, t0;

	if (!rows || !fgets(line, sizeof line, stdin))
		exit(1);
	while (read_row(line, sizeof line, rows + n * MAXIN, k->nin)) {
		if (++n == cap) {
			rows = realloc(rows, (cap *= 2) * MAXIN * sizeof *rows);
			if (!rows)
				exit(1);
		}
	}
	t0 = now();
	for (size_t i = 0; i < n; i++) {
		k->fn(rows + i * MAXIN, out);
		for (int j = 0; j < k->nout; j++)
			sum += out[j];
	}
	printf("%.3f ns/row (checksum %.17g)\n", 1e9 * (now() - t0) / (double)n,
	       sum);
	free(rows);
}

int main(int argc, char **argv)
{
	for (size_t i = 0; argc >= 2 && i < sizeof kernels / sizeof *kernels;
	     i++) {
		if (strcmp(argv[1], kernels[i].name) != 0)
			continue;
		if (argc == 3 && strcmp(argv[2], "mem") == 0)
			in_memory(&kernels[i]);
		else
			end_to_end(&kernels[i]);
		return 0;
	}
	fputs("usage: baseline neuron|staged [mem] < rows.csv\n", stderr);
	return 2;
}
