/* forward_mode.c - --forward and --jvp: the tangent sweeps, then their
 * report.
 *
 *   node  name  op   expr         value  d/dx  d/dy  d/dz
 *   ----  ----  ---  -----------  -----  ----  ----  ----
 *   0     x     var  x               -2     1     0     0
 *   ...
 *   4     f     mul  (x + y) * z    -12    -4    -4     3
 *
 *   df/dx = -4  (reverse mode: -4)
 *   ...
 *   cost: forward mode 3 sweeps, 15 node visits;
 *         reverse mode 2 sweeps (1 forward, 1 reverse), 10 node visits
 *
 * Rows run in tape order, the order a tangent sweep visits the nodes. */
#include "modes/modes.h"

#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/tangent.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "num/numfmt.h"
#include "output/grid.h"

static const char *const node_cols[] = { "node", "name", "op", "expr",
					 "value" };
#define NTEXT 4

struct fwd {
	const struct nb_program *p;
	const size_t *wrt;      /* the inputs of the columns (not jvp) */
	const double *dir;      /* jvp: the direction, else NULL */
	double *tan;            /* node-major: m tangents per node */
	size_t m;               /* 1 for jvp, else the number of inputs */
};

static struct nb_col col(const void *ctx, size_t c)
{
	const struct fwd *f = ctx;

	if (c <= NTEXT)
		return (struct nb_col){ "", node_cols[c], strlen(node_cols[c]),
					0, 0 };
	if (f->dir)
		return (struct nb_col){ "", "tangent", 7, 0, 0 };
	return nb_grid_varcol(f->p, f->wrt[c - NTEXT - 1], "d/d");
}

static size_t text(const void *ctx, size_t r, size_t c, char *buf,
		   size_t width)
{
	const struct fwd *f = ctx;
	const char *s;
	size_t len;

	switch (c) {
	case 0:
		return (size_t)sprintf(buf, "%zu", r);
	case 1:
		s = nb_node_shown_name(f->p, r, &len);
		return nb_grid_text(buf, s, len, width);
	case 2:
		return (size_t)sprintf(buf, "%s", nb_ops[f->p->tape.op[r]].name);
	default:
		return nb_text_elide(buf, f->p, r, width);
	}
}

static double num(const void *ctx, size_t r, size_t c)
{
	const struct fwd *f = ctx;

	return c == 0 ? f->p->tape.value[r] : f->tan[r * f->m + c - 1];
}

/* "f = -12" and, per input, "df/dx = -4  (reverse mode: -4)". */
static void summary(struct nb_out *o, const struct fwd *f, int prec)
{
	const struct nb_program *p = f->p;
	size_t olen, vlen, n = p->tape.n;
	const char *oname = nb_program_outname(p, &olen), *vname;
	char a[NB_NUMBUF], b[NB_NUMBUF];

	nb_fmt_human(a, p->tape.value[p->output], prec);
	nb_out_printf(o, "\n%.*s = %s\n", (int)olen, oname, a);
	if (f->dir) {
		nb_fmt_human(a, f->tan[p->output], prec);
		nb_out_printf(o, "grad %.*s . d = %s\ncost: 1 tangent sweep, "
			      "%zu node visits\n", (int)olen, oname, a, n);
		return;
	}
	for (size_t k = 0; k < f->m; k++) {
		size_t v = p->vars[f->wrt[k]];

		vname = nb_node_name(p, v, &vlen);
		nb_fmt_human(a, f->tan[p->output * f->m + k], prec);
		nb_fmt_human(b, p->tape.grad[v], prec);
		nb_out_putc(o, 'd');
		nb_out_put(o, oname, olen);
		nb_out_puts(o, "/d");
		nb_out_put(o, vname, vlen);
		nb_out_printf(o, " = %s  (reverse mode: %s)\n", a, b);
	}
	nb_out_printf(o, "cost: forward mode %zu sweep%s, %zu node visits;\n"
		      "      reverse mode 2 sweeps (1 forward, 1 reverse), %zu "
		      "node visits\n", f->m, f->m == 1 ? "" : "s", f->m * n,
		      2 * n);
}

/* `, "key": {"x": v, ...}` over the inputs, of the tangents or of
 * reverse mode's gradient. */
static void json_partials(struct nb_out *o, const struct fwd *f,
			  const char *key, int reverse)
{
	const struct nb_program *p = f->p;
	size_t len;

	nb_out_printf(o, ",\n \"%s\": {", key);
	for (size_t k = 0; k < f->m; k++) {
		size_t v = p->vars[f->wrt[k]];
		const char *s = nb_node_name(p, v, &len);

		nb_out_puts(o, k ? ", " : "");
		nb_json_string(o, s, len);
		nb_out_puts(o, ": ");
		nb_json_number(o, reverse ? p->tape.grad[v]
					  : f->tan[p->output * f->m + k]);
	}
	nb_out_putc(o, '}');
}

static void json_head(struct nb_out *o, const struct fwd *f)
{
	const struct nb_program *p = f->p;
	size_t len, n = p->tape.n;
	const char *oname = nb_program_outname(p, &len);

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, oname, len);
	nb_out_puts(o, ", \"value\": ");
	nb_json_number(o, p->tape.value[p->output]);
	if (f->dir) {
		nb_out_puts(o, ",\n \"direction\": {");
		for (size_t k = 0; k < p->nvars; k++) {
			const char *s = nb_node_name(p, p->vars[k], &len);

			nb_out_puts(o, k ? ", " : "");
			nb_json_string(o, s, len);
			nb_out_puts(o, ": ");
			nb_json_number(o, f->dir[k]);
		}
		nb_out_puts(o, "},\n \"jvp\": ");
		nb_json_number(o, f->tan[p->output]);
		nb_out_printf(o, ",\n \"cost\": {\"sweeps\": 1, \"visits\": %zu}",
			      n);
	} else {
		json_partials(o, f, "gradient", 0);
		json_partials(o, f, "reverse", 1);
		nb_out_printf(o, ",\n \"cost\": {\"forward\": {\"sweeps\": %zu, "
			      "\"visits\": %zu}, \"reverse\": {\"sweeps\": 2, "
			      "\"visits\": %zu}}", f->m, f->m * n, 2 * n);
	}
	nb_out_puts(o, ",\n \"nodes\": ");
}

