/* symbolic.c - reverse mode on expressions, and the program it prints.
 *
 * Layout of the program (each part only as far as the gradient needs
 * it): a comment; the inputs that have values (NAME = VALUE); the
 * temporaries, dependencies first, each the user's name of its node
 * (s3 = s2 + w2), grad_ and the name for a node's gradient (grad_s3 =
 * (1 - L) * L), or t<K>; then df_d<NAME> = ... for every input, in
 * the order of --wrt or of first appearance.  naming.h says how names
 * that could clash are written.
 *
 * Size: the expression graph gets at most one node per tape node and a
 * constant number per edge (the instantiated local rule, one product,
 * one sum, one routing step); each graph node is printed at most once,
 * as a statement of its own or inline in the one place that uses it,
 * and an inline expression deeper than MAXINLINE levels is cut into a
 * temporary, so the program holds O(nodes + edges) statements and
 * tokens and nests no deeper than MAXINLINE. */
#include "codegen/symbolic.h"

#include <math.h>
#include <string.h>

#include <stdint.h>

#include "codegen/expr.h"
#include "codegen/exprprint.h"
#include "codegen/localrule.h"
#include "core/alloc.h"
#include "core/diag.h"
#include "num/numfmt.h"

#define MAXINLINE 24

/* grad[] of a node the output does not depend on. */
#define SYM_NONE UINT32_MAX

struct nb_symbolic {
	struct nb_expr e;
	struct nb_localrules rules;
	uint32_t *val;          /* per tape node: its value in e */
	uint32_t *grad;         /* per tape node: d output / d node in e,
				 * or SYM_NONE */
	uint32_t *args;         /* scratch: one node's inputs */
	uint32_t zero;          /* the constant 0, for gradients NONE */
};

static void symbolic_free(struct nb_symbolic *s)
{
	nb_expr_free(&s->e);
	nb_localrules_free(&s->rules);
	nb_free(s->val);
	nb_free(s->grad);
	nb_free(s->args);
	memset(s, 0, sizeof *s);
}

static int values(struct nb_symbolic *s, const struct nb_tape *t)
{
	for (size_t i = 0; i < t->n; i++) {
		enum nb_op op = (enum nb_op)t->op[i];
		size_t n = nb_tape_nin(t, i);
		int r;

		if (op == NB_OP_VAR)
			r = nb_expr_leaf(&s->e, (uint32_t)i, &s->val[i]);
		else if (op == NB_OP_CONST)
			r = nb_expr_const(&s->e, t->value[i], &s->val[i]);
		else {
			for (size_t k = 0; k < n; k++)
				s->args[k] = s->val[t->in[t->first[i] + k]];
			r = nb_expr_op(&s->e, op, s->args, n, &s->val[i]);
		}
		if (r)
			return -1;
	}
	return 0;
}

/* grad[in] += mul0(grad[i], local): the chain rule's product (tape.h). */
static int accumulate(struct nb_symbolic *s, uint32_t in, uint32_t g,
		      uint32_t local)
{
	uint32_t c, sum[2];

	if (nb_expr_op(&s->e, NB_OP_MUL0, (uint32_t[]){ g, local }, 2, &c))
		return -1;
	if (s->grad[in] == SYM_NONE) {
		s->grad[in] = c;
		return 0;
	}
	sum[0] = s->grad[in];
	sum[1] = c;
	return nb_expr_op(&s->e, NB_OP_ADD, sum, 2, &s->grad[in]);
}

/* Sends node i's gradient to its inputs. */
static int backward(struct nb_symbolic *s, const struct nb_tape *t, size_t i)
{
	enum nb_op op = (enum nb_op)t->op[i];
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	int variadic = nb_ops[op].arity == NB_VARIADIC;
	uint32_t bind[NB_RV_COUNT], local;
	int r;

	bind[NB_RV_A] = s->val[t->in[first]];
	bind[NB_RV_B] = n > 1 ? s->val[t->in[first + 1]] : bind[NB_RV_A];
	bind[NB_RV_V] = s->val[i];
	if (nb_expr_const(&s->e, (double)n, &bind[NB_RV_N]) ||
	    nb_expr_const(&s->e, 1, &bind[NB_RV_R]))
		return -1;
	for (size_t k = 0; k < n; k++) {
		uint32_t in = t->in[first + k];
		if (variadic)
			bind[NB_RV_A] = s->val[in];
		if ((r = nb_local_expr(&s->rules, &s->e, op, k, bind, &local)))
			return r;
		if (accumulate(s, in, s->grad[i], local))
			return -1;
		if (variadic && nb_local_routes(op) &&
		    nb_expr_op(&s->e, NB_OP_SUB,
			       (uint32_t[]){ bind[NB_RV_R], local }, 2,
			       &bind[NB_RV_R]))
			return -1;
	}
	return 0;
}

