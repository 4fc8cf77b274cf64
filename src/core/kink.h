/* kink.h - where the functions of the op table are not smooth.
 *
 * relu, abs, max, min and hypot have kinks, sign, floor and ceil jump,
 * and atan2 jumps across its branch cut.  Each is smooth on pieces; a
 * node's branch names the piece it is on at a point, as a number that
 * only nb_kink_crossed interprets.  A central difference between two
 * points where no node crossed from one piece to another is the
 * difference of one smooth function; otherwise it straddles a kink or a
 * jump and says nothing about the gradient there.
 *
 * This knowledge belongs in a column of ops.def; it lives here until the
 * table has one. */
#ifndef NABLA_KINK_H
#define NABLA_KINK_H

#include <stddef.h>

#include "core/ops.h"

/* Whether op has kinks or jumps at all. */
int nb_kink_capable(enum nb_op op);

/* The branch of a node of op with inputs x (n of them) and value v. */
double nb_kink_branch(enum nb_op op, const double *x, size_t n, double v);

/* Whether a node of op on branch b1 at one point and b2 at another has
 * a kink or a jump between them. */
int nb_kink_crossed(enum nb_op op, double b1, double b2);

#endif
