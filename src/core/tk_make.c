/* tk_make.c - the constructors: zeros, ones, eye, randn, rand.
 *
 * Their sizes are constants known at shape time (zeros(3, 2*n) with n
 * a constant too), so a program's shapes never depend on an input's
 * value.  randn and rand draw from the node's generator, restarted from
 * --seed at every forward sweep, in row-major order: the same program
 * gives the same numbers, on every machine (num/rng.h).  No input gets a
 * gradient, nor a second-order term. */
#include <string.h>

#include "core/tk_ops.h"
#include "core/tk_util.h"

/* (m) or (m, n) from the constant sizes of fn(m[, n]). */
static int sized(const char *fn, const struct nb_targ *in, size_t nin,
		 struct nb_shape *out, char *why)
{
	uint32_t d[NB_MAX_RANK];

	for (size_t k = 0; k < nin; k++)
		if (nb_tk_size_arg(fn, &in[k], 0, &d[k], why))
			return -1;
	*out = nin == 1 ? nb_shape_vector(d[0]) : nb_shape_matrix(d[0], d[1]);
	return 0;
}

/* The shape rules of each constructor, from its name. */
#define SIZED(id, fn)                                                      \
	static int id##_shape(int axis, const struct nb_targ *in,          \
			      size_t nin, struct nb_shape *out, char *why) \
	{                                                                  \
		(void)axis;                                                \
		return sized(fn, in, nin, out, why);                       \
	}
SIZED(zeros, "zeros")
SIZED(ones, "ones")
SIZED(randn, "randn")
SIZED(rand, "rand")
#undef SIZED

static int zeros_forward(const struct nb_tnode *nd, char *why)
{
	(void)why;
	memset(nd->v, 0, nb_tk_count(&nd->vs) * sizeof *nd->v);
	return 0;
}

static int ones_forward(const struct nb_tnode *nd, char *why)
{
	size_t n = nb_tk_count(&nd->vs);

	(void)why;
	for (size_t i = 0; i < n; i++)
		nd->v[i] = 1;
	return 0;
}

static int randn_forward(const struct nb_tnode *nd, char *why)
{
	size_t n = nb_tk_count(&nd->vs);

	(void)why;
	for (size_t i = 0; i < n; i++)
		nd->v[i] = nb_rng_normal(nd->rng);
	return 0;
}

static int rand_forward(const struct nb_tnode *nd, char *why)
{
	size_t n = nb_tk_count(&nd->vs);

	(void)why;
	for (size_t i = 0; i < n; i++)
		nd->v[i] = nb_rng_uniform(nd->rng);
	return 0;
}

static int eye_shape(int axis, const struct nb_targ *in, size_t nin,
		     struct nb_shape *out, char *why)
{
	uint32_t n;

	(void)axis;
	(void)nin;
	if (nb_tk_size_arg("eye", &in[0], 0, &n, why))
		return -1;
	*out = nb_shape_matrix(n, n);
	return 0;
}

static int eye_forward(const struct nb_tnode *nd, char *why)
{
	size_t n = nd->vs.dim[0];

	zeros_forward(nd, why);
	for (size_t i = 0; i < n; i++)
		nd->v[i * n + i] = 1;
	return 0;
}

const struct nb_tk nb_tk_ZEROS = { zeros_shape, NULL, zeros_forward,
				   nb_tk_no_grad, nb_tk_no_tangent, NULL };
const struct nb_tk nb_tk_ONES = { ones_shape, NULL, ones_forward,
				  nb_tk_no_grad, nb_tk_no_tangent, NULL };
const struct nb_tk nb_tk_EYE = { eye_shape, NULL, eye_forward,
				 nb_tk_no_grad, nb_tk_no_tangent, NULL };
const struct nb_tk nb_tk_RANDN = { randn_shape, NULL, randn_forward,
				   nb_tk_no_grad, nb_tk_no_tangent, NULL };
const struct nb_tk nb_tk_RAND = { rand_shape, NULL, rand_forward,
				  nb_tk_no_grad, nb_tk_no_tangent, NULL };
