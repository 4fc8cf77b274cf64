/* ops.h - operators and functions, expanded from ops.def. */
#ifndef NABLA_OPS_H
#define NABLA_OPS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/opmath.h"

#ifndef M_LN2
#define M_LN2 0.69314718055994530942
#endif
#ifndef M_LN10
#define M_LN10 2.30258509299404568402
#endif

/* Arity of the functions that take two or more arguments. */
#define NB_VARIADIC (-1)
/* Arity of the constructors that take a length or two (zeros(m, n)). */
#define NB_ONE_OR_TWO (-2)

enum nb_op {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	NB_OP_##id,
#define TOP(id, name, kind, sym, fn, arity, axis, sum, rule) NB_OP_##id,
#include "core/ops.def"
#undef TOP
#undef OP
	NB_OP_COUNT
};

/* The elementwise ops (OP rows) come first: ids below NB_OP_NELEM have a
 * scalar forward and local rule; the tensor ops (TOP rows) follow. */
enum {
	NB_OP_NELEM = 0
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb) + 1
#include "core/ops.def"
#undef OP
};

enum nb_opkind { NB_LEAF, NB_INFIX, NB_PREFIX, NB_FUNC, NB_SYNTAX };

struct nb_opinfo {
	const char *name;      /* name in every output format */
	enum nb_opkind kind;
	const char *sym;       /* operator spelling, or NULL */
	const char *fn;        /* function-call spelling, or NULL */
	int arity;             /* inputs, or NB_VARIADIC for two or more */
	int lbp, rbp;          /* binding powers, see ops.def */
	const char *summary;   /* one line of help */
	const char *rule;      /* local gradient as users read it */
	const char *symbolic;  /* local gradients in nabla's language; NULL
				* for a tensor op */
	int axis;              /* takes the keyword axis= */
};

extern const struct nb_opinfo nb_ops[NB_OP_COUNT];

/* The binary operator spelled by the len bytes at s, or -1. */
int nb_op_infix(const char *s, size_t len);
/* The prefix operator spelled by the len bytes at s, or -1. */
int nb_op_prefix(const char *s, size_t len);
/* The function named by the len bytes at s, or -1. */
int nb_op_function(const char *s, size_t len);
/* The known function name closest to s, ignoring case, when it is close
 * (or the name of a function in another notation: ln is log), or NULL. */
const char *nb_op_nearest_function(const char *s, size_t len);
/* Whether a function of the given op accepts nargs arguments. */
int nb_op_arity_ok(enum nb_op op, size_t nargs);

/* Whether op is a tensor op (a TOP row of ops.def). */
static inline int nb_op_is_tensor(enum nb_op op)
{
	return (int)op >= (int)NB_OP_NELEM;
}

/* The reduction spelled like the n-ary function op (sum, mean, max,
 * min): what a call of op with one argument or an axis= means; or -1. */
int nb_op_reduction(enum nb_op op);

/* The value of op applied to its n inputs x. */
double nb_op_forward(enum nb_op op, const double *x, size_t n);
/* The local gradients d(value)/d(x[k]) for k < n into local[k], given the
 * node's value v from the forward pass. */
void nb_op_locals(enum nb_op op, const double *x, size_t n, double v,
		  double *local);
/* out[k] = sum over j of d2(value)/d(x[k])d(x[j]) * t[j], for k < n: the
 * second-order rules applied to a tangent t of the inputs.  A j with
 * t[j] = 0 adds exactly 0, even where the rule is infinite, and a linear
 * row (SECOND is 0) costs O(n), not O(n^2). */
void nb_op_second_dot(enum nb_op op, const double *x, size_t n, double v,
		      const double *t, double *out);

/* Writes the function names to out as lines of at most 72 columns, each
 * starting with a newline and two spaces (help texts follow "Functions:"
 * with it). */
void nb_op_print_functions(FILE *out);

/* Named constants of the language (pi, e, inf, nan): 1 and *value set if
 * s names one. */
int nb_constant(const char *s, size_t len, double *value);

/* Helpers the table's forward and gradient rules use. */
static inline double nb_sigmoid(double a)
{
	/* 1/(1 + exp(-a)) for a >= 0, exp(a)/(1 + exp(a)) below, so that
	 * exp never overflows: one exp, and the form chosen by a select,
	 * not a branch, which random signs mispredict half the time. */
	double e = exp(-fabs(a));

	return (a >= 0 ? 1 : e) / (1 + e);
}

/* c ? a : b, selected by a mask: both are computed first, where
 * compilers turn the conditional operator into a branch that random data
 * mispredicts half the time. */
static inline double nb_pick(int c, double a, double b)
{
	uint64_t m = -(uint64_t)(c != 0), ia, ib;

	memcpy(&ia, &a, sizeof ia);
	memcpy(&ib, &b, sizeof ib);
	ia = (ia & m) | (ib & ~m);
	memcpy(&a, &ia, sizeof a);
	return a;
}

/* tanh(a), within 1 ulp (tests/reference/ops.ref; glibc's is within 2)
 * and for one exp: a third of glibc's tanh, which calls expm1 (5 ns an
 * element against 14.5 on the bench machine):
 * for |a| < 0.625 Cody and Waite's rational x + x z P(z)/Q(z) in
 * z = a^2, with the coefficients of Moshier's Cephes tanh.c; above,
 * (1 - e)/(1 + e) with e = exp(-2|a|) <= 0.29, where nothing cancels.
 * Both forms are computed (z's overflow at huge |a| is not picked). */
static inline double nb_tanh(double a)
{
	double x = fabs(a), z = x * x, e = exp(-2 * x);
	double p = ((-9.64399179425052238628e-1 * z -
		     9.92877231001918586564e1) * z -
		    1.61468768441708447952e3) * z;
	double q = ((z + 1.12811678491632931402e2) * z +
		    2.23548839060100448583e3) * z + 4.84406305325125486048e3;

	return copysign(nb_pick(x < 0.625, x + x * (p / q), (1 - e) / (1 + e)),
			a);
}

static inline double nb_softplus(double a)
{
	return a > 0 ? a + log1p(exp(-a)) : log1p(exp(a));
}

static inline double nb_relu(double a)
{
	return a > 0 || isnan(a) ? a : 0;
}

static inline double nb_sign(double a)
{
	if (isnan(a))
		return a;
	return (a > 0) - (a < 0);
}

/* Heaviside's step with step(0) = 0: relu's derivative, as --symbolic
 * writes it. */
static inline double nb_step(double a)
{
	return isnan(a) ? a : a > 0;
}

/* The indicator of a = b, with which --symbolic routes max and min. */
static inline double nb_eq(double a, double b)
{
	return isnan(a) || isnan(b) ? NAN : a == b;
}

/* a^b.  Squares are common ((x+y)^2) and a libm call costs several
 * times a multiplication: a * a is the correctly rounded square. */
static inline double nb_pow(double a, double b)
{
	return b == 2 ? a * a : pow(a, b);
}

/* 1 for the first argument equal to the extremum v, 0 for all others;
 * *hit remembers that the first one has been seen. */
static inline double nb_route(double xk, double v, int *hit)
{
	if (*hit || xk != v)
		return 0;
	*hit = 1;
	return 1;
}

double nb_max(const double *x, size_t n);
double nb_min(const double *x, size_t n);
double nb_sum(const double *x, size_t n);

#endif
