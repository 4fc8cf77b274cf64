/* symbolic.h - the gradient as a program in nabla's own language.
 *
 * Reverse mode run on expressions instead of numbers: every node's value
 * and upstream gradient becomes a node of an expression graph (expr.h),
 * the local gradients coming from the SYMBOLIC column of ops.def.  The
 * graph shares and simplifies as it grows, so it has O(nodes + edges)
 * nodes, and writing each shared node once as a named temporary keeps
 * the program that --symbolic prints linear in the size of the input. */
#ifndef NABLA_SYMBOLIC_H
#define NABLA_SYMBOLIC_H

#include <stdint.h>
#include <stdio.h>

#include "expr.h"
#include "localrule.h"
#include "program.h"

/* grad[] of a node the output does not depend on. */
#define NB_SYM_NONE UINT32_MAX

struct nb_symbolic {
	struct nb_expr e;
	struct nb_localrules rules;
	uint32_t *val;          /* per tape node: its value in e */
	uint32_t *grad;         /* per tape node: d output / d node in e,
				 * or NB_SYM_NONE */
	uint32_t *args;         /* scratch: one node's inputs */
	uint32_t zero;          /* the constant 0, for gradients NONE */
};

/* Builds the values and gradients of every node of p, whose leaves
 * become leaves of s->e numbered by tape node.  Returns 0, -1 when out
 * of memory, or -2 if a rule of the op table does not compile. */
int nb_symbolic_build(struct nb_symbolic *s, const struct nb_program *p);
void nb_symbolic_free(struct nb_symbolic *s);

/* Writes the program that --symbolic prints: the bound inputs, the
 * temporaries, then df_d<NAME> = ... for the nwrt inputs wrt (indices
 * into p->vars).  Returns 0, or the exit status after saying why. */
int nb_symbolic_write(FILE *out, const struct nb_program *p,
		      const size_t *wrt, size_t nwrt);

#endif
