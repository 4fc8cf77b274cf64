/* backward.c - the names of a hand-written backward pass. */
#include "core/backward.h"

#include <string.h>

#include "core/alloc.h"

void nb_backward_free(struct nb_backward *b)
{
	nb_free(b->line);
	memset(b, 0, sizeof *b);
}

int64_t nb_gradient_of(const struct nb_program *p, size_t limit,
		       const char *s, size_t len)
{
	int64_t node;
	size_t skip;

	if (len > 5 && memcmp(s, "grad_", 5) == 0)
		skip = 5;
	else if (len > 1 && s[0] == 'd')
		skip = 1;
	else
		return -1;
	node = nb_symtab_find(&p->names, s + skip, len - skip);
	return node >= 0 && (size_t)node < limit ? node : -1;
}
