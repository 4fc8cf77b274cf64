/* batch_write.c - batch mode's rows as CSV, TSV, JSON Lines or a table.
 *
 * Every line is a sequence of fields, each a text or a number with a
 * column name; the format decides separators, quoting and keys:
 *   CSV    quotes a field only when it holds a comma, quote, CR or LF;
 *   TSV    cannot quote, so a tab, CR or LF in a text becomes a space;
 *   JSONL  one object per line, the column names as keys, non-finite
 *          numbers as the strings "nan", "inf", "-inf";
 *   table  right-aligned columns two spaces apart, numbers rounded to
 *          the precision; a text wider than its column shifts the rest
 *          of that line only.
 * Numbers in the data formats read back to the same double. */
#include "output/batch_write.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "num/numfmt.h"

#define BLOCK ((size_t)1 << 16)

/* A column's name: pre followed by len bytes at s ("dL/d" "x"). */
struct colname {
	const char *pre;
	const char *s;
	size_t len;
};

static const char *const node_cols[] = { "row", "node", "name", "op",
					 "value", "grad" };
static const char *const edge_cols[] = { "row", "node", "input", "local",
					 "downstream" };

static struct colname column_name(const struct nb_bwriter *w, size_t k);

/* --- the block buffer ------------------------------------------------ */

static void drain(struct nb_bwriter *w)
{
	errno = 0;
	if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->out) != w->n)
		w->err = errno ? errno : EIO;
	w->n = 0;
}

static void put(struct nb_bwriter *w, const char *s, size_t len)
{
	if (w->n + len > BLOCK)
		drain(w);
	if (len > BLOCK) {
		errno = 0;
		if (!w->err && fwrite(s, 1, len, w->out) != len)
			w->err = errno ? errno : EIO;
		return;
	}
	memcpy(w->buf + w->n, s, len);
	w->n += len;
}

static void putch(struct nb_bwriter *w, char c)
{
	if (w->n == BLOCK)
		drain(w);
	w->buf[w->n++] = c;
}

static void puts_(struct nb_bwriter *w, const char *s)
{
	put(w, s, strlen(s));
}

static void spaces(struct nb_bwriter *w, size_t n)
{
	while (n-- > 0)
		putch(w, ' ');
}

/* --- fields ------------------------------------------------------------ */

/* The bytes of a JSON string, escaped, without the quotes. */
static void json_chars(struct nb_bwriter *w, const char *s, size_t len)
{
	char esc[8];

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			putch(w, '\\');
			putch(w, (char)c);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			puts_(w, esc);
		} else {
			putch(w, (char)c);
		}
	}
}

static void json_string(struct nb_bwriter *w, const char *s, size_t len)
{
	putch(w, '"');
	json_chars(w, s, len);
	putch(w, '"');
}

static void json_key(struct nb_bwriter *w, const struct colname *c)
{
	putch(w, '"');
	puts_(w, c->pre);
	json_chars(w, c->s, c->len);
	puts_(w, "\":");
}

/* What comes before column k of a line. */
static void separator(struct nb_bwriter *w, size_t k,
		      const struct colname *name)
{
	if (w->fmt == NB_FMT_JSONL) {
		putch(w, k ? ',' : '{');
		json_key(w, name);
	} else if (k) {
		puts_(w, w->fmt == NB_FMT_CSV ? "," : w->fmt == NB_FMT_TSV
							  ? "\t" : "  ");
	}
}

static void csv_text(struct nb_bwriter *w, const char *s, size_t len)
{
	int quote = 0;

	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' ||
			s[i] == '\n';
	if (!quote) {
		put(w, s, len);
		return;
	}
	putch(w, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			putch(w, '"');
		putch(w, s[i]);
	}
	putch(w, '"');
}

/* A text with tabs and line breaks as spaces (TSV, table). */
static void flat_text(struct nb_bwriter *w, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		putch(w, s[i] == '\t' || s[i] == '\r' || s[i] == '\n' ? ' '
								      : s[i]);
}

static void text(struct nb_bwriter *w, size_t k, const struct colname *name,
		 const char *s, size_t len, int bare)
{
	separator(w, k, name);
	switch (w->fmt) {
	case NB_FMT_CSV:
		csv_text(w, s, len);
		break;
	case NB_FMT_JSONL:
		if (bare)
			put(w, s, len);
		else
			json_string(w, s, len);
		break;
	case NB_FMT_TABLE:
		if ((size_t)w->width[k] > len)
			spaces(w, (size_t)w->width[k] - len);
		/* fall through */
	default:
		flat_text(w, s, len);
		break;
	}
}

/* A number goes straight into the block: in the data formats it never
 * needs quoting or flattening, and only JSONL wants the column's name. */
