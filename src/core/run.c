/* run.c - running a program: the scalar sweeps, or the shaped ones. */
#include "core/program.h"

#include <string.h>

#include "core/sweep.h"
#include "core/tsweep.h"
#include "core/tvals.h"

int nb_program_shaped(const struct nb_program *p)
{
	for (size_t k = 0; p->tval && k < p->nvars; k++)
		if (p->tval[k].data)
			return 1;
	for (size_t i = 0; i < p->tape.n; i++)
		if (nb_op_is_tensor((enum nb_op)p->tape.op[i]))
			return 1;
	return 0;
}

/* --upstream's shape is not out, the output's. */
static int upstream_error(const struct nb_program *p,
			  const struct nb_tensor *up,
			  const struct nb_shape *out, struct nb_diag *d)
{
	char want[NB_SHAPE_BUF], got[NB_SHAPE_BUF];
	size_t len;
	const char *name = nb_program_outname(p, &len);

	return nb_error_plain(d, NB_EUSAGE,
			      "--upstream is %s, but the output %.*s is %s: "
			      "it must have the output's shape",
			      nb_shape_format(got, &up->shape),
			      (int)(len > 40 ? 40 : len), name,
			      nb_shape_format(want, out));
}

static int run_shaped(struct nb_program *p, const struct nb_tensor *up,
		      struct nb_diag *d)
{
	struct nb_tleaves leaves = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	struct nb_tvals *tv;
	int r;

	if ((!nb_tsweep_prepared(&p->tape, &leaves, !p->lean) &&
	     (r = nb_tsweep_prepare(&p->tape, &leaves, !p->lean,
				    p->src.text, d))) ||
	    (r = nb_tsweep_forward(&p->tape, &leaves, p->seed, p->src.text,
				   d)))
		return r;
	tv = p->tape.tv;
	if (up && !nb_shape_equal(&up->shape, &tv->shape[p->output]))
		return upstream_error(p, up, &tv->shape[p->output], d);
	if (!up && tv->shape[p->output].rank > 0)
		return 0;
	nb_tsweep_reverse(&p->tape, p->output, up ? up->data : NULL);
	return 0;
}

int nb_program_run(struct nb_program *p, const struct nb_tensor *upstream,
		   struct nb_diag *d)
{
	struct nb_shape scalar = nb_shape_scalar();

	if (nb_program_shaped(p))
		return run_shaped(p, upstream, d);
	if (upstream && upstream->shape.rank > 0)
		return upstream_error(p, upstream, &scalar, d);
	nb_forward(&p->tape, 0, p->tape.n);
	if (nb_reverse(&p->tape, p->output))
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	if (upstream)
		for (size_t i = 0; i < p->tape.n; i++)
			p->tape.grad[i] *= upstream->data[0];
	return 0;
}

int nb_program_has_grad(const struct nb_program *p)
{
	return !p->tape.tv || p->tape.tv->has_grad;
}
