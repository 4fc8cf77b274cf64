/* batch_fault.c - from a shaped sweep's error to a row's field. */
#include "front/batch_fault.h"

#include <string.h>

#include "core/alloc.h"
#include "core/tsweep.h"
#include "front/batch_elems.h"

int nb_bfault_init(struct nb_bfault *f, size_t n)
{
	size_t m = n ? n : 1;

	f->n = n;
	f->node = nb_malloc(m * sizeof *f->node);
	f->elem = nb_malloc(m * sizeof *f->elem);
	f->seen = nb_malloc(m);
	return f->node && f->elem && f->seen ? 0 : -1;
}

void nb_bfault_free(struct nb_bfault *f)
{
	nb_free(f->node);
	nb_free(f->elem);
	nb_free(f->seen);
	*f = (struct nb_bfault){ NULL, NULL, NULL, 0, 0 };
}

/* The column that feeds element e (NB_FAULT_ANY: any) of leaf node j:
 * a number's, the element's, or the array's; ncols if none does. */
static size_t leaf_column(const struct nb_program *p, const long *colvar,
			  const size_t *colflat, size_t ncols, uint32_t j,
			  size_t e)
{
	for (size_t c = 0; c < ncols; c++) {
		if (colvar[c] < 0 || p->vars[colvar[c]] != j)
			continue;
		if (colflat[c] == NB_NOT_ELEM || colflat[c] == NB_ARRAY_COL ||
		    e == NB_FAULT_ANY || colflat[c] == e)
			return c;
	}
	return ncols;
}

size_t nb_bfault_sizes_from(enum nb_op op)
{
	switch (op) {
	case NB_OP_ZEROS:
	case NB_OP_ONES:
	case NB_OP_EYE:
	case NB_OP_RANDN:
	case NB_OP_RAND:
		return 0;
	case NB_OP_ONEHOT:
		return 1;
	default:
		return NB_FAULT_ANY;
	}
}

/* Queues node j's element e, unless j is seen (f->seen[j] is f->mark)
 * or depends on no input. */
static void push(struct nb_bfault *f, const struct nb_tape *t, size_t *top,
		 uint32_t j, size_t e)
{
	if (f->seen[j] == f->mark || !t->dep[j])
		return;
	f->seen[j] = f->mark;
	f->node[*top] = j;
	f->elem[(*top)++] = e;
}

/* Queues node i's inputs, the last first so that the first is visited
 * first: with an element e of i, the element each reads, when i is
 * elementwise and the values' layout is known. */
static void push_inputs(struct nb_bfault *f, const struct nb_tape *t,
			size_t *top, size_t i, size_t e)
{
	int elem = e != NB_FAULT_ANY && t->tv &&
		   !nb_op_is_tensor((enum nb_op)t->op[i]);

	for (size_t k = nb_tape_nin(t, i); k-- > 0;)
		push(f, t, top, t->in[t->first[i] + k],
		     elem ? nb_tsweep_in_elem(t, i, k, e) : NB_FAULT_ANY);
}

/* The first column that feeds a leaf the queued nodes (top of them)
 * depend on, depth first; ncols if none. */
static size_t search(struct nb_bfault *f, const struct nb_program *p,
		     const long *colvar, const size_t *colflat, size_t ncols,
		     size_t top, size_t *elem)
{
	const struct nb_tape *t = &p->tape;

	while (top > 0) {
		uint32_t j = f->node[--top];
		size_t e = f->elem[top], c;
		if (nb_ops[t->op[j]].kind != NB_LEAF) {
			push_inputs(f, t, &top, j, e);
			continue;
		}
		c = leaf_column(p, colvar, colflat, ncols, j, e);
		if (c < ncols) {
			*elem = colflat[c] == NB_ARRAY_COL ? e : NB_FAULT_ANY;
			return c;
		}
	}
	return ncols;
}

/* A shape's fault: only a size that a row gives (zeros(n), n a column)
 * changes shapes, so of the nodes node depends on (marked 1 first), the
 * search starts from the sizes, in the tape's order (marking 2).  The
 * first row-bound input it meets could otherwise be any operand. */
static size_t size_column(struct nb_bfault *f, const struct nb_program *p,
			  const long *colvar, const size_t *colflat,
			  size_t ncols, size_t node, size_t *elem)
{
	const struct nb_tape *t = &p->tape;
	size_t top = 0, c = ncols;

	f->mark = 1;
	push(f, t, &top, (uint32_t)node, NB_FAULT_ANY);
	while (top > 0) {
		uint32_t j = f->node[--top];
		if (nb_ops[t->op[j]].kind != NB_LEAF)
			push_inputs(f, t, &top, j, NB_FAULT_ANY);
	}
	f->mark = 2;
	for (size_t i = 0; i < t->n && c == ncols; i++) {
		size_t k = nb_bfault_sizes_from((enum nb_op)t->op[i]);
		if (f->seen[i] != 1 || k == NB_FAULT_ANY)
			continue;
		for (size_t nin = nb_tape_nin(t, i); k < nin; k++)
			push(f, t, &top, t->in[t->first[i] + k], NB_FAULT_ANY);
		c = search(f, p, colvar, colflat, ncols, top, elem);
		top = 0;
	}
	return c;
}

size_t nb_bfault_column(struct nb_bfault *f, const struct nb_program *p,
			const long *colvar, const size_t *colflat,
			size_t ncols, int shape, size_t *elem)
{
	const struct nb_tape *t = &p->tape;
	const struct nb_tfault *ft = &t->fault;
	size_t top = 0;

	*elem = NB_FAULT_ANY;
	if (ft->node >= t->n || t->n > f->n)
		return ncols;
	memset(f->seen, 0, t->n);
	if (shape)
		return size_column(f, p, colvar, colflat, ncols, ft->node,
				   elem);
	f->mark = 1;
	if (ft->in < nb_tape_nin(t, ft->node))
		push(f, t, &top, t->in[t->first[ft->node] + ft->in],
		     t->tv ? ft->elem : NB_FAULT_ANY);
	else
		push(f, t, &top, (uint32_t)ft->node, NB_FAULT_ANY);
	return search(f, p, colvar, colflat, ncols, top, elem);
}
