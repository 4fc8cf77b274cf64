/* batch.c - the batch driver: reader -> bind -> sweeps -> writer.
 *
 * The first record of the first file decides the columns (the CSV/TSV
 * header, or the keys of the first JSON line); a column named after an
 * input variable feeds it, any other column is passed through.  Every
 * variable must get a value from a column, the command line or the
 * program before a row is read.  Then rows are bound into a block
 * (block.h) until it is full, and each block costs one forward and one
 * reverse sweep over the tape and no allocation.  A bad row, the end of
 * a file and the end of the input write the rows held first, so rows
 * and diagnostics come out in input order.
 * --check adds its differences per row, --jvp a tangent sweep and --hvp
 * a tangent and a dual reverse sweep (hessian.h), on the tape holding
 * the row.  A program with vectors or matrices runs a row at a time on
 * its shaped tape (batch_tensor.h): with -j 1 as each row is bound, with
 * -j N on the worker threads, which the driver hands blocks of rows as
 * it does a scalar program's (batch_jobs.h). */
#include "front/batch.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/block.h"
#include "core/diag.h"
#include "core/escape.h"
#include "front/batch_elems.h"
#include "front/batch_jobs.h"
#include "front/batch_tensor.h"
#include "front/bindings.h"
#include "front/jobs.h"
#include "front/stop.h"
#include "front/datahint.h"
#include "modes/direction.h"

/* Bad rows reported before the rest are only counted. */
#define MAX_REPORTS 20
/* Most fields, and bytes of echoed fields, held for a block: a row with
 * many or long fields makes the block shorter, not the memory larger. */
#define MAX_CELLS ((size_t)1 << 12)
#define MAX_TEXT ((size_t)1 << 18)
/* Most rows in a block of a shaped program on another thread: a row
 * costs a sweep of its own, so a few dozen make handing the block over
 * cheap beside them. */
#define TENSOR_ROWS 64

struct batch {
	struct nb_program *p;
	const struct nb_batch_opts *o;
	char **ops;             /* the operands: bindings, then files */
	char **files;           /* the file operands (in ops) */
	int nfiles;
	enum nb_rowfmt fmt;     /* --input, or the first file's extension */
	char *hdr;              /* the first header's bytes (names point in) */
	struct nb_cell *cols;   /* the columns' names */
	size_t ncols;
	long *colvar;           /* per column: index in p->vars, or -1 */
	size_t *colflat;        /* per column: the element it binds of a
				 * vector or matrix, or NB_NOT_ELEM */
	size_t *perm;           /* per column: its field in the record */
	size_t *byname;         /* JSONL: the columns by key (key_order) */
	struct nb_brows one;    /* with -j 1, the rows read, not written */
	struct nb_brows *rows;  /* the rows being read: one, or a job's */
	struct nb_bjobs *jobs;  /* -j N: the blocks swept on N threads */
	uint32_t *gnode;        /* the gradient columns' nodes */
	const size_t *wrt;      /* gradient columns (indices into p->vars) */
	struct nb_btensor ten;  /* a program with vectors or matrices */
	size_t nwrt;
	struct nb_beval ev;     /* the program, the mode's columns, the
				 * writer (to stdout) */
	struct nb_btally tally; /* rows whose check failed, --sum's sums */
	size_t row;             /* data rows read so far */
	long bad;               /* bad rows so far */
	int stopped;            /* a worker's bad row stopped the run */
	int status;             /* exit status so far */
};

/* In the order of enum nb_rowfmt and enum nb_onerror. */
const char *const nb_batch_inputs[] = { "csv", "tsv", "jsonl", NULL };
const char *const nb_batch_onerrors[] = { "stop", "skip", "nan", NULL };

static int word_index(const char *const *words, const char *name)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(name, words[i]) == 0)
			return i;
	return -1;
}

int nb_batch_input_parse(const char *name)
{
	return word_index(nb_batch_inputs, name);
}

int nb_batch_onerror_parse(const char *name)
{
	return word_index(nb_batch_onerrors, name);
}

int nb_batch_maxrec_parse(const char *arg, size_t *bytes)
{
	static const char suffix[] = "KMG";
	const char *k;
	char *end;
	unsigned long long v;
	int shift = 0;

	if (*arg < '0' || *arg > '9')
		return -1;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end && !end[1] && (k = strchr(suffix, *end)) != NULL) {
		shift = 10 * (int)(k - suffix + 1);
		end++;
	}
	if (*end || errno || v == 0 || v > (1ULL << (62 - shift)) ||
	    (v << shift) > SIZE_MAX)
		return -1;
	*bytes = (size_t)(v << shift);
	return 0;
}

int nb_batch_jobs_parse(const char *arg, size_t *n)
{
	char *end;
	unsigned long v;

	if (*arg < '0' || *arg > '9')
		return -1;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*end || errno || v > NB_JOBS_MAX)
		return -1;
	*n = (size_t)v;
	return 0;
}

/* Is arg a binding, NAME=...?  A file name may hold '=' too, but not
 * after an identifier alone ("./a=b.csv" is a file). */
static int is_binding(const char *arg)
{
	size_t len = strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
			    "QRSTUVWXYZ0123456789_");

	return len > 0 && arg[len] == '=' && !(arg[0] >= '0' && arg[0] <= '9');
}

int nb_batch_reads_stdin(char **operands, int n)
{
	int files = 0;

	for (int i = 0; i < n; i++) {
		if (strcmp(operands[i], "-") == 0)
			return 1;
		files += !is_binding(operands[i]);
	}
	return files == 0;
}

/* Sorts the n operands into b->ops: the bindings first (their number
 * goes to *nbind), then the files in the order given.  The caller's argv
 * is left alone.  Returns 0, or -1 when out of memory. */
