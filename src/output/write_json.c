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
 * strings "nan", "inf" and "-inf". */
#include "output/writer.h"

#include <stdio.h>

#include "output/sink.h"

/* `, "key": number`: never an object's first member. */
static void member(struct nb_out *o, const char *key, double v)
{
	nb_out_printf(o, ", \"%s\": ", key);
	nb_json_number(o, v);
}

static void gradient(struct nb_out *o, const struct nb_program *p,
		     const struct nb_outspec *spec)
{
	nb_out_puts(o, "\"gradient\": {");
	for (size_t k = 0; k < spec->nwrt; k++) {
		size_t v = p->vars[spec->wrt[k]], len;
		const char *name = nb_node_name(p, v, &len);

		if (k)
			nb_out_puts(o, ", ");
		nb_json_string(o, name, len);
		nb_out_puts(o, ": ");
		nb_json_number(o, p->tape.grad[v]);
	}
	nb_out_putc(o, '}');
}

static void node(struct nb_out *o, const struct nb_program *p, size_t i)
{
	const struct nb_tape *t = &p->tape;
	char buf[NB_ELIDE_DATA + 2];
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	nb_out_printf(o, "{\"id\": %zu, ", i);
	if (name) {
		nb_out_puts(o, "\"name\": ");
		nb_json_string(o, name, len);
		nb_out_puts(o, ", ");
	}
	nb_out_printf(o, "\"op\": \"%s\", \"expr\": ", nb_ops[t->op[i]].name);
	nb_json_string(o, buf, nb_text_elide(buf, p, i, NB_ELIDE_DATA));
	member(o, "value", t->value[i]);
	member(o, "grad", t->grad[i]);
	nb_out_puts(o, ", \"inputs\": [");
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		nb_out_printf(o, "%s{\"id\": %u", e > t->first[i] ? ", " : "",
			      (unsigned)t->in[e]);
		member(o, "local", t->local[e]);
		member(o, "downstream", nb_downstream(t->grad[i], t->local[e]));
		nb_out_putc(o, '}');
	}
	nb_out_puts(o, "]}");
}

void nb_write_json(struct nb_out *o, const struct nb_program *p,
		   const struct nb_outspec *spec)
{
	size_t len;
	const char *oname = nb_program_outname(p, &len);

	nb_out_puts(o, "{\"output\": ");
	nb_json_string(o, oname, len);
	member(o, "value", p->tape.value[p->output]);
	nb_out_puts(o, ",\n ");
	gradient(o, p, spec);
	nb_out_puts(o, ",\n \"nodes\": [");
	for (size_t i = 0; i < p->tape.n; i++) {
		nb_out_puts(o, i ? ",\n  " : "\n  ");
		node(o, p, i);
	}
	nb_out_puts(o, "\n ]}\n");
}
