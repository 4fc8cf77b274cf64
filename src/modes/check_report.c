/* check_report.c - the result of --check through the sink of its format.
 *
 *   input  value      step  analytic  numeric  error  status
 *   -----  -----  --------  --------  -------  -----  ------
 *   x         -2  1.21e-05        -4       -4      0  ok
 *
 *   f = -12
 *   check: 3 ok, 0 at a kink, 0 failed (tolerance 1e-06)
 *
 * A kink's row ends with the node that crossed it; the count of
 * inaccurate partials is shown when there are any.  The data formats
 * add the truncation estimate, the rounding bound and the kink's node
 * and op (CSV and TSV as
 * the columns kink_node and kink_op; JSON as one "kink" object, or
 * null) and JSON wraps the rows in an object with the verdict. */
#include "modes/check_report.h"
#include "modes/modes.h"

#include <string.h>

#include "core/alloc.h"
#include "num/numfmt.h"
#include "output/sink.h"

#define SMALL 3                 /* digits of step and error in the table */

#define NUM(name, prec) { "", name, sizeof name - 1, NB_COL_NUM, prec }
#define TEXT(name) { "", name, sizeof name - 1, 0, 0 }

static const struct nb_col human[] = {
	TEXT("input"), NUM("value", 0), NUM("step", SMALL),
	NUM("analytic", 0), NUM("numeric", 0), NUM("error", SMALL),
	TEXT("status")
};
static const struct nb_col data[] = {
	TEXT("input"), NUM("value", 0), NUM("step", 0), NUM("analytic", 0),
	NUM("numeric", 0), NUM("error", 0), NUM("truncation", 0),
	NUM("rounding", 0), TEXT("status"), TEXT("kink_node"), TEXT("kink_op")
};
static const struct nb_col typed[] = {
	TEXT("input"), NUM("value", 0), NUM("step", 0), NUM("analytic", 0),
	NUM("numeric", 0), NUM("error", 0), NUM("truncation", 0),
	NUM("rounding", 0), TEXT("status"), TEXT("kink")
};

struct report {
	const struct nb_program *p;
	const struct nb_check *c;
};

/* Where a kink's partial crossed it: the table's note, or the data
 * formats' columns. */
static void kink(struct nb_sink *s, const struct nb_program *p,
		 const struct nb_partial *pt)
{
	int at = pt->verdict == NB_CHECK_KINK;
	const char *op = at ? nb_ops[p->tape.op[pt->kink]].name : "";
	char buf[NB_ELIDE + 64];
	size_t len;

	if (nb_sink_human(s)) {
		if (!at)
			return;
		len = (size_t)sprintf(buf, " at #%lu ", (unsigned long)pt->kink);
		len += nb_text_elide(buf + len, p, pt->kink, NB_ELIDE);
		nb_sink_note(s, buf, len);
	} else if (s->ops->typed) {
		len = at ? (size_t)sprintf(buf, "{\"node\": %lu, \"op\": \"%s\"}",
					   (unsigned long)pt->kink, op)
			 : (size_t)sprintf(buf, "null");
		nb_sink_token(s, buf, len);
	} else {
		len = at ? (size_t)sprintf(buf, "%lu", (unsigned long)pt->kink)
			 : 0;
		nb_sink_text(s, buf, len);
		nb_sink_text(s, op, strlen(op));
	}
}

static void rows(struct nb_sink *s, const void *ctx)
{
	const struct report *r = ctx;
	int human = nb_sink_human(s);

	for (size_t k = 0; k < r->c->n; k++) {
		const struct nb_partial *pt = &r->c->part[k];
		const char *name, *verdict = nb_verdict_name(pt->verdict);
		size_t len;

		name = nb_node_name(r->p, r->p->vars[pt->var], &len);
		nb_sink_text(s, name, len);
		nb_sink_number(s, pt->x);
		nb_sink_number(s, pt->step);
		nb_sink_number(s, pt->analytic);
		nb_sink_number(s, pt->numeric);
		nb_sink_number(s, pt->error);
		if (!human) {
			nb_sink_number(s, pt->truncation);
			nb_sink_number(s, pt->rounding);
		}
		nb_sink_text(s, verdict, strlen(verdict));
		kink(s, r->p, pt);
		nb_sink_end_row(s);
	}
}

