/* bench/tape_c.c - W3's baseline: the straightforward C tape.
 *
 *   tape_c PROGRAM VARS.csv
 *
 * Reads a program of bench/gen's W3 grammar (numbers, names, + - * /,
 * unary minus, parentheses, exp(...) and tanh(...)), builds a tape by
 * recursive descent (one node per operation, one per distinct name),
 * runs the forward and the reverse sweep at the one row of VARS.csv and
 * prints what `nabla --batch --no-echo` prints: a header, then f and the
 * partial by every column of VARS.csv, with %.17g.  No error recovery:
 * the input is generated.  The parser runs on a thread with a large
 * stack, since the deep program nests some 3x10^5 parentheses. */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LEAF, ADD, SUB, MUL, DIV, NEG, EXP, TANH };

struct node {
	int op, a, b;
	double v;
};

static struct node *tape;
static size_t n, cap;
static const char *s;           /* the parser's place in the program */

#define NAMES 4096
static char *name[NAMES];       /* open addressing: the names seen */
static int slot[NAMES];         /* their leaf nodes */

static int push(int op, int a, int b, double v)
{
	if (n == cap) {
		cap = cap ? 2 * cap : 1024;
		tape = realloc(tape, cap * sizeof *tape);
		if (!tape)
			exit(1);
	}
	tape[n] = (struct node){ op, a, b, v };
	return (int)n++;
}

static unsigned hash(const char *p, size_t len)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

/* The leaf of the name p[0..len), made on first use (value 0). */
static int leaf(const char *p, size_t len)
{
	unsigned h = hash(p, len) % NAMES;

	while (name[h] && (strlen(name[h]) != len || memcmp(name[h], p, len)))
		h = (h + 1) % NAMES;
	if (!name[h]) {
		name[h] = strndup(p, len);
		slot[h] = push(LEAF, -1, -1, 0);
	}
	return slot[h];
}

static void blanks(void)
{
	while (isspace((unsigned char)*s))
		s++;
}

static int expr(void);

static int primary(void)
{
	const char *p;
	size_t len;
	int r;

	blanks();
	if (*s == '(') {
		s++;
		r = expr();
		blanks();
		s++;            /* ')' */
		return r;
	}
	if (isdigit((unsigned char)*s) || *s == '.') {
		char *end;
		double v = strtod(s, &end);

		s = end;
		return push(LEAF, -1, -1, v);
	}
	for (p = s; isalnum((unsigned char)*s) || *s == '_'; s++)
		continue;
	len = (size_t)(s - p);
	blanks();
	if (*s != '(')
		return leaf(p, len);
	s++;
	r = expr();
	blanks();
	s++;
	return push(strncmp(p, "exp", 3) == 0 ? EXP : TANH, r, -1, 0);
}

static int unary(void)
{
	blanks();
	if (*s == '-') {
		s++;
		return push(NEG, unary(), -1, 0);
	}
	return primary();
}

static int term(void)
{
	int r = unary();

	for (;;) {
		blanks();
		if (*s != '*' && *s != '/')
			return r;
		int op = *s++ == '*' ? MUL : DIV;
		r = push(op, r, unary(), 0);
	}
}

static int expr(void)
{
	int r = term();

	for (;;) {
		blanks();
		if (*s != '+' && *s != '-')
			return r;
		int op = *s++ == '+' ? ADD : SUB;
		r = push(op, r, term(), 0);
	}
}

static void *parse(void *out)
{
	*(int *)out = expr();
	return NULL;
}

static void forward(void)
{
	for (size_t i = 0; i < n; i++) {
		struct node *t = &tape[i];
		double a = t->a >= 0 ? tape[t->a].v : 0;
		double b = t->b >= 0 ? tape[t->b].v : 0;

		switch (t->op) {
		case ADD: t->v = a + b; break;
		case SUB: t->v = a - b; break;
		case MUL: t->v = a * b; break;
		case DIV: t->v = a / b; break;
		case NEG: t->v = -a; break;
		case EXP: t->v = exp(a); break;
		case TANH: t->v = tanh(a); break;
		default: break;
		}
	}
}

static void reverse(int out, double *g)
{
	g[out] = 1;
	for (size_t i = (size_t)out + 1; i-- > 0;) {
		const struct node *t = &tape[i];
		double a = t->a >= 0 ? tape[t->a].v : 0;
		double b = t->b >= 0 ? tape[t->b].v : 0;

		switch (t->op) {
		case ADD: g[t->a] += g[i]; g[t->b] += g[i]; break;
		case SUB: g[t->a] += g[i]; g[t->b] -= g[i]; break;
		case MUL: g[t->a] += g[i] * b; g[t->b] += g[i] * a; break;
		case DIV: g[t->a] += g[i] / b;
			  g[t->b] -= g[i] * a / (b * b); break;
		case NEG: g[t->a] -= g[i]; break;
		case EXP: g[t->a] += g[i] * t->v; break;
		case TANH: g[t->a] += g[i] * (1 - t->v * t->v); break;
		default: break;
		}
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) || !(buf = malloc((size_t)len + 1)) ||
	    fread(buf, 1, (size_t)len, f) != (size_t)len)
		exit(1);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	char *vars, *head, *row, *save1, *save2, *cname[NAMES];
	int cols[NAMES], ncols = 0, out;
	pthread_attr_t attr;
	pthread_t th;
	double *g;

	if (argc != 3)
		return 2;
	s = slurp(argv[1]);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, (size_t)1 << 30);
	if (pthread_create(&th, &attr, parse, &out) || pthread_join(th, NULL))
		return 1;
	vars = slurp(argv[2]);
	head = strtok_r(vars, "\n", &save1);
	row = strtok_r(NULL, "\n", &save1);
	for (char *c = strtok_r(head, ",", &save2); c && ncols < NAMES;
	     c = strtok_r(NULL, ",", &save2)) {
		cname[ncols] = c;
		cols[ncols++] = leaf(c, strlen(c));
	}
	for (int j = 0; j < ncols; j++) {
		tape[cols[j]].v = strtod(row, &row);
		row += *row == ',';
	}
	forward();
	g = calloc(n, sizeof *g);
	if (!g)
		return 1;
	reverse(out, g);
	fputs("f", stdout);
	for (int j = 0; j < ncols; j++)
		printf(",df/d%s", cname[j]);
	putchar('\n');
	printf("%.17g", tape[out].v);
	for (int j = 0; j < ncols; j++)
		printf(",%.17g", g[cols[j]]);
	putchar('\n');
	return 0;
}
