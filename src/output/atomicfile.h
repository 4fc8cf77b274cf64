/* atomicfile.h - replacing a file whole or not at all. */
#ifndef NABLA_ATOMICFILE_H
#define NABLA_ATOMICFILE_H

#include <stddef.h>

/* Writes len bytes at buf as the file at path: into a temporary file in
 * the same directory, synced to the disk, then renamed over path (through
 * a symbolic link, its target), keeping an existing file's permissions.
 * On a failure (a full disk) path is untouched and the temporary file
 * removed; a reader that has path open goes on reading the old content.
 * Returns 0, or an errno value. */
int nb_write_atomic(const char *path, const char *buf, size_t len);

#endif
