/* symtab.c - open-addressing hash table of names. */
#include "core/symtab.h"

#include <string.h>

#include "core/alloc.h"

void nb_symtab_init(struct nb_symtab *s, const char *src)
{
	memset(s, 0, sizeof *s);
	s->src = src;
}

void nb_symtab_free(struct nb_symtab *s)
{
	nb_free(s->slot);
	nb_symtab_init(s, s->src);
}

static uint32_t hash(const char *p, size_t len)
{
	return nb_ident_hash(p, len);
}

/* The slot holding name (of hash h), or the empty slot where it would
 * go. */
static size_t slot(const struct nb_symtab *s, const char *name, size_t len,
		   uint32_t h)
{
	size_t i = h & (s->cap - 1);
	const struct nb_symslot *e;

	while ((e = &s->slot[i])->key.len != 0) {
		if (e->hash == h && e->key.len == len &&
		    nb_same_bytes(s->src + e->key.start, name, len))
			break;
		i = (i + 1) & (s->cap - 1);
	}
	return i;
}

int64_t nb_symtab_find_hashed(const struct nb_symtab *s, const char *name,
			      size_t len, uint32_t h)
{
	size_t i;

	if (s->cap == 0 || len == 0)
		return -1;
	i = slot(s, name, len, h);
	return s->slot[i].key.len ? (int64_t)s->slot[i].node : -1;
}

int64_t nb_symtab_find(const struct nb_symtab *s, const char *name,
		       size_t len)
{
	return nb_symtab_find_hashed(s, name, len, hash(name, len));
}

static int rehash(struct nb_symtab *s)
{
	struct nb_symtab big = *s;
	size_t ncap = s->cap ? s->cap * 2 : 64;

	big.slot = nb_malloc(ncap * sizeof *big.slot);
	if (!big.slot)
		return -1;
	memset(big.slot, 0, ncap * sizeof *big.slot);
	big.cap = ncap;
	for (size_t i = 0; i < s->cap; i++) {
		const struct nb_symslot *e = &s->slot[i];
		if (e->key.len)
			big.slot[slot(&big, s->src + e->key.start, e->key.len,
				      e->hash)] = *e;
	}
	nb_free(s->slot);
	*s = big;
	return 0;
}

int nb_symtab_put(struct nb_symtab *s, struct nb_span name, uint32_t node)
{
	const char *text = s->src + name.start;
	uint32_t h = hash(text, name.len);
	size_t i;

	if ((s->count + 1) * 4 > s->cap && rehash(s))
		return -1;
	i = slot(s, text, name.len, h);
	if (!s->slot[i].key.len)
		s->count++;
	s->slot[i] = (struct nb_symslot){ name, h, node };
	return 0;
}
