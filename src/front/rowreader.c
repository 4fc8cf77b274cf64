/* rowreader.c - CSV (RFC 4180), TSV and JSON Lines records.
 *
 * Bytes come from read(2) into one block, so a record is handed on as
 * soon as its line arrives (tail -f | nabla --batch works) and stdio
 * adds no second copy.  Each byte of a record is kept twice: as read
 * (raw, so that a diagnostic can show the line with a caret under the
 * column) and as field data (unquoted, unescaped).  Both buffers are
 * reused from record to record.  A line of plain fields wholly in the
 * block, the usual CSV or TSV record, is split in one pass and copied
 * whole; anything else goes byte by byte.
 *
 * CSV: fields separated by commas; a field may be quoted, and then holds
 * commas, doubled quotes and newlines; a quote inside an unquoted field,
 * or anything but a separator or the end of the line after a closing
 * quote, is an error rather than a guess.  TSV has no quoting at all
 * (IANA text/tab-separated-values).  Lines end in LF or CRLF; a UTF-8
 * byte order mark at the very start is skipped; blank lines are skipped.
 * JSONL: one flat object per line; values are strings or bare tokens
 * (numbers), and the caller decides what they mean. */
#include "front/rowreader.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "front/stop.h"
#include "num/numfmt.h"

#define BLOCK ((size_t)1 << 16)
/* How often a wait for input looks for a signal that asks to stop. */
#define STOP_POLL_MS 100
#define END (-1)

int nb_rr_open(struct nb_rowreader *r, FILE *in, const char *name,
	       enum nb_rowfmt fmt)
{
	memset(r, 0, sizeof *r);
	r->in = in;
	r->name = name;
	r->fmt = fmt;
	r->line = 1;
	r->maxrec = NB_RR_MAXREC_DEFAULT;
	r->blk = nb_malloc(BLOCK);
	/* data and raw are never NULL, even for a record of empty fields:
	 * callers may then take r->data + f->off, or copy r->datalen bytes
	 * from it, without a special case. */
	if (!r->blk || nb_grow((void **)&r->data, &r->datacap, 64, 1) ||
	    nb_grow((void **)&r->raw, &r->rawcap, 64, 1))
		return -1;
	return 0;
}

void nb_rr_close(struct nb_rowreader *r)
{
	nb_free(r->blk);
	nb_free(r->raw);
	nb_free(r->data);
	nb_free(r->f);
	r->blk = NULL;
	r->raw = r->data = NULL;
	r->f = NULL;
}

/* Waits for input on fd; -1 when a signal asks to stop (stop.h).  A
 * signal that comes after the last look and before read() blocks would
 * not interrupt it, so the wait wakes now and then to look again. */
