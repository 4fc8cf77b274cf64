/* program.c - owning, naming and binding a parsed program. */
#include "core/program.h"

#include <string.h>

#include "core/alloc.h"

void nb_program_free(struct nb_program *p)
{
	nb_free((char *)p->src.text);
	nb_tape_free(&p->tape);
	nb_symtab_free(&p->names);
	nb_free(p->vars);
	nb_free(p->bound);
	for (size_t k = 0; p->tval && k < p->nvars; k++)
		nb_tensor_free(&p->tval[k]);
	nb_free(p->tval);
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
	if (p->tval)
		nb_tensor_free(&p->tval[var]);
}

int nb_program_take_tensor(struct nb_program *p, size_t var,
			   struct nb_tensor *v)
{
	if (v->shape.rank == 0) {
		nb_program_set(p, var, v->data[0]);
		return 0;
	}
	if (!p->tval) {
		p->tval = nb_malloc(p->nvars * sizeof *p->tval);
		if (!p->tval)
			return -1;
		memset(p->tval, 0, p->nvars * sizeof *p->tval);
	}
	nb_program_set(p, var, 0);
	p->tval[var] = *v;
	v->data = NULL;
	return 0;
}

int nb_program_set_tensor(struct nb_program *p, size_t var,
			  const struct nb_tensor *v)
{
	struct nb_tensor copy;
	size_t n;
	int r;

	if (v->shape.rank == 0) {
		nb_program_set(p, var, v->data[0]);
		return 0;
	}
	if (nb_tensor_alloc(&copy, &v->shape))
		return -1;
	nb_shape_size(&v->shape, &n);
	memcpy(copy.data, v->data, n * sizeof *copy.data);
	if ((r = nb_program_take_tensor(p, var, &copy)) != 0)
		nb_tensor_free(&copy);
	return r;
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
