/* tvals.h - shaped values on the tape: shapes, one arena, views.
 *
 * A tape whose values are all scalars keeps them in value[] and grad[]
 * and has no tvals (tape->tv NULL): scalar programs run and print as
 * they always did.  Once a value has a shape or a tensor op is on the
 * tape, the shape pass (core/tsweep.h) gives every node a shape and an
 * offset into one arena of values and one of gradients, and every edge
 * an offset into the arena of downstream gradients (in its input's
 * shape) and, for an elementwise op, of local gradients (the Jacobian's
 * diagonal, in the node's shape) - those two only when a writer prints
 * them (edges set); else a reverse sweep adds each edge's downstream
 * gradient straight into its input's gradient, through a scratch row
 * only where others add to that gradient too and the edge's rows are
 * not simply added element by element.  Everything is allocated once, sized
 * by the shape pass; the sweeps never allocate (doc/design.md).  Read
 * them through the views of core/view.h. */
#ifndef NABLA_TVALS_H
#define NABLA_TVALS_H

#include <stddef.h>
#include <stdint.h>

#include "core/shape.h"
#include "core/tkernel.h"

struct nb_tvals {
	struct nb_shape *shape; /* per node */
	size_t *off;            /* per node: first element in val and grd */
	size_t *size;           /* per node: its number of elements */
	uint32_t *uses;         /* per node: the edges that read it */
	unsigned char *set;     /* per node: without edges, its one edge
				 * writes all of its gradient (a tensor op's
				 * VJP, a same-shape elementwise input), so
				 * it starts unzeroed */
	unsigned char *fold;    /* per node: without edges, a transpose
				 * of a matrix whose one reader is a
				 * matrix product of matrices, which reads
				 * its input with gemm's transpose flag: the
				 * node has no value, and its gradient is
				 * its input's, not transposed */
	const double **leaf;    /* per node: without edges, the tensor a
				 * leaf is bound to, read where it is
				 * (the last forward sweep's; no copy in
				 * val), else NULL */
	size_t *loff;           /* per edge: first element in local, or
				 * SIZE_MAX for an edge of a tensor op (its
				 * rule stands for a local gradient) and
				 * without edges */
	size_t *doff;           /* per edge: first element in down, or
				 * SIZE_MAX without edges where the edge
				 * adds into its input's gradient itself */
	double *val, *grd, *local, *down;
	size_t nval, nlocal, ndown;
	double *work;           /* scratch for the tensor ops, nwork */
	struct nb_targ *in;     /* maxin entries: a node's inputs */
	size_t nwork;
	int edges;              /* local and down hold every edge's */
	int by_value;           /* a shape depends on a scalar's value
				 * (zeros(n)), not only on the leaves'
				 * shapes */
	int shaped;             /* some value's rank is above 0 */
	int has_grad;           /* the reverse sweep has run */
};

/* A copy of tv, of a tape of that many nodes, edges and most inputs of
 * a node, with arenas of its own: another thread's sweeps on a working
 * copy of the tape (core/progshare.h).  NULL when out of memory. */
struct nb_tvals *nb_tvals_copy(const struct nb_tvals *tv, size_t nodes,
			       size_t edges, size_t maxin);
void nb_tvals_free(struct nb_tvals *tv);

/* Node i's elements. */
static inline const double *nb_tvals_value(const struct nb_tvals *tv,
					   size_t i)
{
	return tv->leaf[i] ? tv->leaf[i] : tv->val + tv->off[i];
}

#endif
