/* usage.c - messages the command-line front ends share. */
#include "usage.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Why the first failed write to stdout failed, or 0. */
static int stdout_errno;

int nb_flush_out(FILE *out)
{
	if (fflush(out) != EOF && !ferror(out))
		return 0;
	if (errno == 0)
		errno = EIO;
	if (out == stdout && !stdout_errno)
		stdout_errno = errno;
	return -1;
}

void nb_flush_stdout(void)
{
	if (fflush(stdout) == EOF && !stdout_errno)
		stdout_errno = errno;
}

int nb_close_stdout(int status)
{
	nb_flush_stdout();
	/* A failed write not seen here: errno is the caller's report. */
	if (ferror(stdout) && !stdout_errno)
		stdout_errno = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !stdout_errno)
		stdout_errno = errno;
	if (!stdout_errno)
		return status;
	fprintf(stderr, "nabla: write error: %s\n", strerror(stdout_errno));
	return status ? status : NB_EFAIL;
}
