/* batch_tlong.c - batch mode's long node and edge tables (--nodes,
 * --edges) for a program with vectors or matrices.
 *
 * CSV, TSV and the table have a line per element, with the shape and
 * index cells of the one-shot CSV (write_rows.c: a shape "2x3" or "()",
 * an index "1,2", empty for a scalar):
 *   row,node,name,op,shape,index,value,grad
 *   row,node,input,shape,index,local,downstream
 * An edge's lines are the elements of its input, whose shape the
 * downstream gradient has; local is the elementwise local gradient
 * where it has that shape too, else empty (a tensor op's edge has a rule
 * instead, a broadcast input a local gradient of the node's shape).
 * JSON Lines has a record per node or edge, the shape a list and the
 * values nested arrays; local is the elementwise local gradient in the
 * node's shape, or null for a tensor op:
 *   {"row":1,"node":0,"name":"W","op":"var","shape":[2,2],
 *    "value":[[1,2],[3,4]],"grad":[[0,1],[0,1]]}
 *   {"row":1,"node":2,"input":0,"shape":[2,2],"local":null,
 *    "downstream":[[0,1],[0,1]]}
 * A tape whose values are all scalars (tensor ops on scalars: sum(x), x
 * a number) keeps the scalar tables' columns, its values read through
 * the views. */
#include "output/batch_write.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/view.h"

#define NUM(name) { "", name, sizeof name - 1, NB_COL_NUM, 0 }
#define TEXT(name) { "", name, sizeof name - 1, NB_COL_RIGHT, 0 }

static const struct nb_col node_cols[] = {
	TEXT("row"), TEXT("node"), TEXT("name"), TEXT("op"), TEXT("shape"),
	TEXT("index"), NUM("value"), NUM("grad")
};
static const struct nb_col jnode_cols[] = {
	TEXT("row"), TEXT("node"), TEXT("name"), TEXT("op"), TEXT("shape"),
	NUM("value"), NUM("grad")
};
static const struct nb_col edge_cols[] = {
	TEXT("row"), TEXT("node"), TEXT("input"), TEXT("shape"),
	TEXT("index"), NUM("local"), NUM("downstream")
};
static const struct nb_col jedge_cols[] = {
	TEXT("row"), TEXT("node"), TEXT("input"), TEXT("shape"),
	NUM("local"), NUM("downstream")
};

#define COUNT(a) (sizeof a / sizeof *a)
/* The shape cell's column: the same in every table. */
#define SHAPE_COL(layout) ((layout) == NB_NODES ? 4 : 3)

const struct nb_col *nb_bw_tlong_cols(const struct nb_bwriter *w, size_t *n)
{
	int typed = nb_sink_typed(w->fmt);

	if (w->layout == NB_WIDE || !nb_tape_shaped(&w->p->tape))
		return NULL;
	if (w->layout == NB_NODES) {
		*n = typed ? COUNT(jnode_cols) : COUNT(node_cols);
		return typed ? jnode_cols : node_cols;
	}
	*n = typed ? COUNT(jedge_cols) : COUNT(edge_cols);
	return typed ? jedge_cols : edge_cols;
}

static size_t size_of(const struct nb_shape *sh)
{
	size_t n = 1;

	nb_shape_size(sh, &n);
	return n;
}

/* Element j's index in a value of shape sh, "1,2", into buf. */
static size_t index_text(char *buf, const struct nb_shape *sh, size_t j)
{
	uint32_t idx[NB_MAX_RANK];
	size_t n = 0;

	for (int a = sh->rank; a-- > 0; j /= sh->dim[a])
		idx[a] = (uint32_t)(j % sh->dim[a]);
	buf[0] = '\0';
	for (int a = 0; a < sh->rank; a++)
		n += (size_t)sprintf(buf + n, a ? ",%lu" : "%lu",
				     (unsigned long)idx[a]);
	return n;
}

void nb_bw_tlong_widths(struct nb_bwriter *w)
{
	const struct nb_tape *t = &w->p->tape;
	size_t *width = w->sink.width, col = SHAPE_COL(w->layout);
	char buf[NB_SHAPE_BUF + NB_MAX_RANK * 11];

	if (!width || !nb_tape_shaped(t))
		return;
	for (size_t i = 0; i < t->n; i++) {
		const struct nb_shape *sh = &t->tv->shape[i];
		size_t len = strlen(nb_shape_format(buf, sh));
		if (len > width[col])
			width[col] = len;
		/* the last element's index is the longest (none: zeros(0)) */
		len = size_of(sh) ? index_text(buf, sh, size_of(sh) - 1) : 0;
		if (len > width[col + 1])
			width[col + 1] = len;
	}
}

