/* usage.c - messages the command-line front ends share. */
#include "usage.h"

#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

int nb_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nabla: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fputs(NB_TRY_HELP, stderr);
	va_end(ap);
	return NB_EUSAGE;
}

int nb_out_of_memory(void)
{
	fputs("nabla: out of memory\n", stderr);
	return NB_EFAIL;
}

void nb_warn_unused_binding(const char *name, size_t len)
{
	fprintf(stderr, "nabla: warning: '%.*s' is not a variable of the "
		"program\n", (int)len, name);
}
