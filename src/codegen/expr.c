/* expr.c - building simplified, shared expressions (see expr.h). */
#include "codegen/expr.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

/* Arguments of one node, at most (folding needs their values too). */
#define MAXFOLD 64

void nb_expr_init(struct nb_expr *e)
{
	memset(e, 0, sizeof *e);
}

void nb_expr_free(struct nb_expr *e)
{
	nb_free(e->op);
	nb_free(e->first);
	nb_free(e->num);
	nb_free(e->ref);
	nb_free(e->arg);
	nb_free(e->slot);
	nb_expr_init(e);
}

static uint64_t hash(enum nb_op op, double num, uint32_t ref,
		     const uint32_t *args, size_t n)
{
	uint64_t h = 1469598103934665603u ^ (uint64_t)op, bits;

	memcpy(&bits, &num, sizeof bits);
	h = (h ^ bits) * 1099511628211u;
	h = (h ^ ref) * 1099511628211u;
	for (size_t k = 0; k < n; k++)
		h = (h ^ args[k]) * 1099511628211u;
	return h ^ (h >> 29);
}

static int same(const struct nb_expr *e, uint32_t i, enum nb_op op,
		double num, uint32_t ref, const uint32_t *args, size_t n)
{
	return e->op[i] == op && nb_expr_nargs(e, i) == n &&
	       memcmp(&e->num[i], &num, sizeof num) == 0 && e->ref[i] == ref &&
	       (n == 0 || memcmp(e->arg + e->first[i], args,
				 n * sizeof *args) == 0);
}

/* Re-indexes every node into a table twice as large. */
static int rehash(struct nb_expr *e)
{
	size_t size = e->nslots ? 2 * e->nslots : 64;
	uint32_t *slot = nb_malloc(size * sizeof *slot);

	if (!slot)
		return -1;
	memset(slot, 0, size * sizeof *slot);
	for (uint32_t i = 0; i < e->n; i++) {
		size_t s = hash((enum nb_op)e->op[i], e->num[i], e->ref[i],
				e->arg + e->first[i], nb_expr_nargs(e, i)) &
			   (size - 1);
		while (slot[s])
			s = (s + 1) & (size - 1);
		slot[s] = i + 1;
	}
	nb_free(e->slot);
	e->slot = slot;
	e->nslots = size;
	return 0;
}

static int grow(struct nb_expr *e, size_t nargs)
{
	size_t c;

	if (e->n + 2 > e->cap) {
#define GROW(arr)                                                     \
	c = e->cap;                                                   \
	if (nb_grow((void **)&e->arr, &c, e->n + 2, sizeof *e->arr))  \
		return -1;
		GROW(op)
		GROW(first)
		GROW(num)
		GROW(ref)
#undef GROW
		e->cap = c;
	}
	if (nb_grow((void **)&e->arg, &e->edgecap, e->nedge + nargs + 1,
		    sizeof *e->arg))
		return -1;
	if (2 * (e->n + 1) > e->nslots && rehash(e))
		return -1;
	return 0;
}

/* The node (op, num, ref, args), found or made. */
static int intern(struct nb_expr *e, enum nb_op op, double num, uint32_t ref,
		  const uint32_t *args, size_t n, uint32_t *id)
{
	size_t s;

	if (e->n >= UINT32_MAX - 1 || grow(e, n))
		return -1;
	s = hash(op, num, ref, args, n) & (e->nslots - 1);
	for (; e->slot[s]; s = (s + 1) & (e->nslots - 1))
		if (same(e, e->slot[s] - 1, op, num, ref, args, n)) {
			*id = e->slot[s] - 1;
			return 0;
		}
	if (e->n == 0)
		e->first[0] = 0;
	e->op[e->n] = (unsigned char)op;
	e->num[e->n] = num;
	e->ref[e->n] = ref;
	if (n)
		memcpy(e->arg + e->nedge, args, n * sizeof *args);
	e->nedge += n;
	e->first[e->n + 1] = (uint32_t)e->nedge;
	e->slot[s] = (uint32_t)e->n + 1;
	*id = (uint32_t)e->n++;
	return 0;
}

