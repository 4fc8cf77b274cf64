/* edgerule.c - the rule that stands for an edge's local gradient where
 * no array does: a tensor op's RULE for that input (ops.def), and the
 * sum back to a broadcast input's shape.
 *
 * A rule is written about the node's value v, its upstream gradient dv
 * and its inputs a, b; the writers show it with the real names where
 * there are short ones (dW = dD @ X.T).  The RULE texts mix code and
 * prose ("da[i] += dv (a repeated id adds)"), so a one-letter name is
 * replaced only where it is not followed by another word. */
#include "output/writer.h"

#include <string.h>

#include "core/tkernel.h"
#include "core/tvals.h"

/* Names longer than this keep their letter: a rule is one cell. */
#define RULE_NAME 16

struct rbuf {
	char *s;
	size_t n;
};

static void add(struct rbuf *b, const char *s, size_t len)
{
	if (len > NB_RULE_BUF - 1 - b->n)
		len = NB_RULE_BUF - 1 - b->n;
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static int is_ident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		|| (c >= '0' && c <= '9') || c == '_';
}

/* The name a rule gives node i: its own, else its text when that is
 * one short word (a constant such as pi), else NULL (keep the letter). */
static const char *short_name(const struct nb_program *p, size_t i,
			      size_t *len)
{
	const char *s = nb_node_shown_name(p, i, len);
	struct nb_span sp = nb_tape_span(&p->tape, i);

	if (s)
		return *len <= RULE_NAME ? s : NULL;
	if (sp.len == 0 || sp.len > RULE_NAME)
		return NULL;
	s = p->src.text + sp.start;
	for (size_t c = 0; c < sp.len; c++)
		if (!is_ident((unsigned char)s[c]) || (c == 0 && s[c] <= '9'))
			return NULL;
	*len = sp.len;
	return s;
}

/* Writes for the rule's token tok (len bytes): the name of what it
 * stands for, d and a name for a gradient, or tok itself.  With inputs
 * clear, a and b are the node's first two inputs; x is input k, whose
 * number k is (a rule for every input: dx = dv[k]). */
static void token(struct rbuf *b, const struct nb_program *p, size_t i,
		  const char *tok, size_t len, int inputs, size_t k)
{
	const struct nb_tape *t = &p->tape;
	size_t nin = nb_tape_nin(t, i), nlen, grad = len == 2 && *tok == 'd';
	const char *letter = tok + grad, *name = NULL;
	char num[24];

	if (len == 1 && *tok == 'k' && k < nin) {
		add(b, num, (size_t)sprintf(num, "%zu", k));
		return;
	}
	if (len == 1 + grad) {
		if (*letter == 'v')
			name = short_name(p, i, &nlen);
		else if (inputs && (*letter == 'a' || *letter == 'b') &&
			 (size_t)(*letter - 'a') < nin)
			name = short_name(p, t->in[t->first[i] + (size_t)(
					  *letter - 'a')], &nlen);
		else if (*letter == 'x' && k < nin &&
			 !(name = short_name(p, t->in[t->first[i] + k],
					     &nlen))) {
			/* an input without a short name: "a", as rules
			 * call an input */
			name = "a";
			nlen = 1;
		}
	}
	if (!name) {
		add(b, tok, len);
		return;
	}
	if (grad)
		add(b, "d", 1);
	add(b, name, nlen);
}

/* Whether the word ending at s is followed by another word: prose. */
static int prose(const char *s, const char *end)
{
	while (s < end && *s == ' ')
		s++;
	return s < end && is_ident((unsigned char)*s) && s[-1] == ' ';
}

/* The rule of node i for its inputs' shapes (core/tkernel.h). */
static const char *rule_of(const struct nb_program *p, size_t i)
{
	const struct nb_tape *t = &p->tape;
	size_t nin = nb_tape_nin(t, i);
	struct nb_shape in[2];

	nin = nin < 2 ? nin : 2;
	for (size_t k = 0; k < nin; k++)
		in[k] = t->tv->shape[t->in[t->first[i] + k]];
	return nb_tkernel_rule((enum nb_op)t->op[i], in, nin);
}

