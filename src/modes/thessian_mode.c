/* thessian_mode.c - --hessian and --hvp on a program with vectors or
 * matrices: Hessian-vector products on the shaped tape (core/
 * thessian.h), then their report, laid out as the scalar one
 * (hessian_mode.c) with a row per input element:
 *
 *   input   grad  d/dx[0]  d/dx[1]  d/dy
 *   -----  -----  -------  -------  ----
 *   x[0]       2        2        0     1
 *   ...
 *
 * The elements are the inputs' (of --wrt), each flattened row-major, in
 * turn: --hessian runs one product per element, so it refuses past
 * NB_HESSIAN_MAX_ELEMENTS of them and points to --hvp, which runs one
 * whatever their number and writes H.v in each input's shape too.  JSON
 * names an element as --check does: "input": "W", "index": [1, 2]. */
#include "modes/modes.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/thessian.h"
#include "core/tvals.h"
#include "num/numfmt.h"
#include "output/grid.h"
#include "output/ndfmt.h"

/* Room for an element's index: "[4294967295, ...]". */
#define INDEX_BUF (NB_MAX_RANK * 12 + 3)

/* Longest input name shown before the index. */
#define NAME_MAX_SHOWN 64

/* Room for an element's name, "W[1,2]", NUL included. */
#define ELEM_BUF (NAME_MAX_SHOWN + INDEX_BUF)

struct thess {
	const struct nb_program *p;
	const struct nb_tvals *tv;
	const double *v;        /* --hvp: the vector (every element of
				 * every input), else NULL */
	double *h;              /* --hessian: n x n; --hvp: H.v as v */
	size_t n;               /* rows: the elements of wrt's inputs */
	size_t all;             /* the elements of every input */
	size_t *var;            /* row r's input (index into vars) */
	size_t *elem;           /* row r's element of it */
	size_t *base;           /* input k's first element in v */
	char *names;            /* --hessian: column c's "W[1,2]" at
				 * names + noff[c] */
	size_t *noff;           /* n + 1 */
	int typed;              /* JSON: the name and the index apart */
};

/* Element e of shape s as "[1,2]", or in JSON "[1, 2]"; "" for a scalar
 * in a table, "[]" in JSON. */
static size_t index_text(char *buf, const struct nb_shape *s, size_t e,
			 int json)
{
	uint32_t idx[NB_MAX_RANK];
	size_t n = 0;

	buf[0] = '\0';
	if (s->rank == 0 && !json)
		return 0;
	for (int a = s->rank; a-- > 0; e /= s->dim[a])
		idx[a] = (uint32_t)(e % s->dim[a]);
	buf[n++] = '[';
	for (int a = 0; a < s->rank; a++)
		n += (size_t)sprintf(buf + n, "%s%lu", !a ? "" : json ? ", "
				     : ",", (unsigned long)idx[a]);
	buf[n++] = ']';
	buf[n] = '\0';
	return n;
}

static const struct nb_shape *shape_of(const struct thess *h, size_t r)
{
	return &h->tv->shape[h->p->vars[h->var[r]]];
}

/* Row r's input name, cut to NAME_MAX_SHOWN bytes. */
static const char *input_name(const struct thess *h, size_t r, size_t *len)
{
	const char *s = nb_node_name(h->p, h->p->vars[h->var[r]], len);

	if (*len > NAME_MAX_SHOWN)
		*len = NAME_MAX_SHOWN;
	return s;
}

/* Row r's element's name, "W[1,2]" ("x" for a scalar), into buf
 * (ELEM_BUF bytes, NUL terminated); returns its length. */
static size_t elem_name(const struct thess *h, size_t r, char *buf)
{
	size_t len;
	const char *s = input_name(h, r, &len);

	memcpy(buf, s, len);
	return len + index_text(buf + len, shape_of(h, r), h->elem[r], 0);
}

/* --hessian's column names: the rows' names, which the grid's columns
 * keep.  Returns 0, or -1 when out of memory. */
static int names(struct thess *h)
{
	char buf[ELEM_BUF];

	h->noff = nb_malloc((h->n + 1) * sizeof *h->noff);
	h->names = nb_malloc((h->n ? h->n : 1) * ELEM_BUF);
	if (!h->noff || !h->names)
		return -1;
	h->noff[0] = 0;
	for (size_t r = 0; r < h->n; r++) {
		size_t len = elem_name(h, r, buf);
		memcpy(h->names + h->noff[r], buf, len);
		h->noff[r + 1] = h->noff[r] + len;
	}
	return 0;
}

/* The rows: each element of each input of wrt, and --hessian's column
 * names.  Returns 0, or -1 when out of memory. */
