/* readfile.c - a whole program file read into memory. */
#include "front/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

/* Reads all of a stream into a new buffer, with room for a NUL after it
 * (the last read found at least 65536 bytes free). */
static char *slurp(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	do {
		if (nb_grow((void **)&buf, &cap, n + 65536, 1)) {
			nb_free(buf);
			errno = ENOMEM;
			return NULL;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f)) {
		nb_free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

char *nb_read_file(const char *path, size_t *len, const char **name,
		   struct nb_diag *d)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *text;

	*name = f == stdin ? "<stdin>" : path;
	if (!f) {
		nb_error_plain(d, NB_EFAIL, "%s: %s", path, strerror(errno));
		return NULL;
	}
	*len = 0;
	text = slurp(f, len);
	if (!text) {
		if (errno == ENOMEM)
			nb_error_plain(d, NB_EFAIL, "out of memory");
		else
			nb_error_plain(d, NB_EFAIL, "%s: %s", *name,
				       strerror(errno));
	}
	if (f != stdin)
		fclose(f);
	return text;
}
