/* emit.c - the forward and backward pass as a C or Python function.
 *
 * The statements are built first, as expressions over names (leaves:
 * node values, gradients and the routing variables of max and min), so
 * that the helpers they call are known before the function is written.
 * Only the nodes the output depends on get statements; an edge whose
 * downstream gradient simplifies to 0 (sign, floor, ...) gets none. */
#include "codegen/emit.h"

#include <string.h>

#include "codegen/expr.h"
#include "codegen/exprprint.h"
#include "codegen/localrule.h"
#include "core/alloc.h"
#include "core/diag.h"

enum stmt_kind {
	S_VALUE,        /* <node> = expr */
	S_GRAD,         /* grad_<node> = expr, its first contribution */
	S_GRAD_ADD,     /* grad_<node> += expr */
	S_ROUTE,        /* nb_route = 1 */
	S_LOCAL,        /* nb_local = expr */
	S_ROUTE_SUB     /* nb_route -= nb_local */
};

struct stmt {
	unsigned char kind;
	uint32_t node;          /* tape node */
	uint32_t expr;
};

struct emitter {
	const struct nb_program *p;
	enum nb_lang lang;
	struct nb_expr e;
	struct nb_localrules rules;
	unsigned char *live;    /* per tape node: the output depends on it */
	unsigned char *hasgrad; /* per tape node: grad_ assigned */
	uint32_t *args;         /* scratch */
	struct stmt *s;
	size_t n, cap;
	int routes;             /* some op routes (nb_route, nb_local) */
};

/* Leaves: 0..n-1 node values, n..2n-1 their gradients, then these. */
#define ROUTE(em) (2 * (uint32_t)(em)->p->tape.n)
#define LOCAL(em) (ROUTE(em) + 1)

const char *const nb_emit_langs[] = { "c", "python", "cblas", NULL };

int nb_emit_lang(const char *name)
{
	static const enum nb_lang langs[] = { NB_LANG_C, NB_LANG_PYTHON,
					      NB_LANG_CBLAS };

	for (size_t i = 0; nb_emit_langs[i]; i++)
		if (strcmp(name, nb_emit_langs[i]) == 0)
			return (int)langs[i];
	return -1;
}

static void value_name(const struct emitter *em, FILE *out, size_t i)
{
	size_t len;
	const char *s = nb_node_name(em->p, i, &len);

	if (s)
		nb_name_write(out, em->lang, s, len);
	else
		fprintf(out, "t%zu", i);
}

static void leaf_name(void *ctx, FILE *out, uint32_t ref)
{
	const struct emitter *em = ctx;
	size_t n = em->p->tape.n;

	if (ref == ROUTE(em) || ref == LOCAL(em)) {
		fputs(ref == ROUTE(em) ? "nb_route" : "nb_local", out);
		return;
	}
	if (ref >= n)
		fputs("grad_", out);
	value_name(em, out, ref >= n ? ref - n : ref);
}

static int add_stmt(struct emitter *em, enum stmt_kind kind, size_t node,
		    uint32_t expr)
{
	if (nb_grow((void **)&em->s, &em->cap, em->n + 1, sizeof *em->s))
		return -1;
	em->s[em->n++] = (struct stmt){ (unsigned char)kind, (uint32_t)node,
					expr };
	return 0;
}

/* The expression for node i's value as its inputs see it: constants as
 * numbers, everything else by name. */
static int ref(struct emitter *em, size_t i, uint32_t *id)
{
	if (em->p->tape.op[i] == NB_OP_CONST)
		return nb_expr_const(&em->e, em->p->tape.value[i], id);
	return nb_expr_leaf(&em->e, (uint32_t)i, id);
}

