/* tcode.h - --symbolic and --emit python for programs with vectors and
 * matrices.
 *
 * Both print the staged passes of tgrad.h: the forward pass, one
 * statement per node (t1 = W @ x), then one gradient per node, grad_NAME
 * (grad_t1 = outer(grad_t2, x)).  A subexpression that two gradients
 * share is written once, as a temporary t<K>.  --symbolic writes a
 * program in nabla's own notation, its inputs bound to their values
 * (exactly), gradients at forks as sums, then df_dNAME = ... per input:
 * nabla reads it back and gives the same numbers.  --emit python writes
 * NumPy code in the seeds' style (grad_W = grad_t1.dot(x.T), += at
 * forks): a function of the inputs' arrays (and of grad_OUT, the
 * gradient arriving at a non-scalar output) that returns (OUT, {NAME:
 * dOUT/dNAME}); the shapes are the ones the bindings gave. */
#ifndef NABLA_TCODE_H
#define NABLA_TCODE_H

#include <stddef.h>
#include <stdio.h>

#include "codegen/naming.h"
#include "core/diag.h"
#include "core/program.h"

/* Writes p's program (lang NB_LANG_NABLA) or NumPy code (NB_LANG_NUMPY)
 * for the nwrt inputs wrt (indices into p->vars).  p has been run
 * (nb_program_run) and has gradients.  Returns 0, or the exit status
 * with d saying why. */
int nb_tcode_write(FILE *out, const struct nb_program *p, enum nb_lang lang,
		   const size_t *wrt, size_t nwrt, struct nb_diag *d);

/* Writes p's gradient as a C function of plain loops over row-major
 * arrays, the sizes constants (--emit c of a program with vectors or
 * matrices), its matrix products CBLAS calls if blas (--emit cblas); as
 * nb_tcode_write. */
int nb_tcode_write_c(FILE *out, const struct nb_program *p, const size_t *wrt,
		     size_t nwrt, int blas, struct nb_diag *d);

#endif
