/* verify.h - a student's own backward pass, graded line by line
 * (nabla --verify FILE, :verify FILE).
 *
 * The file holds a forward program and, after it, the backward pass as
 * the seed notes write it (core/backward.h).  nabla knows every node's
 * true value and gradient, and, for each named node, what each gate it
 * feeds sends back to it: the contributions that add up at a fork.  Each
 * line is matched against the contributions still missing from its
 * name; a line that matches none is wrong, and the classic mistakes
 * (verify_why.c) are tried against the true numbers for the likeliest
 * reason.  On vectors and matrices the values are tensors, compared
 * elementwise, and the shape rules join the reasons (verify_tctx.h). */
#ifndef NABLA_VERIFY_H
#define NABLA_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/backward.h"
#include "core/diag.h"
#include "core/program.h"
#include "core/shape.h"
#include "output/writer.h"

/* Relative tolerance of the comparisons, unless --tol says otherwise. */
#define NB_VERIFY_TOL 1e-9

enum nb_grade_verdict {
	NB_GRADE_CORRECT,
	NB_GRADE_CARRIED,     /* right, but reads a gradient an earlier
				 * wrong line spoilt */
	NB_GRADE_PREMATURE,   /* right, but reads a gradient before all
				 * its contributions were added */
	NB_GRADE_WRONG
};

/* The grade of one line of the backward pass. */
struct nb_grade {
	double computed;        /* what its right side computed */
	double expected;        /* what it should have computed */
	/* The same on a program with tensors (nb_verify.tv), as tensors;
	 * tcomputed.data NULL: the line has no value (its shapes do not
	 * fit). */
	struct nb_tensor tcomputed, texpected;
	enum nb_grade_verdict verdict;
	uint32_t gate;          /* the gate whose gradient it should add, or
				 * UINT32_MAX for the whole gradient */
	char reason[512];       /* why, in the notes' words ("" if right) */
	char novalue[200];      /* why tcomputed has no value */
};

/* A gradient the backward pass never completes. */
struct nb_missing {
	uint32_t of;            /* its forward node */
	char reason[512];
};

struct nb_verify {
	struct nb_program p;
	struct nb_backward bw;
	struct nb_grade *grade;         /* one per bw.line */
	struct nb_missing *missing;
	size_t nmissing, missingcap;
	size_t correct;                 /* lines correct or carried */
	size_t first_error;             /* index of the first line that is
					 * not, or bw.n */
	struct nb_tverify *tv;          /* a program with tensors: its
					 * grading (verify_tctx.h), or NULL */
};

/* Parses text (len bytes from nb_malloc with room for a NUL, which v
 * takes over) as a forward program and its backward pass.  Returns 0, or
 * fills d and returns its status (2 for a syntax error).  Free v with
 * nb_verify_free whatever the result. */
int nb_verify_compile(struct nb_verify *v, const char *name, char *text,
		      size_t len, struct nb_diag *d);

/* For a program with vectors or matrices (nb_program_shaped), once its
 * inputs are bound: the shape pass and the sweeps of the forward
 * program, and the tensor output's gradient, which the first line for
 * it gives.  Returns 0 (at once for a program of scalars), or fills d
 * and returns its status: 2 for a shape error in the forward program or
 * a tensor output without its gradient. */
int nb_verify_sweep(struct nb_verify *v, struct nb_diag *d);

/* Grades every line; the program's inputs must all have values.  Numbers
 * in reasons have prec significant digits.  No I/O.  Returns 0, or -1
 * when out of memory. */
int nb_verify_grade(struct nb_verify *v, double tol, int prec);

/* Writes the report (format table: text; json: one record per line) to
 * out, numbers at prec digits.  Returns the exit status: 0 when every
 * gradient is right, else 1. */
int nb_verify_report(FILE *out, const struct nb_verify *v,
		     enum nb_format format, int prec, int color);

void nb_verify_free(struct nb_verify *v);

/* nb_verify_grade and the freeing of a program with tensors
 * (verify_tensor.c, verify_tsweep.c). */
int nb_verify_tgrade(struct nb_verify *v, double tol, int prec);
void nb_verify_tfree(struct nb_verify *v);

#endif
