/* block.h - the sweeps over a block of rows at once.
 *
 * Evaluating a tape row by row dispatches on every node's op once per
 * row.  A block holds each node's value and gradient, and each edge's
 * local gradient, for up to `rows` rows side by side (structure of
 * arrays: node i's values are the `rows` doubles at value + i * rows),
 * so the sweeps dispatch once per node per block and run a tight loop
 * over the rows that the compiler can vectorise.  The results are those
 * of sweep.h, bit for bit.
 *
 * A block of one row is the tape's own arrays: programs too large for
 * a block of several rows cost no memory beyond the tape.  A caller that
 * reads no local gradient after the sweeps asks the block not to keep
 * them: then each node's go to a scratch row of maxin entries, used up
 * by the node's own reverse step, and a large tape needs no local
 * gradient per edge at all. */
#ifndef NABLA_BLOCK_H
#define NABLA_BLOCK_H

#include <stddef.h>

#include "core/tape.h"

/* Most rows in a block: enough to amortise the dispatch and to fill the
 * vector units, few enough that a small program's block stays in the
 * L2 cache (bench/kernel.c times 64 to 1024 rows alike). */
#define NB_BLOCK_ROWS 256
/* Most bytes of values and gradients a block of several rows holds; a
 * larger tape gets fewer rows. */
#define NB_BLOCK_BYTES ((size_t)1 << 18)

struct nb_block {
	size_t rows;            /* rows the block holds */
	double *value;          /* node i in row r: value[i * rows + r] */
	double *grad;           /* likewise: d(output)/d(node) */
	double *local;          /* edge e in row r: local[e * rows + r]; if
				   not keep, input k of the node being
				   swept: local[k * rows + r] */
	double *x;              /* one row's inputs of a node, then their
				   local gradients (2 * maxin entries) */
	int own;                /* value, grad are not the tape's */
	int keep;               /* local holds every edge's, and is the
				   tape's when not own */
	const unsigned char *active; /* the tape's dep, or NULL: every
					node's gradient is wanted */
};

/* The rows a block over t holds: NB_BLOCK_ROWS, fewer for a large tape
 * (NB_BLOCK_BYTES), at least 1. */
size_t nb_block_rows(const struct nb_tape *t);

/* Prepares a block of `rows` rows (at most nb_block_rows(t)) over t,
 * every row holding the values t's leaves have now, that keeps every
 * edge's local gradients if keep.  Returns 0, or -1 when out of
 * memory. */
int nb_block_init(struct nb_block *b, struct nb_tape *t, size_t rows,
		  int keep);
void nb_block_free(struct nb_block *b);

/* The values of node i, one per row: write a leaf's row r here. */
static inline double *nb_block_values(const struct nb_block *b, size_t i)
{
	return b->value + i * b->rows;
}

/* nb_forward over the whole tape, for rows 0..m-1. */
void nb_block_forward(struct nb_block *b, const struct nb_tape *t, size_t m);

/* nb_reverse for rows 0..m-1. */
void nb_block_reverse(struct nb_block *b, const struct nb_tape *t,
		      size_t output, size_t m);

/* From now on, the reverse pass computes only what the input
 * variables' gradients need: no local gradient of an edge from a node
 * that depends on no variable (a constant), nor such a node's gradient,
 * whose values mean nothing then.  The values, and the gradients of the
 * nodes that depend on a variable, stay those of sweep.h.  Which nodes
 * do is the tape's dep, kept as it was built. */
void nb_block_inputs_only(struct nb_block *b, const struct nb_tape *t);

/* Copies row r's values, gradients and local gradients (those the
 * block keeps) into t, where the writers read them. */
void nb_block_row(const struct nb_block *b, struct nb_tape *t, size_t r);
/* Copies only row r's value of node out and the gradients of the n
 * nodes node[]: all that the wide batch layout prints. */
void nb_block_row_result(const struct nb_block *b, struct nb_tape *t,
			 size_t r, size_t out, const uint32_t *node, size_t n);

#endif