static int forward(struct emitter *em)
{
	const struct nb_tape *t = &em->p->tape;
	uint32_t id;

	em->live[em->p->output] = 1;
	for (size_t i = t->n; i-- > 0;)
		if (em->live[i])
			for (uint32_t k = t->first[i]; k < t->first[i + 1]; k++)
				em->live[t->in[k]] = 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t n = nb_tape_nin(t, i);
		if (!em->live[i] || nb_ops[t->op[i]].kind == NB_LEAF)
			continue;
		for (size_t k = 0; k < n; k++)
			if (ref(em, t->in[t->first[i] + k], &em->args[k]))
				return -1;
		if (nb_expr_op(&em->e, (enum nb_op)t->op[i], em->args, n, &id) ||
		    add_stmt(em, S_VALUE, i, id))
			return -1;
	}
	return 0;
}

/* grad_<in> (+)= mul0(grad_<i>, local): the chain rule's product. */
static int contribute(struct emitter *em, size_t i, size_t in, uint32_t local)
{
	uint32_t g, d;

	if (nb_expr_leaf(&em->e, (uint32_t)(em->p->tape.n + i), &g) ||
	    nb_expr_op(&em->e, NB_OP_MUL0, (uint32_t[]){ g, local }, 2, &d))
		return -1;
	if (nb_expr_is(&em->e, d, 0) || em->p->tape.op[in] == NB_OP_CONST)
		return 0;
	if (add_stmt(em, em->hasgrad[in] ? S_GRAD_ADD : S_GRAD, in, d))
		return -1;
	em->hasgrad[in] = 1;
	return 0;
}

/* Input k's local gradient: for tanh and sigmoid, nabla's own one-exp
 * rule as a helper call (NB_EXPR_LOCAL), so that the emitted gradient is
 * nabla's bit for bit; the SYMBOLIC column's forms round apart. */
static int local_rule(struct emitter *em, enum nb_op op, size_t k,
		      const uint32_t *bind, uint32_t *id)
{
	if (op == NB_OP_TANH || op == NB_OP_SIGMOID)
		return nb_expr_raw(&em->e, op, 0, NB_EXPR_LOCAL, &bind[NB_RV_A],
				   1, id);
	return nb_local_expr(&em->rules, &em->e, op, k, bind, id);
}

/* The statements that send node i's gradient to its inputs. */
static int edges(struct emitter *em, size_t i)
{
	const struct nb_tape *t = &em->p->tape;
	enum nb_op op = (enum nb_op)t->op[i];
	size_t first = t->first[i], n = nb_tape_nin(t, i);
	int routes = nb_ops[op].arity == NB_VARIADIC && nb_local_routes(op);
	uint32_t bind[NB_RV_COUNT], local, lv;
	int r;

	if (ref(em, t->in[first], &bind[NB_RV_A]) ||
	    ref(em, t->in[first + (n > 1)], &bind[NB_RV_B]) ||
	    ref(em, i, &bind[NB_RV_V]) ||
	    nb_expr_const(&em->e, (double)n, &bind[NB_RV_N]) ||
	    nb_expr_leaf(&em->e, ROUTE(em), &bind[NB_RV_R]) ||
	    nb_expr_leaf(&em->e, LOCAL(em), &lv))
		return -1;
	if (routes && add_stmt(em, S_ROUTE, i, 0))
		return -1;
	em->routes |= routes;
	for (size_t k = 0; k < n; k++) {
		size_t in = t->in[first + k];
		if (nb_ops[op].arity == NB_VARIADIC &&
		    ref(em, in, &bind[NB_RV_A]))
			return -1;
		if ((r = local_rule(em, op, k, bind, &local)))
			return r;
		if (routes && add_stmt(em, S_LOCAL, i, local))
			return -1;
		if (contribute(em, i, in, routes ? lv : local))
			return -1;
		if (routes && add_stmt(em, S_ROUTE_SUB, i, 0))
			return -1;
	}
	return 0;
}

