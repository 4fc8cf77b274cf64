/* session.c - bindings and definitions, and the programs built from them.
 *
 * Names are found through a hash index, so that loading a long script
 * stays linear per statement, and every walk over the definitions is
 * iterative (an explicit stack), so a long chain of definitions cannot
 * overflow the C stack. */
#include "front/session.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "num/numfmt.h"

void nb_session_init(struct nb_session *s)
{
	memset(s, 0, sizeof *s);
}

static void entry_free(struct nb_entry *e)
{
	nb_free(e->name);
	nb_free(e->expr);
	for (size_t i = 0; i < e->nrefs; i++)
		nb_free(e->refs[i]);
	nb_free(e->refs);
	nb_tensor_free(&e->tval);
	memset(e, 0, sizeof *e);
}

void nb_session_free(struct nb_session *s)
{
	for (size_t i = 0; i < s->n; i++)
		entry_free(&s->e[i]);
	nb_free(s->e);
	nb_free(s->slot);
	nb_namecount_free(&s->used);
	memset(s, 0, sizeof *s);
}

/* The slot of name: where it is, or the empty slot where it would go. */
static size_t probe(const struct nb_session *s, const char *name, size_t len)
{
	size_t mask = s->nslots - 1, i = nb_name_hash(name, len) & mask;

	while (s->slot[i]) {
		const char *n = s->e[s->slot[i] - 1].name;
		if (strlen(n) == len && memcmp(n, name, len) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

long nb_session_find(const struct nb_session *s, const char *name,
		     size_t len)
{
	size_t i;

	if (s->nslots == 0)
		return -1;
	i = probe(s, name, len);
	return s->slot[i] ? (long)s->slot[i] - 1 : -1;
}

/* Rebuilds the index for entries as they are now, with room for at
 * least need of them. */
static int reindex(struct nb_session *s, size_t need)
{
	size_t n = 16;

	while (n < 2 * need)
		n *= 2;
	if (n != s->nslots) {
		size_t *slot = nb_malloc(n * sizeof *slot);
		if (!slot)
			return -1;
		nb_free(s->slot);
		s->slot = slot;
		s->nslots = n;
	}
	memset(s->slot, 0, s->nslots * sizeof *s->slot);
	for (size_t i = 0; i < s->n; i++)
		s->slot[probe(s, s->e[i].name, strlen(s->e[i].name))] = i + 1;
	return 0;
}

static char *dup(const char *p, size_t n)
{
	char *c = nb_malloc(n + 1);

	if (c) {
		memcpy(c, p, n);
		c[n] = '\0';
	}
	return c;
}

/* Uncounts the names e refers to (s->used). */
static void unuse(struct nb_session *s, const struct nb_entry *e)
{
	for (size_t i = 0; i < e->nrefs; i++)
		nb_namecount_drop(&s->used, e->refs[i], strlen(e->refs[i]));
}

/* Counts the names e refers to; 0, or -1 (none counted) when out of
 * memory. */
static int use(struct nb_session *s, const struct nb_entry *e)
{
	for (size_t i = 0; i < e->nrefs; i++)
		if (nb_namecount_add(&s->used, e->refs[i],
				     strlen(e->refs[i]))) {
			while (i-- > 0)
				nb_namecount_drop(&s->used, e->refs[i],
						  strlen(e->refs[i]));
			return -1;
		}
	return 0;
}

/* Puts e, whose references are counted, in the slot of its name (keeping
 * the name's place in the session), or appends it; takes ownership of
 * e's memory. */
static int install(struct nb_session *s, struct nb_entry *e)
{
	long i = nb_session_find(s, e->name, strlen(e->name));

	if (i >= 0) {
		unuse(s, &s->e[i]);
		entry_free(&s->e[i]);
		s->e[i] = *e;
		return 0;
	}
	if (nb_grow((void **)&s->e, &s->cap, s->n + 1, sizeof *s->e) ||
	    (2 * (s->n + 1) > s->nslots && reindex(s, s->n + 1))) {
		unuse(s, e);
		entry_free(e);
		return -1;
	}
	s->e[s->n++] = *e;
	s->slot[probe(s, e->name, strlen(e->name))] = s->n;
	return 0;
}

int nb_session_bind(struct nb_session *s, const char *name, size_t len,
		    double v)
{
	struct nb_entry e = { .value = v };

	if (!(e.name = dup(name, len)))
		return -1;
	return install(s, &e);
}

int nb_session_bind_tensor(struct nb_session *s, const char *name,
			   size_t len, const struct nb_tensor *t)
{
	struct nb_entry e = { .value = 0 };
	size_t n;

	if (t->shape.rank == 0)
		return nb_session_bind(s, name, len, t->data[0]);
	if (nb_tensor_alloc(&e.tval, &t->shape))
		return -1;
	nb_shape_size(&t->shape, &n);
	memcpy(e.tval.data, t->data, n * sizeof *t->data);
	if (!(e.name = dup(name, len))) {
		nb_tensor_free(&e.tval);
		return -1;
	}
	return install(s, &e);
}

/* One frame of a depth-first walk: an entry and its next reference. */
struct frame {
	size_t entry, next;
};

struct walk {
	struct frame *stack;
	size_t depth, cap;
	unsigned char *seen;    /* per entry: 1 once pushed */
	size_t *order;          /* definitions met, dependencies first */
	size_t norder;
};

static int walk_push(struct walk *w, size_t entry)
{
	if (nb_grow((void **)&w->stack, &w->cap, w->depth + 1,
		    sizeof *w->stack))
		return -1;
	w->stack[w->depth++] = (struct frame){ entry, 0 };
	w->seen[entry] = 1;
	return 0;
}

static void walk_free(struct walk *w)
{
	nb_free(w->stack);
	nb_free(w->seen);
	nb_free(w->order);
}

static int walk_init(struct walk *w, size_t n)
{
	memset(w, 0, sizeof *w);
	w->seen = nb_malloc(n ? n : 1);
	w->order = nb_malloc((n ? n : 1) * sizeof *w->order);
	if (!w->seen || !w->order) {
		walk_free(w);
		return -1;
	}
	memset(w->seen, 0, n);
	return 0;
}

/* "a -> b -> ... -> name": the walk's stack, which is the path from the
 * new definition's reference to name. */
static void cycle_path(const struct nb_session *s, const struct walk *w,
		       const char *name, size_t len, char *why, size_t size)
{
	size_t n = (size_t)snprintf(why, size, "%.*s", (int)len, name);

	for (size_t i = 0; i < w->depth && n < size; i++)
		n += (size_t)snprintf(why + n, size - n, " -> %s",
				      s->e[w->stack[i].entry].name);
	if (n < size)
		snprintf(why + n, size - n, " -> %.*s", (int)len, name);
}

/* Whether name is referred to from entry through definitions: 1 (why
 * says how), 0, or -1 when out of memory.  A reference counts whether
 * or not name is defined yet: f = q * 2 then q = f + 1 is a cycle. */
static int reaches(const struct nb_session *s, size_t entry, const char *name,
		   size_t len, struct walk *w, char *why, size_t size)
{
	if (w->seen[entry])
		return 0;
	if (walk_push(w, entry))
		return -1;
	while (w->depth > 0) {
		struct frame *f = &w->stack[w->depth - 1];
		const struct nb_entry *e = &s->e[f->entry];
		if (f->next >= e->nrefs) {
			w->depth--;
			continue;
		}
		const char *r = e->refs[f->next++];
		size_t rlen = strlen(r);
		if (rlen == len && memcmp(r, name, len) == 0) {
			cycle_path(s, w, name, len, why, size);
			return 1;
		}
		long k = nb_session_find(s, r, rlen);
		if (k >= 0 && !w->seen[k] && walk_push(w, (size_t)k))
			return -1;
	}
	return 0;
}

/* Whether defining name with these references would close a cycle. */
static int makes_cycle(const struct nb_session *s, const char *name,
		       size_t len, const char *const *refs,
		       const size_t *reflen, size_t nrefs, char *why,
		       size_t size)
{
	struct walk w;
	int r = 0;

	for (size_t i = 0; i < nrefs; i++)
		if (reflen[i] == len && memcmp(refs[i], name, len) == 0) {
			snprintf(why, size, "%.*s -> %.*s", (int)len, name,
				 (int)len, name);
			return 1;
		}
	/* Only a definition that refers to name can lead back to it. */
	if (nb_namecount_get(&s->used, name, len) == 0)
		return 0;
	if (walk_init(&w, s->n))
		return -1;
	for (size_t i = 0; i < nrefs && r == 0; i++) {
		long k = nb_session_find(s, refs[i], reflen[i]);
		if (k >= 0)
			r = reaches(s, (size_t)k, name, len, &w, why, size);
	}
	walk_free(&w);
	return r;
}

int nb_session_define(struct nb_session *s, const char *name, size_t len,
		      const char *expr, size_t exprlen, const char *const *refs,
		      const size_t *reflen, size_t nrefs, char *why,
		      size_t size)
{
	struct nb_entry e = { 0 };
	int r = makes_cycle(s, name, len, refs, reflen, nrefs, why, size);

	if (r != 0)
		return r;
	e.name = dup(name, len);
	e.expr = dup(expr, exprlen);
	e.refs = nb_malloc((nrefs ? nrefs : 1) * sizeof *e.refs);
	if (!e.name || !e.expr || !e.refs) {
		entry_free(&e);
		return -1;
	}
	for (; e.nrefs < nrefs; e.nrefs++)
		if (!(e.refs[e.nrefs] = dup(refs[e.nrefs], reflen[e.nrefs]))) {
			entry_free(&e);
			return -1;
		}
	if (use(s, &e)) {
		entry_free(&e);
		return -1;
	}
	return install(s, &e);
}

int nb_session_delete(struct nb_session *s, const char *name, size_t len)
{
	long i = nb_session_find(s, name, len);

	if (i < 0)
		return -1;
	unuse(s, &s->e[i]);
	entry_free(&s->e[i]);
	memmove(&s->e[i], &s->e[i + 1], (s->n - (size_t)i - 1) * sizeof *s->e);
	s->n--;
	/* Same size: no allocation, so this cannot fail. */
	return reindex(s, s->nslots / 2) ? -1 : 0;
}

int nb_text_add(struct nb_text *t, const char *p, size_t n)
{
	if (nb_grow((void **)&t->s, &t->cap, t->len + n + 1, 1))
		return -1;
	memcpy(t->s + t->len, p, n);
	t->len += n;
	t->s[t->len] = '\0';
	return 0;
}

static int add_str(struct nb_text *t, const char *p)
{
	return nb_text_add(t, p, strlen(p));
}

/* v as a number that reads back to the same double: the language has no
 * nan or inf literal, so those are spelt as the constant expressions
 * that give them. */
static int add_number(struct nb_text *t, double v)
{
	char num[NB_NUMBUF];

	if (isnan(v))
		strcpy(num, "0/0");
	else if (isinf(v))
		strcpy(num, v > 0 ? "1/0" : "-1/0");
	else
		nb_fmt_exact(num, v);
	return add_str(t, num);
}

/* The elements of axis a of x (shape s) from *k on, as nested array
 * literals: "[[1, 2], [3, 4]]". */
static int add_axis(struct nb_text *t, const struct nb_tensor *x, int a,
		    size_t *k)
{
	if (a == x->shape.rank)
		return add_number(t, x->data[(*k)++]);
	if (add_str(t, "["))
		return -1;
	for (uint32_t i = 0; i < x->shape.dim[a]; i++)
		if ((i && add_str(t, ", ")) || add_axis(t, x, a + 1, k))
			return -1;
	return add_str(t, "]");
}

/* A tensor without elements, which no array literal spells:
 * "zeros(0, 3)". */
static int add_empty(struct nb_text *t, const struct nb_tensor *x)
{
	if (add_str(t, "zeros("))
		return -1;
	for (int a = 0; a < x->shape.rank; a++)
		if ((a && add_str(t, ", ")) ||
		    add_number(t, x->shape.dim[a]))
			return -1;
	return add_str(t, ")");
}

/* "x = 3\n" or "x = [1, 2, 3]\n", reading back to the same doubles. */
static int add_binding(struct nb_text *t, const struct nb_entry *e)
{
	size_t k = 0, n = 1;

	if (add_str(t, e->name) || add_str(t, " = "))
		return -1;
	if (e->tval.data)
		nb_shape_size(&e->tval.shape, &n);
	if (!e->tval.data ? add_number(t, e->value)
	    : n ? add_axis(t, &e->tval, 0, &k) : add_empty(t, &e->tval))
		return -1;
	return add_str(t, "\n");
}

static int add_definition(struct nb_text *t, const struct nb_entry *e)
{
	return add_str(t, e->name) || add_str(t, " = ") ||
	       add_str(t, e->expr) || add_str(t, "\n");
}

/* Marks every entry reachable from entry k, and appends to w->order the
 * definitions among them in post-order (dependencies first). */
static int collect(const struct nb_session *s, size_t k, struct walk *w,
		   struct nb_text *unbound)
{
	if (w->seen[k])
		return 0;
	if (walk_push(w, k))
		return -1;
	while (w->depth > 0) {
		struct frame *f = &w->stack[w->depth - 1];
		const struct nb_entry *e = &s->e[f->entry];
		if (f->next >= e->nrefs) {
			if (e->expr)
				w->order[w->norder++] = f->entry;
			w->depth--;
			continue;
		}
		const char *r = e->refs[f->next++];
		long j = nb_session_find(s, r, strlen(r));
		if (j < 0) {
			if ((unbound->len && nb_text_add(unbound, ", ", 2)) ||
			    add_str(unbound, r))
				return -1;
		} else if (!w->seen[j] && walk_push(w, (size_t)j)) {
			return -1;
		}
	}
	return 0;
}

/* Whether the name r is already listed in the ", "-separated list. */
static int listed(const struct nb_text *list, const char *r, size_t len)
{
	const char *p = list->s;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		if (n == len && memcmp(p, r, len) == 0)
			return 1;
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

/* Bindings that are needed, in session order, then the definitions in
 * order. */
static int emit(const struct nb_session *s, const struct walk *w,
		struct nb_text *out)
{
	for (size_t i = 0; i < s->n; i++)
		if (w->seen[i] && !s->e[i].expr && add_binding(out, &s->e[i]))
			return -1;
	for (size_t i = 0; i < w->norder; i++)
		if (add_definition(out, &s->e[w->order[i]]))
			return -1;
	return 0;
}

int nb_session_program(const struct nb_session *s, const char *const *roots,
		       const size_t *rootlen, size_t nroots,
		       struct nb_text *out, struct nb_text *unbound)
{
	struct nb_text raw = { 0 };
	struct walk w;
	int r = 0;

	if (walk_init(&w, s->n))
		return -1;
	if (add_str(unbound, "")) {
		walk_free(&w);
		return -1;
	}
	for (size_t i = 0; i < nroots && r == 0; i++) {
		long k = nb_session_find(s, roots[i], rootlen[i]);
		if (k >= 0)
			r = collect(s, (size_t)k, &w, &raw);
		else if ((raw.len && nb_text_add(&raw, ", ", 2)) ||
			 nb_text_add(&raw, roots[i], rootlen[i]))
			r = -1;
	}
	/* Each unbound name once, in order of first use. */
	for (const char *p = raw.s; r == 0 && p && *p;) {
		size_t n = strcspn(p, ",");
		if (!listed(unbound, p, n) &&
		    ((unbound->len && nb_text_add(unbound, ", ", 2)) ||
		     nb_text_add(unbound, p, n)))
			r = -1;
		p += n;
		p += strspn(p, ", ");
	}
	if (r == 0)
		r = emit(s, &w, out);
	nb_free(raw.s);
	walk_free(&w);
	return r;
}

int nb_session_save(const struct nb_session *s, struct nb_text *out)
{
	struct nb_text unbound = { 0 };
	struct walk w;
	int r = 0;

	if (walk_init(&w, s->n))
		return -1;
	for (size_t i = 0; i < s->n && r == 0; i++)
		r = collect(s, i, &w, &unbound);
	if (r == 0)
		r = emit(s, &w, out);
	nb_free(unbound.s);
	walk_free(&w);
	return r;
}
