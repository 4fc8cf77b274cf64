/* fold.c - constant folding, the pass after parsing. */
#include "core/fold.h"

#include "core/alloc.h"
#include "core/domain.h"
#include "core/sweep.h"

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

int nb_fold_take(struct nb_fold *f, struct nb_tape *t, size_t from,
		 uint32_t root)
{
	uint32_t base = (uint32_t)f->side.n, id = 0;
	size_t mark = f->side.n;

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
		if (nb_tape_push(&f->side, (enum nb_op)t->op[i],
				 nb_tape_span(t, i), in, nin, &id)) {
			nb_tape_truncate(&f->side, mark);
			return -1;
		}
		f->side.value[id] = t->value[i];
	}
	f->b[f->n++] = (struct nb_fold_binding){ root - (uint32_t)from + base,
						 0 };
	nb_tape_truncate(t, from);
	return 0;
}

void nb_fold_binds(struct nb_fold *f, uint32_t var)
{
	f->b[f->n - 1].var = var;
}

int nb_fold_run(struct nb_fold *f, struct nb_program *p)
{
	nb_forward(&f->side, 0, f->side.n);
	for (size_t k = 0; k < f->n; k++)
		p->tape.value[f->b[k].var] = f->side.value[f->b[k].root];
	return nb_domain_note_constant(p, &f->side, 0, f->side.n);
}

int nb_fold_program(struct nb_program *p, double *value)
{
	nb_forward(&p->tape, 0, p->tape.n);
	*value = p->tape.value[p->output];
	return nb_domain_note_constant(p, &p->tape, 0, p->tape.n);
}
