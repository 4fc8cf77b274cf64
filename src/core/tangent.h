/* tangent.h - forward mode: the tangent of every node (dual numbers).
 *
 * A node's tangent is its derivative along a direction d of the inputs:
 * an input's tangent is its entry of d, and any other node's is the sum
 * over its inputs of local gradient times the input's tangent.  One sweep
 * in tape order, with the table's LOCAL rules, gives the directional
 * derivative grad f . d (a Jacobian-vector product); all n partials take
 * n sweeps with d = each unit vector, where reverse mode needs one
 * forward and one reverse sweep whatever n is. */
#ifndef NABLA_TANGENT_H
#define NABLA_TANGENT_H

#include "core/program.h"

/* Fills tan (one entry per node) with each node's tangent along dir (one
 * entry per p->vars, 0 for an input that does not move) and the tape's
 * local gradients.  The values must have been computed.  A zero tangent
 * passes on exactly 0, even through an infinite local gradient, as a
 * zero gradient does in reverse mode.  Returns 0, or -1 when out of
 * memory for the local gradients. */
int nb_tangent_sweep(struct nb_program *p, const double *dir, double *tan);

#endif
