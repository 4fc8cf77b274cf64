/* tforward.c - --forward and --jvp on a program with vectors or
 * matrices: tangent sweeps on the shaped tape (core/tsweep.h), then
 * their report.
 *
 * --jvp is one tangent sweep along the direction: a grid of one row per
 * element of every node, in tape order (the columns of the backprop
 * table's records: node, name, op, expr, shape, index), with its value
 * and tangent; then the output's tangent in the output's shape.
 *
 * --forward is the whole gradient of a scalar output by forward mode:
 * one sweep per input element, seeding that element's tangent with 1.
 * That is the seeds' point: reverse mode gets the gradient from one
 * reverse sweep whatever the inputs' size, so forward mode refuses past
 * NB_FORWARD_MAX_SWEEPS elements and points to it.  One row per input
 * element: the partial by forward mode and by reverse mode. */
#include "modes/modes.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "output/grid.h"
#include "output/ndfmt.h"

struct tfwd {
	const struct nb_program *p;
	const struct nb_tvals *tv;
	const double *dir;      /* jvp: the direction, else NULL */
	double *tan;            /* every node's tangent, laid out as tv->val */
	const size_t *wrt;      /* forward: the inputs of the rows */
	size_t nwrt;
	double *part;           /* forward: the partials, input by input */
	size_t *at;             /* forward: input k's first row, nwrt + 1 */
};

/* Room for "4294967295,4294967295" and more. */
#define INDEX_BUF (NB_MAX_RANK * 11 + 1)

/* The index of element j of a value of shape s: "1,2", "" for a
 * scalar. */
static size_t index_text(char *buf, const struct nb_shape *s, size_t j)
{
	uint32_t idx[NB_MAX_RANK];
	size_t n = 0;

	for (int a = s->rank; a-- > 0; j /= s->dim[a])
		idx[a] = (uint32_t)(j % s->dim[a]);
	buf[0] = '\0';
	for (int a = 0; a < s->rank; a++)
		n += (size_t)sprintf(buf + n, a ? ",%lu" : "%lu",
				     (unsigned long)idx[a]);
	return n;
}

/* The last node whose elements start at or before row r (of nval):
 * the node holding r, since empty nodes start where the next does. */
static size_t node_of(const struct nb_tvals *tv, size_t n, size_t r)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tv->off[mid] <= r)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* ---- --jvp: a row per element of every node ---- */

static const char *const jvp_cols[] = { "node", "name", "op", "expr",
					"shape", "index", "value", "tangent" };
#define JVP_TEXT 6

static struct nb_col jvp_col(const void *ctx, size_t c)
{
	(void)ctx;
	return (struct nb_col){ "", jvp_cols[c], strlen(jvp_cols[c]),
				c >= JVP_TEXT ? NB_COL_NUM : 0, 0 };
}

static size_t jvp_text(const void *ctx, size_t r, size_t c, char *buf,
		       size_t width)
{
	const struct tfwd *f = ctx;
	size_t i = node_of(f->tv, f->p->tape.n, r), len;
	const char *s;

	switch (c) {
	case 0:
		return (size_t)sprintf(buf, "%zu", i);
	case 1:
		s = nb_node_shown_name(f->p, i, &len);
		return nb_grid_text(buf, s, len, width);
	case 2:
		s = nb_ops[f->p->tape.op[i]].name;
		return nb_grid_text(buf, s, strlen(s), width);
	case 3:
		return nb_text_elide(buf, f->p, i, width);
	case 4:
		return strlen(nb_shape_format(buf, &f->tv->shape[i]));
	default:
		return index_text(buf, &f->tv->shape[i], r - f->tv->off[i]);
	}
}

static double jvp_num(const void *ctx, size_t r, size_t c)
{
	const struct tfwd *f = ctx;

	return c == 0 ? f->tv->val[r] : f->tan[r];
}

/* ---- --forward: a row per element of each input of wrt ---- */

static const char *const fwd_cols[] = { "input", "shape", "index",
					"forward", "reverse" };
#define FWD_TEXT 3

static struct nb_col fwd_col(const void *ctx, size_t c)
{
	(void)ctx;
	return (struct nb_col){ "", fwd_cols[c], strlen(fwd_cols[c]),
				c >= FWD_TEXT ? NB_COL_NUM : 0, 0 };
}

/* The input of row r, as an index into wrt, and its node. */
static size_t fwd_input(const struct tfwd *f, size_t r, size_t *node)
{
	size_t k = 0;

	while (f->at[k + 1] <= r)
		k++;
	*node = f->p->vars[f->wrt[k]];
	return k;
}

static size_t fwd_text(const void *ctx, size_t r, size_t c, char *buf,
		       size_t width)
{
	const struct tfwd *f = ctx;
	size_t node, k = fwd_input(f, r, &node), len;
	const char *s;

	switch (c) {
	case 0:
		s = nb_node_name(f->p, node, &len);
		return nb_grid_text(buf, s, len, width);
	case 1:
		return strlen(nb_shape_format(buf, &f->tv->shape[node]));
	default:
		return index_text(buf, &f->tv->shape[node], r - f->at[k]);
	}
}

