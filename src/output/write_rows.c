/* write_rows.c - the long ("tidy") node table, through the sink of the
 * format (CSV, TSV, ...).
 *
 * One row per (node, input) pair in tape order, a leaf on one row with
 * the input columns empty:
 *   node,name,op,expr,value,grad,input,local,downstream
 * An expression longer than NB_ELIDE_DATA is elided (writer.h says
 * why); its display form reads each run of whitespace as one space.
 *
 * With a tensor anywhere, there is a row per element, and shape and
 * index columns (an index is "1,2" in row-major order, empty for a
 * scalar):
 *   node,name,op,expr,shape,index,value,grad,input,local,downstream
 * First each element of the node's value (with its gradient), then for
 * each input each element of that input's shape: its downstream
 * gradient, and the local gradient where it has the same shape (an
 * elementwise op's, not broadcast; a tensor op has a rule instead, which
 * JSON gives).  Cells not computed (gradients without them) are
 * empty. */
#include "output/writer.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output/sink.h"

#define TEXT(name) { "", name, sizeof name - 1, 0, 0 }
#define NUM(name) { "", name, sizeof name - 1, NB_COL_NUM, 0 }

static const struct nb_col columns[] = {
	TEXT("node"), TEXT("name"), TEXT("op"), TEXT("expr"), NUM("value"),
	NUM("grad"), TEXT("input"), NUM("local"), NUM("downstream"),
};

static const struct nb_col tcolumns[] = {
	TEXT("node"), TEXT("name"), TEXT("op"), TEXT("expr"), TEXT("shape"),
	TEXT("index"), NUM("value"), NUM("grad"), TEXT("input"), NUM("local"),
	NUM("downstream"),
};

static void count(struct nb_sink *s, size_t v)
{
	char buf[24];

	nb_sink_token(s, buf, (size_t)sprintf(buf, "%zu", v));
}

/* The cells a node's rows share, up to and including expr. */
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
}

/* Element j of v, or an empty cell where v was not computed. */
static void element(struct nb_sink *s, struct nb_view v, size_t j)
{
	if (v.x)
		nb_sink_number(s, v.x[j]);
	else
		nb_sink_text(s, "", 0);
}

static void empty(struct nb_sink *s, int n)
{
	while (n-- > 0)
		nb_sink_text(s, "", 0);
}

static void rows(struct nb_sink *s, const void *ctx)
{
	const struct nb_program *p = ctx;
	const struct nb_tape *t = &p->tape;
	double tmp;

	for (size_t i = 0; i < t->n; i++) {
		if (t->first[i] == t->first[i + 1]) {
			node_cells(s, p, i);
			element(s, nb_node_value(t, i), 0);
			element(s, nb_node_grad(t, i), 0);
			empty(s, 3);
			nb_sink_end_row(s);
		}
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			node_cells(s, p, i);
			element(s, nb_node_value(t, i), 0);
			element(s, nb_node_grad(t, i), 0);
			count(s, t->in[e]);
			element(s, nb_edge_local(t, i, e), 0);
			element(s, nb_write_down(t, i, e, &tmp), 0);
			nb_sink_end_row(s);
		}
	}
}

/* The shape and index cells of element j of a value of shape sh. */
static void where(struct nb_sink *s, const struct nb_shape *sh, size_t j)
{
	char buf[NB_MAX_RANK * 11 + 1];
	uint32_t idx[NB_MAX_RANK];
	size_t n = 0;

	nb_sink_text(s, buf, strlen(nb_shape_format(buf, sh)));
	for (int a = sh->rank; a-- > 0; j /= sh->dim[a])
		idx[a] = (uint32_t)(j % sh->dim[a]);
	for (int a = 0; a < sh->rank; a++)
		n += (size_t)sprintf(buf + n, a ? ",%lu" : "%lu",
				     (unsigned long)idx[a]);
	nb_sink_text(s, buf, n);
}

static size_t size_of(const struct nb_shape *sh)
{
	size_t n = 0;

	nb_shape_size(sh, &n);
	return n;
}

/* Edge e's rows: one per element of its input. */
static void edge_rows(struct nb_sink *s, const struct nb_program *p,
		      size_t i, size_t e)
{
	const struct nb_tape *t = &p->tape;
	struct nb_view local = nb_edge_local(t, i, e), down = nb_edge_down(t, e);

	if (!nb_shape_equal(&local.shape, &down.shape))
		local.x = NULL;
	for (size_t j = 0; j < size_of(&down.shape); j++) {
		node_cells(s, p, i);
		where(s, &down.shape, j);
		empty(s, 2);
		count(s, t->in[e]);
		element(s, local, j);
		element(s, down, j);
		nb_sink_end_row(s);
	}
}

static void tensor_rows(struct nb_sink *s, const void *ctx)
{
	const struct nb_program *p = ctx;
	const struct nb_tape *t = &p->tape;

	for (size_t i = 0; i < t->n; i++) {
		struct nb_view v = nb_node_value(t, i), g = nb_node_grad(t, i);

		for (size_t j = 0; j < size_of(&v.shape); j++) {
			node_cells(s, p, i);
			where(s, &v.shape, j);
			element(s, v, j);
			element(s, g, j);
			empty(s, 3);
			nb_sink_end_row(s);
		}
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
			edge_rows(s, p, i, e);
	}
}

void nb_write_rows(struct nb_out *o, const struct nb_program *p,
		  const struct nb_outspec *spec)
{
	size_t width[sizeof tcolumns / sizeof *tcolumns];
	int shaped = nb_tape_shaped(&p->tape);
	struct nb_sink s;

	nb_sink_open(&s, spec->format, o, shaped ? tcolumns : columns,
		     shaped ? sizeof tcolumns / sizeof *tcolumns
			    : sizeof columns / sizeof *columns,
		     spec->precision, spec->color, width);
	nb_sink_table(&s, shaped ? tensor_rows : rows, p);
	nb_sink_close(&s);
}
