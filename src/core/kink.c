/* kink.c - branches of the functions that are smooth only on pieces. */
#include "core/kink.h"

int nb_kink_capable(enum nb_op op)
{
	switch (op) {
	case NB_OP_RELU: case NB_OP_ABS: case NB_OP_SIGN: case NB_OP_FLOOR:
	case NB_OP_CEIL: case NB_OP_MAX: case NB_OP_MIN: case NB_OP_ATAN2:
	case NB_OP_HYPOT:
		return 1;
	default:
		return 0;
	}
}

/* The position of the argument max and min route to. */
static double routed(const double *x, size_t n, double v)
{
	for (size_t k = 0; k < n; k++)
		if (x[k] == v)
			return (double)k;
	return -1;
}

double nb_kink_branch(enum nb_op op, const double *x, size_t n, double v)
{
	switch (op) {
	case NB_OP_RELU: case NB_OP_ABS:
		return nb_sign(x[0]);
	case NB_OP_SIGN: case NB_OP_FLOOR: case NB_OP_CEIL:
		/* A jump changes the value itself. */
		return v;
	case NB_OP_MAX: case NB_OP_MIN:
		return routed(x, n, v);
	case NB_OP_ATAN2:
		/* The cut is the negative x axis (b < 0), where a = +0 gives
		 * pi and a = -0 gives -pi. */
		return x[1] < 0 ? (signbit(x[0]) ? -1 : 1) : 0;
	case NB_OP_HYPOT:
		/* Both signs, in balanced ternary: the cone's tip is crossed
		 * only when both change sign together (b staying 0 while a
		 * changes sign is hypot(a, 0) = |a| crossing 0). */
		return nb_sign(x[0]) + 3 * nb_sign(x[1]);
	default:
		return 0;
	}
}

int nb_kink_crossed(enum nb_op op, double b1, double b2)
{
	switch (op) {
	case NB_OP_RELU: case NB_OP_ABS: case NB_OP_ATAN2:
		/* Opposite sides, not merely touching the kink at an end:
		 * each piece is smooth up to and including the kink. */
		return b1 * b2 < 0;
	case NB_OP_HYPOT:
		return b1 != 0 && b1 == -b2;
	default:
		return !(b1 == b2 || (isnan(b1) && isnan(b2)));
	}
}
