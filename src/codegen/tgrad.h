/* tgrad.h - reverse mode on a program with vectors and matrices, as
 * staged statements for --symbolic and --emit python.
 *
 * The program must have been run (core/program.h: nb_program_run), so
 * that every node has its shape.  The forward pass is one statement per
 * node the output depends on, in the language's tensor notation over
 * the names of its inputs (t1 = W @ x); the backward pass one gradient
 * per node, the sum of what its uses send back (add at forks), each an
 * expression over names: the seeds' rules (dW = outer(dv, x), dX = W.T
 * @ dD), an elementwise op's local rule (ops.def's SYMBOLIC column)
 * times the upstream gradient, and a broadcast input's gradient summed
 * back to its shape with sum(..., axis=A).  Everything is one shared,
 * simplifying expression graph (expr.h), so a subexpression that two
 * gradients use is one node; writers name it once. */
#ifndef NABLA_TGRAD_H
#define NABLA_TGRAD_H

#include <stddef.h>
#include <stdint.h>

#include "codegen/expr.h"
#include "codegen/localrule.h"
#include "core/program.h"

/* No gradient: the node's gradient is 0 (or the output does not depend
 * on it). */
#define NB_TG_NONE UINT32_MAX

/* One use's share of a node's gradient, in the node's shape. */
struct nb_tgcontrib {
	uint32_t node, expr;
};

struct nb_tgrad {
	const struct nb_program *p;
	struct nb_expr e;       /* leaves: ref i < n is node i's value,
				 * n + i its gradient (grad_NAME) */
	struct nb_localrules rules;
	unsigned char *live;    /* per node: the output depends on it */
	uint32_t *val;          /* per node: its value as its users see it
				 * (a leaf, or a number for a scalar
				 * constant) */
	uint32_t *def;          /* per live node with a statement: its
				 * forward expression, else NB_TG_NONE */
	uint32_t *twin;         /* per node with a def: the same expression
				 * as the gradients' rules build it (def is
				 * a node of its own), which writers print
				 * by the node's name */
	uint32_t *sum;          /* per node: its gradient, the sum of its
				 * contributions, or NB_TG_NONE */
	uint32_t *gref;         /* per node: its gradient as the rules
				 * read it: the leaf grad_NAME, or the
				 * expression itself if it is a name or a
				 * number (no statement) */
	struct nb_tgcontrib *c; /* every contribution, in order */
	size_t nc, ccap;
	int upstream;           /* the output's gradient is the leaf
				 * grad_<output>, given */
	uint32_t *args;         /* scratch */
};

/* Builds g for p (run, shaped).  Returns 0, -1 when out of memory, -2
 * if a rule of the op table does not compile. */
int nb_tgrad_build(struct nb_tgrad *g, const struct nb_program *p);
void nb_tgrad_free(struct nb_tgrad *g);

/* Whether node i's gradient is a statement of its own (grad_NAME). */
int nb_tgrad_stated(const struct nb_tgrad *g, size_t i);

/* Whether node i is a constant of random numbers: writers print its
 * value, which re-running randn would not give back. */
int nb_tgrad_literal(const struct nb_tgrad *g, size_t i);

#endif