static int rows(struct thess *h, const size_t *wrt, size_t nwrt)
{
	const struct nb_program *p = h->p;
	size_t r = 0;

	h->n = 0;
	for (size_t k = 0; k < nwrt; k++)
		h->n += h->tv->size[p->vars[wrt[k]]];
	h->var = nb_malloc((h->n ? h->n : 1) * sizeof *h->var);
	h->elem = nb_malloc((h->n ? h->n : 1) * sizeof *h->elem);
	h->base = nb_malloc((p->nvars ? p->nvars : 1) * sizeof *h->base);
	if (!h->var || !h->elem || !h->base)
		return -1;
	h->all = 0;
	for (size_t k = 0; k < p->nvars; k++) {
		h->base[k] = h->all;
		h->all += h->tv->size[p->vars[k]];
	}
	for (size_t k = 0; k < nwrt; k++)
		for (size_t e = 0; e < h->tv->size[p->vars[wrt[k]]]; e++, r++) {
			h->var[r] = wrt[k];
			h->elem[r] = e;
		}
	return h->v ? 0 : names(h);
}

/* Where row r's element is in the values (and gradients, tangents). */
static size_t at_of(const struct thess *h, size_t r)
{
	return h->tv->off[h->p->vars[h->var[r]]] + h->elem[r];
}

/* ---- the products ---- */

/* One product per row into h->h, each with v the row's unit vector;
 * unit has every element of every input, all 0 (and left so). */
static void hessian(struct thess *h, struct nb_tdual *d, double *unit)
{
	struct nb_program *p = (struct nb_program *)h->p;

	for (size_t r = 0; r < h->n; r++) {
		size_t u = h->base[h->var[r]] + h->elem[r];
		unit[u] = 1;
		nb_thvp_sweep(p, unit, d);
		unit[u] = 0;
		for (size_t c = 0; c < h->n; c++)
			h->h[r * h->n + c] = d->gtan[at_of(h, c)];
	}
}

/* Computes the Hessian over the rows, or H.v, into a new h->h (no
 * output).  Returns 0, or -1 when out of memory. */
static int compute(struct thess *h)
{
	struct nb_program *p = (struct nb_program *)h->p;
	size_t all = h->all;
	struct nb_tdual d;
	double *unit = NULL;
	int r = -1;

	if (h->v)
		h->h = nb_malloc((all ? all : 1) * sizeof *h->h);
	else if (h->n <= SIZE_MAX / sizeof *h->h / (h->n ? h->n : 1))
		h->h = nb_malloc((h->n ? h->n * h->n : 1) * sizeof *h->h);
	if (!h->v)
		unit = nb_malloc((all ? all : 1) * sizeof *unit);
	if (h->h && (h->v || unit) && nb_tdual_init(&d, p) == 0) {
		if (h->v) {
			nb_thvp_sweep(p, h->v, &d);
			for (size_t k = 0; k < p->nvars; k++)
				memcpy(h->h + h->base[k], d.gtan +
				       h->tv->off[p->vars[k]],
				       h->tv->size[p->vars[k]] * sizeof *h->h);
		} else {
			memset(unit, 0, all * sizeof *unit);
			hessian(h, &d, unit);
		}
		nb_tdual_free(&d);
		r = 0;
	}
	nb_free(unit);
	return r;
}

/* ---- the grid ---- */

static const char *const hvp_cols[] = { "grad", "v", "Hv" };

static size_t ntext(const struct thess *h)
{
	return h->typed && nb_tape_shaped(&h->p->tape) ? 2 : 1;
}

static struct nb_col col(const void *ctx, size_t c)
{
	const struct thess *h = ctx;
	size_t t = ntext(h);

	if (c < t)
		return (struct nb_col){ "", c ? "index" : "input", 5, 0, 0 };
	c -= t;
	if (h->v || c == 0)
		return (struct nb_col){ "", hvp_cols[c], strlen(hvp_cols[c]),
					NB_COL_NUM, 0 };
	c--;
	return (struct nb_col){ "d/d", h->names + h->noff[c],
				h->noff[c + 1] - h->noff[c], NB_COL_NUM, 0 };
}

static size_t text(const void *ctx, size_t r, size_t c, char *buf,
		   size_t width)
{
	const struct thess *h = ctx;
	char name[ELEM_BUF];
	size_t len;
	const char *s;

	if (c == 1)
		return index_text(buf, shape_of(h, r), h->elem[r], 1);
	if (h->typed) {
		s = input_name(h, r, &len);
		return nb_grid_text(buf, s, len, width);
	}
	return nb_grid_text(buf, name, elem_name(h, r, name), width);
}

static double num(const void *ctx, size_t r, size_t c)
{
	const struct thess *h = ctx;
	size_t u = h->base[h->var[r]] + h->elem[r];

	if (c == 0)
		return h->tv->grd[at_of(h, r)];
	if (!h->v)
		return h->h[r * h->n + c - 1];
	return c == 1 ? h->v[u] : h->h[u];
}