static int wait_input(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (!nb_stop_pending()) {
		int n = poll(&p, 1, STOP_POLL_MS);
		/* input, or an error that read() will tell */
		if (n > 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			return 0;
	}
	return -1;
}

/* Reads more input; returns the number of bytes, 0 at the end (or after
 * a read error, which sets ioerr, or a signal that asks to stop). */
static size_t fill(struct nb_rowreader *r)
{
	ssize_t got;

	if (r->eof)
		return 0;
	do {
		got = -1;
		errno = EINTR;
		if (wait_input(fileno(r->in)) == 0)
			got = read(fileno(r->in), r->blk, BLOCK);
	} while (got < 0 && errno == EINTR && !nb_stop_pending());
	if (got <= 0) {
		r->eof = 1;
		if (got < 0 && errno != EINTR)
			r->ioerr = errno;
		return 0;
	}
	r->pos = 0;
	r->end = (size_t)got;
	return r->end;
}

/* Skips a UTF-8 byte order mark at the start of the stream, which may
 * arrive split over several reads. */
static void skip_bom(struct nb_rowreader *r)
{
	static const unsigned char bom[3] = { 0xEF, 0xBB, 0xBF };
	size_t k = 0;

	r->started = 1;
	while (k < 3) {
		if (r->pos == r->end && !fill(r))
			return;
		if (r->blk[r->pos] != bom[k])
			return;
		/* Bytes of a partial BOM cannot be handed back once the block
		 * is refilled; a file starting EF BB but not BF is no text a
		 * number could start with anyway. */
		r->pos++;
		k++;
	}
}

/* Makes room for n more bytes in a growing buffer of a record.  A record
 * past r->maxrec (EFBIG) or a failed allocation (ENOMEM) is remembered in
 * ioerr, which ends the input at once (next) and is checked once per
 * record.  Returns 0, or -1. */
static int room(struct nb_rowreader *r, char **buf, size_t *len,
		size_t *cap, size_t n)
{
	if (r->ioerr)
		return -1;
	if (n > r->maxrec - *len)
		r->ioerr = EFBIG;
	else if (*len + n > *cap && nb_grow((void **)buf, cap, *len + n, 1))
		r->ioerr = ENOMEM;
	return r->ioerr ? -1 : 0;
}

/* Appends a byte to a growing buffer of a record (see room). */
static void append(struct nb_rowreader *r, char **buf, size_t *len,
		   size_t *cap, int c)
{
	if (room(r, buf, len, cap, 1) == 0)
		(*buf)[(*len)++] = (char)c;
}

static void add(struct nb_rowreader *r, int c)
{
	append(r, &r->data, &r->datalen, &r->datacap, c);
}

/* Appends n bytes at s to a growing buffer, as append does one. */
static void append_n(struct nb_rowreader *r, char **buf, size_t *len,
		     size_t *cap, const unsigned char *s, size_t n)
{
	if (room(r, buf, len, cap, n) == 0) {
		memcpy(*buf + *len, s, n);
		*len += n;
	}
}

/* The next byte (kept in raw), or END (also after a failure, so that no
 * loop goes on reading a record that can no longer be kept). */
static int next(struct nb_rowreader *r)
{
	int c;

	if (r->ioerr)
		return END;
	if (!r->started)
		skip_bom(r);
	if (r->pos == r->end && !fill(r))
		return END;
	c = r->blk[r->pos++];
	append(r, &r->raw, &r->rawlen, &r->rawcap, c);
	if (c == '\n')
		r->line++;
	return c;
}

static int peek(struct nb_rowreader *r)
{
	if (!r->started)
		skip_bom(r);
	if (r->pos == r->end && !fill(r))
		return END;
	return r->blk[r->pos];
}

/* Starts a new field at the byte just read. */
static struct nb_field *new_field(struct nb_rowreader *r)
{
	struct nb_field *f;
	size_t at;

	if (nb_grow((void **)&r->f, &r->fcap, r->nf + 1, sizeof *r->f)) {
		r->ioerr = ENOMEM;
		return NULL;
	}
	f = &r->f[r->nf++];
	at = r->rawlen ? r->rawlen - 1 : 0;
	*f = (struct nb_field){ r->datalen, 0, 0, 0, at, 0, 0, { 0, 0 }, at };
	return f;
}

/* Records why the record is bad, at raw offset at, and skips the rest of
 * its line (c is the byte in hand).  Returns -1. */
static int bad(struct nb_rowreader *r, size_t at, int c, const char *fmt,
	       ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
	va_end(ap);
	r->errat = at;
	while (c != '\n' && c != END)
		c = next(r);
	return -1;
}

/* A description of byte c for messages. */
static const char *what(int c, char *buf, size_t size)
{
	if (c == END)
		return "the end of the input";
	if (c == '\n' || c == '\r')
		return "the end of the line";
	if (c == '\0')
		return "a NUL byte";
	if (c < 0x20 || c >= 0x7f)
		snprintf(buf, size, "byte 0x%02x", (unsigned)c);
	else
		snprintf(buf, size, "'%c'", c);
	return buf;
}

/* Is c (with peek) the end of a line?  Consumes the LF of a CRLF. */
static int line_end(struct nb_rowreader *r, int c)
{
	if (c == '\n' || c == END)
		return 1;
	if (c == '\r' && peek(r) == '\n') {
		next(r);
		return 1;
	}
	return 0;
}

/* Takes the bytes of the block from the current one up to the next one
 * an unquoted field must look at (separator, line end, NUL, quote), into
 * raw and data at once: one byte at a time, a number field's digits
 * cost more than reading the number. */
static void plain_run(struct nb_rowreader *r, char sep)
{
	const unsigned char *b = r->blk + r->pos, *e = r->blk + r->end, *p;

	for (p = b; p < e && *p != sep && *p != '\n' && *p != '\r' &&
		    *p != '\0' && *p != '"'; p++)
		;
	append_n(r, &r->raw, &r->rawlen, &r->rawcap, b, (size_t)(p - b));
	append_n(r, &r->data, &r->datalen, &r->datacap, b, (size_t)(p - b));
	r->pos += (size_t)(p - b);
}

/* An unquoted field starting with byte c; returns the separator or
 * '\n' that ended it, or -1 (bad record). */
static int unquoted(struct nb_rowreader *r, int c, char sep, int quoting)
{
	for (;; plain_run(r, sep), c = next(r)) {
		if (c == sep)
			return sep;
		if (line_end(r, c))
			return '\n';
		if (c == '\0')
			return bad(r, r->rawlen - 1, c, "NUL byte in the input");
		if (quoting && c == '"')
			return bad(r, r->rawlen - 1, c, "quote inside an unquoted "
				   "field (quote the whole field)");
		add(r, c);
	}
}

/* A quoted field whose opening quote was just read. */
static int quoted(struct nb_rowreader *r, char sep)
{
	size_t open = r->rawlen - 1;
	char buf[16];
	int c;

	for (;;) {
		c = next(r);
		if (c == END)
			return bad(r, open, c, "unterminated quoted field");
		if (c == '\0')
			return bad(r, r->rawlen - 1, c, "NUL byte in the input");
		if (c == '"') {
			if (peek(r) != '"')
				break;
			next(r);
		}
		add(r, c);
	}
	c = next(r);
	if (c == sep)
		return sep;
	if (line_end(r, c))
		return '\n';
	return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
		   "%s after a closing quote", what(c, buf, sizeof buf));
}

