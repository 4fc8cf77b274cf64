/* writer.h - every output format of a computed program, behind one spec.
 *
 * Writers read a program whose sweeps have run (values, gradients and
 * local gradients filled in) and write it; they compute nothing. */
#ifndef NABLA_WRITER_H
#define NABLA_WRITER_H

#include <stdio.h>

#include "core/program.h"
#include "core/view.h"
#include "output/format.h"
#include "output/out.h"

struct nb_outspec {
	enum nb_format format;
	int precision;          /* significant digits in human output */
	int color;              /* ANSI colour in the table */
	const size_t *wrt;      /* indices into p->vars to report, in order */
	size_t nwrt;
	/* The backprop table only: */
	size_t columns;         /* the terminal's width to fit; 0: any */
	int quiet;              /* just the f = and df/dNAME = lines */
	/* The table and the graph: elements of a tensor shown per axis
	 * (--max-elements); 0: NB_MAX_ELEMENTS, SIZE_MAX: every one. */
	size_t max_elements;
};

/* The elements shown per axis: 0 for every one (output/ndfmt.h). */
size_t nb_outspec_max(const struct nb_outspec *spec);

/* Writes p in spec->format to out: the backprop table, the graph, or
 * the records of another format through its sink (the long node table,
 * or for JSON one object with the nodes nested).  Returns 0, or -1 on a
 * write error (errno set). */
int nb_write(FILE *out, const struct nb_program *p,
	     const struct nb_outspec *spec);

/* The rest is shared by the writers (writer.c, write_*.c and the
 * modes' reports) only. */

/* Widest expression text the table and the graph show before eliding. */
#define NB_ELIDE 32
/* The same for the data formats (csv, tsv, json).  Each node's text is
 * a slice of its expression, so on a chain a ... + x + x the full texts
 * add up to the square of the program's size; past this width they are
 * elided too, keeping every output linear in the size of the program. */
#define NB_ELIDE_DATA 256

/* Node's expression text as every format shows it (each run of
 * whitespace and comments as one space, none at either end), cut to at
 * most width (4 to NB_ELIDE_DATA) bytes with "..." in the middle (between
 * words) if longer, NUL-terminated in buf (width + 2 bytes); returns its
 * length.  Reads O(width) bytes of the source however long the
 * expression is. */
size_t nb_text_elide(char *buf, const struct nb_program *p, size_t node,
		     size_t width);

/* Room for any rule nb_edge_rule writes, NUL included. */
#define NB_RULE_BUF 256

/* The rule that stands for edge e's local gradient (e is one of node
 * i's), NUL-terminated in buf (NB_RULE_BUF bytes): for a tensor op, its
 * RULE for that input (ops.def) with the names of the node and its
 * inputs where they are short ("dW = dD @ X.T"); for an elementwise
 * edge into a broadcast input, the sum of the local gradient times the
 * upstream back to the input's shape ("db = sum(dh * local, axis=0)");
 * else empty.  Returns its length. */
size_t nb_edge_rule(char *buf, const struct nb_program *p, size_t i,
		    size_t e);

/* Edge e's downstream gradient (e one of node i's): the tape's, or on a
 * scalar tape, which keeps none, the product of node i's gradient and
 * the local gradient in *tmp; x NULL without gradients. */
struct nb_view nb_write_down(const struct nb_tape *t, size_t i, size_t e,
			     double *tmp);

void nb_write_table(FILE *out, const struct nb_program *p,
		    const struct nb_outspec *spec);
void nb_write_dot(FILE *out, const struct nb_program *p,
		  const struct nb_outspec *spec);
/* The long node table through the sink of spec->format. */
void nb_write_rows(struct nb_out *o, const struct nb_program *p,
		  const struct nb_outspec *spec);
/* A value in JSON: a number, or a tensor as nested arrays, never
 * elided. */
void nb_json_value(struct nb_out *o, struct nb_view v);
/* The graph as one JSON object, nodes nested with their inputs. */
void nb_write_json(struct nb_out *o, const struct nb_program *p,
		   const struct nb_outspec *spec);

#endif