int nb_expr_leaf(struct nb_expr *e, uint32_t ref, uint32_t *id)
{
	return intern(e, NB_OP_VAR, 0, ref, NULL, 0, id);
}

int nb_expr_const(struct nb_expr *e, double v, uint32_t *id)
{
	return intern(e, NB_OP_CONST, v, 0, NULL, 0, id);
}

static int op2(struct nb_expr *e, enum nb_op op, uint32_t a, uint32_t b,
	       uint32_t *id)
{
	uint32_t args[2] = { a, b };

	return nb_expr_op(e, op, args, 2, id);
}

static int op1(struct nb_expr *e, enum nb_op op, uint32_t a, uint32_t *id)
{
	return nb_expr_op(e, op, &a, 1, id);
}

static int is_neg(const struct nb_expr *e, uint32_t i)
{
	return e->op[i] == NB_OP_NEG;
}

static uint32_t arg0(const struct nb_expr *e, uint32_t i)
{
	return e->arg[e->first[i]];
}

/* Whether all n arguments are constants whose op gives a finite value;
 * then *v is that value. */
static int fold(const struct nb_expr *e, enum nb_op op, const uint32_t *args,
		size_t n, double *v)
{
	double x[MAXFOLD];

	if (n > MAXFOLD)
		return 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t a = args[k];
		int minus = is_neg(e, a);

		if (minus)
			a = arg0(e, a);
		if (e->op[a] != NB_OP_CONST)
			return 0;
		x[k] = minus ? -e->num[a] : e->num[a];
	}
	*v = nb_op_forward(op, x, n);
	return isfinite(*v);
}

/* -(x op y) for op *, / or mul0, given that one side carries a minus
 * sign. */
static int negated(struct nb_expr *e, enum nb_op op, uint32_t a, uint32_t b,
		   uint32_t *id)
{
	uint32_t t;

	return op2(e, op, a, b, &t) || op1(e, NB_OP_NEG, t, id) ? -1 : 0;
}

/* a op b for op *, / or mul0 with the minus signs of a and b moved
 * outwards; 1 when neither has one. */
static int signs_outwards(struct nb_expr *e, enum nb_op op, uint32_t a,
			  uint32_t b, uint32_t *id)
{
	if (is_neg(e, a) && is_neg(e, b))
		return op2(e, op, arg0(e, a), arg0(e, b), id);
	if (is_neg(e, a))
		return negated(e, op, arg0(e, a), b, id);
	if (is_neg(e, b))
		return negated(e, op, a, arg0(e, b), id);
	return 1;
}

/* a + b and a - b: drop zeros, turn x + -y into x - y. */
static int simplify_add(struct nb_expr *e, enum nb_op op, uint32_t a,
			uint32_t b, uint32_t *id)
{
	enum nb_op flip = op == NB_OP_ADD ? NB_OP_SUB : NB_OP_ADD;

	if (nb_expr_is(e, b, 0)) {
		*id = a;
		return 0;
	}
	if (nb_expr_is(e, a, 0))
		return op == NB_OP_ADD ? (*id = b, 0) : op1(e, NB_OP_NEG, b, id);
	if (is_neg(e, b))
		return op2(e, flip, a, arg0(e, b), id);
	if (op == NB_OP_ADD && is_neg(e, a))
		return op2(e, NB_OP_SUB, b, arg0(e, a), id);
	return 1;
}

/* a * b and a / b: drop ones, zero by zero, minus signs outwards. */
static int simplify_mul(struct nb_expr *e, enum nb_op op, uint32_t a,
			uint32_t b, uint32_t *id)
{
	if (nb_expr_is(e, a, 0) || (op == NB_OP_MUL && nb_expr_is(e, b, 0)))
		return nb_expr_const(e, 0, id);
	if (nb_expr_is(e, b, 1) || (op == NB_OP_MUL && nb_expr_is(e, a, 1))) {
		*id = nb_expr_is(e, b, 1) ? a : b;
		return 0;
	}
	if (nb_expr_is(e, b, -1) || (op == NB_OP_MUL && nb_expr_is(e, a, -1)))
		return op1(e, NB_OP_NEG, nb_expr_is(e, b, -1) ? a : b, id);
	return signs_outwards(e, op, a, b, id);
}