/* Field k of a record read by whole_line, from offset from to to. */
static int line_field(struct nb_rowreader *r, size_t k, size_t from,
		      size_t to)
{
	if (k == r->fcap &&
	    nb_grow((void **)&r->f, &r->fcap, k + 1, sizeof *r->f)) {
		r->ioerr = ENOMEM;
		return -1;
	}
	r->f[k] = (struct nb_field){ from, to - from, 0, 0, from, 0, 0,
				     { 0, 0 }, from };
	return 0;
}

/* The common record, a line of unquoted fields wholly in the block (its
 * first byte just read), in one pass and two copies rather than byte by
 * byte; data then holds the line itself, separators and all.  Returns
 * 1, -2 when out of memory, or 0 to leave the line to the general
 * reader: it is split over reads, or holds a quote, NUL or lone CR. */
static int whole_line(struct nb_rowreader *r, char sep, int quoting)
{
	const unsigned char *s, *p, *end, *nl;
	size_t nf = 0, from = 0;

	/* At pos 0 a peek past a CR refilled the block: c is gone from it. */
	if (!r->pos)
		return 0;
	s = r->blk + r->pos - 1;
	if (!(nl = memchr(s, '\n', r->end - r->pos + 1)))
		return 0;
	end = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
	for (p = s; p < end; p++) {
		/* No byte the loop must stop at is above ','. */
		if (*p > ',')
			continue;
		if (*p == sep) {
			if (line_field(r, nf++, from, (size_t)(p - s)))
				return -2;
			from = (size_t)(p - s) + 1;
		} else if ((quoting && *p == '"') || !*p || *p == '\r') {
			return 0;
		}
	}
	if (line_field(r, nf++, from, (size_t)(end - s)))
		return -2;
	r->nf = nf;
	r->rawlen = r->datalen = 0;
	append_n(r, &r->raw, &r->rawlen, &r->rawcap, s, (size_t)(nl + 1 - s));
	append_n(r, &r->data, &r->datalen, &r->datacap, s, (size_t)(end - s));
	r->pos = (size_t)(nl + 1 - r->blk);
	r->line++;
	return 1;
}

