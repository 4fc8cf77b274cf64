/* tcode_c.h - what the two halves of --emit c share (codegen only):
 * tcode_c.c lays out the function (names, arrays, signature), and
 * tcode_cloop.c writes the loop nest that fills one node's array. */
#ifndef NABLA_TCODE_C_H
#define NABLA_TCODE_C_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "codegen/tgrad.h"
#include "core/shape.h"

/* One --emit c run. */
struct ccode {
	struct nb_tgrad g;
	FILE *out;
	struct nb_shape *shape; /* per graph node */
	unsigned char *need;    /* per graph node: computed */
	uint32_t *owner;        /* per graph node: tape node + 1 whose value
				 * it is, or 0 */
	uint32_t *seq;          /* per graph node: K of t<K>; per tape node
				 * in vseq */
	uint32_t *vseq;
	uint32_t *alias;        /* per graph node: the forward value + 1 it
				 * is the twin of, or 0 */
	uint32_t next;
	uint32_t cur;           /* the node being written (elementwise) */
	int blas;               /* matrix products through CBLAS */
};

/* The C name of tape node i's value. */
void nb_cc_value_name(struct ccode *c, size_t i);
/* The graph node whose array holds x: a leaf's value or gradient, the
 * node a forward value's twin repeats, or x itself. */
uint32_t nb_cc_resolve(const struct ccode *c, uint32_t x);
/* The array of graph node x (resolved). */
void nb_cc_array_name(struct ccode *c, uint32_t x);
/* The number of elements of shape s. */
size_t nb_cc_size(const struct nb_shape *s);

/* Writes the loop nest that fills graph node x's array; all marks every
 * graph node as named, for the elementwise printer. */
void nb_cc_statement(struct ccode *c, uint32_t x, unsigned char *all);
/* Whether x is eye(n)[i] or eye(n)[ids], written without eye(n). */
int nb_cc_unit_rows(const struct ccode *c, uint32_t x);

#endif
