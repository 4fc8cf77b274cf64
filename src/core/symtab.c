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
	nb_free(s->key);
	nb_free(s->node);
	nb_symtab_init(s, s->src);
}

/* FNV-1a: short names, no need for anything stronger. */
static size_t hash(const char *p, size_t len)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211u;
	}
	return (size_t)h;
}

/* The slot holding name, or the empty slot where it would go. */
static size_t slot(const struct nb_symtab *s, const char *name, size_t len)
{
	size_t i = hash(name, len) & (s->cap - 1);

	while (s->key[i].len != 0) {
		if (s->key[i].len == len &&
		    nb_same_bytes(s->src + s->key[i].start, name, len))
			break;
		i = (i + 1) & (s->cap - 1);
	}
	return i;
}

int64_t nb_symtab_find(const struct nb_symtab *s, const char *name,
		       size_t len)
{
	size_t i;

	if (s->cap == 0 || len == 0)
		return -1;
	i = slot(s, name, len);
	return s->key[i].len ? (int64_t)s->node[i] : -1;
}

static int rehash(struct nb_symtab *s)
{
	struct nb_symtab big = *s;
	size_t ncap = s->cap ? s->cap * 2 : 64;

	big.key = nb_malloc(ncap * sizeof *big.key);
	big.node = nb_malloc(ncap * sizeof *big.node);
	if (!big.key || !big.node) {
		nb_free(big.key);
		nb_free(big.node);
		return -1;
	}
	memset(big.key, 0, ncap * sizeof *big.key);
	big.cap = ncap;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->key[i].len) {
			size_t j = slot(&big, s->src + s->key[i].start,
					s->key[i].len);
			big.key[j] = s->key[i];
			big.node[j] = s->node[i];
		}
	}
	nb_free(s->key);
	nb_free(s->node);
	*s = big;
	return 0;
}

int nb_symtab_put(struct nb_symtab *s, struct nb_span name, uint32_t node)
{
	size_t i;

	if ((s->count + 1) * 2 > s->cap && rehash(s))
		return -1;
	i = slot(s, s->src + name.start, name.len);
	if (!s->key[i].len)
		s->count++;
	s->key[i] = name;
	s->node[i] = node;
	return 0;
}
