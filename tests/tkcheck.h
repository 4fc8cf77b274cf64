/* tests/tkcheck.h -- driving one tensor kernel (core/tkernel.h) by hand,
 * and checking its VJP against central differences of its forward
 * kernel, and its JVP against central differences along a direction,
 * for the Check suites of the tensor ops.
 *
 * A test builds a node (an op, its axis attribute, inputs with shapes,
 * values and names) and calls the kernels through nb_tkernel_* exactly
 * as core/tsweep.c does: at shape time an input's value is seen only if
 * it is a constant known then; the work size is asked with no values.
 *
 * Exact differences.  Values drawn by tk_dyadic are multiples of 2^-10
 * in [-1, 1): for an op that is linear in the perturbed input (a
 * product, a transpose, a gather), every sum of products of such values
 * is exact in double, so with a step h that is a power of two the
 * central difference equals the VJP exactly and tol 0 checks it bit for
 * bit.  Ops that are not linear pass the tolerance their truncation and
 * rounding errors need. */
#ifndef NABLA_TESTS_TKCHECK_H
#define NABLA_TESTS_TKCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/tkernel.h"

/* The most inputs a test node has. */
#define TK_MAXIN 6

/* The seed of the generator the forward kernels draw from. */
#define TK_SEED 42

struct tk_in {
	struct nb_shape s;
	double *x;              /* nb_tk_count(s) values, owned by the node */
	const char *name;
	int known;              /* a constant known at shape time */
	int index;              /* not differentiated: its gradient is 0 */
};

struct tk_node {
	enum nb_op op;
	int axis;               /* the attribute, as the tape stores it */
	size_t nin;
	struct tk_in in[TK_MAXIN];
};

/* A multiple of 2^-10 in [-1, 1), from the stream *st. */
double tk_dyadic(uint64_t *st);

/* The number of elements of a shape. */
size_t tk_count(const struct nb_shape *s);

/* Adds an input of shape s to n: its values are vals (copied) or, when
 * vals is NULL, drawn by tk_dyadic from *st, or zeros if st is NULL.  Returns the input, for
 * setting known or index. */
struct tk_in *tk_add(struct tk_node *n, const char *name, struct nb_shape s,
		     const double *vals, uint64_t *st);

/* Adds a scalar input of value v, known at shape time, an index. */
struct tk_in *tk_add_const(struct tk_node *n, const char *name, double v);

void tk_free(struct tk_node *n);

/* The shape rule: 0 with *out set, or -1 with why (NB_TKERNEL_WHY). */
int tk_shape(const struct tk_node *n, struct nb_shape *out, char *why);

/* Shape and forward kernel: 0 with *v (nb_free it) and *vs set, or -1
 * with why (the shape rule must pass; the forward kernel may refuse). */
int tk_forward(const struct tk_node *n, double **v, struct nb_shape *vs,
	       char *why);

/* tk_forward, which must succeed. */
double *tk_value(const struct tk_node *n, struct nb_shape *vs);

/* The VJP of every input for an upstream gradient drawn by tk_dyadic
 * from seed, against central differences of the forward kernel in each
 * element of each differentiated input, with step h:
 *   |difference - vjp| <= tol * (1 + |difference|);
 * an index input's VJP must be all zeros.  Each VJP must overwrite its
 * output, which starts as nan.  Every kernel (forward, VJP) must write
 * nothing past its output or its work, which guard elements follow. */
void tk_check_vjp(struct tk_node *n, double h, double tol, uint64_t seed);

/* The JVP for input tangents drawn by tk_dyadic from seed (an index
 * input's are nan: the JVP must not read them), against the central
 * difference (f(x + h t) - f(x - h t)) / 2h of the forward kernel in
 * every element of the node's value:
 *   |difference - jvp| <= tol * (1 + |difference|).
 * The JVP must overwrite its output, which starts as nan. */
void tk_check_jvp(struct tk_node *n, double h, double tol, uint64_t seed);

/* The VJP's second-order term (nb_tkernel_vjp2) for input tangents and
 * an upstream gradient drawn by tk_dyadic from seed (an index input's
 * tangents are nan: the term must not read them), against the central
 * difference (vjp(x + h t) - vjp(x - h t)) / 2h of the VJP, its value
 * recomputed at each point, in every element of every differentiated
 * input:  |difference - term| <= tol * (1 + |difference|).  A kernel
 * that says its term is 0 must have a difference within that of 0, and
 * one that writes it must overwrite its output, which starts as nan. */
void tk_check_vjp2(struct tk_node *n, double h, double tol, uint64_t seed);

/* A scalar, a vector of d0 or a d0 x d1 matrix, by rank. */
struct nb_shape tk_rank_shape(int rank, uint32_t d0, uint32_t d1);

/* Runs check (tk_check_vjp, _jvp, _vjp2) on op (with its axis attr) over
 * nin inputs a, b, ... of shapes s, drawn from seed, then frees them. */
void tk_check_op(void (*check)(struct tk_node *, double, double, uint64_t),
		 enum nb_op op, int attr, const struct nb_shape *s,
		 size_t nin, double h, double tol, uint64_t seed);

/* The shape rule must refuse with exactly this message. */
void tk_check_shape_error(const struct tk_node *n, const char *want);

/* The shape rule must pass and the forward kernel refuse with exactly
 * this message. */
void tk_check_forward_error(const struct tk_node *n, const char *want);

#endif
