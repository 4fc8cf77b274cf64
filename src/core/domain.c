/* domain.c - finds where nan and inf entered a computation. */
#include "core/domain.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/tvals.h"
#include "num/numfmt.h"

/* Whether node i's non-finite value is new here, not carried from an
 * input: a nan from inputs none of which is nan (0 * inf, inf - inf),
 * or an inf from finite inputs (1 / 0, exp(1000)).  exp(inf) = inf and
 * nan + 1 = nan only pass on what an earlier node (or a binding) made. */
static int starts_here(const struct nb_tape *t, size_t i)
{
	int nan = isnan(t->value[i]);

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		double in = t->value[t->in[e]];
		if (nan ? isnan(in) : !isfinite(in))
			return 0;
	}
	return 1;
}

/* A bounded string being built; overflow truncates, never overruns. */
struct text {
	char *buf;
	size_t size, len;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n >= t->size)
		n = t->size - t->len - 1;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* Node i's elements; a transpose folded into its matrix product has
 * none of its own, but the same elements as its input. */
static const double *elements(const struct nb_tape *t, size_t i)
{
	while (t->tv->fold[i])
		i = t->in[t->first[i]];
	return nb_tvals_value(t->tv, i);
}

/* Node i's value, of a scalar node. */
static double scalar(const struct nb_tape *t, size_t i)
{
	return t->tv ? elements(t, i)[0] : t->value[i];
}

/* "log(-1)", "1 / 0", "-inf": the operation with its input values. */
static void describe(const struct nb_tape *t, size_t i, char *buf,
		     size_t size)
{
	const struct nb_opinfo *info = &nb_ops[t->op[i]];
	struct text out = { buf, size, 0 };
	char num[NB_NUMBUF];

	buf[0] = '\0';
	if (info->kind == NB_FUNC) {
		put(&out, info->fn);
		put(&out, "(");
	} else if (info->kind == NB_PREFIX) {
		put(&out, info->sym);
	}
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		if (e > t->first[i])
			put(&out, info->kind == NB_INFIX ? " " : ", ");
		if (e > t->first[i] && info->kind == NB_INFIX) {
			put(&out, info->sym);
			put(&out, " ");
		}
		nb_fmt_human(num, scalar(t, t->in[e]), 6);
		put(&out, num);
	}
	if (info->kind == NB_FUNC)
		put(&out, ")");
}

static void warn(struct nb_diag *d, struct nb_span at)
{
	d->severity = NB_WARNING;
	d->status = NB_EFAIL;
	d->located = 1;
	d->start = at.start;
	d->len = at.len;
}

/* The warning that node i's value left the reals there ("log(-1) is
 * nan"), said to be where (in node 3). */
static void value_warning(const struct nb_tape *t, size_t i,
			  const char *where, struct nb_diag *d)
{
	char what[200], num[NB_NUMBUF];

	describe(t, i, what, sizeof what);
	nb_fmt_human(num, t->value[i], 6);
	warn(d, nb_tape_span(t, i));
	d->located = d->len > 0;
	snprintf(d->msg, sizeof d->msg, "%s is %s %s", what, num, where);
}

static int leaves_reals_here(const struct nb_tape *t, size_t i)
{
	return nb_ops[t->op[i]].kind != NB_LEAF && !isfinite(t->value[i]) &&
	       starts_here(t, i);
}

static long check_values(const struct nb_program *p,
			 void (*emit)(void *, const struct nb_diag *),
			 void *ctx)
{
	const struct nb_tape *t = &p->tape;
	struct nb_diag d;
	char where[40];
	long count = 0;

	for (size_t i = 0; i < p->nconstwarn; i++)
		emit(ctx, &p->constwarn[i]);
	for (size_t i = 0; i < t->n; i++) {
		if (!leaves_reals_here(t, i))
			continue;
		snprintf(where, sizeof where, "in node %zu", i);
		value_warning(t, i, where, &d);
		emit(ctx, &d);
		count++;
	}
	return count + (long)p->nconstwarn;
}

static size_t tensor_leaves_reals(const struct nb_tape *t, size_t i);
static void tensor_warning(const struct nb_tape *t, size_t i, size_t k,
			   const char *where, struct nb_diag *d);

/* nb_domain_note_constant on a shaped tape. */
static int note_tensor_constant(struct nb_program *p, const struct nb_tape *t,
				size_t from, size_t to)
{
	size_t k;

	for (size_t i = from; i < to; i++) {
		if ((k = tensor_leaves_reals(t, i)) == SIZE_MAX)
			continue;
		if (p->nconstwarn == p->constwarncap &&
		    nb_grow((void **)&p->constwarn, &p->constwarncap,
			    p->nconstwarn + 1, sizeof *p->constwarn))
			return -1;
		tensor_warning(t, i, k, "in a constant",
			       &p->constwarn[p->nconstwarn++]);
	}
	return 0;
}

