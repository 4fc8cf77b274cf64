/* batch.h - batch mode: one program evaluated over many input rows.
 *
 * nabla --batch [OPTIONS] EXPR [NAME=VALUE ...] [FILE ...]
 *
 * Data flows one way: the row reader (rowreader.h) hands over a record,
 * the driver binds its fields to the program's variables in a block of
 * rows (block.h), runs the sweeps over the block once it is full, and
 * the batch writer (batch_write.h) writes its rows in input order.
 * Nothing is allocated per row. */
#ifndef NABLA_BATCH_H
#define NABLA_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/program.h"
#include "front/batch_rows.h"
#include "front/range.h"
#include "front/rowreader.h"
#include "modes/modes.h"
#include "output/batch_write.h"
#include "output/writer.h"

struct nb_batch_opts {
	int on;                 /* --batch */
	enum nb_rowfmt input;   /* --input */
	int input_given;        /* else a file's extension may say */
	struct nb_range sweep;  /* --sweep: the input instead of files */
	enum nb_layout layout;  /* wide, --nodes or --edges */
	int no_echo;            /* --no-echo */
	int sum;                /* --sum: a last record of sums */
	int wrt_given;          /* --wrt chose the gradient columns */
	enum nb_onerror on_error;
	enum nb_mode mode;      /* _JVP, _HVP or _CHECK: their columns */
	const double *dir;      /* and its vector, one entry per p->vars,
				 * or NULL if it is not numbers alone */
	const char *dirarg;     /* that NAME=VALUE list as given: a program
				 * with vectors or matrices reads it again
				 * once it knows their shapes */
	int format_given;       /* -o was given (else csv) */
	enum nb_format format;  /* the rest is filled in by the caller */
	int precision;
	int color;              /* colour in diagnostics */
	double tol;             /* --check's --tol */
	size_t max_record;      /* --max-record: longest record in bytes */
	size_t jobs;            /* -j: threads sweeping rows; 0: a core each */
	double step;            /* and --step, or 0 */
	uint64_t seed;          /* --seed, for the NAME=VALUE operands */
};

/* --input's and --on-error's names, NULL-terminated (shell completion
 * offers them). */
extern const char *const nb_batch_inputs[];
extern const char *const nb_batch_onerrors[];

/* The input format called name ("csv", "tsv", "jsonl"), or -1. */
int nb_batch_input_parse(const char *name);
/* The --on-error mode called name ("stop", "skip", "nan"), or -1. */
int nb_batch_onerror_parse(const char *name);

/* --max-record's argument: a number of bytes, with an optional suffix
 * K, M or G (binary), from 1 to 2^62 bytes, into *bytes; 0, or -1. */
int nb_batch_maxrec_parse(const char *arg, size_t *bytes);
/* -j's argument: threads from 0 (one per core online) to NB_JOBS_MAX,
 * into *n; 0, or -1. */
#define NB_JOBS_MAX 1024
int nb_batch_jobs_parse(const char *arg, size_t *n);
/* Whether batch mode would read its data from standard input: an
 * operand '-', or no file among the n operands. */
int nb_batch_reads_stdin(char **operands, int n);

/* Runs batch mode with the compiled program p: of the n operands, those
 * of the form NAME=... are bindings for every row, the others files
 * ('-' is standard input, the default).  wrt (nwrt entries) selects and
 * orders the gradient columns.  Writes to stdout, diagnostics to stderr;
 * returns the exit status.  After a failed write, errno says why. */
int nb_batch_run(struct nb_program *p, const struct nb_batch_opts *o,
		 const size_t *wrt, size_t nwrt, char **operands, int n);

#endif
