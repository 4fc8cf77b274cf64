/* sweep.c - forward and reverse passes: two loops over the tape. */
#include "core/sweep.h"

size_t nb_gather(const struct nb_tape *t, size_t i)
{
	size_t first = t->first[i], n = t->first[i + 1] - first;

	for (size_t k = 0; k < n; k++)
		t->xbuf[k] = t->value[t->in[first + k]];
	return n;
}

void nb_forward(struct nb_tape *t, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		enum nb_op op = (enum nb_op)t->op[i];
		if (nb_ops[op].kind == NB_LEAF)
			continue;
		t->value[i] = nb_op_forward(op, t->xbuf, nb_gather(t, i));
	}
}

int nb_reverse(struct nb_tape *t, size_t output)
{
	if (nb_tape_locals(t))
		return -1;
	for (size_t i = 0; i < t->n; i++)
		t->grad[i] = 0;
	t->grad[output] = 1;
	for (size_t i = t->n; i-- > 0;) {
		enum nb_op op = (enum nb_op)t->op[i];
		size_t first = t->first[i], n;

		if (nb_ops[op].kind == NB_LEAF)
			continue;
		n = nb_gather(t, i);
		nb_op_locals(op, t->xbuf, n, t->value[i], t->local + first);
		for (size_t k = 0; k < n; k++)
			t->grad[t->in[first + k]] +=
				nb_downstream(t->grad[i], t->local[first + k]);
	}
	return 0;
}
