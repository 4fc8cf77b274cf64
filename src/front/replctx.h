/* replctx.h - the state a session's statements and commands work on.
 *
 * Below both the read-run loop (repl.c) and the command table
 * (commands.c): errors counted against the session, and evaluating what
 * the session knows. */
#ifndef NABLA_REPLCTX_H
#define NABLA_REPLCTX_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/program.h"
#include "front/session.h"
#include "output/writer.h"

/* The state the commands work on. */
struct nb_repl {
	struct nb_session session;
	enum nb_format format;
	int precision;
	size_t max_elements;    /* --max-elements, as nb_outspec has it */
	uint64_t seed;          /* --seed */
	uint64_t streams;       /* statements parsed: the next folds its
				 * constants on stream streams + 1 */
	int color_out, color_err, strict;
	int interactive;
	int echo;               /* an assignment prints its value: an
				 * interactive session's own input, not
				 * :load or -f */
	int quit;               /* :quit seen: stop reading */
	long errors;            /* statements that failed */
	int read_failed;        /* a read error lost input: exit 1 */
	int load_depth;         /* :load nesting, bounded */
	struct nb_source src;   /* the input being run (for diagnostics) */
	/* Runs the statements and commands of the file at path (:load):
	 * the read-run loop's, which is above the commands that call it.
	 * Returns 0, or 1 when the file could not be read (said and
	 * counted). */
	int (*load)(struct nb_repl *r, const char *path, size_t at,
		    size_t atlen);
};

/* Reports an error at bytes [start, start+len) of the current input and
 * counts it.  Always returns 1, for `return nb_repl_error(...)`. */
int nb_repl_error(struct nb_repl *r, size_t start, size_t len,
		  const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

/* Domain warnings of a statement: at most 20 are shown, all counted.
 * Without src they point into the program the session built (prog),
 * which the user never typed: what and in which expression, without
 * the excerpt. */
struct nb_repl_warnings {
	struct nb_repl *r;
	const struct nb_source *src;    /* what the warnings point into */
	long count;
	const struct nb_source *prog;   /* the session's program, or NULL */
};
/* A callback for nb_domain_check; ctx is a struct nb_repl_warnings. */
void nb_repl_warn(void *ctx, const struct nb_diag *d);

/* Compiles the program that the session builds for the names roots
 * (each roots[i] of rootlen[i] bytes), followed by the line tail if not
 * NULL (a bare expression, whose value is then the output), and runs
 * both sweeps.  Errors are reported at [at, at+atlen) of the current
 * input, or, for unbound names, at the first of them that user (the
 * bare expression compiled alone, or NULL) uses directly.  Returns 0
 * with p filled (free it), or 1. */
int nb_repl_eval(struct nb_repl *r, const char *const *roots,
		 const size_t *rootlen, size_t nroots, const char *tail,
		 size_t taillen, const struct nb_program *user, size_t at,
		 size_t atlen, struct nb_program *p);

#endif
