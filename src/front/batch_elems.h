/* batch_elems.h - CSV/TSV header columns that bind one element of a
 * vector or matrix input: NAME[i] and NAME[i,j] (SPEC section 9).
 *
 * Every element of NAME must have its column, once; NAME's shape is the
 * largest indices plus one.  Blanks may surround an index (x[0, 1]).
 * NAME gets a tensor of that shape once, and each row's fields are
 * written into it in place. */
#ifndef NABLA_BATCH_ELEMS_H
#define NABLA_BATCH_ELEMS_H

#include <stddef.h>

#include "core/program.h"
#include "output/batch_write.h"

/* No element: a column that binds a whole variable, or none. */
#define NB_NOT_ELEM ((size_t)-1)
/* A JSON Lines field that holds the whole vector or matrix (batch.c). */
#define NB_ARRAY_COL ((size_t)-2)

/* Finds the element columns among the ncols names: for each, sets
 * colvar[c] to its variable and colflat[c] to the element's row-major
 * index (others get NB_NOT_ELEM), and gives the variables their
 * tensors.  A name NAME[...] for an input NAME must be one (x[-1],
 * x[a], x[1,], x[0][1] are errors); NAME[...] for no input passes
 * through.  Returns 0; 1 with msg (size bytes) saying what is wrong
 * with column *bad, at byte *badoff of its name; -1 when out of
 * memory. */
int nb_elem_columns(struct nb_program *p, const struct nb_cell *cols,
		    size_t ncols, long *colvar, size_t *colflat, size_t *bad,
		    size_t *badoff, char *msg, size_t size);

#endif