static int backward(struct emitter *em)
{
	const struct nb_tape *t = &em->p->tape;
	uint32_t one;
	int r;

	if (nb_expr_const(&em->e, 1, &one) ||
	    add_stmt(em, S_GRAD, em->p->output, one))
		return -1;
	em->hasgrad[em->p->output] = 1;
	for (size_t i = t->n; i-- > 0;)
		if (em->live[i] && em->hasgrad[i] &&
		    nb_ops[t->op[i]].kind != NB_LEAF && (r = edges(em, i)))
			return r;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Writing */

/* Whether e calls op, or (local) op's local gradient. */
static int uses(const struct nb_expr *e, enum nb_op op, int local)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->op[i] == op && (e->ref[i] == NB_EXPR_LOCAL) == local)
			return 1;
	return 0;
}

static const char *const c_helpers[][2] = {
	{ "sigmoid", "static inline double nb_sigmoid(double a)\n{\n"
	  "\treturn a >= 0 ? 1 / (1 + exp(-a)) : exp(a) / (1 + exp(a));\n}\n" },
	{ "tanh", "/* tanh(a) as nabla computes it, within 1 ulp. */\n"
	  "static inline double nb_tanh(double a)\n{\n"
	  "\tdouble x = fabs(a), z = x * x, e = exp(-2 * x);\n"
	  "\tdouble p = ((-9.64399179425052238628e-1 * z -\n"
	  "\t\t     9.92877231001918586564e1) * z -\n"
	  "\t\t    1.61468768441708447952e3) * z;\n"
	  "\tdouble q = ((z + 1.12811678491632931402e2) * z +\n"
	  "\t\t    2.23548839060100448583e3) * z + "
	  "4.84406305325125486048e3;\n\n"
	  "\treturn copysign(x < 0.625 ? x + x * (p / q) : "
	  "(1 - e) / (1 + e), a);\n}\n" },
	{ "softplus", "static inline double nb_softplus(double a)\n{\n"
	  "\treturn a > 0 ? a + log1p(exp(-a)) : log1p(exp(a));\n}\n" },
	{ "relu", "static inline double nb_relu(double a)\n{\n"
	  "\treturn a > 0 || a != a ? a : 0;\n}\n" },
	{ "sign", "static inline double nb_sign(double a)\n{\n"
	  "\treturn a != a ? a : (a > 0) - (a < 0);\n}\n" },
	{ "max", "static inline double nb_max(double a, double b)\n{\n"
	  "\treturn a != a ? a : b != b ? b : b > a ? b : a;\n}\n" },
	{ "min", "static inline double nb_min(double a, double b)\n{\n"
	  "\treturn a != a ? a : b != b ? b : b < a ? b : a;\n}\n" },
	{ "mul0", "/* a * b, but 0 if either is 0, even times inf or nan. */\n"
	  "static inline double nb_mul0(double a, double b)\n{\n"
	  "\treturn a == 0 || b == 0 ? 0 : a * b;\n}\n" },
	{ "step", "/* 1 if a > 0, else 0 (nan stays nan). */\n"
	  "static inline double nb_step(double a)\n{\n"
	  "\treturn a != a ? a : a > 0;\n}\n" },
	{ "eq", "/* 1 if a == b, else 0 (nan if either is nan). */\n"
	  "static inline double nb_eq(double a, double b)\n{\n"
	  "\treturn a != a || b != b ? a + b : a == b;\n}\n" },
};

/* The local gradients of core/opmath.h, as nabla computes them: the
 * shared quotient, then sigmoid's and tanh's. */
static const char *const c_local_helpers[3] = {
	"/* n/(1 + t)^2 for 0 <= t <= 1, the rounding of 1 + t counted once. */\n"
	"static inline double nb_div_1p_sq(double n, double t)\n{\n"
	"\tdouble hi = 1 + t, lo = (1 - hi) + t, r = n / (hi * hi);\n\n"
	"\treturn r - r * (2 * lo / hi);\n}\n",
	"/* sigmoid'(a) as nabla computes it: t/(1 + t)^2, t = exp(-|a|). */\n"
	"static inline double nb_dsigmoid(double a)\n{\n"
	"\tdouble t = exp(-fabs(a));\n\n"
	"\treturn nb_div_1p_sq(t, t);\n}\n",
	"/* tanh'(a) as nabla computes it: 4e/(1 + e)^2, e = exp(-2|a|). */\n"
	"static inline double nb_dtanh(double a)\n{\n"
	"\tdouble e = exp(-2 * fabs(a));\n\n"
	"\treturn nb_div_1p_sq(4 * e, e);\n}\n",
};

