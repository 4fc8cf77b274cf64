/* bench/tensor_c.c - the tensor workloads written by hand in C: the
 * limit nabla's tensor sweeps are set against.
 *
 *   tensor_c L1|L2|L3|L4 RUNS
 *
 * Each workload's forward and backward pass on random data of the sizes
 * of bench/tensor_work.py, its matrix products as direct CBLAS calls
 * (core/gemm.h's nb_gemm: cblas_dgemm when configure found OpenBLAS,
 * on the threads nabla gives it: one unless OPENBLAS_NUM_THREADS says)
 * with the transpose flags, everything else as plain loops.  Prints the
 * median seconds of RUNS runs and a checksum (so no pass is optimised
 * away). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/gemm.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double *randm(size_t n)
{
	double *a = malloc(n * sizeof *a);

	for (size_t i = 0; a && i < n; i++)
		a[i] = (double)rand() / RAND_MAX - 0.5;
	if (!a) {
		fputs("tensor_c: out of memory\n", stderr);
		exit(1);
	}
	return a;
}

/* sum(relu(X @ W + b) * G): X m x k, W k x n. */
static double dense(size_t m, size_t k, size_t n, const double *X,
		    const double *W, const double *b, const double *G,
		    double *Z, double *dX, double *dW, double *db)
{
	double f = 0;

	nb_gemm(NB_NOTRANS, NB_NOTRANS, m, n, k, 1, X, k, W, n, 0, Z, n);
	memset(db, 0, n * sizeof *db);
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			double z = Z[i * n + j] + b[j], g = G[i * n + j];
			f += (z > 0 ? z : 0) * g;
			Z[i * n + j] = z > 0 ? g : 0;   /* dZ */
			db[j] += Z[i * n + j];
		}
	nb_gemm(NB_NOTRANS, NB_TRANS, m, k, n, 1, Z, n, W, n, 0, dX, k);
	nb_gemm(NB_TRANS, NB_NOTRANS, k, n, m, 1, X, k, Z, n, 0, dW, n);
	return f;
}

static double l1(void)
{
	static double *X, *W, *b, *G, *Z, *dX, *dW, *db;

	if (!X) {
		X = randm(256 * 784); W = randm(784 * 512); b = randm(512);
		G = randm(256 * 512); Z = randm(256 * 512);
		dX = randm(256 * 784); dW = randm(784 * 512); db = randm(512);
	}
	return dense(256, 784, 512, X, W, b, G, Z, dX, dW, db);
}

/* The MLP: H = relu(X @ W1 + b1), S = H @ W2 + b2, L = -sum(log_softmax(S)
 * * Y) / m, with every input's gradient. */
static double l2(void)
{
	enum { M = 1024, K = 784, H = 256, C = 10 };
	static double *X, *W1, *b1, *W2, *b2, *Y, *Z, *S, *dS, *dH, *dX,
		*dW1, *db1, *dW2, *db2;
	double f = 0;

	if (!X) {
		X = randm(M * K); W1 = randm(K * H); b1 = randm(H);
		W2 = randm(H * C); b2 = randm(C); Y = randm(M * C);
		Z = randm(M * H); S = randm(M * C); dS = randm(M * C);
		dH = randm(M * H); dX = randm(M * K); dW1 = randm(K * H);
		db1 = randm(H); dW2 = randm(H * C); db2 = randm(C);
	}
	nb_gemm(NB_NOTRANS, NB_NOTRANS, M, H, K, 1, X, K, W1, H, 0, Z, H);
	for (size_t e = 0; e < (size_t)M * H; e++) {
		double z = Z[e] + b1[e % H];
		Z[e] = z > 0 ? z : 0;
	}
	nb_gemm(NB_NOTRANS, NB_NOTRANS, M, C, H, 1, Z, H, W2, C, 0, S, C);
	memset(db2, 0, sizeof(double) * C);
	for (size_t i = 0; i < M; i++) {
		double *s = S + i * C, mx = -INFINITY, se = 0, sy = 0;
		for (size_t j = 0; j < C; j++) {
			s[j] += b2[j];
			mx = s[j] > mx ? s[j] : mx;
		}
		for (size_t j = 0; j < C; j++)
			se += exp(s[j] - mx);
		for (size_t j = 0; j < C; j++) {
			double ls = s[j] - mx - log(se);
			f -= ls * Y[i * C + j] / M;
			sy += Y[i * C + j];
			s[j] = ls;
		}
		for (size_t j = 0; j < C; j++) {
			dS[i * C + j] = (exp(s[j]) * sy - Y[i * C + j]) / M;
			db2[j] += dS[i * C + j];
		}
	}
	nb_gemm(NB_TRANS, NB_NOTRANS, H, C, M, 1, Z, H, dS, C, 0, dW2, C);
	nb_gemm(NB_NOTRANS, NB_TRANS, M, H, C, 1, dS, C, W2, C, 0, dH, H);
	memset(db1, 0, sizeof(double) * H);
	for (size_t e = 0; e < (size_t)M * H; e++) {
		dH[e] = Z[e] > 0 ? dH[e] : 0;
		db1[e % H] += dH[e];
	}
	nb_gemm(NB_TRANS, NB_NOTRANS, K, H, M, 1, X, K, dH, H, 0, dW1, H);
	nb_gemm(NB_NOTRANS, NB_TRANS, M, K, H, 1, dH, H, W1, H, 0, dX, K);
	return f;
}

/* sum(sigmoid(x) * tanh(x)) and its gradient, over 10^7 elements. */
static double l3(void)
{
	enum { N = 10000000 };
	static double *x, *dx;
	double f = 0;

	if (!x) {
		x = randm(N);
		dx = randm(N);
	}
	for (size_t i = 0; i < N; i++) {
		double e = exp(-fabs(x[i]));
		double s = (x[i] >= 0 ? 1 : e) / (1 + e), t = tanh(x[i]);
		f += s * t;
		dx[i] = s * (1 - s) * t + s * (1 - t * t);
	}
	return f;
}

/* sum(E[ids] * G): a gather, and its gradient's scatter-add. */
static double l4(void)
{
	enum { V = 50000, D = 128, B = 4096 };
	static double *E, *G, *dE, *dG;
	static size_t *ids;
	double f = 0;

	if (!E) {
		E = randm((size_t)V * D); G = randm((size_t)B * D);
		dE = randm((size_t)V * D); dG = randm((size_t)B * D);
		ids = malloc(B * sizeof *ids);
		for (size_t i = 0; ids && i < B; i++)
			ids[i] = (size_t)rand() % V;
	}
	memset(dE, 0, sizeof(double) * V * D);
	for (size_t i = 0; i < B; i++)
		for (size_t j = 0; j < D; j++) {
			f += E[ids[i] * D + j] * G[i * D + j];
			dG[i * D + j] = E[ids[i] * D + j];
			dE[ids[i] * D + j] += G[i * D + j];
		}
	return f;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	double (*work)(void) = NULL, t[101], check = 0;
	int runs = argc > 2 ? atoi(argv[2]) : 0;

	if (argc > 1)
		work = !strcmp(argv[1], "L1") ? l1 : !strcmp(argv[1], "L2") ? l2
		     : !strcmp(argv[1], "L3") ? l3 : !strcmp(argv[1], "L4") ? l4
		     : NULL;
	if (!work || runs < 1 || runs > 101) {
		fputs("usage: tensor_c L1|L2|L3|L4 RUNS (1..101)\n", stderr);
		return 2;
	}
	check = work();
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		check += work();
		t[r] = now() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	printf("%.6f %g\n", t[runs / 2], check);
	return 0;
}
