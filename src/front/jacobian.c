/* jacobian.c - forming the Jacobians one reverse sweep per output
 * element, and writing them as labelled matrices or JSON. */
#include "front/jacobian.h"

#include <string.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "core/tsweep.h"
#include "core/view.h"
#include "num/numfmt.h"
#include "output/out.h"
#include "output/sink.h"

struct jac {
	struct nb_program *p;
	const struct nb_outspec *spec;
	struct nb_shape outshape;
	size_t m;               /* the output's elements: rows */
	size_t *n;              /* per reported input: its elements */
	size_t *start;          /* per reported input: its matrix in j */
	double *j;
};

static struct nb_shape input_shape(const struct jac *J, size_t k)
{
	return nb_node_value(&J->p->tape, J->p->vars[J->spec->wrt[k]]).shape;
}

/* Sizes the matrices; 0, or an exit status having said why. */
static int size_up(struct jac *J, size_t *total)
{
	*total = 0;
	J->outshape = nb_node_value(&J->p->tape, J->p->output).shape;
	nb_shape_size(&J->outshape, &J->m);
	for (size_t k = 0; k < J->spec->nwrt; k++) {
		struct nb_shape s = input_shape(J, k);

		nb_shape_size(&s, &J->n[k]);
		J->start[k] = *total;
		if (J->n[k] && J->m > (NB_JACOBIAN_MAX - *total) / J->n[k])
			return nb_usage_error("--jacobian shows at most %d "
					      "entries in all: use --upstream "
					      "for one vector-Jacobian product",
					      NB_JACOBIAN_MAX);
		*total += J->m * J->n[k];
	}
	return 0;
}

/* Row i of every matrix: the inputs' gradients as they are now. */
static void take_row(struct jac *J, size_t i)
{
	for (size_t k = 0; k < J->spec->nwrt; k++) {
		struct nb_view g = nb_node_grad(&J->p->tape,
						J->p->vars[J->spec->wrt[k]]);

		memcpy(J->j + J->start[k] + i * J->n[k], g.x,
		       J->n[k] * sizeof *J->j);
	}
}

/* One reverse sweep per output element; a scalar tape has had its one. */
static int sweep(struct jac *J)
{
	double *onehot;

	if (!J->p->tape.tv) {
		take_row(J, 0);
		return 0;
	}
	if (!(onehot = nb_malloc(J->m * sizeof *onehot)))
		return nb_out_of_memory();
	memset(onehot, 0, J->m * sizeof *onehot);
	for (size_t i = 0; i < J->m; i++) {
		onehot[i] = 1;
		nb_tsweep_reverse(&J->p->tape, J->p->output, onehot);
		onehot[i] = 0;
		take_row(J, i);
	}
	nb_free(onehot);
	return 0;
}

/* Element i of a value of shape s, named name: "x", "x[2]", "x[1,0]". */
static size_t label(char *buf, size_t size, const char *name, size_t len,
		    const struct nb_shape *s, size_t i)
{
	int n = snprintf(buf, size, "%.*s", (int)(len > 60 ? 60 : len), name);

	if (s->rank == 1)
		n += snprintf(buf + n, size - (size_t)n, "[%zu]", i);
	else if (s->rank == 2)
		n += snprintf(buf + n, size - (size_t)n, "[%zu,%zu]",
			      i / s->dim[1], i % s->dim[1]);
	return (size_t)n;
}

#define LABEL_MAX 96

/* The widths of matrix k's columns: the row labels', then each input
 * element's. */
static void widths(const struct jac *J, size_t k, size_t *w)
{
	struct nb_shape in = input_shape(J, k);
	const struct nb_program *p = J->p;
	char buf[LABEL_MAX > NB_NUMBUF ? LABEL_MAX : NB_NUMBUF];
	size_t len, olen;
	const char *name = nb_node_name(p, p->vars[J->spec->wrt[k]], &len);
	const char *out = nb_program_outname(p, &olen);

	w[0] = 0;
	for (size_t i = 0; i < J->m; i++) {
		size_t l = label(buf, sizeof buf, out, olen, &J->outshape, i);
		w[0] = l > w[0] ? l : w[0];
	}
	for (size_t c = 0; c < J->n[k]; c++) {
		w[c + 1] = label(buf, sizeof buf, name, len, &in, c);
		for (size_t i = 0; i < J->m; i++) {
			size_t l = nb_fmt_human(buf, J->j[J->start[k] +
							  i * J->n[k] + c],
						J->spec->precision);
			w[c + 1] = l > w[c + 1] ? l : w[c + 1];
		}
	}
}

/* Matrix k under its heading "df/dx (f is 4, x is 2x2):", a row label
 * before each row and an input element's label above each column. */
static void table_one(struct nb_out *o, const struct jac *J, size_t k,
		      size_t *w)
{
	struct nb_shape in = input_shape(J, k);
	const struct nb_program *p = J->p;
	char buf[LABEL_MAX > NB_NUMBUF ? LABEL_MAX : NB_NUMBUF];
	char so[NB_SHAPE_BUF], si[NB_SHAPE_BUF];
	size_t len, olen, l;
	const char *name = nb_node_name(p, p->vars[J->spec->wrt[k]], &len);
	const char *out = nb_program_outname(p, &olen);

	widths(J, k, w);
	nb_out_printf(o, "%sd%.*s/d%.*s (%.*s is %s, %.*s is %s):\n",
		      k ? "\n" : "", (int)olen, out, (int)len, name, (int)olen,
		      out, nb_shape_format(so, &J->outshape), (int)len, name,
		      nb_shape_format(si, &in));
	nb_out_spaces(o, w[0]);
	for (size_t c = 0; c < J->n[k]; c++) {
		l = label(buf, sizeof buf, name, len, &in, c);
		nb_out_spaces(o, 2 + w[c + 1] - l);
		nb_out_put(o, buf, l);
	}
	nb_out_putc(o, '\n');
	for (size_t i = 0; i < J->m; i++) {
		l = label(buf, sizeof buf, out, olen, &J->outshape, i);
		nb_out_put(o, buf, l);
		nb_out_spaces(o, w[0] - l);
		for (size_t c = 0; c < J->n[k]; c++) {
			l = nb_fmt_human(buf, J->j[J->start[k] + i * J->n[k] +
						   c], J->spec->precision);
			nb_out_spaces(o, 2 + w[c + 1] - l);
			nb_out_put(o, buf, l);
		}
		nb_out_putc(o, '\n');
	}
}