static void summary(struct nb_out *o, const struct nb_program *p,
		    const struct nb_check *c, int prec)
{
	size_t olen;
	const char *oname = nb_program_outname(p, &olen);
	char buf[NB_NUMBUF];

	nb_fmt_human(buf, p->tape.value[p->output], prec);
	nb_out_printf(o, "\n%.*s = %s\n", (int)olen, oname, buf);
	nb_fmt_human(buf, c->tol, prec);
	nb_out_printf(o, "check: %zu ok, %zu at a kink, ", c->nok, c->nkinks);
	if (c->ninaccurate)
		nb_out_printf(o, "%zu inaccurate, ", c->ninaccurate);
	nb_out_printf(o, "%zu failed (tolerance %s)\n", c->nfail, buf);
}

static void json_head(struct nb_out *o, const struct nb_program *p,
		      const struct nb_check *c)
{
	size_t len;
	const char *name = nb_program_outname(p, &len);

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, name, len);
	nb_out_puts(o, ", \"value\": ");
	nb_json_number(o, p->tape.value[p->output]);
	nb_out_puts(o, ", \"tol\": ");
	nb_json_number(o, c->tol);
	nb_out_printf(o, ", \"status\": \"%s\", \"partials\": ",
		      nb_verdict_name(c->verdict));
}

int nb_check_write(FILE *out, const struct nb_program *p,
		   const struct nb_check *c, const struct nb_outspec *spec)
{
	struct report r = { p, c };
	int is_typed = nb_sink_typed(spec->format);
	int is_human = nb_format_human(spec->format);
	const struct nb_col *col = is_human ? human : is_typed ? typed : data;
	size_t ncol = is_human ? sizeof human / sizeof *human
		      : is_typed ? sizeof typed / sizeof *typed
				 : sizeof data / sizeof *data;
	size_t width[sizeof data / sizeof *data];
	char buf[NB_OUT_SMALL];
	struct nb_out o;
	struct nb_sink s;

	nb_out_init(&o, out, buf, sizeof buf);
	nb_sink_open(&s, spec->format, &o, col, ncol, spec->precision, 0,
		     width);
	if (is_typed)
		json_head(&o, p, c);
	nb_sink_table(&s, rows, &r);
	nb_sink_close(&s);
	if (is_typed)
		nb_out_puts(&o, "}\n");
	else if (is_human)
		summary(&o, p, c, spec->precision);
	return nb_out_close(&o);
}

int nb_check_main(FILE *out, struct nb_program *p,
		  const struct nb_outspec *spec, double tol, double step)
{
	struct nb_check c;
	int failed;

	if (nb_check_init(&c, p, spec->wrt, spec->nwrt, tol, step))
		return -1;
	nb_check_run(&c, p);
	nb_check_write(out, p, &c, spec);
	failed = c.nfail > 0;
	nb_check_free(&c);
	return failed;
}

static int run(const struct nb_mode_call *c)
{
	return nb_check_main(c->out, c->p, c->spec, c->tol, c->step);
}

/* --batch --check: the columns check_error (the largest relative error)
 * and check (the verdict).  A failed check is not a bad row: every row
 * is written, and the exit status says that one failed. */
static int check_init(struct nb_mode_batch *m)
{
	if (nb_mode_batch_alloc(m, 2))
		return -1;
	m->col[0] = (struct nb_bcolumn){ "", "check_error", 11, 1 };
	m->col[1] = (struct nb_bcolumn){ "", "check", 5, 0 };
	return nb_check_init(&m->chk, m->p, m->wrt, m->nwrt, m->tol, m->step);
}

static int check_row(struct nb_mode_batch *m)
{
	const char *verdict;

	nb_check_run(&m->chk, m->p);
	verdict = nb_verdict_name(m->chk.verdict);
	m->cell[0].v = m->chk.maxerr;
	m->cell[1] = (struct nb_cell){ verdict, strlen(verdict), 0, 0, 0 };
	m->failed = m->chk.verdict == NB_CHECK_FAIL;
	return 0;
}

const struct nb_mode_ops nb_check_mode = { run, check_init, check_row };
