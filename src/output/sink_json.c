/* sink_json.c - records as a JSON array of objects, and JSON's strings
 * and numbers for every writer.
 *
 *   [
 *     {"input": "x", "grad": 3, "d/dx": 0},
 *     {"input": "y", "grad": 2, "d/dx": 1}
 *    ]
 *
 * One object per line, keyed by the column names; the reports wrap the
 * array in an object of their own.  Strings escape quotes, backslashes
 * and control codes, and are always UTF-8; numbers read back to the same double, and JSON has
 * no nan or infinity, so those are the strings "nan", "inf", "-inf". */
#include "output/sink.h"

#include <math.h>

#include "core/escape.h"
#include "num/numfmt.h"

/* Bytes a JSON string may hold as they are: printable ASCII but the two
 * it must escape. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* JSON text is UTF-8 (RFC 8259): a byte that is not (a CSV field in
 * Latin-1) becomes U+FFFD, so a JSON reader never fails on the line;
 * control codes, DEL and C1 codes are \u escapes, so no terminal acts
 * on them. */
static void chars(struct nb_out *o, const char *t, size_t len)
{
	const unsigned char *u = (const unsigned char *)t;
	size_t i = 0, run, k;

	while (i < len) {
		for (run = i; run < len && plain(u[run]); run++)
			;
		nb_out_put(o, t + i, run - i);
		if (run == len)
			break;
		k = nb_utf8_len(u + run, len - run);
		if (k == 0) {
			nb_out_puts(o, "\xef\xbf\xbd");
			k = 1;
		} else if (u[run] == '"' || u[run] == '\\') {
			nb_out_putc(o, '\\');
			nb_out_putc(o, t[run]);
		} else if (k == 1 || nb_utf8_is_c1(u + run, k)) {
			nb_out_printf(o, "\\u%04x", k == 1 ? u[run] : u[run + 1]);
		} else {
			nb_out_put(o, t + run, k);
		}
		i = run + k;
	}
}

void nb_json_string(struct nb_out *o, const char *t, size_t len)
{
	nb_out_putc(o, '"');
	chars(o, t, len);
	nb_out_putc(o, '"');
}

void nb_json_key(struct nb_out *o, const struct nb_col *c)
{
	nb_out_putc(o, '"');
	chars(o, c->pre, strlen(c->pre));
	chars(o, c->name, c->len);
	nb_out_putc(o, '"');
}

void nb_json_text(struct nb_out *o, const char *t, size_t len, int token)
{
	if (token)
		nb_out_put(o, t, len);
	else
		nb_json_string(o, t, len);
}

void nb_json_number(struct nb_out *o, double v)
{
	char *p = nb_out_room(o, NB_NUMBUF + 2);
	int quote = !isfinite(v);

	if (quote)
		*p++ = '"';
	p += nb_fmt_exact(p, v);
	if (quote)
		*p++ = '"';
	o->n = (size_t)(p - o->buf);
}

static void header(struct nb_sink *s)
{
	nb_out_putc(s->out, '[');
}

/* What comes before a value: the separator and the key. */
static void key(struct nb_sink *s)
{
	nb_out_puts(s->out, s->k ? ", " : s->nrows ? ",\n  {" : "\n  {");
	nb_json_key(s->out, &s->col[s->k]);
	nb_out_puts(s->out, ": ");
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
	nb_out_putc(s->out, '}');
}

static void end(struct nb_sink *s)
{
	nb_out_puts(s->out, s->nrows ? "\n ]" : "]");
}

const struct nb_sink_ops nb_json_sink = { header, text, number,
					  nb_sink_no_note, end_row, end, 0, 1 };
