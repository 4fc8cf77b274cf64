/* commands.h - the REPL's commands (:grad, :vars, ...), one table.
 *
 * The table drives dispatch, argument-count checks, usage lines, :help
 * and tab completion, so a command cannot exist without its usage and
 * help.  Later modes add rows here. */
#ifndef NABLA_COMMANDS_H
#define NABLA_COMMANDS_H

#include <stddef.h>

#include "front/replctx.h"

/* Most words on a command line. */
#define NB_MAX_ARGS 64

/* A command line split into words, each a slice of the input. */
struct nb_args {
	size_t n;
	const char *word[NB_MAX_ARGS];
	size_t len[NB_MAX_ARGS];
	size_t pos[NB_MAX_ARGS];        /* offset in the input */
};

struct nb_command {
	const char *name;       /* without the ':' */
	const char *usage;      /* ":grad NAME [WRT...]" */
	int min, max;           /* arguments after the name; max -1: any */
	int (*run)(struct nb_repl *r, const struct nb_args *a);
	const char *help;       /* one line */
};

extern const struct nb_command nb_commands[];
extern const size_t nb_ncommands;

/* The i-th command's name, or NULL past the last (for completion). */
const char *nb_command_name(size_t i);

/* Whether the len bytes at line are a command line: ":word ..." or one
 * of the bare words help, quit, exit (help may take a topic). */
int nb_is_command(const char *line, size_t len);

/* Runs the command line at [start, start+len) of r->src.  Returns 0, or
 * 1 after reporting an error. */
int nb_command_run(struct nb_repl *r, size_t start, size_t len);

#endif