static const char *const py_local_helpers[3] = {
	"def nb_div_1p_sq(n, t):\n"
	"    # n/(1 + t)^2 for 0 <= t <= 1, the rounding of 1 + t counted once\n"
	"    hi = 1 + t\n    lo = (1 - hi) + t\n    r = n / (hi * hi)\n"
	"    return r - r * (2 * lo / hi)\n",
	"def nb_dsigmoid(a):\n"
	"    # sigmoid'(a) as nabla computes it: t/(1 + t)^2, t = exp(-|a|)\n"
	"    t = math.exp(-abs(a))\n    return nb_div_1p_sq(t, t)\n",
	"def nb_dtanh(a):\n"
	"    # tanh'(a) as nabla computes it: 4e/(1 + e)^2, e = exp(-2|a|)\n"
	"    e = math.exp(-2 * abs(a))\n    return nb_div_1p_sq(4 * e, e)\n",
};

static const char *const py_helpers[][2] = {
	{ "sigmoid", "def nb_sigmoid(a):\n    if a >= 0:\n"
	  "        return 1 / (1 + math.exp(-a))\n"
	  "    return math.exp(a) / (1 + math.exp(a))\n" },
	{ "tanh", "def nb_tanh(a):\n"
	  "    # tanh(a) as nabla computes it, within 1 ulp\n"
	  "    x = abs(a)\n    if x < 0.625:\n        z = x * x\n"
	  "        p = ((-9.64399179425052238628e-1 * z - "
	  "9.92877231001918586564e1) * z\n"
	  "             - 1.61468768441708447952e3) * z\n"
	  "        q = ((z + 1.12811678491632931402e2) * z\n"
	  "             + 2.23548839060100448583e3) * z + "
	  "4.84406305325125486048e3\n"
	  "        return math.copysign(x + x * (p / q), a)\n"
	  "    e = math.exp(-2 * x)\n"
	  "    return math.copysign((1 - e) / (1 + e), a)\n" },
	{ "softplus", "def nb_softplus(a):\n    if a > 0:\n"
	  "        return a + math.log1p(math.exp(-a))\n"
	  "    return math.log1p(math.exp(a))\n" },
	{ "relu", "def nb_relu(a):\n    return a if a > 0 or a != a else 0.0\n" },
	{ "sign", "def nb_sign(a):\n"
	  "    return a if a != a else float((a > 0) - (a < 0))\n" },
	{ "cbrt", "if hasattr(math, \"cbrt\"):\n    nb_cbrt = math.cbrt\n"
	  "else:\n    from fractions import Fraction\n\n"
	  "    def nb_cbrt(a):\n"
	  "        # one Newton step, its residual exact: correctly rounded\n"
	  "        if a == 0 or not math.isfinite(a):\n"
	  "            return a\n"
	  "        y = Fraction(math.copysign(abs(a) ** (1 / 3), a))\n"
	  "        return float(y - (y ** 3 - Fraction(a)) / (3 * y * y))\n" },
	{ "mul0", "def nb_mul0(a, b):\n"
	  "    # a * b, but 0 if either is 0, even times inf or nan\n"
	  "    return 0.0 if a == 0 or b == 0 else a * b\n" },
	{ "step", "def nb_step(a):\n"
	  "    # 1 if a > 0, else 0 (nan stays nan)\n"
	  "    return a if a != a else float(a > 0)\n" },
	{ "eq", "def nb_eq(a, b):\n"
	  "    # 1 if a == b, else 0 (nan if either is nan)\n"
	  "    return a + b if a != a or b != b else float(a == b)\n" },
};

