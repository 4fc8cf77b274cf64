/* hessian_mode.c - the reports of --hessian and --hvp.
 *
 *   input  grad  d/dx  d/dy  d/dz
 *   -----  ----  ----  ----  ----
 *   x        -4     0     0     1
 *   y        -4     0     0     1
 *   z         3     1     1     0
 *
 *   f = -12
 *   cost: 3 Hessian-vector products, each 1 tangent and 1 reverse sweep:
 *         6 sweeps, 30 node visits
 *
 * Row x holds df/dx and its derivatives, a row of the symmetric Hessian.
 * --hvp writes the columns grad, v and Hv instead.  Rows are the inputs
 * of --wrt, all by default. */
#include "modes/modes.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hessian.h"
#include "num/numfmt.h"
#include "output/grid.h"

static const char *const hvp_cols[] = { "input", "grad", "v", "Hv" };

struct hess {
	const struct nb_program *p;
	const struct nb_outspec *spec;
	const double *v;        /* --hvp: the vector, else NULL */
	const double *h;        /* --hessian: nwrt x nwrt; --hvp: H.v */
	size_t nrows;
};

static size_t head(const void *ctx, size_t c, char *buf)
{
	const struct hess *h = ctx;

	if (h->v || c < 2)
		return (size_t)sprintf(buf, "%s", hvp_cols[c]);
	return nb_grid_varname(h->p, h->spec->wrt[c - 2], "d/d", buf);
}

static size_t text(const void *ctx, size_t r, size_t c, char *buf,
		   size_t width)
{
	const struct hess *h = ctx;
	size_t len = nb_grid_varname(h->p, h->spec->wrt[r], "", buf);

	(void)c;
	if (len > width)
		buf[len = width] = '\0';
	return len;
}

static double num(const void *ctx, size_t r, size_t c)
{
	const struct hess *h = ctx;
	size_t var = h->spec->wrt[r];

	if (c == 0)
		return h->p->tape.grad[h->p->vars[var]];
	if (!h->v)
		return h->h[r * h->nrows + c - 1];
	return c == 1 ? h->v[var] : h->h[var];
}

static void cost(FILE *out, const struct hess *h, int json)
{
	size_t k = h->v ? 1 : h->nrows, n = h->p->tape.n;

	if (json)
		fprintf(out, ",\n \"cost\": {\"products\": %zu, \"sweeps\": %zu, "
			"\"visits\": %zu}", k, 2 * k, 2 * k * n);
	else if (h->v)
		fprintf(out, "cost: 1 Hessian-vector product: 1 tangent and 1 "
			"reverse sweep, %zu node visits\n", 2 * n);
	else
		fprintf(out, "cost: %zu Hessian-vector product%s, each 1 "
			"tangent and 1 reverse sweep:\n      %zu sweeps, %zu "
			"node visits\n", k, k == 1 ? "" : "s", 2 * k, 2 * k * n);
}

static int report(FILE *out, const struct hess *h, const struct nb_grid *g)
{
	const struct nb_program *p = h->p;
	size_t olen;
	const char *oname = nb_program_outname(p, &olen);
	char buf[NB_NUMBUF];

	if (h->spec->format == NB_FMT_JSON) {
		fputs("{\"output\": ", out);
		nb_json_string(out, oname, olen);
		fputs(", \"value\": ", out);
		nb_json_number(out, p->tape.value[p->output]);
		cost(out, h, 1);
		fputs(h->v ? ",\n \"hvp\": " : ",\n \"hessian\": ", out);
		nb_write_grid(out, g, h->spec);
		fputs("}\n", out);
		return 0;
	}
	if (nb_write_grid(out, g, h->spec))
		return -1;
	if (h->spec->format != NB_FMT_TABLE)
		return 0;
	nb_fmt_human(buf, p->tape.value[p->output], h->spec->precision);
	fprintf(out, "\n%.*s = %s\n", (int)olen, oname, buf);
	cost(out, h, 0);
	return 0;
}

/* Whether the point is finite to first order: every input, the value
 * and every first derivative (the domain warnings cover the others). */
static int finite_to_first_order(const struct nb_program *p)
{
	if (!isfinite(p->tape.value[p->output]))
		return 0;
	for (size_t k = 0; k < p->nvars; k++)
		if (!isfinite(p->tape.value[p->vars[k]]) ||
		    !isfinite(p->tape.grad[p->vars[k]]))
			return 0;
	return 1;
}

/* Warns about the first second-order number that is not finite at a
 * point finite to first order; returns 1 if it warned. */
static int second_order_warning(const struct hess *h)
{
	size_t rows = h->v ? h->p->nvars : h->nrows, cols = h->v ? 1 : rows;
	char num[NB_NUMBUF];

	if (!finite_to_first_order(h->p))
		return 0;
	for (size_t i = 0; i < rows * cols; i++) {
		size_t len, len2;
		const char *name = nb_node_name(h->p, h->p->vars[
			h->v ? i : h->spec->wrt[i / cols]], &len);
		const char *name2 = nb_node_name(h->p, h->p->vars[
			h->v ? i : h->spec->wrt[i % cols]], &len2);
		if (isfinite(h->h[i]))
			continue;
		nb_fmt_human(num, h->h[i], 6);
		if (h->v)
			fprintf(stderr, "nabla: warning: the entry of H.v for "
				"'%.*s' is %s", (int)len, name, num);
		else
			fprintf(stderr, "nabla: warning: the second derivative "
				"by '%.*s' and '%.*s' is %s", (int)len, name,
				(int)len2, name2, num);
		fputs(" although the inputs, the value and the gradient are "
		      "finite\n", stderr);
		return 1;
	}
	return 0;
}

int nb_hessian_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *v)
{
	struct hess h = { p, spec, v, NULL, spec->nwrt };
	struct nb_grid g = { h.nrows, 1, v ? 3 : 1 + h.nrows, &h, head, text,
			     num, 0 };
	size_t m = h.nrows ? h.nrows : 1, nv = p->nvars ? p->nvars : 1;
	struct nb_dual d;
	double *mat = NULL, *unit = nb_malloc(nv * sizeof *unit);
	int r = -1;

	if (v)
		mat = nb_malloc(nv * sizeof *mat);
	else if (m <= SIZE_MAX / sizeof *mat / m)
		mat = nb_malloc(m * m * sizeof *mat);
	if (mat && unit && nb_dual_init(&d, p) == 0) {
		for (size_t k = 0; k < p->nvars; k++)
			unit[k] = 0;
		r = v ? nb_hvp_sweep(p, v, &d)
		      : nb_hessian(p, spec->wrt, spec->nwrt, unit, &d, mat);
		for (size_t k = 0; v && r == 0 && k < p->nvars; k++)
			mat[k] = d.gtan[p->vars[k]];
		nb_dual_free(&d);
		h.h = mat;
		if (r == 0)
			r = report(out, &h, &g);
		if (r == 0)
			r = second_order_warning(&h);
	}
	nb_free(mat);
	nb_free(unit);
	return r;
}
