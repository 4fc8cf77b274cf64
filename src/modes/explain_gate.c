/* explain_gate.c - one gate of --explain: on scalars its local
 * gradients, on tensors what stands for them (explain_gate.h). */
#include "modes/explain_gate.h"

#include <string.h>

#include "num/numfmt.h"
#include "output/ndfmt.h"
#include "output/writer.h"

void nb_explain_ref(FILE *out, const struct nb_program *p, size_t i)
{
	char text[NB_ELIDE + 2];
	size_t len;
	const char *name = nb_node_name(p, i, &len);

	if (name) {
		fwrite(name, 1, len, out);
		return;
	}
	nb_text_elide(text, p, i, NB_ELIDE);
	fprintf(out, "#%zu (%s)", i, text);
}

void nb_explain_value(FILE *out, struct nb_view v, int prec, size_t max)
{
	char buf[NB_NUMBUF];
	struct nb_ndfmt f;

	if (v.shape.rank == 0) {
		nb_fmt_human(buf, v.x[0], prec);
		fputs(buf, out);
		return;
	}
	nb_nd_layout(&f, v, prec, max);
	nb_nd_write(out, &f, "");
}

/* The gate's words: its summary without a note in parentheses on
 * syntax ("power (right-assoc.), also a ** b, pow(a, b)"), and for a
 * tensor op without its list of forms ("matrix product, NumPy's rules:
 * (m,k)@(k,n), ..."). */
static int summary_len(const struct nb_opinfo *o, int tensor_op)
{
	const char *note = strstr(o->summary, " (");
	const char *forms = tensor_op ? strstr(o->summary, ": ") : NULL;

	if (forms && (!note || forms < note))
		note = forms;
	return note ? (int)(note - o->summary) : (int)strlen(o->summary);
}

/* "(a = q, b = z)": what the rule's a and b are. */
static void letters(FILE *out, const struct nb_program *p, size_t i)
{
	const struct nb_tape *t = &p->tape;

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		fprintf(out, "%s%c = ", e == t->first[i] ? " (" : ", ",
			(int)('a' + (e - t->first[i])));
		nb_explain_ref(out, p, t->in[e]);
	}
	putc(')', out);
}

/* "downstream to q = upstream U * local L = D"; a tensor op on scalars
 * (sum(x), x.T) keeps no local, so its rule stands for it. */
static void product(FILE *out, const struct nb_program *p, size_t i,
		    size_t e, int prec, size_t max)
{
	const struct nb_tape *t = &p->tape;
	struct nb_view local = nb_edge_local(t, i, e);
	char rule[NB_RULE_BUF];
	double tmp;

	fputs("   downstream to ", out);
	nb_explain_ref(out, p, t->in[e]);
	if (!local.x) {
		nb_edge_rule(rule, p, i, e);
		fprintf(out, ": %s = ", rule);
		nb_explain_value(out, nb_edge_down(t, e), prec, max);
		putc('\n', out);
		return;
	}
	fputs(" = upstream ", out);
	nb_explain_value(out, nb_node_grad(t, i), prec, max);
	fputs(" * local ", out);
	nb_explain_value(out, local, prec, max);
	fputs(" = ", out);
	nb_explain_value(out, nb_write_down(t, i, e, &tmp), prec, max);
	putc('\n', out);
}

static const char *shape(char *buf, const struct nb_shape *s)
{
	return s->rank ? nb_shape_format(buf, s) : "a scalar";
}

/* A broadcast input: its gradient is upstream * local summed over the
 * axes broadcasting stretched, back to its shape. */
static void summed_back(FILE *out, const struct nb_program *p, size_t i,
			size_t e, int prec, size_t max)
{
	const struct nb_tvals *tv = p->tape.tv;
	const struct nb_shape *so = &tv->shape[i],
			      *si = &tv->shape[p->tape.in[e]];
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF], rule[NB_RULE_BUF];
	int lead = so->rank - si->rank, n = 0;

	fputs("   downstream to ", out);
	nb_explain_ref(out, p, p->tape.in[e]);
	fputs(": upstream ", out);
	nb_explain_value(out, nb_node_grad(&p->tape, i), prec, max);
	fputs(" * local ", out);
	nb_explain_value(out, nb_edge_local(&p->tape, i, e), prec, max);
	fprintf(out, "; it is %s, broadcast to %s, so the product is summed "
		"back", shape(a, si), nb_shape_format(b, so));
	for (int ax = 0; ax < so->rank && si->rank; ax++)
		if (ax < lead || (si->dim[ax - lead] == 1 && so->dim[ax] != 1))
			fprintf(out, "%s%d", n++ ? ", " : " over axis ", ax);
	nb_edge_rule(rule, p, i, e);
	fprintf(out, "%s: %s = ", si->rank ? "" : " over every element", rule);
	nb_explain_value(out, nb_edge_down(&p->tape, e), prec, max);
	putc('\n', out);
}

/* An elementwise gate on tensors: the Jacobian is diagonal. */
static void elementwise(FILE *out, const struct nb_program *p, size_t i,
			int prec, size_t max)
{
	const struct nb_tape *t = &p->tape;
	size_t n = t->tv->size[i];

	fprintf(out, "   elementwise on %zu element%s: the Jacobian (%zux%zu) "
		"is diagonal and is not formed; the local gradient is its "
		"diagonal, elementwise\n", n, n == 1 ? "" : "s", n, n);
	for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
		if (nb_shape_equal(&t->tv->shape[t->in[e]], &t->tv->shape[i]))
			product(out, p, i, e, prec, max);
		else
			summed_back(out, p, i, e, prec, max);
}

