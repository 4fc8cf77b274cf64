/* atomicfile.c - replacing a file whole or not at all (atomicfile.h). */
#include "output/atomicfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

/* Longest chain of symbolic links followed, as the kernel's ELOOP. */
#define MAX_LINKS 40

/* A copy of the first len bytes of s, to free; NULL when out of memory. */
static char *copy(const char *s, size_t len)
{
	char *c = nb_malloc(len + 1);

	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

/* The file path names, its symbolic links followed, so that the rename
 * replaces the target and not the link: a copy to free, or NULL (errno
 * set). */
static char *target(const char *path)
{
	char *file = copy(path, strlen(path)), link[PATH_MAX];

	for (int i = 0; file && i < MAX_LINKS; i++) {
		ssize_t n = readlink(file, link, sizeof link - 1);
		const char *slash = strrchr(file, '/');
		size_t dir;
		char *next;

		if (n < 0)
			return file;    /* not a link, or not there yet */
		link[n] = '\0';
		/* A relative link is relative to the link's directory. */
		dir = link[0] != '/' && slash ? (size_t)(slash - file) + 1 : 0;
		next = nb_malloc(dir + (size_t)n + 1);
		if (next) {
			memcpy(next, file, dir);
			memcpy(next + dir, link, (size_t)n + 1);
		} else {
			errno = ENOMEM;
		}
		nb_free(file);
		file = next;
	}
	if (file) {
		nb_free(file);
		errno = ELOOP;
	}
	return NULL;
}

/* "DIR/.NAME.XXXXXX" for the file at path, to free. */
static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	char *t = nb_malloc(strlen(path) + 10);

	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	sprintf(t, "%.*s.%s.XXXXXX", (int)dir, path, path + dir);
	return t;
}

/* Writes the whole buffer to fd and syncs it; 0, or an errno value. */
static int fill(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t k = write(fd, buf, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		buf += k;
		len -= (size_t)k;
	}
	return fsync(fd) != 0 ? errno : 0;
}

/* The permissions the file gets: an existing file's, else what a newly
 * created file would have (0666 less the umask). */
static mode_t mode_of(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

int nb_write_atomic(const char *path, const char *buf, size_t len)
{
	char *file = target(path), *tmp = file ? temp_name(file) : NULL;
	int fd = -1, err;

	if (!tmp)
		err = errno;
	else if ((fd = mkstemp(tmp)) < 0)
		err = errno;
	else if ((err = fill(fd, buf, len)) == 0 &&
		 fchmod(fd, mode_of(file)) != 0)
		err = errno;
	if (fd >= 0 && close(fd) != 0 && !err)
		err = errno;
	if (fd >= 0 && !err && rename(tmp, file) != 0)
		err = errno;
	if (fd >= 0 && err)
		unlink(tmp);
	nb_free(tmp);
	nb_free(file);
	return err;
}
