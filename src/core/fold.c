/* fold.c - constant folding, the pass after parsing. */
#include "core/fold.h"

#include <math.h>

#include "core/alloc.h"
#include "core/domain.h"
#include "core/sweep.h"
#include "core/tsweep.h"
#include "core/view.h"
#include "num/rng.h"

void nb_fold_init(struct nb_fold *f, int nospan)
{
	*f = (struct nb_fold){ .n = 0 };
	nb_tape_init(&f->side);
	f->side.nospan = nospan;
}

void nb_fold_free(struct nb_fold *f)
{
	nb_tape_free(&f->side);
	nb_free(f->b);
}

/* Node i of t, pushed on f's side tape with inputs in, which already
 * number side's nodes; *tensor set if its op is a tensor op. */
static int take_node(struct nb_fold *f, const struct nb_tape *t, size_t i,
		     const uint32_t *in, int *tensor)
{
	uint32_t id;

	if (nb_tape_push(&f->side, (enum nb_op)t->op[i], nb_tape_span(t, i),
			 in, nb_tape_nin(t, i), &id))
		return -1;
	f->side.value[id] = t->value[i];
	*tensor |= nb_op_is_tensor((enum nb_op)t->op[i]);
	return nb_tape_attr(t, i) ? nb_tape_set_attr(&f->side, id,
						     nb_tape_attr(t, i))
				  : 0;
}

int nb_fold_take(struct nb_fold *f, struct nb_tape *t, size_t from,
		 uint32_t root)
{
	uint32_t base = (uint32_t)f->side.n;
	size_t mark = f->side.n;
	int tensor = 0;

	if (f->n == f->cap &&
	    nb_grow((void **)&f->b, &f->cap, f->n + 1, sizeof *f->b))
		return -1;
	for (size_t i = from; i < t->n; i++) {
		size_t nin = nb_tape_nin(t, i);
		/* A tape of leaves has no edges yet: t->in may be NULL. */
		uint32_t *in = nin ? t->in + t->first[i] : NULL;
		/* Inputs as side numbers them (the edges go with t's nodes). */
		for (size_t e = 0; e < nin; e++)
			in[e] = in[e] - (uint32_t)from + base;
		if (take_node(f, t, i, in, &tensor)) {
			nb_tape_truncate(&f->side, mark);
			return -1;
		}
	}
	f->b[f->n++] = (struct nb_fold_binding){
		base, root - (uint32_t)from + base, 0, tensor };
	nb_tape_truncate(t, from);
	return 0;
}

void nb_fold_binds(struct nb_fold *f, uint32_t var)
{
	f->b[f->n - 1].var = var;
}

/* The tensor values of the side tape: the shaped sweeps, with no leaf
 * bound (a constant expression has none).  randn and rand draw from a
 * stream of the seed of their own, in the order of the statements: the
 * program's other calls draw from stream 0 and command-line values from
 * streams 1, 2, ... (num/rng.h), so W = randn(3) and x * randn(3) in
 * one program are not the same numbers. */
static int run_shaped(struct nb_fold *f, const struct nb_program *p,
		      struct nb_diag *d)
{
	const struct nb_tleaves none = { NULL, NULL, 0 };
	int r = nb_tsweep_prepare(&f->side, &none, 0, p->src.text, d);

	return r ? r : nb_tsweep_forward(&f->side, &none,
					 nb_rng_stream(p->seed, NB_FOLD_STREAM),
					 p->src.text, d);
}

/* Binds variable b->var to the value of its expression, and keeps the
 * domain warnings of the expression (nodes b->first..end-1). */
static int bind(struct nb_fold *f, const struct nb_fold_binding *b,
		size_t end, struct nb_program *p)
{
	struct nb_view v;
	struct nb_tensor value;

	if (!b->tensor) {
		p->tape.value[p->vars[b->var]] = f->side.value[b->root];
		return nb_domain_note_constant(p, &f->side, b->first, end);
	}
	v = nb_node_value(&f->side, b->root);
	value = (struct nb_tensor){ v.shape, (double *)v.x };
	return nb_program_set_tensor(p, b->var, &value) ||
	       nb_domain_note_constant(p, &f->side, b->first, end);
}

int nb_fold_run(struct nb_fold *f, struct nb_program *p, struct nb_diag *d)
{
	int r = 0;

	/* The scalar values first (a tensor op's is nan, never read). */
	nb_forward(&f->side, 0, f->side.n);
	for (size_t k = 0; k < f->n; k++)
		if (f->b[k].tensor) {
			r = run_shaped(f, p, d);
			break;
		}
	for (size_t k = 0; k < f->n && r == 0; k++)
		if (bind(f, &f->b[k], k + 1 < f->n ? f->b[k + 1].first
						  : f->side.n, p))
			r = nb_error_plain(d, NB_EFAIL, "out of memory");
	return r;
}

/* Whether tape t has a tensor op. */
static int has_tensor_op(const struct nb_tape *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (nb_op_is_tensor((enum nb_op)t->op[i]))
			return 1;
	return 0;
}

int nb_fold_program(struct nb_program *p, double *value, struct nb_diag *d)
{
	struct nb_view v;
	int r;

	if (has_tensor_op(&p->tape)) {
		if ((r = nb_program_run(p, NULL, d)) != 0)
			return r;
		v = nb_node_value(&p->tape, p->output);
		*value = v.shape.rank == 0 ? v.x[0] : NAN;
	} else {
		nb_forward(&p->tape, 0, p->tape.n);
		*value = p->tape.value[p->output];
	}
	if (nb_domain_note_constant(p, &p->tape, 0, p->tape.n))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	return 0;
}