/* A CSV or TSV record whose first byte c has been read. */
static int read_dsv(struct nb_rowreader *r, int c)
{
	char sep = r->fmt == NB_IN_TSV ? '\t' : ',';
	int quoting = r->fmt == NB_IN_CSV, end = whole_line(r, sep, quoting);

	if (end)
		return end;
	for (;; c = next(r)) {
		struct nb_field *f = new_field(r);
		if (!f)
			return -2;
		end = quoting && c == '"' ? quoted(r, sep)
					  : unquoted(r, c, sep, quoting);
		if (end < 0)
			return end;
		f->len = r->datalen - f->off;
		if (end == '\n')
			return 1;
	}
}

/* JSON whitespace within a line, from byte c on; returns the next byte. */
static int skip_ws(struct nb_rowreader *r, int c)
{
	while (c == ' ' || c == '\t' || (c == '\r' && peek(r) != '\n'))
		c = next(r);
	return c;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits of a \u escape into *u; the byte in hand goes to *cp. */
static int hex4(struct nb_rowreader *r, unsigned *u, int *cp)
{
	*u = 0;
	for (int k = 0; k < 4; k++) {
		int h = hexval(*cp = next(r));
		if (h < 0)
			return -1;
		*u = *u << 4 | (unsigned)h;
	}
	return 0;
}

static void add_utf8(struct nb_rowreader *r, unsigned u)
{
	if (u < 0x80) {
		add(r, (int)u);
	} else if (u < 0x800) {
		add(r, (int)(0xC0 | u >> 6));
		add(r, (int)(0x80 | (u & 0x3F)));
	} else if (u < 0x10000) {
		add(r, (int)(0xE0 | u >> 12));
		add(r, (int)(0x80 | (u >> 6 & 0x3F)));
		add(r, (int)(0x80 | (u & 0x3F)));
	} else {
		add(r, (int)(0xF0 | u >> 18));
		add(r, (int)(0x80 | (u >> 12 & 0x3F)));
		add(r, (int)(0x80 | (u >> 6 & 0x3F)));
		add(r, (int)(0x80 | (u & 0x3F)));
	}
}

/* A \u escape (the 'u' just read), with a surrogate pair if need be. */
static int unicode_escape(struct nb_rowreader *r, size_t at, int *cp)
{
	unsigned u, lo;

	if (hex4(r, &u, cp))
		return bad(r, at, *cp, "bad \\u escape in a string");
	if (u >= 0xDC00 && u <= 0xDFFF)
		return bad(r, at, *cp, "lone surrogate in a \\u escape");
	if (u >= 0xD800 && u <= 0xDBFF) {
		if ((*cp = next(r)) != '\\' || (*cp = next(r)) != 'u' ||
		    hex4(r, &lo, cp) || lo < 0xDC00 || lo > 0xDFFF)
			return bad(r, at, *cp, "lone surrogate in a \\u escape");
		u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
	}
	add_utf8(r, u);
	return 0;
}

/* One escape, the backslash just read. */
static int escape(struct nb_rowreader *r, int *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t at = r->rawlen - 1;
	const char *k;

	*cp = next(r);
	if (*cp == 'u')
		return unicode_escape(r, at, cp);
	if (*cp == END || *cp == '\0' || !(k = strchr(from, *cp)))
		return bad(r, at, *cp, "bad escape in a string");
	add(r, to[k - from]);
	return 0;
}

/* The UTF-8 sequence whose lead byte c (not ASCII) was just read, in a
 * string: JSON text is UTF-8 (RFC 8259 section 8.1). */
static int utf8_char(struct nb_rowreader *r, int c)
{
	unsigned char u[4] = { (unsigned char)c, 0, 0, 0 };
	size_t at = r->rawlen - 1, n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2, i;

	for (i = 1; i < n && (peek(r) & 0xc0) == 0x80; i++)
		u[i] = (unsigned char)next(r);
	if (nb_utf8_len(u, i) != n)
		return bad(r, at, u[i - 1], "invalid UTF-8 in a string");
	for (i = 0; i < n; i++)
		add(r, u[i]);
	return 0;
}

/* A JSON string whose opening quote was just read, into data; the byte
 * that ended it (or the error) goes to *cp. */
static int json_string(struct nb_rowreader *r, int *cp)
{
	size_t open = r->rawlen - 1;
	int c;

	for (;;) {
		c = *cp = next(r);
		if (c == '"')
			return 0;
		if (c == END || c == '\n')
			return bad(r, open, c, "unterminated string");
		if (c < 0x20)
			return bad(r, r->rawlen - 1, c, "%s in a string",
				   c ? "control character" : "NUL byte");
		if (c == '\\') {
			if (escape(r, cp))
				return -1;
			continue;
		}
		if (c >= 0x80) {
			if (utf8_char(r, c))
				return -1;
			continue;
		}
		add(r, c);
	}
}

static int token_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		(c >= 'A' && c <= 'Z') || c == '+' || c == '-' || c == '.';
}

