/* view.h - what writers and modes read of a swept tape: views of each
 * node's value and gradient and of each edge's gradients, the same for
 * scalar and shaped tapes (core/tvals.h). */
#ifndef NABLA_VIEW_H
#define NABLA_VIEW_H

#include <stddef.h>

#include "core/shape.h"
#include "core/tape.h"
#include "core/tvals.h"

/* A read-only look at a value: its elements, row-major, and its shape.
 * x is NULL for what does not exist (the local gradient of a tensor
 * op's edge). */
struct nb_view {
	const double *x;
	struct nb_shape shape;
};

/* Node i's value and gradient, and the local gradient of edge e (one of
 * node i's: first[i] <= e < first[i + 1]) and its downstream gradient;
 * for a scalar tape, views of rank 0 into value[], grad[] and local[]
 * (the downstream gradient of a scalar edge is not stored: nb_edge_down
 * returns x NULL, and nb_downstream computes it).  Before the reverse
 * sweep (or without one: a tensor output and no --upstream), gradients
 * are views with x NULL, and so are the edges' gradients of a tape
 * prepared without edges (core/tsweep.h). */
struct nb_view nb_node_value(const struct nb_tape *t, size_t i);
struct nb_view nb_node_grad(const struct nb_tape *t, size_t i);
struct nb_view nb_edge_local(const struct nb_tape *t, size_t i, size_t e);
struct nb_view nb_edge_down(const struct nb_tape *t, size_t e);

/* Whether any value on t has a shape other than (): then writers show
 * shapes (a program of scalars prints as it always did, even through
 * tensor ops such as sum(x) of a scalar x). */
static inline int nb_tape_shaped(const struct nb_tape *t)
{
	return t->tv && t->tv->shaped;
}

#endif
