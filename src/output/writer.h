/* writer.h - every output format of a computed program, behind one spec.
 *
 * Writers read a program whose sweeps have run (values, gradients and
 * local gradients filled in) and write it; they compute nothing. */
#ifndef NABLA_WRITER_H
#define NABLA_WRITER_H

#include <stdio.h>

#include "core/program.h"
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
};

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

void nb_write_table(FILE *out, const struct nb_program *p,
		    const struct nb_outspec *spec);
void nb_write_dot(FILE *out, const struct nb_program *p,
		  const struct nb_outspec *spec);
/* The long node table through the sink of spec->format. */
void nb_write_rows(struct nb_out *o, const struct nb_program *p,
		  const struct nb_outspec *spec);
/* The graph as one JSON object, nodes nested with their inputs. */
void nb_write_json(struct nb_out *o, const struct nb_program *p,
		   const struct nb_outspec *spec);

#endif
