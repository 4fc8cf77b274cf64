/* sink_tsv.c - records as TSV (tab-separated values).
 *
 * A header line of the column names, then one line per row, fields
 * separated by tabs, lines ending in LF.  TSV has no quoting, so a tab,
 * CR or LF in a text is written as a space.  Numbers read back to the
 * same double. */
#include "output/sink.h"

#include "num/numfmt.h"

static void header(struct nb_sink *s)
{
	for (size_t k = 0; k < s->ncol; k++) {
		const struct nb_col *c = &s->col[k];
		if (k)
			nb_out_putc(s->out, '\t');
		nb_sink_flat(s->out, c->pre, strlen(c->pre));
		nb_sink_flat(s->out, c->name, c->len);
	}
	nb_out_putc(s->out, '\n');
}

static void text(struct nb_sink *s, const char *t, size_t len, int token)
{
	(void)token;
	if (s->k)
		nb_out_putc(s->out, '\t');
	nb_sink_flat(s->out, t, len);
}

static void number(struct nb_sink *s, double v)
{
	char *p = nb_out_room(s->out, NB_NUMBUF + 1);
	size_t n = 0;

	if (s->k)
		p[n++] = '\t';
	s->out->n += n + nb_fmt_exact(p + n, v);
}

static void note(struct nb_sink *s, const char *t, size_t len)
{
	(void)s, (void)t, (void)len;
}

static void end_row(struct nb_sink *s)
{
	nb_out_putc(s->out, '\n');
}

static void end(struct nb_sink *s)
{
	(void)s;
}

const struct nb_sink_ops nb_tsv_sink = { header, text, number, note,
					 end_row, end, 0, 0 };
