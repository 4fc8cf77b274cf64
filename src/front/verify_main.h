/* verify_main.h - nabla --verify FILE and :verify FILE, the mode of
 * modes.def that reads its program from FILE (NB_ARG_FILE): reads the
 * file, binds NAME=VALUE arguments and runs the mode, which grades the
 * backward pass and reports (modes/verify.h). */
#ifndef NABLA_VERIFY_MAIN_H
#define NABLA_VERIFY_MAIN_H

#include <stdio.h>

#include "output/writer.h"

struct nb_verify_opts {
	enum nb_format format;  /* one the mode writes (nb_mode_writes) */
	int precision;
	int color_out, color_err;
	double tol;
};

/* Grades the backward pass in path, with the bindings argv[0..n-1], and
 * writes the report to out and any error to stderr.  Returns the exit
 * status: 0 all right, 1 a gradient wrong (or an I/O error), 2 a syntax
 * error. */
int nb_verify_main(FILE *out, const struct nb_verify_opts *o,
		   const char *path, char **argv, int n);

#endif
