/* write_check.c - the result of --check as a table, CSV, TSV or JSON.
 *
 *   input  value      step  analytic  numeric  error  status
 *   -----  -----  --------  --------  -------  -----  ------
 *   x         -2  1.21e-05        -4       -4      0  ok
 *
 *   f = -12
 *   check: 3 ok, 0 at a kink, 0 failed (tolerance 1e-06)
 *
 * A kink's row ends with the node that crossed it; the count of
 * inaccurate partials is shown when there are any.  CSV and TSV have the
 * columns input,value,step,analytic,numeric,error,truncation,rounding,
 * status,kink_node,kink_op; JSON is one object with a "partials" array.
 * Names are identifiers and ops are words, so no field needs quoting. */
#include "modes/gradcheck.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "num/numfmt.h"
#include "output/outfile.h"

#define GAP "  "
#define SMALL 3                 /* digits of step and error in the table */

static const char *const titles[] = { "input", "value", "step", "analytic",
				      "numeric", "error", "status" };
#define NCOLS (sizeof titles / sizeof titles[0])

/* The numbers of a row in the data formats, after the input's name. */
static const char *const keys[] = { "value", "step", "analytic", "numeric",
				    "error", "truncation", "rounding" };
#define NKEYS (sizeof keys / sizeof keys[0])

static void row_numbers(const struct nb_partial *pt, double *v)
{
	v[0] = pt->x;
	v[1] = pt->step;
	v[2] = pt->analytic;
	v[3] = pt->numeric;
	v[4] = pt->error;
	v[5] = pt->truncation;
	v[6] = pt->rounding;
}

static const char *var_name(const struct nb_program *p,
			    const struct nb_partial *pt, size_t *len)
{
	return nb_node_name(p, p->vars[pt->var], len);
}

/* Cell k (after the name) of row pt, as the table shows it. */
static size_t cell(char *buf, const struct nb_partial *pt, size_t k,
		   int prec)
{
	const double v[] = { pt->x, pt->step, pt->analytic, pt->numeric,
			     pt->error };
	const char *s;

	if (k < 5)
		return nb_fmt_human(buf, v[k], k == 1 || k == 4 ? SMALL : prec);
	s = nb_verdict_name(pt->verdict);
	strcpy(buf, s);
	return strlen(s);
}

static void pad(FILE *out, size_t n)
{
	while (n-- > 0)
		putc(' ', out);
}

static void table(FILE *out, const struct nb_program *p,
		  const struct nb_check *c, int prec)
{
	size_t w[NCOLS], len, olen;
	char buf[NB_NUMBUF], text[NB_ELIDE + 2];
	const char *oname = nb_program_outname(p, &olen);

	for (size_t k = 0; k < NCOLS; k++)
		w[k] = strlen(titles[k]);
	for (size_t r = 0; r < c->n; r++) {
		var_name(p, &c->part[r], &len);
		if (len > w[0])
			w[0] = len;
		for (size_t k = 1; k < NCOLS; k++)
			if ((len = cell(buf, &c->part[r], k - 1, prec)) > w[k])
				w[k] = len;
	}
	for (size_t k = 0; k < NCOLS; k++) {
		/* Names and the status read left to right, numbers right. */
		int right = k > 0 && k + 1 < NCOLS;
		fprintf(out, "%s%*s%-*s", k ? GAP : "",
			right ? (int)(w[k] - strlen(titles[k])) : 0, "",
			right || k + 1 == NCOLS ? 0 : (int)w[k], titles[k]);
	}
	putc('\n', out);
	for (size_t k = 0; k < NCOLS; k++) {
		fputs(k ? GAP : "", out);
		for (size_t i = 0; i < w[k]; i++)
			putc('-', out);
	}
	putc('\n', out);
	for (size_t r = 0; r < c->n; r++) {
		const struct nb_partial *pt = &c->part[r];
		const char *name = var_name(p, pt, &len);

		fwrite(name, 1, len, out);
		pad(out, w[0] - len);
		for (size_t k = 1; k + 1 < NCOLS; k++) {
			len = cell(buf, pt, k - 1, prec);
			fputs(GAP, out);
			pad(out, w[k] - len);
			fputs(buf, out);
		}
		fprintf(out, GAP "%s", nb_verdict_name(pt->verdict));
		if (pt->verdict == NB_CHECK_KINK) {
			nb_text_elide(text, p, pt->kink, NB_ELIDE);
			fprintf(out, " at #%lu %s", (unsigned long)pt->kink,
				text);
		}
		putc('\n', out);
	}
	nb_fmt_human(buf, p->tape.value[p->output], prec);
	fprintf(out, "\n%.*s = %s\n", (int)olen, oname, buf);
	nb_fmt_human(buf, c->tol, prec);
	fprintf(out, "check: %zu ok, %zu at a kink, ", c->nok, c->nkinks);
	if (c->ninaccurate)
		fprintf(out, "%zu inaccurate, ", c->ninaccurate);
	fprintf(out, "%zu failed (tolerance %s)\n", c->nfail, buf);
}

