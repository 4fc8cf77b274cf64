/* batch_write.h - the rows batch mode writes, one input row at a time.
 *
 * A batch writer reads a program whose sweeps have run for the current
 * input row and hands that row's output (wide: echoed columns, value,
 * gradient; or the long node or edge table) to the sink of the format
 * (sink.h), which fills a block that goes to the stream 64 KiB at a
 * time.  Nothing is kept from row to row, so output costs no memory per
 * row, and the table stays aligned without seeing every row first: its
 * column widths come from the header and the precision alone. */
#ifndef NABLA_BATCH_WRITE_H
#define NABLA_BATCH_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "core/program.h"
#include "num/ksum.h"
#include "output/sink.h"
#include "output/writer.h"

enum nb_layout {
	NB_WIDE,        /* one line per input row */
	NB_NODES,       /* one line per (input row, node) */
	NB_EDGES        /* one line per (input row, edge) */
};

/* One echoed input field. */
struct nb_cell {
	const char *s;          /* its text as read (not NUL-terminated) */
	size_t len;
	int num;                /* 1: a variable's field, read as v */
	int bare;               /* a JSON token (number): unquoted in JSONL */
	double v;
};

/* A column a mode adds after the gradient: --check's error and verdict,
 * --jvp's jvp.  Its heading is pre, then len bytes of name. */
struct nb_bcolumn {
	const char *pre;
	const char *name;
	size_t len;
	int numeric;            /* numbers (else text) */
};

/* A gradient column: element e of the gradient of input wrt[w] (every
 * element, as a nested JSON array, when e is NB_BW_WHOLE), whose --sum
 * total is element `at` of the flattened gradients. */
#define NB_BW_WHOLE ((size_t)-1)
struct nb_bgcol {
	size_t w, e, at;
	const char *name;       /* after the "dL/d": x, or W[1,2] */
	size_t len;
};

struct nb_bwriter {
	struct nb_out out;      /* the block being filled */
	struct nb_sink sink;    /* of the format, streaming */
	enum nb_format fmt;     /* csv, tsv, jsonl or table */
	enum nb_layout layout;
	int precision;          /* significant digits in the table */
	const struct nb_program *p;
	const size_t *wrt;      /* indices into p->vars, in column order */
	size_t nwrt;
	const struct nb_cell *names;    /* echoed columns' names */
	size_t necho;
	struct nb_col *col;     /* every column */
	const struct nb_bcolumn *xcol;  /* a mode's columns, or NULL */
	size_t nx;
	const struct nb_cell *xcell;    /* their fields in the current row */
	const char *gpre;       /* a mode's columns shaped as the gradient
				 * columns (--hvp's hvp/dW[1,2]): their
				 * heading's prefix, or NULL for none */
	const double *const *gx;        /* their numbers: per wrt entry, every
					 * element in the current row */
	char *dout;             /* "dL/d": the gradient columns' prefix, after
				 * the output's name (man page: PIPELINES) */
	struct nb_bgcol *gcol;  /* the gradient columns (batch_gcol.c): one
				 * per input, or per element of a vector
				 * or matrix but in JSON Lines */
	size_t ngcol;
	size_t nelem;           /* elements of the wrt inputs' gradients */
	char *gtext;            /* the element columns' names */
	const unsigned char *sumonly;   /* per wrt entry: its columns are
					 * filled in --sum's record only
					 * (NULL: none is) */
};

/* Lays out w's gradient columns by the shapes the tape has now; returns
 * 0, or -1 when out of memory (batch_gcol.c). */
int nb_bw_gcols(struct nb_bwriter *w);
/* The shape of the gradient of input wrt[k]: its value's. */
struct nb_shape nb_bw_grad_shape(const struct nb_bwriter *w, size_t k);
/* Writes the n values x (or, x NULL, the sums k; both NULL, NaN) as a
 * JSON value of shape sh (batch_gcol.c). */
void nb_bw_json_tensor(struct nb_out *o, const struct nb_shape *sh,
		       const double *x, const struct nb_ksum *k);

/* The long layout's columns (n of them) for a tape with shapes to show
 * (its values not all scalars), or NULL (batch_tlong.c). */
const struct nb_col *nb_bw_tlong_cols(const struct nb_bwriter *w, size_t *n);
/* The table's widths of those columns' shape and index cells. */
void nb_bw_tlong_widths(struct nb_bwriter *w);
/* A count's cell; the first cells of node i's long lines: the row, the
 * node, its name (JSON: null when it has none) and its op (batch_write.c). */
void nb_bw_count(struct nb_sink *s, size_t v);
void nb_bw_node_cells(struct nb_sink *s, const struct nb_program *p,
		      size_t row, size_t i);
/* Input row number row's lines of the long layout, on a tape with shaped
 * values (core/tvals.h); ok 0: NaN for every number. */
void nb_bw_tlong_row(struct nb_bwriter *w, size_t row, int ok);

/* Prepares w; names (necho of them, 0 with --no-echo or in the long
 * layouts) must outlive it.  In the wide layout, a mode's columns
 * (nb_bw_columns) follow the gradient, their fields filled by the caller
 * before each row.  Returns 0, or -1 when out of memory. */
int nb_bw_init(struct nb_bwriter *w, FILE *out, enum nb_format fmt,
	       enum nb_layout layout, int precision,
	       const struct nb_program *p, const size_t *wrt, size_t nwrt,
	       const struct nb_cell *names, size_t necho);
/* Adds a mode's columns to the wide layout: with gpre non-NULL, one
 * laid out as each gradient column and headed gpre then its name, the
 * numbers of input wrt[k] read from gx[k] (every element, row-major);
 * then the nx columns xcol, with fields xcell. */
int nb_bw_columns(struct nb_bwriter *w, const char *gpre,
		  const double *const *gx, const struct nb_bcolumn *xcol,
		  size_t nx, const struct nb_cell *xcell);
void nb_bw_free(struct nb_bwriter *w);

/* The first echoed column named like a column the writer computes (the
 * output, a partial, a mode's column), which would make the output
 * ambiguous (a JSON reader keeps the last of two equal keys): its index,
 * w->necho when there is none, or -1 when out of memory. */
long nb_bw_clash(const struct nb_bwriter *w);

/* The header line (none in JSONL). */
void nb_bw_header(struct nb_bwriter *w);

/* The output of input row number row (from 1): echo holds w->necho
 * fields.  With ok 0 the row was bad: every number is written as nan. */
void nb_bw_row(struct nb_bwriter *w, size_t row, const struct nb_cell *echo,
	       int ok);

/* --sum's record: sum holds the value's sum, then each element of the
 * gradients (w->nelem).  The echoed columns are empty (absent in JSONL). */
int nb_bw_sum(struct nb_bwriter *w, const struct nb_ksum *sum);

/* Hands the block to the stream and flushes it.  Returns 0, or -1 with
 * errno set if any write failed. */
int nb_bw_flush(struct nb_bwriter *w);

#endif
