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
 * null) and JSON wraps the rows in an object with the verdict.
 *
 * An element of a tensor input is named W[3,7] (JSON: "input": "W",
 * "index": [3, 7], an index that scalar programs do not have); the
 * value of a tensor output is reported as the function checked,
 * sum(upstream * D). */
#include "modes/check_report.h"
#include "modes/modes.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/view.h"
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
	TEXT("input"), TEXT("index"), NUM("value", 0), NUM("step", 0), NUM("analytic", 0),
	NUM("numeric", 0), NUM("error", 0), NUM("truncation", 0),
	NUM("rounding", 0), TEXT("status"), TEXT("kink")
};

struct report {
	const struct nb_program *p;
	const struct nb_check *c;
	int shaped;             /* elements get an index */
};

/* Room for the index of an element: "[4294967295,...]". */
#define INDEX_BUF (NB_MAX_RANK * 22 + 3)

/* Element elem of a tensor of shape s as "[3,7]", or in JSON "[3, 7]";
 * a scalar is "" in a table, "[]" in JSON. */
static size_t element(char *buf, const struct nb_shape *s, size_t elem,
		      int json)
{
	size_t stride[NB_MAX_RANK], n = 0, prod = 1;

	buf[0] = '\0';
	if (s->rank == 0 && !json)
		return 0;
	for (int a = s->rank; a-- > 0;) {
		stride[a] = prod;
		prod *= s->dim[a];
	}
	buf[n++] = '[';
	for (int a = 0; a < s->rank; a++)
		n += (size_t)sprintf(buf + n, "%s%zu", !a ? "" : json ? ", "
				     : ",", elem / stride[a] % s->dim[a]);
	buf[n++] = ']';
	buf[n] = '\0';
	return n;
}

/* The shape of input var: its bound tensor's, or a scalar's. */
static struct nb_shape input_shape(const struct nb_program *p, size_t var)
{
	if (p->tval && p->tval[var].data)
		return p->tval[var].shape;
	return nb_shape_scalar();
}

/* The partial's input: its name, and in the table, CSV and TSV its
 * element; JSON gives the element its own "index". */
static void input(struct nb_sink *s, const struct report *r,
		  const struct nb_partial *pt)
{
	struct nb_shape sh = input_shape(r->p, pt->var);
	char buf[NB_RULE_BUF + INDEX_BUF];
	size_t len;
	const char *name = nb_node_name(r->p, r->p->vars[pt->var], &len);

	if (len > NB_RULE_BUF)
		len = NB_RULE_BUF;
	memcpy(buf, name, len);
	if (s->ops->typed) {
		nb_sink_text(s, buf, len);
		if (r->shaped)
			nb_sink_token(s, buf, element(buf, &sh, pt->elem, 1));
		return;
	}
	len += element(buf + len, &sh, pt->elem, 0);
	nb_sink_text(s, buf, len);
}

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
		const char *verdict = nb_verdict_name(pt->verdict);

		input(s, r, pt);
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

/* The value of the function checked: the output's, or for a tensor
 * output sum(upstream * output). */
static double checked_value(const struct nb_program *p,
			    const struct nb_check *c)
{
	struct nb_view v = nb_node_value(&p->tape, p->output);
	double f = 0;

	if (v.shape.rank == 0)
		return v.x[0];
	for (size_t e = 0; e < c->nup; e++)
		f += c->up[e] * v.x[e];
	return f;
}

static void summary(struct nb_out *o, const struct nb_program *p,
		    const struct nb_check *c, int prec)
{
	size_t olen;
	const char *oname = nb_program_outname(p, &olen);
	char buf[NB_NUMBUF];

	nb_fmt_human(buf, checked_value(p, c), prec);
	if (nb_node_value(&p->tape, p->output).shape.rank > 0)
		nb_out_printf(o, "\nsum(upstream * %.*s) = %s\n", (int)olen,
			      oname, buf);
	else
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
	nb_json_number(o, checked_value(p, c));
	nb_out_puts(o, ", \"tol\": ");
	nb_json_number(o, c->tol);
	nb_out_printf(o, ", \"status\": \"%s\", \"partials\": ",
		      nb_verdict_name(c->verdict));
}

