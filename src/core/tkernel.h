/* tkernel.h - the tensor ops (TOP rows of ops.def): shape rules, forward
 * kernels and vector-Jacobian products.
 *
 * The sweeps (core/tsweep.c) call these for every node whose op is a
 * tensor op; elementwise ops never come here.  A kernel sees its node
 * through struct nb_tnode: the inputs' elements and shapes, its own
 * value and, in the reverse sweep, its upstream gradient.  No kernel
 * allocates: what one needs beyond its output it asks for once, through
 * nb_tkernel_work, and gets in n->work.  No Jacobian is ever formed: a
 * VJP maps the upstream gradient straight to an input's downstream
 * gradient (matrix products as single nb_gemm calls with transpose
 * flags, core/gemm.h), a JVP (forward mode) the inputs' tangents
 * straight to the node's, and a VJP's second-order term (Hessian-vector
 * products) the tangents and the upstream gradient straight to an
 * input's. */
#ifndef NABLA_TKERNEL_H
#define NABLA_TKERNEL_H

#include <stddef.h>

#include "core/ops.h"
#include "core/shape.h"
#include "num/rng.h"

struct nb_tfault;       /* core/tape.h */

/* One input of a node. */
struct nb_targ {
	const double *x;        /* its elements; at shape time only the
				 * value of a constant scalar input (a
				 * constructor's size), else NULL */
	struct nb_shape s;
	const char *name;       /* how messages call it: its name or text,
				 * escaped, maybe shortened ("W", "x + 1");
				 * for the first three inputs only, ""
				 * for the others and in the reverse sweep */
	const double *t;        /* tangent sweep: its tangent, of shape s */
	int trans;              /* a matrix product's matrix operand x.T
				 * folded in: x is stored as the transpose
				 * of s, and the VJP gives the gradient of
				 * that x (core/tsweep.c) */
};

struct nb_tnode {
	enum nb_op op;
	int axis;               /* the node's attribute: axis= as
				 * nb_attr_of_axis (core/shape.h) records
				 * it; nb_axis_of_attr reads it */
	const struct nb_targ *in;
	size_t nin;
	double *v;              /* the node's value */
	struct nb_shape vs;     /* and its shape */
	const double *dv;       /* reverse sweep: d(output)/d(node), vs */
	double *work;           /* nb_tkernel_work elements of scratch */
	struct nb_rng *rng;     /* randn and rand draw from it, in order */
	struct nb_tfault *fault;        /* forward: a kernel that fails on
					 * an input's element sets in and
					 * elem (NULL: nobody asks) */
};

/* Enough for any message of a shape rule or forward kernel. */
#define NB_TKERNEL_WHY 200

/* The shape of the node from its inputs' shapes (and the values of
 * constant scalar inputs where the shape depends on them: zeros(3, 4)).
 * Returns 0 with *out set, or -1 with why (NB_TKERNEL_WHY bytes) saying
 * what is wrong in the words of SPEC §9, naming the inputs by their
 * names: "'@' needs inner dimensions to agree: W is 5x10, x is 3". */
int nb_tkernel_shape(enum nb_op op, int axis, const struct nb_targ *in,
		     size_t nin, struct nb_shape *out, char *why);

/* Scratch elements the node's kernels need (0 for most). */
size_t nb_tkernel_work(const struct nb_tnode *n);

/* n->v = the node's value.  Returns 0, or -1 with why set when an input's
 * value makes it impossible: an index that is out of range or not an
 * integer ("index 7 is out of range for x of length 4"), that index's
 * input and element then in *n->fault. */
int nb_tkernel_forward(const struct nb_tnode *n, char *why);

/* The VJP rule of op in the language (ops.def's RULE: per input, ';'
 * apart) for inputs of these shapes: a @ b's depends on its operands'
 * ranks (for W @ x, dW = outer(dv, x)). */
const char *nb_tkernel_rule(enum nb_op op, const struct nb_shape *in,
			    size_t nin);

/* The rule of a @ b for these shapes (tk_linalg.c). */
const char *nb_matmul_rule(const struct nb_shape *a,
			   const struct nb_shape *b);

/* da = the downstream gradient of input k (of shape n->in[k].s), from
 * n->dv; overwrites da.  An input that is an index gets zeros. */
void nb_tkernel_vjp(const struct nb_tnode *n, size_t k, double *da);

/* dt = the node's tangent (shape n->vs) from its inputs' values and
 * tangents (n->in[k].t); overwrites dt.  Indices and sizes carry no
 * tangent: their tangents are not read. */
void nb_tkernel_jvp(const struct nb_tnode *n, double *dt);

/* Second order (core/thessian.h): da = the derivative of input k's VJP
 * along the inputs' tangents n->in[j].t with the upstream gradient
 * n->dv held fixed, vt being the node's tangent (nb_tkernel_jvp's).
 * The reverse sweep of gradient tangents adds it to the VJP of the
 * upstream gradient's tangent.  Returns 1 having overwritten da, or 0
 * without touching it where the term is 0 for every input: the VJP does
 * not depend on the inputs' values (a linear op, the routing of max). */
int nb_tkernel_vjp2(const struct nb_tnode *n, const double *vt, size_t k,
		    double *da);

#endif