/* The shape cell (JSON: a list), and in the delimited formats and the
 * table the index cell of element j. */
static void where(struct nb_sink *s, const struct nb_shape *sh, size_t j)
{
	char buf[NB_SHAPE_BUF + NB_MAX_RANK * 11];
	size_t n = 1;

	if (!s->ops->typed) {
		nb_sink_text(s, buf, strlen(nb_shape_format(buf, sh)));
		nb_sink_text(s, buf, index_text(buf, sh, j));
		return;
	}
	buf[0] = '[';
	for (int a = 0; a < sh->rank; a++)
		n += (size_t)sprintf(buf + n, a ? ",%lu" : "%lu",
				     (unsigned long)sh->dim[a]);
	buf[n++] = ']';
	nb_sink_token(s, buf, n);
}

/* A value: element j of v (NaN in a bad row, whose sweeps stopped), or
 * in JSON the whole of it, nested.  A hole (a tensor op's local
 * gradient) is an empty cell or null. */
static void value(struct nb_sink *s, struct nb_view v, size_t j, int ok,
		  int hole)
{
	if (hole && s->ops->typed) {
		nb_sink_token(s, "null", 4);
	} else if (hole) {
		nb_sink_text(s, "", 0);
	} else if (!s->ops->typed) {
		nb_sink_number(s, ok ? v.x[j] : NAN);
	} else {
		/* the key, then the array in its place */
		nb_sink_token(s, "", 0);
		nb_bw_json_tensor(s->out, &v.shape, ok ? v.x : NULL, NULL);
	}
}

/* Node i's lines (one record in JSON). */
static void node_lines(struct nb_bwriter *w, size_t row, size_t i, int ok)
{
	const struct nb_program *p = w->p;
	struct nb_sink *s = &w->sink;
	struct nb_view v = nb_node_value(&p->tape, i);
	struct nb_view g = nb_node_grad(&p->tape, i);
	size_t n = s->ops->typed ? 1 : size_of(&v.shape);

	for (size_t j = 0; j < n; j++) {
		nb_bw_node_cells(s, p, row, i);
		where(s, &v.shape, j);
		value(s, v, j, ok, 0);
		value(s, g, j, ok, 0);
		nb_sink_end_row(s);
	}
}

/* Edge e of node i's lines: one per element of its input (one record
 * in JSON). */
static void edge_lines(struct nb_bwriter *w, size_t row, size_t i, size_t e,
		       int ok)
{
	const struct nb_tape *t = &w->p->tape;
	struct nb_sink *s = &w->sink;
	struct nb_view local = nb_edge_local(t, i, e), down = nb_edge_down(t, e);
	size_t n = s->ops->typed ? 1 : size_of(&down.shape);
	int hole = t->tv->loff[e] == SIZE_MAX ||
		   (!s->ops->typed && !nb_shape_equal(&local.shape, &down.shape));

	for (size_t j = 0; j < n; j++) {
		nb_bw_count(s, row);
		nb_bw_count(s, i);
		nb_bw_count(s, t->in[e]);
		where(s, &down.shape, j);
		value(s, local, j, ok, hole);
		value(s, down, j, ok, 0);
		nb_sink_end_row(s);
	}
}

/* A tape of scalars with tensor ops: the scalar tables' lines. */
static void scalar_lines(struct nb_bwriter *w, size_t row, size_t i, int ok)
{
	const struct nb_tape *t = &w->p->tape;
	struct nb_sink *s = &w->sink;

	if (w->layout == NB_NODES) {
		nb_bw_node_cells(s, w->p, row, i);
		nb_sink_number(s, ok ? nb_node_value(t, i).x[0] : NAN);
		nb_sink_number(s, ok ? nb_node_grad(t, i).x[0] : NAN);
		nb_sink_end_row(s);
		return;
	}
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		struct nb_view l = nb_edge_local(t, i, e), d = nb_edge_down(t, e);
		nb_bw_count(s, row);
		nb_bw_count(s, i);
		nb_bw_count(s, t->in[e]);
		value(s, l, 0, ok, t->tv->loff[e] == SIZE_MAX);
		nb_sink_number(s, ok ? d.x[0] : NAN);
		nb_sink_end_row(s);
	}
}

void nb_bw_tlong_row(struct nb_bwriter *w, size_t row, int ok)
{
	const struct nb_tape *t = &w->p->tape;
	int shaped = nb_tape_shaped(t);

	for (size_t i = 0; i < t->n; i++) {
		if (!shaped)
			scalar_lines(w, row, i, ok);
		else if (w->layout == NB_NODES)
			node_lines(w, row, i, ok);
		else
			for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
				edge_lines(w, row, i, e, ok);
	}
}
