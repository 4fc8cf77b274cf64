/* completion.h - the bash completion script, written from the option
 * table (cli.c) by `nabla --completion bash`, so the shell completes the
 * options and values the program takes, and no others. */
#ifndef NABLA_COMPLETION_H
#define NABLA_COMPLETION_H

#include <stddef.h>
#include <stdio.h>

struct nb_compopt {
	const char *name;       /* the long option */
	int letter;             /* its short option, or 0 */
	int arg;                /* no_argument, required_ or optional_
				 * (getopt.h) */
	/* The words its argument takes, NULL-terminated; nb_comp_files:
	 * file names; NULL: anything (nothing to offer). */
	const char *const *values;
};

/* A value list that stands for file names. */
extern const char *const nb_comp_files[];

/* Writes the bash script that completes nabla's n options opt and, after
 * them, file names (batch mode's input files). */
void nb_completion_bash(FILE *out, const struct nb_compopt *opt, size_t n);

#endif
