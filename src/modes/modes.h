/* modes.h - what a run computes and writes: the modes of modes.def.
 *
 * The one-shot CLI and the REPL hand a program whose values and
 * gradient are computed to the mode's run (struct nb_mode_call), which
 * computes what the mode adds (no output) and then writes its report
 * through the sink of the format.  Nothing may depend on the order of
 * enum nb_mode: ask the table. */
#ifndef NABLA_MODES_H
#define NABLA_MODES_H

#include <stdio.h>

#include "core/hessian.h"
#include "core/thessian.h"
#include "core/program.h"
#include "modes/gradcheck.h"
#include "modes/verify.h"
#include "output/batch_write.h"
#include "output/writer.h"

enum nb_mode_arg { NB_ARG_NONE, NB_ARG_DIRECTION, NB_ARG_LANG, NB_ARG_FILE };
enum { NB_WRITES_RECORDS = 1, NB_WRITES_GRAPH = 2, NB_WRITES_TEXT = 4,
       NB_WRITES_JSON = 8 };
enum { NB_TAKES_BATCH = 1 };

enum nb_mode {
#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) NB_MODE_##id,
#include "modes/modes.def"
#undef NB_MODE
};

enum {
	NB_NMODES = 0
#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) + 1
#include "modes/modes.def"
#undef NB_MODE
};

/* What a mode's run gets: a program whose sweeps have run. */
struct nb_mode_call {
	enum nb_mode mode;
	FILE *out;
	struct nb_program *p;
	const struct nb_outspec *spec;
	const double *dir;      /* NB_ARG_DIRECTION: one per p->vars, or
				 * on a shaped tape one per element of
				 * each of p->vars in turn */
	double tol, step;       /* --check's --tol and --step */
	struct nb_verify *verify; /* NB_ARG_FILE: FILE compiled, p its
				   * program (verify.h) */
	size_t samples;         /* --check-samples (0: every element) */
	uint64_t seed;          /* --seed: which samples */
};

/* A mode's columns in batch rows, and what computing them keeps. */
struct nb_mode_batch {
	struct nb_program *p;
	const size_t *wrt;      /* the reported inputs (indices into vars) */
	size_t nwrt;
	const double *dir;      /* NB_ARG_DIRECTION: one per p->vars, or
				 * on a shaped tape one per element of
				 * each of p->vars in turn */
	double tol, step;
	double *tan;            /* --jvp on a shaped tape: the tangents,
				 * laid out as its values */
	char *text;             /* --check on a shaped tape: the text of
				 * its check_worst cell */
	struct nb_bcolumn *col; /* the columns, n of them */
	struct nb_cell *cell;   /* their fields in the current row */
	size_t n;
	const char *gpre;       /* columns shaped as the gradient columns
				 * (--hvp's H.v), before col: their
				 * heading's prefix, or NULL for none */
	const double **gx;      /* their numbers: per entry of wrt, every
				 * element in the current row */
	int failed;             /* the current row's check failed */
	struct nb_check chk;
	struct nb_dual dual;
	struct nb_tdual tdual;  /* --hvp on a shaped tape */
};

/* What a mode does (one struct per mode, in its file). */
struct nb_mode_ops {
	/* Computes (no output), then reports through the sink of
	 * c->spec->format.  Returns an NB_RUN_ value, or -1 when out of
	 * memory. */
	int (*run)(const struct nb_mode_call *c);
	/* Batch mode: prepares m's columns (m->n of them, allocated with
	 * nb_mode_batch_alloc) and scratch; returns 0, or -1 when out of
	 * memory.  NULL: the mode adds no columns. */
	int (*batch_init)(struct nb_mode_batch *m);
	/* Fills m->cell for a row whose sweeps have run; returns 0, or -1
	 * when out of memory. */
	int (*batch_row)(struct nb_mode_batch *m);
};

/* Room for m->n numeric columns and cells.  Returns 0, or -1 when out
 * of memory. */
int nb_mode_batch_alloc(struct nb_mode_batch *m, size_t n);
void nb_mode_batch_free(struct nb_mode_batch *m);

/* A row of modes.def. */
struct nb_modeinfo {
	const char *name;       /* "jvp" */
	const char *option;     /* "--jvp" */
	enum nb_mode_arg arg;
	const char *argname, *help;
	const char *usage;      /* the REPL command's */
	int min, max;
	const char *cmdhelp;
	unsigned writes;
	unsigned takes;         /* NB_TAKES_ flags */
	/* NULL for the modes that print programs. */
	const struct nb_mode_ops *ops;
};