static int split_operands(char **argv, int n, struct batch *b, int *nbind)
{
	int k = 0;

	b->ops = nb_malloc((size_t)(n + 1) * sizeof *b->ops);
	if (!b->ops)
		return -1;
	for (int i = 0; i < n; i++)
		if (is_binding(argv[i]))
			b->ops[k++] = argv[i];
	*nbind = k;
	for (int i = 0; i < n; i++)
		if (!is_binding(argv[i]))
			b->ops[k++] = argv[i];
	b->files = b->ops + *nbind;
	b->nfiles = n - *nbind;
	return 0;
}

/* --- diagnostics -------------------------------------------------------- */

/* Reports an error (or warning) at offset at of the record src. */
static void source_error(struct batch *b, const struct nb_source *src,
			 size_t at, const char *msg, enum nb_severity sev)
{
	struct nb_diag d;

	/* Rows written so far come first, where a terminal shows both. */
	if (b->ev.w.out.buf)
		nb_bw_flush(&b->ev.w);
	nb_error(&d, NB_EFAIL, at, 1, "%s", msg);
	d.severity = sev;
	nb_diag_print(stderr, src, &d, b->o->color);
}

/* Reports an error (or warning) at raw offset at of r's record. */
static void data_error(struct batch *b, const struct nb_rowreader *r,
		       size_t at, const char *msg, enum nb_severity sev)
{
	struct nb_source src;

	nb_rr_source(r, &src);
	source_error(b, &src, at, msg, sev);
}

/* Reports a bad row (its record src) unless enough have been; with
 * --on-error=nan it is only a warning. */
static void report(struct batch *b, const struct nb_source *src, size_t at,
		   const char *msg)
{
	if (b->bad++ < MAX_REPORTS)
		source_error(b, src, at, msg, b->o->on_error == NB_ONERR_NAN
						      ? NB_WARNING : NB_ERROR);
}

/* A reader error that ends the run: a read error, out of memory. */
static int read_failed(const struct nb_rowreader *r)
{
	struct nb_quote q;

	if (errno == ENOMEM)
		return nb_out_of_memory();
	if (errno == EFBIG)
		fprintf(stderr, "nabla: %s:%zu: record longer than %zu bytes "
			"(--max-record)\n", nb_quote_path(&q, r->name),
			r->recline, r->maxrec);
	else
		fprintf(stderr, "nabla: %s: read error: %s\n",
			nb_quote_path(&q, r->name), strerror(errno));
	return NB_EFAIL;
}

/* The offset in raw where the record's content ends. */
static size_t record_end(const struct nb_rowreader *r)
{
	size_t e = r->rawlen;

	if (e && r->raw[e - 1] == '\n')
		e--;
	if (e && r->raw[e - 1] == '\r')
		e--;
	return e;
}

/* --- columns ------------------------------------------------------------ */

static int same(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && memcmp(a, b, alen) == 0;
}

/* Copies the names of the first record's fields (the header, or the keys
 * of the first JSON line) into b->cols. */
static int take_columns(struct batch *b, const struct nb_rowreader *r)
{
	int jsonl = r->fmt == NB_IN_JSONL;
	size_t n = r->nf ? r->nf : 1;

	b->ncols = r->nf;
	b->hdr = nb_malloc(r->datalen ? r->datalen : 1);
	b->cols = nb_malloc(n * sizeof *b->cols);
	b->colvar = nb_malloc(n * sizeof *b->colvar);
	b->perm = nb_malloc(n * sizeof *b->perm);
	b->byname = nb_malloc(n * sizeof *b->byname);
	b->colflat = nb_malloc(n * sizeof *b->colflat);
	if (!b->hdr || !b->cols || !b->colvar || !b->perm || !b->byname ||
	    !b->colflat)
		return -1;
	/* Empty input has no data buffer at all: memcpy wants a pointer. */
	if (r->datalen)
		memcpy(b->hdr, r->data, r->datalen);
	for (size_t c = 0; c < r->nf; c++) {
		const struct nb_field *f = &r->f[c];
		b->cols[c] = (struct nb_cell){ b->hdr + (jsonl ? f->key : f->off),
					       jsonl ? f->keylen : f->len, 0, 0,
					       0 };
		b->colvar[c] = nb_program_var(b->p, b->cols[c].s, b->cols[c].len);
		b->perm[c] = c;
	}
	return 0;
}

/* Prints d at byte off of column c's name in the first record; returns
 * its status. */
static int at_name(struct batch *b, const struct nb_rowreader *r, size_t c,
		   size_t off, struct nb_diag *d)
{
	struct nb_source src;
	size_t at = r->f[c].keyat;

	d->located = 1;
	/* in the name, past its opening quote (escaped quotes in it would
	 * move the caret, which stays in the name) */
	d->start = off ? at + (r->raw[at] == '"') + off : at;
	if (d->start >= r->rawlen)
		d->start = at;
	d->len = 1;
	nb_rr_source(r, &src);
	nb_diag_print(stderr, &src, d, b->o->color);
	return d->status;
}

/* Prints d at column c's name in the first record. */
static int at_column(struct batch *b, const struct nb_rowreader *r,
		     size_t c, struct nb_diag *d)
{
	return at_name(b, r, c, 0, d);
}

/* A column error in the first record: exit status 2. */
static int column_error(struct batch *b, const struct nb_rowreader *r,
			size_t c, const char *fmt)
{
	struct nb_diag d;
	struct nb_quote q;

	nb_error(&d, NB_EUSAGE, 0, 0, fmt,
		 nb_quote(&q, b->cols[c].s, b->cols[c].len));
	return at_column(b, r, c, &d);
}

/* A column's key, sorted by the bytes and then by where it is. */
struct key {
	const char *s;
	size_t len, c;
};

