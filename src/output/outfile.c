/* outfile.c - flushing and closing stdout without losing why a write failed. */
#include "output/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/diag.h"

/* Why the first failed write to stdout failed, or 0. */
static int stdout_errno;

/* Keeps why a write to out failed, for nb_close_stdout; returns -1. */
static int write_failed(FILE *out)
{
	if (errno == 0)
		errno = EIO;
	if (out == stdout && !stdout_errno)
		stdout_errno = errno;
	return -1;
}

int nb_write_whole(FILE *out, const char *buf, size_t n)
{
	int fd = fileno(out);

	errno = 0;
	/* A memory stream (the tests) has no descriptor. */
	if (fd < 0)
		return fwrite(buf, 1, n, out) == n ? 0 : write_failed(out);
	if (fflush(out) == EOF)
		return write_failed(out);
	while (n > 0) {
		ssize_t k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return write_failed(out);
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

int nb_flush_out(FILE *out)
{
	if (fflush(out) != EOF && !ferror(out))
		return 0;
	return write_failed(out);
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
