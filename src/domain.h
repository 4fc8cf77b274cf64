/* domain.h - warnings about values and gradients that left the reals.
 *
 * IEEE 754 gives nan and inf for log(-1), 1/0 or exp(1000); nabla keeps
 * those values and says where they arose (SPEC section 7). */
#ifndef NABLA_DOMAIN_H
#define NABLA_DOMAIN_H

#include "diag.h"
#include "program.h"

/* Calls emit with a warning for each node whose value is nan or infinite
 * although its inputs are finite, and for each local gradient that is not
 * finite on a path from an input variable to the output although the
 * output is finite.  Returns the number of warnings. */
long nb_domain_check(const struct nb_program *p,
		     void (*emit)(void *ctx, const struct nb_diag *d),
		     void *ctx);

#endif
