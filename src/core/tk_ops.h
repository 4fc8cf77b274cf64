/* tk_ops.h - what each tensor op's file gives the dispatcher (tkernel.c):
 * one struct nb_tk per TOP row of ops.def, named nb_tk_ID. */
#ifndef NABLA_TK_OPS_H
#define NABLA_TK_OPS_H

#include "core/tkernel.h"

struct nb_tk {
	int (*shape)(int axis, const struct nb_targ *in, size_t nin,
		     struct nb_shape *out, char *why);
	size_t (*work)(const struct nb_tnode *n);       /* NULL: none */
	int (*forward)(const struct nb_tnode *n, char *why);
	void (*vjp)(const struct nb_tnode *n, size_t k, double *da);
	void (*jvp)(const struct nb_tnode *n, double *dt);
	/* nb_tkernel_vjp2's term; NULL where the VJP does not depend on
	 * the inputs' values (linear ops, the routing of max and min). */
	void (*vjp2)(const struct nb_tnode *n, const double *vt, size_t k,
		     double *da);
};

#define TOP(id, name, kind, sym, fn, arity, axis, sum, rule) \
	extern const struct nb_tk nb_tk_##id;
#include "core/ops.def"
#undef TOP

#endif
