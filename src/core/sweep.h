/* sweep.h - the forward and reverse passes over a tape.
 *
 * Both are single loops over the tape in order (forward) and in reverse
 * order (reverse): no recursion, so depth is never a problem here. */
#ifndef NABLA_SWEEP_H
#define NABLA_SWEEP_H

#include "core/diag.h"
#include "core/tape.h"

/* Gathers node i's input values into t->xbuf; returns their number. */
size_t nb_gather(const struct nb_tape *t, size_t i);

/* Computes the value of every non-leaf node from its inputs. */
void nb_forward(struct nb_tape *t, size_t from, size_t to);

/* Computes every edge's local gradient and every node's gradient of
 * output: grad[output] = 1, and gradients add where inputs are shared.
 * Returns 0, or -1 when out of memory for the local gradients. */
int nb_reverse(struct nb_tape *t, size_t output);

#endif
