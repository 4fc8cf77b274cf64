/* sink_table.c - records as an aligned table for people.
 *
 *   input  grad  d/dx  d/dy
 *   -----  ----  ----  ----
 *   x         3     0     1
 *
 * Columns two spaces apart; numbers (and texts of NB_COL_RIGHT columns)
 * aligned right, rounded to the precision; other texts aligned left,
 * padded but in the last column.  A measured table is as wide as its
 * widest cells and has a rule of dashes under the header; a streamed
 * one (batch mode) has widths fixed in advance, and a cell wider than
 * its column shifts the rest of its line only.  Control bytes and bytes
 * that are not UTF-8 are escaped, as in messages.  Blanks are written only
 * before a cell that has text, so no line ends in blanks. */
#include "output/sink.h"

#include "core/escape.h"
#include "num/numfmt.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"

static int right(const struct nb_sink *s)
{
	return (s->col[s->k].flags & (NB_COL_NUM | NB_COL_RIGHT)) != 0;
}

/* The character at t[0..len) as the table shows it, into out (*n
 * bytes); returns the bytes of t it stands for.  The table is for
 * people: tabs and line breaks show as spaces, and the bytes a terminal
 * would act on (ESC, other control codes, C1 codes) or that are not
 * UTF-8 as \xHH, like data quoted in a message (core/escape.h). */
static size_t shown_char(const char *t, size_t len,
			 char out[NB_ESCAPED_MAX], size_t *n)
{
	if (*t == '\t' || *t == '\r' || *t == '\n') {
		out[0] = ' ';
		*n = 1;
		return 1;
	}
	return nb_escape_char(t, len, out, n);
}

/* The columns t[0..len) takes: a UTF-8 character kept as it is takes
 * one (escapes are ASCII). */
static size_t shown_width(const char *t, size_t len)
{
	char c[NB_ESCAPED_MAX];
	size_t shown = 0, n;

	for (size_t i = 0; i < len; shown += (unsigned char)c[0] >= 0x80 ? 1
									 : n)
		i += shown_char(t + i, len - i, c, &n);
	return shown;
}

static void shown(struct nb_out *o, const char *t, size_t len)
{
	char c[NB_ESCAPED_MAX];
	size_t n;

	for (size_t i = 0; i < len; nb_out_put(o, c, n))
		i += shown_char(t + i, len - i, c, &n);
}

/* The cell of the current column made of a (digits, a heading's
 * prefix) then b (any text). */
static void cell(struct nb_sink *s, const char *a, size_t alen,
		 const char *b, size_t blen)
{
	size_t len = alen + shown_width(b, blen), w = s->width[s->k];

	if (s->measuring) {
		if (len > w)
			s->width[s->k] = len;
		return;
	}
	s->owed += s->k ? 2 : 0;
	if (right(s) && w > len)
		s->owed += w - len;
	if (len) {
		nb_out_spaces(s->out, s->owed);
		s->owed = 0;
		nb_out_put(s->out, a, alen);
		shown(s->out, b, blen);
	}
	if (!right(s) && s->k + 1 < s->ncol && w > len)
		s->owed += w - len;
}

static void header(struct nb_sink *s)
{
	if (s->color)
		nb_out_puts(s->out, BOLD);
	for (s->k = 0; s->k < s->ncol; s->k++) {
		const struct nb_col *c = &s->col[s->k];
		cell(s, c->pre, strlen(c->pre), c->name, c->len);
	}
	s->k = 0;
	s->owed = 0;
	if (s->color)
		nb_out_puts(s->out, RESET);
	nb_out_putc(s->out, '\n');
	if (s->stream)
		return;
	for (size_t k = 0; k < s->ncol; k++) {
		if (k)
			nb_out_puts(s->out, "  ");
		for (size_t i = 0; i < s->width[k]; i++)
			nb_out_putc(s->out, '-');
	}
	nb_out_putc(s->out, '\n');
}

static void text(struct nb_sink *s, const char *t, size_t len, int token)
{
	(void)token;
	cell(s, "", 0, t, len);
}

static void number(struct nb_sink *s, double v)
{
	char buf[NB_NUMBUF];
	int prec = s->col[s->k].prec ? s->col[s->k].prec : s->prec;

	cell(s, buf, nb_fmt_human(buf, v, prec), "", 0);
}

static void note(struct nb_sink *s, const char *t, size_t len)
{
	if (!s->measuring)
		nb_out_put(s->out, t, len);
}

static void end_row(struct nb_sink *s)
{
	s->owed = 0;
	if (!s->measuring)
		nb_out_putc(s->out, '\n');
}

const struct nb_sink_ops nb_table_sink = { header, text, number, note,
					   end_row, nb_sink_nothing, 1, 0 };