static int digits(const char *s, size_t n, size_t *i)
{
	size_t from = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9')
		(*i)++;
	return *i > from;
}

/* Whether the token s[0..n) is a JSON number, true, false or null (RFC
 * 8259): no leading zero or '+', digits on both sides of a '.', digits
 * after an exponent; no NaN, Infinity or hex. */
static int json_token(const char *s, size_t n)
{
	size_t i = 0;

	if ((n == 4 && (!memcmp(s, "true", 4) || !memcmp(s, "null", 4))) ||
	    (n == 5 && !memcmp(s, "false", 5)))
		return 1;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (!digits(s, n, &i))
		return 0;
	if (i < n && s[i] == '.' && (i++, !digits(s, n, &i)))
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!digits(s, n, &i))
			return 0;
	}
	return i == n;
}

/* "nan", "inf" or "-inf" in an array, as nabla's JSON writes them, its
 * quote (at byte at) just read; the byte after it goes to *cp. */
static int array_string(struct nb_rowreader *r, size_t at, int *cp)
{
	size_t from = r->datalen + 1, n;
	struct nb_quote q;

	add(r, '"');    /* kept: the row's echo stays JSON */
	if (json_string(r, cp))
		return -1;
	n = r->datalen - from;
	add(r, '"');
	*cp = next(r);
	if ((n == 3 && (!memcmp(r->data + from, "nan", 3) ||
			!memcmp(r->data + from, "inf", 3))) ||
	    (n == 4 && !memcmp(r->data + from, "-inf", 4)))
		return 0;
	return bad(r, at, *cp, "'%s' is not a number (a string may only be "
		   "\"nan\", \"inf\" or \"-inf\")",
		   nb_quote(&q, r->data + from, n));
}

/* One number of an array, starting at byte c, into data; the byte
 * after it goes to *cp. */
static int array_number(struct nb_rowreader *r, int c, int *cp)
{
	size_t from = r->datalen, at = r->rawlen - 1;
	struct nb_quote q;
	char buf[16];

	if (c == '"')
		return array_string(r, at, cp);
	if (!token_char(c))
		return bad(r, c == END ? r->rawlen : at, c, "expected a number "
			   "in the array, found %s", what(c, buf, sizeof buf));
	for (; token_char(c); c = next(r))
		add(r, c);
	*cp = c;
	if (!json_token(r->data + from, r->datalen - from) ||
	    !(r->data[from] == '-' || (r->data[from] >= '0' &&
				       r->data[from] <= '9')))
		return bad(r, at, c, "'%s' is not a number",
			   nb_quote(&q, r->data + from, r->datalen - from));
	return 0;
}

/* The elements of an array of numbers, its '[' read, into data, their
 * number into *n; depth 0 may hold arrays (the rows of a matrix) into
 * *rows of *cols.  The byte after the ']' goes to *cp. */
