/* diag.c - renders diagnostics with the source line and a caret, and the
 * few messages without a place in the source. */
#include "core/diag.h"

#include <stdarg.h>
#include <string.h>

#include "core/escape.h"

static int vfill(struct nb_diag *d, enum nb_status status, int located,
		 size_t start, size_t len, const char *fmt, va_list ap)
{
	d->severity = NB_ERROR;
	d->status = status;
	d->located = located;
	d->start = start;
	d->len = len;
	vsnprintf(d->msg, sizeof d->msg, fmt, ap);
	return status;
}

int nb_error(struct nb_diag *d, enum nb_status status, size_t start,
	     size_t len, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfill(d, status, 1, start, len, fmt, ap);
	va_end(ap);
	return r;
}

int nb_error_plain(struct nb_diag *d, enum nb_status status,
		   const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfill(d, status, 0, 0, 0, fmt, ap);
	va_end(ap);
	return r;
}

void nb_source_position(const struct nb_source *src, size_t pos,
			size_t *line, size_t *col)
{
	size_t l = 1 + src->line0, c = 1;

	for (size_t i = 0; i < pos && i < src->len; i++) {
		if (src->text[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* Longest excerpt of a source line, and how much of it goes before the
 * column when the line is cut. */
#define NB_EXCERPT_MAX 160
#define NB_EXCERPT_BEFORE 60

/* Whether byte c continues a UTF-8 character: it takes no column of its
 * own, so the tildes under a span count characters, not bytes. */
static int continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Writes src->text[from..to) as it is safe to show on a terminal, one
 * column per character: control bytes and C1 codes as spaces (so a tab
 * takes one column in the caret line too), bytes that are not UTF-8 as
 * '?'.  Returns the columns written before byte stop. */
static size_t print_clean(FILE *f, const struct nb_source *src, size_t from,
			  size_t to, size_t stop)
{
	const unsigned char *u = (const unsigned char *)src->text;
	size_t cols = 0;

	for (size_t i = from, k; i < to; i += k) {
		k = nb_utf8_len(u + i, to - i);
		if (k == 0 || (k == 1 && (u[i] < 0x20 || u[i] == 0x7f)) ||
		    nb_utf8_is_c1(u + i, k)) {
			fputc(k == 0 ? '?' : ' ', f);
			k = k ? k : 1;
		} else {
			fwrite(u + i, 1, k, f);
		}
		if (i < stop)
			cols++;
	}
	return cols;
}

void nb_diag_excerpt(FILE *f, const struct nb_source *src, size_t start,
		     size_t len, int color)
{
	size_t bol = start, eol = start, width, pad;
	int cut;

	if (bol > src->len)
		bol = eol = src->len;
	while (bol > 0 && src->text[bol - 1] != '\n')
		bol--;
	while (eol < src->len && src->text[eol] != '\n')
		eol++;
	/* A line of megabytes (10^6 parentheses, a huge CSV field) would
	 * bury the message: show NB_EXCERPT_MAX bytes around the column,
	 * with "..." where the line goes on. */
	cut = bol + NB_EXCERPT_BEFORE < start && eol - bol > NB_EXCERPT_MAX;
	if (cut)
		bol = start - NB_EXCERPT_BEFORE;
	fputs(cut ? "  ..." : "  ", f);
	if (eol - bol > NB_EXCERPT_MAX)
		eol = bol + NB_EXCERPT_MAX;
	pad = print_clean(f, src, bol, eol, start);
	if (eol < src->len && src->text[eol] != '\n')
		fputs("...", f);
	fputs(cut ? "\n     " : "\n  ", f);
	for (size_t i = 0; i < pad; i++)
		fputc(' ', f);
	width = len;
	if (start + width > eol)
		width = eol > start ? eol - start : 1;
	if (color)
		fputs("\033[1;32m", f);
	fputc('^', f);
	for (size_t i = start + 1; i < start + width; i++)
		if (!continuation(src->text[i]))
			fputc('~', f);
	if (color)
		fputs("\033[0m", f);
	fputc('\n', f);
}

void nb_diag_print(FILE *f, const struct nb_source *src,
		   const struct nb_diag *d, int color)
{
	const char *kind = d->severity == NB_ERROR ? "error" : "warning";
	const char *on = "", *off = "";
	struct nb_quote q;
	size_t line, col;

	if (color) {
		on = d->severity == NB_ERROR ? "\033[1;31m" : "\033[1;35m";
		off = "\033[0m";
	}
	if (!d->located || !src) {
		if (d->severity == NB_WARNING)
			fprintf(f, "nabla: %s%s:%s %s\n", on, kind, off, d->msg);
		else
			fprintf(f, "nabla: %s\n", d->msg);
		return;
	}
	nb_source_position(src, d->start, &line, &col);
	fprintf(f, "nabla: %s:%zu:%zu: %s%s:%s %s\n",
		nb_quote_path(&q, src->name), line, col, on, kind, off, d->msg);
	nb_diag_excerpt(f, src, d->start, d->len, color);
}

int nb_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nabla: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fputs(NB_TRY_HELP, stderr);
	va_end(ap);
	return NB_EUSAGE;
}

int nb_out_of_memory(void)
{
	fputs("nabla: out of memory\n", stderr);
	return NB_EFAIL;
}

void nb_warn_unused_binding(const char *name, size_t len)
{
	struct nb_quote q;

	fprintf(stderr, "nabla: warning: '%s' is not a variable of the "
		"program\n", nb_quote(&q, name, len));
}
