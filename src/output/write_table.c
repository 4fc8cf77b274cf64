/* write_table.c - the backprop table people read.
 *
 *   node  name  op   expr         value  grad  local  downstream
 *   ----  ----  ---  -----------  -----  ----  -----  ----------
 *     #4  f     mul  (x + y) * z    -12     1
 *                      #2 x + y                   -4          -4
 *                      #3 z                        3           3
 *     #3  z     var  z               -4     3
 *   ...
 *
 *       f = -12
 *   df/dx = -4
 *
 * Rows run backwards, the order the reverse pass visits the nodes, so the
 * gradient flows down the page: under each operator, one line per input
 * with the local gradient and the downstream gradient it passes on.
 * Plain ASCII, aligned without colour; colour only adds emphasis.
 * Widths come from one pass over the tape and every cell is O(1) wide
 * (long expressions are elided), so a tape of any size prints in linear
 * time.
 *
 * A program with a tensor value gains a shape column after expr; its
 * values are written as NumPy writes them (output/ndfmt.h), a matrix one
 * row per line, each axis elided past --max-elements; an input line
 * shows the input's shape, the local gradient (the elementwise
 * derivative, in the node's shape, or for a tensor op the rule that
 * takes its place: dW = dD @ X.T) and the downstream gradient in the
 * input's shape.  Without gradients (a tensor output and no --upstream)
 * the table has no grad, local and downstream columns.
 *
 * On a terminal the table fits its width, never wrapping: expression
 * texts are elided shorter first, down to MIN_ELIDE bytes, then rules
 * wrap, down to MIN_WRAP columns, then, unless --max-elements was given,
 * tensors show fewer elements per axis, down to MIN_ELEMENTS, then
 * numbers lose digits, down to MIN_PREC (each step one more pass, a
 * bounded number of them).  The summary lines keep every digit and
 * element. */
#include "output/writer.h"

#include <string.h>

#include "output/ndfmt.h"

#define GAP "  "
#define INDENT 2                /* of an input under its node's expr */
#define MIN_ELIDE 10            /* expression texts on a narrow terminal */
#define MIN_PREC 3              /* significant digits there */
#define MIN_WRAP 16             /* width of a rule's lines there */
#define MIN_ELEMENTS 2          /* elements of a tensor's axis there */

#define BOLD "\033[1m"
#define NAME "\033[36m"
#define RESET "\033[0m"

struct layout {
	size_t id, name, op, expr, shape, value, grad, local, down;
	size_t inid;            /* widest "#k" among inputs */
	int edges;              /* local and downstream columns */
	int shaped;             /* a shape column, tensors in the cells */
	int grads;              /* grad columns: gradients were computed */
	size_t elide;           /* widest expression text (MIN_ELIDE..NB_ELIDE) */
	size_t wrap;            /* widest line of a rule (MIN_WRAP..) */
	size_t max;             /* elements shown per axis, 0: all */
	int prec, color;
};

/* Where the table goes.  Padding is owed until a cell follows it, so no
 * line ends in blanks however short its last tensor's line is. */
struct pen {
	FILE *out;
	size_t owed;
};

