/* localrule.c - compiling and instantiating the SYMBOLIC column. */
#include "codegen/localrule.h"

#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"

void nb_localrules_init(struct nb_localrules *lr)
{
	memset(lr, 0, sizeof *lr);
}

void nb_localrules_free(struct nb_localrules *lr)
{
	for (int op = 0; op < NB_OP_NELEM; op++)
		for (int k = 0; k < 2; k++)
			if (lr->ready[op][k])
				nb_program_free(&lr->prog[op][k]);
	nb_free(lr->map);
	nb_localrules_init(lr);
}

const char *nb_local_text(enum nb_op op, size_t k, size_t *len)
{
	const char *s = nb_ops[op].symbolic;

	if (nb_ops[op].arity == NB_VARIADIC)
		k = 0;
	for (; k > 0; k--) {
		s = strchr(s, ';');
		if (!s)
			return NULL;
		s++;
	}
	while (*s == ' ')
		s++;
	*len = strcspn(s, ";");
	return *len ? s : NULL;
}

static int letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int nb_local_routes(enum nb_op op)
{
	const char *s = nb_ops[op].symbolic;

	/* the rules' names are single letters between non-letters */
	for (size_t i = 0; s[i]; i++)
		if (s[i] == 'r' && (i == 0 || !letter(s[i - 1])) &&
		    !letter(s[i + 1]))
			return 1;
	return 0;
}

/* Piece k of op's rule, compiled on first use. */
static int compiled(struct nb_localrules *lr, enum nb_op op, size_t k,
		    const struct nb_program **out)
{
	size_t piece = nb_ops[op].arity == NB_VARIADIC ? 0 : k, len;
	const char *text = nb_local_text(op, piece, &len);
	struct nb_diag d;
	int r;

	if (piece > 1 || !text)
		return -2;
	if (!lr->ready[op][piece]) {
		r = nb_program_compile(&lr->prog[op][piece], "<rule>", text, len,
				       &d);
		if (r) {
			nb_program_free(&lr->prog[op][piece]);
			/* NB_EFAIL: out of memory (or no thread to parse on) */
			return r == NB_EFAIL ? -1 : -2;
		}
		lr->ready[op][piece] = 1;
	}
	*out = &lr->prog[op][piece];
	return 0;
}

/* Which binding the rule's variable node i stands for, or -1. */
static int rulevar(const struct nb_program *p, size_t i)
{
	static const char names[NB_RV_COUNT] = { 'a', 'b', 'v', 'n', 'r' };
	size_t len;
	const char *s = nb_node_name(p, i, &len);

	for (int k = 0; s && len == 1 && k < NB_RV_COUNT; k++)
		if (s[0] == names[k])
			return k;
	return -1;
}

int nb_local_expr(struct nb_localrules *lr, struct nb_expr *e, enum nb_op op,
		  size_t k, const uint32_t *bind, uint32_t *id)
{
	const struct nb_program *p;
	const struct nb_tape *t;
	int r = compiled(lr, op, k, &p);

	if (r)
		return r;
	t = &p->tape;
	if (nb_grow((void **)&lr->map, &lr->mapcap, t->n, sizeof *lr->map))
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		enum nb_op o = (enum nb_op)t->op[i];
		int var;

		if (o == NB_OP_VAR) {
			if ((var = rulevar(p, i)) < 0)
				return -2;
			lr->map[i] = bind[var];
			continue;
		}
		if (o == NB_OP_CONST)
			r = nb_expr_const(e, t->value[i], &lr->map[i]);
		else {
			uint32_t args[2];
			size_t n = nb_tape_nin(t, i);
			if (n > 2)
				return -2;
			for (size_t j = 0; j < n; j++)
				args[j] = lr->map[t->in[t->first[i] + j]];
			r = nb_expr_op(e, o, args, n, &lr->map[i]);
		}
		if (r)
			return -1;
	}
	*id = lr->map[p->output];
	return 0;
}
