/* check_report.h - the result of a gradient check (gradcheck.h), written
 * through the sink of the output format. */
#ifndef NABLA_CHECK_REPORT_H
#define NABLA_CHECK_REPORT_H

#include <stdio.h>

#include "modes/gradcheck.h"
#include "modes/modes.h"
#include "output/writer.h"

/* Writes the result of the last nb_check_run on p in spec->format, a
 * format of records (spec->wrt is not used: c has the inputs).  Returns
 * 0, or -1 on a write error (errno set). */
int nb_check_write(FILE *out, const struct nb_program *p,
		   const struct nb_check *c, const struct nb_outspec *spec);

/* Checks mc->p (sweeps run) for the inputs mc->spec->wrt (every
 * element, or mc->samples of them picked by mc->seed: gradcheck.h) and
 * writes the result, with mc->tol and mc->step (0: the ladder).
 * Returns 0 when no partial failed, 1 when one did, -1 when out of
 * memory (nothing written). */
int nb_check_main(const struct nb_mode_call *mc);

#endif