static int key_order(const void *pa, const void *pb)
{
	const struct key *a = pa, *b = pb;
	size_t n = a->len < b->len ? a->len : b->len;
	int r = n ? memcmp(a->s, b->s, n) : 0;

	if (r)
		return r;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->c < b->c ? -1 : a->c > b->c;
}

/* JSONL: sorts the columns by key into b->byname, so that a key is
 * found by a binary search, not by comparing every pair (a line of
 * 10^5 keys, in any order).  Returns 0, or -1 when out of memory. */
static int sort_keys(struct batch *b)
{
	struct key *k = nb_malloc((b->ncols ? b->ncols : 1) * sizeof *k);

	if (!k)
		return -1;
	for (size_t c = 0; c < b->ncols; c++)
		k[c] = (struct key){ b->cols[c].s, b->cols[c].len, c };
	qsort(k, b->ncols, sizeof *k, key_order);
	for (size_t i = 0; i < b->ncols; i++)
		b->byname[i] = k[i].c;
	nb_free(k);
	return 0;
}

/* JSONL: the first column keyed s (len bytes), or ncols. */
static size_t column_keyed(const struct batch *b, const char *s,
			   size_t len)
{
	const struct key want = { s, len, 0 };
	size_t lo = 0, hi = b->ncols;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, c = b->byname[mid];
		const struct key k = { b->cols[c].s, b->cols[c].len, c };
		if (key_order(&k, &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < b->ncols &&
	    same(b->cols[b->byname[lo]].s, b->cols[b->byname[lo]].len, s,
		 len))
		return b->byname[lo];
	return b->ncols;
}

/* JSONL: the first column (in order) whose key an earlier column that
 * feeds no variable has too (ncols: none); equal keys are neighbours
 * in b->byname, in the order of their columns. */
static size_t repeated_key(const struct batch *b)
{
	size_t dup = b->ncols, prev = b->ncols;

	for (size_t i = 0; i < b->ncols; i++) {
		size_t c = b->byname[i];
		if (b->colvar[c] >= 0)
			continue;
		if (prev < b->ncols &&
		    same(b->cols[prev].s, b->cols[prev].len, b->cols[c].s,
			 b->cols[c].len) && c < dup)
			dup = c;
		prev = c;
	}
	return dup;
}

/* Whether the operand NAME=... binds variable v. */
static int is_bound_by(const char *bind, const struct nb_program *p, long v)
{
	struct nb_span sp = nb_tape_name(&p->tape, p->vars[v]);

	return strncmp(bind, p->src.text + sp.start, sp.len) == 0 &&
	       bind[sp.len] == '=';
}

/* Checks the columns against each other and the bindings (argv, n), and
 * marks the variables they feed as bound. */
static int check_columns(struct batch *b, const struct nb_rowreader *r,
			 char **bind, int n)
{
	/* Per variable: has a column.  Two columns of one name feed the
	 * same variable, so this finds a variable's second column without
	 * comparing every pair of names (a header of 10^5 names). */
	unsigned char *fed = nb_malloc(b->p->nvars ? b->p->nvars : 1);
	struct nb_diag d;
	char msg[sizeof d.msg];
	size_t bad, off, dup;
	int s;

	if (!fed)
		return nb_out_of_memory();
	if ((s = nb_elem_columns(b->p, b->cols, b->ncols, b->colvar,
				 b->colflat, &bad, &off, msg,
				 sizeof msg)) != 0) {
		nb_free(fed);
		if (s < 0)
			return nb_out_of_memory();
		nb_error(&d, NB_EUSAGE, 0, 0, "%s", msg);
		return at_name(b, r, bad, off, &d);
	}
	if (r->fmt == NB_IN_JSONL && nb_bt_arrays(&b->ten, r, b->colflat)) {
		nb_free(fed);
		return nb_out_of_memory();
	}
	/* JSONL keys that feed no variable must be unique too. */
	dup = b->ncols;
	if (r->fmt == NB_IN_JSONL) {
		if (sort_keys(b)) {
			nb_free(fed);
			return nb_out_of_memory();
		}
		dup = repeated_key(b);
	}
	memset(fed, 0, b->p->nvars);
	for (size_t c = 0; c < b->ncols; c++) {
		/* fed: 1 by a column of its own, 2 by an element's */
		int elem = b->colflat[c] != NB_NOT_ELEM &&
			   b->colflat[c] != NB_ARRAY_COL;
		int twice = (b->colvar[c] >= 0 && fed[b->colvar[c]] &&
			     (!elem || fed[b->colvar[c]] == 1)) || c == dup;

		if (twice) {
			nb_free(fed);
			return column_error(b, r, c, "column '%s' "
					    "appears twice");
		}
		if (b->colvar[c] < 0 &&
		    nb_constant_clash(b->p, b->cols[c].s, b->cols[c].len, &d)) {
			nb_free(fed);
			return at_column(b, r, c, &d);
		}
		if (b->colvar[c] < 0)
			continue;
		fed[b->colvar[c]] = elem ? 2 : 1;
		for (int i = 0; i < n; i++)
			if (is_bound_by(bind[i], b->p, b->colvar[c])) {
				nb_free(fed);
				return column_error(b, r, c, "'%s' is both a "
						    "column and bound on the "
						    "command line");
			}
		if (!elem && b->colflat[c] != NB_ARRAY_COL)
			nb_program_set(b->p, (size_t)b->colvar[c], 0);
	}
	nb_free(fed);
	return 0;
}

/* A later file's header must be the first file's. */
static int check_header(struct batch *b, const struct nb_rowreader *r)
{
	int same_cols = r->nf == b->ncols;

	for (size_t c = 0; same_cols && c < b->ncols; c++)
		same_cols = same(r->data + r->f[c].off, r->f[c].len,
				 b->cols[c].s, b->cols[c].len);
	if (same_cols)
		return 0;
	data_error(b, r, 0, "the header differs from the first file's",
		   NB_ERROR);
	return -1;
}

/* --- rows --------------------------------------------------------------- */

/* JSONL: finds each column's field by key, into b->perm. */
static int map_keys(struct batch *b, struct nb_rowreader *r, char *msg,
		    size_t size, size_t *at)
{
	const size_t none = (size_t)-1;
	struct nb_quote q;

	for (size_t c = 0; c < b->ncols; c++)
		b->perm[c] = none;
	for (size_t i = 0; i < r->nf; i++) {
		const struct nb_field *f = &r->f[i];
		const char *key = r->data + f->key;
		size_t c = i;
		if (c >= b->ncols || !same(key, f->keylen, b->cols[c].s,
					   b->cols[c].len))
			c = column_keyed(b, key, f->keylen);
		*at = f->at;
		if (c == b->ncols || b->perm[c] != none) {
			snprintf(msg, size, "key '%s' %s",
				 nb_quote(&q, key, f->keylen),
				 c == b->ncols ? "is not in the first line"
					       : "appears twice");
			return -1;
		}
		b->perm[c] = i;
	}
	for (size_t c = 0; c < b->ncols; c++)
		if (b->perm[c] == none) {
			*at = record_end(r);
			snprintf(msg, size, "key '%s' is missing",
				 nb_quote(&q, b->cols[c].s, b->cols[c].len));
			return -1;
		}
	return 0;
}

/* Where row j's value of column c goes: a scalar's, in the block; an
 * element's, in its tensor.  Rows of a shaped program swept on other
 * threads keep them in their cells, bound there (nb_bt_load). */
static void bind_value(struct batch *b, size_t j, size_t c, double v)
{
	if (b->ev.shaped && b->jobs)
		return;
	if (b->colflat[c] != NB_NOT_ELEM)
		b->p->tval[b->colvar[c]].data[b->colflat[c]] = v;
	else
		nb_block_values(&b->rows->blk, b->p->vars[b->colvar[c]])[j] = v;
}

/* Where row j's array of column c goes: its tensor, or the block. */
static double *array_to(struct batch *b, size_t j, size_t c)
{
	if (b->jobs)
		return nb_bt_array_at(&b->ten, c,
				      b->rows->arr + j * b->rows->arrlen);
	return b->p->tval[b->colvar[c]].data;
}

/* Where column c's field starts in r->raw, or with elem (not
 * NB_FAULT_ANY) that element of the JSONL array it holds. */
static size_t field_at(const struct batch *b, const struct nb_rowreader *r,
		       size_t c, size_t elem)
{
	const struct nb_field *f = &r->f[b->perm[c]];

	return elem == NB_FAULT_ANY ? f->at
				    : nb_rr_elem_at(r->raw, r->rawlen, f->at,
						    elem);
}

/* Fills the cells of row j of the block from the record and binds the
 * variables; 0, or -1 with msg and *at saying what is wrong. */
static int bind_row(struct batch *b, struct nb_rowreader *r, size_t j,
		    char *msg, size_t size, size_t *at)
{
	struct nb_cell *cells = b->rows->cells + j * b->ncols;

	if (r->fmt == NB_IN_JSONL) {
		if (map_keys(b, r, msg, size, at))
			return -1;
	} else if (r->nf != b->ncols) {
		*at = r->nf > b->ncols ? r->f[b->ncols].at : record_end(r);
		snprintf(msg, size, "%zu field%s, expected %zu as in the "
			 "header", r->nf, r->nf == 1 ? "" : "s", b->ncols);
		return -1;
	}
	for (size_t c = 0; c < b->ncols; c++) {
		const struct nb_field *f = &r->f[b->perm[c]];
		struct nb_cell *cell = &cells[c];
		*cell = (struct nb_cell){ r->data + f->off, f->len, 0, f->bare,
					  0 };
		if (b->colvar[c] < 0)
			continue;
		*at = f->at;
		if (b->ev.shaped && b->jobs)
			b->rows->fieldat[j * b->ncols + c] = f->at;
		if (b->colflat[c] == NB_ARRAY_COL) {
			size_t elem;
			if (nb_bt_read_array(&b->ten, c, f, cell->s,
					     array_to(b, j, c), msg, size,
					     &elem)) {
				*at = field_at(b, r, c, elem);
				return -1;
			}
			continue;
		}
		if (nb_rr_number(f, cell->s, &cell->v, msg, size))
			return -1;
		cell->num = 1;
		bind_value(b, j, c, cell->v);
	}
	return 0;
}

/* Copies the echoed fields of row j of the block out of the record,
 * whose buffer the next one reuses, and the record itself when a worker
 * may find the row bad.  Returns 0, or -1 when out of memory. */
static int keep_text(struct batch *b, const struct nb_rowreader *r,
		     size_t j)
{
	struct nb_brows *rows = b->rows;
	const struct nb_cell *cells = rows->cells + j * b->ncols;

	if (b->ev.shaped && b->jobs &&
	    nb_brows_record(rows, r->raw, r->rawlen, r->recline, r->name))
		return -1;
	if (!b->ev.w.necho || !r->datalen)
		return 0;
	if (nb_grow((void **)&rows->text, &rows->textcap,
		    rows->textlen + r->datalen, 1))
		return -1;
	memcpy(rows->text + rows->textlen, r->data, r->datalen);
	for (size_t c = 0; c < b->ncols; c++)
		rows->textat[j * b->ncols + c] = rows->textlen +
						 (size_t)(cells[c].s - r->data);
	rows->textlen += r->datalen;
	return 0;
}

/* Prepares the mode's columns and sweeps; returns 0, or -1 when out of
 * memory. */
static int mode_init(struct batch *b)
{
	b->ev.mb = (struct nb_mode_batch){ .p = b->p, .wrt = b->wrt,
					   .nwrt = b->nwrt,
					   .dir = b->ev.shaped ? b->ten.dir
						  : b->o->dir,
					   .tol = b->o->tol,
					   .step = b->o->step };
	return nb_beval_mode(&b->ev);
}

/* Sweeps the rows held and writes them.  With -j N a worker sweeps
 * them while the next are read, and with sync every block in flight is
 * written before this returns (what the driver writes next must follow
 * them).  Returns -1 to stop: out of memory, a failed write, or a bad
 * row that a worker found under --on-error=stop. */
static int sweep_rows(struct batch *b, int sync)
{
	size_t failed = b->tally.failed;
	int oom;

	if (!b->jobs) {
		oom = nb_beval_rows(&b->ev, b->rows);
		nb_brows_tally(b->rows, &b->tally);
	} else {
		oom = b->rows->pending ?
		      nb_bjobs_submit(b->jobs, &b->ev.w, &b->tally) : 0;
		if (!oom && sync)
			oom = nb_bjobs_sync(b->jobs, &b->ev.w, &b->tally);
		b->rows = nb_bjobs_rows(b->jobs);
	}
	if (b->tally.failed > failed)
		b->status = NB_EFAIL;
	if (oom > 0)
		return -1;
	if (oom) {
		b->status = nb_out_of_memory();
		return -1;
	}
	return b->ev.w.out.err ? -1 : 0;
}

/* Writes every row read so far; returns -1 to stop. */
static int flush_block(struct batch *b)
{
	return sweep_rows(b, 1);
}

/* JSONL: each column's field in b->perm ((size_t)-1: none) for a
 * record that may be one the reader rejected: it has no key map, and
 * its fields may be in any order, some missing or repeated (the first
 * counts). */
static void keyed_fields(struct batch *b, const struct nb_rowreader *r)
{
	for (size_t c = 0; c < b->ncols; c++)
		b->perm[c] = (size_t)-1;
	for (size_t i = 0; i < r->nf; i++) {
		size_t c = column_keyed(b, r->data + r->f[i].key,
					r->f[i].keylen);
		if (c < b->ncols && b->perm[c] == (size_t)-1)
			b->perm[c] = i;
	}
}

/* The cells of a bad row: whatever fields it has, in column order. */
static void raw_cells(struct batch *b, const struct nb_rowreader *r)
{
	struct nb_cell *cells = b->rows->cells;
	char msg[160];

	if (r->fmt == NB_IN_JSONL)
		keyed_fields(b, r);
	for (size_t c = 0; c < b->ncols; c++) {
		const struct nb_field *f;
		if (r->fmt == NB_IN_JSONL)
			f = b->perm[c] < r->nf ? &r->f[b->perm[c]] : NULL;
		else
			f = c < r->nf ? &r->f[c] : NULL;
		/* a bare JSON value the reader stopped in is empty: a
		 * string, or the line written would not be JSON */
		cells[c] = f ? (struct nb_cell){ r->data + f->off, f->len, 0,
						 f->bare && f->len, 0 }
			     : (struct nb_cell){ "", 0, 0, 0, 0 };
		/* A variable's good field stays a number in JSONL. */
		if (f && b->colvar[c] >= 0)
			cells[c].num = !nb_rr_number(f, cells[c].s, &cells[c].v,
						   msg, sizeof msg);
	}
}

/* A bad row, by --on-error, after the rows before it; returns 0 to go
 * on, -1 to stop. */
static int bad_row(struct batch *b, struct nb_rowreader *r, size_t at,
		   const char *msg)
{
	struct nb_source src;

	if (flush_block(b))
		return -1;
	nb_rr_source(r, &src);
	report(b, &src, at, msg);
	switch (b->o->on_error) {
	case NB_ONERR_NAN:
		raw_cells(b, r);
		nb_bw_row(&b->ev.w, b->row, b->rows->cells, 0);
		return 0;
	case NB_ONERR_SKIP:
		b->status = NB_EFAIL;
		return 0;
	case NB_ONERR_STOP:
		break;
	}
	b->status = NB_EFAIL;
	return -1;
}

/* The program's error, not the row's: an index or a size no field
 * gives, wrong in every row; it ends the run. */
static void program_error(struct batch *b, const struct nb_diag *d,
			  int status)
{
	nb_diag_print(stderr, d->located ? &b->p->src : NULL, d, b->o->color);
	b->status = status;
}

/* A row that a worker found bad (batch_jobs.h), after the rows before
 * it: reported as bad_row does, the caret at the field at fault; its nan
 * row is the worker's.  Returns 0 to go on, -1 to stop. */
static int worker_bad(void *ctx, const struct nb_brows *r,
		      const struct nb_bbad *bad)
{
	struct batch *b = ctx;
	size_t at = r->rawat[bad->row], len = r->rawat[bad->row + 1] - at;
	struct nb_source src = { r->name, r->raw + at, len,
				 r->line[bad->row] - 1 };
	size_t field;

	if (bad->col >= b->ncols) {
		program_error(b, &bad->d, bad->status);
		b->stopped = 1;
		return -1;
	}
	field = r->fieldat[bad->row * b->ncols + bad->col];
	if (bad->elem != NB_FAULT_ANY)
		field = nb_rr_elem_at(r->raw + at, len, field, bad->elem);
	report(b, &src, field, bad->d.msg);
	if (b->o->on_error != NB_ONERR_NAN)
		b->status = NB_EFAIL;
	if (b->o->on_error != NB_ONERR_STOP)
		return 0;
	b->stopped = 1;
	return -1;
}

/* The sweeps of the row bound on a shaped tape; returns 0, 1 for a bad
 * row that --on-error lets the run go on after, -1 to stop.  An index
 * or a size that the row gives is wrong at its field, and the row is
 * bad; one that no field gives (x[i], i=7 on the command line) makes
 * every row fail: the program's error, at its operator, ends the run. */
static int shaped_row(struct batch *b, struct nb_rowreader *r)
{
	struct nb_diag d;
	size_t col, elem;
	int s = nb_bt_sweep(&b->ten, &d, &col, &elem);

	if (s == 0)
		return 0;
	if (col < b->ncols)
		return bad_row(b, r, field_at(b, r, col, elem), d.msg) ? -1 : 1;
	flush_block(b);
	program_error(b, &d, s);
	return -1;
}

/* One record in hand: bind it into the block, which is swept and
 * written when full.  Returns -1 to stop. */
static int do_row(struct batch *b, struct nb_rowreader *r)
{
	char msg[160];
	size_t at = 0, j = b->rows->pending;
	int s;

	b->row++;
	if (bind_row(b, r, j, msg, sizeof msg, &at))
		return bad_row(b, r, at, msg);
	if (b->ev.shaped && !b->jobs && (s = shaped_row(b, r)) != 0)
		return s < 0 ? -1 : 0;
	if (keep_text(b, r, j)) {
		b->status = nb_out_of_memory();
		return -1;
	}
	if (j == 0)
		b->rows->first = b->row;
	b->rows->pending++;
	if (b->rows->pending == b->rows->cap ||
	    b->rows->textlen + b->rows->rawlen > MAX_TEXT)
		return sweep_rows(b, 0);
	return 0;
}

/* Reads records from r to its end; rc is the first one's status.
 * Returns 0 to go on with the next file, -1 to stop. */
static int do_rows(struct batch *b, struct nb_rowreader *r, int rc)
{
	for (;; rc = nb_rr_next(r)) {
		/* A signal: the rows in hand, then no more (stop.h). */
		if (nb_stop_pending()) {
			flush_block(b);
			return -1;
		}
		if (rc == 0)
			return flush_block(b);
		if (rc == -2) {
			/* unread at -j 1 after a row that stopped it */
			if (flush_block(b) == 0 || !b->stopped)
				b->status = read_failed(r);
			return -1;
		}
		if (rc == -1) {
			b->row++;
			if (bad_row(b, r, r->errat, r->errmsg))
				return -1;
			continue;
		}
		if (do_row(b, r))
			return -1;
	}
}

/* Prepares the block: as many rows as the tape's block holds, fewer
 * when rows have many fields; the wide layout shows no gradient but the
 * inputs'.  Returns 0, or -1 when out of memory. */
static int start_block(struct batch *b)
{
	size_t n = b->ncols ? b->ncols : 1, rows = nb_block_rows(&b->p->tape);
	/* Without a mode, which sweeps the whole row again, a row of the
	 * wide layout needs only f and the gradient columns back in the
	 * tape, and no local gradient kept. */
	int lean = b->o->layout == NB_WIDE && !b->ev.mode->batch_row;

	if (rows > MAX_CELLS / n)
		rows = MAX_CELLS / n ? MAX_CELLS / n : 1;
	/* A shaped program runs a row at a time in its arenas (with -j N,
	 * blocks of rows go to the workers: start_jobs). */
	if (b->ev.shaped)
		rows = 1;
	b->rows = &b->one;
	b->ev.ncols = b->ncols;
	b->ev.nsum = b->tally.nsum;
	if (nb_brows_init(&b->one, &b->p->tape, rows, b->ncols, !lean,
			  b->o->layout == NB_WIDE, b->tally.nsum))
		return -1;
	if (!lean)
		return 0;
	b->gnode = nb_malloc((b->nwrt ? b->nwrt : 1) * sizeof *b->gnode);
	if (!b->gnode)
		return -1;
	for (size_t k = 0; k < b->nwrt; k++)
		b->gnode[k] = b->p->vars[b->wrt[k]];
	b->ev.gnode = b->gnode;
	return 0;
}

/* Rows in a block of a shaped program swept on other threads: as many
 * as amortise handing it over, fewer when they bind many elements or
 * have many fields. */
static size_t tensor_rows(const struct batch *b, size_t arrlen)
{
	size_t rows = TENSOR_ROWS, n = b->ncols ? b->ncols : 1;

	if (arrlen && rows > MAX_TEXT / sizeof(double) / arrlen)
		rows = MAX_TEXT / sizeof(double) / arrlen;
	if (rows > MAX_CELLS / n)
		rows = MAX_CELLS / n;
	return rows ? rows : 1;
}

/* With -j N (N > 1), starts the worker threads, their blocks like the
 * one of start_block.  Not for a block of one row, which is the tape's
 * own arrays (a program too large for more).  A shaped program's rows
 * are swept one by one by the worker (batch_tensor.h): its blocks hold
 * TENSOR_ROWS rows, fewer when their arrays are large.  Returns 0, or
 * -1 when out of memory; without threads to be had, the run goes on
 * one. */
static int start_jobs(struct batch *b)
{
	size_t n = b->o->jobs ? b->o->jobs : nb_jobs_online();
	struct nb_bjobs_opts jo = { b->one.blk.rows, b->one.blk.keep,
				    b->o->layout == NB_WIDE, NULL, 0,
				    worker_bad, b };

	if (n < 2 || (!b->ev.shaped && !b->one.blk.own))
		return 0;
	if (b->ev.shaped) {
		jo.ten = &b->ten;
		jo.arrlen = nb_bt_arrlen(&b->ten);
		jo.rows = tensor_rows(b, jo.arrlen);
	}
	b->jobs = nb_bjobs_start(&b->ev, n, &jo);
	if (b->jobs)
		b->rows = nb_bjobs_rows(b->jobs);
	return b->jobs || errno != ENOMEM ? 0 : -1;
}

/* --- files -------------------------------------------------------------- */

static int open_reader(const struct batch *b, struct nb_rowreader *r,
		       FILE *f, const char *name)
{
	if (nb_rr_open(r, f, name, b->fmt))
		return -1;
	r->maxrec = b->o->max_record;
	return 0;
}

static FILE *open_input(const char *path, const char **name)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct nb_quote q;

	*name = f == stdin ? "<stdin>" : path;
	if (!f)
		fprintf(stderr, "nabla: %s: %s\n", nb_quote_path(&q, path),
			strerror(errno));
	return f;
}