static int array_items(struct nb_rowreader *r, struct nb_field *f, int depth,
		       int *cp)
{
	size_t n = 0, open = r->rawlen - 1;
	char buf[16];
	int c = skip_ws(r, next(r));

	add(r, '[');
	while (c != ']') {
		if (n++)
			add(r, ',');
		if (c == '[' && depth == 0 && f->rank != 1) {
			size_t before = f->dim[1];
			f->rank = 2;
			if (array_items(r, f, 1, &c))
				return -1;
			if (n > 1 && f->dim[1] != before)
				return bad(r, open, c, "ragged array: row %zu "
					   "has %zu, row 1 %zu elements", n,
					   (size_t)f->dim[1], before);
		} else if (c == '[') {
			return bad(r, r->rawlen - 1, c, "an array may hold "
				   "numbers or arrays of numbers, not both "
				   "and no deeper");
		} else {
			if (depth == 0 && f->rank == 2)
				return bad(r, r->rawlen - 1, c, "an array may "
					   "hold numbers or arrays of numbers, "
					   "not both and no deeper");
			f->rank = depth == 0 ? 1 : f->rank;
			if (array_number(r, c, &c))
				return -1;
		}
		c = skip_ws(r, c);
		if (c == ']')
			break;
		if (c != ',')
			return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
				   "expected ',' or ']' in the array, found %s",
				   what(c, buf, sizeof buf));
		c = skip_ws(r, next(r));
		if (c == ']')   /* [1,] is not JSON */
			return bad(r, r->rawlen - 1, c, "expected a number "
				   "in the array, found %s",
				   what(c, buf, sizeof buf));
	}
	add(r, ']');
	if (n == 0)
		return bad(r, open, c, "an empty array");
	if (n > UINT32_MAX)
		return bad(r, open, c, "an array of more than %u elements",
			   UINT32_MAX);
	f->dim[depth] = (uint32_t)n;
	*cp = next(r);
	return 0;
}

/* A vector or matrix of numbers, compacted into data: [1,2] or
 * [[1,2],[3,4]] with its shape in f. */
static int json_array(struct nb_rowreader *r, struct nb_field *f, int *cp)
{
	f->rank = 0;
	f->dim[0] = f->dim[1] = 0;
	return array_items(r, f, 0, cp);
}

/* A member's value starting at byte c; the byte after it goes to *cp. */
static int json_value(struct nb_rowreader *r, struct nb_field *f, int c,
		      int *cp)
{
	struct nb_quote q;
	char buf[16];

	f->at = r->rawlen - 1;
	f->off = r->datalen;
	if (c == '"') {
		if (json_string(r, cp))
			return -1;
		*cp = next(r);
	} else if (token_char(c)) {
		f->bare = 1;
		for (; token_char(c); c = next(r))
			add(r, c);
		*cp = c;
		if (!json_token(r->data + f->off, r->datalen - f->off))
			return bad(r, f->at, c, "'%s' is not a JSON value (a "
				   "number, a string, true, false or null)",
				   nb_quote(&q, r->data + f->off,
					    r->datalen - f->off));
	} else if (c == '[') {
		f->bare = 1;
		if (json_array(r, f, cp))
			return -1;
	} else if (c == '{') {
		return bad(r, r->rawlen - 1, c, "nested objects are not "
			   "supported");
	} else {
		return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
			   "expected a value, found %s", what(c, buf, sizeof buf));
	}
	f->len = r->datalen - f->off;
	return 0;
}

/* One "key": value member, the key's quote just read. */
static int json_member(struct nb_rowreader *r, int *cp)
{
	char buf[16];
	struct nb_field *f = new_field(r);
	int c;

	if (!f)
		return -2;
	f->key = r->datalen;
	if (json_string(r, cp))
		return -1;
	f->keylen = r->datalen - f->key;
	c = skip_ws(r, next(r));
	if (c != ':')
		return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
			   "expected ':', found %s", what(c, buf, sizeof buf));
	/* new_field may have moved r->f; f is still this record's last. */
	return json_value(r, &r->f[r->nf - 1], skip_ws(r, next(r)), cp);
}

