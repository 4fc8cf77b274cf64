/* tdirection.h - the direction of --jvp and :jvp for a program with
 * vectors or matrices: comma-separated NAME=VALUE items, each VALUE any
 * form of a binding (front/argvalue.h: a number, a constant expression
 * such as [1, 0, -1] or ones(3), @FILE) of its input's shape.  A comma
 * inside brackets or parentheses belongs to its VALUE:
 * W=[[1, 0], [0, 1]],b=ones(3). */
#ifndef NABLA_TDIRECTION_H
#define NABLA_TDIRECTION_H

#include <stddef.h>

#include "core/diag.h"
#include "core/program.h"
#include "front/argvalue.h"

/* A new direction *dir of zeros for p's swept shaped tape: one entry
 * per element of each of p->vars in turn (modes/modes.h), and *given
 * all clear (one per p->vars).  Returns 0, or -1 when out of memory
 * (both then freed). */
int nb_tdirection_new(const struct nb_program *p, double **dir,
		      unsigned char **given);

/* Reads the items of the len bytes at s into dir, marking each named
 * input in given; opt ("--jvp") starts the plain messages.  Returns 0,
 * or an exit status with d filled: 2 for an item that is not
 * NAME=VALUE, a name that is not an input or is named twice, a value of
 * another shape or not finite; or as nb_argvalue_read says (a located
 * diagnostic then points into av's source). */
int nb_tdirection_read(const struct nb_program *p, struct nb_argvalue *av,
		       const char *opt, const char *s, size_t len,
		       double *dir, unsigned char *given, struct nb_diag *d);

#endif