static int write_table(struct nb_out *o, const struct jac *J)
{
	size_t most = 0, *w;

	for (size_t k = 0; k < J->spec->nwrt; k++)
		most = J->n[k] > most ? J->n[k] : most;
	if (!(w = nb_malloc((most + 1) * sizeof *w)))
		return nb_out_of_memory();
	for (size_t k = 0; k < J->spec->nwrt; k++)
		table_one(o, J, k, w);
	nb_free(w);
	return 0;
}

/* x (shape s, from axis on) as nested JSON arrays; a scalar as a
 * number. */
static void json_array(struct nb_out *o, const double *x,
		       const struct nb_shape *s, int axis)
{
	size_t stride = 1;

	if (axis == s->rank) {
		nb_json_number(o, *x);
		return;
	}
	for (int a = axis + 1; a < s->rank; a++)
		stride *= s->dim[a];
	nb_out_putc(o, '[');
	for (size_t i = 0; i < s->dim[axis]; i++) {
		if (i)
			nb_out_puts(o, ", ");
		json_array(o, x + i * stride, s, axis + 1);
	}
	nb_out_putc(o, ']');
}

static void json_shape(struct nb_out *o, const struct nb_shape *s)
{
	nb_out_putc(o, '[');
	for (int a = 0; a < s->rank; a++)
		nb_out_printf(o, "%s%lu", a ? ", " : "",
			      (unsigned long)s->dim[a]);
	nb_out_putc(o, ']');
}

/* `, "KEY": {"x": ..., "y": ...` with what(k) after input k's name,
 * the brace left open. */
static void json_map(struct nb_out *o, const struct jac *J, const char *key,
		     void (*what)(struct nb_out *, const struct jac *, size_t))
{
	size_t len;

	nb_out_printf(o, ", \"%s\": {", key);
	for (size_t k = 0; k < J->spec->nwrt; k++) {
		const char *name = nb_node_name(J->p,
						J->p->vars[J->spec->wrt[k]],
						&len);
		if (k)
			nb_out_puts(o, ", ");
		nb_json_string(o, name, len);
		nb_out_puts(o, ": ");
		what(o, J, k);
	}
}

static void json_matrix(struct nb_out *o, const struct jac *J, size_t k)
{
	struct nb_shape s = nb_shape_matrix((uint32_t)J->m,
					    (uint32_t)J->n[k]);

	json_array(o, J->j + J->start[k], &s, 0);
}

static void json_gradient(struct nb_out *o, const struct jac *J, size_t k)
{
	struct nb_shape s = input_shape(J, k);

	json_array(o, J->j + J->start[k], &s, 0);
}

static void json_input_shape(struct nb_out *o, const struct jac *J, size_t k)
{
	struct nb_shape s = input_shape(J, k);

	json_shape(o, &s);
}

static void write_json(struct nb_out *o, const struct jac *J)
{
	size_t len;
	const char *out = nb_program_outname(J->p, &len);
	struct nb_view v = nb_node_value(&J->p->tape, J->p->output);

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, out, len);
	nb_out_puts(o, ", \"value\": ");
	json_array(o, v.x, &v.shape, 0);
	json_map(o, J, "jacobian", json_matrix);
	nb_out_putc(o, '}');
	if (nb_tape_shaped(&J->p->tape)) {
		/* every input's shape, and the output's */
		json_map(o, J, "shapes", json_input_shape);
		nb_out_puts(o, J->spec->nwrt ? ", " : "");
		nb_json_string(o, out, len);
		nb_out_puts(o, ": ");
		json_shape(o, &J->outshape);
		nb_out_putc(o, '}');
	}
	if (J->outshape.rank == 0) {
		json_map(o, J, "gradient", json_gradient);
		nb_out_putc(o, '}');
	}
	nb_out_puts(o, "}\n");
}

int nb_jacobian_write(FILE *out, struct nb_program *p,
		      const struct nb_outspec *spec)
{
	struct jac J = { p, spec, { 0 }, 0, NULL, NULL, NULL };
	size_t total = 0, nw = spec->nwrt ? spec->nwrt : 1;
	struct nb_out o;
	int r;

	J.n = nb_malloc(nw * sizeof *J.n);
	J.start = nb_malloc(nw * sizeof *J.start);
	r = !J.n || !J.start ? nb_out_of_memory() : size_up(&J, &total);
	if (r == 0 && !(J.j = nb_malloc((total ? total : 1) * sizeof *J.j)))
		r = nb_out_of_memory();
	if (r == 0)
		r = sweep(&J);
	if (r == 0 && nb_out_open(&o, out))
		r = nb_out_of_memory();
	if (r == 0) {
		if (spec->format == NB_FMT_JSON)
			write_json(&o, &J);
		else
			r = write_table(&o, &J);
		/* A write error on stdout is nb_close_stdout's to report. */
		nb_out_close(&o);
	}
	nb_free(J.j);
	nb_free(J.start);
	nb_free(J.n);
	return r;
}
