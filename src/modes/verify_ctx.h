/* verify_ctx.h - what grading one backward pass knows, shared by the
 * grader (verify.c) and the table of classic mistakes (verify_why.c).
 *
 * A gate is a named node of the forward program: the student writes one
 * gradient per name, so an unnamed subexpression belongs to the gate of
 * its statement.  Contribution c says that gate c->gate, whose gradient
 * is grad[gate], sends grad[gate] * c->local back to c->of: the sum over
 * the contributions of a node is its gradient (the fork rule). */
#ifndef NABLA_VERIFY_CTX_H
#define NABLA_VERIFY_CTX_H

#include <stddef.h>
#include <stdint.h>

#include "core/tape.h"

struct nb_verify;
struct nb_gradline;

struct contrib {
	uint32_t gate, of;
	double local;           /* d(gate)/d(of), through unnamed nodes */
	unsigned char state;    /* OPEN, MATCHED or TRIED */
	uint32_t line;          /* the line that matched or tried it */
};

enum { OPEN, MATCHED, TRIED };

struct vctx {
	struct nb_verify *v;
	struct nb_tape *t;
	double tol;
	int prec;
	uint32_t nfwd;          /* nodes of the forward program */
	struct contrib *c;      /* grouped by of: those of node i are
				 * c[cstart[i]] .. c[cstart[i + 1] - 1] */
	size_t nc;
	uint32_t *cstart;
	uint32_t *bygate;       /* indices into c by gate: those of gate g
				 * are bygate[gstart[g]] ..
				 * bygate[gstart[g + 1] - 1] */
	uint32_t *gstart;
	double *partial;        /* per forward node: the contributions a
				 * right backward pass has added so far */
	uint32_t *nlines;       /* per forward node: lines so far */
	int64_t *wrong;         /* per forward node: its last wrong line,
				 * or -1 */
	int64_t *lineof;        /* per backward node: the line whose result
				 * it is, or -1 */
	double *student;        /* per line: its target's value after it */
	uint32_t *refs;         /* the current line's inputs from before
				 * it */
	double *saved;
	size_t nrefs;
	uint32_t *stamp;        /* per node: last line that listed it */
	/* The line being graded. */
	size_t k;
	const struct nb_gradline *g;
	int self;               /* it reads its own target */
	double c2;              /* its value, reading right gradients */
};

/* The line's value with every gradient it reads replaced by the right
 * one and, if node is not UINT32_MAX, node's value by value. */
double nb_vx_eval(struct vctx *x, uint32_t node, double value);
/* Whether a and b agree within the tolerance, relative to the larger of
 * them and scale. */
int nb_vx_near(const struct vctx *x, double a, double b, double scale);
/* The number in its file of line k of the backward pass. */
size_t nb_vx_line(const struct vctx *x, size_t k);
/* The true gradient gate c sends to its input. */
double nb_vx_value(const struct vctx *x, const struct contrib *c);
/* Writes "NAME = TEXT" for a named node, cut at 60 bytes. */
void nb_vx_gate(const struct vctx *x, uint32_t node, char *buf, size_t size);
/* Adds to v's report that the pass never completes of's gradient, and why
 * (verify.c); -1 when out of memory. */
int nb_vx_add_missing(struct nb_verify *v, uint32_t of, const char *reason);
/* The reasons of a right formula that computed a wrong number: it read
 * name, which line got wrong; it read name before the part through gate
 * arrived (NB_GRADE_PREMATURE); else a gradient an earlier line spoilt. */
void nb_vx_blame_line(struct nb_grade *gr, const char *name, size_t line);
void nb_vx_blame_premature(struct nb_grade *gr, const char *name,
			   const char *gate);
void nb_vx_blame_carried(struct nb_grade *gr);
/* Writes the gradient name of node in the line's own spelling (dNAME or
 * grad_NAME). */
void nb_vx_dname(const struct vctx *x, uint32_t node, char *buf,
		 size_t size);
/* The contribution of the target that the wrong line being graded most
 * likely meant (NULL when none is left), with the reason: the first of
 * the classic mistakes that explains its value. */
const struct contrib *nb_vx_diagnose(struct vctx *x, char *reason,
				     size_t size);
/* The open contribution of the line's target that it most likely
 * means: the one from the gate whose gradient it reads, else the
 * first.  NULL when none is open. */
const struct contrib *nb_vx_meant(const struct vctx *x);

#endif
