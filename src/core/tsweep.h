/* tsweep.h - shaped tapes: the shape pass and the sweeps on tensors.
 *
 * The shape pass runs once the inputs' values are known and before any
 * value is computed: it gives every node its shape (from the leaves'
 * values, the broadcasting of elementwise ops and the tensor ops' shape
 * rules, core/tkernel.h), reports the first mismatch at its operator,
 * and allocates the arenas of core/tvals.h.  A tape with no tensor leaf
 * and no tensor op gets no tvals: the scalar sweeps (core/sweep.h) run
 * it unchanged. */
#ifndef NABLA_TSWEEP_H
#define NABLA_TSWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/shape.h"
#include "core/tape.h"

/* The leaves whose values are tensors: node leaf[k] has value val[k]
 * (val[k].data NULL: a scalar, in t->value). */
struct nb_tleaves {
	const uint32_t *node;
	const struct nb_tensor *val;
	size_t n;
};

/* Shapes t and sizes its arenas (freeing earlier ones), or drops them
 * if every value is a scalar and no tensor op is on t.  text is the
 * program text that t's spans index (messages name inputs by it); seed
 * starts the random numbers of randn and rand.  edges: the reverse sweep
 * keeps every edge's local and downstream gradients, for the writers
 * that print them (core/view.h); without, their views are empty and a
 * sweep takes less memory and time.  Returns 0, or an exit
 * status with d filled: 2 for a shape error, at the operator, 1 when out
 * of memory; t->fault.node is then the operator, or the value too large
 * (NB_FAULT_ANY: none). */
int nb_tsweep_prepare(struct nb_tape *t, const struct nb_tleaves *leaves,
		      int edges, const char *text, struct nb_diag *d);

/* Whether t's arenas, from an earlier nb_tsweep_prepare, fit leaves of
 * these shapes and edges as they are: then a run need not shape t again
 * (and touches the memory it touched before, not fresh pages). */
int nb_tsweep_prepared(const struct nb_tape *t,
		       const struct nb_tleaves *leaves, int edges);

/* Every node's value, from the leaves (copied into the arena from
 * leaves as nb_tsweep_prepare saw them) and seed.  Returns 0, or an exit
 * status with d filled (an index out of range or not an integer: 2),
 * t->fault then naming the node, the input and its element that hold
 * the index. */
int nb_tsweep_forward(struct nb_tape *t, const struct nb_tleaves *leaves,
		      uint64_t seed, const char *text, struct nb_diag *d);

/* The elements of elementwise node i's inputs that its element idx
 * reads (broadcasting reads a stretched one again), into x (one per
 * input); returns their number. */
size_t nb_tsweep_gather(const struct nb_tape *t, size_t i, size_t idx,
			double *x);

/* Where in input k of elementwise node i its element idx reads. */
size_t nb_tsweep_in_elem(const struct nb_tape *t, size_t i, size_t k,
			 size_t idx);

/* Every node's gradient of node output, whose own gradient is upstream
 * (its shape's size of elements; NULL: 1 for a scalar output).  With
 * edges, fills every edge's downstream gradient, and its local gradient
 * for an elementwise op. */
void nb_tsweep_reverse(struct nb_tape *t, size_t output,
		       const double *upstream);

/* Forward mode: every node's tangent in tan (tv->nval elements, laid
 * out as the values), from the leaves' tangents that the caller has put
 * there (0 for a constant).  Runs after nb_tsweep_forward; allocates
 * nothing. */
void nb_tsweep_tangent(struct nb_tape *t, double *tan);

#endif
