/* tk_util.h - what several tensor kernels share: element counts, the
 * zero gradient of an input that gets none, the constant sizes of
 * constructors and onehot, and reading an index from a value. */
#ifndef NABLA_TK_UTIL_H
#define NABLA_TK_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/tkernel.h"

/* The number of elements of s (the shape pass has checked it fits). */
size_t nb_tk_count(const struct nb_shape *s);

/* A VJP for inputs that are not differentiated (sizes, indices): da = 0
 * in the shape of input k. */
void nb_tk_no_grad(const struct nb_tnode *n, size_t k, double *da);

/* A JVP for what no input's tangent moves (constructors, onehot):
 * dt = 0 in the node's shape. */
void nb_tk_no_tangent(const struct nb_tnode *n, double *dt);

/* A size argument of fn that must be known at shape time: a constant
 * scalar that is an integer of at least min.  Returns 0 with *size set,
 * or -1 with why ("zeros needs constant sizes, such as 3 or 2*4: m is
 * not constant"). */
int nb_tk_size_arg(const char *fn, const struct nb_targ *a, uint32_t min,
		   uint32_t *size, char *why);

/* Says in nd->fault (when asked) that element elem of input k is what
 * the kernel failed on; returns -1, for the kernel to return. */
int nb_tk_fault(const struct nb_tnode *nd, size_t k, size_t elem);

/* The element an index value v picks on an axis of len elements,
 * counting from the end when v is negative and from_end is set.
 * Returns 0 with *at set, or -1 with why: "index 1.5 is not an
 * integer", or "index 7 is out of range for " followed by whose, a
 * printf format and its arguments ("%s of length %lu"). */
int nb_tk_index(double v, uint32_t len, int from_end, size_t *at, char *why,
		const char *whose, ...) __attribute__((format(printf, 6, 7)));

#endif