int nb_check_write(FILE *out, const struct nb_program *p,
		   const struct nb_check *c, const struct nb_outspec *spec)
{
	struct report r = { p, c, nb_tape_shaped(&p->tape) };
	int is_typed = nb_sink_typed(spec->format);
	int is_human = nb_format_human(spec->format);
	struct nb_col col[sizeof typed / sizeof *typed];
	size_t ncol = is_human ? sizeof human / sizeof *human
		      : is_typed ? sizeof typed / sizeof *typed
				 : sizeof data / sizeof *data;
	size_t width[sizeof typed / sizeof *typed];
	char buf[NB_OUT_SMALL];
	struct nb_out o;
	struct nb_sink s;

	memcpy(col, is_human ? human : is_typed ? typed : data,
	       ncol * sizeof *col);
	/* JSON's index: only where there are elements */
	if (is_typed && !r.shaped)
		memmove(col + 1, col + 2, (--ncol - 1) * sizeof *col);
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

int nb_check_main(const struct nb_mode_call *mc)
{
	struct nb_check c;
	int failed;

	if (nb_check_init_sampled(&c, mc->p, mc->spec->wrt, mc->spec->nwrt,
				  mc->tol, mc->step, mc->samples, mc->seed))
		return -1;
	nb_check_run(&c, mc->p);
	nb_check_write(mc->out, mc->p, &c, mc->spec);
	failed = c.nfail > 0;
	nb_check_free(&c);
	return failed;
}

static int run(const struct nb_mode_call *c)
{
	return nb_check_main(c);
}

/* --batch --check: the columns check_error (the largest relative error)
 * and check (the verdict); with vectors or matrices also check_worst,
 * the element the verdict comes from (W[3,7]).  A failed check is not a
 * bad row: every row is written, and the exit status says that one
 * failed. */
static int check_init(struct nb_mode_batch *m)
{
	int worst = nb_tape_shaped(&m->p->tape);

	if (nb_mode_batch_alloc(m, 2 + (size_t)worst))
		return -1;
	m->col[0] = (struct nb_bcolumn){ "", "check_error", 11, 1 };
	m->col[1] = (struct nb_bcolumn){ "", "check", 5, 0 };
	if (worst) {
		m->col[2] = (struct nb_bcolumn){ "", "check_worst", 11, 0 };
		m->text = nb_malloc(NB_RULE_BUF + INDEX_BUF);
		if (!m->text)
			return -1;
	}
	return nb_check_init(&m->chk, m->p, m->wrt, m->nwrt, m->tol, m->step);
}

/* The partial the verdict comes from: of those with the worst verdict,
 * the one with the largest error (a nan one first), the first of equals;
 * NULL when nothing was checked. */
static const struct nb_partial *worst_partial(const struct nb_check *c)
{
	const struct nb_partial *w = NULL;

	for (size_t k = 0; k < c->n; k++) {
		const struct nb_partial *pt = &c->part[k];
		if (pt->verdict != c->verdict)
			continue;
		if (!w || (!isnan(w->error) &&
			   (isnan(pt->error) || pt->error > w->error)))
			w = pt;
	}
	return w;
}

/* Its name, W[3,7], into m->text: the check_worst cell. */
static void worst_cell(struct nb_mode_batch *m)
{
	const struct nb_partial *pt = worst_partial(&m->chk);
	struct nb_shape sh;
	size_t len = 0;
	const char *name;

	if (pt) {
		sh = input_shape(m->p, pt->var);
		name = nb_node_name(m->p, m->p->vars[pt->var], &len);
		if (len > NB_RULE_BUF)
			len = NB_RULE_BUF;
		memcpy(m->text, name, len);
		len += element(m->text + len, &sh, pt->elem, 0);
	}
	m->cell[2] = (struct nb_cell){ m->text, len, 0, 0, 0 };
}

static int check_row(struct nb_mode_batch *m)
{
	const char *verdict;

	nb_check_run(&m->chk, m->p);
	verdict = nb_verdict_name(m->chk.verdict);
	m->cell[0].v = m->chk.maxerr;
	m->cell[1] = (struct nb_cell){ verdict, strlen(verdict), 0, 0, 0 };
	if (m->text)
		worst_cell(m);
	m->failed = m->chk.verdict == NB_CHECK_FAIL;
	return 0;
}

const struct nb_mode_ops nb_check_mode = { run, check_init, check_row };
