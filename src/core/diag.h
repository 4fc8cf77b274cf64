/* diag.h - diagnostics: errors and warnings tied to a place in the source.
 *
 * Errors are values: a function that fails fills a struct nb_diag and
 * returns its exit status; one function renders it as
 *   nabla: SOURCE:LINE:COL: error: MESSAGE
 * followed by the source line and a caret under the column. */
#ifndef NABLA_DIAG_H
#define NABLA_DIAG_H

#include <stdio.h>
#include <stddef.h>

/* Exit statuses (man page: EXIT STATUS). */
enum nb_status {
	NB_OK = 0,
	NB_EFAIL = 1,   /* evaluation, data, I/O or out of memory */
	NB_EUSAGE = 2   /* usage or syntax */
};

enum nb_severity { NB_ERROR, NB_WARNING };

struct nb_diag {
	enum nb_severity severity;
	enum nb_status status;
	int located;            /* 0: no position, print "nabla: MESSAGE" */
	size_t start, len;      /* bytes of the source the message is about */
	char msg[512];
};

/* Fills d and returns its status, so callers can `return nb_error(...)`. */
int nb_error(struct nb_diag *d, enum nb_status status, size_t start,
	     size_t len, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
/* An error without a position (out of memory, bad option). */
int nb_error_plain(struct nb_diag *d, enum nb_status status,
		   const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Where diagnostics point: the text and the name it is shown under. */
struct nb_source {
	const char *name;       /* "<expr>", "<stdin>" or a file name */
	const char *text;
	size_t len;
	size_t line0;           /* lines before text in its file: a REPL or
				 * script statement is a slice of a stream */
};

/* Writes d to f; color adds bold and red/magenta when nonzero. */
void nb_diag_print(FILE *f, const struct nb_source *src,
		   const struct nb_diag *d, int color);

/* Prints the line of src holding byte start, cleaned for a terminal (a
 * control byte or C1 code as a space, a byte that is not UTF-8 as '?',
 * one column each) so the caret stays under the right column, then the
 * caret (and tildes for the rest of the len bytes on that line). */
void nb_diag_excerpt(FILE *f, const struct nb_source *src, size_t start,
		     size_t len, int color);

/* Line and column (both from 1, column in bytes) of byte offset pos. */
void nb_source_position(const struct nb_source *src, size_t pos,
			size_t *line, size_t *col);

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

#endif
