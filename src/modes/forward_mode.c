/* forward_mode.c - the reports of --forward and --jvp.
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
#include "num/numfmt.h"
#include "output/grid.h"

static const char *const node_cols[] = { "node", "name", "op", "expr",
					 "value" };
#define NTEXT 4

struct fwd {
	const struct nb_program *p;
	const struct nb_outspec *spec;
	const double *tan;      /* node-major: m tangents per node */
	size_t m;               /* 1 for jvp, else spec->nwrt */
	int jvp;
};

static size_t head(const void *ctx, size_t c, char *buf)
{
	const struct fwd *f = ctx;

	if (c <= NTEXT)
		return (size_t)sprintf(buf, "%s", node_cols[c]);
	if (f->jvp)
		return (size_t)sprintf(buf, "tangent");
	return nb_grid_varname(f->p, f->spec->wrt[c - NTEXT - 1], "d/d", buf);
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
		if (len > width)
			len = width;
		if (len)
			memcpy(buf, s, len);
		buf[len] = '\0';
		return len;
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
static void table_summary(FILE *out, const struct fwd *f)
{
	const struct nb_program *p = f->p;
	size_t olen, n = p->tape.n;
	const char *oname = nb_program_outname(p, &olen);
	char a[NB_NUMBUF], b[NB_NUMBUF], name[NB_GRIDBUF];
	int prec = f->spec->precision;

	nb_fmt_human(a, p->tape.value[p->output], prec);
	fprintf(out, "\n%.*s = %s\n", (int)olen, oname, a);
	if (f->jvp) {
		nb_fmt_human(a, f->tan[p->output], prec);
		fprintf(out, "grad %.*s . d = %s\ncost: 1 tangent sweep, %zu node "
			"visits\n", (int)olen, oname, a, n);
		return;
	}
	for (size_t k = 0; k < f->m; k++) {
		size_t v = f->spec->wrt[k];

		nb_grid_varname(p, v, "/d", name);
		nb_fmt_human(a, f->tan[p->output * f->m + k], prec);
		nb_fmt_human(b, p->tape.grad[p->vars[v]], prec);
		fprintf(out, "d%.*s%s = %s  (reverse mode: %s)\n", (int)olen,
			oname, name, a, b);
	}
	fprintf(out, "cost: forward mode %zu sweep%s, %zu node visits;\n"
		"      reverse mode 2 sweeps (1 forward, 1 reverse), %zu node "
		"visits\n", f->m, f->m == 1 ? "" : "s", f->m * n, 2 * n);
}

static void json_gradient(FILE *out, const struct fwd *f, const char *key,
			  int reverse)
{
	const struct nb_program *p = f->p;
	size_t len;

	fprintf(out, ",\n \"%s\": {", key);
	for (size_t k = 0; k < f->m; k++) {
		size_t v = p->vars[f->spec->wrt[k]];
		const char *s = nb_node_name(p, v, &len);

		fputs(k ? ", " : "", out);
		nb_json_string(out, s, len);
		fputs(": ", out);
		nb_json_number(out, reverse ? p->tape.grad[v]
					    : f->tan[p->output * f->m + k]);
	}
	putc('}', out);
}

static void json(FILE *out, const struct fwd *f, const struct nb_grid *g,
		 const double *dir)
{
	const struct nb_program *p = f->p;
	size_t olen, n = p->tape.n;
	const char *oname = nb_program_outname(p, &olen);

	fputs("{\"output\": ", out);
	nb_json_string(out, oname, olen);
	fputs(", \"value\": ", out);
	nb_json_number(out, p->tape.value[p->output]);
	if (f->jvp) {
		fputs(",\n \"direction\": {", out);
		for (size_t k = 0; k < p->nvars; k++) {
			const char *s = nb_node_name(p, p->vars[k], &olen);

			fputs(k ? ", " : "", out);
			nb_json_string(out, s, olen);
			fputs(": ", out);
			nb_json_number(out, dir[k]);
		}
		fputs("},\n \"jvp\": ", out);
		nb_json_number(out, f->tan[p->output]);
		fprintf(out, ",\n \"cost\": {\"sweeps\": 1, \"visits\": %zu}", n);
	} else {
		json_gradient(out, f, "gradient", 0);
		json_gradient(out, f, "reverse", 1);
		fprintf(out, ",\n \"cost\": {\"forward\": {\"sweeps\": %zu, "
			"\"visits\": %zu}, \"reverse\": {\"sweeps\": 2, "
			"\"visits\": %zu}}", f->m, f->m * n, 2 * n);
	}
	fputs(",\n \"nodes\": ", out);
	nb_write_grid(out, g, f->spec);
	fputs("}\n", out);
}

/* Each node's tangents: one sweep along dir, or one per input of wrt
 * with the unit vector (in dir, all 0 on entry and on return).  Returns
 * 0, or -1 when out of memory. */
static int sweeps(struct nb_program *p, const struct fwd *f, double *dir,
		  double *col, double *tan)
{
	size_t n = p->tape.n;

	if (f->jvp)
		return nb_tangent_sweep(p, dir, tan);
	for (size_t k = 0; k < f->m; k++) {
		int fail;
		dir[f->spec->wrt[k]] = 1;
		fail = nb_tangent_sweep(p, dir, col);
		dir[f->spec->wrt[k]] = 0;
		if (fail)
			return -1;
		for (size_t i = 0; i < n; i++)
			tan[i * f->m + k] = col[i];
	}
	return 0;
}

int nb_forward_report(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec, const double *dir)
{
	struct fwd f = { p, spec, NULL, dir ? 1 : spec->nwrt, dir != NULL };
	struct nb_grid g = { p->tape.n, NTEXT, 1 + f.m, &f, head, text, num,
			     1 };
	size_t n = p->tape.n ? p->tape.n : 1, m = f.m ? f.m : 1;
	double *tan = NULL, *col = NULL, *unit = NULL;
	int r = -1;

	if (n <= SIZE_MAX / sizeof *tan / m)
		tan = nb_malloc(n * m * sizeof *tan);
	col = nb_malloc(n * sizeof *col);
	unit = nb_malloc((p->nvars ? p->nvars : 1) * sizeof *unit);
	if (tan && col && unit) {
		for (size_t k = 0; k < p->nvars; k++)
			unit[k] = dir ? dir[k] : 0;
		f.tan = tan;
		r = sweeps(p, &f, unit, col, tan);
	}
	if (r == 0 && spec->format == NB_FMT_JSON)
		json(out, &f, &g, dir);
	else if (r == 0 && (r = nb_write_grid(out, &g, spec)) == 0 &&
		 spec->format == NB_FMT_TABLE)
		table_summary(out, &f);
	nb_free(tan);
	nb_free(col);
	nb_free(unit);
	return r;
}
