/* sink_jsonl.c - records as JSON Lines: one object per line, keyed by
 * the column names, no header (sink_json.c escapes and writes numbers). */
#include "output/sink.h"

static void header(struct nb_sink *s)
{
	(void)s;
}

static void key(struct nb_sink *s)
{
	nb_out_putc(s->out, s->k ? ',' : '{');
	nb_json_key(s->out, &s->col[s->k]);
	nb_out_putc(s->out, ':');
}

static void text(struct nb_sink *s, const char *t, size_t len, int token)
{
	key(s);
	if (token)
		nb_out_put(s->out, t, len);
	else
		nb_json_string(s->out, t, len);
}

static void number(struct nb_sink *s, double v)
{
	key(s);
	nb_json_number(s->out, v);
}

static void note(struct nb_sink *s, const char *t, size_t len)
{
	(void)s, (void)t, (void)len;
}

static void end_row(struct nb_sink *s)
{
	nb_out_puts(s->out, "}\n");
}

static void end(struct nb_sink *s)
{
	(void)s;
}

const struct nb_sink_ops nb_jsonl_sink = { header, text, number, note,
					   end_row, end, 0, 1 };