int nb_domain_note_constant(struct nb_program *p, const struct nb_tape *t,
			    size_t from, size_t to)
{
	if (t->tv)
		return note_tensor_constant(p, t, from, to);
	for (size_t i = from; i < to; i++) {
		if (!leaves_reals_here(t, i))
			continue;
		if (p->nconstwarn == p->constwarncap &&
		    nb_grow((void **)&p->constwarn, &p->constwarncap,
			    p->nconstwarn + 1, sizeof *p->constwarn))
			return -1;
		value_warning(t, i, "in a constant",
			      &p->constwarn[p->nconstwarn++]);
	}
	return 0;
}

static long check_gradients(const struct nb_program *p,
			    void (*emit)(void *, const struct nb_diag *),
			    void *ctx)
{
	const struct nb_tape *t = &p->tape;
	struct nb_diag d;
	char what[200], num[NB_NUMBUF];
	long count = 0;

	if (!isfinite(t->value[p->output]))
		return 0;
	for (size_t i = t->n; i-- > 0;) {
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			struct nb_span in = nb_tape_span(t, t->in[e]);
			if (!t->dep[t->in[e]] || isfinite(t->local[e]) ||
			    t->grad[i] == 0 || !isfinite(t->grad[i]))
				continue;
			describe(t, i, what, sizeof what);
			nb_fmt_human(num, t->local[e], 6);
			warn(&d, nb_tape_span(t, i));
			snprintf(d.msg, sizeof d.msg,
				 "local gradient of %s with respect to '%.*s' "
				 "is %s in node %zu", what,
				 (int)(in.len > 40 ? 40 : in.len),
				 p->src.text + in.start, num, i);
			emit(ctx, &d);
			count++;
		}
	}
	return count;
}

/* The first element of node i that is not finite, or SIZE_MAX. */
static size_t first_nonfinite(const struct nb_tape *t, size_t i)
{
	const double *v = elements(t, i);

	for (size_t k = 0; k < t->tv->size[i]; k++)
		if (!isfinite(v[k]))
			return k;
	return SIZE_MAX;
}

/* "[1]", "[0,2]" or "": element k of a value of shape s. */
static void element_index(char *buf, size_t size, const struct nb_shape *s,
			  size_t k)
{
	if (s->rank == 2)
		snprintf(buf, size, "[%zu,%zu]", k / s->dim[1], k % s->dim[1]);
	else if (s->rank == 1)
		snprintf(buf, size, "[%zu]", k);
	else
		buf[0] = '\0';
}

/* On a shaped tape, node i's first element that is nan or infinite
 * although every element of its inputs is finite (SIZE_MAX if none):
 * where the first non-finite number arose, as for scalars, without
 * matching the elements of a broadcast or a reduction to their
 * inputs'. */
static size_t tensor_leaves_reals(const struct nb_tape *t, size_t i)
{
	size_t k;

	if (nb_ops[t->op[i]].kind == NB_LEAF ||
	    (k = first_nonfinite(t, i)) == SIZE_MAX)
		return SIZE_MAX;
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
		if (first_nonfinite(t, t->in[e]) != SIZE_MAX)
			return SIZE_MAX;
	return k;
}

/* "log: element [1] is nan in node 1": node i's element k, where. */
static void tensor_warning(const struct nb_tape *t, size_t i, size_t k,
			   const char *where, struct nb_diag *d)
{
	char at[48], num[NB_NUMBUF], what[200];
	int scalars = t->tv->size[i] == 1;

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
		scalars &= t->tv->shape[t->in[e]].rank == 0;
	element_index(at, sizeof at, &t->tv->shape[i], k);
	nb_fmt_human(num, elements(t, i)[k], 6);
	warn(d, nb_tape_span(t, i));
	d->located = d->len > 0;
	if (scalars && t->tv->shape[i].rank == 0) {     /* as without tensors */
		describe(t, i, what, sizeof what);
		snprintf(d->msg, sizeof d->msg, "%s is %s %s", what, num,
			 where);
		return;
	}
	snprintf(d->msg, sizeof d->msg, "%s: %s%s is %s %s",
		 nb_ops[t->op[i]].name, at[0] ? "element " : "value", at, num,
		 where);
}

static long check_tensor_values(const struct nb_program *p,
				void (*emit)(void *, const struct nb_diag *),
				void *ctx)
{
	const struct nb_tape *t = &p->tape;
	char where[40];
	struct nb_diag d;
	long count = 0;
	size_t k;

	for (size_t i = 0; i < p->nconstwarn; i++)
		emit(ctx, &p->constwarn[i]);
	for (size_t i = 0; i < t->n; i++) {
		if ((k = tensor_leaves_reals(t, i)) == SIZE_MAX)
			continue;
		snprintf(where, sizeof where, "in node %zu", i);
		tensor_warning(t, i, k, where, &d);
		emit(ctx, &d);
		count++;
	}
	return count + (long)p->nconstwarn;
}

long nb_domain_check(const struct nb_program *p,
		     void (*emit)(void *ctx, const struct nb_diag *d),
		     void *ctx)
{
	if (p->tape.tv)
		return check_tensor_values(p, emit, ctx);
	return check_values(p, emit, ctx) + check_gradients(p, emit, ctx);
}
