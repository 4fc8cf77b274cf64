/* outfile.c - flushing and closing stdout without losing why a write failed. */
#include "output/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/diag.h"

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