/* ---- the report ---- */

static void json_cost(struct nb_out *o, const struct thess *h)
{
	size_t k = h->v ? 1 : h->n, n = h->p->tape.n;

	nb_out_printf(o, ",\n \"cost\": {\"products\": %zu, \"sweeps\": %zu, "
		      "\"visits\": %zu}", k, 2 * k, 2 * k * n);
}

/* H.v of input node i, in its shape. */
static struct nb_view hv_view(const struct thess *h, size_t var)
{
	return (struct nb_view){ h->h + h->base[var],
				 h->tv->shape[h->p->vars[var]] };
}

/* "Hv": {"W": [[...]], ...} over the inputs of the rows. */
static void json_hv(struct nb_out *o, const struct thess *h)
{
	size_t len;

	nb_out_puts(o, ",\n \"Hv\": {");
	for (size_t r = 0; r < h->n; r++) {
		const char *s;
		if (h->elem[r])
			continue;
		s = nb_node_name(h->p, h->p->vars[h->var[r]], &len);
		nb_out_puts(o, r ? ", " : "");
		nb_json_string(o, s, len);
		nb_out_puts(o, ": ");
		nb_json_value(o, hv_view(h, h->var[r]));
	}
	nb_out_putc(o, '}');
}

/* Whether the output is a vector or matrix: --upstream's U then makes
 * the function differentiated sum(U * output). */
static int upstream_given(const struct thess *h)
{
	return h->tv->shape[h->p->output].rank > 0;
}

/* sum(U * output), U the output's gradient, as --check sums it. */
static double upstream_value(const struct thess *h)
{
	const struct nb_tvals *tv = h->tv;
	size_t o = h->p->output;
	double f = 0;

	for (size_t e = 0; e < tv->size[o]; e++)
		f += tv->grd[tv->off[o] + e] * tv->val[tv->off[o] + e];
	return f;
}

static void json_head(struct nb_out *o, const struct thess *h)
{
	const struct nb_program *p = h->p;
	size_t len;
	const char *oname = nb_program_outname(p, &len);

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, oname, len);
	nb_out_puts(o, ", \"value\": ");
	if (upstream_given(h))
		nb_json_number(o, upstream_value(h));
	else
		nb_json_value(o, nb_node_value(&p->tape, p->output));
	json_cost(o, h);
	if (h->v && nb_tape_shaped(&p->tape))
		json_hv(o, h);
	nb_out_puts(o, h->v ? ",\n \"hvp\": " : ",\n \"hessian\": ");
}

/* The lines after the table: the value of the function differentiated
 * (the output, or sum(upstream * output)), H.v in each input's shape,
 * and the cost. */
static void summary(FILE *out, const struct thess *h,
		    const struct nb_outspec *spec)
{
	const struct nb_program *p = h->p;
	size_t len, k = h->v ? 1 : h->n, n = p->tape.n;
	const char *oname = nb_program_outname(p, &len);
	char post[NB_SHAPE_BUF + 3], num[NB_NUMBUF];
	int up = upstream_given(h);
	const char *fpre = up ? "sum(upstream * " : "", *fpost = up ? ")" : "";

	fputc('\n', out);
	if (up) {
		nb_fmt_human(num, upstream_value(h), spec->precision);
		fprintf(out, "%s%.*s%s = %s\n", fpre, (int)len, oname, fpost,
			num);
	} else {
		nb_nd_show(out, "", oname, len, "",
			   nb_node_value(&p->tape, p->output), spec->precision,
			   nb_outspec_max(spec));
	}
	for (size_t r = 0; h->v && r < h->n; r++) {
		const struct nb_shape *s = shape_of(h, r);
		size_t nlen;
		const char *name = input_name(h, r, &nlen);
		if (h->elem[r])
			continue;
		post[0] = '\0';
		if (s->rank)
			snprintf(post, sizeof post, " (%s)",
				 nb_shape_format(post + 3, s));
		nb_nd_show(out, "H.v for ", name, nlen, post,
			   hv_view(h, h->var[r]), spec->precision,
			   nb_outspec_max(spec));
	}
	if (h->v)
		fprintf(out, "H.v = d/dx [grad %s%.*s%s . v], the gradient's "
			"derivative along v, without forming H\ncost: 1 "
			"Hessian-vector product: 1 tangent and 1 reverse "
			"sweep, %zu node visits\n", fpre, (int)len, oname,
			fpost, 2 * n);
	else
		fprintf(out, "cost: %zu Hessian-vector product%s, each 1 "
			"tangent and 1 reverse sweep:\n      %zu sweeps, %zu "
			"node visits\n", k, k == 1 ? "" : "s", 2 * k,
			2 * k * n);
}

/* Writes the report of h through the sink of spec->format.  Returns 0,
 * or -1 when out of memory. */