static double fwd_num(const void *ctx, size_t r, size_t c)
{
	const struct tfwd *f = ctx;
	size_t node, k = fwd_input(f, r, &node);

	return c == 0 ? f->part[r]
		      : f->tv->grd[f->tv->off[node] + r - f->at[k]];
}

/* ---- the sweeps ---- */

/* The direction's elements into the inputs' tangents. */
static void seed_direction(struct tfwd *f)
{
	const struct nb_program *p = f->p;
	size_t at = 0;

	for (size_t k = 0; k < p->nvars; k++) {
		size_t i = p->vars[k], n = f->tv->size[i];
		memcpy(f->tan + f->tv->off[i], f->dir + at, n * sizeof *f->tan);
		at += n;
	}
}

/* One sweep per element of each input of wrt, each with that element's
 * tangent 1 (the others 0, as the tangents start). */
static void partials(struct tfwd *f)
{
	const struct nb_tvals *tv = f->tv;
	struct nb_tape *t = (struct nb_tape *)&f->p->tape;
	size_t out = tv->off[f->p->output];

	for (size_t k = 0; k < f->nwrt; k++) {
		size_t i = f->p->vars[f->wrt[k]];
		for (size_t e = 0; e < tv->size[i]; e++) {
			f->tan[tv->off[i] + e] = 1;
			nb_tsweep_tangent(t, f->tan);
			f->tan[tv->off[i] + e] = 0;
			f->part[f->at[k] + e] = f->tan[out];
		}
	}
}

int nb_mode_tensor_limits(const struct nb_program *p, enum nb_mode mode,
			  const size_t *wrt, size_t nwrt, struct nb_diag *d)
{
	const struct nb_tvals *tv = p->tape.tv;
	size_t n = 0, len;
	const char *oname = nb_program_outname(p, &len);
	char s[NB_SHAPE_BUF];

	if ((mode == NB_MODE_HESSIAN || mode == NB_MODE_HVP) && tv)
		return nb_hessian_tensor_limits(p, mode, wrt, nwrt, d);
	if (mode != NB_MODE_FORWARD || !tv)
		return 0;
	if (tv->shape[p->output].rank > 0)
		return nb_error_plain(d, NB_EUSAGE, "forward mode needs a "
				      "scalar output: %.*s is %s (a jvp gives its "
				      "tangent along a direction)",
				      (int)(len > 40 ? 40 : len), oname,
				      nb_shape_format(s, &tv->shape[p->output]));
	for (size_t k = 0; k < nwrt; k++)
		n += tv->size[p->vars[wrt[k]]];
	if (n <= NB_FORWARD_MAX_SWEEPS)
		return 0;
	return nb_error_plain(d, NB_EUSAGE, "forward mode would run %zu "
			      "tangent "
			      "sweeps, one per input element (at most %d): "
			      "reverse mode, the default, gives the gradient "
			      "in one reverse sweep, and --jvp one "
			      "directional derivative in one tangent sweep",
			      n, NB_FORWARD_MAX_SWEEPS);
}

/* Computes f's tangents (no output).  Returns 0, or -1 when out of
 * memory. */
static int compute(struct tfwd *f)
{
	size_t nval = f->tv->nval, rows = 0;

	f->tan = nb_malloc((nval ? nval : 1) * sizeof *f->tan);
	if (!f->tan)
		return -1;
	memset(f->tan, 0, nval * sizeof *f->tan);
	if (f->dir) {
		seed_direction(f);
		nb_tsweep_tangent((struct nb_tape *)&f->p->tape, f->tan);
		return 0;
	}
	f->at = nb_malloc((f->nwrt + 1) * sizeof *f->at);
	if (!f->at)
		return -1;
	for (size_t k = 0; k < f->nwrt; k++) {
		f->at[k] = rows;
		rows += f->tv->size[f->p->vars[f->wrt[k]]];
	}
	f->at[f->nwrt] = rows;
	f->part = nb_malloc((rows ? rows : 1) * sizeof *f->part);
	if (!f->part)
		return -1;
	partials(f);
	return 0;
}

/* ---- the report ---- */

static struct nb_view tangent_view(const struct tfwd *f, size_t i)
{
	return (struct nb_view){ f->tan + f->tv->off[i], f->tv->shape[i] };
}

/* `"key": {"x": value, ...}` over the inputs of list (indices into
 * vars), each value the view of what(f, node). */
static void json_inputs(struct nb_out *o, const struct tfwd *f,
			const char *key, const size_t *list, size_t n,
			struct nb_view (*what)(const struct tfwd *, size_t))
{
	size_t len;

