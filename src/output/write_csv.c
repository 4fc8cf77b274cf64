/* write_csv.c - the long ("tidy") node table as CSV or TSV.
 *
 * One row per (node, input) pair in tape order, a leaf on one row with
 * the input columns empty:
 *   node,name,op,expr,value,grad,input,local,downstream
 * Numbers read back to the same double; lines end in LF; an expression
 * longer than NB_ELIDE_DATA is elided (writer.h says why).
 *
 * CSV (RFC 4180) quotes a field only when it must: when it holds a comma,
 * a quote, CR or LF, doubling its quotes.  TSV has no quoting at all, so
 * a tab or newline in a text field must be written as a space.  Only the
 * expression text can hold any of these, and its display form (as in
 * every format) already reads each run of whitespace as one space: no
 * CR, LF or tab is left to quote or replace, only commas (max(a, b)). */
#include "output/writer.h"

#include <string.h>

#include "num/numfmt.h"

static const char *const columns[] = {
	"node", "name", "op", "expr", "value", "grad", "input", "local",
	"downstream",
};

static void expr_field(FILE *out, const struct nb_program *p, size_t i,
		       int csv)
{
	char buf[NB_ELIDE_DATA + 2];
	size_t len = nb_text_elide(buf, p, i, NB_ELIDE_DATA);
	int quote = csv && strpbrk(buf, ",\"") != NULL;

	if (!quote) {
		fwrite(buf, 1, len, out);
		return;
	}
	putc('"', out);
	for (size_t k = 0; k < len; k++) {
		if (buf[k] == '"')
			putc('"', out);
		putc(buf[k], out);
	}
	putc('"', out);
}

static void number(FILE *out, char sep, double v)
{
	char buf[NB_NUMBUF];

	putc(sep, out);
	fwrite(buf, 1, nb_fmt_exact(buf, v), out);
}

/* The columns a node's rows share, up to and including grad.  Names are
 * identifiers and op names are words, so neither ever needs quoting. */
static void node_fields(FILE *out, const struct nb_program *p, size_t i,
			char sep)
{
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	fprintf(out, "%zu%c", i, sep);
	if (name)
		fwrite(name, 1, len, out);
	fprintf(out, "%c%s%c", sep, nb_ops[p->tape.op[i]].name, sep);
	expr_field(out, p, i, sep == ',');
	number(out, sep, p->tape.value[i]);
	number(out, sep, p->tape.grad[i]);
}

void nb_write_csv(FILE *out, const struct nb_program *p,
		  const struct nb_outspec *spec)
{
	const struct nb_tape *t = &p->tape;
	char sep = spec->format == NB_FMT_TSV ? '\t' : ',';

	for (size_t k = 0; k < sizeof columns / sizeof *columns; k++) {
		if (k)
			putc(sep, out);
		fputs(columns[k], out);
	}
	putc('\n', out);
	for (size_t i = 0; i < t->n; i++) {
		if (t->first[i] == t->first[i + 1]) {
			node_fields(out, p, i, sep);
			fprintf(out, "%c%c%c\n", sep, sep, sep);
		}
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
			node_fields(out, p, i, sep);
			fprintf(out, "%c%u", sep, (unsigned)t->in[e]);
			number(out, sep, t->local[e]);
			number(out, sep, nb_downstream(t->grad[i],
						       t->local[e]));
			putc('\n', out);
		}
	}
}
