/* hessian_mode.c - --hessian and --hvp: the second-order sweeps, then
 * their report.
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
 * --hvp writes the columns grad, v and Hv instead, and says how H.v comes
 * without H: it is the derivative of grad f . v.  Rows are the inputs of
 * --wrt, all by default.  A program with vectors or matrices has a row
 * per input element (thessian_mode.c). */
#include "modes/modes.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hessian.h"
#include "core/thessian.h"
#include "core/tvals.h"
#include "num/numfmt.h"
#include "output/grid.h"

static const char *const hvp_cols[] = { "input", "grad", "v", "Hv" };

struct hess {
	const struct nb_program *p;
	const size_t *wrt;      /* the inputs of the rows */
	const double *v;        /* --hvp: the vector, else NULL */
	double *h;              /* --hessian: nrows x nrows; --hvp: H.v */
	size_t nrows;
};

static struct nb_col col(const void *ctx, size_t c)
{
	const struct hess *h = ctx;

	if (h->v || c < 2)
		return (struct nb_col){ "", hvp_cols[c], strlen(hvp_cols[c]),
					0, 0 };
	return nb_grid_varcol(h->p, h->wrt[c - 2], "d/d");
}

static size_t text(const void *ctx, size_t r, size_t c, char *buf,
		   size_t width)
{
	const struct hess *h = ctx;
	size_t len;
	const char *s = nb_node_name(h->p, h->p->vars[h->wrt[r]], &len);

	(void)c;
	if (len > width)
		len = width;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return len;
}

static double num(const void *ctx, size_t r, size_t c)
{
	const struct hess *h = ctx;
	size_t var = h->wrt[r];

	if (c == 0)
		return h->p->tape.grad[h->p->vars[var]];
	if (!h->v)
		return h->h[r * h->nrows + c - 1];
	return c == 1 ? h->v[var] : h->h[var];
}

static void cost(struct nb_out *o, const struct hess *h, int json)
{
	size_t k = h->v ? 1 : h->nrows, n = h->p->tape.n;

	if (json)
		nb_out_printf(o, ",\n \"cost\": {\"products\": %zu, \"sweeps\": "
			      "%zu, \"visits\": %zu}", k, 2 * k, 2 * k * n);
	else if (h->v)
		nb_out_printf(o, "cost: 1 Hessian-vector product: 1 tangent and "
			      "1 reverse sweep, %zu node visits\n", 2 * n);
	else
		nb_out_printf(o, "cost: %zu Hessian-vector product%s, each 1 "
			      "tangent and 1 reverse sweep:\n      %zu sweeps, "
			      "%zu node visits\n", k, k == 1 ? "" : "s", 2 * k,
			      2 * k * n);
}

/* Writes the report of h through the sink of spec->format.  Returns 0,
 * or -1 when out of memory. */
static int report(struct nb_out *o, const struct hess *h,
		  const struct nb_outspec *spec)
{
	const struct nb_program *p = h->p;
	struct nb_grid g = { h->nrows, 1, h->v ? 3 : 1 + h->nrows, h, col,
			     text, num, 0 };
	size_t olen;
	const char *oname = nb_program_outname(p, &olen);
	char buf[NB_NUMBUF];
	int typed = nb_sink_typed(spec->format);

	if (typed) {
		nb_out_puts(o, "{\"output\": ");
		nb_json_string(o, oname, olen);
		nb_out_puts(o, ", \"value\": ");
		nb_json_number(o, p->tape.value[p->output]);
		cost(o, h, 1);
		nb_out_puts(o, h->v ? ",\n \"hvp\": " : ",\n \"hessian\": ");
	}
	if (nb_write_grid(o, &g, spec))
		return -1;
	if (typed) {
		nb_out_puts(o, "}\n");
	} else if (nb_format_human(spec->format)) {
		nb_fmt_human(buf, p->tape.value[p->output], spec->precision);
		nb_out_printf(o, "\n%.*s = %s\n", (int)olen, oname, buf);
		if (h->v)
			nb_out_printf(o, "H.v = d/dx [grad %.*s . v], the "
				      "gradient's derivative along v, without "
				      "forming H\n", (int)olen, oname);
		cost(o, h, 0);
	}
	return 0;
}

