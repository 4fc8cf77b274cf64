/* batch_fault.h - the field of a batch row that an error of the shaped
 * sweeps comes from (SPEC section 9: an index or a size that a row
 * gives), so that its diagnostic points there, as a bad number's does.
 *
 * The sweeps say which node failed and, for an index, which element of
 * which input holds it (struct nb_tfault, core/tape.h); from there the
 * search walks back through the tape to the first row-bound input,
 * following the element through elementwise ops. */
#ifndef NABLA_BATCH_FAULT_H
#define NABLA_BATCH_FAULT_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"

/* The search's scratch, allocated once for a tape of n nodes. */
struct nb_bfault {
	uint32_t *node;         /* nodes to visit */
	size_t *elem;           /* and the element of each (or any) */
	unsigned char *seen;    /* nodes queued, marked with mark */
	size_t n;
	unsigned char mark;
};

/* Returns 0, or -1 when out of memory. */
int nb_bfault_init(struct nb_bfault *f, size_t n);
void nb_bfault_free(struct nb_bfault *f);

/* The column (of ncols, feeding p's variables as colvar and colflat
 * say: batch_elems.h) that p's tape's last fault comes from, and in
 * *elem the element when that column holds a whole JSONL array and the
 * element is known (else NB_FAULT_ANY).  With shape, the fault is the
 * shape pass's (its node's shape, or its size argument, is wrong), and
 * only a size can be to blame.  Returns ncols when no column feeds it
 * (the command line does). */
size_t nb_bfault_column(struct nb_bfault *f, const struct nb_program *p,
			const long *colvar, const size_t *colflat,
			size_t ncols, int shape, size_t *elem);

/* Op's first input that is a size (zeros(n), onehot(i, n)), all those
 * after it too; NB_FAULT_ANY if it takes none. */
size_t nb_bfault_sizes_from(enum nb_op op);

#endif
