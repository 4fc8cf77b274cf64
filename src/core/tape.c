/* tape.c - growing and shrinking the tape. */
#include "tape.h"

#include <string.h>

#include "alloc.h"
#include "core/tvals.h"

void nb_tape_init(struct nb_tape *t)
{
	memset(t, 0, sizeof *t);
}

void nb_tape_free(struct nb_tape *t)
{
	nb_free(t->op);
	nb_free(t->dep);
	nb_free(t->first);
	nb_free(t->span);
	nb_free(t->named);
	nb_free(t->names);
	nb_free(t->value);
	nb_free(t->grad);
	nb_free(t->in);
	nb_free(t->local);
	nb_free(t->xbuf);
	nb_free(t->attr);
	nb_tvals_free(t->tv);
	nb_tape_init(t);
}

/* Grows every per-node array to hold need + 1 items (first[] needs the
 * extra one; the others share its capacity to keep one count). */
static int grow_nodes(struct nb_tape *t, size_t need)
{
	size_t c;

	if (need + 1 <= t->cap)
		return 0;
#define GROW(arr)                                                     \
	c = t->cap;                                                   \
	if (nb_grow((void **)&t->arr, &c, need + 1, sizeof *t->arr))  \
		return -1;
	GROW(op)
	GROW(dep)
	if (!t->nospan) {
		GROW(span)
	}
	GROW(value)
	GROW(grad)
	GROW(first)
	if (t->attr) {
		GROW(attr)
	}
#undef GROW
	t->cap = c;
	return 0;
}

/* Exactly nedge entries: the tape is complete when a sweep asks, and
 * zeroing a doubling's slack would make it resident for nothing. */
int nb_tape_locals(struct nb_tape *t)
{
	double *l;

	if (t->nedge <= t->nlocal)
		return 0;
	if (t->nedge > SIZE_MAX / sizeof *l)
		return -1;
	l = nb_realloc(t->local, t->nedge * sizeof *l);
	if (!l)
		return -1;
	memset(l + t->nlocal, 0, (t->nedge - t->nlocal) * sizeof *l);
	t->local = l;
	t->nlocal = t->nedge;
	return 0;
}

int nb_tape_push(struct nb_tape *t, enum nb_op op, struct nb_span span,
		 const uint32_t *in, size_t nin, uint32_t *id)
{
	size_t i = t->n;
	unsigned char dep = op == NB_OP_VAR;

	if (i >= UINT32_MAX - 1 || t->nedge + nin >= UINT32_MAX)
		return -1;
	if (grow_nodes(t, i + 1))
		return -1;
	if (t->nedge + nin > t->edgecap &&
	    nb_grow((void **)&t->in, &t->edgecap, t->nedge + nin, sizeof *t->in))
		return -1;
	if (nin > t->maxin) {
		double *x = nb_realloc(t->xbuf, nin * sizeof *x);
		if (!x)
			return -1;
		t->xbuf = x;
		t->maxin = nin;
	}
	if (i == 0)
		t->first[0] = 0;
	t->op[i] = (unsigned char)op;
	if (!t->nospan)
		t->span[i] = span;
	t->value[i] = 0;
	t->grad[i] = 0;
	if (t->attr)
		t->attr[i] = 0;
	for (size_t e = 0; e < nin; e++) {
		t->in[t->nedge + e] = in[e];
		dep |= t->dep[in[e]];
	}
	t->dep[i] = dep;
	t->nedge += nin;
	t->first[i + 1] = (uint32_t)t->nedge;
	t->n = i + 1;
	*id = (uint32_t)i;
	return 0;
}

void nb_tape_truncate(struct nb_tape *t, size_t n)
{
	if (n >= t->n)
		return;
	t->n = n;
	t->nedge = t->first[n];
	/* Edges pushed again get a fresh 0 from nb_tape_locals. */
	if (t->nlocal > t->nedge)
		t->nlocal = t->nedge;
	while (t->nnamed && t->named[t->nnamed - 1] >= n)
		t->nnamed--;
}

int nb_tape_set_attr(struct nb_tape *t, uint32_t i, int32_t a)
{
	if (!t->attr) {
		t->attr = nb_malloc(t->cap * sizeof *t->attr);
		if (!t->attr)
			return -1;
		memset(t->attr, 0, t->cap * sizeof *t->attr);
	}
	t->attr[i] = a;
	return 0;
}

/* The first k with named[k] >= i. */
static size_t name_slot(const struct nb_tape *t, size_t i)
{
	size_t lo = 0, hi = t->nnamed;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->named[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int nb_tape_set_name(struct nb_tape *t, uint32_t i, struct nb_span name)
{
	size_t k = name_slot(t, i), cap = t->namedcap;

	if (nb_grow((void **)&t->named, &cap, t->nnamed + 1, sizeof *t->named))
		return -1;
	cap = t->namedcap;
	if (nb_grow((void **)&t->names, &cap, t->nnamed + 1, sizeof *t->names))
		return -1;
	t->namedcap = cap;
	memmove(t->named + k + 1, t->named + k,
		(t->nnamed - k) * sizeof *t->named);
	memmove(t->names + k + 1, t->names + k,
		(t->nnamed - k) * sizeof *t->names);
	t->named[k] = i;
	t->names[k] = name;
	t->nnamed++;
	return 0;
}

struct nb_span nb_tape_name(const struct nb_tape *t, size_t i)
{
	size_t k = name_slot(t, i);

	if (k < t->nnamed && t->named[k] == i)
		return t->names[k];
	return (struct nb_span){ 0, 0 };
}
