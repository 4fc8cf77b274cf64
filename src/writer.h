/* writer.h - every output format of a computed program, behind one spec.
 *
 * Writers read a program whose sweeps have run (values, gradients and
 * local gradients filled in) and write it; they compute nothing. */
#ifndef NABLA_WRITER_H
#define NABLA_WRITER_H

#include <stdio.h>

#include "program.h"

enum nb_format { NB_FMT_TABLE, NB_FMT_CSV, NB_FMT_TSV, NB_FMT_JSON,
		 NB_FMT_DOT };

struct nb_outspec {
	enum nb_format format;
	int precision;          /* significant digits in human output */
	int color;              /* ANSI colour in the table */
	const size_t *wrt;      /* indices into p->vars to report, in order */
	size_t nwrt;
};

/* The format called name ("table", "csv", ...), or -1. */
int nb_format_parse(const char *name);

/* Writes p in spec->format to out.  Returns 0, or -1 on a write error
 * (errno set). */
int nb_write(FILE *out, const struct nb_program *p,
	     const struct nb_outspec *spec);

/* The rest is shared by the writers (writer.c and write_*.c) only. */

/* Widest expression text the table and the graph show before eliding. */
#define NB_ELIDE 32

/* A cursor over a node's expression text as displayed: each run of
 * whitespace and comments reads as one space, with none at either end. */
struct nb_textcur {
	const char *s, *end;
	int started;            /* a byte has been returned */
};

void nb_text_init(struct nb_textcur *c, const struct nb_program *p,
		  size_t node);
/* The next byte of the display text, or -1 at its end. */
int nb_text_next(struct nb_textcur *c);

/* Node's display text cut to at most width (<= NB_ELIDE) bytes with
 * "..." in the middle if longer, NUL-terminated in buf (NB_ELIDE + 2
 * bytes); returns its length.  Reads O(width) bytes of the source
 * however long the expression is. */
size_t nb_text_elide(char *buf, const struct nb_program *p, size_t node,
		     size_t width);

void nb_write_table(FILE *out, const struct nb_program *p,
		    const struct nb_outspec *spec);
/* CSV or TSV, by spec->format. */
void nb_write_csv(FILE *out, const struct nb_program *p,
		  const struct nb_outspec *spec);
void nb_write_json(FILE *out, const struct nb_program *p,
		   const struct nb_outspec *spec);
void nb_write_dot(FILE *out, const struct nb_program *p,
		  const struct nb_outspec *spec);

#endif
