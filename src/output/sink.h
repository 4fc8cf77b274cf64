/* sink.h - records, written once per format.
 *
 * Every report that is a list of records (the grids of forward mode and
 * the Hessian, the check's partials, batch rows, the backprop table's
 * long rows) hands its cells to a sink, one row at a time; the sink of
 * the output format (formats.def) decides separators, quoting, escaping,
 * alignment and keys.  So CSV quoting, JSON escaping and table padding
 * each exist once, in sink_csv.c, sink_json.c and sink_table.c.
 *
 *   nb_sink_open(&s, fmt, out, cols, ncol, prec, color);
 *   nb_sink_table(&s, rows, ctx);   (or nb_sink_header, the rows, and
 *   nb_sink_close(&s);               nb_sink_end, when streaming)
 *
 * where rows calls nb_sink_text / nb_sink_number for each cell in column
 * order and nb_sink_end_row after each row.  A measured table (one-shot
 * output) calls rows twice, the first time only to measure. */
#ifndef NABLA_SINK_H
#define NABLA_SINK_H

#include <stddef.h>

#include "output/format.h"
#include "output/out.h"

/* A column: its heading is pre followed by len bytes of name. */
struct nb_col {
	const char *pre;
	const char *name;
	size_t len;
	unsigned flags;
	int prec;               /* the table's digits here; 0: the sink's */
};

enum {
	NB_COL_NUM = 1,         /* numbers: aligned right */
	NB_COL_RIGHT = 2        /* texts aligned right too */
};

struct nb_sink;

/* One format's writer (sink_FORMAT.c). */
struct nb_sink_ops {
	void (*header)(struct nb_sink *s);
	/* A text cell; with token set, a JSON token (a number, null, an
	 * object) that typed formats write as it is. */
	void (*text)(struct nb_sink *s, const char *t, size_t len, int token);
	void (*number)(struct nb_sink *s, double v);
	/* A remark after the row's last cell, for people: only the table
	 * writes it. */
	void (*note)(struct nb_sink *s, const char *t, size_t len);
	void (*end_row)(struct nb_sink *s);
	void (*end)(struct nb_sink *s);
	int measure;            /* needs every cell before the header */
	int typed;              /* JSON: numbers, strings, null, objects */
};

struct nb_sink {
	const struct nb_sink_ops *ops;
	struct nb_out *out;
	const struct nb_col *col;
	size_t ncol;
	size_t k;               /* the next cell's column */
	size_t nrows;           /* rows ended so far (not while measuring) */
	int prec;               /* the table's digits */
	int human;              /* formats.def's human column */
	int color;              /* ANSI bold in the table's header */
	int stream;             /* table: widths fixed in advance, no rule */
	int measuring;
	size_t *width;          /* table: each column's */
	int owned;              /* width is nb_sink_open's */
	size_t owed;            /* table: blanks before the next cell */
};

/* Prepares s to write ncol columns col (which must outlive it) in
 * format f, which must write records (not a graph).  width is room for
 * ncol widths, or NULL to allocate it if the format needs it.  Returns
 * 0, or -1 when out of memory. */
int nb_sink_open(struct nb_sink *s, enum nb_format f, struct nb_out *out,
		 const struct nb_col *col, size_t ncol, int prec, int color,
		 size_t *width);
/* Streams rows to the table in widths fixed now: each column's heading
 * or, for numbers, any number at the precision. */
void nb_sink_stream(struct nb_sink *s);
void nb_sink_close(struct nb_sink *s);

/* Whether format f's records are typed JSON values (a report then wraps
 * them in an object of its own). */
int nb_sink_typed(enum nb_format f);

/* Whether s writes for people (numbers rounded, texts elided short). */
int nb_sink_human(const struct nb_sink *s);

/* The whole table: header, rows (measured first if the format needs
 * it), end. */
void nb_sink_table(struct nb_sink *s,
		   void (*rows)(struct nb_sink *s, const void *ctx),
		   const void *ctx);

static inline void nb_sink_header(struct nb_sink *s)
{
	s->ops->header(s);
}

static inline void nb_sink_text(struct nb_sink *s, const char *t, size_t len)
{
	s->ops->text(s, t, len, 0);
	s->k++;
}

static inline void nb_sink_token(struct nb_sink *s, const char *t,
				 size_t len)
{
	s->ops->text(s, t, len, 1);
	s->k++;
}

static inline void nb_sink_number(struct nb_sink *s, double v)
{
	s->ops->number(s, v);
	s->k++;
}

static inline void nb_sink_note(struct nb_sink *s, const char *t, size_t len)
{
	s->ops->note(s, t, len);
}

static inline void nb_sink_end_row(struct nb_sink *s)
{
	s->ops->end_row(s);
	s->k = 0;
	s->nrows += !s->measuring;
	nb_out_line_end(s->out);
}

static inline void nb_sink_end(struct nb_sink *s)
{
	s->ops->end(s);
}

/* Shared by the sinks: the separator-free parts. */

/* What the sinks share: an op that writes nothing (a note, a header or
 * an end a format does not have), a number of a delimited line (the
 * separator sep before any but the first cell, then the digits that
 * read back to the same double), a line's end. */
void nb_sink_nothing(struct nb_sink *s);
void nb_sink_no_note(struct nb_sink *s, const char *t, size_t len);
void nb_sink_exact(struct nb_sink *s, char sep, double v);
void nb_sink_newline(struct nb_sink *s);

/* The bytes of a text with each tab, CR and LF as a space: TSV cannot
 * quote, and a table cell is one line. */
void nb_sink_flat(struct nb_out *o, const char *t, size_t len);

/* A JSON string (escaped, in quotes) and a JSON number (non-finite ones
 * as the strings "nan", "inf", "-inf"), for the JSON sinks and the
 * reports that wrap them (sink_json.c). */
void nb_json_string(struct nb_out *o, const char *t, size_t len);
void nb_json_number(struct nb_out *o, double v);
/* Column k's heading as a JSON string. */
void nb_json_key(struct nb_out *o, const struct nb_col *c);
/* A text cell as a JSON value: a string, or a token as it is. */
void nb_json_text(struct nb_out *o, const char *t, size_t len, int token);

#endif
