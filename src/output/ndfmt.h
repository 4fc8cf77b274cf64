/* ndfmt.h - tensors as NumPy writes them, for people (the table, DOT).
 *
 *   [ 1, -2,  3]          [[1, 2],          [[ 0,  1, ...,  8,  9],
 *                          [3, 4]]           ...,
 *                                            [90, 91, ..., 98, 99]]
 *
 * Elements are numbers at the human precision (num/numfmt.h), or in
 * their shortest exact digits for a precision of 0 (the REPL's :vars), each
 * padded to the widest one shown, so the columns of a matrix line up.
 * An axis longer than max elements shows its first (max + 1) / 2 and
 * last max / 2 around "...", as NumPy's edgeitems do (max 0: every
 * element).  A matrix is one line per row (and one " ...," line where
 * rows are elided); a scalar is its number, unpadded, which is how the
 * scalar table has always written it.  Laying out a tensor reads only
 * the elements it shows, so a huge one costs what its elided text
 * costs. */
#ifndef NABLA_NDFMT_H
#define NABLA_NDFMT_H

#include <stddef.h>
#include <stdio.h>

#include "core/view.h"

/* The default of --max-elements. */
#define NB_MAX_ELEMENTS 6

struct nb_ndfmt {
	struct nb_view v;
	int prec;
	size_t max;             /* elements per axis before eliding; 0: all */
	size_t elem;            /* the widest element shown */
	size_t lines;           /* lines of text */
	size_t width;           /* the widest line's */
};

/* Lays out v (its x not NULL) at prec significant digits, eliding each
 * axis past max elements. */
void nb_nd_layout(struct nb_ndfmt *f, struct nb_view v, int prec,
		  size_t max);

/* Writes line k (< f->lines) of the text, without a newline, to out
 * (NULL: nowhere) and returns its width. */
size_t nb_nd_line(FILE *out, const struct nb_ndfmt *f, size_t k);

/* Writes the whole text to out, sep between its lines. */
void nb_nd_write(FILE *out, const struct nb_ndfmt *f, const char *sep);

/* Writes "PRE NAME POST = " (name: len bytes) and v laid out as
 * nb_nd_layout does, its later lines under its first, then a newline:
 * a summary line of a mode's report. */
void nb_nd_show(FILE *out, const char *pre, const char *name, size_t len,
		const char *post, struct nb_view v, int prec, size_t max);

#endif
