/* oploop.c - the elementwise ops as loops (oploop.h).
 *
 * In the loops a and b are plain doubles and k (which input) is a
 * constant, so the compiler folds each rule's tests on k; the strides
 * are constants in each copy of a loop, so a broadcast input is a value
 * hoisted out of it.  The elements go in groups of LANES with a constant
 * trip count, which compilers vectorise even at -O2 (gcc 12 leaves a
 * loop of unknown length scalar there), then one by one. */
#include "core/oploop.h"

#include <math.h>

#include "core/tape.h"

#define LANES 4

/* Runs stmt for every element r < m. */
#define EACH_ROW(stmt)                                                  \
	do {                                                            \
		size_t r0_ = 0;                                         \
		for (; r0_ + LANES <= m; r0_ += LANES)                  \
			for (size_t j_ = 0; j_ < LANES; j_++) {         \
				size_t r = r0_ + j_;                    \
				stmt;                                   \
			}                                               \
		for (size_t r = r0_; r < m; r++) {                      \
			stmt;                                           \
		}                                                       \
	} while (0)

/* The names a FORWARD or LOCAL expression of an op of the given fixed
 * arity may use, for element r with input strides SA and SB (x[k] and n
 * are those of the variadic ops; here they only have to compile). */
#define ROW_INPUTS(arity, SA, SB)                                     \
	double a = pa[r * (SA)], b = (arity) > 1 ? pb[r * (SB)] : 0,  \
	       x[2] = { a, b };                                       \
	size_t n = (size_t)(arity);                                   \
	int hit = 0;                                                  \
	(void)b;                                                      \
	(void)x;                                                      \
	(void)n;                                                      \
	(void)hit

/* stmt in the copy for the strides sa and sb (constants there); an op
 * of one input has one copy. */
#define BY_STRIDES(arity, stmt)                                        \
	do {                                                           \
		if ((arity) == 1 || (sa && sb)) {                      \
			EACH_ROW(ROW_INPUTS(arity, 1, 1); stmt);       \
		} else if (sa) {                                       \
			EACH_ROW(ROW_INPUTS(arity, 1, 0); stmt);       \
		} else {                                               \
			EACH_ROW(ROW_INPUTS(arity, 0, 1); stmt);       \
		}                                                      \
	} while (0)

int nb_oploop_forward(enum nb_op op, double *restrict pv, const double *pa,
		      int sa, const double *pb, int sb, size_t m)
{
	switch (op) {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	case NB_OP_##id:                                                  \
		if (NB_##kind == NB_LEAF || (arity) == NB_VARIADIC)       \
			break;                                            \
		BY_STRIDES(arity, pv[r] = (fwd));                         \
		return 0;
#include "core/ops.def"
#undef OP
	default:
		break;
	}
	return -1;
}

/* d(node)/d(input K) for elements 0..m-1, into pl + K * stride. */
#define LOCAL_ROWS(K, arity, loc)                                     \
	BY_STRIDES(arity, const size_t k = (K); double v = pv[r];     \
		   (void)k; (void)v; pl[(K) * stride + r] = (loc))

int nb_oploop_locals(enum nb_op op, unsigned want, double *restrict pl,
		     size_t stride, const double *pa, int sa,
		     const double *pb, int sb, const double *pv, size_t m)
{
	switch (op) {
#define OP(id, name, kind, sym, fn, arity, lbp, rbp, fwd, loc, d2, sum, \
	   rule, symb)                                                   \
	case NB_OP_##id:                                                  \
		if (NB_##kind == NB_LEAF || (arity) == NB_VARIADIC)       \
			break;                                            \
		if (want & 1)                                             \
			LOCAL_ROWS(0, arity, loc);                        \
		if ((arity) > 1 && (want & 2))                            \
			LOCAL_ROWS(1, arity, loc);                        \
		return 0;
#include "core/ops.def"
#undef OP
	default:
		break;
	}
	return -1;
}

/* The plain product g*l differs from nb_downstream only where g or l is
 * 0: there it is nan (0*inf, 0*nan) or a zero, maybe -0, where
 * nb_downstream gives +0; but a gradient is never -0 (it starts at +0
 * or 1, and +0 + -0 is +0), so adding -0 or +0 leaves it alone.  So a
 * group of elements without nan products adds the products (a loop
 * without tests, which vectorises) and only a group with one asks
 * nb_downstream.  With set, gin is +0 + the products, as if it had been
 * +0 (set is a constant in each caller's copy). */
static inline void down(double *restrict gin, const double *restrict g,
			const double *restrict l, size_t m, int set)
{
	size_t r0 = 0;

	for (; r0 + LANES <= m; r0 += LANES) {
		double p[LANES], any = 0;
		for (size_t j = 0; j < LANES; j++)
			p[j] = g[r0 + j] * l[r0 + j];
		for (size_t j = 0; j < LANES; j++)
			any += p[j];
		if (isnan(any)) {
			for (size_t j = 0; j < LANES; j++)
				p[j] = nb_downstream(g[r0 + j], l[r0 + j]);
		}
		for (size_t j = 0; j < LANES; j++)
			gin[r0 + j] = (set ? 0.0 : gin[r0 + j]) + p[j];
	}
	for (size_t r = r0; r < m; r++)
		gin[r] = (set ? 0.0 : gin[r]) + nb_downstream(g[r], l[r]);
}

void nb_oploop_add_down(double *restrict gin, const double *restrict g,
			const double *restrict l, size_t m)
{
	down(gin, g, l, m, 0);
}

void nb_oploop_set_down(double *restrict gin, const double *restrict g,
			const double *restrict l, size_t m)
{
	down(gin, g, l, m, 1);
}

void nb_oploop_sum_down(double *gin, const double *g, const double *l,
			size_t m)
{
	double acc = *gin;

	for (size_t r = 0; r < m; r++)
		acc += nb_downstream(g[r], l[r]);
	*gin = acc;
}
