/* block.c - forward and reverse passes over a block of rows.
 *
 * A node costs one switch on its op, then one loop over the rows (per
 * input, in the reverse pass) whose body is ops.def's FORWARD or LOCAL
 * expression (core/oploop.h): the scalar sweeps' own arithmetic, so
 * their results bit for bit.  The variadic ops (sum, mean, and max and
 * min with their routing flag) go row by row through nb_op_forward and
 * nb_op_locals instead.  The gradients add at forks in the order of
 * nb_reverse, node by node from the last. */
#include "core/block.h"

#include <string.h>

#include "core/alloc.h"
#include "core/oploop.h"

size_t nb_block_rows(const struct nb_tape *t)
{
	size_t slot = (2 * t->n + t->nedge) * sizeof(double);
	size_t rows = NB_BLOCK_BYTES / (slot ? slot : 1);

	if (rows < 1)
		return 1;
	return rows > NB_BLOCK_ROWS ? NB_BLOCK_ROWS : rows;
}

void nb_block_free(struct nb_block *blk)
{
	if (blk->own) {
		nb_free(blk->value);
		nb_free(blk->grad);
	}
	if (blk->own || !blk->keep)
		nb_free(blk->local);
	nb_free(blk->x);
	memset(blk, 0, sizeof *blk);
}

/* Values and gradients of the block's own.  Every row starts as the
 * tape is, so no row is ever uninitialised and the leaves nobody writes
 * keep their values. */
static int own_rows(struct nb_block *blk, const struct nb_tape *t)
{
	size_t rows = blk->rows, nv = t->n * rows;

	blk->value = nb_malloc((nv + 1) * sizeof *blk->value);
	blk->grad = nb_malloc((nv + 1) * sizeof *blk->grad);
	if (!blk->value || !blk->grad)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		for (size_t r = 0; r < rows; r++)
			blk->value[i * rows + r] = t->value[i];
	memset(blk->grad, 0, nv * sizeof *blk->grad);
	return 0;
}

/* The local gradients: the tape's own in a kept block of one row, else
 * rows of every edge (kept) or of one node's inputs. */
static int local_rows(struct nb_block *blk, struct nb_tape *t)
{
	size_t n = (blk->keep ? t->nedge : t->maxin) * blk->rows;

	if (blk->keep && nb_tape_locals(t))
		return -1;
	if (blk->keep && !blk->own) {
		blk->local = t->local;
		return 0;
	}
	blk->local = nb_malloc((n + 1) * sizeof *blk->local);
	if (!blk->local)
		return -1;
	memset(blk->local, 0, n * sizeof *blk->local);
	return 0;
}

int nb_block_init(struct nb_block *blk, struct nb_tape *t, size_t rows,
		  int keep)
{
	*blk = (struct nb_block){ .rows = rows, .own = rows > 1, .keep = keep };
	if (!blk->own) {
		blk->value = t->value;
		blk->grad = t->grad;
	}
	/* One row's inputs, then their local gradients. */
	blk->x = nb_malloc((2 * t->maxin + 1) * sizeof *blk->x);
	if (!blk->x || (blk->own && own_rows(blk, t)) || local_rows(blk, t)) {
		nb_block_free(blk);
		return -1;
	}
	return 0;
}

/* The values of node i's input number k. */
static const double *input(const struct nb_block *blk,
			   const struct nb_tape *t, size_t i, size_t k)
{
	return nb_block_values(blk, t->in[t->first[i] + k]);
}

/* Row r's inputs of node i into blk->x; returns their number. */
static size_t gather(const struct nb_block *blk, const struct nb_tape *t,
		     size_t i, size_t r)
{
	size_t n = nb_tape_nin(t, i);

	for (size_t k = 0; k < n; k++)
		blk->x[k] = input(blk, t, i, k)[r];
	return n;
}

static void forward_rows(struct nb_block *blk, const struct nb_tape *t,
			 size_t i, size_t m)
{
	double *v = nb_block_values(blk, i);
	enum nb_op op = (enum nb_op)t->op[i];

	for (size_t r = 0; r < m; r++)
		v[r] = nb_op_forward(op, blk->x, gather(blk, t, i, r));
}

/* The values of non-leaf node i for rows 0..m-1. */
static void forward_node(struct nb_block *blk, const struct nb_tape *t,
			 size_t i, size_t m)
{
	const double *pb = nb_tape_nin(t, i) > 1 ? input(blk, t, i, 1) : NULL;

	if (nb_oploop_forward((enum nb_op)t->op[i], nb_block_values(blk, i),
			      input(blk, t, i, 0), 1, pb, 1, m))
		forward_rows(blk, t, i, m);
}

/* One row: a loop of one element per node costs more to set up than to
 * run, so the op goes through ops.def's FORWARD directly (the same
 * expression: the same results).  The arrays are locals: a store to x
 * could otherwise change the tape's pointers, which the loop would then
 * load again for every input. */
static void forward_one(struct nb_block *blk, const struct nb_tape *t)
{
	const unsigned char *op = t->op;
	const uint32_t *first = t->first, *in = t->in;
	double *v = blk->value, *x = blk->x;

	for (size_t i = 0, n = t->n; i < n; i++) {
		size_t e = first[i], nin = first[i + 1] - e;
		if (nb_ops[op[i]].kind == NB_LEAF)
			continue;
		for (size_t k = 0; k < nin; k++)
			x[k] = v[in[e + k]];
		v[i] = nb_op_forward((enum nb_op)op[i], x, nin);
	}
}