extern const struct nb_modeinfo nb_modes[];

/* The option that asks for mode ("--jvp"), for messages. */
const char *nb_mode_name(enum nb_mode mode);

/* Whether mode writes format under front end front. */
int nb_mode_writes(enum nb_mode mode, enum nb_format format,
		   enum nb_front front);
/* The mask of the formats (bit f for format f) mode writes under front,
 * for messages (nb_format_list). */
unsigned nb_mode_formats(enum nb_mode mode, enum nb_front front);

/* What a mode's run returns, but -1 when out of memory. */
enum { NB_RUN_OK, NB_RUN_FAILED /* a check failed: exit status 1 */,
       NB_RUN_WARNED /* a warning on stderr: an error with --strict */ };

/* Runs mode c->mode: an NB_RUN_ value, or -1 when out of memory. */
int nb_mode_run(const struct nb_mode_call *c);

/* The operations of modes.def (grad_mode.c, forward_mode.c, ...). */
#define OPS(x) extern const struct nb_mode_ops nb_##x##_mode;
#define NOOPS
#define NB_MODE(id, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) ops
#include "modes/modes.def"
#undef NB_MODE
#undef OPS
#undef NOOPS

/* Forward mode: with dir NULL, every node's tangent for each input of
 * spec->wrt (one sweep each) and the partials next to reverse mode's;
 * else the tangents along dir (one entry per p->vars) and grad f . dir.
 * Returns 0, or -1 when out of memory. */
int nb_forward_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *dir);

/* Forward mode on a shaped tape (core/tvals.h), as nb_forward_report:
 * with dir NULL the gradient of the scalar output by one tangent sweep
 * per element of each input of spec->wrt, next to reverse mode's; else
 * every node's tangent along dir (one entry per element of each of
 * p->vars in turn) and the output's, in its shape.  Returns 0, or -1
 * when out of memory. */
int nb_tforward_report(FILE *out, struct nb_program *p,
		       const struct nb_outspec *spec, const double *dir);

/* The most tangent sweeps --forward runs on a shaped tape, one per
 * input element: past it, reverse mode is the way. */
#define NB_FORWARD_MAX_SWEEPS 4096

/* The most input elements --hessian takes on a shaped tape: one
 * Hessian-vector product each, and a matrix of their number squared;
 * past it, --hvp is the way. */
#define NB_HESSIAN_MAX_ELEMENTS 4096

/* Whether mode has all of the NB_TAKES_ flags what (modes.def). */
int nb_mode_takes(enum nb_mode mode, unsigned what);

/* What mode cannot do on p's swept shaped tape for the inputs wrt
 * (indices into vars): --forward needs a scalar output and at most
 * NB_FORWARD_MAX_SWEEPS input elements; --hessian and --hvp a scalar
 * output, and --hessian at most NB_HESSIAN_MAX_ELEMENTS input elements
 * (nb_hessian_tensor_limits).  Returns 0, or 2 with d saying why. */
int nb_mode_tensor_limits(const struct nb_program *p, enum nb_mode mode,
			  const size_t *wrt, size_t nwrt, struct nb_diag *d);

/* Second order: with v NULL, the gradient and the Hessian over the
 * inputs of spec->wrt (one Hessian-vector product each); else the
 * gradient, v and H.v (one entry per p->vars).  Returns 0; 1 after a
 * warning on standard error that a second-order number is not finite
 * although the point is finite to first order (a warning as the domain
 * warnings are, an error with --strict); or -1 when out of memory. */
int nb_hessian_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *v);

/* nb_hessian_report on a shaped tape (core/thessian.h): a row per
 * element of each input of spec->wrt, flattened row-major; v has one
 * entry per element of each of p->vars in turn, and --hvp also writes
 * H.v in each input's shape.  The gradient must have been computed. */
int nb_thessian_report(FILE *out, struct nb_program *p,
		       const struct nb_outspec *spec, const double *v);
int nb_hessian_tensor_limits(const struct nb_program *p, enum nb_mode mode,
			     const size_t *wrt, size_t nwrt, struct nb_diag *d);

#endif
