/* write_json.c - the computed graph as one JSON object.
 *
 *   {"output": "f", "value": -12,
 *    "gradient": {"x": -4, "y": -4, "z": 3},
 *    "nodes": [
 *     {"id": 0, "name": "x", "op": "var", "expr": "x", "value": -2,
 *      "grad": -4, "inputs": []},
 *     ...
 *    ]}
 *
 * (each node on one line in the output).  "name" appears only on named
 * nodes; "gradient" holds the reported variables in order; an "expr"
 * longer than NB_ELIDE_DATA is elided (writer.h says why).  Numbers read
 * back to the same double; JSON has no nan or infinity, so those are the
 * strings "nan", "inf" and "-inf".
 *
 * With a tensor anywhere, every node has a "shape" (a list, [] for a
 * scalar), values are nested arrays, and a "shapes" object follows
 * "gradient" with every input's shape and the output's.  A tensor op's
 * edge has "local": null and its "rule"; an elementwise edge into a
 * broadcast input has its local gradient (in the node's shape) and the
 * "rule" that sums it back.  Without gradients (a tensor output and no
 * --upstream) there is no "gradient", "grad", "local" of an elementwise
 * edge or "downstream". */
#include "output/writer.h"

#include <stdint.h>
#include <stdio.h>

#include "output/sink.h"

static const double *nested(struct nb_out *o, const double *x,
			    const struct nb_shape *s, int axis)
{
	nb_out_putc(o, '[');
	for (uint32_t j = 0; j < s->dim[axis]; j++) {
		if (j)
			nb_out_puts(o, ", ");
		if (axis + 1 == s->rank)
			nb_json_number(o, *x++);
		else
			x = nested(o, x, s, axis + 1);
	}
	nb_out_putc(o, ']');
	return x;
}

void nb_json_value(struct nb_out *o, struct nb_view v)
{
	if (v.shape.rank == 0)
		nb_json_number(o, v.x[0]);
	else
		nested(o, v.x, &v.shape, 0);
}

/* `, "key": value`: never an object's first member. */
static void member(struct nb_out *o, const char *key, struct nb_view v)
{
	nb_out_printf(o, ", \"%s\": ", key);
	nb_json_value(o, v);
}

static void shape(struct nb_out *o, struct nb_view v)
{
	const struct nb_shape *s = &v.shape;

	nb_out_putc(o, '[');
	for (int a = 0; a < s->rank; a++)
		nb_out_printf(o, a ? ", %lu" : "%lu", (unsigned long)s->dim[a]);
	nb_out_putc(o, ']');
}

/* `"name": ` of variable node v. */
static void var_key(struct nb_out *o, const struct nb_program *p, size_t v)
{
	size_t len;
	const char *name = nb_node_name(p, v, &len);

	nb_json_string(o, name, len);
	nb_out_puts(o, ": ");
}

static void gradient(struct nb_out *o, const struct nb_program *p,
		     const struct nb_outspec *spec)
{
	nb_out_puts(o, ",\n \"gradient\": {");
	for (size_t k = 0; k < spec->nwrt; k++) {
		size_t v = p->vars[spec->wrt[k]];

		if (k)
			nb_out_puts(o, ", ");
		var_key(o, p, v);
		nb_json_value(o, nb_node_grad(&p->tape, v));
	}
	nb_out_putc(o, '}');
}

/* Every input's shape and the output's. */
static void shapes(struct nb_out *o, const struct nb_program *p)
{
	size_t len;
	const char *oname = nb_program_outname(p, &len);

	nb_out_puts(o, ",\n \"shapes\": {");
	for (size_t k = 0; k < p->nvars; k++) {
		var_key(o, p, p->vars[k]);
		shape(o, nb_node_value(&p->tape, p->vars[k]));
		nb_out_puts(o, ", ");
	}
	nb_json_string(o, oname, len);
	nb_out_puts(o, ": ");
	shape(o, nb_node_value(&p->tape, p->output));
	nb_out_putc(o, '}');
}

/* Edge e of node i: its input, its local gradient (null for a tensor
 * op, whose rule stands for it; absent when not computed) and its
 * downstream gradient. */
static void edge(struct nb_out *o, const struct nb_program *p, size_t i,
		 size_t e, int grads)
{
	const struct nb_tape *t = &p->tape;
	struct nb_view local = nb_edge_local(t, i, e);
	char rule[NB_RULE_BUF];
	size_t len = nb_edge_rule(rule, p, i, e);
	double tmp;

	nb_out_printf(o, "{\"id\": %u", (unsigned)t->in[e]);
	if (local.x)
		member(o, "local", local);
	else if (nb_op_is_tensor((enum nb_op)t->op[i]))
		nb_out_puts(o, ", \"local\": null");
	if (len) {
		nb_out_puts(o, ", \"rule\": ");
		nb_json_string(o, rule, len);
	}
	if (grads)
		member(o, "downstream", nb_write_down(t, i, e, &tmp));
	nb_out_putc(o, '}');
}

static void node(struct nb_out *o, const struct nb_program *p, size_t i,
		 int grads)
{
	const struct nb_tape *t = &p->tape;
	char buf[NB_ELIDE_DATA + 2];
	size_t len;
	const char *name = nb_node_name(p, i, &len);
	struct nb_view v = nb_node_value(t, i);

	nb_out_printf(o, "{\"id\": %zu, ", i);
	if (name) {
		nb_out_puts(o, "\"name\": ");
		nb_json_string(o, name, len);
		nb_out_puts(o, ", ");
	}
	nb_out_printf(o, "\"op\": \"%s\", \"expr\": ", nb_ops[t->op[i]].name);
	nb_json_string(o, buf, nb_text_elide(buf, p, i, NB_ELIDE_DATA));
	if (nb_tape_shaped(t)) {
		nb_out_puts(o, ", \"shape\": ");
		shape(o, v);
	}
	member(o, "value", v);
	if (grads)
		member(o, "grad", nb_node_grad(t, i));
	nb_out_puts(o, ", \"inputs\": [");
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		if (e > t->first[i])
			nb_out_puts(o, ", ");
		edge(o, p, i, e, grads);
	}
	nb_out_puts(o, "]}");
}

void nb_write_json(struct nb_out *o, const struct nb_program *p,
		   const struct nb_outspec *spec)
{
	size_t len;
	const char *oname = nb_program_outname(p, &len);
	int grads = nb_node_grad(&p->tape, p->output).x != NULL;

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, oname, len);
	member(o, "value", nb_node_value(&p->tape, p->output));
	if (grads)
		gradient(o, p, spec);
	if (nb_tape_shaped(&p->tape))
		shapes(o, p);
	nb_out_puts(o, ",\n \"nodes\": [");
	for (size_t i = 0; i < p->tape.n; i++) {
		nb_out_puts(o, i ? ",\n  " : "\n  ");
		node(o, p, i, grads);
	}
	nb_out_puts(o, "\n ]}\n");
}