static size_t digits(size_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static size_t max(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void pad(struct pen *o, size_t n)
{
	o->owed += n;
}

/* Pays the padding owed, before a cell. */
static FILE *at(struct pen *o)
{
	static const char spaces[] = "                                ";

	/* In chunks: an input line is mostly padding, and putc locks the
	 * stream once per byte. */
	while (o->owed > 0) {
		size_t k = o->owed < sizeof spaces - 1 ? o->owed
						       : sizeof spaces - 1;

		fwrite(spaces, 1, k, o->out);
		o->owed -= k;
	}
	return o->out;
}

static void put(struct pen *o, const char *s, size_t len)
{
	fwrite(s, 1, len, at(o));
}

static void gap(struct pen *o)
{
	pad(o, strlen(GAP));
}

static void newline(struct pen *o)
{
	o->owed = 0;
	putc('\n', o->out);
}

/* Rows in backward order: the output down to node 0, then any nodes
 * after the output (which it does not depend on). */
static size_t row_node(const struct nb_program *p, size_t r)
{
	return r <= p->output ? p->output - r : p->tape.n + p->output - r;
}

/* A name as the table shows it: like expressions, at most width (4 to
 * NB_ELIDE) bytes (a name of 10^6 bytes would widen every line of the
 * table), cut with "..." in buf.  Returns its length; *s is what to
 * show. */
static size_t elide_name(char *buf, const char **s, size_t len,
			 size_t width)
{
	if (len <= width)
		return len;
	memcpy(buf, *s, width - 3);
	memcpy(buf + width - 3, "...", 3);
	*s = buf;
	return width;
}

/* What an input line calls input node i: its name, else its text; in
 * the expression column, so elided as its texts are. */
static size_t input_text(char *buf, const struct nb_program *p, size_t i,
			 const char **text, const struct layout *w)
{
	size_t len;

	*text = nb_node_name(p, i, &len);
	if (*text)
		return elide_name(buf, text, len, w->elide);
	*text = buf;
	return nb_text_elide(buf, p, i, w->elide);
}

static size_t shape_text(char *buf, const struct nb_tape *t, size_t i)
{
	struct nb_view v = nb_node_value(t, i);

	return strlen(nb_shape_format(buf, &v.shape));
}

/* A cell of numbers: a scalar, or a tensor in lines. */
static void cell(struct nb_ndfmt *f, struct nb_view v, const struct layout *w)
{
	nb_nd_layout(f, v, w->prec, w->max);
}

/* Line k of the text s (len bytes) wrapped at its spaces to width
 * columns (a longer word alone on its line): its length, its start in
 * *at; 0 past its last line. */
static size_t wrap(const char *s, size_t len, size_t width, size_t k,
		   size_t *at)
{
	size_t start = 0;

	for (;;) {
		size_t end = start, next;

		do {
			next = end + (end > start);
			while (next < len && s[next] != ' ')
				next++;
			if (end > start && next - start > width)
				break;
			end = next;
		} while (end < len);
		if (k-- == 0) {
			*at = start;
			return end - start;
		}
		if (end >= len)
			return 0;
		start = end + 1;
	}
}

/* An input's local gradient: numbers, or the rule that stands for
 * them, in lines of at most w->wrap columns. */
struct local {
	struct nb_ndfmt f;
	char rule[NB_RULE_BUF];
	size_t len;             /* the rule's; 0: the numbers */
	size_t lines, width;
};

static void local_cell(struct local *l, const struct nb_program *p,
		       size_t i, size_t e, const struct layout *w)
{
	struct nb_view v = nb_edge_local(&p->tape, i, e);
	size_t at, n;

	l->len = 0;
	if (v.x) {
		cell(&l->f, v, w);
		l->lines = l->f.lines;
		l->width = l->f.width;
		return;
	}
	l->len = nb_edge_rule(l->rule, p, i, e);
	l->width = 0;
	for (l->lines = 0; (n = wrap(l->rule, l->len, w->wrap, l->lines,
				     &at)) > 0; l->lines++)
		l->width = max(l->width, n);
}

static void measure_edge(const struct nb_program *p, size_t i, size_t e,
			 struct layout *w, size_t *intext)
{
	const struct nb_tape *t = &p->tape;
	char buf[NB_ELIDE + 2];
	const char *text;
	size_t in = t->in[e];
	struct local l;
	struct nb_ndfmt f;
	double tmp;

	w->inid = max(w->inid, 1 + digits(in));
	*intext = max(*intext, input_text(buf, p, in, &text, w));
	if (!w->edges)
		return;
	local_cell(&l, p, i, e, w);
	w->local = max(w->local, l.width);
	cell(&f, nb_write_down(t, i, e, &tmp), w);
	w->down = max(w->down, f.width);
}

static void measure(const struct nb_program *p, struct layout *w)
{
	const struct nb_tape *t = &p->tape;
	char buf[NB_ELIDE + 2];
	const char *text;
	struct nb_ndfmt f;
	size_t len, intext = 0;

	w->id = max(strlen("node"), 1 + digits(t->n ? t->n - 1 : 0));
	w->name = strlen("name");
	w->op = strlen("op");
	w->expr = strlen("expr");
	w->shape = strlen("shape");
	w->value = strlen("value");
	w->grad = strlen("grad");
	w->local = strlen("local");
	w->down = strlen("downstream");
	w->inid = 0;
	for (size_t i = 0; i < t->n; i++) {
		text = nb_node_shown_name(p, i, &len);
		w->name = max(w->name, elide_name(buf, &text, len, NB_ELIDE));
		w->op = max(w->op, strlen(nb_ops[t->op[i]].name));
		w->expr = max(w->expr, nb_text_elide(buf, p, i, w->elide));
		w->shape = max(w->shape, shape_text(buf, t, i));
		cell(&f, nb_node_value(t, i), w);
		w->value = max(w->value, f.width);
		if (w->grads) {
			cell(&f, nb_node_grad(t, i), w);
			w->grad = max(w->grad, f.width);
		}
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
			measure_edge(p, i, e, w, &intext);
	}
	if (t->nedge > 0)
		w->expr = max(w->expr, INDENT + w->inid + 1 + intext);
}

/* The widths of the columns the table has, in order; returns how many. */
static size_t columns(const struct layout *w, size_t *col)
{
	size_t n = 0;

	col[n++] = w->id;
	col[n++] = w->name;
	col[n++] = w->op;
	col[n++] = w->expr;
	if (w->shaped)
		col[n++] = w->shape;
	col[n++] = w->value;
	if (w->grads)
		col[n++] = w->grad;
	if (w->edges) {
		col[n++] = w->local;
		col[n++] = w->down;
	}
	return n;
}

/* The width of the table's widest line: the header's. */
static size_t table_width(const struct layout *w)
{
	size_t col[9], n = columns(w, col), sum = 0;

	for (size_t k = 0; k < n; k++)
		sum += col[k];
	return sum + (n - 1) * strlen(GAP);
}

/* Measures the table, fitting it into columns (0: no limit) as far as
 * the minimums let it; fewer elements only if shrink is set. */
static void fit(const struct nb_program *p, size_t columns, int shrink,
		struct layout *w)
{
	size_t have;

	w->elide = NB_ELIDE;
	w->wrap = NB_RULE_BUF;
	measure(p, w);
	if (!columns)
		return;
	while ((have = table_width(w)) > columns && w->elide > MIN_ELIDE) {
		size_t room = w->elide < w->expr ? w->elide : w->expr;

		w->elide = room > MIN_ELIDE + (have - columns)
				   ? room - (have - columns) : MIN_ELIDE;
		measure(p, w);
	}
	if ((have = table_width(w)) > columns && w->local > MIN_WRAP) {
		w->wrap = w->local > MIN_WRAP + (have - columns)
				  ? w->local - (have - columns) : MIN_WRAP;
		measure(p, w);
	}
	while (shrink && w->shaped && table_width(w) > columns &&
	       w->max > MIN_ELEMENTS) {
		w->max -= 2;
		measure(p, w);
	}
	while (table_width(w) > columns && w->prec > MIN_PREC) {
		w->prec--;
		measure(p, w);
	}
}

static void left(struct pen *o, const char *s, size_t len, size_t width,
		 const char *color)
{
	if (len) {
		FILE *out = at(o);

		if (color)
			fputs(color, out);
		fwrite(s, 1, len, out);
		if (color)
			fputs(RESET, out);
	}
	pad(o, width - len);
}

static void right(struct pen *o, const char *s, size_t width)
{
	size_t len = strlen(s);

	pad(o, width - len);
	put(o, s, len);
}

/* Line k of the numbers f in a column of width; blank past its last
 * line.  A scalar table aligns numbers right, as it always has; with
 * tensors a column's blocks start at its left, where NumPy's brackets
 * line up. */
static void block(struct pen *o, const struct nb_ndfmt *f, size_t k,
		  size_t width, const struct layout *w)
{
	if (k >= f->lines) {
		pad(o, width);
		return;
	}
	if (!w->shaped)
		pad(o, width - f->width);
	pad(o, (w->shaped ? width : f->width) - nb_nd_line(at(o), f, k));
}

/* A numbers column's heading: where its numbers are aligned. */
static void heading(struct pen *o, const char *s, size_t width,
		    const struct layout *w)
{
	if (w->shaped)
		left(o, s, strlen(s), width, NULL);
	else
		right(o, s, width);
}

/* Dashes under each heading, so the header stands out without colour. */
static void rule(struct pen *o, const struct layout *w)
{
	size_t col[9], n = columns(w, col);
	FILE *out = at(o);

	for (size_t k = 0; k < n; k++) {
		if (k)
			fputs(GAP, out);
		for (size_t d = 0; d < col[k]; d++)
			putc('-', out);
	}
	newline(o);
}

static void header(struct pen *o, const struct layout *w)
{
	if (w->color)
		fputs(BOLD, o->out);
	right(o, "node", w->id);
	gap(o);
	left(o, "name", 4, w->name, NULL);
	gap(o);
	left(o, "op", 2, w->op, NULL);
	gap(o);
	left(o, "expr", 4, w->expr, NULL);
	if (w->shaped) {
		gap(o);
		left(o, "shape", 5, w->shape, NULL);
	}
	gap(o);
	heading(o, "value", w->value, w);
	if (w->grads) {
		gap(o);
		heading(o, "grad", w->grad, w);
	}
	if (w->edges) {
		gap(o);
		heading(o, "local", w->local, w);
		gap(o);
		heading(o, "downstream", w->down, w);
	}
	if (w->color)
		fputs(RESET, o->out);
	newline(o);
	rule(o, w);
}

/* Where a tensor's second and later lines start: the width of the
 * columns up to expr, or up to shape, before value's gap. */
static size_t lead(const struct layout *w)
{
	return w->id + w->name + w->op + w->expr + 3 * strlen(GAP)
		+ (w->shaped ? w->shape + strlen(GAP) : 0);
}

static void shape_cell(struct pen *o, const struct nb_tape *t, size_t i,
		       const struct layout *w)
{
	char buf[NB_SHAPE_BUF];

	if (w->shaped) {
		gap(o);
		left(o, buf, shape_text(buf, t, i), w->shape, NULL);
	}
}

static void node_row(struct pen *o, const struct nb_program *p, size_t i,
		     const struct layout *w)
{
	const struct nb_tape *t = &p->tape;
	const char *op = nb_ops[t->op[i]].name, *name;
	char buf[NB_ELIDE + 2];
	struct nb_ndfmt v, g = { .lines = 0 };
	size_t len;

	cell(&v, nb_node_value(t, i), w);
	if (w->grads)
		cell(&g, nb_node_grad(t, i), w);
	pad(o, w->id - 1 - digits(i));
	fprintf(at(o), "#%zu", i);
	gap(o);
	name = nb_node_shown_name(p, i, &len);
	len = elide_name(buf, &name, len, NB_ELIDE);
	left(o, name, len, w->name, w->color ? NAME : NULL);
	gap(o);
	left(o, op, strlen(op), w->op, NULL);
	gap(o);
	len = nb_text_elide(buf, p, i, w->elide);
	left(o, buf, len, w->expr, NULL);
	shape_cell(o, t, i, w);
	for (size_t k = 0; k < max(v.lines, g.lines); k++) {
		if (k) {
			newline(o);
			pad(o, lead(w));
		}
		gap(o);
		block(o, &v, k, w->value, w);
		if (w->grads) {
			gap(o);
			block(o, &g, k, w->grad, w);
		}
	}
	newline(o);
}

/* Line k of an input's local gradient: its numbers, or its rule. */
static void local_line(struct pen *o, const struct local *l, size_t k,
		       const struct layout *w)
{
	size_t at, n;

	if (!l->len) {
		block(o, &l->f, k, w->local, w);
	} else {
		n = wrap(l->rule, l->len, w->wrap, k, &at);
		pad(o, w->shaped ? 0 : w->local - n);
		put(o, l->rule + at, n);
		pad(o, w->shaped ? w->local - n : 0);
	}
}

/* The line under node i for its input edge e (more for tensors). */
static void input_row(struct pen *o, const struct nb_program *p, size_t i,
		      size_t e, const struct layout *w)
{
	const struct nb_tape *t = &p->tape;
	size_t in = t->in[e], len;
	char buf[NB_ELIDE + 2];
	const char *text;
	int named = nb_node_name(p, in, &len) != NULL;
	struct local l = { .f = { .lines = 0 }, .len = 0, .lines = 0 };
	struct nb_ndfmt d = { .lines = 0 };
	double tmp;

	if (w->edges) {
		local_cell(&l, p, i, e, w);
		cell(&d, nb_write_down(t, i, e, &tmp), w);
	}
	pad(o, w->id + w->name + w->op + 3 * strlen(GAP) + INDENT);
	fprintf(at(o), "#%zu", in);
	pad(o, w->inid - 1 - digits(in) + 1);
	len = input_text(buf, p, in, &text, w);
	left(o, text, len,
	     w->expr - INDENT - w->inid - 1, named && w->color ? NAME : NULL);
	shape_cell(o, t, in, w);
	for (size_t k = 0; k < max(l.lines, d.lines); k++) {
		if (k) {
			newline(o);
			pad(o, lead(w));
		}
		pad(o, 2 * strlen(GAP) + w->value + w->grad);
		gap(o);
		local_line(o, &l, k, w);
		gap(o);
		block(o, &d, k, w->down, w);
	}
	newline(o);
}

/* The label of a summary line: "f" (v the output), or "df/dx" (v an
 * input, grad set); in a program with tensors, the shape of a tensor
 * after it ("df/dW (2x3)").  Returns its width; o NULL writes nothing. */
static size_t label(struct pen *o, const struct nb_program *p, size_t v,
		    int grad, int shaped, int color)
{
	char obuf[NB_ELIDE], vbuf[NB_ELIDE], sbuf[NB_SHAPE_BUF];
	size_t olen, vlen = 0, n;
	const char *oname = nb_program_outname(p, &olen), *vname = NULL;
	struct nb_view x = nb_node_value(&p->tape, v);
	FILE *out = o ? at(o) : NULL;

	olen = elide_name(obuf, &oname, olen, NB_ELIDE);
	if (grad) {
		vname = nb_node_name(p, v, &vlen);
		vlen = elide_name(vbuf, &vname, vlen, NB_ELIDE);
	}
	n = olen + (vname ? 3 + vlen : 0);
	if (shaped && x.shape.rank > 0)
		n += (size_t)snprintf(NULL, 0, " (%s)",
				      nb_shape_format(sbuf, &x.shape));
	if (!out)
		return n;
	if (color)
		fputs(BOLD, out);
	if (vname)
		putc('d', out);
	fwrite(oname, 1, olen, out);
	if (vname) {
		fputs("/d", out);
		fwrite(vname, 1, vlen, out);
	}
	if (color)
		fputs(RESET, out);
	if (shaped && x.shape.rank > 0)
		fprintf(out, " (%s)", sbuf);
	return n;
}

/* "label = value", the '=' in column width + 1, a tensor's later
 * lines under its first. */
static void summary_line(struct pen *o, const struct nb_program *p,
			 size_t v, int grad, size_t width,
			 const struct layout *w)
{
	struct nb_view x = grad ? nb_node_grad(&p->tape, v)
				: nb_node_value(&p->tape, v);
	struct nb_ndfmt f;

	nb_nd_layout(&f, x, w->prec, w->max);
	pad(o, width - label(NULL, p, v, grad, w->shaped, 0));
	label(o, p, v, grad, w->shaped, w->color);
	put(o, " = ", 3);
	for (size_t k = 0; k < f.lines; k++) {
		if (k)
			pad(o, width + 3);
		nb_nd_line(at(o), &f, k);
		newline(o);
	}
}

/* "f = -12" and "df/dx = -4" lines, their '=' signs in one column, at
 * the precision asked for. */
static void summary(struct pen *o, const struct nb_program *p,
		    const struct nb_outspec *spec, const struct layout *w)
{
	struct layout s = *w;
	size_t width = label(NULL, p, p->output, 0, w->shaped, 0);

	s.prec = spec->precision;
	s.max = nb_outspec_max(spec);
	for (size_t k = 0; w->grads && k < spec->nwrt; k++)
		width = max(width, label(NULL, p, p->vars[spec->wrt[k]], 1,
					 w->shaped, 0));
	summary_line(o, p, p->output, 0, width, &s);
	for (size_t k = 0; w->grads && k < spec->nwrt; k++)
		summary_line(o, p, p->vars[spec->wrt[k]], 1, width, &s);
}

void nb_write_table(FILE *out, const struct nb_program *p,
		    const struct nb_outspec *spec)
{
	const struct nb_tape *t = &p->tape;
	struct pen o = { out, 0 };
	struct layout w;

	w.prec = spec->precision;
	w.color = spec->color;
	w.max = nb_outspec_max(spec);
	w.shaped = nb_tape_shaped(t);
	w.grads = nb_node_grad(t, p->output).x != NULL;
	w.edges = t->nedge > 0 && w.grads;
	if (spec->quiet) {
		summary(&o, p, spec, &w);
		return;
	}
	fit(p, spec->columns, spec->max_elements == 0, &w);
	header(&o, &w);
	for (size_t r = 0; r < t->n; r++) {
		size_t i = row_node(p, r);

		node_row(&o, p, i, &w);
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
			input_row(&o, p, i, e, &w);
	}
	newline(&o);
	summary(&o, p, spec, &w);
}
