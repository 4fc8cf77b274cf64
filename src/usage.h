/* usage.h - messages the command-line front ends share. */
#ifndef NABLA_USAGE_H
#define NABLA_USAGE_H

#include <stddef.h>
#include <stdio.h>

#define NB_TRY_HELP "Try 'nabla --help' for more information.\n"

/* "nabla: MESSAGE" and the --help hint on stderr; returns exit status 2. */
int nb_usage_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* "nabla: out of memory" on stderr; returns exit status 1. */
int nb_out_of_memory(void);

/* The warning for a NAME=VALUE binding the program does not use. */
void nb_warn_unused_binding(const char *name, size_t len);

/* Flushes out after a writer wrote to it (and went on past any failed
 * write, which stdio makes harmless): 0, or -1 with errno set if any
 * write failed, which is kept for nb_close_stdout when out is stdout. */
int nb_flush_out(FILE *out);
/* fflush(stdout), keeping why the first failed write failed: a session
 * flushes after every statement, and by the time stdout is closed errno
 * no longer says. */
void nb_flush_stdout(void);
/* Flushes and closes stdout.  After a failed write says why ("nabla:
 * write error: No space left on device") and returns status, or 1 if
 * status is 0; else returns status. */
int nb_close_stdout(int status);

#endif