/* --sum's totals: the value's, then each element of the gradients. */
static int alloc_sums(struct batch *b)
{
	if (!b->o->sum)
		return 0;
	b->tally.nsum = 1 + b->ev.w.nelem;
	b->tally.sum = nb_malloc(b->tally.nsum * sizeof *b->tally.sum);
	if (!b->tally.sum)
		return -1;
	for (size_t k = 0; k < b->tally.nsum; k++)
		b->tally.sum[k] = (struct nb_ksum){ 0, 0 };
	return 0;
}

/* A program of scalars: --jvp's or --hvp's list, which did not read as
 * numbers before the columns were known, is wrong; says why. */
static int numbers_only(const struct batch *b)
{
	struct nb_diag d;
	double *dir = NULL;
	int s;

	if (!b->o->dirarg || b->o->dir)
		return 0;
	s = nb_direction_option(b->p, nb_mode_name(b->o->mode), b->o->dirarg,
				&dir, &d);
	nb_free(dir);
	/* read now, so it was memory that failed before */
	if (s == 0)
		return nb_out_of_memory();
	nb_diag_print(stderr, d.located ? &b->p->src : NULL, &d, b->o->color);
	if (s == NB_EUSAGE && !d.located)
		fputs(NB_TRY_HELP, stderr);
	return s;
}