/* Whether node i is a number (or -number) other than 0, inf and nan. */
static int finite_nonzero(const struct nb_expr *e, uint32_t i)
{
	if (is_neg(e, i))
		i = arg0(e, i);
	return e->op[i] == NB_OP_CONST && isfinite(e->num[i]) &&
	       e->num[i] != 0;
}

/* mul0(a, b): 0 if either is 0; a * b if either is a nonzero finite
 * number, for then no 0 can meet an inf or nan; minus signs outwards. */
static int simplify_mul0(struct nb_expr *e, uint32_t a, uint32_t b,
			 uint32_t *id)
{
	if (nb_expr_is(e, a, 0) || nb_expr_is(e, b, 0))
		return nb_expr_const(e, 0, id);
	if (finite_nonzero(e, a) || finite_nonzero(e, b))
		return op2(e, NB_OP_MUL, a, b, id);
	return signs_outwards(e, NB_OP_MUL0, a, b, id);
}

/* An operand c < 0 of + - * / becomes -(|c|), unfolded, so that the
 * rules for minus signs see it. */
static int positive_const(struct nb_expr *e, uint32_t *x)
{
	uint32_t c;

	if (e->op[*x] != NB_OP_CONST || !(e->num[*x] < 0))
		return 0;
	if (nb_expr_const(e, -e->num[*x], &c) ||
	    intern(e, NB_OP_NEG, 0, 0, &c, 1, x))
		return -1;
	return 0;
}

static int arithmetic(enum nb_op op)
{
	return op == NB_OP_ADD || op == NB_OP_SUB || op == NB_OP_MUL ||
	       op == NB_OP_DIV;
}

/* The simplified form of op(args): 0 with *id, -1 when out of memory,
 * 1 when no rule applies. */
static int simplify(struct nb_expr *e, enum nb_op op, const uint32_t *args,
		    size_t n, uint32_t *id)
{
	uint32_t a = n > 0 ? args[0] : 0, b = n > 1 ? args[1] : 0;

	switch (op) {
	case NB_OP_POS:
		*id = a;
		return 0;
	case NB_OP_NEG:
		if (!is_neg(e, a))
			return 1;
		*id = arg0(e, a);
		return 0;
	case NB_OP_ADD: case NB_OP_SUB:
		return simplify_add(e, op, a, b, id);
	case NB_OP_MUL: case NB_OP_DIV:
		return simplify_mul(e, op, a, b, id);
	case NB_OP_MUL0:
		return simplify_mul0(e, a, b, id);
	case NB_OP_POW:
		if (nb_expr_is(e, b, 1)) {
			*id = a;
			return 0;
		}
		if (nb_expr_is(e, b, 0) || nb_expr_is(e, a, 1))
			return nb_expr_const(e, 1, id);
		return 1;
	default:
		return 1;
	}
}

int nb_expr_op(struct nb_expr *e, enum nb_op op, const uint32_t *args,
	       size_t nargs, uint32_t *id)
{
	uint32_t two[2];
	double v;
	int r;

	if (fold(e, op, args, nargs, &v))
		return nb_expr_const(e, v, id);
	if (arithmetic(op)) {
		two[0] = args[0];
		two[1] = args[1];
		if (positive_const(e, &two[0]) || positive_const(e, &two[1]))
			return -1;
		args = two;
	}
	r = simplify(e, op, args, nargs, id);
	return r <= 0 ? r : intern(e, op, 0, 0, args, nargs, id);
}

int nb_expr_raw(struct nb_expr *e, enum nb_op op, int32_t attr, uint32_t tag,
		const uint32_t *args, size_t nargs, uint32_t *id)
{
	return intern(e, op, (double)attr, tag, args, nargs, id);
}
