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
 * On a terminal the table fits its width, never wrapping: expression
 * texts are elided shorter first, down to MIN_ELIDE bytes, then numbers
 * lose digits, down to MIN_PREC (each step one more pass, a bounded
 * number of them).  The summary lines keep every digit. */
#include "output/writer.h"

#include <string.h>

#include "num/numfmt.h"

#define GAP "  "
#define INDENT 2                /* of an input under its node's expr */
#define MIN_ELIDE 10            /* expression texts on a narrow terminal */
#define MIN_PREC 3              /* significant digits there */

#define BOLD "\033[1m"
#define NAME "\033[36m"
#define RESET "\033[0m"

struct layout {
	size_t id, name, op, expr, value, grad, local, down;
	size_t inid;            /* widest "#k" among inputs */
	int edges;              /* some node has inputs */
	size_t elide;           /* widest expression text (MIN_ELIDE..NB_ELIDE) */
	int prec, color;
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

static void pad(FILE *out, size_t n)
{
	static const char spaces[] = "                                ";

	/* In chunks: an input line is mostly padding, and putc locks the
	 * stream once per byte. */
	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;

		fwrite(spaces, 1, k, out);
		n -= k;
	}
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

static size_t num_width(double v, int prec)
{
	char buf[NB_NUMBUF];

	return nb_fmt_human(buf, v, prec);
}

static void measure(const struct nb_program *p, struct layout *w)
{
	const struct nb_tape *t = &p->tape;
	char buf[NB_ELIDE + 2];
	const char *text;
	size_t len, intext = 0;

	w->id = max(strlen("node"), 1 + digits(t->n ? t->n - 1 : 0));
	w->name = strlen("name");
	w->op = strlen("op");
	w->expr = strlen("expr");
	w->value = strlen("value");
	w->grad = strlen("grad");
	w->local = strlen("local");
	w->down = strlen("downstream");
	w->inid = 0;
	w->edges = t->nedge > 0;
	for (size_t i = 0; i < t->n; i++) {
		text = nb_node_shown_name(p, i, &len);
		w->name = max(w->name, elide_name(buf, &text, len, NB_ELIDE));
		w->op = max(w->op, strlen(nb_ops[t->op[i]].name));
		w->expr = max(w->expr, nb_text_elide(buf, p, i, w->elide));
		w->value = max(w->value, num_width(t->value[i], w->prec));
		w->grad = max(w->grad, num_width(t->grad[i], w->prec));
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			size_t in = t->in[e];

			w->inid = max(w->inid, 1 + digits(in));
			intext = max(intext, input_text(buf, p, in, &text, w));
			w->local = max(w->local,
				       num_width(t->local[e], w->prec));
			w->down = max(w->down, num_width(
				nb_downstream(t->grad[i], t->local[e]),
				w->prec));
		}
	}
	if (w->edges)
		w->expr = max(w->expr, INDENT + w->inid + 1 + intext);
}

/* The width of the table's widest line: the header's. */
static size_t table_width(const struct layout *w)
{
	size_t n = w->id + w->name + w->op + w->expr + w->value + w->grad;

	return w->edges ? n + w->local + w->down + 7 * strlen(GAP)
			: n + 5 * strlen(GAP);
}

/* Measures the table, fitting it into columns (0: no limit) as far as
 * the minimums let it. */
static void fit(const struct nb_program *p, size_t columns, struct layout *w)
{
	size_t have;

	w->elide = NB_ELIDE;
	measure(p, w);
	if (!columns)
		return;
	while ((have = table_width(w)) > columns && w->elide > MIN_ELIDE) {
		size_t room = w->elide < w->expr ? w->elide : w->expr;

		w->elide = room > MIN_ELIDE + (have - columns)
				   ? room - (have - columns) : MIN_ELIDE;
		measure(p, w);
	}
	while (table_width(w) > columns && w->prec > MIN_PREC) {
		w->prec--;
		measure(p, w);
	}
}

static void left(FILE *out, const char *s, size_t len, size_t width,
		 const char *color)
{
	if (len) {
		if (color)
			fputs(color, out);
		fwrite(s, 1, len, out);
		if (color)
			fputs(RESET, out);
	}
	pad(out, width - len);
}

static void right(FILE *out, const char *s, size_t width)
{
	size_t len = strlen(s);

	pad(out, width - len);
	fwrite(s, 1, len, out);
}

static void number(FILE *out, double v, const struct layout *w,
		   size_t width)
{
	char buf[NB_NUMBUF];

	nb_fmt_human(buf, v, w->prec);
	right(out, buf, width);
}

static void dashes(FILE *out, size_t n)
{
	while (n--)
		putc('-', out);
}

/* Dashes under each heading, so the header stands out without colour. */
static void rule(FILE *out, const struct layout *w)
{
	const size_t cols[] = { w->id, w->name, w->op, w->expr, w->value,
				w->grad, w->local, w->down };
	size_t ncols = w->edges ? 8 : 6;

	for (size_t k = 0; k < ncols; k++) {
		if (k)
			fputs(GAP, out);
		dashes(out, cols[k]);
	}
	putc('\n', out);
}

