/* batch_rows.h - a block of batch rows, and what sweeps and writes it.
 *
 * The batch driver (batch.c) reads rows into a block; an evaluator (a
 * program, a mode's columns, a writer) sweeps the block and writes its
 * rows.  With -j 1 there is one of each; with -j N (batch_jobs.h) each
 * worker thread has an evaluator of its own, over a working copy of the
 * program, and writes to memory that the driver then sends out in input
 * order. */
#ifndef NABLA_BATCH_ROWS_H
#define NABLA_BATCH_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/block.h"
#include "core/program.h"
#include "front/batch_tensor.h"
#include "modes/modes.h"
#include "num/ksum.h"
#include "output/batch_write.h"

/* What to do with a bad input row. */
enum nb_onerror {
	NB_ONERR_STOP,  /* report it and stop: exit status 1 */
	NB_ONERR_SKIP,  /* report it, go on: exit status 1 at the end */
	NB_ONERR_NAN    /* warn, write a row of nan, go on: exit status 0 */
};

/* A row that a worker found bad (an index from the row out of range):
 * the driver reports it where its lines stop (batch_jobs.h), at the
 * field at fault, or as the program's error when no field is. */
struct nb_bbad {
	size_t row;             /* its index in the block */
	size_t at;              /* the block's output written before it */
	size_t col, elem;       /* the field (ncols or more: none) and its
				 * array element (NB_FAULT_ANY: all of it) */
	int status;             /* the sweep's exit status */
	struct nb_diag d;
};

/* Rows read but not yet written. */
struct nb_brows {
	struct nb_block blk;    /* their values (and the sweeps') */
	struct nb_cell *cells;  /* per row: its fields */
	char *text;             /* the echoed fields' bytes */
	size_t textlen, textcap;
	size_t *textat;         /* per cell: its offset in text */
	size_t pending;         /* rows held */
	size_t cap;             /* rows it may hold */
	size_t first;           /* the number of the first (from 1) */
	/* Rows of a shaped program swept by a worker (nb_brows_tensor): */
	double *arr;            /* per row: its JSON Lines arrays, arrlen
				 * elements */
	size_t arrlen;
	char *raw;              /* the records as read, for diagnostics */
	size_t rawlen, rawcap;
	size_t *rawat;          /* per row, and one past: where in raw */
	size_t *fieldat;        /* per row and column: where its field
				 * starts in the row's record */
	size_t *line;           /* per row: its line in the file */
	const char *name;       /* the file's name */
	struct nb_bbad *bad;    /* the bad rows found, nbad */
	size_t nbad;
	int stopped;            /* a bad row under --on-error=stop ended
				 * the block */
	/* Written by a worker thread: */
	char *out;              /* the rows' output */
	size_t outlen, outcap;
	size_t failed;          /* rows whose check failed */
	struct nb_ksum *sum;    /* --sum: the rows' value, then each
				 * gradient column, summed; else NULL */
	size_t nsum;
	int oom;                /* the evaluation ran out of memory */
};

/* What the blocks written add up to, in input order. */
struct nb_btally {
	size_t failed;          /* rows whose check failed */
	struct nb_ksum *sum;    /* --sum: as nb_brows's, else NULL */
	size_t nsum;
};

/* Prepares r for `rows` rows of ncols fields over tape t (block.h's
 * keep; inputs_only: nb_block_inputs_only) with nsum sums (0: none).
 * Returns 0, or -1 when out of memory (nb_brows_free then frees what
 * was made). */
int nb_brows_init(struct nb_brows *r, struct nb_tape *t, size_t rows,
		  size_t ncols, int keep, int inputs_only, size_t nsum);
/* Prepares r for `rows` rows of a shaped program (nb_beval's ten):
 * their cells, arrlen elements of arrays each, and their records. */
int nb_brows_tensor(struct nb_brows *r, struct nb_tape *t, size_t rows,
		    size_t ncols, size_t nsum, size_t arrlen);
void nb_brows_free(struct nb_brows *r);

/* Keeps the record raw (len bytes, at line `line` of file name) of the
 * row being added; 0, or -1 when out of memory. */
int nb_brows_record(struct nb_brows *r, const char *raw, size_t len,
		    size_t line, const char *name);

/* Moves what r's rows add up to into t, the blocks before r's already
 * in it: the total does not depend on which thread swept r. */
void nb_brows_tally(struct nb_brows *r, struct nb_btally *t);

/* What sweeps rows and writes them. */
struct nb_beval {
	struct nb_program *p;
	const struct nb_mode_ops *mode;
	struct nb_mode_batch mb;        /* its columns (modes.h) */
	struct nb_bwriter w;
	const uint32_t *gnode;  /* the gradient columns' nodes when the
				 * block keeps only those, else NULL */
	size_t ncols;           /* fields per row */
	size_t nsum;            /* --sum: 1 + the gradients' elements, or 0 */
	int shaped;             /* a shaped program: without ten, rows of
				 * one, swept as they are bound */
	struct nb_btensor *ten; /* or its own: each row loaded into p and
				 * swept here, a bad one noted in the block */
	enum nb_onerror on_error;
};

/* Prepares the mode's columns of e (e->mb's parameters set, e->w
 * open); returns 0, or -1 when out of memory. */
int nb_beval_mode(struct nb_beval *e);

/* Makes e an evaluator like proto over p (a working copy of proto's
 * program) whose writer keeps its lines in memory; a shaped program's
 * copy then gets its own ten (nb_bt_copy).  Returns 0, or -1
 * when out of memory (nb_beval_free then frees what was made). */
int nb_beval_copy(struct nb_beval *e, const struct nb_beval *proto,
		  struct nb_program *p);
void nb_beval_free(struct nb_beval *e);

/* Sweeps r's rows, writes them with e's writer and empties r, counting
 * the rows whose check failed in r->failed and adding the rows' value
 * and gradient columns to r->sum.  With e->ten, a row whose sweep fails
 * goes to r->bad, by e->on_error: a row of nan written, nothing, or the
 * rest of the block dropped (r->stopped).  Returns 0, or -1 when out
 * of memory (the rows before written). */
int nb_beval_rows(struct nb_beval *e, struct nb_brows *r);

#endif