static void number(struct nb_bwriter *w, size_t k, double v)
{
	struct colname c = { "", NULL, 0 };
	int quote = w->fmt == NB_FMT_JSONL && !isfinite(v);

	if (w->fmt == NB_FMT_JSONL)
		c = column_name(w, k);
	if (w->fmt == NB_FMT_TABLE) {
		char buf[NB_NUMBUF];
		size_t len = nb_fmt_human(buf, v, w->precision);
		text(w, k, &c, buf, len, 1);
		return;
	}
	separator(w, k, &c);
	if (w->n + NB_NUMBUF + 2 > BLOCK)
		drain(w);
	if (quote)
		w->buf[w->n++] = '"';
	w->n += nb_fmt_exact(w->buf + w->n, v);
	if (quote)
		w->buf[w->n++] = '"';
}

static void end_line(struct nb_bwriter *w)
{
	if (w->fmt == NB_FMT_JSONL)
		putch(w, '}');
	putch(w, '\n');
}

/* --- columns ----------------------------------------------------------- */

static size_t ncolumns(const struct nb_bwriter *w)
{
	if (w->layout == NB_NODES)
		return sizeof node_cols / sizeof *node_cols;
	if (w->layout == NB_EDGES)
		return sizeof edge_cols / sizeof *edge_cols;
	return w->necho + 1 + w->nwrt + w->nx;
}

static struct colname plain(const char *s)
{
	return (struct colname){ "", s, strlen(s) };
}

/* The name of column k of the wide layout. */
static struct colname wide_name(const struct nb_bwriter *w, size_t k)
{
	const struct nb_program *p = w->p;
	struct colname c = { "", NULL, 0 };
	struct nb_span sp;

	if (k < w->necho) {
		c.s = w->names[k].s;
		c.len = w->names[k].len;
	} else if (k == w->necho) {
		c.s = nb_program_outname(p, &c.len);
	} else if (k > w->necho + w->nwrt) {
		const struct nb_bcolumn *x = &w->xcol[k - w->necho - w->nwrt - 1];
		c.pre = x->pre;
		c.s = x->name;
		c.len = x->len;
	} else {
		sp = nb_tape_name(&p->tape, p->vars[w->wrt[k - w->necho - 1]]);
		c.pre = w->dout;
		c.s = p->src.text + sp.start;
		c.len = sp.len;
	}
	return c;
}

static struct colname column_name(const struct nb_bwriter *w, size_t k)
{
	if (w->layout == NB_NODES)
		return plain(node_cols[k]);
	if (w->layout == NB_EDGES)
		return plain(edge_cols[k]);
	return wide_name(w, k);
}

/* Whether column k holds numbers (right-aligned to the precision). */
static int numeric(const struct nb_bwriter *w, size_t k)
{
	if (w->layout == NB_NODES)
		return k >= 4;
	if (w->layout == NB_EDGES)
		return k >= 3;
	return k <= w->necho + w->nwrt || w->xcol[k - w->necho - w->nwrt - 1]
						  .numeric;
}

/* Table widths: wide enough for the name and for any number at the
 * precision ("-1.23457e-300" is the precision plus 7), or for any node
 * name and op of the program. */
static void table_widths(struct nb_bwriter *w)
{
	size_t num = (size_t)w->precision + 7;

	for (size_t k = 0; k < ncolumns(w); k++) {
		struct colname c = column_name(w, k);
		size_t len = strlen(c.pre) + c.len, min = numeric(w, k) ? num : 6;
		w->width[k] = (int)(len > min ? len : min);
	}
	if (w->layout != NB_NODES)
		return;
	for (size_t i = 0; i < w->p->tape.n; i++) {
		size_t len = 0, oplen = strlen(nb_ops[w->p->tape.op[i]].name);
		if (nb_node_name(w->p, i, &len) && len > (size_t)w->width[2])
			w->width[2] = (int)len;
		if (oplen > (size_t)w->width[3])
			w->width[3] = (int)oplen;
	}
}

int nb_bw_init(struct nb_bwriter *w, FILE *out, enum nb_format fmt,
	       enum nb_layout layout, int precision,
	       const struct nb_program *p, const size_t *wrt, size_t nwrt,
	       const struct nb_cell *names, size_t necho)
{
	size_t olen;
	const char *oname = nb_program_outname(p, &olen);

	*w = (struct nb_bwriter){ .out = out, .fmt = fmt, .layout = layout,
				  .precision = precision, .p = p, .wrt = wrt,
				  .nwrt = nwrt, .names = names,
				  .necho = layout == NB_WIDE ? necho : 0 };
	w->buf = nb_malloc(BLOCK);
	w->width = nb_malloc(ncolumns(w) * sizeof *w->width);
	w->dout = nb_malloc(olen + 4);
	if (!w->buf || !w->width || !w->dout) {
		nb_bw_free(w);
		return -1;
	}
	sprintf(w->dout, "d%.*s/d", (int)olen, oname);
	if (fmt == NB_FMT_TABLE)
		table_widths(w);
	return 0;
}

