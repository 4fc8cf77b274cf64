/* writer.c - the one entry to every output format, and the expression
 * text all of them show.
 *
 * A node's expression text is a slice of the program, so it may span
 * lines, hold tabs and even comments; every format shows it the same
 * way, with each run of whitespace and comments read as one space. */
#include "output/writer.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "output/ndfmt.h"
#include "output/outfile.h"
#include "output/sink.h"

/* The records of p through an output block: nested JSON for a typed
 * format, else the long node table. */
static int write_records(FILE *out, const struct nb_program *p,
			 const struct nb_outspec *spec)
{
	char buf[NB_OUT_SMALL];
	struct nb_out o;

	nb_out_init(&o, out, buf, sizeof buf);
	if (nb_sink_typed(spec->format))
		nb_write_json(&o, p, spec);
	else
		nb_write_rows(&o, p, spec);
	return nb_out_close(&o);
}

int nb_write(FILE *out, const struct nb_program *p,
	     const struct nb_outspec *spec)
{
	errno = 0;
	if (nb_format_graph(spec->format))
		nb_write_dot(out, p, spec);
	else if (spec->format == NB_FMT_TABLE)
		nb_write_table(out, p, spec);
	else
		return write_records(out, p, spec);
	/* The writers go on after a failed write (stdio makes that harmless)
	 * so that the error is checked once, here, after the final flush. */
	return nb_flush_out(out);
}

size_t nb_outspec_max(const struct nb_outspec *spec)
{
	if (spec->max_elements == 0)
		return NB_MAX_ELEMENTS;
	return spec->max_elements == SIZE_MAX ? 0 : spec->max_elements;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
		|| c == '\f';
}

/* A cursor over a node's display text. */
struct textcur {
	const char *s, *end;
	int started;            /* a byte has been returned */
};

static void text_init(struct textcur *c, const struct nb_program *p,
		      size_t node)
{
	struct nb_span sp = nb_tape_span(&p->tape, node);

	c->s = p->src.text + sp.start;
	c->end = c->s + sp.len;
	c->started = 0;
}

/* The next byte of the display text, or -1 at its end. */
static int text_next(struct textcur *c)
{
	int gap = 0;

	while (c->s < c->end) {
		if (*c->s == '#') {
			while (c->s < c->end && *c->s != '\n')
				c->s++;
		} else if (*c->s == '\\' && c->s + 1 < c->end &&
			   c->s[1] == '\n') {
			c->s += 2;      /* a line join, a blank to the lexer */
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

/* Whether c may continue an identifier or a number: eliding between two
 * of these would show a fragment ("si" of "sin") as if it were a name. */
static int is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		|| (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* The display text of [s, end) read backwards into buf, at most max + 1
 * bytes (one more than the tail may use, to see what precedes it).  It
 * stops at a newline: the line before may end in a comment, which only a
 * scan from that line's start would recognise, and the last line of an
 * expression holds none (the text ends in a token, not in a comment). */
static size_t text_back(char *buf, const char *s, const char *end,
			size_t max)
{
	size_t n = 0, cap = max + 1;
	int gap = 0;

	while (end > s && end[-1] != '\n') {
		unsigned char c = (unsigned char)*--end;

		if (is_space(c)) {
			gap = n > 0;
			continue;
		}
		if (n + (size_t)gap + 1 > cap)
			break;
		if (gap)
			buf[cap - ++n] = ' ';
		buf[cap - ++n] = (char)c;
		gap = 0;
	}
	memmove(buf, buf + cap - n, n);
	return n;
}

/* The tail of an elided text: at most max bytes, starting at a word
 * boundary (so empty if one word fills it all), at the front of buf. */
static size_t text_tail(char *buf, const char *s, const char *end,
			size_t max)
{
	size_t n = text_back(buf, s, end, max), k = 0;

	if (n > max) {
		k = 1;
		while (k < n && is_word(buf[k - 1]) && is_word(buf[k]))
			k++;
	}
	memmove(buf, buf + k, n - k);
	return n - k;
}

size_t nb_text_elide(char *buf, const struct nb_program *p, size_t node,
		     size_t width)
{
	struct textcur c;
	struct nb_span sp = nb_tape_span(&p->tape, node);
	char tail[NB_ELIDE_DATA / 2];
	size_t n = 0, head, ntail;
	int ch;

	text_init(&c, p, node);
	while (n <= width && (ch = text_next(&c)) >= 0)
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
	/* buf holds width + 1 > head bytes, so buf[head] is the next one. */
	if (is_word(buf[head - 1]) && is_word(buf[head])) {
		size_t h = head;

		while (h > 0 && is_word(buf[h - 1]))
			h--;
		if (h >= head / 2)
			head = h;
	}
	memcpy(buf + head, "...", 3);
	memcpy(buf + head + 3, tail, ntail);
	buf[head + 3 + ntail] = '\0';
	return head + 3 + ntail;
}
