/* direction.h - NAME=NUMBER lists: the direction of --jvp and the vector
 * of --hvp, on the command line and in the REPL. */
#ifndef NABLA_DIRECTION_H
#define NABLA_DIRECTION_H

#include <stddef.h>

#include "core/diag.h"
#include "core/program.h"

/* Where a list went wrong: what, and which bytes of it. */
struct nb_direrr {
	char msg[160];
	size_t at, len;
};

/* Reads the comma-separated NAME=NUMBER items of the len bytes at s into
 * dir (one entry per p->vars), marking each named input in given (also
 * one per p->vars); inputs the list does not name are left alone.
 * Returns 0, or -1 with e filled: an item that is not NAME=NUMBER, a
 * name that is not an input of p, an input named twice (in given
 * already), a number that does not read. */
int nb_direction_read(const struct nb_program *p, const char *s, size_t len,
		      double *dir, unsigned char *given, struct nb_direrr *e);

/* A new vector *dir of zeros and marks *given all clear, one entry per
 * p->vars, for nb_direction_read.  Returns 0, or -1 when out of memory
 * (*given is then freed; *dir, if allocated, is the caller's to free). */
int nb_direction_new(const struct nb_program *p, double **dir,
		     unsigned char **given);

/* The argument arg of option opt ("--jvp") as a new vector *dir (one
 * entry per p->vars, 0 where the list names no input).  Returns 0, or
 * the exit status with d saying why: 2 for a bad list, 1 when out of
 * memory. */
int nb_direction_option(const struct nb_program *p, const char *opt,
			const char *arg, double **dir, struct nb_diag *d);

#endif
