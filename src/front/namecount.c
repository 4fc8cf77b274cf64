/* namecount.c - a multiset of names by open addressing (namecount.h).
 *
 * A name whose count falls to 0 keeps its slot: the names a session
 * refers to are few next to its statements, and no slot is ever emptied,
 * so probing needs no tombstones. */
#include "front/namecount.h"

#include <string.h>

#include "core/alloc.h"

size_t nb_name_hash(const char *name, size_t len)
{
	size_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

void nb_namecount_free(struct nb_namecount *c)
{
	for (size_t i = 0; i < c->nslots; i++)
		nb_free(c->name[i]);
	nb_free(c->name);
	nb_free(c->count);
	memset(c, 0, sizeof *c);
}

/* The slot of name in slots of a table of nslots: where it is, or the
 * empty slot where it would go. */
static size_t probe(char *const *slots, size_t nslots, const char *name,
		    size_t len)
{
	size_t mask = nslots - 1, i = nb_name_hash(name, len) & mask;

	while (slots[i] && !(strncmp(slots[i], name, len) == 0 &&
			     slots[i][len] == '\0'))
		i = (i + 1) & mask;
	return i;
}

/* Doubles the table (or makes its first one). */
static int grow(struct nb_namecount *c)
{
	size_t n = c->nslots ? 2 * c->nslots : 16;
	char **name = nb_malloc(n * sizeof *name);
	size_t *count = nb_malloc(n * sizeof *count);

	if (!name || !count) {
		nb_free(name);
		nb_free(count);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		name[i] = NULL;
		count[i] = 0;
	}
	for (size_t i = 0; i < c->nslots; i++)
		if (c->name[i]) {
			size_t k = probe(name, n, c->name[i],
					 strlen(c->name[i]));
			name[k] = c->name[i];
			count[k] = c->count[i];
		}
	nb_free(c->name);
	nb_free(c->count);
	c->name = name;
	c->count = count;
	c->nslots = n;
	return 0;
}

int nb_namecount_add(struct nb_namecount *c, const char *name, size_t len)
{
	size_t i;

	if (2 * (c->used + 1) > c->nslots && grow(c))
		return -1;
	i = probe(c->name, c->nslots, name, len);
	if (!c->name[i]) {
		if (!(c->name[i] = nb_malloc(len + 1)))
			return -1;
		memcpy(c->name[i], name, len);
		c->name[i][len] = '\0';
		c->used++;
	}
	c->count[i]++;
	return 0;
}

void nb_namecount_drop(struct nb_namecount *c, const char *name, size_t len)
{
	size_t i;

	if (c->nslots == 0)
		return;
	i = probe(c->name, c->nslots, name, len);
	if (c->count[i] > 0)
		c->count[i]--;
}

size_t nb_namecount_get(const struct nb_namecount *c, const char *name,
			size_t len)
{
	if (c->nslots == 0)
		return 0;
	return c->count[probe(c->name, c->nslots, name, len)];
}