/* The seeds' dimension analysis of @: the product that gives input k's
 * gradient, and its shape, which is the input's. */
static void matmul_dims(FILE *out, const struct nb_program *p, size_t i,
			size_t k)
{
	const struct nb_tvals *tv = p->tape.tv;
	const uint32_t *in = p->tape.in + p->tape.first[i];
	struct nb_shape l = k ? nb_shape_transpose(&tv->shape[in[0]])
			      : tv->shape[i];
	struct nb_shape r = k ? tv->shape[i]
			      : nb_shape_transpose(&tv->shape[in[1]]);
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];

	fprintf(out, ": (%s)%s(%s) is", l.rank ? nb_shape_format(a, &l) : "",
		l.rank == 2 && r.rank == 2 ? "@" : " with ",
		r.rank ? nb_shape_format(b, &r) : "");
}

static int reduction(enum nb_op op)
{
	return op == NB_OP_RSUM || op == NB_OP_RMEAN || op == NB_OP_RMAX ||
	       op == NB_OP_RMIN || op == NB_OP_LOGSUMEXP || op == NB_OP_NORM;
}

/* What a structural gate does with input k's gradient, before "is
 * SHAPE, the shape of NAME". */
static void structure(FILE *out, const struct nb_program *p, size_t i,
		      size_t k)
{
	const struct nb_tvals *tv = p->tape.tv;
	enum nb_op op = (enum nb_op)p->tape.op[i];
	uint32_t j = p->tape.in[p->tape.first[i] + k];
	int axis = nb_axis_of_attr(nb_tape_attr(&p->tape, i),
				   tv->shape[j].rank);
	char a[NB_SHAPE_BUF];

	if (op == NB_OP_MATMUL)
		matmul_dims(out, p, i, k);
	else if (op == NB_OP_TRANSPOSE)
		fprintf(out, ": the upstream %s transposed is",
			nb_shape_format(a, &tv->shape[i]));
	else if (reduction(op) && axis >= 0)
		fprintf(out, ": the reduction over axis %d is undone, the "
			"upstream %s spread back along it to", axis,
			shape(a, &tv->shape[i]));
	else if (reduction(op))
		fputs(": the reduction of every element is undone, the "
		      "upstream spread back to", out);
	else if (op == NB_OP_SOFTMAX || op == NB_OP_LOG_SOFTMAX)
		fprintf(out, ": each slice along axis %d has a full Jacobian, "
			"applied by this rule and never formed, giving",
			axis >= 0 ? axis : tv->shape[j].rank - 1);
	else if (op == NB_OP_INDEX && k == 0)
		fprintf(out, ": the upstream %s is scatter-added into zeros "
			"where the elements were read, "
			"giving", shape(a, &tv->shape[i]));
	else if (op == NB_OP_STACK)
		fprintf(out, ": row %zu of the upstream %s is", k,
			nb_shape_format(a, &tv->shape[i]));
	else
		fputs(", which is", out);
}

/* A structural gate on tensors: its rule stands for the local gradient;
 * an index input is not differentiated. */
static void structural(FILE *out, const struct nb_program *p, size_t i,
		       int prec, size_t max)
{
	const struct nb_tape *t = &p->tape;
	char rule[NB_RULE_BUF], s[NB_SHAPE_BUF];

	for (size_t e = t->first[i]; e < t->first[i + 1]; e++) {
		uint32_t j = t->in[e];

		fputs("   downstream to ", out);
		nb_explain_ref(out, p, j);
		nb_edge_rule(rule, p, i, e);
		if (strstr(rule, "index 0") == rule ||
		    (t->op[i] == NB_OP_INDEX && e > t->first[i])) {
			fputs(": an index, not differentiated: 0 of its "
			      "shape\n", out);
			continue;
		}
		fprintf(out, ": %s", rule);
		structure(out, p, i, e - t->first[i]);
		fprintf(out, " %s, the shape of ", shape(s, &t->tv->shape[j]));
		nb_explain_ref(out, p, j);
		fputs(" = ", out);
		nb_explain_value(out, nb_edge_down(t, e), prec, max);
		putc('\n', out);
	}
}

void nb_explain_gate(FILE *out, const struct nb_program *p, size_t i,
		     int prec, size_t max)
{
	const struct nb_tape *t = &p->tape;
	const struct nb_opinfo *o = &nb_ops[t->op[i]];
	int tensor_op = nb_op_is_tensor((enum nb_op)t->op[i]);

	if (tensor_op)
		fprintf(out, "   %s: %.*s; rule %s", o->name,
			summary_len(o, 1), o->summary, o->rule);
	else
		fprintf(out, "   %.*s; local %s", summary_len(o, 0), o->summary,
			o->rule);
	/* The rule calls the inputs a and b: say which they are. */
	if (o->arity == 1 || o->arity == 2)
		letters(out, p, i);
	putc('\n', out);
	if (!nb_tape_shaped(t))
		for (size_t e = t->first[i]; e < t->first[i + 1]; e++)
			product(out, p, i, e, prec, max);
	else if (tensor_op)
		structural(out, p, i, prec, max);
	else
		elementwise(out, p, i, prec, max);
}
