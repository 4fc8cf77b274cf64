/* symtab.h - names of a program mapped to tape nodes.
 *
 * Open addressing over spans of the program text, so a name is stored
 * once, in the source, and lookups cost O(1) however many names there are. */
#ifndef NABLA_SYMTAB_H
#define NABLA_SYMTAB_H

#include <stddef.h>
#include <stdint.h>

#include "core/lexer.h"
#include "core/tape.h"

/* A slot: a name, its hash (compared before its bytes, which lie far
 * apart in a large program's text) and its node. */
struct nb_symslot {
	struct nb_span key;     /* len 0 = empty */
	uint32_t hash, node;
};

struct nb_symtab {
	const char *src;        /* text the spans point into */
	struct nb_symslot *slot;
	size_t cap, count;
};

void nb_symtab_init(struct nb_symtab *s, const char *src);
void nb_symtab_free(struct nb_symtab *s);

/* Whether the n bytes at a and b are the same: names are short, and a
 * loop beats a call to memcmp. */
static inline int nb_same_bytes(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The node named by the len bytes at name, or -1. */
int64_t nb_symtab_find(const struct nb_symtab *s, const char *name,
		       size_t len);
/* The same for a name whose nb_ident_hash is h (an identifier token's). */
int64_t nb_symtab_find_hashed(const struct nb_symtab *s, const char *name,
			      size_t len, uint32_t h);
/* Maps the name at span (in the source) to node; replaces an existing
 * entry.  Returns 0, or -1 when out of memory. */
int nb_symtab_put(struct nb_symtab *s, struct nb_span name, uint32_t node);

#endif
