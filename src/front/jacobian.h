/* jacobian.h - --jacobian: the full Jacobian of the output with respect
 * to each input, for outputs small enough to read (man page: --jacobian).
 *
 * Input x's Jacobian has one row per element of the output and one
 * column per element of x, both in row-major order; row i is the
 * gradient of the output's element i, from one reverse sweep with the
 * upstream gradient one-hot at i.  The sweeps themselves never form a
 * Jacobian: this does, so it has a limit. */
#ifndef NABLA_JACOBIAN_H
#define NABLA_JACOBIAN_H

#include <stdio.h>

#include "core/program.h"
#include "output/writer.h"

/* Most entries of all the Jacobians of one run together. */
#define NB_JACOBIAN_MAX 1000000

/* Computes the Jacobians of p's output (p run by nb_program_run without
 * upstream) for the inputs spec->wrt and writes them to out as a table
 * or, for spec->format json, one object.  Returns 0, or an exit status
 * having said why (past NB_JACOBIAN_MAX: 2; out of memory or a write
 * error: 1). */
int nb_jacobian_write(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec);

#endif