/* Reads the columns from the first file, checks that every variable has
 * a value and prepares the writer.  Returns 0, with the first data record
 * (in JSONL, the record that named the columns) in r and its status in
 * *rc, or an exit status, having said why. */
static int start(struct batch *b, struct nb_rowreader *r, int *rc,
		 char **bind, int nbind)
{
	struct nb_diag d;
	long clash;
	char msg[sizeof d.msg];
	int s;

	if ((*rc = nb_rr_next(r)) == -2)
		return read_failed(r);
	if (*rc == -1) {
		snprintf(msg, sizeof msg, "%s%s", r->errmsg,
			 nb_first_line_hint(r));
		data_error(b, r, r->errat, msg, NB_ERROR);
		return NB_EFAIL;
	}
	if (take_columns(b, r))
		return nb_out_of_memory();
	b->ten = (struct nb_btensor){ b->p, b->o->mode, b->o->layout,
				      b->o->wrt_given, b->o->sum, b->o->color,
				      b->o->dirarg, b->o->seed, b->cols,
				      b->ncols, b->colvar, b->colflat, NULL, 0,
				      NULL, NULL, NULL,
				      { NULL, NULL, NULL, 0, 0 } };
	if ((s = check_columns(b, r, bind, nbind)) != 0)
		return s;
	if ((s = nb_program_check_bound(b->p, &d)) != 0 && *rc == 1) {
		/* the data, not the program, is the likely culprit */
		data_error(b, r, nb_header_mismatch(msg, sizeof msg, r, b->p,
						    b->colvar), msg, NB_ERROR);
		return s;
	}
	if (s != 0) {
		nb_diag_print(stderr, &b->p->src, &d, b->o->color);
		return s;
	}
	b->ev.shaped = nb_program_shaped(b->p);
	if (b->ev.shaped &&
	    (s = nb_bt_start(&b->ten, &b->wrt, &b->nwrt)) != 0)
		return s;
	if (!b->ev.shaped && (s = numbers_only(b)) != 0)
		return s;
	if (nb_bw_init(&b->ev.w, stdout, b->o->format, b->o->layout,
		       b->o->precision, b->p, b->wrt, b->nwrt, b->cols,
		       b->o->no_echo ? 0 : b->ncols) || alloc_sums(b) ||
	    start_block(b) || mode_init(b) ||
	    (clash = nb_bw_clash(&b->ev.w)) < 0)
		return nb_out_of_memory();
	b->ev.w.sumonly = b->ten.sumonly;
	if ((size_t)clash < b->ev.w.necho)
		return column_error(b, r, (size_t)clash, "column '%s' has the "
				    "name of a computed column (rename it, "
				    "or --no-echo)");
	if (start_jobs(b))
		return nb_out_of_memory();
	if (r->fmt != NB_IN_JSONL)
		*rc = nb_rr_next(r);
	return 0;
}

