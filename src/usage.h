/* usage.h - messages the command-line front ends share. */
#ifndef NABLA_USAGE_H
#define NABLA_USAGE_H

#include <stddef.h>

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