static void exact(FILE *out, double v, int json)
{
	char buf[NB_NUMBUF];

	nb_fmt_exact(buf, v);
	fprintf(out, json && !isfinite(v) ? "\"%s\"" : "%s", buf);
}

static void delimited(FILE *out, const struct nb_program *p,
		      const struct nb_check *c, char sep)
{
	size_t len;

	fputs("input", out);
	for (size_t k = 0; k < NKEYS; k++)
		fprintf(out, "%c%s", sep, keys[k]);
	fprintf(out, "%cstatus%ckink_node%ckink_op\n", sep, sep, sep);
	for (size_t r = 0; r < c->n; r++) {
		const struct nb_partial *pt = &c->part[r];
		const char *name = var_name(p, pt, &len);
		double v[NKEYS];

		row_numbers(pt, v);
		fwrite(name, 1, len, out);
		for (size_t k = 0; k < NKEYS; k++) {
			putc(sep, out);
			exact(out, v[k], 0);
		}
		fprintf(out, "%c%s%c", sep, nb_verdict_name(pt->verdict), sep);
		if (pt->verdict == NB_CHECK_KINK)
			fprintf(out, "%lu%c%s", (unsigned long)pt->kink, sep,
				nb_ops[p->tape.op[pt->kink]].name);
		else
			putc(sep, out);
		putc('\n', out);
	}
}

static void json(FILE *out, const struct nb_program *p,
		 const struct nb_check *c)
{
	size_t len;
	const char *name = nb_program_outname(p, &len);

	fprintf(out, "{\"output\": \"%.*s\", \"value\": ", (int)len, name);
	exact(out, p->tape.value[p->output], 1);
	fputs(", \"tol\": ", out);
	exact(out, c->tol, 1);
	fprintf(out, ", \"status\": \"%s\", \"partials\": [",
		nb_verdict_name(c->verdict));
	for (size_t r = 0; r < c->n; r++) {
		const struct nb_partial *pt = &c->part[r];
		double v[NKEYS];

		row_numbers(pt, v);
		name = var_name(p, pt, &len);
		fprintf(out, "%s\n {\"input\": \"%.*s\"", r ? "," : "",
			(int)len, name);
		for (size_t k = 0; k < NKEYS; k++) {
			fprintf(out, ", \"%s\": ", keys[k]);
			exact(out, v[k], 1);
		}
		fprintf(out, ", \"status\": \"%s\", \"kink\": ",
			nb_verdict_name(pt->verdict));
		if (pt->verdict == NB_CHECK_KINK)
			fprintf(out, "{\"node\": %lu, \"op\": \"%s\"}}",
				(unsigned long)pt->kink,
				nb_ops[p->tape.op[pt->kink]].name);
		else
			fputs("null}", out);
	}
	fputs("]}\n", out);
}

int nb_check_write(FILE *out, const struct nb_program *p,
		   const struct nb_check *c, const struct nb_outspec *spec)
{
	errno = 0;
	if (spec->format == NB_FMT_CSV || spec->format == NB_FMT_TSV)
		delimited(out, p, c, spec->format == NB_FMT_CSV ? ',' : '\t');
	else if (spec->format == NB_FMT_JSON)
		json(out, p, c);
	else
		table(out, p, c, spec->precision);
	return nb_flush_out(out);
}