	nb_out_printf(o, ",\n \"%s\": {", key);
	for (size_t k = 0; k < n; k++) {
		size_t v = f->p->vars[list ? list[k] : k];
		const char *s = nb_node_name(f->p, v, &len);

		nb_out_puts(o, k ? ", " : "");
		nb_json_string(o, s, len);
		nb_out_puts(o, ": ");
		nb_json_value(o, what(f, v));
	}
	nb_out_putc(o, '}');
}

static struct nb_view direction_view(const struct tfwd *f, size_t i)
{
	return tangent_view(f, i);
}

/* The partials of input node i, in its shape. */
static struct nb_view partial_view(const struct tfwd *f, size_t i)
{
	size_t k = 0;

	while (f->p->vars[f->wrt[k]] != i)
		k++;
	return (struct nb_view){ f->part + f->at[k], f->tv->shape[i] };
}

static struct nb_view reverse_view(const struct tfwd *f, size_t i)
{
	return nb_node_grad(&f->p->tape, i);
}

static void json_head(struct nb_out *o, const struct tfwd *f)
{
	const struct nb_program *p = f->p;
	size_t len, n = p->tape.n, sweeps;
	const char *oname = nb_program_outname(p, &len);

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, oname, len);
	nb_out_puts(o, ", \"value\": ");
	nb_json_value(o, nb_node_value(&p->tape, p->output));
	if (f->dir) {
		json_inputs(o, f, "direction", NULL, p->nvars, direction_view);
		nb_out_puts(o, ",\n \"jvp\": ");
		nb_json_value(o, tangent_view(f, p->output));
		nb_out_printf(o, ",\n \"cost\": {\"sweeps\": 1, \"visits\": %zu}"
			      ",\n \"nodes\": ", n);
		return;
	}
	sweeps = f->at[f->nwrt];
	json_inputs(o, f, "gradient", f->wrt, f->nwrt, partial_view);
	json_inputs(o, f, "reverse", f->wrt, f->nwrt, reverse_view);
	nb_out_printf(o, ",\n \"cost\": {\"forward\": {\"sweeps\": %zu, "
		      "\"visits\": %zu}, \"reverse\": {\"sweeps\": 2, "
		      "\"visits\": %zu}},\n \"inputs\": ", sweeps, sweeps * n,
		      2 * n);
}

/* The lines after the table: the output's value, then the jvp or the
 * partials' cost. */
static void summary(FILE *out, const struct tfwd *f,
		    const struct nb_outspec *spec)
{
	const struct nb_program *p = f->p;
	size_t len, n = p->tape.n, sweeps;
	const char *oname = nb_program_outname(p, &len);
	struct nb_view tan;

	fputc('\n', out);
	nb_nd_show(out, "", oname, len, "", nb_node_value(&p->tape, p->output),
		   spec->precision, nb_outspec_max(spec));
	if (f->dir) {
		tan = tangent_view(f, p->output);
		nb_nd_show(out, tan.shape.rank ? "tangent of " : "grad ",
			   oname, len, tan.shape.rank ? " along d" : " . d",
			   tan, spec->precision, nb_outspec_max(spec));
		fprintf(out, "cost: 1 tangent sweep, %zu node visits\n", n);
		return;
	}
	sweeps = f->at[f->nwrt];
	fprintf(out, "cost: forward mode %zu sweep%s (one per input element), "
		"%zu node visits;\n      reverse mode 2 sweeps (1 forward, 1 "
		"reverse), %zu node visits\n", sweeps, sweeps == 1 ? "" : "s",
		sweeps * n, 2 * n);
}

static int report(FILE *out, const struct tfwd *f,
		  const struct nb_outspec *spec)
{
	struct nb_grid g = { f->tv->nval, JVP_TEXT, 2, f, jvp_col, jvp_text,
			     jvp_num, 1 };
	int typed = nb_sink_typed(spec->format), r;
	char buf[NB_OUT_SMALL];
	struct nb_out o;

	if (!f->dir)
		g = (struct nb_grid){ f->at[f->nwrt], FWD_TEXT, 2, f, fwd_col,
				      fwd_text, fwd_num, 0 };
	nb_out_init(&o, out, buf, sizeof buf);
	if (typed)
		json_head(&o, f);
	r = nb_write_grid(&o, &g, spec);
	if (typed && r == 0)
		nb_out_puts(&o, "}\n");
	nb_out_close(&o);
	if (r == 0 && !typed && nb_format_human(spec->format))
		summary(out, f, spec);
	return r;
}

int nb_tforward_report(FILE *out, struct nb_program *p,
		       const struct nb_outspec *spec, const double *dir)
{
	struct tfwd f = { p, p->tape.tv, dir, NULL, spec->wrt, spec->nwrt,
			  NULL, NULL };
	int r = compute(&f);

	if (r == 0)
		r = report(out, &f, spec);
	nb_free(f.tan);
	nb_free(f.part);
	nb_free(f.at);
	return r;
}
