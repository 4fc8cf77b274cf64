/* sink_jsonl.c - records as JSON Lines: one object per line, keyed by
 * the column names, no header (sink_json.c escapes and writes numbers). */
#include "output/sink.h"

static void key(struct nb_sink *s)
{
	nb_out_putc(s->out, s->k ? ',' : '{');
	nb_json_key(s->out, &s->col[s->k]);
	nb_out_putc(s->out, ':');
}

static void text(struct nb_sink *s, const char *t, size_t len, int token)
{
	key(s);
	nb_json_text(s->out, t, len, token);
}

static void number(struct nb_sink *s, double v)
{
	key(s);
	nb_json_number(s->out, v);
}

static void end_row(struct nb_sink *s)
{
	nb_out_puts(s->out, "}\n");
}

const struct nb_sink_ops nb_jsonl_sink = { nb_sink_nothing, text, number,
					   nb_sink_no_note, end_row,
					   nb_sink_nothing, 0, 1 };
