/* repl.h - the interactive session and script mode.
 *
 * Lines come from the line editor (a terminal) or a stream (a script on
 * stdin, a file given to :load); both go through the same loop, which
 * joins continued lines, hands commands to the command table and
 * statements to the session. */
#ifndef NABLA_REPL_H
#define NABLA_REPL_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "session.h"
#include "writer.h"

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
};

/* Runs a session on stdin: interactive on a terminal (or with -i),
 * else a script.  Returns the exit status: 0, or 1 when a statement of
 * a script failed. */
int nb_repl_main(const struct nb_repl_opts *o);

/* Script mode on the stream in (named name in diagnostics), whatever it
 * is connected to: what nb_repl_main does with stdin off a terminal.
 * o->interactive is ignored.  Returns the exit status. */
int nb_repl_script(const struct nb_repl_opts *o, FILE *in, const char *name);

/* The state the commands work on. */
struct nb_repl {
	struct nb_session session;
	enum nb_format format;
	int precision;
	int color_out, color_err, strict;
	int interactive;
	int quit;               /* :quit seen: stop reading */
	long errors;            /* statements that failed */
	int load_depth;         /* :load nesting, bounded */
	struct nb_source src;   /* the input being run (for diagnostics) */
};

/* Reports an error at bytes [start, start+len) of the current input and
 * counts it.  Always returns 1, for `return nb_repl_error(...)`. */
int nb_repl_error(struct nb_repl *r, size_t start, size_t len,
		  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Runs the statements and commands of the file at path.  Returns 0, or
 * 1 when the file could not be read (said and counted). */
int nb_repl_load(struct nb_repl *r, const char *path, size_t at,
		 size_t atlen);

/* Compiles the program that the session builds for the names roots
 * (each roots[i] of rootlen[i] bytes), followed by the line tail if not
 * NULL (a bare expression, whose value is then the output), and runs
 * both sweeps.  Errors are reported at [at, at+atlen) of the current
 * input, or, for unbound names, at the first of them that user (the
 * bare expression compiled alone, or NULL) uses directly.  Returns 0
 * with p filled (free it), or 1. */
struct nb_program;
int nb_repl_eval(struct nb_repl *r, const char *const *roots,
		 const size_t *rootlen, size_t nroots, const char *tail,
		 size_t taillen, const struct nb_program *user, size_t at,
		 size_t atlen, struct nb_program *p);

#endif
