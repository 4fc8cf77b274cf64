/* write_rows.c - the long ("tidy") node table, through the sink of the
 * format (CSV, TSV, ...).
 *
 * One row per (node, input) pair in tape order, a leaf on one row with
 * the input columns empty:
 *   node,name,op,expr,value,grad,input,local,downstream
 * An expression longer than NB_ELIDE_DATA is elided (writer.h says
 * why); its display form reads each run of whitespace as one space. */
#include "output/writer.h"

#include <stdio.h>
#include <string.h>

#include "output/sink.h"

#define TEXT(name) { "", name, sizeof name - 1, 0, 0 }
#define NUM(name) { "", name, sizeof name - 1, NB_COL_NUM, 0 }

static const struct nb_col columns[] = {
	TEXT("node"), TEXT("name"), TEXT("op"), TEXT("expr"), NUM("value"),
	NUM("grad"), TEXT("input"), NUM("local"), NUM("downstream"),
};

static void count(struct nb_sink *s, size_t v)
{
	char buf[24];

	nb_sink_token(s, buf, (size_t)sprintf(buf, "%zu", v));
}

/* The cells a node's rows share, up to and including grad. */
static void node_cells(struct nb_sink *s, const struct nb_program *p,
		       size_t i)
{
	char buf[NB_ELIDE_DATA + 2];
	size_t len;
	const char *name = nb_node_name(p, i, &len);
	const char *op = nb_ops[p->tape.op[i]].name;

	count(s, i);
	nb_sink_text(s, name ? name : "", name ? len : 0);
	nb_sink_text(s, op, strlen(op));
	nb_sink_text(s, buf, nb_text_elide(buf, p, i, NB_ELIDE_DATA));
	nb_sink_number(s, p->tape.value[i]);
	nb_sink_number(s, p->tape.grad[i]);
}

static void rows(struct nb_sink *s, const void *ctx)
{
	const struct nb_program *p = ctx;
	const struct nb_tape *t = &p->tape;

	for (size_t i = 0; i < t->n; i++) {
		if (t->first[i] == t->first[i + 1]) {
			node_cells(s, p, i);
			nb_sink_text(s, "", 0);
			nb_sink_text(s, "", 0);
			nb_sink_text(s, "", 0);
			nb_sink_end_row(s);
		}
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			node_cells(s, p, i);
			count(s, t->in[e]);
			nb_sink_number(s, t->local[e]);
			nb_sink_number(s, nb_downstream(t->grad[i], t->local[e]));
			nb_sink_end_row(s);
		}
	}
}

void nb_write_rows(struct nb_out *o, const struct nb_program *p,
		  const struct nb_outspec *spec)
{
	size_t width[sizeof columns / sizeof *columns];
	struct nb_sink s;

	nb_sink_open(&s, spec->format, o, columns,
		     sizeof columns / sizeof *columns, spec->precision,
		     spec->color, width);
	nb_sink_table(&s, rows, p);
	nb_sink_close(&s);
}
