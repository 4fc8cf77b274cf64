/* tape.h - the computational graph as a flat, topologically ordered tape.
 *
 * Structure of arrays: node i has an op, a source span, a value and a
 * gradient, and maybe a name; its inputs are the edges first[i]..first[i+1]-1,
 * each naming an earlier node and, once a sweep has asked for them
 * (nb_tape_locals), carrying a local gradient.  Inputs are indices, never
 * pointers, so the tape can grow by realloc and later carry shaped values
 * or blocks of rows without changing its structure. */
#ifndef NABLA_TAPE_H
#define NABLA_TAPE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ops.h"

struct nb_tvals;

/* Bytes start..start+len-1 of the program text. */
struct nb_span {
	uint32_t start, len;
};

/* What the last error of a shaped tape's sweep comes from
 * (core/tsweep.h): node, its input number in and that input's element
 * elem (row-major), each NB_FAULT_ANY where no one is to blame. */
#define NB_FAULT_ANY ((size_t)-1)
struct nb_tfault {
	size_t node, in, elem;
};

struct nb_tape {
	size_t n, cap;          /* nodes in use, allocated */
	unsigned char *op;      /* enum nb_op of each node */
	unsigned char *dep;     /* 1 if the node depends on an input
				 * variable (is one, or has such an input):
				 * gradients of the others never reach an
				 * input */
	uint32_t *first;        /* n + 1 entries: node i's first edge */
	struct nb_span *span;   /* expression text of each node (read it
				 * with nb_tape_span), unless nospan */
	int nospan;             /* keep no span: batch runs print no
				 * expression text */
	double *value;          /* forward value */
	double *grad;           /* upstream gradient d(output)/d(node) */
	size_t nedge, edgecap;  /* edges in use, allocated */
	uint32_t *in;           /* input node of each edge */
	double *local;          /* d(node)/d(input) of each edge, nlocal of
				 * them: a batch run that prints only the
				 * gradients never holds these */
	size_t nlocal;
	size_t maxin;           /* largest number of inputs of any node */
	double *xbuf;           /* maxin entries: one node's input values */
	/* The attribute of each node, 0 for most: a reduction's or a
	 * softmax's axis= plus one (0: all elements, or the default).
	 * NULL until a node has one (nb_tape_set_attr). */
	int32_t *attr;
	/* Shaped values (SPEC §9, core/tvals.h): NULL while every value is
	 * a scalar in value[] and grad[], as in every scalar program. */
	struct nb_tvals *tv;
	struct nb_tfault fault;
	/* Few nodes have a name: node named[k] is called names[k], k <
	 * nnamed, in increasing order of node. */
	uint32_t *named;
	struct nb_span *names;
	size_t nnamed, namedcap;
};

void nb_tape_init(struct nb_tape *t);
void nb_tape_free(struct nb_tape *t);

/* Appends a node with the given inputs; its id goes to *id.  Returns 0, or
 * -1 when out of memory or past the tape's 2^32 - 2 node limit. */
int nb_tape_push(struct nb_tape *t, enum nb_op op, struct nb_span span,
		 const uint32_t *in, size_t nin, uint32_t *id);

/* Makes room for a local gradient per edge, the new ones 0.  The sweeps
 * that fill local[] call it first.  Returns 0, or -1 when out of
 * memory. */
int nb_tape_locals(struct nb_tape *t);

/* Drops nodes n.. (and their edges and names). */
void nb_tape_truncate(struct nb_tape *t, size_t n);

/* Names node i (which has no name yet).  Returns 0, or -1 when out of
 * memory.  Cheapest for a node above all those named so far, as the
 * parser's are: others cost a move of the names above them. */
int nb_tape_set_name(struct nb_tape *t, uint32_t i, struct nb_span name);
/* Gives node i the attribute a.  Returns 0, or -1 when out of memory. */
int nb_tape_set_attr(struct nb_tape *t, uint32_t i, int32_t a);
static inline int32_t nb_tape_attr(const struct nb_tape *t, size_t i)
{
	return t->attr ? t->attr[i] : 0;
}

/* Node i's name; len 0 when it has none. */
struct nb_span nb_tape_name(const struct nb_tape *t, size_t i);

/* Node i's expression text; len 0 in a tape that keeps none. */
static inline struct nb_span nb_tape_span(const struct nb_tape *t, size_t i)
{
	return t->nospan ? (struct nb_span){ 0, 0 } : t->span[i];
}

static inline size_t nb_tape_nin(const struct nb_tape *t, size_t i)
{
	return t->first[i + 1] - t->first[i];
}

/* Downstream gradient of an edge of a node with upstream gradient grad:
 * their product under the zero rule (nb_mul0).  A node the output does
 * not depend on passes exactly 0 down, even through an infinite local
 * gradient, and an input a node ignores (the losers of max) gets +0. */
static inline double nb_downstream(double grad, double local)
{
	return nb_mul0(grad, local);
}

#endif
