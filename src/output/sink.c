/* sink.c - a format's sink, and what every sink shares. */
#include "output/sink.h"

#include "core/alloc.h"
#include "num/numfmt.h"

#define SINK(x) extern const struct nb_sink_ops nb_##x##_sink;
#define NOSINK
#define NB_FORMAT(id, name, fronts, human, graph, sink) sink
#include "output/formats.def"
#undef NB_FORMAT
#undef SINK
#undef NOSINK

static const struct nb_sink_ops *const sinks[] = {
#define SINK(x) &nb_##x##_sink
#define NOSINK NULL
#define NB_FORMAT(id, name, fronts, human, graph, sink) [NB_FMT_##id] = sink,
#include "output/formats.def"
#undef NB_FORMAT
#undef SINK
#undef NOSINK
};

int nb_sink_open(struct nb_sink *s, enum nb_format f, struct nb_out *out,
		 const struct nb_col *col, size_t ncol, int prec, int color,
		 size_t *width)
{
	*s = (struct nb_sink){ .ops = sinks[f], .out = out, .col = col,
			       .ncol = ncol, .prec = prec,
			       .human = nb_format_human(f), .color = color };
	if (!s->ops->measure)
		return 0;
	s->owned = !width;
	s->width = width ? width
			 : nb_malloc((ncol ? ncol : 1) * sizeof *s->width);
	if (!s->width)
		return -1;
	for (size_t k = 0; k < ncol; k++)
		s->width[k] = strlen(col[k].pre) + col[k].len;
	return 0;
}

void nb_sink_stream(struct nb_sink *s)
{
	s->stream = 1;
	/* "-1.23457e-300": the precision plus 7; a text at least 6. */
	for (size_t k = 0; s->width && k < s->ncol; k++) {
		size_t min = s->col[k].flags & NB_COL_NUM
			     ? (size_t)(s->col[k].prec ? s->col[k].prec
						       : s->prec) + 7 : 6;
		if (s->width[k] < min)
			s->width[k] = min;
	}
}

void nb_sink_close(struct nb_sink *s)
{
	if (s->owned)
		nb_free(s->width);
	s->width = NULL;
}

int nb_sink_typed(enum nb_format f)
{
	return sinks[f] && sinks[f]->typed;
}

int nb_sink_human(const struct nb_sink *s)
{
	return s->human;
}

void nb_sink_nothing(struct nb_sink *s)
{
	(void)s;
}

void nb_sink_no_note(struct nb_sink *s, const char *t, size_t len)
{
	(void)s, (void)t, (void)len;
}

void nb_sink_exact(struct nb_sink *s, char sep, double v)
{
	char *p = nb_out_room(s->out, NB_NUMBUF + 1);
	size_t n = 0;

	if (s->k)
		p[n++] = sep;
	s->out->n += n + nb_fmt_exact(p + n, v);
}

void nb_sink_newline(struct nb_sink *s)
{
	nb_out_putc(s->out, '\n');
}

void nb_sink_flat(struct nb_out *o, const char *t, size_t len)
{
	for (size_t i = 0; i < len; i++)
		nb_out_putc(o, t[i] == '\t' || t[i] == '\r' || t[i] == '\n'
			       ? ' ' : t[i]);
}

void nb_sink_table(struct nb_sink *s,
		   void (*rows)(struct nb_sink *s, const void *ctx),
		   const void *ctx)
{
	if (s->ops->measure && !s->stream) {
		s->measuring = 1;
		rows(s, ctx);
		s->measuring = 0;
	}
	nb_sink_header(s);
	rows(s, ctx);
	nb_sink_end(s);
}
