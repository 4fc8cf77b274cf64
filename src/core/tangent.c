/* tangent.c - the tangent sweep of forward mode. */
#include "core/tangent.h"

#include "core/sweep.h"

int nb_tangent_sweep(struct nb_program *p, const double *dir, double *tan)
{
	struct nb_tape *t = &p->tape;

	if (nb_tape_locals(t))
		return -1;
	for (size_t i = 0; i < t->n; i++)
		tan[i] = 0;
	for (size_t k = 0; k < p->nvars; k++)
		tan[p->vars[k]] = dir[k];
	for (size_t i = 0; i < t->n; i++) {
		enum nb_op op = (enum nb_op)t->op[i];
		size_t first = t->first[i], n;
		double *local;

		/* A tape of leaves has no edges: t->local may be NULL. */
		if (nb_ops[op].kind == NB_LEAF)
			continue;
		local = t->local + first;
		n = nb_gather(t, i);
		nb_op_locals(op, t->xbuf, n, t->value[i], local);
		for (size_t k = 0; k < n; k++)
			tan[i] += nb_downstream(tan[t->in[first + k]], local[k]);
	}
	return 0;
}
