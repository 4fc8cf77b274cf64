/* verify_report.c - the grades of a backward pass, as text or JSON.
 *
 * Text: each wrong or premature line with its place, the line and a
 * caret, what it computed, what it should have and why; then the
 * gradients never completed; then the summary line.  JSON: one record
 * per line of the backward pass, for graders and notebooks. */
#include "modes/verify.h"

#include <string.h>

#include "num/numfmt.h"
#include "output/grid.h"

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

/* "the gradient x gets through sigx is 0.2", or what the target should
 * hold after the line. */
static void should_be(FILE *out, const struct nb_verify *v, size_t k,
		      int prec)
{
	const struct nb_grade *g = &v->grade[k];
	const struct nb_gradline *l = &v->bw.line[k];
	char e[NB_NUMBUF];
	struct nb_span name, of;

	nb_fmt_human(e, g->expected, prec);
	if (g->gate == UINT32_MAX) {
		fprintf(out, l->add ? "%.*s should not change here\n"
			: "%.*s should be %s\n", (int)l->target.len,
			text_of(v, l->target), e);
		return;
	}
	of = nb_tape_name(&v->p.tape, l->of);
	name = nb_tape_name(&v->p.tape, g->gate);
	fprintf(out, "the gradient %.*s gets through %.*s is %s\n",
		(int)of.len, text_of(v, of), (int)name.len, text_of(v, name), e);
}

static void text_line(FILE *out, const struct nb_verify *v, size_t k,
		      int prec, int color)
{
	const struct nb_grade *g = &v->grade[k];
	const struct nb_gradline *l = &v->bw.line[k];
	char c[NB_NUMBUF];
	size_t line, col;

	line = line_of(v, k, &col);
	nb_fmt_human(c, g->computed, prec);
	fprintf(out, "%s:%zu:%zu: %s%s%s: this line computes %s; ",
		v->p.src.name, line, col, color ? "\033[1;31m" : "",
		verdicts[g->verdict], color ? "\033[0m" : "", c);
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

static void json_line(FILE *out, const struct nb_verify *v, size_t k)
{
	const struct nb_grade *g = &v->grade[k];
	const struct nb_gradline *l = &v->bw.line[k];
	size_t col, line = line_of(v, k, &col);

	fprintf(out, "{\"line\": %zu, \"name\": ", line);
	nb_json_string(out, text_of(v, l->target), l->target.len);
	fprintf(out, ", \"op\": \"%s\", \"computed\": ", l->add ? "+=" : "=");
	nb_json_number(out, g->computed);
	fputs(", \"expected\": ", out);
	nb_json_number(out, g->expected);
	fprintf(out, ", \"verdict\": \"%s\", \"reason\": ",
		verdicts[g->verdict]);
	nb_json_string(out, g->reason, strlen(g->reason));
	fputc('}', out);
}

static void json_report(FILE *out, const struct nb_verify *v)
{
	size_t col;

	fputs("{\"lines\": [", out);
	for (size_t k = 0; k < v->bw.n; k++) {
		fputs(k ? ",\n  " : "\n  ", out);
		json_line(out, v, k);
	}
	fputs("],\n \"missing\": [", out);
	for (size_t i = 0; i < v->nmissing; i++) {
		fputs(i ? ", " : "", out);
		nb_json_string(out, v->missing[i].reason,
			       strlen(v->missing[i].reason));
	}
	fprintf(out, "],\n \"correct\": %zu, \"total\": %zu, "
		"\"first_error\": ", v->correct, v->bw.n);
	if (v->first_error < v->bw.n)
		fprintf(out, "%zu}\n", line_of(v, v->first_error, &col));
	else
		fputs("null}\n", out);
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
