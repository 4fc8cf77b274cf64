/* grid.h - a labelled table of numbers, in every one-shot format.
 *
 * Forward mode, jvp, the Hessian and hvp each report a grid: rows (nodes
 * or inputs), a few text columns that label a row, then number columns.
 * One writer lays a grid out as an aligned table, CSV, TSV, or a JSON
 * array of objects keyed by the column names; the mode writes what goes
 * around it.  Cells come from callbacks, so a grid costs no memory of its
 * own, and every cell is O(1) wide (texts are elided by the callbacks),
 * so writing it is linear in its size. */
#ifndef NABLA_GRID_H
#define NABLA_GRID_H

#include <stdio.h>

#include "output/writer.h"

/* Room for any heading or text cell, NUL included. */
#define NB_GRIDBUF (NB_ELIDE_DATA + 2)

struct nb_grid {
	size_t nrows, ntext, nnum;
	const void *ctx;
	/* Column c's heading (c < ntext + nnum) into buf; returns its
	 * length. */
	size_t (*head)(const void *ctx, size_t c, char *buf);
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

/* Writes g in spec->format (table, csv, tsv or json; the caller refuses
 * dot).  The table has a header and a rule of dashes; CSV and TSV a
 * header line; JSON is an array, one object per line.  Returns 0, or -1
 * when out of memory (nothing written). */
int nb_write_grid(FILE *out, const struct nb_grid *g,
		  const struct nb_outspec *spec);

/* pre followed by the name of input var (an index into p->vars), cut to
 * fit, into buf (NB_GRIDBUF bytes): a heading such as "d/dx"; returns its
 * length. */
size_t nb_grid_varname(const struct nb_program *p, size_t var,
		       const char *pre, char *buf);

/* JSON string and number as write_json.c writes them (numbers read
 * back to the same double; nan and infinities as strings). */
void nb_json_string(FILE *out, const char *s, size_t len);
void nb_json_number(FILE *out, double v);

#endif
