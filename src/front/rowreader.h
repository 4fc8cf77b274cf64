/* rowreader.h - records of CSV, TSV or JSON Lines, one at a time.
 *
 * The reader turns a byte stream into records of fields and knows nothing
 * of programs or variables: batch mode (batch.c) gives the fields meaning.
 * Memory is bounded by the longest record, never by the number of
 * records: every buffer is reused and grows only for a longer record. */
#ifndef NABLA_ROWREADER_H
#define NABLA_ROWREADER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"

enum nb_rowfmt { NB_IN_CSV, NB_IN_TSV, NB_IN_JSONL };

/* The longest record by default (--max-record): a record that never ends
 * (a file of NUL bytes, a missing closing quote in a stream) is an error
 * long before it exhausts the machine's memory. */
#define NB_RR_MAXREC_DEFAULT ((size_t)1 << 30)

/* One field of the current record.  Offsets index r->data (the field's
 * bytes, unquoted and unescaped) or r->raw (the record as read). */
struct nb_field {
	size_t off, len;        /* value in data */
	size_t key, keylen;     /* JSONL: the key in data; else len 0 */
	size_t at;              /* where the field starts in raw */
	int bare;               /* JSONL: a token, not a string (a number) */
	int rank;               /* JSONL: an array of numbers (1), or of
				 * arrays of numbers (2), compacted */
	uint32_t dim[2];        /* then its shape */
	size_t keyat;           /* where its name starts in raw: the key's
				 * quote in JSONL, else at */
};

struct nb_rowreader {
	FILE *in;
	const char *name;       /* shown in diagnostics: file or <stdin> */
	enum nb_rowfmt fmt;
	unsigned char *blk;     /* input block and its unread part */
	size_t pos, end;
	int eof, ioerr, started;
	char *raw;              /* the current record as read (for carets) */
	size_t rawlen, rawcap;
	char *data;             /* field bytes of the current record */
	size_t datalen, datacap;
	struct nb_field *f;     /* fields of the current record */
	size_t nf, fcap;
	size_t maxrec;          /* longest record in bytes as read */
	size_t line;            /* line the next record starts on */
	size_t recline;         /* line the current record starts on */
	size_t errat;           /* bad record: where in raw, and why */
	char errmsg[160];
};

/* Prepares r to read in (not closed by the reader) shown as name, with
 * records of at most NB_RR_MAXREC_DEFAULT bytes (set r->maxrec after to
 * change it).  Returns 0 (r->raw and r->data are then never NULL, so r->data +
 * f->off is valid even for empty fields), or -1 when out of memory;
 * either way, nb_rr_close(r) frees what was allocated. */
int nb_rr_open(struct nb_rowreader *r, FILE *in, const char *name,
	       enum nb_rowfmt fmt);
void nb_rr_close(struct nb_rowreader *r);

/* Reads the next record, skipping blank lines.  Returns
 *   1  a record: r->f[0..nf-1];
 *   0  end of input;
 *  -1  a bad record: r->errat and r->errmsg say where and why, and the
 *      rest of its line has been skipped so that reading can go on;
 *  -2  a read error (errno set), out of memory (errno ENOMEM) or a
 *      record longer than r->maxrec (errno EFBIG; r->recline is its
 *      line).  Reading stops at once: later calls return -2 again. */
int nb_rr_next(struct nb_rowreader *r);

/* The current record as a source for nb_diag_print, so that a diagnostic
 * at offset r->errat (or a field's at) names FILE:LINE:COL. */
void nb_rr_source(const struct nb_rowreader *r, struct nb_source *src);

/* Where element e (row-major) of the JSONL array field that starts at
 * raw[at] starts in a record's len bytes raw (r->raw, or a copy); at if
 * it has no such element. */
size_t nb_rr_elem_at(const char *raw, size_t len, size_t at, size_t e);

/* Reads field f, whose bytes are at s, as a number into *v: a whole
 * decimal number, nan, inf or -inf (in JSON Lines a string only for
 * those three), not one too large or too small for a double.  Returns
 * 0, or -1 with msg (size bytes) saying why not. */
int nb_rr_number(const struct nb_field *f, const char *s, double *v,
		 char *msg, size_t size);

#endif
