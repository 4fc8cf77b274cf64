/* tk_table.c - the tensor ops' entry points (tkernel.h): a table by op. */
#include "core/tkernel.h"

#include "core/tk_ops.h"

static const struct nb_tk *const kernels[NB_OP_COUNT - NB_OP_NELEM] = {
#define TOP(id, name, kind, sym, fn, arity, axis, sum, rule) &nb_tk_##id,
#include "core/ops.def"
#undef TOP
};

static const struct nb_tk *kernel(enum nb_op op)
{
	return kernels[op - NB_OP_NELEM];
}

int nb_tkernel_shape(enum nb_op op, int axis, const struct nb_targ *in,
		     size_t nin, struct nb_shape *out, char *why)
{
	return kernel(op)->shape(axis, in, nin, out, why);
}

size_t nb_tkernel_work(const struct nb_tnode *n)
{
	const struct nb_tk *k = kernel(n->op);

	return k->work ? k->work(n) : 0;
}

int nb_tkernel_forward(const struct nb_tnode *n, char *why)
{
	return kernel(n->op)->forward(n, why);
}

const char *nb_tkernel_rule(enum nb_op op, const struct nb_shape *in,
			    size_t nin)
{
	if (op == NB_OP_MATMUL && nin == 2)
		return nb_matmul_rule(&in[0], &in[1]);
	return nb_ops[op].rule;
}

void nb_tkernel_vjp(const struct nb_tnode *n, size_t k, double *da)
{
	kernel(n->op)->vjp(n, k, da);
}

void nb_tkernel_jvp(const struct nb_tnode *n, double *dt)
{
	kernel(n->op)->jvp(n, dt);
}

int nb_tkernel_vjp2(const struct nb_tnode *n, const double *vt, size_t k,
		    double *da)
{
	const struct nb_tk *kn = kernel(n->op);

	if (!kn->vjp2)
		return 0;
	kn->vjp2(n, vt, k, da);
	return 1;
}
