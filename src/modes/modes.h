/* modes.h - the reports of forward mode, jvp, the Hessian and hvp.
 *
 * The one-shot CLI and the REPL hand a program whose values and
 * gradient are computed to one of these, which runs the mode's sweeps
 * and writes its grid (grid.h) with a summary: the value, the partials
 * or products, and the cost of each mode in sweeps and node visits. */
#ifndef NABLA_MODES_H
#define NABLA_MODES_H

#include <stdio.h>

#include "core/program.h"
#include "output/writer.h"

/* What a run computes and writes: the backprop table, or one of the
 * modes of SPEC section 6.  --check and --explain have their own
 * reports (gradcheck.h, explain.h); --symbolic and --emit print
 * programs (symbolic.h, emit.h). */
enum nb_mode { NB_MODE_GRAD, NB_MODE_FORWARD, NB_MODE_JVP, NB_MODE_HESSIAN,
	       NB_MODE_HVP, NB_MODE_CHECK, NB_MODE_EXPLAIN, NB_MODE_SYMBOLIC,
	       NB_MODE_EMIT };

/* The option or command that asks for mode ("--jvp"), for messages. */
const char *nb_mode_name(enum nb_mode mode);

/* Whether mode writes format: --explain, --symbolic and --emit write
 * only text (the table format); the other modes write table, csv, tsv and json; only
 * the backprop table (NB_MODE_GRAD) writes dot. */
int nb_mode_writes(enum nb_mode mode, enum nb_format format);

/* Forward mode: with dir NULL, every node's tangent for each input of
 * spec->wrt (one sweep each) and the partials next to reverse mode's;
 * else the tangents along dir (one entry per p->vars) and grad f . dir.
 * Returns 0, or -1 when out of memory (nothing written). */
int nb_forward_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *dir);

/* Second order: with v NULL, the gradient and the Hessian over the
 * inputs of spec->wrt (one Hessian-vector product each); else the
 * gradient, v and H.v (one entry per p->vars).  Returns 0; 1 after a
 * warning on standard error that a second-order number is not finite
 * although the point is finite to first order (a warning as the domain
 * warnings are, an error with --strict); or -1 when out of memory
 * (nothing written). */
int nb_hessian_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *v);

#endif