int nb_bw_columns(struct nb_bwriter *w, const struct nb_bcolumn *xcol,
		  size_t nx, const struct nb_cell *xcell)
{
	int *width = nb_realloc(w->width, (ncolumns(w) + nx) * sizeof *width);

	if (!width)
		return -1;
	w->width = width;
	w->xcol = xcol;
	w->nx = nx;
	w->xcell = xcell;
	if (w->fmt == NB_FMT_TABLE)
		table_widths(w);
	return 0;
}

void nb_bw_free(struct nb_bwriter *w)
{
	nb_free(w->buf);
	nb_free(w->width);
	nb_free(w->dout);
	w->buf = NULL;
	w->width = NULL;
	w->dout = NULL;
}

void nb_bw_header(struct nb_bwriter *w)
{
	size_t n = ncolumns(w);

	if (w->fmt == NB_FMT_JSONL)
		return;
	for (size_t k = 0; k < n; k++) {
		struct colname c = column_name(w, k);
		size_t pre = strlen(c.pre), len = pre + c.len;
		separator(w, k, &c);
		if (w->fmt == NB_FMT_TABLE && (size_t)w->width[k] > len)
			spaces(w, (size_t)w->width[k] - len);
		put(w, c.pre, pre);
		if (w->fmt == NB_FMT_CSV)
			csv_text(w, c.s, c.len);
		else
			flat_text(w, c.s, c.len);
	}
	end_line(w);
}

/* --- rows --------------------------------------------------------------- */

static void count(struct nb_bwriter *w, size_t k, size_t v)
{
	char buf[24];
	struct colname c = column_name(w, k);

	text(w, k, &c, buf, (size_t)snprintf(buf, sizeof buf, "%zu", v), 1);
}

static void num_col(struct nb_bwriter *w, size_t k, double v, int ok)
{
	number(w, k, ok ? v : NAN);
}

static void wide_row(struct nb_bwriter *w, const struct nb_cell *echo,
		     int ok)
{
	const struct nb_tape *t = &w->p->tape;
	size_t k = 0;

	for (; k < w->necho; k++) {
		struct colname c = column_name(w, k);
		if (w->fmt == NB_FMT_JSONL && echo[k].num)
			number(w, k, echo[k].v);
		else
			text(w, k, &c, echo[k].s, echo[k].len, echo[k].bare);
	}
	num_col(w, k++, t->value[w->p->output], ok);
	for (size_t i = 0; i < w->nwrt; i++)
		num_col(w, k++, t->grad[w->p->vars[w->wrt[i]]], ok);
	for (size_t i = 0; i < w->nx; i++, k++) {
		const struct nb_cell *x = &w->xcell[i];
		struct colname c = column_name(w, k);
		if (!ok || x->num)
			num_col(w, k, x->v, ok);
		else
			text(w, k, &c, x->s, x->len, 0);
	}
	end_line(w);
}

static void node_row(struct nb_bwriter *w, size_t row, size_t i, int ok)
{
	const struct nb_tape *t = &w->p->tape;
	struct colname c = column_name(w, 2);
	size_t len = 0;
	const char *name = nb_node_name(w->p, i, &len);
	const char *op = nb_ops[t->op[i]].name;

	count(w, 0, row);
	count(w, 1, i);
	if (!name && w->fmt == NB_FMT_JSONL)
		text(w, 2, &c, "null", 4, 1);
	else
		text(w, 2, &c, name ? name : "", len, 0);
	c = column_name(w, 3);
	text(w, 3, &c, op, strlen(op), 0);
	num_col(w, 4, t->value[i], ok);
	num_col(w, 5, t->grad[i], ok);
	end_line(w);
}

static void edge_rows(struct nb_bwriter *w, size_t row, size_t i, int ok)
{
	const struct nb_tape *t = &w->p->tape;

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		count(w, 0, row);
		count(w, 1, i);
		count(w, 2, t->in[e]);
		num_col(w, 3, t->local[e], ok);
		num_col(w, 4, nb_downstream(t->grad[i], t->local[e]), ok);
		end_line(w);
	}
}

void nb_bw_row(struct nb_bwriter *w, size_t row, const struct nb_cell *echo,
	       int ok)
{
	if (w->layout == NB_WIDE) {
		wide_row(w, echo, ok);
		return;
	}
	for (size_t i = 0; i < w->p->tape.n; i++) {
		if (w->layout == NB_NODES)
			node_row(w, row, i, ok);
		else
			edge_rows(w, row, i, ok);
	}
}

int nb_bw_flush(struct nb_bwriter *w)
{
	drain(w);
	errno = 0;
	if (!w->err && fflush(w->out) == EOF)
		w->err = errno ? errno : EIO;
	if (w->err) {
		errno = w->err;
		return -1;
	}
	return 0;
}
