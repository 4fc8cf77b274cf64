/* batch_write.c - batch mode's rows through the sink of the format.
 *
 * The columns are fixed before the first row: the wide layout's echoed
 * columns, the output, its partials and a mode's columns; or those of
 * the long node or edge table.  Every column of the table is aligned
 * right, in widths the sink fixes from the headings and the precision
 * (and, for the node table, the program's names and ops). */
#include "output/batch_write.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/view.h"

#define NUM(name) { "", name, sizeof name - 1, NB_COL_NUM, 0 }
#define TEXT(name) { "", name, sizeof name - 1, NB_COL_RIGHT, 0 }

static const struct nb_col node_cols[] = { TEXT("row"), TEXT("node"),
					   TEXT("name"), TEXT("op"),
					   NUM("value"), NUM("grad") };
static const struct nb_col edge_cols[] = { TEXT("row"), TEXT("node"),
					   TEXT("input"), NUM("local"),
					   NUM("downstream") };

/* The mode's columns shaped as the gradient columns. */
static size_t ngx(const struct nb_bwriter *w)
{
	return w->gpre ? w->ngcol : 0;
}

static size_t ncolumns(const struct nb_bwriter *w)
{
	size_t n;

	if (nb_bw_tlong_cols(w, &n))
		return n;
	if (w->layout == NB_NODES)
		return sizeof node_cols / sizeof *node_cols;
	if (w->layout == NB_EDGES)
		return sizeof edge_cols / sizeof *edge_cols;
	return w->necho + 1 + w->ngcol + ngx(w) + w->nx;
}

/* Column k of the wide layout: echoed columns count as numbers for
 * their width (they are the inputs' values), a mode's as it says. */
static struct nb_col wide_col(const struct nb_bwriter *w, size_t k)
{
	const struct nb_program *p = w->p;
	struct nb_col c = { "", NULL, 0, NB_COL_NUM, 0 };
	size_t g = k - w->necho - 1;

	if (k < w->necho) {
		c.name = w->names[k].s;
		c.len = w->names[k].len;
	} else if (k == w->necho) {
		c.name = nb_program_outname(p, &c.len);
	} else if (g >= w->ngcol + ngx(w)) {
		const struct nb_bcolumn *x = &w->xcol[g - w->ngcol - ngx(w)];
		c.pre = x->pre;
		c.name = x->name;
		c.len = x->len;
		c.flags = x->numeric ? NB_COL_NUM : NB_COL_RIGHT;
	} else {
		c.pre = g < w->ngcol ? w->dout : w->gpre;
		g %= w->ngcol;
		c.name = w->gcol[g].name;
		c.len = w->gcol[g].len;
	}
	return c;
}

/* The node table's name and op columns fit the program's. */
static void node_widths(struct nb_bwriter *w)
{
	size_t *width = w->sink.width;

	for (size_t i = 0; width && i < w->p->tape.n; i++) {
		size_t len = 0, oplen = strlen(nb_ops[w->p->tape.op[i]].name);
		if (nb_node_name(w->p, i, &len) && len > width[2])
			width[2] = len;
		if (oplen > width[3])
			width[3] = oplen;
	}
}

/* (Re)opens the sink on the columns as they are now. */
static int open_sink(struct nb_bwriter *w)
{
	size_t n = ncolumns(w), nt;
	struct nb_col *col = nb_realloc(w->col, (n ? n : 1) * sizeof *col);
	const struct nb_col *tcol = nb_bw_tlong_cols(w, &nt);

	if (!col)
		return -1;
	w->col = col;
	for (size_t k = 0; k < n; k++)
		col[k] = tcol ? tcol[k] : w->layout == NB_NODES ? node_cols[k]
			 : w->layout == NB_EDGES ? edge_cols[k] : wide_col(w, k);
	nb_sink_close(&w->sink);
	if (nb_sink_open(&w->sink, w->fmt, &w->out, col, n, w->precision, 0,
			 NULL))
		return -1;
	nb_sink_stream(&w->sink);
	if (w->layout == NB_NODES)
		node_widths(w);
	if (tcol)
		nb_bw_tlong_widths(w);
	return 0;
}

int nb_bw_init(struct nb_bwriter *w, FILE *out, enum nb_format fmt,
	       enum nb_layout layout, int precision,
	       const struct nb_program *p, const size_t *wrt, size_t nwrt,
	       const struct nb_cell *names, size_t necho)
{
	size_t olen;
	const char *oname = nb_program_outname(p, &olen);

	*w = (struct nb_bwriter){ .fmt = fmt, .layout = layout,
				  .precision = precision, .p = p, .wrt = wrt,
				  .nwrt = nwrt, .names = names,
				  .necho = layout == NB_WIDE ? necho : 0 };
	w->dout = nb_malloc(olen + 4);
	if (w->dout)
		sprintf(w->dout, "d%.*s/d", (int)olen, oname);
	if (!w->dout || nb_out_open(&w->out, out) || nb_bw_gcols(w)) {
		nb_bw_free(w);
		return -1;
	}
	w->out.lines = 1;
	if (open_sink(w)) {
		nb_bw_free(w);
		return -1;
	}
	return 0;
}

