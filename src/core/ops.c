/* ops.c - the op table and its forward and local-gradient rules. */
#include "core/ops.h"

#include <stdio.h>
#include <string.h>

const struct nb_opinfo nb_ops[NB_OP_COUNT] = {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	{ name, NB_##kind, sym, fn, arity, lbp, rbp, sum, rule, symb, 0 },
#define TOP(id, name, kind, sym, fn, arity, axis, sum, rule)             \
	{ name, NB_##kind, sym, fn, arity, 20, 20, sum, rule, NULL, axis },
/* (The one infix tensor op, @, binds as * does.) */
#include "core/ops.def"
#undef TOP
#undef OP
};

static int spelled(const char *word, const char *s, size_t len)
{
	return word && strlen(word) == len && memcmp(word, s, len) == 0;
}

static int find(enum nb_opkind kind, const char *s, size_t len)
{
	for (int i = 0; i < NB_OP_COUNT; i++)
		if (nb_ops[i].kind == kind && spelled(nb_ops[i].sym, s, len))
			return i;
	return -1;
}

int nb_op_infix(const char *s, size_t len)
{
	return find(NB_INFIX, s, len);
}

int nb_op_prefix(const char *s, size_t len)
{
	return find(NB_PREFIX, s, len);
}

int nb_op_function(const char *s, size_t len)
{
	for (int i = 0; i < NB_OP_COUNT; i++)
		if (spelled(nb_ops[i].fn, s, len))
			return i;
	return -1;
}

int nb_op_arity_ok(enum nb_op op, size_t nargs)
{
	if (nb_ops[op].arity == NB_VARIADIC)
		return nargs >= 2;
	if (nb_ops[op].arity == NB_ONE_OR_TWO)
		return nargs == 1 || nargs == 2;
	return nargs == (size_t)nb_ops[op].arity;
}

int nb_op_reduction(enum nb_op op)
{
	if (nb_op_is_tensor(op) || !nb_ops[op].fn)
		return -1;
	for (int i = (int)NB_OP_NELEM; i < NB_OP_COUNT; i++)
		if (nb_ops[i].axis && nb_ops[i].fn &&
		    strcmp(nb_ops[i].fn, nb_ops[op].fn) == 0)
			return i;
	return -1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Edit distance ignoring case, where swapping two neighbours is one edit
 * (optimal string alignment), capped: names are short and only compared
 * when a diagnostic is already being written. */
static size_t edit_distance(const char *s, size_t n, const char *t)
{
	size_t m = strlen(t), d[32][32];

	if (n >= 32 || m >= 32)
		return (size_t)-1;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			size_t best = d[i - 1][j - 1] +
				      (lower(s[i - 1]) != t[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && lower(s[i - 1]) == t[j - 2] &&
			    lower(s[i - 2]) == t[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

/* Names of functions in other notations, which no spelling mistake is
 * near. */
static const char *const other_names[][2] = {
	{ "ln", "log" }, { "arcsin", "asin" }, { "arccos", "acos" },
	{ "arctan", "atan" }, { "sgn", "sign" },
};

const char *nb_op_nearest_function(const char *s, size_t len)
{
	const char *best = NULL;
	/* Close: one edit in a short name, one in three in a longer one. */
	size_t bestd = (len / 3 > 1 ? len / 3 : 1) + 1;

	for (size_t i = 0; i < sizeof other_names / sizeof *other_names; i++)
		if (edit_distance(s, len, other_names[i][0]) == 0)
			return other_names[i][1];
	for (int i = 0; i < NB_OP_COUNT; i++) {
		size_t d;
		if (!nb_ops[i].fn)
			continue;
		d = edit_distance(s, len, nb_ops[i].fn);
		if (d < bestd) {
			bestd = d;
			best = nb_ops[i].fn;
		}
	}
	return best;
}

int nb_constant(const char *s, size_t len, double *value)
{
	if (spelled("pi", s, len)) {
		*value = 3.14159265358979323846;
		return 1;
	}
	if (spelled("e", s, len)) {
		*value = 2.71828182845904523536;
		return 1;
	}
	/* so that every double has a spelling: --symbolic writes y = inf */
	if (spelled("inf", s, len) || spelled("nan", s, len)) {
		*value = s[0] == 'i' ? INFINITY : NAN;
		return 1;
	}
	return 0;
}

double nb_max(const double *x, size_t n)
{
	double m = x[0];
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			return x[i];
		if (x[i] > m)
			m = x[i];
	}
	return m;
}

double nb_min(const double *x, size_t n)
{
	double m = x[0];
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]))
			return x[i];
		if (x[i] < m)
			m = x[i];
	}
	return m;
}

double nb_sum(const double *x, size_t n)
{
	double s = 0;
	for (size_t i = 0; i < n; i++)
		s += x[i];
	return s;
}

double nb_op_forward(enum nb_op op, const double *x, size_t n)
{
	double a = n > 0 ? x[0] : 0, b = n > 1 ? x[1] : 0;

	(void)a;
	(void)b;
	switch (op) {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	case NB_OP_##id: return fwd;
#include "core/ops.def"
#undef OP
	default:
		break;
	}
	return NAN;
}

void nb_op_locals(enum nb_op op, const double *x, size_t n, double v,
		  double *local)
{
	double a = n > 0 ? x[0] : 0, b = n > 1 ? x[1] : 0;
	int hit = 0;

	(void)a;
	(void)b;
	switch (op) {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	case NB_OP_##id:                                                  \
		for (size_t k = 0; k < n; k++)                            \
			local[k] = (loc);                                 \
		return;
#include "core/ops.def"
#undef OP
	default:
		break;
	}
}

/* Whether a SECOND rule is the literal 0, as its text says. */
static int linear(const char *rule)
{
	return rule[0] == '0' && rule[1] == '\0';
}

void nb_op_second_dot(enum nb_op op, const double *x, size_t n, double v,
		      const double *t, double *out)
{
	double a = n > 0 ? x[0] : 0, b = n > 1 ? x[1] : 0;

	(void)a;
	(void)b;
	(void)v;
	for (size_t k = 0; k < n; k++)
		out[k] = 0;
	switch (op) {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	case NB_OP_##id:                                                  \
		if (linear(#d2))                                          \
			return;                                           \
		for (size_t k = 0; k < n; k++)                            \
			for (size_t j = 0; j < n; j++)                    \
				if (t[j] != 0)                            \
					out[k] += (d2) * t[j];            \
		return;
#include "core/ops.def"
#undef OP
	default:
		break;
	}
}

void nb_op_print_functions(FILE *out)
{
	int col = 80;

	for (int i = 0; i < NB_OP_COUNT; i++) {
		if (!nb_ops[i].fn || nb_op_function(nb_ops[i].fn,
						     strlen(nb_ops[i].fn)) != i)
			continue;
		if (col + (int)strlen(nb_ops[i].fn) + 1 > 72) {
			fputs("\n ", out);
			col = 1;
		}
		col += fprintf(out, " %s", nb_ops[i].fn);
	}
}
