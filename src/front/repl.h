/* repl.h - the interactive session and script mode.
 *
 * Lines come from the line editor (a terminal) or a stream (a script on
 * stdin, a file given to :load); both go through the same loop, which
 * joins continued lines, hands commands to the command table and
 * statements to the session. */
#ifndef NABLA_REPL_H
#define NABLA_REPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output/writer.h"

/* What the command line decided for a session. */
struct nb_repl_opts {
	enum nb_format format;  /* initial :format */
	int precision;          /* initial :precision */
	int color_out;          /* colour the table on stdout */
	int color_err;          /* colour diagnostics on stderr */
	int strict;             /* domain warnings fail the statement */
	int interactive;        /* -i given: prompts even off a terminal */
	const char *file;       /* -f FILE: loaded first, or NULL */
	char **stmts;           /* operands: statements run first */
	int nstmts;
	size_t max_elements;    /* --max-elements, as nb_outspec has it */
	uint64_t seed;          /* --seed: randn and rand in statements */
};

/* Runs a session on stdin: interactive on a terminal (or with -i),
 * else a script.  Returns the exit status: 0, or 1 when a statement of
 * a script failed. */
int nb_repl_main(const struct nb_repl_opts *o);

/* Script mode on the stream in (named name in diagnostics), whatever it
 * is connected to: what nb_repl_main does with stdin off a terminal.
 * o->interactive is ignored.  Returns the exit status. */
int nb_repl_script(const struct nb_repl_opts *o, FILE *in, const char *name);

#endif
