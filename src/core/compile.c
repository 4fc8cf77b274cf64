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

/* Parses text, len bytes with room for a NUL after them, which p now
 * owns. */
static int compile_owned(struct nb_program *p, const char *name, char *text,
			 size_t len, size_t line0, int spans,
			 struct nb_backward *bw, struct nb_diag *d)
{
	memset(p, 0, sizeof *p);
	nb_tape_init(&p->tape);
	p->tape.nospan = !spans;
	text[len] = '\0';
	p->src = (struct nb_source){ name, text, len, line0 };
	nb_symtab_init(&p->names, text);
	return bw ? nb_parse_backward(p, bw, d) : nb_parse(p, d);
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
	copy = nb_malloc(len + 1);
	if (!copy) {
		memset(p, 0, sizeof *p);
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	}
	memcpy(copy, text, len);
	return compile_owned(p, name, copy, len, line0, 1, NULL, d);
}

int nb_program_compile_owned(struct nb_program *p, const char *name,
			     char *text, size_t len, int spans,
			     struct nb_diag *d)
{
	if (len >= UINT32_MAX) {
		nb_free(text);
		return too_large(p, name, d);
	}
	return compile_owned(p, name, text, len, 0, spans, NULL, d);
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
	return compile_owned(p, name, text, len, 0, 1, bw, d);
}
