/* verify_report.c - the grades of a backward pass, as text or JSON.
 *
 * Text: each wrong or premature line with its place, the line and a
 * caret, what it computed, what it should have and why; then the
 * gradients never completed; then the summary line.  JSON: one record
 * per line of the backward pass, for graders and notebooks.  On a
 * program with tensors, values are written as NumPy writes them (text)
 * or as nested arrays (JSON). */
#include "modes/verify.h"

#include <string.h>

#include "core/view.h"
#include "num/numfmt.h"
#include "output/ndfmt.h"
#include "output/sink.h"
#include "output/writer.h"

static const char *const verdicts[] = { "correct", "carried", "premature",
					"wrong" };

static const char *text_of(const struct nb_verify *v, struct nb_span s)
{
	return v->p.src.text + s.start;
}

static size_t line_of(const struct nb_verify *v, size_t k, size_t *col)
{
	size_t line;

	nb_source_position(&v->p.src, v->bw.line[k].stmt.start, &line, col);
	return line;
}

/* A value as text: a number, or a tensor as NumPy writes it. */
static void value(FILE *out, const struct nb_verify *v, double x,
		  const struct nb_tensor *t, int prec)
{
	char e[NB_NUMBUF];
	struct nb_ndfmt f;

	if (!v->tv) {
		nb_fmt_human(e, x, prec);
		fputs(e, out);
		return;
	}
	nb_nd_layout(&f, (struct nb_view){ t->data, t->shape }, prec,
		     NB_MAX_ELEMENTS);
	nb_nd_write(out, &f, "");
}

/* "the gradient x gets through sigx is 0.2", or what the target should
 * hold after the line. */
static void should_be(FILE *out, const struct nb_verify *v, size_t k,
		      int prec)
{
	const struct nb_grade *g = &v->grade[k];
	const struct nb_gradline *l = &v->bw.line[k];
	struct nb_span name, of;

	if (g->gate == UINT32_MAX) {
		fprintf(out, l->add ? "%.*s should not change here\n"
			: "%.*s should be ", (int)l->target.len,
			text_of(v, l->target));
	} else {
		of = nb_tape_name(&v->p.tape, l->of);
		name = nb_tape_name(&v->p.tape, g->gate);
		fprintf(out, "the gradient %.*s gets through %.*s is ",
			(int)of.len, text_of(v, of), (int)name.len,
			text_of(v, name));
	}
	if (g->gate == UINT32_MAX && l->add)
		return;
	value(out, v, g->expected, &g->texpected, prec);
	fputc('\n', out);
}

static void text_line(FILE *out, const struct nb_verify *v, size_t k,
		      int prec, int color)
{
	const struct nb_grade *g = &v->grade[k];
	const struct nb_gradline *l = &v->bw.line[k];
	size_t line, col;

	line = line_of(v, k, &col);
	fprintf(out, "%s:%zu:%zu: %s%s%s: ", v->p.src.name, line, col,
		color ? "\033[1;31m" : "", verdicts[g->verdict],
		color ? "\033[0m" : "");
	if (v->tv && !g->tcomputed.data) {
		fprintf(out, "this line has no value (%s); ", g->novalue);
	} else {
		fputs("this line computes ", out);
		value(out, v, g->computed, &g->tcomputed, prec);
		fputs("; ", out);
	}
	should_be(out, v, k, prec);
	nb_diag_excerpt(out, &v->p.src, l->stmt.start, l->stmt.len, color);
	fprintf(out, "  why: %s\n", g->reason);
}

static void text_report(FILE *out, const struct nb_verify *v, int prec,
			int color)
{
	for (size_t k = 0; k < v->bw.n; k++)
		if (v->grade[k].verdict >= NB_GRADE_PREMATURE)
			text_line(out, v, k, prec, color);
	for (size_t i = 0; i < v->nmissing; i++)
		fprintf(out, "%s: %s\n", v->p.src.name, v->missing[i].reason);
	fprintf(out, "%zu of %zu gradient lines correct", v->correct,
		v->bw.n);
	if (v->first_error < v->bw.n) {
		size_t col;
		fprintf(out, "; first error at line %zu",
			line_of(v, v->first_error, &col));
	}
	if (v->nmissing)
		fprintf(out, "; %zu gradient%s missing", v->nmissing,
			v->nmissing == 1 ? "" : "s");
	fputc('\n', out);
}

/* A number, or a tensor as nested arrays; null for no value. */
static void json_value(struct nb_out *o, const struct nb_verify *v,
		       double x, const struct nb_tensor *t)
{
	if (!v->tv)
		nb_json_number(o, x);
	else if (!t->data)
		nb_out_puts(o, "null");
	else
		nb_json_value(o, (struct nb_view){ t->data, t->shape });
}

static void json_line(struct nb_out *o, const struct nb_verify *v,
		      size_t k)
{
	const struct nb_grade *g = &v->grade[k];
	const struct nb_gradline *l = &v->bw.line[k];
	size_t col, line = line_of(v, k, &col);

	nb_out_printf(o, "{\"line\": %zu, \"name\": ", line);
	nb_json_string(o, text_of(v, l->target), l->target.len);
	nb_out_printf(o, ", \"op\": \"%s\", \"computed\": ",
		      l->add ? "+=" : "=");
	json_value(o, v, g->computed, &g->tcomputed);
	nb_out_puts(o, ", \"expected\": ");
	json_value(o, v, g->expected, &g->texpected);
	nb_out_printf(o, ", \"verdict\": \"%s\", \"reason\": ",
		      verdicts[g->verdict]);
	nb_json_string(o, g->reason, strlen(g->reason));
	if (v->tv) {
		/* why the line has no value, on tensors */
		nb_out_puts(o, ", \"error\": ");
		if (g->tcomputed.data)
			nb_out_puts(o, "null");
		else
			nb_json_string(o, g->novalue, strlen(g->novalue));
	}
	nb_out_putc(o, '}');
}

static void json_report(FILE *out, const struct nb_verify *v)
{
	char buf[NB_OUT_SMALL];
	struct nb_out o;
	size_t col;

	nb_out_init(&o, out, buf, sizeof buf);
	nb_out_puts(&o, "{\"lines\": [");
	for (size_t k = 0; k < v->bw.n; k++) {
		nb_out_puts(&o, k ? ",\n  " : "\n  ");
		json_line(&o, v, k);
	}
	nb_out_puts(&o, "],\n \"missing\": [");
	for (size_t i = 0; i < v->nmissing; i++) {
		nb_out_puts(&o, i ? ", " : "");
		nb_json_string(&o, v->missing[i].reason,
			       strlen(v->missing[i].reason));
	}
	nb_out_printf(&o, "],\n \"correct\": %zu, \"total\": %zu, "
		      "\"first_error\": ", v->correct, v->bw.n);
	if (v->first_error < v->bw.n)
		nb_out_printf(&o, "%zu}\n", line_of(v, v->first_error, &col));
	else
		nb_out_puts(&o, "null}\n");
	nb_out_close(&o);
}

int nb_verify_report(FILE *out, const struct nb_verify *v,
		     enum nb_format format, int prec, int color)
{
	if (format == NB_FMT_JSON)
		json_report(out, v);
	else
		text_report(out, v, prec, color);
	return v->correct == v->bw.n && v->nmissing == 0 ? 0 : 1;
}