/* The part of RULE for input k (the last part for any later one), with
 * names in. */
static void tensor_rule(struct rbuf *b, const struct nb_program *p,
			size_t i, size_t k)
{
	const char *rule = rule_of(p, i), *s = rule, *end;
	int inputs = strchr(rule, ';') || nb_tape_nin(&p->tape, i) == 1;
	size_t k0 = k;

	for (; k > 0 && strchr(s, ';'); k--)
		s = strchr(s, ';') + 1;
	end = strchr(s, ';');
	end = end ? end : s + strlen(s);
	while (s < end && *s == ' ')
		s++;
	while (s < end) {
		const char *w = s;

		if (!is_ident((unsigned char)*s)) {
			add(b, s++, 1);
			continue;
		}
		while (s < end && is_ident((unsigned char)*s))
			s++;
		/* b.T's T is no name; a word before a word is prose. */
		if ((w > rule && w[-1] == '.') || (s - w == 1 && prose(s, end)))
			add(b, w, (size_t)(s - w));
		else
			token(b, p, i, w, (size_t)(s - w), inputs, k0);
	}
}

/* "da = sum(dv * local, axis=0)": the elementwise local gradient of
 * edge e (in node i's shape) times the upstream, summed over the axes
 * that broadcasting stretched, in the input's shape ("as 3x1" where the
 * sum leaves another shape of the same elements). */
static void broadcast_rule(struct rbuf *b, const struct nb_program *p,
			   size_t i, size_t e)
{
	const struct nb_tvals *tv = p->tape.tv;
	const struct nb_shape *so = &tv->shape[i], *si =
		&tv->shape[p->tape.in[e]];
	int lead = so->rank - si->rank, nsum = 0;
	char axes[NB_MAX_RANK * 12], shape[NB_SHAPE_BUF], arg[32];
	size_t n = 0, k = e - p->tape.first[i];
	const char *name;
	size_t nlen;

	for (int a = 0; a < so->rank; a++)
		if (a < lead || (si->dim[a - lead] == 1 && so->dim[a] != 1))
			n += (size_t)sprintf(axes + n, nsum++ ? ", %d" : "%d", a);
	add(b, "d", 1);
	if ((name = short_name(p, p->tape.in[e], &nlen)) != NULL)
		add(b, name, nlen);
	else if (k < 2)
		add(b, k ? "b" : "a", 1);
	else
		add(b, arg, (size_t)sprintf(arg, "x[%zu]", k));
	add(b, " = sum(", 7);
	token(b, p, i, "dv", 2, 0, SIZE_MAX);
	add(b, " * local", 8);
	if (nsum < so->rank) {
		add(b, nsum > 1 ? ", axis=(" : ", axis=", nsum > 1 ? 8 : 7);
		add(b, axes, n);
		add(b, ")", (size_t)(nsum > 1));
	}
	add(b, ")", 1);
	if (so->rank - nsum != si->rank) {
		add(b, " as ", 4);
		add(b, shape, strlen(nb_shape_format(shape, si)));
	}
}

size_t nb_edge_rule(char *buf, const struct nb_program *p, size_t i,
		    size_t e)
{
	const struct nb_tape *t = &p->tape;
	struct rbuf b = { buf, 0 };

	buf[0] = '\0';
	if (nb_op_is_tensor((enum nb_op)t->op[i]))
		tensor_rule(&b, p, i, e - t->first[i]);
	else if (t->tv && !nb_shape_equal(&t->tv->shape[i],
					  &t->tv->shape[t->in[e]]))
		broadcast_rule(&b, p, i, e);
	return b.n;
}

struct nb_view nb_write_down(const struct nb_tape *t, size_t i, size_t e,
			     double *tmp)
{
	struct nb_view d = nb_edge_down(t, e);

	if (t->tv)
		return d;
	*tmp = nb_downstream(t->grad[i], t->local[e]);
	d.x = tmp;
	return d;
}