/* Builds the values and gradients of every node of p, whose leaves
 * become leaves of s->e numbered by tape node.  Returns 0, -1 when out
 * of memory, or -2 if a rule of the op table does not compile. */
static int symbolic_build(struct nb_symbolic *s, const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;
	int r;

	memset(s, 0, sizeof *s);
	nb_expr_init(&s->e);
	nb_localrules_init(&s->rules);
	s->val = nb_malloc((t->n + 1) * sizeof *s->val);
	s->grad = nb_malloc((t->n + 1) * sizeof *s->grad);
	s->args = nb_malloc((t->maxin + 1) * sizeof *s->args);
	if (!s->val || !s->grad || !s->args || values(s, t) ||
	    nb_expr_const(&s->e, 0, &s->zero))
		return -1;
	for (size_t i = 0; i < t->n; i++)
		s->grad[i] = SYM_NONE;
	if (nb_expr_const(&s->e, 1, &s->grad[p->output]))
		return -1;
	for (size_t i = t->n; i-- > 0;) {
		uint32_t g = s->grad[i];
		if (nb_ops[t->op[i]].kind == NB_LEAF || g == SYM_NONE ||
		    nb_expr_is(&s->e, g, 0))
			continue;
		if ((r = backward(s, t, i)))
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Printing */

struct layout {
	const struct nb_program *p;
	struct nb_symbolic s;
	uint32_t *uses;         /* per graph node: references from printed
				 * nodes and from the partials */
	uint32_t *owner;        /* per graph node: tape node + 1 whose name
				 * it takes, or 0 */
	uint32_t *gowner;       /* per graph node: named tape node + 1 whose
				 * gradient it is (grad_NAME), or 0 */
	uint32_t *height;       /* per graph node: levels written inline */
	uint32_t *seq;          /* per graph node: K of its name t<K> */
	unsigned char *named;   /* per graph node: written as a temporary */
	uint32_t *root;         /* per partial: its graph node */
};

static void leaf_name(void *ctx, FILE *out, uint32_t ref)
{
	struct layout *l = ctx;
	size_t len;
	const char *s = nb_node_name(l->p, ref, &len);

	nb_name_write(out, NB_LANG_NABLA, s, len);
}

static void temp_name(void *ctx, FILE *out, uint32_t i)
{
	struct layout *l = ctx;

	if (l->owner[i])
		leaf_name(ctx, out, l->owner[i] - 1);
	else if (l->gowner[i]) {
		fputs("grad_", out);
		leaf_name(ctx, out, l->gowner[i] - 1);
	} else
		fprintf(out, "t%u", (unsigned)l->seq[i]);
}

static void layout_free(struct layout *l)
{
	symbolic_free(&l->s);
	nb_free(l->uses);
	nb_free(l->owner);
	nb_free(l->gowner);
	nb_free(l->height);
	nb_free(l->seq);
	nb_free(l->named);
	nb_free(l->root);
}

/* A constant or -constant: always written inline. */
static int literal(const struct nb_expr *e, uint32_t i)
{
	if (e->op[i] == NB_OP_NEG)
		i = e->arg[e->first[i]];
	return e->op[i] == NB_OP_CONST;
}

/* Counts the uses of every node the partials need (uses > 0). */
static void count_uses(struct layout *l, size_t nwrt)
{
	const struct nb_expr *e = &l->s.e;

	for (size_t w = 0; w < nwrt; w++)
		l->uses[l->root[w]]++;
	for (size_t i = e->n; i-- > 0;)
		if (l->uses[i])
			for (uint32_t k = e->first[i]; k < e->first[i + 1]; k++)
				l->uses[e->arg[k]]++;
}

/* A graph node that can take a name: not a leaf, not a number. */
static int nameable(const struct layout *l, uint32_t v)
{
	const struct nb_expr *e = &l->s.e;

	return e->op[v] != NB_OP_VAR && !literal(e, v) && !l->owner[v] &&
	       !l->gowner[v];
}

/* Names from the user's program: a value takes its node's name, a
 * gradient grad_ and the name of the named intermediate nearest the
 * output that has it (add distributes: s2 shares grad_s3). */
static void take_names(struct layout *l)
{
	const struct nb_tape *t = &l->p->tape;

	for (size_t i = 0; i < t->n; i++)
		if (nb_tape_name(t, i).len && nameable(l, l->s.val[i]))
			l->owner[l->s.val[i]] = (uint32_t)i + 1;
	for (size_t i = t->n; i-- > 0;) {
		uint32_t g = l->s.grad[i];
		if (nb_tape_name(t, i).len && t->op[i] != NB_OP_VAR &&
		    g != SYM_NONE && nameable(l, g))
			l->gowner[g] = (uint32_t)i + 1;
	}
}

/* Which nodes are temporaries: those used twice or more, those that
 * carry a name of the user's program, and those that would nest more
 * than MAXINLINE levels deep. */
static void choose_temporaries(struct layout *l)
{
	const struct nb_expr *e = &l->s.e;
	uint32_t next = 1;

	take_names(l);
	for (size_t i = 0; i < e->n; i++) {
		uint32_t h = 0;
		if (!l->uses[i] || e->op[i] == NB_OP_VAR || literal(e, i))
			continue;
		for (uint32_t k = e->first[i]; k < e->first[i + 1]; k++) {
			uint32_t a = e->arg[k];
			if (!l->named[a] && l->height[a] > h)
				h = l->height[a];
		}
		l->height[i] = h + 1;
		l->named[i] = l->uses[i] > 1 || l->owner[i] ||
			      l->height[i] > MAXINLINE;
		if (l->named[i] && !l->owner[i] && !l->gowner[i])
			l->seq[i] = next++;
	}
}

static void write_bindings(FILE *out, struct layout *l)
{
	const struct nb_program *p = l->p;
	char num[NB_NUMBUF];

	for (size_t w = 0; w < p->nvars; w++) {
		uint32_t node = p->vars[w], leaf = l->s.val[node];
		if (!l->uses[leaf] || !p->bound[w])
			continue;
		nb_fmt_exact(num, p->tape.value[node]);
		leaf_name(l, out, node);
		fprintf(out, " = %s\n", num);
	}
}

static void write_program(FILE *out, struct layout *l, const size_t *wrt,
			  size_t nwrt)
{
	const struct nb_expr *e = &l->s.e;
	struct nb_exprnames names = { leaf_name, temp_name, l->named, l };
	size_t len;
	const char *outname = nb_program_outname(l->p, &len);

	fprintf(out, "# nabla --symbolic: the gradient of %.*s\n", (int)len,
		outname);
	write_bindings(out, l);
	for (uint32_t i = 0; i < e->n; i++) {
		if (!l->uses[i] || !l->named[i])
			continue;
		temp_name(l, out, i);
		fputs(" = ", out);
		nb_expr_print(out, e, i, NB_LANG_NABLA, &names);
		fputc('\n', out);
	}
	for (size_t w = 0; w < nwrt; w++) {
		const char *s = nb_node_name(l->p, l->p->vars[wrt[w]], &len);
		fputs("df_d", out);
		fwrite(s, 1, len, out);
		fputs(" = ", out);
		if (l->named[l->root[w]])
			temp_name(l, out, l->root[w]);
		else
			nb_expr_print(out, e, l->root[w], NB_LANG_NABLA,
				      &names);
		fputc('\n', out);
	}
}

int nb_symbolic_write(FILE *out, const struct nb_program *p,
		      const size_t *wrt, size_t nwrt)
{
	struct layout l;
	size_t n;
	int r;

	memset(&l, 0, sizeof l);
	l.p = p;
	r = symbolic_build(&l.s, p);
	n = l.s.e.n + 1;

	if (r == 0) {
		l.uses = nb_malloc(n * sizeof *l.uses);
		l.owner = nb_malloc(n * sizeof *l.owner);
		l.gowner = nb_malloc(n * sizeof *l.gowner);
		l.height = nb_malloc(n * sizeof *l.height);
		l.seq = nb_malloc(n * sizeof *l.seq);
		l.named = nb_malloc(n);
		l.root = nb_malloc((nwrt + 1) * sizeof *l.root);
		r = l.uses && l.owner && l.gowner && l.height && l.seq &&
				    l.named && l.root
			    ? 0 : -1;
	}
	if (r == 0) {
		memset(l.uses, 0, n * sizeof *l.uses);
		memset(l.owner, 0, n * sizeof *l.owner);
		memset(l.gowner, 0, n * sizeof *l.gowner);
		memset(l.height, 0, n * sizeof *l.height);
		memset(l.named, 0, n);
		for (size_t w = 0; w < nwrt; w++) {
			uint32_t g = l.s.grad[p->vars[wrt[w]]];
			l.root[w] = g == SYM_NONE ? l.s.zero : g;
		}
		count_uses(&l, nwrt);
		choose_temporaries(&l);
		write_program(out, &l, wrt, nwrt);
	}
	layout_free(&l);
	if (r == -2)
		fputs("nabla: internal error: a symbolic rule of the op table "
		      "does not compile\n", stderr);
	return r == 0 ? 0 : r == -2 ? NB_EFAIL : nb_out_of_memory();
}
