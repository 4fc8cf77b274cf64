/* program.c - owning, naming and binding a parsed program. */
#include "program.h"

#include <string.h>

#include "alloc.h"
#include "parser.h"

int nb_program_compile(struct nb_program *p, const char *name,
		       const char *text, size_t len, struct nb_diag *d)
{
	return nb_program_compile_at(p, name, text, len, 0, d);
}

/* Parses text, len bytes with room for a NUL after them, which p now
 * owns. */
static int compile_owned(struct nb_program *p, const char *name, char *text,
			 size_t len, size_t line0, int spans,
			 struct nb_diag *d)
{
	memset(p, 0, sizeof *p);
	nb_tape_init(&p->tape);
	p->tape.nospan = !spans;
	text[len] = '\0';
	p->src = (struct nb_source){ name, text, len, line0 };
	nb_symtab_init(&p->names, text);
	return nb_parse(p, d);
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
	return compile_owned(p, name, copy, len, line0, 1, d);
}

int nb_program_compile_owned(struct nb_program *p, const char *name,
			     char *text, size_t len, int spans,
			     struct nb_diag *d)
{
	if (len >= UINT32_MAX) {
		nb_free(text);
		return too_large(p, name, d);
	}
	return compile_owned(p, name, text, len, 0, spans, d);
}

void nb_program_free(struct nb_program *p)
{
	nb_free((char *)p->src.text);
	nb_tape_free(&p->tape);
	nb_symtab_free(&p->names);
	nb_free(p->vars);
	nb_free(p->bound);
	nb_free(p->constwarn);
	memset(p, 0, sizeof *p);
}

const char *nb_program_outname(const struct nb_program *p, size_t *len)
{
	if (p->outname.len == 0) {
		*len = 1;
		return "f";
	}
	*len = p->outname.len;
	return p->src.text + p->outname.start;
}

const char *nb_node_name(const struct nb_program *p, size_t i, size_t *len)
{
	struct nb_span s = nb_tape_name(&p->tape, i);

	*len = s.len;
	return s.len ? p->src.text + s.start : NULL;
}

const char *nb_node_shown_name(const struct nb_program *p, size_t i,
			       size_t *len)
{
	const char *s = nb_node_name(p, i, len);

	if (!s && i == p->output)
		s = nb_program_outname(p, len);
	if (!s)
		*len = 0;
	return s;
}

long nb_program_var(const struct nb_program *p, const char *name,
		    size_t len)
{
	int64_t node = nb_symtab_find(&p->names, name, len);
	size_t lo = 0, hi = p->nvars;

	if (node < 0 || p->tape.op[node] != NB_OP_VAR)
		return -1;
	/* vars[] is in order of creation, hence ascending node ids. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->vars[mid] < (uint32_t)node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nvars && p->vars[lo] == (uint32_t)node ? (long)lo : -1;
}

void nb_program_set(struct nb_program *p, size_t var, double v)
{
	p->tape.value[p->vars[var]] = v;
	p->bound[var] = 1;
}

/* Appends the n bytes at s to d->msg; the caller made room. */
static void append(struct nb_diag *d, const char *s, size_t n)
{
	size_t len = strlen(d->msg);

	memcpy(d->msg + len, s, n);
	d->msg[len + n] = '\0';
}

int nb_program_check_bound(const struct nb_program *p, struct nb_diag *d)
{
	size_t unbound = 0, shown = 0, first = 0;

	for (size_t i = p->nvars; i-- > 0;)
		if (!p->bound[i]) {
			unbound++;
			first = i;
		}
	if (unbound == 0)
		return 0;
	struct nb_span at = nb_tape_name(&p->tape, p->vars[first]);
	nb_error(d, NB_EUSAGE, at.start, at.len, "unbound variable%s ",
		 unbound > 1 ? "s" : "");
	for (size_t i = 0; i < p->nvars; i++) {
		struct nb_span s = nb_tape_name(&p->tape, p->vars[i]);
		/* A name may be megabytes long; like other messages, show
		 * its first 40 bytes, so that every message names one. */
		size_t len = s.len > 40 ? 40 : s.len;
		if (p->bound[i])
			continue;
		if (strlen(d->msg) + len + 29 >= sizeof d->msg)
			break;
		if (shown)
			append(d, ", ", 2);
		append(d, p->src.text + s.start, len);
		if (len < s.len)
			append(d, "...", 3);
		shown++;
	}
	if (shown < unbound)
		snprintf(d->msg + strlen(d->msg), sizeof d->msg - strlen(d->msg),
			 " and %zu more", unbound - shown);
	return NB_EUSAGE;
}
