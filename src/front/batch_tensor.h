/* batch_tensor.h - batch rows of a program with vectors or matrices
 * (SPEC section 9, "Batch").
 *
 * The driver (batch.c) reads the columns and the rows; this part gives
 * a shaped program its shapes once (from the command line and the
 * columns), reads the JSON Lines fields that hold whole arrays, sweeps
 * each row on the shaped tape as it is bound (shaping the tape again
 * when a size comes from the rows) and chooses which inputs get
 * gradient columns. */
#ifndef NABLA_BATCH_TENSOR_H
#define NABLA_BATCH_TENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "modes/modes.h"
#include "front/batch_fault.h"
#include "front/rowreader.h"
#include "output/batch_write.h"

struct nb_btensor {
	struct nb_program *p;
	enum nb_mode mode;      /* what the options ask */
	enum nb_layout layout;
	int wrt_given, sum, color;
	const char *dirarg;     /* --jvp's or --hvp's list, or NULL */
	uint64_t seed;          /* --seed, for its values */
	const struct nb_cell *cols;     /* the driver's columns */
	size_t ncols;
	const long *colvar;     /* per column: index in p->vars, or -1 */
	const size_t *colflat;  /* per column: the element it binds
				 * (batch_elems.h) */
	double *sized;          /* per column: the row's value that shaped
				 * the tape, when sizes come from the rows */
	int stale;              /* the tape needs shaping */
	unsigned char *sumonly; /* per gradient column: --sum's only */
	size_t *ownwrt;         /* the gradient columns chosen */
	double *dir;            /* --jvp's or --hvp's direction, one entry
				 * per element of each of p->vars in turn */
	struct nb_bfault fault; /* finds the field a row's error is in */
};

/* JSONL: the first line's arrays give their variables a vector or
 * matrix of their shape, which every line's must have; their columns'
 * colflat become NB_ARRAY_COL.  Returns 0, or -1 when out of memory. */
int nb_bt_arrays(struct nb_btensor *t, const struct nb_rowreader *r,
		 size_t *colflat);

/* Reads a JSONL field f (its bytes at s) holding column c's vector or
 * matrix, of its variable's shape, into `to`; 0, or -1 with msg saying
 * why and *elem the element that is wrong (NB_FAULT_ANY: the whole
 * field). */
int nb_bt_read_array(const struct nb_btensor *t, size_t c,
		     const struct nb_field *f, const char *s, double *to,
		     char *msg, size_t size, size_t *elem);

/* For rows swept on other threads (batch_jobs.h), which hold their
 * values until then: a row's elements of every array column, and where
 * column c's are among them (arr a row's). */
size_t nb_bt_arrlen(const struct nb_btensor *t);
double *nb_bt_array_at(const struct nb_btensor *t, size_t c, double *arr);

/* Binds a row so held to t's program: the variables' fields (cells, as
 * the driver read them) and arrays (arr). */
void nb_bt_load(struct nb_btensor *t, const struct nb_cell *cells,
		const double *arr);

/* Makes c a copy of t sweeping p, a working copy of t's program
 * (core/progshare.h), that shapes p's tape again by itself when sizes
 * come from the rows; what t owns it only reads.  Returns 0, or -1 when
 * out of memory; nb_bt_free(c) frees what it owns either way. */
int nb_bt_copy(struct nb_btensor *c, const struct nb_btensor *t,
	       struct nb_program *p);

/* Shapes the program from the command line and the columns, once (the
 * rows bind values of those shapes), chooses the gradient columns among
 * the *nwrt inputs *wrt (replacing them) and reads --jvp's or --hvp's
 * direction into t->dir.  Returns 0 or the exit status, having said
 * why: a vector or matrix output, sizes that come from the rows for
 * more than the plain gradient, --check on more elements than
 * NB_CHECK_MAX_ELEMENTS, a direction that does not fit. */
int nb_bt_start(struct nb_btensor *t, const size_t **wrt, size_t *nwrt);

/* The row just bound: its sweeps (returns 0), or an exit status with d
 * saying why not (an index out of range, a size that does not fit,
 * out of memory), the column whose field it comes from in *col and in
 * *elem the element of a JSONL array there (NB_FAULT_ANY: the whole
 * field; batch_fault.h).  *col is t->ncols when no field is to blame:
 * the program and the command line make every row fail so, and d
 * points into the program. */
int nb_bt_sweep(struct nb_btensor *t, struct nb_diag *d, size_t *col,
		size_t *elem);

void nb_bt_free(struct nb_btensor *t);

#endif