/* A JSON Lines record whose first byte c has been read. */
static int read_jsonl(struct nb_rowreader *r, int c)
{
	char buf[16];
	int rc;

	c = skip_ws(r, c);
	if (c != '{')
		return bad(r, r->rawlen - 1, c, "expected '{', found %s",
			   what(c, buf, sizeof buf));
	c = skip_ws(r, next(r));
	while (c != '}') {
		if (c != '"')
			return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
				   "expected a \"key\" or '}', found %s",
				   what(c, buf, sizeof buf));
		if ((rc = json_member(r, &c)) != 0)
			return rc;
		c = skip_ws(r, c);
		if (c == '}')
			break;
		if (c != ',')
			return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
				   "expected ',' or '}', found %s",
				   what(c, buf, sizeof buf));
		c = skip_ws(r, next(r));
		if (c != '"')
			return bad(r, c == END ? r->rawlen : r->rawlen - 1, c,
				   "expected a \"key\" after ',', found %s",
				   what(c, buf, sizeof buf));
	}
	c = skip_ws(r, next(r));
	if (!line_end(r, c))
		return bad(r, r->rawlen - 1, c, "%s after the object",
			   what(c, buf, sizeof buf));
	return 1;
}

/* Whether the line starting with *cp holds nothing (but JSON whitespace
 * in JSONL); consumes it if so, else leaves in *cp its first byte that
 * matters. */
static int blank_line(struct nb_rowreader *r, int *cp)
{
	if (r->fmt == NB_IN_JSONL)
		*cp = skip_ws(r, *cp);
	return *cp != END && line_end(r, *cp);
}

int nb_rr_next(struct nb_rowreader *r)
{
	int c, rc;

	do {
		r->rawlen = r->datalen = r->nf = 0;
		r->recline = r->line;
		if ((c = next(r)) == END)
			break;
	} while (blank_line(r, &c));
	if (c == END)
		rc = 0;
	else
		rc = r->fmt == NB_IN_JSONL ? read_jsonl(r, c) : read_dsv(r, c);
	if (r->ioerr) {
		errno = r->ioerr;
		return -2;
	}
	return rc;
}

void nb_rr_source(const struct nb_rowreader *r, struct nb_source *src)
{
	*src = (struct nb_source){ r->name, r->raw, r->rawlen, r->recline - 1 };
}

/* The last byte of the array element (a number, or a string) that
 * starts at raw[i]. */
static size_t elem_end(const char *raw, size_t len, size_t i)
{
	if (raw[i] != '"') {
		while (i + 1 < len && token_char((unsigned char)raw[i + 1]))
			i++;
		return i;
	}
	while (++i < len && raw[i] != '"')
		i += raw[i] == '\\';
	return i;
}

size_t nb_rr_elem_at(const char *raw, size_t len, size_t at, size_t e)
{
	size_t depth = 0;

	for (size_t i = at; i < len; i++) {
		int c = (unsigned char)raw[i];
		if (c == '[')
			depth++;
		else if (c == ']' && --depth == 0)
			break;
		else if (c == '"' || token_char(c)) {
			if (e-- == 0)
				return i;
			i = elem_end(raw, len, i);
		}
	}
	return at;
}

int nb_rr_number(const struct nb_field *f, const char *s, double *v,
		 char *msg, size_t size)
{
	struct nb_quote q;

	if (nb_read_number(s, f->len, v) ||
	    (!f->bare && f->keylen && isfinite(*v))) {
		/* JSON strings stand only for nan, inf and -inf. */
		snprintf(msg, size, "'%s' is not a number%s",
			 nb_quote(&q, s, f->len),
			 !f->bare && f->keylen ? " (a string may only be "
			 "\"nan\", \"inf\" or \"-inf\")" : "");
		return -1;
	}
	if (isinf(*v) && !memchr(s, 'i', f->len) && !memchr(s, 'I', f->len)) {
		snprintf(msg, size, "'%s' is too large for a double (write "
			 "inf if you mean it)", nb_quote(&q, s, f->len));
		return -1;
	}
	if (nb_number_underflows(s, f->len, *v)) {
		snprintf(msg, size, "'%s' is too small for a double (write "
			 "0 if you mean it)", nb_quote(&q, s, f->len));
		return -1;
	}
	return 0;
}