/* Reads file number i (its header checked against the first); returns
 * 0 to go on, -1 to stop. */
static int next_file(struct batch *b, int i)
{
	struct nb_rowreader r;
	const char *name;
	FILE *f = open_input(b->files[i], &name);
	int rc, stop;

	if (!f) {
		b->status = NB_EFAIL;
		return -1;
	}
	if (open_reader(b, &r, f, name)) {
		b->status = nb_out_of_memory();
		stop = -1;
	} else {
		rc = nb_rr_next(&r);
		stop = 0;
		if (rc == 1 && r.fmt != NB_IN_JSONL) {
			if ((stop = check_header(b, &r)) != 0)
				b->status = NB_EFAIL;
			rc = nb_rr_next(&r);
		}
		if (!stop)
			stop = do_rows(b, &r, rc);
	}
	nb_rr_close(&r);
	if (f != stdin)
		fclose(f);
	return stop;
}

static void batch_free(struct batch *b)
{
	nb_bjobs_stop(b->jobs);
	nb_bw_free(&b->ev.w);
	nb_free(b->ops);
	nb_free(b->hdr);
	nb_free(b->cols);
	nb_free(b->colvar);
	nb_free(b->perm);
	nb_free(b->byname);
	nb_brows_free(&b->one);
	nb_mode_batch_free(&b->ev.mb);
	nb_free(b->gnode);
	nb_free(b->tally.sum);
	nb_free(b->colflat);
	nb_bt_free(&b->ten);
}

