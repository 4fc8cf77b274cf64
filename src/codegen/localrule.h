/* localrule.h - the SYMBOLIC column of ops.def as expressions.
 *
 * Each op's local gradients are written in nabla's own language (see
 * ops.def); they are compiled with nabla's parser the first time an op
 * needs them and instantiated into an expression graph (expr.h) with
 * the rule's names bound to nodes of that graph. */
#ifndef NABLA_LOCALRULE_H
#define NABLA_LOCALRULE_H

#include <stddef.h>
#include <stdint.h>

#include "codegen/expr.h"
#include "core/ops.h"
#include "core/program.h"

/* The names a rule may use, as indices into a binding. */
enum nb_rulevar { NB_RV_A, NB_RV_B, NB_RV_V, NB_RV_N, NB_RV_R, NB_RV_COUNT };

struct nb_localrules {
	struct nb_program prog[NB_OP_NELEM][2]; /* compiled pieces */
	unsigned char ready[NB_OP_NELEM][2];
	uint32_t *map;          /* scratch: rule node to expression node */
	size_t mapcap;
};

void nb_localrules_init(struct nb_localrules *lr);
void nb_localrules_free(struct nb_localrules *lr);

/* Builds in e the local gradient of op for input k (of n inputs), the
 * rule's names bound to the nodes bind[NB_RV_...] (those the rule does
 * not use are ignored).  Returns 0 with the node in *id, -1 when out of
 * memory, -2 if the rule does not compile (a broken table). */
int nb_local_expr(struct nb_localrules *lr, struct nb_expr *e, enum nb_op op,
		  size_t k, const uint32_t *bind, uint32_t *id);

/* Whether op's rule uses the name r (routing: max and min). */
int nb_local_routes(enum nb_op op);

/* The text of the rule of op for input k (of a fixed-arity op; any k of
 * a variadic one) in *len bytes at the result, or NULL if there is none. */
const char *nb_local_text(enum nb_op op, size_t k, size_t *len);

#endif