static void local_helpers(FILE *out, const char *const text[3],
			  const struct nb_expr *e)
{
	int ds = uses(e, NB_OP_SIGMOID, 1), dt = uses(e, NB_OP_TANH, 1);

	if (ds || dt)
		fprintf(out, "\n%s", text[0]);
	if (ds)
		fprintf(out, "\n%s", text[1]);
	if (dt)
		fprintf(out, "\n%s", text[2]);
}

void nb_emit_helpers(FILE *out, enum nb_lang lang, const struct nb_expr *e)
{
	int c = lang == NB_LANG_C;
	size_t n = c ? sizeof c_helpers / sizeof c_helpers[0]
		     : sizeof py_helpers / sizeof py_helpers[0];

	for (size_t k = 0; k < n; k++) {
		const char *fn = c ? c_helpers[k][0] : py_helpers[k][0];
		if (uses(e, (enum nb_op)nb_op_function(fn, strlen(fn)), 0))
			fprintf(out, "\n%s", c ? c_helpers[k][1] : py_helpers[k][1]);
	}
	local_helpers(out, c ? c_local_helpers : py_local_helpers, e);
}

static void write_head(FILE *out, const struct emitter *em, const size_t *wrt,
		       size_t nwrt)
{
	const struct nb_program *p = em->p;
	int c = em->lang == NB_LANG_C;
	size_t len;
	const char *name = nb_program_outname(p, &len);

	fprintf(out, c ? "/* nabla --emit c: %.*s and its gradient.\n"
		       : "# nabla --emit python: %.*s and its gradient.\n",
		(int)len, name);
	fputs(c ? " * Returns " : "# Returns (", out);
	fprintf(out, "%.*s", (int)len, name);
	fputs(c ? "; nb_grad[k] = d" : ", {NAME: d", out);
	fprintf(out, "%.*s", (int)len, name);
	fputs(c ? "/d(input k of:" : "/dNAME}) for NAME in", out);
	for (size_t w = 0; w < nwrt; w++) {
		const char *s = nb_node_name(p, p->vars[wrt[w]], &len);
		fprintf(out, " %.*s", (int)len, s);
	}
	if (nwrt == 0)
		fputs(" (none)", out);
	fputs(c ? ").\n * Needs <math.h>, -lm. */\n#include <math.h>\n"
		: ".\nimport math\n", out);
	nb_emit_helpers(out, em->lang, &em->e);
	name = nb_program_outname(p, &len);
	fputs(c ? "\ndouble " : "\n\ndef ", out);
	nb_name_write(out, em->lang, name, len);
	fputc('(', out);
	for (size_t w = 0; w < p->nvars; w++) {
		fputs(w ? ", " : "", out);
		fputs(c ? "double " : "", out);
		value_name(em, out, p->vars[w]);
	}
	fputs(c ? (p->nvars ? ", double nb_grad[]" : "double nb_grad[]") : "",
	      out);
	fputs(c ? ")\n{\n" : "):\n", out);
	if (c && em->routes)
		fputs("\tdouble nb_route, nb_local;\n\n", out);
}

static void write_stmt(FILE *out, const struct emitter *em,
		       const struct stmt *s, const struct nb_exprnames *names)
{
	int c = em->lang == NB_LANG_C;
	const char *decl = c ? "double " : "";

	fputs(c ? "\t" : "    ", out);
	switch ((enum stmt_kind)s->kind) {
	case S_VALUE:
		fputs(decl, out);
		value_name(em, out, s->node);
		fputs(" = ", out);
		break;
	case S_GRAD: case S_GRAD_ADD:
		if (s->kind == S_GRAD)
			fputs(decl, out);
		leaf_name((void *)em, out, (uint32_t)(em->p->tape.n + s->node));
		fputs(s->kind == S_GRAD ? " = " : " += ", out);
		break;
	case S_ROUTE:
		fputs(c ? "nb_route = 1;\n" : "nb_route = 1.0\n", out);
		return;
	case S_LOCAL:
		fputs("nb_local = ", out);
		break;
	case S_ROUTE_SUB:
		fputs(c ? "nb_route -= nb_local;\n" : "nb_route -= nb_local\n",
		      out);
		return;
	}
	nb_expr_print(out, &em->e, s->expr, em->lang, names);
	fputs(c ? ";\n" : "\n", out);
}

