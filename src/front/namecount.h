/* namecount.h - how many times each name is counted: a multiset of names.
 *
 * The session counts the names its definitions refer to, so that a new
 * definition nobody refers to is known, in O(1), not to close a cycle:
 * a script of n definitions then loads in O(n), not O(n^2). */
#ifndef NABLA_NAMECOUNT_H
#define NABLA_NAMECOUNT_H

#include <stddef.h>

struct nb_namecount {
	char **name;            /* per slot: a NUL-terminated copy, or NULL */
	size_t *count;
	size_t nslots;          /* 0, or a power of two above 2 used */
	size_t used;            /* slots with a name (counts may be 0) */
};

/* FNV-1a of the len bytes at name. */
size_t nb_name_hash(const char *name, size_t len);

void nb_namecount_free(struct nb_namecount *c);

/* Counts name once more; 0, or -1 when out of memory (c unchanged). */
int nb_namecount_add(struct nb_namecount *c, const char *name, size_t len);

/* Counts name once less (it must have been added). */
void nb_namecount_drop(struct nb_namecount *c, const char *name, size_t len);

/* How many times name is counted. */
size_t nb_namecount_get(const struct nb_namecount *c, const char *name,
			size_t len);

#endif
