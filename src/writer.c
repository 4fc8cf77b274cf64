/* writer.c - the one entry to every output format, and the expression
 * text all of them show.
 *
 * A node's expression text is a slice of the program, so it may span
 * lines, hold tabs and even comments; every format shows it the same
 * way, with each run of whitespace and comments read as one space. */
#include "writer.h"

#include <errno.h>
#include <string.h>

static const char *const format_names[] = {
	[NB_FMT_TABLE] = "table",
	[NB_FMT_CSV] = "csv",
	[NB_FMT_TSV] = "tsv",
	[NB_FMT_JSON] = "json",
	[NB_FMT_DOT] = "dot",
};

int nb_format_parse(const char *name)
{
	for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
		if (strcmp(name, format_names[i]) == 0)
			return (int)i;
	return -1;
}

int nb_write(FILE *out, const struct nb_program *p,
	     const struct nb_outspec *spec)
{
	errno = 0;
	switch (spec->format) {
	case NB_FMT_TABLE:
		nb_write_table(out, p, spec);
		break;
	case NB_FMT_CSV:
	case NB_FMT_TSV:
		nb_write_csv(out, p, spec);
		break;
	case NB_FMT_JSON:
		nb_write_json(out, p, spec);
		break;
	case NB_FMT_DOT:
		nb_write_dot(out, p, spec);
		break;
	}
	/* The writers go on after a failed write (stdio makes that harmless)
	 * so that the error is checked once, here, after the final flush. */
	if (fflush(out) == EOF || ferror(out)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
		|| c == '\f';
}

void nb_text_init(struct nb_textcur *c, const struct nb_program *p,
		  size_t node)
{
	struct nb_span sp = p->tape.span[node];

	c->s = p->src.text + sp.start;
	c->end = c->s + sp.len;
	c->started = 0;
}

int nb_text_next(struct nb_textcur *c)
{
	int gap = 0;

	while (c->s < c->end) {
		if (*c->s == '#') {
			while (c->s < c->end && *c->s != '\n')
				c->s++;
		} else if (!is_space((unsigned char)*c->s)) {
			break;
		} else {
			c->s++;
		}
		gap = 1;
	}
	if (c->s == c->end)
		return -1;
	/* The byte after a gap stays unread, so the next call returns it. */
	if (gap && c->started)
		return ' ';
	c->started = 1;
	return (unsigned char)*c->s++;
}

/* The last at most max bytes of the display text of [s, end), read
 * backwards, into buf.  It stops at a newline: the line before may end in
 * a comment, which only a scan from that line's start would recognise,
 * and the last line of an expression holds none (the text ends in a
 * token, not in a comment). */
static size_t text_tail(char *buf, const char *s, const char *end,
			size_t max)
{
	size_t n = 0;
	int gap = 0;

	while (end > s && end[-1] != '\n') {
		unsigned char c = (unsigned char)*--end;

		if (is_space(c)) {
			gap = n > 0;
			continue;
		}
		if (n + (size_t)gap + 1 > max)
			break;
		if (gap)
			buf[max - ++n] = ' ';
		buf[max - ++n] = (char)c;
		gap = 0;
	}
	memmove(buf, buf + max - n, n);
	return n;
}

size_t nb_text_elide(char *buf, const struct nb_program *p, size_t node,
		     size_t width)
{
	struct nb_textcur c;
	struct nb_span sp = p->tape.span[node];
	char tail[NB_ELIDE];
	size_t n = 0, head, ntail;
	int ch;

	nb_text_init(&c, p, node);
	while (n <= width && (ch = nb_text_next(&c)) >= 0)
		buf[n++] = (char)ch;
	if (n <= width) {
		buf[n] = '\0';
		return n;
	}
	/* Both ends: an expression's last bytes (closing parentheses, the
	 * last operand) say as much about it as its first. */
	ntail = text_tail(tail, p->src.text + sp.start,
			  p->src.text + sp.start + sp.len, (width - 3) / 2);
	head = width - 3 - ntail;
	while (head > 0 && buf[head - 1] == ' ')
		head--;
	memcpy(buf + head, "...", 3);
	memcpy(buf + head + 3, tail, ntail);
	buf[head + 3 + ntail] = '\0';
	return head + 3 + ntail;
}