/* Reads every file after the header of the first is known. */
static void run_files(struct batch *b, struct nb_rowreader *r, int rc)
{
	if (do_rows(b, r, rc))
		return;
	for (int i = 1; i < b->nfiles; i++)
		if (next_file(b, i))
			return;
}

/* Checks the operands and options that need no input. */
static int check_usage(const struct batch *b)
{
	struct nb_quote q;

	if (b->o->sweep.n && (b->nfiles > 0 || b->o->input_given))
		return nb_usage_error("--sweep makes the input: no input files "
				      "or --input");
	if (b->o->sweep.n && nb_program_var(b->p, b->o->sweep.name,
					    b->o->sweep.len) < 0)
		return nb_usage_error("--sweep: '%s' is not an input of the "
				      "program", nb_quote(&q, b->o->sweep.name,
							  b->o->sweep.len));
	if (!nb_mode_writes(b->o->mode, b->o->format, NB_BATCH)) {
		char list[NB_FORMAT_LIST];

		nb_format_list(list, nb_mode_formats(b->o->mode, NB_BATCH));
		return nb_usage_error("--batch%s%s writes %s, not %s",
				      b->o->mode == NB_MODE_GRAD ? "" : " ",
				      b->o->mode == NB_MODE_GRAD ? ""
				      : nb_mode_name(b->o->mode), list,
				      nb_format_name(b->o->format));
	}
	if (b->o->sum && (b->o->mode != NB_MODE_GRAD ||
			  b->o->layout != NB_WIDE))
		return nb_usage_error("--sum adds up the value and the "
				      "gradient: not with %s",
				      b->o->layout == NB_NODES ? "--nodes"
				      : b->o->layout == NB_EDGES ? "--edges"
				      : nb_mode_name(b->o->mode));
	if (b->o->mode != NB_MODE_GRAD && b->o->layout != NB_WIDE)
		return nb_usage_error("--batch %s adds columns to the rows: not "
				      "with --nodes or --edges",
				      nb_mode_name(b->o->mode));
	return 0;
}

