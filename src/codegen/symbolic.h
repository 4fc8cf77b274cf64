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

#include <stdio.h>

#include "core/diag.h"
#include "core/program.h"

/* Writes the program that --symbolic prints: the bound inputs, the
 * temporaries, then df_d<NAME> = ... for the nwrt inputs wrt (indices
 * into p->vars).  Returns 0, or the exit status with d saying why. */
int nb_symbolic_write(FILE *out, const struct nb_program *p,
		      const size_t *wrt, size_t nwrt, struct nb_diag *d);

#endif
