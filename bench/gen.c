/* bench/gen.c - fixed-seed workloads for the benchmarks.
 *
 *   gen rows N SEED NAME...   N rows of CSV: a header of the NAMEs, then
 *                             uniform values in [-2, 2] (%.17g, exact)
 *   gen wide N                a program of about N operation nodes: a sum
 *                             of short product/exp/tanh/quotient terms
 *                             over the variables v0..v99
 *   gen deep N                a program of about N operation nodes as one
 *                             nested chain (a parenthesis every ~3 nodes)
 *   gen vars                  one CSV row binding v0..v99
 *
 * A tiny xorshift generator keeps the output identical on every machine
 * and libc, so runs can be compared. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 88172645463325252u;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* Uniform in [lo, hi). */
static double uniform(double lo, double hi)
{
	return lo + (hi - lo) * (double)(next() >> 11) / 9007199254740992.0;
}

static void rows(long n, int names, char **name)
{
	for (int j = 0; j < names; j++)
		printf("%s%s", j ? "," : "", name[j]);
	putchar('\n');
	for (long i = 0; i < n; i++)
		for (int j = 0; j < names; j++)
			printf("%.17g%c", uniform(-2, 2),
			       j + 1 < names ? ',' : '\n');
}

static int var(void)
{
	return (int)(next() % 100);
}

/* Each term is about 4 operation nodes, and its "+" one more. */
static void wide(long n)
{
	static const char *const forms[] = {
		"v%d*v%d*0.5", "exp(v%d*0.1)*v%d", "tanh(v%d - v%d)",
		"v%d/(1.5 + v%d*v%d)",
	};
	for (long k = 0; k < n; k += 5) {
		int f = (int)(next() % 4);
		if (k)
			fputs(" + ", stdout);
		printf(forms[f], var(), var(), var());
	}
	putchar('\n');
}

/* Innermost first: x = v0; then x = op(x, v) wrapped in parentheses
 * every third node, so the nesting is about n/3 deep. */
static void deep(long n)
{
	long opens = 0;

	for (long k = 0; k < n; k += 3)
		opens++;
	for (long i = 0; i < opens; i++)
		fputs("tanh(", stdout);
	fputs("v0", stdout);
	for (long i = 0; i < opens; i++)
		printf(" * 0.5 + v%d)", var());
	putchar('\n');
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "rows") == 0) {
		state ^= strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15u;
		rows(atol(argv[2]), argc - 4, argv + 4);
	} else if (argc == 3 && strcmp(argv[1], "wide") == 0) {
		wide(atol(argv[2]));
	} else if (argc == 3 && strcmp(argv[1], "deep") == 0) {
		deep(atol(argv[2]));
	} else if (argc == 2 && strcmp(argv[1], "vars") == 0) {
		for (int j = 0; j < 100; j++)
			printf("%sv%d", j ? "," : "", j);
		putchar('\n');
		for (int j = 0; j < 100; j++)
			printf("%.17g%c", uniform(-1, 1), j < 99 ? ',' : '\n');
	} else {
		fputs("usage: gen rows N SEED NAME... | wide N | deep N | vars\n",
		      stderr);
		return 2;
	}
	return 0;
}
