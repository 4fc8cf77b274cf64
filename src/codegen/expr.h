/* expr.h - expressions as a DAG that simplifies and shares as it grows.
 *
 * --symbolic and --emit build their formulas here.  Every node is made
 * once (hash-consing): asking for an expression that exists returns the
 * existing node, so a shared subexpression is one node however often it
 * is used, and the graph stays linear in what was asked for.  Nodes are
 * numbered in order of creation, so inputs always have smaller numbers.
 *
 * Constructors simplify locally as they build: constant folding (to a
 * finite value only: nan and inf have no literal in the language), the 0
 * and 1 identities (x + 0, x * 1, x * 0 = 0, mul0(x, 0) = 0, x^1,
 * x^0 = 1, 1^x = 1), mul0(x, c) = x * c for a finite c other than 0, and
 * negation moved outwards so that x + -y becomes x - y, x * -1 becomes -x
 * and -(-x) becomes x.  x * 0 = 0 assumes x finite (the chain rule's
 * products are mul0, for which it is exact: tape.h); the other rewrites
 * are exact in IEEE arithmetic, signs of zero aside. */
#ifndef NABLA_EXPR_H
#define NABLA_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"

struct nb_expr {
	size_t n, cap;          /* nodes in use, allocated */
	unsigned char *op;      /* enum nb_op; NB_OP_VAR is a leaf */
	uint32_t *first;        /* n + 1 entries: node i's first argument */
	double *num;            /* NB_OP_CONST: the value */
	uint32_t *ref;          /* NB_OP_VAR: the caller's number for it */
	uint32_t *arg;          /* arguments, by node number */
	size_t nedge, edgecap;
	uint32_t *slot;         /* hash index: node + 1, 0 when empty */
	size_t nslots;          /* a power of two, at least 2 n */
};

void nb_expr_init(struct nb_expr *e);
void nb_expr_free(struct nb_expr *e);

/* Each returns 0 with the node in *id, or -1 when out of memory. */
int nb_expr_leaf(struct nb_expr *e, uint32_t ref, uint32_t *id);
int nb_expr_const(struct nb_expr *e, double v, uint32_t *id);
int nb_expr_op(struct nb_expr *e, enum nb_op op, const uint32_t *args,
	       size_t nargs, uint32_t *id);
/* op(args) as it stands, with the node attribute attr (a tensor op's
 * axis=, core/tape.h) kept in num: neither folded nor simplified, for
 * the tensor ops, whose shapes the scalar rules above would lose.  A
 * tag other than 0 (kept in ref) makes a node of its own, never shared
 * with another of a different tag. */
int nb_expr_raw(struct nb_expr *e, enum nb_op op, int32_t attr, uint32_t tag,
		const uint32_t *args, size_t nargs, uint32_t *id);

/* The tag of a raw node op(a) that stands for op's local gradient at a
 * as nabla's sweeps compute it (core/opmath.h), not op's value: C and
 * Python call it as the helper nb_dOP (--emit, emit.c). */
#define NB_EXPR_LOCAL UINT32_MAX

static inline size_t nb_expr_nargs(const struct nb_expr *e, uint32_t i)
{
	return e->first[i + 1] - e->first[i];
}

static inline int nb_expr_is(const struct nb_expr *e, uint32_t i, double v)
{
	return e->op[i] == NB_OP_CONST && e->num[i] == v;
}

#endif
