/* sink_csv.c - records as CSV (RFC 4180).
 *
 * A header line of the column names, then one line per row, fields
 * separated by commas, lines ending in LF.  A field is quoted only when
 * it must be: when it holds a comma, a quote, CR or LF, its quotes
 * doubled.  Numbers read back to the same double. */
#include "output/sink.h"

static int needs_quotes(const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (t[i] == ',' || t[i] == '"' || t[i] == '\r' || t[i] == '\n')
			return 1;
	return 0;
}

static void quoted(struct nb_out *o, const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '"')
			nb_out_putc(o, '"');
		nb_out_putc(o, t[i]);
	}
}

/* The field made of a then b. */
static void field(struct nb_sink *s, const char *a, size_t alen,
		  const char *b, size_t blen)
{
	int q = needs_quotes(a, alen) || needs_quotes(b, blen);

	if (s->k)
		nb_out_putc(s->out, ',');
	if (!q) {
		nb_out_put(s->out, a, alen);
		nb_out_put(s->out, b, blen);
		return;
	}
	nb_out_putc(s->out, '"');
	quoted(s->out, a, alen);
	quoted(s->out, b, blen);
	nb_out_putc(s->out, '"');
}

static void header(struct nb_sink *s)
{
	for (s->k = 0; s->k < s->ncol; s->k++) {
		const struct nb_col *c = &s->col[s->k];
		field(s, c->pre, strlen(c->pre), c->name, c->len);
	}
	s->k = 0;
	nb_out_putc(s->out, '\n');
}

static void text(struct nb_sink *s, const char *t, size_t len, int token)
{
	(void)token;
	field(s, "", 0, t, len);
}

static void number(struct nb_sink *s, double v)
{
	nb_sink_exact(s, ',', v);
}

const struct nb_sink_ops nb_csv_sink = { header, text, number,
					 nb_sink_no_note, nb_sink_newline,
					 nb_sink_nothing, 0, 0 };
