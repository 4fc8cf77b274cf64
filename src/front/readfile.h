/* readfile.h - a whole program file read into memory. */
#ifndef NABLA_READFILE_H
#define NABLA_READFILE_H

#include <stddef.h>

#include "core/diag.h"

/* Reads path ('-' is standard input) into a new buffer from nb_malloc
 * with room for a NUL after its *len bytes; *name is what messages call
 * it ("<stdin>" or path).  Returns the buffer, or NULL having filled d
 * (status 1). */
char *nb_read_file(const char *path, size_t *len, const char **name,
		   struct nb_diag *d);

#endif