/* C: the partials into nb_grad[]. */
static void write_tail(FILE *out, const struct emitter *em, const size_t *wrt,
		       size_t nwrt)
{
	const struct nb_program *p = em->p;

	for (size_t w = 0; w < nwrt; w++) {
		uint32_t node = p->vars[wrt[w]];
		fprintf(out, "\tnb_grad[%zu] = ", w);
		if (em->hasgrad[node])
			leaf_name((void *)em, out, (uint32_t)p->tape.n + node);
		else
			fputs("0", out);
		fputs(";\n", out);
	}
}

static void write_function(FILE *out, const struct emitter *em,
			   const size_t *wrt, size_t nwrt)
{
	struct nb_exprnames names = { leaf_name, NULL, NULL, (void *)em };
	const struct nb_program *p = em->p;
	int c = em->lang == NB_LANG_C;

	write_head(out, em, wrt, nwrt);
	for (size_t k = 0; k < em->n; k++) {
		if (k && em->s[k].kind == S_GRAD && em->s[k - 1].kind == S_VALUE)
			fputc('\n', out);
		write_stmt(out, em, &em->s[k], &names);
	}
	if (c)
		write_tail(out, em, wrt, nwrt);
	fputs(c ? "\treturn " : "    return ", out);
	if (p->tape.op[p->output] == NB_OP_CONST)
		nb_expr_print_number(out, p->tape.value[p->output], em->lang);
	else
		value_name(em, out, p->output);
	if (c) {
		fputs(";\n}\n", out);
		return;
	}
	fputs(", {", out);
	for (size_t w = 0; w < nwrt; w++) {
		size_t len;
		uint32_t node = p->vars[wrt[w]];
		const char *s = nb_node_name(p, node, &len);
		fprintf(out, "%s\"%.*s\": ", w ? ", " : "", (int)len, s);
		if (em->hasgrad[node])
			leaf_name((void *)em, out, (uint32_t)p->tape.n + node);
		else
			fputs("0.0", out);
	}
	fputs("}\n", out);
}

int nb_emit_write(FILE *out, const struct nb_program *p, enum nb_lang lang,
		  const size_t *wrt, size_t nwrt, struct nb_diag *d)
{
	struct emitter em;
	size_t n = p->tape.n + 1;
	int r = -1;

	memset(&em, 0, sizeof em);
	em.p = p;
	em.lang = lang;
	nb_expr_init(&em.e);
	nb_localrules_init(&em.rules);
	em.live = nb_malloc(n);
	em.hasgrad = nb_malloc(n);
	em.args = nb_malloc((p->tape.maxin + 1) * sizeof *em.args);
	if (em.live && em.hasgrad && em.args) {
		memset(em.live, 0, n);
		memset(em.hasgrad, 0, n);
		r = forward(&em);
		if (r == 0)
			r = backward(&em);
	}
	if (r == 0)
		write_function(out, &em, wrt, nwrt);
	nb_expr_free(&em.e);
	nb_localrules_free(&em.rules);
	nb_free(em.live);
	nb_free(em.hasgrad);
	nb_free(em.args);
	nb_free(em.s);
	if (r == -2)
		return nb_error_plain(d, NB_EFAIL, "internal error: a symbolic "
				      "rule of the op table does not compile");
	return r ? nb_error_plain(d, NB_EFAIL, "out of memory") : 0;
}
