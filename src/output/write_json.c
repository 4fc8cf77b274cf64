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

#include <math.h>

#include "num/numfmt.h"
#include "output/grid.h"

/* Bytes a JSON string may hold as they are. */
static int plain(unsigned char c)
{
	return c >= 0x20 && c != '"' && c != '\\';
}

static void json_bytes(FILE *out, const char *s, size_t len)
{
	size_t i = 0, run;

	putc('"', out);
	while (i < len) {
		for (run = i; run < len && plain((unsigned char)s[run]); run++)
			;
		fwrite(s + i, 1, run - i, out);
		if (run == len)
			break;
		if (s[run] == '"' || s[run] == '\\')
			fprintf(out, "\\%c", s[run]);
		else
			fprintf(out, "\\u%04x", (unsigned char)s[run]);
		i = run + 1;
	}
	putc('"', out);
}

static void json_expr(FILE *out, const struct nb_program *p, size_t i)
{
	char buf[NB_ELIDE_DATA + 2];

	json_bytes(out, buf, nb_text_elide(buf, p, i, NB_ELIDE_DATA));
}

static void json_number(FILE *out, double v)
{
	char buf[NB_NUMBUF];
	size_t len = nb_fmt_exact(buf, v);

	if (isfinite(v))
		fwrite(buf, 1, len, out);
	else
		json_bytes(out, buf, len);
}

/* `, "key": number`: never an object's first member. */
static void member(FILE *out, const char *key, double v)
{
	fprintf(out, ", \"%s\": ", key);
	json_number(out, v);
}

static void gradient(FILE *out, const struct nb_program *p,
		     const struct nb_outspec *spec)
{
	fputs("\"gradient\": {", out);
	for (size_t k = 0; k < spec->nwrt; k++) {
		size_t v = p->vars[spec->wrt[k]], len;
		const char *name = nb_node_name(p, v, &len);

		if (k)
			fputs(", ", out);
		json_bytes(out, name, len);
		fputs(": ", out);
		json_number(out, p->tape.grad[v]);
	}
	putc('}', out);
}

static void node(FILE *out, const struct nb_program *p, size_t i)
{
	const struct nb_tape *t = &p->tape;
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	fprintf(out, "{\"id\": %zu, ", i);
	if (name) {
		fputs("\"name\": ", out);
		json_bytes(out, name, len);
		fputs(", ", out);
	}
	fprintf(out, "\"op\": \"%s\", \"expr\": ", nb_ops[t->op[i]].name);
	json_expr(out, p, i);
	member(out, "value", t->value[i]);
	member(out, "grad", t->grad[i]);
	fputs(", \"inputs\": [", out);
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		fprintf(out, "%s{\"id\": %u", e > t->first[i] ? ", " : "",
			(unsigned)t->in[e]);
		member(out, "local", t->local[e]);
		member(out, "downstream",
		       nb_downstream(t->grad[i], t->local[e]));
		putc('}', out);
	}
	fputs("]}", out);
}

void nb_write_json(FILE *out, const struct nb_program *p,
		   const struct nb_outspec *spec)
{
	size_t len;
	const char *oname = nb_program_outname(p, &len);

	fputs("{\"output\": ", out);
	json_bytes(out, oname, len);
	member(out, "value", p->tape.value[p->output]);
	fputs(",\n ", out);
	gradient(out, p, spec);
	fputs(",\n \"nodes\": [", out);
	for (size_t i = 0; i < p->tape.n; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		node(out, p, i);
	}
	fputs("\n ]}\n", out);
}

void nb_json_string(FILE *out, const char *s, size_t len)
{
	json_bytes(out, s, len);
}

void nb_json_number(FILE *out, double v)
{
	json_number(out, v);
}
