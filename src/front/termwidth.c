/* termwidth.c - how wide a terminal the output goes to. */
#include "front/termwidth.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_COLUMNS 100000

size_t nb_term_columns(int fd)
{
	const char *s = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long n;

	if (!isatty(fd))
		return 0;
	if (s && *s) {
		errno = 0;
		n = strtol(s, &end, 10);
		if (!errno && *end == '\0' && n >= 1 && n <= MAX_COLUMNS)
			return (size_t)n;
	}
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}
