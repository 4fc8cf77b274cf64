/* write_grid.c - a grid (grid.h) through the sink of its format. */
#include "output/grid.h"

#include <string.h>

#include "core/alloc.h"

struct run {
	const struct nb_grid *g;
	size_t width;           /* of a text cell */
};

static void rows(struct nb_sink *s, const void *ctx)
{
	const struct run *run = ctx;
	const struct nb_grid *g = run->g;
	char buf[NB_GRIDBUF];

	for (size_t r = 0; r < g->nrows; r++) {
		for (size_t c = 0; c < g->ntext; c++) {
			size_t len = g->text(g->ctx, r, c, buf, run->width);

			if (g->bare >> c & 1)
				nb_sink_token(s, buf, len);
			else
				nb_sink_text(s, buf, len);
		}
		for (size_t c = 0; c < g->nnum; c++)
			nb_sink_number(s, g->num(g->ctx, r, c));
		nb_sink_end_row(s);
	}
}

size_t nb_grid_text(char *buf, const char *s, size_t len, size_t width)
{
	if (len > width)
		len = width;
	if (len)
		memcpy(buf, s, len);
	buf[len] = '\0';
	return len;
}

struct nb_col nb_grid_varcol(const struct nb_program *p, size_t var,
			     const char *pre)
{
	size_t len;
	const char *s = nb_node_name(p, p->vars[var], &len);

	return (struct nb_col){ pre, s, len, NB_COL_NUM, 0 };
}

int nb_write_grid(struct nb_out *o, const struct nb_grid *g,
		  const struct nb_outspec *spec)
{
	size_t n = g->ntext + g->nnum;
	struct nb_col *col = nb_malloc((n ? n : 1) * sizeof *col);
	struct nb_sink s;
	struct run run = { g, 0 };

	if (!col)
		return -1;
	for (size_t c = 0; c < n; c++) {
		col[c] = g->col(g->ctx, c);
		col[c].flags = c < g->ntext ? 0 : NB_COL_NUM;
	}
	if (nb_sink_open(&s, spec->format, o, col, n, spec->precision,
			 spec->color, NULL)) {
		nb_free(col);
		return -1;
	}
	run.width = nb_sink_human(&s) ? NB_ELIDE : NB_ELIDE_DATA;
	nb_sink_table(&s, rows, &run);
	nb_sink_close(&s);
	nb_free(col);
	return 0;
}