static int report(FILE *out, const struct thess *h,
		  const struct nb_outspec *spec)
{
	struct nb_grid g = { h->n, ntext(h), h->v ? 3 : 1 + h->n, h, col,
			     text, num, 2 };
	int typed = nb_sink_typed(spec->format), r;
	char buf[NB_OUT_SMALL];
	struct nb_out o;

	nb_out_init(&o, out, buf, sizeof buf);
	if (typed)
		json_head(&o, h);
	r = nb_write_grid(&o, &g, spec);
	if (typed && r == 0)
		nb_out_puts(&o, "}\n");
	nb_out_close(&o);
	if (r == 0 && !typed && nb_format_human(spec->format))
		summary(out, h, spec);
	return r;
}

/* Whether the point is finite to first order: the value, and every
 * element's value and gradient (the domain warnings cover the rest). */
static int finite_to_first_order(const struct thess *h)
{
	const struct nb_tvals *tv = h->tv;
	size_t o = h->p->output;

	for (size_t e = 0; e < tv->size[o]; e++)
		if (!isfinite(tv->val[tv->off[o] + e]))
			return 0;
	for (size_t k = 0; k < h->p->nvars; k++) {
		size_t i = h->p->vars[k];
		for (size_t e = 0; e < tv->size[i]; e++)
			if (!isfinite(tv->val[tv->off[i] + e]) ||
			    !isfinite(tv->grd[tv->off[i] + e]))
				return 0;
	}
	return 1;
}

/* Warns about the first second-order number that is not finite at a
 * point finite to first order; returns 1 if it warned. */
static int second_order_warning(const struct thess *h)
{
	size_t cols = h->v ? 1 : h->n;
	char num[NB_NUMBUF], a[ELEM_BUF], b[ELEM_BUF];

	if (!finite_to_first_order(h))
		return 0;
	for (size_t i = 0; i < h->n * cols; i++) {
		size_t r = i / cols, c = i % cols;
		double x = h->v ? h->h[h->base[h->var[r]] + h->elem[r]]
				: h->h[i];
		if (isfinite(x))
			continue;
		nb_fmt_human(num, x, 6);
		elem_name(h, r, a);
		elem_name(h, c, b);
		if (h->v)
			fprintf(stderr, "nabla: warning: the entry of H.v for "
				"'%s' is %s", a, num);
		else
			fprintf(stderr, "nabla: warning: the second derivative "
				"by '%s' and '%s' is %s", a, b, num);
		fputs(" although the inputs, the value and the gradient are "
		      "finite\n", stderr);
		return 1;
	}
	return 0;
}

int nb_thessian_report(FILE *out, struct nb_program *p,
		       const struct nb_outspec *spec, const double *v)
{
	struct thess h = { p, p->tape.tv, v, NULL, 0, 0, NULL, NULL, NULL,
			   NULL, NULL, nb_sink_typed(spec->format) };
	int r = rows(&h, spec->wrt, spec->nwrt);

	if (r == 0)
		r = compute(&h);
	if (r == 0)
		r = report(out, &h, spec);
	if (r == 0)
		r = second_order_warning(&h);
	nb_free(h.h);
	nb_free(h.var);
	nb_free(h.elem);
	nb_free(h.base);
	nb_free(h.names);
	nb_free(h.noff);
	return r;
}

int nb_hessian_tensor_limits(const struct nb_program *p, enum nb_mode mode,
			     const size_t *wrt, size_t nwrt, struct nb_diag *d)
{
	const struct nb_tvals *tv = p->tape.tv;
	size_t n = 0, len;
	const char *oname = nb_program_outname(p, &len);
	const struct nb_shape *out = &tv->shape[p->output];
	char s[NB_SHAPE_BUF];

	if (out->rank > 0 && !nb_program_has_grad(p))
		return nb_error_plain(d, NB_EUSAGE, "second order needs a "
				      "scalar output: %.*s is %s (give "
				      "--upstream VALUE of that shape for the "
				      "second order of sum(upstream * %.*s), or "
				      "reduce it with sum(...))",
				      (int)(len > 40 ? 40 : len), oname,
				      nb_shape_format(s, out),
				      (int)(len > 40 ? 40 : len), oname);
	if (mode == NB_MODE_HVP)
		return 0;
	for (size_t k = 0; k < nwrt; k++)
		n += tv->size[p->vars[wrt[k]]];
	if (n <= NB_HESSIAN_MAX_ELEMENTS)
		return 0;
	return nb_error_plain(d, NB_EUSAGE, "the Hessian over %zu input "
			      "elements would take %zu Hessian-vector "
			      "products, one per element (at most %d): an hvp "
			      "(--hvp, :hvp) gives one product H.v without "
			      "forming H; or name fewer inputs (--wrt)", n, n,
			      NB_HESSIAN_MAX_ELEMENTS);
}
