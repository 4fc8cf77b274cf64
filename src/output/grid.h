/* grid.h - a labelled table of numbers, through a sink.
 *
 * Forward mode, jvp, the Hessian and hvp each report a grid: rows (nodes
 * or inputs), a few text columns that label a row, then number columns.
 * The sink of the format (sink.h) lays it out; the mode writes what goes
 * around it.  Cells come from callbacks, so a grid costs no memory of
 * its own, and every cell is O(1) wide (texts are elided by the
 * callbacks), so writing it is linear in its size. */
#ifndef NABLA_GRID_H
#define NABLA_GRID_H

#include "output/sink.h"
#include "output/writer.h"

/* Room for any text cell, NUL included. */
#define NB_GRIDBUF (NB_ELIDE_DATA + 2)

struct nb_grid {
	size_t nrows, ntext, nnum;
	const void *ctx;
	/* Column c (c < ntext + nnum); its name must outlive the grid. */
	struct nb_col (*col)(const void *ctx, size_t c);
	/* Text cell (r, c), c < ntext, at most width bytes, into buf;
	 * returns its length. */
	size_t (*text)(const void *ctx, size_t r, size_t c, char *buf,
		       size_t width);
	/* Number cell (r, c), c < nnum. */
	double (*num)(const void *ctx, size_t r, size_t c);
	/* The text columns (bit c) that hold integers, such as a node's
	 * number: JSON writes them as numbers, not strings. */
	unsigned bare;
};

/* Writes g to o in spec->format, a format of records: the table has a
 * header and a rule of dashes; CSV and TSV a header line; JSON is an
 * array, one object per line.  Returns 0, or -1 when out of memory
 * (nothing written). */
int nb_write_grid(struct nb_out *o, const struct nb_grid *g,
		  const struct nb_outspec *spec);

/* A text cell of len bytes of s, cut to width, into buf (NUL
 * terminated); returns its length. */
size_t nb_grid_text(char *buf, const char *s, size_t len, size_t width);

/* The column pre followed by the name of input var (an index into
 * p->vars): a heading such as "d/dx". */
struct nb_col nb_grid_varcol(const struct nb_program *p, size_t var,
			     const char *pre);

#endif
