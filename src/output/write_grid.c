/* write_grid.c - a grid (grid.h) as a table, CSV, TSV or JSON.
 *
 *   node  name  op   expr         value  d/dx  d/dy  d/dz
 *   ----  ----  ---  -----------  -----  ----  ----  ----
 *   #0    x     var  x               -2     1     0     0
 *
 * Texts align left, numbers right, at the precision; the data formats
 * write numbers that read back to the same double. */
#include "output/grid.h"

#include <string.h>

#include "core/alloc.h"
#include "num/numfmt.h"

#define GAP "  "
#define BOLD "\033[1m"
#define RESET "\033[0m"

static size_t ncols(const struct nb_grid *g)
{
	return g->ntext + g->nnum;
}

/* Cell (r, c) as text into buf: the table's human numbers, or exact. */
static size_t cell(const struct nb_grid *g, size_t r, size_t c, char *buf,
		   int prec)
{
	if (c < g->ntext)
		return g->text(g->ctx, r, c, buf, prec ? NB_ELIDE
						     : NB_ELIDE_DATA);
	if (prec)
		return nb_fmt_human(buf, g->num(g->ctx, r, c - g->ntext), prec);
	return nb_fmt_exact(buf, g->num(g->ctx, r, c - g->ntext));
}

static void pad(FILE *out, size_t n)
{
	while (n-- > 0)
		putc(' ', out);
}

/* One table cell, aligned in its column. */
static void put_cell(FILE *out, const struct nb_grid *g, size_t c,
		     const char *s, size_t len, size_t width)
{
	if (c)
		fputs(GAP, out);
	if (c >= g->ntext)
		pad(out, width - len);
	fwrite(s, 1, len, out);
	if (c < g->ntext && c + 1 < ncols(g))
		pad(out, width - len);
}

static void table(FILE *out, const struct nb_grid *g,
		  const struct nb_outspec *spec, size_t *width)
{
	char buf[NB_GRIDBUF];
	size_t len;

	for (size_t c = 0; c < ncols(g); c++)
		width[c] = g->head(g->ctx, c, buf);
	for (size_t r = 0; r < g->nrows; r++)
		for (size_t c = 0; c < ncols(g); c++)
			if ((len = cell(g, r, c, buf, spec->precision)) > width[c])
				width[c] = len;
	if (spec->color)
		fputs(BOLD, out);
	for (size_t c = 0; c < ncols(g); c++) {
		len = g->head(g->ctx, c, buf);
		put_cell(out, g, c, buf, len, width[c]);
	}
	if (spec->color)
		fputs(RESET, out);
	putc('\n', out);
	for (size_t c = 0; c < ncols(g); c++) {
		if (c)
			fputs(GAP, out);
		for (size_t k = 0; k < width[c]; k++)
			putc('-', out);
	}
	putc('\n', out);
	for (size_t r = 0; r < g->nrows; r++) {
		for (size_t c = 0; c < ncols(g); c++) {
			len = cell(g, r, c, buf, spec->precision);
			put_cell(out, g, c, buf, len, width[c]);
		}
		putc('\n', out);
	}
}

/* A CSV field, quoted when it holds a comma or a quote; TSV texts hold
 * no tab or newline (expressions show whitespace as one space). */
static void csv_field(FILE *out, const char *s, size_t len, int csv)
{
	if (!csv || (!memchr(s, ',', len) && !memchr(s, '"', len))) {
		fwrite(s, 1, len, out);
		return;
	}
	putc('"', out);
	for (size_t k = 0; k < len; k++) {
		if (s[k] == '"')
			putc('"', out);
		putc(s[k], out);
	}
	putc('"', out);
}

static void csv(FILE *out, const struct nb_grid *g, int comma)
{
	char buf[NB_GRIDBUF], sep = comma ? ',' : '\t';

	for (size_t c = 0; c < ncols(g); c++) {
		if (c)
			putc(sep, out);
		csv_field(out, buf, g->head(g->ctx, c, buf), comma);
	}
	putc('\n', out);
	for (size_t r = 0; r < g->nrows; r++) {
		for (size_t c = 0; c < ncols(g); c++) {
			if (c)
				putc(sep, out);
			csv_field(out, buf, cell(g, r, c, buf, 0), comma);
		}
		putc('\n', out);
	}
}

static void json(FILE *out, const struct nb_grid *g)
{
	char buf[NB_GRIDBUF];

	putc('[', out);
	for (size_t r = 0; r < g->nrows; r++) {
		fputs(r ? ",\n  {" : "\n  {", out);
		for (size_t c = 0; c < ncols(g); c++) {
			if (c)
				fputs(", ", out);
			nb_json_string(out, buf, g->head(g->ctx, c, buf));
			fputs(": ", out);
			if (c < g->ntext && g->bare >> c & 1)
				fwrite(buf, 1, g->text(g->ctx, r, c, buf,
						       NB_ELIDE_DATA), out);
			else if (c < g->ntext)
				nb_json_string(out, buf, g->text(g->ctx, r, c, buf,
							  NB_ELIDE_DATA));
			else
				nb_json_number(out, g->num(g->ctx, r,
							   c - g->ntext));
		}
		putc('}', out);
	}
	fputs(g->nrows ? "\n ]" : "]", out);
}

size_t nb_grid_varname(const struct nb_program *p, size_t var,
		       const char *pre, char *buf)
{
	size_t len, plen = strlen(pre);
	const char *s = nb_node_name(p, p->vars[var], &len);

	if (len > NB_GRIDBUF - 1 - plen)
		len = NB_GRIDBUF - 1 - plen;
	memcpy(buf, pre, plen);
	memcpy(buf + plen, s, len);
	buf[plen + len] = '\0';
	return plen + len;
}

int nb_write_grid(FILE *out, const struct nb_grid *g,
		  const struct nb_outspec *spec)
{
	size_t *width;

	if (spec->format == NB_FMT_CSV || spec->format == NB_FMT_TSV) {
		csv(out, g, spec->format == NB_FMT_CSV);
		return 0;
	}
	if (spec->format != NB_FMT_TABLE) {
		json(out, g);
		return 0;
	}
	if (!(width = nb_malloc(ncols(g) * sizeof *width)))
		return -1;
	table(out, g, spec, width);
	nb_free(width);
	return 0;
}