static void header(FILE *out, const struct layout *w)
{
	if (w->color)
		fputs(BOLD, out);
	right(out, "node", w->id);
	fputs(GAP, out);
	left(out, "name", 4, w->name, NULL);
	fputs(GAP, out);
	left(out, "op", 2, w->op, NULL);
	fputs(GAP, out);
	left(out, "expr", 4, w->expr, NULL);
	fputs(GAP, out);
	right(out, "value", w->value);
	fputs(GAP, out);
	right(out, "grad", w->grad);
	if (w->edges) {
		fputs(GAP, out);
		right(out, "local", w->local);
		fputs(GAP, out);
		right(out, "downstream", w->down);
	}
	if (w->color)
		fputs(RESET, out);
	putc('\n', out);
	rule(out, w);
}

static void node_row(FILE *out, const struct nb_program *p, size_t i,
		     const struct layout *w)
{
	const struct nb_tape *t = &p->tape;
	const char *op = nb_ops[t->op[i]].name, *name;
	char buf[NB_ELIDE + 2];
	size_t len;

	pad(out, w->id - 1 - digits(i));
	fprintf(out, "#%zu" GAP, i);
	name = nb_node_shown_name(p, i, &len);
	len = elide_name(buf, &name, len, NB_ELIDE);
	left(out, name, len, w->name, w->color ? NAME : NULL);
	fputs(GAP, out);
	left(out, op, strlen(op), w->op, NULL);
	fputs(GAP, out);
	len = nb_text_elide(buf, p, i, w->elide);
	left(out, buf, len, w->expr, NULL);
	fputs(GAP, out);
	number(out, t->value[i], w, w->value);
	fputs(GAP, out);
	number(out, t->grad[i], w, w->grad);
	putc('\n', out);
}

/* The line under node i for its input edge e. */
static void input_row(FILE *out, const struct nb_program *p, size_t i,
		      size_t e, const struct layout *w)
{
	const struct nb_tape *t = &p->tape;
	size_t in = t->in[e], len;
	char buf[NB_ELIDE + 2];
	const char *text;
	int named = nb_node_name(p, in, &len) != NULL;

	pad(out, w->id + w->name + w->op + 3 * strlen(GAP) + INDENT);
	fprintf(out, "#%zu", in);
	pad(out, w->inid - 1 - digits(in) + 1);
	len = input_text(buf, p, in, &text, w);
	left(out, text, len,
	     w->expr - INDENT - w->inid - 1, named && w->color ? NAME : NULL);
	pad(out, 2 * strlen(GAP) + w->value + w->grad);
	fputs(GAP, out);
	number(out, t->local[e], w, w->local);
	fputs(GAP, out);
	number(out, nb_downstream(t->grad[i], t->local[e]), w, w->down);
	putc('\n', out);
}

/* "f = -12" and "df/dx = -4" lines, their '=' signs in one column, at
 * the precision asked for. */
static void summary(FILE *out, const struct nb_program *p,
		    const struct nb_outspec *spec, int color)
{
	size_t olen, vlen, width;
	const char *oname = nb_program_outname(p, &olen), *vname;
	char buf[NB_NUMBUF], obuf[NB_ELIDE], vbuf[NB_ELIDE];

	olen = elide_name(obuf, &oname, olen, NB_ELIDE);
	width = olen;
	for (size_t k = 0; k < spec->nwrt; k++) {
		vname = nb_node_name(p, p->vars[spec->wrt[k]], &vlen);
		width = max(width, 3 + olen + elide_name(vbuf, &vname, vlen,
							  NB_ELIDE));
	}
	pad(out, width - olen);
	left(out, oname, olen, olen, color ? BOLD : NULL);
	nb_fmt_human(buf, p->tape.value[p->output], spec->precision);
	fprintf(out, " = %s\n", buf);
	for (size_t k = 0; k < spec->nwrt; k++) {
		size_t v = p->vars[spec->wrt[k]];

		vname = nb_node_name(p, v, &vlen);
		vlen = elide_name(vbuf, &vname, vlen, NB_ELIDE);
		pad(out, width - (3 + olen + vlen));
		if (color)
			fputs(BOLD, out);
		putc('d', out);
		fwrite(oname, 1, olen, out);
		fputs("/d", out);
		fwrite(vname, 1, vlen, out);
		if (color)
			fputs(RESET, out);
		nb_fmt_human(buf, p->tape.grad[v], spec->precision);
		fprintf(out, " = %s\n", buf);
	}
}

void nb_write_table(FILE *out, const struct nb_program *p,
		    const struct nb_outspec *spec)
{
	const struct nb_tape *t = &p->tape;
	struct layout w;

	if (spec->quiet) {
		summary(out, p, spec, spec->color);
		return;
	}
	w.prec = spec->precision;
	w.color = spec->color;
	fit(p, spec->columns, &w);
	header(out, &w);
	for (size_t r = 0; r < t->n; r++) {
		size_t i = row_node(p, r);

		node_row(out, p, i, &w);
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
			input_row(out, p, i, e, &w);
	}
	putc('\n', out);
	summary(out, p, spec, w.color);
}