/* Each node's tangents: one sweep along dir, or one per input of wrt
 * with the unit vector unit (all 0 on entry and on return).  Returns 0,
 * or -1 when out of memory. */
static int sweeps(struct nb_program *p, const struct fwd *f, double *unit,
		  double *col)
{
	size_t n = p->tape.n;

	if (f->dir)
		return nb_tangent_sweep(p, f->dir, f->tan);
	for (size_t k = 0; k < f->m; k++) {
		int fail;
		unit[f->wrt[k]] = 1;
		fail = nb_tangent_sweep(p, unit, col);
		unit[f->wrt[k]] = 0;
		if (fail)
			return -1;
		for (size_t i = 0; i < n; i++)
			f->tan[i * f->m + k] = col[i];
	}
	return 0;
}

/* Computes f's tangents (no output).  Returns 0, or -1 when out of
 * memory (f->tan then NULL). */
static int compute(struct nb_program *p, struct fwd *f)
{
	size_t n = p->tape.n ? p->tape.n : 1, m = f->m ? f->m : 1;
	double *col = nb_malloc(n * sizeof *col);
	double *unit = nb_malloc((p->nvars ? p->nvars : 1) * sizeof *unit);
	int r = -1;

	for (size_t k = 0; unit && k < p->nvars; k++)
		unit[k] = 0;
	if (n <= SIZE_MAX / sizeof *f->tan / m)
		f->tan = nb_malloc(n * m * sizeof *f->tan);
	if (f->tan && col && unit)
		r = sweeps(p, f, unit, col);
	nb_free(col);
	nb_free(unit);
	if (r) {
		nb_free(f->tan);
		f->tan = NULL;
	}
	return r;
}

/* Writes the report of f through the sink of spec->format.  Returns 0,
 * or -1 when out of memory. */
static int report(struct nb_out *o, const struct fwd *f,
		  const struct nb_outspec *spec)
{
	struct nb_grid g = { f->p->tape.n, NTEXT, 1 + f->m, f, col, text, num,
			     1 };
	int typed = nb_sink_typed(spec->format);

	if (typed)
		json_head(o, f);
	if (nb_write_grid(o, &g, spec))
		return -1;
	if (typed)
		nb_out_puts(o, "}\n");
	else if (nb_format_human(spec->format))
		summary(o, f, spec->precision);
	return 0;
}

int nb_forward_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *dir)
{
	struct fwd f = { p, spec->wrt, dir, NULL, dir ? 1 : spec->nwrt };
	char buf[NB_OUT_SMALL];
	struct nb_out o;
	int r;

	if (compute(p, &f))
		return -1;
	nb_out_init(&o, out, buf, sizeof buf);
	r = report(&o, &f, spec);
	nb_out_close(&o);
	nb_free(f.tan);
	return r;
}

static int run(const struct nb_mode_call *c)
{
	if (c->p->tape.tv)
		return nb_tforward_report(c->out, c->p, c->spec, c->dir);
	return nb_forward_report(c->out, c->p, c->spec, c->dir);
}

/* --batch --jvp: the column jvp, grad f . dir by one tangent sweep (on
 * a shaped tape, whose shapes batch mode keeps for every row, as
 * tforward.c does it). */
static int jvp_init(struct nb_mode_batch *m)
{
	const struct nb_tvals *tv = m->p->tape.tv;

	if (nb_mode_batch_alloc(m, 1))
		return -1;
	m->col[0] = (struct nb_bcolumn){ "", "jvp", 3, 1 };
	if (!tv)
		return nb_dual_init(&m->dual, m->p);
	m->tan = nb_malloc((tv->nval ? tv->nval : 1) * sizeof *m->tan);
	if (!m->tan)
		return -1;
	memset(m->tan, 0, tv->nval * sizeof *m->tan);
	return 0;
}

/* The direction's elements into the inputs' tangents, then the sweep:
 * the output's tangent. */
static double shaped_jvp(struct nb_mode_batch *m)
{
	const struct nb_program *p = m->p;
	const struct nb_tvals *tv = p->tape.tv;
	size_t at = 0;

	for (size_t k = 0; k < p->nvars; k++) {
		size_t i = p->vars[k];
		memcpy(m->tan + tv->off[i], m->dir + at,
		       tv->size[i] * sizeof *m->tan);
		at += tv->size[i];
	}
	nb_tsweep_tangent(&m->p->tape, m->tan);
	return m->tan[tv->off[p->output]];
}

static int jvp_row(struct nb_mode_batch *m)
{
	if (m->tan) {
		m->cell[0].v = shaped_jvp(m);
		return 0;
	}
	if (nb_tangent_sweep(m->p, m->dir, m->dual.tan))
		return -1;
	m->cell[0].v = m->dual.tan[m->p->output];
	return 0;
}

const struct nb_mode_ops nb_forward_mode = { run, NULL, NULL };
const struct nb_mode_ops nb_jvp_mode = { run, jvp_init, jvp_row };