int nb_bw_columns(struct nb_bwriter *w, const char *gpre,
		  const double *const *gx, const struct nb_bcolumn *xcol,
		  size_t nx, const struct nb_cell *xcell)
{
	w->gpre = gpre;
	w->gx = gx;
	w->xcol = xcol;
	w->nx = nx;
	w->xcell = xcell;
	return open_sink(w);
}

void nb_bw_free(struct nb_bwriter *w)
{
	nb_sink_close(&w->sink);
	nb_free(w->out.buf);
	nb_free(w->col);
	nb_free(w->dout);
	nb_free(w->gcol);
	nb_free(w->gtext);
	w->gcol = NULL;
	w->gtext = NULL;
	w->out.buf = NULL;
	w->col = NULL;
	w->dout = NULL;
}

/* A column's name spelled out, for sorting. */
struct spelled {
	const char *s;
	size_t len;
};

static int by_bytes(const void *a, const void *b)
{
	const struct spelled *x = a, *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

long nb_bw_clash(const struct nb_bwriter *w)
{
	size_t n = ncolumns(w) - w->necho, total = 0, at = 0;
	struct spelled *v;
	char *text;
	long found = (long)w->necho;

	/* No echoed column (--no-echo, the long layouts): nothing to clash. */
	if (w->necho == 0)
		return 0;
	v = nb_malloc((n ? n : 1) * sizeof *v);
	for (size_t k = 0; k < n; k++) {
		struct nb_col c = wide_col(w, w->necho + k);
		total += strlen(c.pre) + c.len;
	}
	text = nb_malloc(total + 1);
	if (!v || !text) {
		nb_free(v);
		nb_free(text);
		return -1;
	}
	/* Sorted once, searched once per echoed column: a header and a
	 * gradient of 10^5 names each cost no 10^10 comparisons. */
	for (size_t k = 0; k < n; k++) {
		struct nb_col c = wide_col(w, w->necho + k);
		size_t pre = strlen(c.pre);
		memcpy(text + at, c.pre, pre);
		memcpy(text + at + pre, c.name, c.len);
		v[k] = (struct spelled){ text + at, pre + c.len };
		at += pre + c.len;
	}
	qsort(v, n, sizeof *v, by_bytes);
	for (size_t k = 0; k < w->necho; k++) {
		struct spelled key = { w->names[k].s, w->names[k].len };
		if (bsearch(&key, v, n, sizeof *v, by_bytes)) {
			found = (long)k;
			break;
		}
	}
	nb_free(v);
	nb_free(text);
	return found;
}

void nb_bw_header(struct nb_bwriter *w)
{
	nb_sink_header(&w->sink);
}

/* --- rows --------------------------------------------------------------- */

void nb_bw_count(struct nb_sink *s, size_t v)
{
	char buf[24];

	nb_sink_token(s, buf, (size_t)snprintf(buf, sizeof buf, "%zu", v));
}

void nb_bw_node_cells(struct nb_sink *s, const struct nb_program *p,
		      size_t row, size_t i)
{
	size_t len = 0;
	const char *name = nb_node_name(p, i, &len);
	const char *op = nb_ops[p->tape.op[i]].name;

	nb_bw_count(s, row);
	nb_bw_count(s, i);
	if (!name && s->ops->typed)
		nb_sink_token(s, "null", 4);
	else
		nb_sink_text(s, name ? name : "", len);
	nb_sink_text(s, op, strlen(op));
}

/* Leaves a cell out: empty, or no key in JSON. */
static void no_cell(struct nb_sink *s)
{
	if (s->ops->typed)
		s->k++;
	else
		nb_sink_text(s, "", 0);
}

/* The cell of gradient column g, or (gx non-NULL) of the mode's column
 * shaped as it, whose numbers are gx's. */
static void grad_cell(struct nb_bwriter *w, const struct nb_bgcol *g,
		      const double *const *gx, int ok)
{
	struct nb_sink *s = &w->sink;
	struct nb_view v;

	if (w->sumonly && w->sumonly[g->w]) {
		no_cell(s);
		return;
	}
	if (!ok) {
		nb_sink_number(s, NAN);
		return;
	}
	v = nb_node_grad(&w->p->tape, w->p->vars[w->wrt[g->w]]);
	if (gx)
		v.x = gx[g->w];
	if (g->e != NB_BW_WHOLE) {
		nb_sink_number(s, v.x[g->e]);
		return;
	}
	/* the key, then the array in its place */
	nb_sink_token(s, "", 0);
	nb_bw_json_tensor(s->out, &v.shape, v.x, NULL);
}

static void wide_row(struct nb_bwriter *w, const struct nb_cell *echo,
		     int ok)
{
	const struct nb_tape *t = &w->p->tape;
	struct nb_sink *s = &w->sink;

	for (size_t k = 0; k < w->necho; k++) {
		if (s->ops->typed && echo[k].num)
			nb_sink_number(s, echo[k].v);
		else if (echo[k].bare)
			nb_sink_token(s, echo[k].s, echo[k].len);
		else
			nb_sink_text(s, echo[k].s, echo[k].len);
	}
	nb_sink_number(s, ok ? nb_node_value(t, w->p->output).x[0] : NAN);
	for (size_t i = 0; i < w->ngcol; i++)
		grad_cell(w, &w->gcol[i], NULL, ok);
	for (size_t i = 0; i < ngx(w); i++)
		grad_cell(w, &w->gcol[i], w->gx, ok);
	for (size_t i = 0; i < w->nx; i++) {
		const struct nb_cell *x = &w->xcell[i];
		if (!ok || x->num)
			nb_sink_number(s, ok ? x->v : NAN);
		else
			nb_sink_text(s, x->s, x->len);
	}
	nb_sink_end_row(s);
}

static void node_row(struct nb_bwriter *w, size_t row, size_t i, int ok)
{
	const struct nb_tape *t = &w->p->tape;
	struct nb_sink *s = &w->sink;

	nb_bw_node_cells(s, w->p, row, i);
	nb_sink_number(s, ok ? t->value[i] : NAN);
	nb_sink_number(s, ok ? t->grad[i] : NAN);
	nb_sink_end_row(s);
}

static void edge_rows(struct nb_bwriter *w, size_t row, size_t i, int ok)
{
	const struct nb_tape *t = &w->p->tape;
	struct nb_sink *s = &w->sink;

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		nb_bw_count(s, row);
		nb_bw_count(s, i);
		nb_bw_count(s, t->in[e]);
		nb_sink_number(s, ok ? t->local[e] : NAN);
		nb_sink_number(s, ok ? nb_downstream(t->grad[i], t->local[e])
				     : NAN);
		nb_sink_end_row(s);
	}
}

