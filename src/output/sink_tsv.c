/* sink_tsv.c - records as TSV (tab-separated values).
 *
 * A header line of the column names, then one line per row, fields
 * separated by tabs, lines ending in LF.  TSV has no quoting, so a tab,
 * CR or LF in a text is written as a space.  Numbers read back to the
 * same double. */
#include "output/sink.h"

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
	nb_sink_exact(s, '\t', v);
}

const struct nb_sink_ops nb_tsv_sink = { header, text, number,
					 nb_sink_no_note, nb_sink_newline,
					 nb_sink_nothing, 0, 0 };
