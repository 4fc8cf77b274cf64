/* compile.c - program text to a program: copied or taken over, parsed. */
#include "core/compile.h"

#include <string.h>

#include "core/alloc.h"
#include "core/parser.h"

int nb_program_compile(struct nb_program *p, const char *name,
		       const char *text, size_t len, struct nb_diag *d)
{
	return nb_program_compile_at(p, name, text, len, 0, d);
}

/* Makes p a program of no nodes over text, len bytes with room for a NUL
 * after them, which p now owns. */
static void init(struct nb_program *p, const char *name, char *text,
		 size_t len, size_t line0, int spans, uint64_t seed)
{
	memset(p, 0, sizeof *p);
	p->seed = seed;
	nb_tape_init(&p->tape);
	p->tape.nospan = !spans;
	text[len] = '\0';
	p->src = (struct nb_source){ name, text, len, line0 };
	nb_symtab_init(&p->names, text);
}

/* A copy of the len bytes at text, in p (unset) when out of memory. */
static char *copy_of(struct nb_program *p, const char *text, size_t len,
		     struct nb_diag *d)
{
	char *copy = nb_malloc(len + 1);

	if (!copy) {
		memset(p, 0, sizeof *p);
		nb_error_plain(d, NB_EFAIL, "out of memory");
		return NULL;
	}
	memcpy(copy, text, len);
	return copy;
}

static int too_large(struct nb_program *p, const char *name,
		     struct nb_diag *d)
{
	memset(p, 0, sizeof *p);
	return nb_error_plain(d, NB_EFAIL, "%s: program larger than 4 GiB",
			      name);
}

int nb_program_compile_at(struct nb_program *p, const char *name,
			  const char *text, size_t len, size_t line0,
			  struct nb_diag *d)
{
	char *copy;

	if (len >= UINT32_MAX)
		return too_large(p, name, d);
	if (!(copy = copy_of(p, text, len, d)))
		return d->status;
	init(p, name, copy, len, line0, 1, 0);
	return nb_parse(p, d);
}

int nb_program_compile_expr(struct nb_program *p,
			    const struct nb_source *src, size_t from,
			    size_t to, struct nb_diag *d)
{
	char *copy;

	if (to >= UINT32_MAX)
		return too_large(p, src->name, d);
	if (!(copy = copy_of(p, src->text, to, d)))
		return d->status;
	init(p, src->name, copy, to, src->line0, 1, 0);
	return nb_parse_expr(p, from, d);
}

int nb_program_compile_owned(struct nb_program *p, const char *name,
			     char *text, size_t len, int spans, uint64_t seed,
			     struct nb_diag *d)
{
	if (len >= UINT32_MAX) {
		nb_free(text);
		return too_large(p, name, d);
	}
	init(p, name, text, len, 0, spans, seed);
	return nb_parse(p, d);
}

int nb_program_compile_backward(struct nb_program *p, const char *name,
				char *text, size_t len,
				struct nb_backward *bw, struct nb_diag *d)
{
	memset(bw, 0, sizeof *bw);
	if (len >= UINT32_MAX) {
		nb_free(text);
		return too_large(p, name, d);
	}
	init(p, name, text, len, 0, 1, 0);
	return nb_parse_backward(p, bw, d);
}