/* The NAME=VALUE operands, fixed for every row; returns 0 or the exit
 * status, having said why. */
static int bind(struct batch *b, int nbind)
{
	struct nb_argvalue av = { .seed = b->o->seed };
	struct nb_diag d;
	int r = nb_apply_bindings(b->p, b->ops, nbind, nb_warn_unused_binding,
				  &av, &d);

	if (r != 0) {
		nb_diag_print(stderr, nb_argvalue_source(&av, NULL), &d,
			      b->o->color);
		if (r == NB_EUSAGE && !d.located)
			fputs(NB_TRY_HELP, stderr);
	}
	nb_argvalue_free(&av);
	return r;
}

/* Everything after the operands are sorted; returns the exit status
 * with errno kept from a failed write. */
static int run(struct batch *b, int nbind)
{
	struct nb_rowreader r;
	const char *name;
	FILE *f;
	int s, rc = 0, e;

	if ((s = bind(b, nbind)) != 0)
		return s;
	if (b->o->sweep.n) {
		name = "--sweep";
		if (!(f = nb_range_file(&b->o->sweep))) {
			fprintf(stderr, "nabla: --sweep: %s\n", strerror(errno));
			return NB_EFAIL;
		}
	} else if (!(f = open_input(b->files[0], &name))) {
		return NB_EFAIL;
	}
	b->fmt = b->o->input_given || b->o->sweep.n ? b->o->input
		 : nb_rowfmt_of_path(b->files[0], b->o->input);
	s = open_reader(b, &r, f, name)
		    ? nb_out_of_memory() : start(b, &r, &rc, b->ops, nbind);
	if (s == 0) {
		nb_bw_header(&b->ev.w);
		run_files(b, &r, rc);
		/* after a bad row that stopped the run too */
		if (b->tally.sum && !b->ev.w.out.err &&
		    nb_bw_sum(&b->ev.w, b->tally.sum))
			b->status = nb_out_of_memory();
		/* The rows first, as before a diagnostic: where stdout and
		 * stderr are one, the summaries follow every row. */
		if (b->bad > MAX_REPORTS || b->tally.failed)
			nb_bw_flush(&b->ev.w);
		if (b->bad > MAX_REPORTS)
			fprintf(stderr, "nabla: %ld more bad rows\n",
				b->bad - MAX_REPORTS);
		if (b->tally.failed)
			fprintf(stderr, "nabla: --check failed on %zu of %zu "
				"rows\n", b->tally.failed, b->row);
		s = nb_bw_flush(&b->ev.w) ? NB_EFAIL : b->status;
	}
	e = errno;
	nb_rr_close(&r);
	if (f != stdin)
		fclose(f);
	errno = e;
	return s;
}

int nb_batch_run(struct nb_program *p, const struct nb_batch_opts *o,
		 const size_t *wrt, size_t nwrt, char **operands, int n)
{
	char dash[] = "-", *stdin_only[] = { dash };
	struct batch b = { .p = p, .o = o, .wrt = wrt, .nwrt = nwrt,
			   .ev = { .p = p, .mode = nb_modes[o->mode].ops,
				   .on_error = o->on_error } };
	int nbind, s, e;

	if (split_operands(operands, n, &b, &nbind)) {
		batch_free(&b);
		return nb_out_of_memory();
	}
	if ((s = check_usage(&b)) != 0) {
		batch_free(&b);
		return s;
	}
	if (b.nfiles == 0) {
		b.files = stdin_only;
		b.nfiles = 1;
	}
	nb_stop_catch();
	s = run(&b, nbind);
	/* The caller reports a failed write with errno. */
	e = errno;
	batch_free(&b);
	nb_stop_release();
	errno = e;
	return s;
}