void nb_block_forward(struct nb_block *blk, const struct nb_tape *t, size_t m)
{
	if (blk->rows == 1 && m == 1) {
		forward_one(blk, t);
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		if (nb_ops[t->op[i]].kind != NB_LEAF)
			forward_node(blk, t, i, m);
}

/* Where node i's local gradients go: one row per input, rows apart. */
static double *node_locals(const struct nb_block *blk,
			   const struct nb_tape *t, size_t i)
{
	return blk->keep ? blk->local + t->first[i] * blk->rows : blk->local;
}

static void locals_rows(struct nb_block *blk, const struct nb_tape *t,
			size_t i, size_t m)
{
	enum nb_op op = (enum nb_op)t->op[i];
	double *l = blk->x + t->maxin, *pl = node_locals(blk, t, i);
	size_t n;

	for (size_t r = 0; r < m; r++) {
		n = gather(blk, t, i, r);
		nb_op_locals(op, blk->x, n, nb_block_values(blk, i)[r], l);
		for (size_t k = 0; k < n; k++)
			pl[k * blk->rows + r] = l[k];
	}
}

/* Whether the reverse pass computes the edge from node j. */
static int wanted(const struct nb_block *blk, size_t j)
{
	return !blk->active || blk->active[j];
}

/* The local gradients of non-leaf node i's edges for rows 0..m-1. */
static void locals_node(struct nb_block *blk, const struct nb_tape *t,
			size_t i, size_t m)
{
	size_t nin = nb_tape_nin(t, i);
	const double *pb = nin > 1 ? input(blk, t, i, 1) : NULL;
	unsigned want = (unsigned)wanted(blk, t->in[t->first[i]]) |
			(nin > 1 ? (unsigned)wanted(blk, t->in[t->first[i] + 1])
				       << 1 : 0);

	if (nb_oploop_locals((enum nb_op)t->op[i], want,
			     node_locals(blk, t, i), blk->rows,
			     input(blk, t, i, 0), 1, pb, 1,
			     nb_block_values(blk, i), m))
		locals_rows(blk, t, i, m);
}

/* The reverse pass in a block of one row that keeps no local gradient:
 * for each node, ops.def's LOCAL for every input at once, in the
 * scratch row (nothing reads those of an unwanted input), then the
 * downstream gradients of the wanted ones, as nb_oploop_add_down adds
 * one.  The arrays are locals, as in forward_one. */
static void reverse_one(struct nb_block *blk, const struct nb_tape *t)
{
	const unsigned char *op = t->op;
	const uint32_t *first = t->first, *in = t->in;
	const double *v = blk->value;
	double *g = blk->grad, *x = blk->x, *l = blk->local;

	for (size_t i = t->n; i-- > 0;) {
		size_t e = first[i], nin = first[i + 1] - e;
		if (nb_ops[op[i]].kind == NB_LEAF || !wanted(blk, i))
			continue;
		for (size_t k = 0; k < nin; k++)
			x[k] = v[in[e + k]];
		nb_op_locals((enum nb_op)op[i], x, nin, v[i], l);
		for (size_t k = 0; k < nin; k++)
			if (wanted(blk, in[e + k]))
				g[in[e + k]] += nb_downstream(g[i], l[k]);
	}
}

void nb_block_reverse(struct nb_block *blk, const struct nb_tape *t,
		      size_t output, size_t m)
{
	size_t rows = blk->rows;

	memset(blk->grad, 0, t->n * rows * sizeof *blk->grad);
	for (size_t r = 0; r < m; r++)
		blk->grad[output * rows + r] = 1;
	if (rows == 1 && m == 1 && !blk->keep) {
		reverse_one(blk, t);
		return;
	}
	for (size_t i = t->n; i-- > 0;) {
		size_t first = t->first[i];
		const double *pl;
		if (nb_ops[t->op[i]].kind == NB_LEAF || !wanted(blk, i))
			continue;
		locals_node(blk, t, i, m);
		pl = node_locals(blk, t, i);
		for (size_t e = first; e < t->first[i + 1]; e++)
			if (wanted(blk, t->in[e]))
				nb_oploop_add_down(blk->grad + t->in[e] * rows,
						   blk->grad + i * rows,
						   pl + (e - first) * rows, m);
	}
}

void nb_block_inputs_only(struct nb_block *blk, const struct nb_tape *t)
{
	blk->active = t->dep;
}

void nb_block_row(const struct nb_block *blk, struct nb_tape *t, size_t r)
{
	size_t rows = blk->rows;

	if (!blk->own)
		return;
	for (size_t i = 0; i < t->n; i++) {
		t->value[i] = blk->value[i * rows + r];
		t->grad[i] = blk->grad[i * rows + r];
	}
	for (size_t e = 0; blk->keep && e < t->nedge; e++)
		t->local[e] = blk->local[e * rows + r];
}

void nb_block_row_result(const struct nb_block *blk, struct nb_tape *t,
			 size_t r, size_t out, const uint32_t *node, size_t n)
{
	if (!blk->own)
		return;
	t->value[out] = blk->value[out * blk->rows + r];
	for (size_t k = 0; k < n; k++)
		t->grad[node[k]] = blk->grad[node[k] * blk->rows + r];
}
