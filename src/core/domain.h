/* domain.h - warnings about values and gradients that left the reals.
 *
 * IEEE 754 gives nan and inf for log(-1), 1/0 or exp(1000); nabla keeps
 * those values and says where they arose (man page: DIAGNOSTICS). */
#ifndef NABLA_DOMAIN_H
#define NABLA_DOMAIN_H

#include "core/diag.h"
#include "core/program.h"

/* Calls emit with a warning for each node whose value is nan or infinite
 * although its inputs are finite, and for each local gradient that is not
 * finite on a path from an input variable to the output although the
 * output is finite.  Returns the number of warnings. */
long nb_domain_check(const struct nb_program *p,
		     void (*emit)(void *ctx, const struct nb_diag *d),
		     void *ctx);

/* Keeps in p the warnings for nodes [from, to) of t, just evaluated: the
 * nodes of constant expressions (x = log(-1)) that constant folding
 * (fold.h) takes out of p's tape.  nb_domain_check emits them first, as
 * no node is left to find them in.  Returns 0, or -1 when out of
 * memory. */
int nb_domain_note_constant(struct nb_program *p, const struct nb_tape *t,
			    size_t from, size_t to);

#endif