void nb_bw_row(struct nb_bwriter *w, size_t row, const struct nb_cell *echo,
	       int ok)
{
	if (w->layout == NB_WIDE) {
		wide_row(w, echo, ok);
		return;
	}
	/* values in the shaped arenas */
	if (w->p->tape.tv) {
		nb_bw_tlong_row(w, row, ok);
		return;
	}
	for (size_t i = 0; i < w->p->tape.n; i++) {
		if (w->layout == NB_NODES)
			node_row(w, row, i, ok);
		else
			edge_rows(w, row, i, ok);
	}
}

/* The sum record's numbers, to s. */
static void sums(const struct nb_bwriter *w, struct nb_sink *s,
		 const struct nb_ksum *sum)
{
	struct nb_shape sh;

	nb_sink_number(s, nb_ksum_value(&sum[0]));
	for (size_t k = 0; k < w->ngcol; k++) {
		const struct nb_bgcol *g = &w->gcol[k];
		if (g->e != NB_BW_WHOLE) {
			nb_sink_number(s, nb_ksum_value(&sum[1 + g->at]));
			continue;
		}
		nb_sink_token(s, "", 0);
		sh = nb_bw_grad_shape(w, g->w);
		nb_bw_json_tensor(s->out, &sh, NULL, &sum[1 + g->at]);
	}
	nb_sink_end_row(s);
}

int nb_bw_sum(struct nb_bwriter *w, const struct nb_ksum *sum)
{
	struct nb_sink js;

	if (!w->sink.ops->typed) {
		for (size_t k = 0; k < w->necho; k++)
			nb_sink_text(&w->sink, "", 0);
		sums(w, &w->sink, sum);
		return 0;
	}
	/* A JSON record leaves the echoed keys out: a sink of its own over
	 * the computed columns. */
	if (nb_sink_open(&js, w->fmt, &w->out, w->col + w->necho,
			 1 + w->ngcol, w->precision, 0, NULL))
		return -1;
	sums(w, &js, sum);
	nb_sink_close(&js);
	return 0;
}

int nb_bw_flush(struct nb_bwriter *w)
{
	nb_out_drain(&w->out);
	errno = 0;
	if (!w->out.err && fflush(w->out.f) == EOF)
		w->out.err = errno ? errno : EIO;
	if (w->out.err) {
		errno = w->out.err;
		return -1;
	}
	return 0;
}