/* Computes the Hessian over h->wrt, or H.v, into a new h->h (no
 * output).  Returns 0, or -1 when out of memory. */
static int compute(struct nb_program *p, struct hess *h)
{
	size_t m = h->nrows ? h->nrows : 1, nv = p->nvars ? p->nvars : 1;
	struct nb_dual d;
	double *unit = nb_malloc(nv * sizeof *unit);
	int r = -1;

	if (h->v)
		h->h = nb_malloc(nv * sizeof *h->h);
	else if (m <= SIZE_MAX / sizeof *h->h / m)
		h->h = nb_malloc(m * m * sizeof *h->h);
	if (h->h && unit && nb_dual_init(&d, p) == 0) {
		/* --upstream scaled the gradient the sweeps left */
		d.seed = p->tape.grad[p->output];
		for (size_t k = 0; k < p->nvars; k++)
			unit[k] = 0;
		r = h->v ? nb_hvp_sweep(p, h->v, &d)
			 : nb_hessian(p, h->wrt, h->nrows, unit, &d, h->h);
		for (size_t k = 0; h->v && r == 0 && k < p->nvars; k++)
			h->h[k] = d.gtan[p->vars[k]];
		nb_dual_free(&d);
	}
	nb_free(unit);
	if (r) {
		nb_free(h->h);
		h->h = NULL;
	}
	return r;
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
			h->v ? i : h->wrt[i / cols]], &len);
		const char *name2 = nb_node_name(h->p, h->p->vars[
			h->v ? i : h->wrt[i % cols]], &len2);
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
	struct hess h = { p, spec->wrt, v, NULL, spec->nwrt };
	char buf[NB_OUT_SMALL];
	struct nb_out o;
	int r;

	if (compute(p, &h))
		return -1;
	nb_out_init(&o, out, buf, sizeof buf);
	r = report(&o, &h, spec);
	nb_out_close(&o);
	if (r == 0)
		r = second_order_warning(&h);
	nb_free(h.h);
	return r;
}

static int run(const struct nb_mode_call *c)
{
	int r = c->p->tape.tv
		? nb_thessian_report(c->out, c->p, c->spec, c->dir)
		: nb_hessian_report(c->out, c->p, c->spec, c->dir);

	return r == 1 ? NB_RUN_WARNED : r;
}

/* --batch --hvp: H.v in columns laid out as the gradient's, headed
 * hvp/dNAME (hvp/dW[1,2] per element of a vector or matrix, a nested
 * array in JSON Lines), from the gradients' tangents the sweep leaves. */
static int hvp_init(struct nb_mode_batch *m)
{
	const struct nb_program *p = m->p;
	const struct nb_tvals *tv = p->tape.tv;
	int r = tv ? nb_tdual_init(&m->tdual, p) : nb_dual_init(&m->dual, p);

	m->gx = nb_malloc((m->nwrt ? m->nwrt : 1) * sizeof *m->gx);
	if (r || !m->gx)
		return -1;
	for (size_t k = 0; k < m->nwrt; k++) {
		size_t i = p->vars[m->wrt[k]];
		m->gx[k] = tv ? m->tdual.gtan + tv->off[i] : m->dual.gtan + i;
	}
	m->gpre = "hvp/d";
	return 0;
}

static int hvp_row(struct nb_mode_batch *m)
{
	if (m->p->tape.tv) {
		nb_thvp_sweep(m->p, m->dir, &m->tdual);
		return 0;
	}
	return nb_hvp_sweep(m->p, m->dir, &m->dual);
}

const struct nb_mode_ops nb_hessian_mode = { run, NULL, NULL };
const struct nb_mode_ops nb_hvp_mode = { run, hvp_init, hvp_row };
