/* check_parser.c - unit tests of the parser (src/core/parser*.c) through
 * nb_program_compile: tape shapes, names and spans, bindings by constant
 * assignment, and a table of bad inputs with their exact error position;
 * and of the REPL's view of the grammar (src/core/statement.c).
 *
 * Shapes are compared as S-expressions rendered from the output node
 * down ("neg(pow(x,2))"), so the test pins the tree the grammar demands
 * (SPEC section 1) and not the order in which the parser pushes nodes;
 * topological order is checked separately for every program. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/compile.h"
#include "core/fold.h"
#include "core/program.h"
#include "core/statement.h"
#include "core/view.h"
#include "core/sweep.h"
#include "testmain.h"
#include "testprog.h"

/* ------------------------------------------------------------------ */
/* Helpers */

/* Every input of every node comes earlier on the tape, and leaves have
 * no inputs: the forward pass can run in tape order.  One assertion at
 * the end: Check reports every passing one to its parent process, too
 * slow for a tape of a million nodes. */
static void check_topological(const struct nb_program *p, const char *text)
{
	const struct nb_tape *t = &p->tape;
	const char *bad = NULL;
	size_t i;

	for (i = 0; i < t->n && !bad; i++) {
		if (t->first[i] > t->first[i + 1])
			bad = "a bad edge range";
		else if (nb_ops[t->op[i]].kind == NB_LEAF && nb_tape_nin(t, i))
			bad = "a leaf with inputs";
		for (uint32_t e = t->first[i]; e < t->first[i + 1] && !bad; e++)
			if (t->in[e] >= i)
				bad = "an input that is not earlier";
	}
	ck_assert_uint_eq(t->first[0], 0);
	ck_assert_msg(!bad, "\"%s\": node %zu has %s", text, i - 1, bad);
	ck_assert_msg(p->output < t->n, "\"%s\": output out of range", text);
}

static void put(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	ck_assert_msg(*len + n < size, "render buffer too small");
	memcpy(buf + *len, s, n + 1);
	*len += n;
}

/* Renders node i: a variable by its name, a constant by its value
 * (%.17g), an operator as name(input,...). */
static void render(const struct nb_program *p, size_t i, char *buf,
		   size_t size, size_t *len)
{
	const struct nb_tape *t = &p->tape;
	char tmp[64];

	switch ((enum nb_op)t->op[i]) {
	case NB_OP_VAR:
		snprintf(tmp, sizeof tmp, "%.*s", (int)nb_tape_name(t, i).len,
			 p->src.text + nb_tape_name(t, i).start);
		put(buf, size, len, tmp);
		return;
	case NB_OP_CONST:
		snprintf(tmp, sizeof tmp, "%.17g", t->value[i]);
		put(buf, size, len, tmp);
		return;
	default:
		break;
	}
	put(buf, size, len, nb_ops[t->op[i]].name);
	put(buf, size, len, "(");
	for (uint32_t e = t->first[i]; e < t->first[i + 1]; e++) {
		if (e > t->first[i])
			put(buf, size, len, ",");
		render(p, t->in[e], buf, size, len);
	}
	put(buf, size, len, ")");
}

static void expect_shape(const char *text, const char *shape)
{
	struct nb_program p;
	char buf[1024];
	size_t len = 0;

	compile_ok(&p, text);
	check_topological(&p, text);
	buf[0] = '\0';
	render(&p, p.output, buf, sizeof buf, &len);
	ck_assert_msg(strcmp(buf, shape) == 0, "\"%s\" parsed as %s, expected %s",
		      text, buf, shape);
	nb_program_free(&p);
}

/* The node named name, or -1. */
static long node_named(const struct nb_program *p, const char *name)
{
	for (size_t i = 0; i < p->tape.n; i++) {
		size_t len;
		const char *s = nb_node_name(p, i, &len);
		if (s && len == strlen(name) && memcmp(s, name, len) == 0)
			return (long)i;
	}
	return -1;
}

static long count_op(const struct nb_program *p, enum nb_op op)
{
	long n = 0;

	for (size_t i = 0; i < p->tape.n; i++)
		n += p->tape.op[i] == op;
	return n;
}

/* The expression text of node i. */
static void expect_expr(const struct nb_program *p, size_t i, const char *text)
{
	struct nb_span s = p->tape.span[i];

	ck_assert_msg(s.len == strlen(text) &&
			      memcmp(p->src.text + s.start, text, s.len) == 0,
		      "node %zu has text \"%.*s\", expected \"%s\"", i,
		      (int)s.len, p->src.text + s.start, text);
}

static void set_var(struct nb_program *p, const char *name, double v)
{
	long var = nb_program_var(p, name, strlen(name));

	ck_assert_msg(var >= 0, "no input variable %s", name);
	nb_program_set(p, (size_t)var, v);
}

static double eval(struct nb_program *p)
{
	nb_forward(&p->tape, 0, p->tape.n);
	return p->tape.value[p->output];
}

/* ------------------------------------------------------------------ */
/* Shapes */

static const struct {
	const char *text, *shape;
} shapes[] = {
	/* unary minus binds looser than ^ */
	{ "-x^2", "neg(pow(x,2))" },
	{ "-x**2", "neg(pow(x,2))" },
	/* ^ is right-associative */
	{ "2^3^2", "pow(2,pow(3,2))" },
	{ "a^b^c^d", "pow(a,pow(b,pow(c,d)))" },
	/* unary minus in an exponent */
	{ "2^-1", "pow(2,neg(1))" },
	{ "a^-b^c", "pow(a,neg(pow(b,c)))" },
	{ "a^-b*c", "mul(pow(a,neg(b)),c)" },
	/* + - * / are left-associative */
	{ "a-b-c", "sub(sub(a,b),c)" },
	{ "a/b/c", "div(div(a,b),c)" },
	{ "a-b+c", "add(sub(a,b),c)" },
	{ "a/b*c", "mul(div(a,b),c)" },
	{ "a-(b-c)", "sub(a,sub(b,c))" },
	/* precedence */
	{ "a+b*c", "add(a,mul(b,c))" },
	{ "a*b+c", "add(mul(a,b),c)" },
	{ "a*b^c", "mul(a,pow(b,c))" },
	{ "a^b*c", "mul(pow(a,b),c)" },
	{ "(a+b)*c", "mul(add(a,b),c)" },
	{ "a^(b+c)", "pow(a,add(b,c))" },
	{ "(-a)^b", "pow(neg(a),b)" },
	/* unary operators */
	{ "x - -y", "sub(x,neg(y))" },
	{ "x--y", "sub(x,neg(y))" },
	{ "--x", "neg(neg(x))" },
	{ "- - x", "neg(neg(x))" },
	{ "-2*3", "mul(neg(2),3)" },
	{ "-a*b", "mul(neg(a),b)" },
	{ "-a+b", "add(neg(a),b)" },
	{ "a*-b", "mul(a,neg(b))" },
	{ "+x", "pos(x)" },
	{ "+-+x", "pos(neg(pos(x)))" },
	{ "2^-x^2", "pow(2,neg(pow(x,2)))" },
	{ "2^-1*3", "mul(pow(2,neg(1)),3)" },
	{ "x*-y", "mul(x,neg(y))" },
	{ "-+x", "neg(pos(x))" },
	/* ** is ^ */
	{ "x**2", "pow(x,2)" },
	{ "x**y**2", "pow(x,pow(y,2))" },
	{ "pow(x, 2)", "pow(x,2)" },
	/* numbers */
	{ "1.5e1 + .5", "add(15,0.5)" },
	{ "1e-3 * 2.5E+2", "mul(0.001,250)" },
	/* constants */
	{ "pi", "3.1415926535897931" },
	{ "e", "2.7182818284590451" },
	{ "2*pi*r", "mul(mul(2,3.1415926535897931),r)" },
	/* calls */
	{ "sigmoid(w*x + b)", "sigmoid(add(mul(w,x),b))" },
	{ "max(a, b, c)", "max(a,b,c)" },
	{ "sum(a, b, c, d, e1)", "sum(a,b,c,d,e1)" },
	{ "atan2(y, x)", "atan2(y,x)" },
	{ "exp(-x)^2", "pow(exp(neg(x)),2)" },
	{ "((x))", "x" },
	/* newlines inside parentheses and after operators */
	{ "(x\n+ y)", "add(x,y)" },
	{ "(x +\n\n y)", "add(x,y)" },
	{ "x +\n y", "add(x,y)" },
	{ "x *\n -\n y", "mul(x,neg(y))" },
	{ "(\nx\n*\ny\n)", "mul(x,y)" },
	{ "max(x,\n y\n ,\n z)", "max(x,y,z)" },
	{ "sin(\n(x\n)\n)", "sin(x)" },
	{ "x + \\\n y", "add(x,y)" },
	/* outside parentheses a newline ends the statement */
	{ "q = x\n+ y", "pos(y)" },
	{ "q = x # comment + z\n- y", "neg(y)" },
	/* @ binds as * does, left-associative (SPEC section 9) */
	{ "a @ b", "matmul(a,b)" },
	{ "a @ b * c", "mul(matmul(a,b),c)" },
	{ "a * b @ c", "matmul(mul(a,b),c)" },
	{ "a @ b @ c", "matmul(matmul(a,b),c)" },
	{ "A @ x + b", "add(matmul(A,x),b)" },
	{ "b - A @ x", "sub(b,matmul(A,x))" },
	{ "a @ b^2", "matmul(a,pow(b,2))" },
	{ "-a @ b", "matmul(neg(a),b)" },
	/* postfix binds tighter than everything, ^ and prefix - included */
	{ "-x.T", "neg(transpose(x))" },
	{ "x.T^2", "pow(transpose(x),2)" },
	{ "2^x.T", "pow(2,transpose(x))" },
	{ "-x[0]", "neg(index(x,0))" },
	{ "x[0]^2", "pow(index(x,0),2)" },
	{ "W.T @ dD", "matmul(transpose(W),dD)" },
	{ "dD @ X.T", "matmul(dD,transpose(X))" },
	/* and chains on any primary */
	{ "x.T.T", "transpose(transpose(x))" },
	{ "x .T", "transpose(x)" },
	{ "(a + b).T", "transpose(add(a,b))" },
	{ "exp(x).T", "transpose(exp(x))" },
	{ "(2).T", "transpose(2)" },
	{ "2 .T", "transpose(2)" },
	{ "[1, 2].T", "transpose(stack(1,2))" },
	{ "x[0].T", "transpose(index(x,0))" },
	{ "x.T[0]", "index(transpose(x),0)" },
	{ "exp(x)[1]", "index(exp(x),1)" },
	{ "(a + b)[1]", "index(add(a,b),1)" },
	{ "[1, 2][0]", "index(stack(1,2),0)" },
	{ "transpose(X)", "transpose(X)" },
	/* indexing */
	{ "x[0]", "index(x,0)" },
	{ "X[i, j]", "index(X,i,j)" },
	{ "X[i][j]", "index(index(X,i),j)" },
	{ "x[i + 1]", "index(x,add(i,1))" },
	{ "x[-1]", "index(x,neg(1))" },
	{ "E[[1, 1, 2]]", "index(E,stack(1,1,2))" },
	{ "x[y[0]]", "index(x,index(y,0))" },
	/* array literals of any expressions */
	{ "[x]", "stack(x)" },
	{ "[x, y, x*y]", "stack(x,y,mul(x,y))" },
	{ "[1, -2, 3, -3]", "stack(1,neg(2),3,neg(3))" },
	{ "[[1, 2], [3, 4]]", "stack(stack(1,2),stack(3,4))" },
	{ "[u, v]", "stack(u,v)" },
	{ "[(x), sin(x)]", "stack(x,sin(x))" },
	{ "max(0, [1, -2])", "max(0,stack(1,neg(2)))" },
	/* newlines inside brackets are blanks, as inside parentheses */
	{ "[1,\n 2\n]", "stack(1,2)" },
	{ "[\n[1],\n[2]\n]", "stack(stack(1),stack(2))" },
	{ "x[\n0\n]", "index(x,0)" },
	{ "(x\n.T)", "transpose(x)" },
	{ "(x\n[0])", "index(x,0)" },
	/* the tensor functions' names are names unless "(" follows */
	{ "dot = w0*x0 + w1*x1\nf = dot * 2",
	  "mul(add(mul(w0,x0),mul(w1,x1)),2)" },
	{ "norm + ones", "add(norm,ones)" },
	{ "dot = 2; dot(u, dot)", "dot(u,dot)" },
};

START_TEST(shape)
{
	expect_shape(shapes[_i].text, shapes[_i].shape);
}
END_TEST

struct value_case {
	const char *text;
	double value;
};

/* Each program's value, exactly. */
static void expect_values(const struct value_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct nb_program p;
		double v;

		compile_ok(&p, cases[i].text);
		v = eval(&p);
		ck_assert_msg(v == cases[i].value, "\"%s\" = %.17g, expected %.17g",
			      cases[i].text, v, cases[i].value);
		nb_program_free(&p);
	}
}

START_TEST(operator_values)
{
	static const struct value_case cases[] = {
		{ "2^3^2", 512 },        /* 2^9, not 8^2 = 64 */
		{ "2^-1", 0.5 },
		{ "-2^2", -4 },
		{ "(-2)^2", 4 },
		{ "10-4-3", 3 },         /* not 10-(4-3) = 9 */
		{ "64/8/2", 4 },
		{ "-2*3", -6 },
		{ "2**3", 8 },
		{ "2**3**2", 512 },
		{ "2^-1*3", 1.5 },
		{ "1. + 1.e1", 11 },
		{ "2 - -3", 5 },
		{ "1 + 2 * 3 ^ 2", 19 },
		{ "7 -\n 2", 5 },
		{ ".5 + 1e-3 + 6.02E23", 0.5 + 1e-3 + 6.02e23 },
	};
	expect_values(cases, sizeof cases / sizeof cases[0]);
}
END_TEST

/* Every infix, prefix, syntax and function row of the op table is
 * reachable through its spelling, with the arity the table gives. */
START_TEST(every_op_parses)
{
	static const char *const argnames[] = { "a", "b", "c", "d", "g" };

	for (int op = 0; op < NB_OP_COUNT; op++) {
		const struct nb_opinfo *info = &nb_ops[op];
		char text[128];
		struct nb_program p;

		if (info->kind == NB_LEAF)
			continue;
		if (info->kind == NB_INFIX) {
			snprintf(text, sizeof text, "a %s b", info->sym);
		} else if (info->kind == NB_PREFIX) {
			snprintf(text, sizeof text, "%sa", info->sym);
		} else if (info->kind == NB_SYNTAX) {
			snprintf(text, sizeof text, "%s",
				 op == NB_OP_INDEX ? "a[b, c]" : "[a, b]");
		} else {
			int n = info->arity == NB_VARIADIC    ? 3
				: info->arity == NB_ONE_OR_TWO ? 2
							       : info->arity;
			size_t len = (size_t)snprintf(text, sizeof text, "%s(",
						      info->fn);
			for (int k = 0; k < n; k++)
				len += (size_t)snprintf(text + len,
							sizeof text - len,
							"%s%s", k ? ", " : "",
							argnames[k]);
			snprintf(text + len, sizeof text - len, ")");
		}
		compile_ok(&p, text);
		ck_assert_msg(p.tape.op[p.output] == op,
			      "\"%s\" gave op %s, expected %s", text,
			      nb_ops[p.tape.op[p.output]].name, info->name);
		nb_program_free(&p);
		/* a binary operator's function spelling is the same op */
		if (info->kind == NB_INFIX && info->fn) {
			snprintf(text, sizeof text, "%s(a, b)", info->fn);
			compile_ok(&p, text);
			ck_assert_int_eq(p.tape.op[p.output], op);
			nb_program_free(&p);
		}
	}
}
END_TEST

/* A call with the wrong number of arguments is an error that names the
 * count expected and the count given (SPEC section 7).  A reduction
 * shares its spelling with the n-ary function, which then takes one
 * argument or more: sum(x) reduces, sum(x, y) adds. */
START_TEST(every_function_checks_arity)
{
	for (int op = 0; op < NB_OP_COUNT; op++) {
		const struct nb_opinfo *info = &nb_ops[op];
		int reduces = nb_op_reduction((enum nb_op)op) >= 0;
		size_t bad[3], nbad = 0;
		char want[32];

		if (!info->fn ||
		    nb_op_function(info->fn, strlen(info->fn)) != op)
			continue;
		if (info->arity == NB_VARIADIC) {
			bad[nbad++] = 0;
			if (!reduces)
				bad[nbad++] = 1;
			snprintf(want, sizeof want, "%d or more",
				 reduces ? 1 : 2);
		} else if (info->arity == NB_ONE_OR_TWO) {
			bad[nbad++] = 0;
			bad[nbad++] = 3;
			snprintf(want, sizeof want, "1 or 2 arguments");
		} else {
			snprintf(want, sizeof want, "%d argument", info->arity);
			bad[nbad++] = (size_t)info->arity + 1;
			if (info->arity > 0)
				bad[nbad++] = (size_t)info->arity - 1;
		}
		for (size_t j = 0; j < nbad; j++) {
			char text[128], got[32];
			size_t len = 0;
			struct nb_program p;
			struct nb_diag d;
			int r;

			len = (size_t)snprintf(text, sizeof text, "%s(", info->fn);
			for (size_t k = 0; k < bad[j]; k++)
				len += (size_t)snprintf(text + len,
							sizeof text - len,
							"%sx%zu", k ? ", " : "", k);
			snprintf(text + len, sizeof text - len, ")");
			r = nb_program_compile(&p, "<expr>", text, strlen(text),
					       &d);
			ck_assert_msg(r == NB_EUSAGE, "\"%s\" gave %d", text, r);
			ck_assert_uint_eq(d.start, 0);
			snprintf(got, sizeof got, "got %zu", bad[j]);
			ck_assert_msg(strstr(d.msg, got) != NULL,
				      "\"%s\": message \"%s\" lacks \"%s\"", text,
				      d.msg, got);
			ck_assert_msg(strstr(d.msg, want),
				      "\"%s\": \"%s\" lacks \"%s\"", text, d.msg,
				      want);
			nb_program_free(&p);
		}
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* The graph the parser builds */

START_TEST(one_leaf_per_variable)
{
	struct nb_program p;
	size_t mul;

	compile_ok(&p, "x*x+x");
	ck_assert_int_eq(count_op(&p, NB_OP_VAR), 1);
	ck_assert_uint_eq(p.nvars, 1);
	ck_assert_uint_eq(p.tape.n, 3);      /* x, x*x, x*x+x */
	mul = p.tape.in[p.tape.first[p.output]];
	ck_assert_int_eq(p.tape.op[mul], NB_OP_MUL);
	ck_assert_uint_eq(p.tape.in[p.tape.first[mul]], p.vars[0]);
	ck_assert_uint_eq(p.tape.in[p.tape.first[mul] + 1], p.vars[0]);
	ck_assert_uint_eq(p.tape.in[p.tape.first[p.output] + 1], p.vars[0]);
	nb_program_free(&p);

	/* the same name in several statements is still one leaf */
	compile_ok(&p, "a = x + y\nb = x * y\nc = sin(x)\nf = a + b + c + x");
	ck_assert_int_eq(count_op(&p, NB_OP_VAR), 2);
	ck_assert_uint_eq(p.nvars, 2);
	ck_assert_int_eq(nb_program_var(&p, "x", 1), 0);
	ck_assert_int_eq(nb_program_var(&p, "y", 1), 1);
	ck_assert_int_eq(nb_program_var(&p, "f", 1), -1);
	ck_assert_int_eq(nb_program_var(&p, "a", 1), -1);
	check_topological(&p, "abc");
	nb_program_free(&p);
}
END_TEST

START_TEST(one_node_per_occurrence)
{
	/* constants and operators are not shared: each occurrence is a
	 * node (SPEC section 2) */
	struct nb_program p;

	compile_ok(&p, "2*x + 2*x");
	ck_assert_uint_eq(p.tape.n, 6);  /* x, 2, 2*x, 2, 2*x, + */
	ck_assert_int_eq(count_op(&p, NB_OP_CONST), 2);
	ck_assert_int_eq(count_op(&p, NB_OP_MUL), 2);
	nb_program_free(&p);

	compile_ok(&p, "sin(x) * sin(x)");
	ck_assert_int_eq(count_op(&p, NB_OP_SIN), 2);
	ck_assert_int_eq(count_op(&p, NB_OP_VAR), 1);
	nb_program_free(&p);
}
END_TEST

START_TEST(variables_in_order_of_appearance)
{
	struct nb_program p;
	static const char *const names[] = { "zeta", "alpha", "m", "b_2" };

	compile_ok(&p, "zeta * alpha + m / zeta - b_2 ^ alpha");
	ck_assert_uint_eq(p.nvars, 4);
	for (size_t i = 0; i < 4; i++) {
		size_t len;
		const char *s = nb_node_name(&p, p.vars[i], &len);
		ck_assert_int_eq(nb_program_var(&p, names[i], strlen(names[i])),
				 (long)i);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(len, strlen(names[i]));
		ck_assert_int_eq(memcmp(s, names[i], len), 0);
		ck_assert_int_eq(p.tape.op[p.vars[i]], NB_OP_VAR);
		ck_assert_int_eq(p.bound[i], 0);
	}
	ck_assert_int_eq(nb_program_var(&p, "zet", 3), -1);
	nb_program_free(&p);
}
END_TEST

START_TEST(named_intermediates)
{
	struct nb_program p;
	long q, f;
	size_t len;
	const char *s;

	compile_ok(&p, "q = x + y; f = q * z");
	q = node_named(&p, "q");
	f = node_named(&p, "f");
	ck_assert_int_ge(q, 0);
	ck_assert_int_ge(f, 0);
	ck_assert_int_eq(p.tape.op[q], NB_OP_ADD);
	ck_assert_int_eq(p.tape.op[f], NB_OP_MUL);
	ck_assert_uint_eq(p.output, (size_t)f);
	s = nb_program_outname(&p, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(s[0], 'f');
	expect_expr(&p, (size_t)q, "x + y");
	expect_expr(&p, (size_t)f, "q * z");
	/* f's inputs are the node q and the variable z */
	ck_assert_uint_eq(nb_tape_nin(&p.tape, (size_t)f), 2);
	ck_assert_uint_eq(p.tape.in[p.tape.first[f]], (uint32_t)q);
	ck_assert_uint_eq(p.tape.in[p.tape.first[f] + 1],
			  p.vars[nb_program_var(&p, "z", 1)]);
	/* q is not an input */
	ck_assert_int_eq(nb_program_var(&p, "q", 1), -1);
	ck_assert_uint_eq(p.nvars, 3);
	ck_assert_int_eq(count_op(&p, NB_OP_VAR), 3);
	nb_program_free(&p);

	/* a name for the output that is not f */
	compile_ok(&p, "hidden = tanh(w * x)\nloss = hidden ^ 2");
	s = nb_program_outname(&p, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_int_eq(memcmp(s, "loss", 4), 0);
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_POW);
	expect_expr(&p, p.output, "hidden ^ 2");
	expect_expr(&p, (size_t)node_named(&p, "hidden"), "tanh(w * x)");
	nb_program_free(&p);
}
END_TEST

START_TEST(expression_text_is_a_slice)
{
	/* SPEC section 3: the node of (x + y) * z reads "(x + y) * z" */
	struct nb_program p;
	size_t add;

	compile_ok(&p, "(x + y) * z");
	expect_expr(&p, p.output, "(x + y) * z");
	add = p.tape.in[p.tape.first[p.output]];
	ck_assert_int_eq(p.tape.op[add], NB_OP_ADD);
	expect_expr(&p, add, "x + y");
	expect_expr(&p, p.vars[0], "x");
	nb_program_free(&p);

	compile_ok(&p, "  1/(1+exp(-(w0*x0+w2)))  ");
	expect_expr(&p, p.output, "1/(1+exp(-(w0*x0+w2)))");
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_DIV);
	{
		long e = -1;
		for (size_t i = 0; i < p.tape.n; i++)
			if (p.tape.op[i] == NB_OP_EXP)
				e = (long)i;
		ck_assert_int_ge(e, 0);
		expect_expr(&p, (size_t)e, "exp(-(w0*x0+w2))");
		expect_expr(&p, p.tape.in[p.tape.first[e]], "-(w0*x0+w2)");
	}
	nb_program_free(&p);
}
END_TEST

/* The calls of sum, mean, max and min with one argument or an axis=
 * reduce; with more they are the n-ary elementwise functions.  axis= is
 * the node's attribute, as nb_attr_of_axis records it. */
START_TEST(calls_pick_reductions)
{
	static const struct {
		const char *text;
		enum nb_op op;
		int32_t attr;
	} cases[] = {
		{ "sum(x)", NB_OP_RSUM, 0 },
		{ "sum(x, y)", NB_OP_SUM, 0 },
		{ "sum(X, axis=0)", NB_OP_RSUM, 1 },
		{ "sum(X,\n axis = 1\n)", NB_OP_RSUM, 2 },
		{ "mean(X, axis=-1)", NB_OP_RMEAN, -1 },
		{ "mean(x, y, z)", NB_OP_MEAN, 0 },
		{ "max(x)", NB_OP_RMAX, 0 },
		{ "max(0, x)", NB_OP_MAX, 0 },
		{ "min(X, axis=-2)", NB_OP_RMIN, -2 },
		{ "logsumexp(X, axis=1)", NB_OP_LOGSUMEXP, 2 },
		{ "softmax(z)", NB_OP_SOFTMAX, 0 },
		{ "log_softmax(Z, axis=0)", NB_OP_LOG_SOFTMAX, 1 },
		{ "norm(x)", NB_OP_NORM, 0 },
		{ "zeros(3)", NB_OP_ZEROS, 0 },
		{ "randn(2, 3)", NB_OP_RANDN, 0 },
		{ "onehot(y, 3)", NB_OP_ONEHOT, 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct nb_program p;

		compile_ok(&p, cases[i].text);
		ck_assert_msg(p.tape.op[p.output] == cases[i].op,
			      "\"%s\" gave %s", cases[i].text,
			      nb_ops[p.tape.op[p.output]].name);
		ck_assert_msg(nb_tape_attr(&p.tape, p.output) == cases[i].attr,
			      "\"%s\": attribute %d, expected %d", cases[i].text,
			      (int)nb_tape_attr(&p.tape, p.output),
			      (int)cases[i].attr);
		check_topological(&p, cases[i].text);
		nb_program_free(&p);
	}
}
END_TEST

/* Tensor syntax has the node structure and text of every other node:
 * an index's inputs are the value, then the indices; a literal's its
 * elements; a postfix node's text runs from its primary on. */
START_TEST(tensor_nodes)
{
	struct nb_program p;
	uint32_t mm, tr, ix;

	compile_ok(&p, "s = (W.T @ X[i, 0]) * 2");
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_MUL);
	mm = p.tape.in[p.tape.first[p.output]];
	ck_assert_int_eq(p.tape.op[mm], NB_OP_MATMUL);
	expect_expr(&p, mm, "W.T @ X[i, 0]");
	tr = p.tape.in[p.tape.first[mm]];
	ix = p.tape.in[p.tape.first[mm] + 1];
	ck_assert_int_eq(p.tape.op[tr], NB_OP_TRANSPOSE);
	expect_expr(&p, tr, "W.T");
	ck_assert_uint_eq(p.tape.in[p.tape.first[tr]], p.vars[0]);
	ck_assert_int_eq(p.tape.op[ix], NB_OP_INDEX);
	expect_expr(&p, ix, "X[i, 0]");
	ck_assert_uint_eq(nb_tape_nin(&p.tape, ix), 3);
	ck_assert_uint_eq(p.tape.in[p.tape.first[ix]], p.vars[1]);
	ck_assert_uint_eq(p.tape.in[p.tape.first[ix] + 1], p.vars[2]);
	ck_assert_int_eq(p.tape.op[p.tape.in[p.tape.first[ix] + 2]],
			 NB_OP_CONST);
	nb_program_free(&p);

	compile_ok(&p, "y = [x, 2*x]\nz = (a + b)[1].T");
	ck_assert_int_eq(p.tape.op[node_named(&p, "y")], NB_OP_STACK);
	expect_expr(&p, (size_t)node_named(&p, "y"), "[x, 2*x]");
	ck_assert_uint_eq(nb_tape_nin(&p.tape, (size_t)node_named(&p, "y")),
			  2);
	expect_expr(&p, p.output, "(a + b)[1].T");
	expect_expr(&p, p.tape.in[p.tape.first[p.output]], "(a + b)[1]");
	nb_program_free(&p);
}
END_TEST

/* A constant binding's nodes leave the program with their attributes:
 * the side tape keeps sum(..., axis=1)'s axis for the shaped sweeps. */
START_TEST(fold_keeps_attributes)
{
	struct nb_tape t;
	struct nb_fold f;
	uint32_t one, r, in;
	struct nb_span none = { 0, 0 };

	nb_tape_init(&t);
	nb_fold_init(&f, 0);
	ck_assert_int_eq(nb_tape_push(&t, NB_OP_VAR, none, NULL, 0, &in), 0);
	ck_assert_int_eq(nb_tape_push(&t, NB_OP_CONST, none, NULL, 0, &one), 0);
	ck_assert_int_eq(nb_tape_push(&t, NB_OP_RSUM, none, &one, 1, &r), 0);
	ck_assert_int_eq(nb_tape_set_attr(&t, r, nb_attr_of_axis(1)), 0);
	ck_assert_int_eq(nb_fold_take(&f, &t, one, r), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(f.side.n, 2);
	ck_assert_int_eq(f.side.op[f.b[0].root], NB_OP_RSUM);
	ck_assert_int_eq(nb_tape_attr(&f.side, f.b[0].root), 2);
	ck_assert_int_eq(f.b[0].tensor, 1);
	nb_fold_free(&f);
	nb_tape_free(&t);
}
END_TEST

/* The value variable name is bound to, as a tensor (rank 0 for a
 * scalar), which must have n elements. */
static struct nb_tensor bound_value(const struct nb_program *p,
				    const char *name, size_t n)
{
	long var = nb_program_var(p, name, strlen(name));
	struct nb_tensor t = { nb_shape_scalar(), NULL };
	size_t size = 1;

	ck_assert_msg(var >= 0 && p->bound[var], "%s is not bound", name);
	if (p->tval && p->tval[var].data)
		t = p->tval[var];
	else
		t.data = &p->tape.value[p->vars[var]];
	nb_shape_size(&t.shape, &size);
	ck_assert_uint_eq(size, n);
	return t;
}

/* NAME = CONSTANT-EXPR binds a tensor when the expression is one
 * (folded on the shaped sweeps, never into a scalar), a scalar
 * otherwise, with the scalar constants' domain warnings kept. */
START_TEST(tensor_constant_bindings)
{
	struct nb_program p;
	struct nb_diag d;
	struct nb_tensor t;

	compile_ok(&p, "x = [1, -2, 3]\nM = [[1, 2], [3, 4]].T\n"
		       "s = sum([1, 2, 3])\nr = 2*pi\nw = log(-1)\n"
		       "f = sum(x) + s * r * w + M[0, 1]");
	t = bound_value(&p, "x", 3);
	ck_assert_int_eq(t.shape.rank, 1);
	ck_assert(t.data[0] == 1 && t.data[1] == -2 && t.data[2] == 3);
	t = bound_value(&p, "M", 4);
	ck_assert_int_eq(t.shape.rank, 2);
	ck_assert(t.data[0] == 1 && t.data[1] == 3 && t.data[2] == 2 &&
		  t.data[3] == 4);
	ck_assert(bound_value(&p, "s", 1).data[0] == 6);
	ck_assert(bound_value(&p, "r", 1).data[0] ==
		  2 * 3.14159265358979323846);
	ck_assert(isnan(bound_value(&p, "w", 1).data[0]));
	ck_assert_uint_eq(p.nconstwarn, 1);
	ck_assert_ptr_nonnull(strstr(p.constwarn[0].msg, "log(-1)"));
	/* the bindings' nodes are gone: the tape holds f's alone */
	ck_assert_int_eq(count_op(&p, NB_OP_STACK), 0);
	ck_assert_int_eq(count_op(&p, NB_OP_CONST), 2);    /* M[0, 1] */
	nb_program_free(&p);

	/* a constant binding draws from a stream of its own */
	compile_ok(&p, "W = randn(2, 3)\nf = W - randn(2, 3)");
	t = bound_value(&p, "W", 6);
	ck_assert_int_eq(nb_program_run(&p, NULL, &d), 0);
	for (size_t i = 0; i < 6; i++)
		ck_assert(nb_node_value(&p.tape, p.output).x[i] != 0);
	nb_program_free(&p);

	/* a shape or index error in a binding is at its operator */
	for (size_t i = 0; i < 2; i++) {
		static const char *const bad[] = { "x = 1; y = [[1, 2], [3]]",
						   "x = 1; z = [1, 2][5]" };
		ck_assert_int_eq(nb_program_compile(&p, "<expr>", bad[i],
						    strlen(bad[i]), &d),
				 NB_EUSAGE);
		ck_assert_uint_eq(d.start, 11);
		ck_assert_ptr_nonnull(strstr(d.msg, i ? "index 5" : "element"));
		nb_program_free(&p);
	}
}
END_TEST

/* dep marks the input variables and every node with such an input, as
 * the tape is built; a constant bound by assignment is an input. */
START_TEST(dependence_on_inputs)
{
	static const char expect[] = "00011001" "1" "011";
	struct nb_program p;

	compile_ok(&p, "q = (2 * 3 + x) * sin(2)\nc = 4\nf = q + c * pi");
	ck_assert_uint_eq(p.tape.n, strlen(expect));
	for (size_t i = 0; i < p.tape.n; i++)
		ck_assert_msg(p.tape.dep[i] == expect[i] - '0', "node %zu", i);
	nb_program_free(&p);
}
END_TEST

/* A program compiled without spans (batch runs) has the same tape, names
 * and values, and no expression text. */
START_TEST(no_spans_same_tape)
{
	const char *src = "q = x * 2; r = 3\nsin(q) + (y - r) * q";
	size_t len = strlen(src);
	char *text = nb_malloc(len + 1);
	struct nb_program p, with;
	struct nb_diag d;

	ck_assert_ptr_nonnull(text);
	memcpy(text, src, len);
	ck_assert_int_eq(nb_program_compile_owned(&p, "<t>", text, len, 0, 0, &d),
			 0);
	compile_ok(&with, src);
	ck_assert_ptr_null(p.tape.span);
	ck_assert_uint_eq(p.tape.n, with.tape.n);
	ck_assert_uint_eq(p.tape.nedge, with.tape.nedge);
	ck_assert_uint_eq(p.output, with.output);
	for (size_t i = 0; i < p.tape.n; i++) {
		size_t a, b;
		const char *na = nb_node_name(&p, i, &a);
		const char *nb = nb_node_name(&with, i, &b);
		ck_assert_int_eq(p.tape.op[i], with.tape.op[i]);
		ck_assert_uint_eq(p.tape.first[i + 1], with.tape.first[i + 1]);
		ck_assert(p.tape.value[i] == with.tape.value[i]);
		ck_assert_uint_eq(nb_tape_span(&p.tape, i).len, 0);
		ck_assert_uint_gt(nb_tape_span(&with.tape, i).len, 0);
		ck_assert(a == b && (a == 0 || memcmp(na, nb, a) == 0));
	}
	for (size_t e = 0; e < p.tape.nedge; e++)
		ck_assert_uint_eq(p.tape.in[e], with.tape.in[e]);
	nb_program_free(&p);
	nb_program_free(&with);
}
END_TEST

START_TEST(unnamed_output_is_f)
{
	struct nb_program p;
	size_t len;
	const char *s;

	compile_ok(&p, "a = x * 2; a + 1");
	s = nb_program_outname(&p, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(s[0], 'f');
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_ADD);
	nb_program_free(&p);
}
END_TEST

START_TEST(output_is_last_statement)
{
	struct nb_program p;
	size_t len;
	const char *s;

	compile_ok(&p, "a = x * 2; b = x + 1");
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_ADD);
	s = nb_program_outname(&p, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(s[0], 'b');
	ck_assert_int_eq(node_named(&p, "b"), (long)p.output);
	nb_program_free(&p);

	/* separators: ; and newlines, repeated, leading and trailing */
	compile_ok(&p, "\n;\n a = x * 2 ;; \n\n x + 1 ;\n\n");
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_ADD);
	set_var(&p, "x", 4);
	ck_assert(eval(&p) == 5);
	nb_program_free(&p);

	/* an earlier statement is not the output even if it comes later
	 * in the tape */
	compile_ok(&p, "s = sin(x); cos(x)");
	ck_assert_int_eq(p.tape.op[p.output], NB_OP_COS);
	nb_program_free(&p);
}
END_TEST

START_TEST(alias_of_a_name)
{
	/* f = q gives the output its own name without renaming q */
	struct nb_program p;
	long q, f;

	compile_ok(&p, "q = x * y; f = q");
	q = node_named(&p, "q");
	f = node_named(&p, "f");
	ck_assert_int_ge(q, 0);
	ck_assert_int_ge(f, 0);
	ck_assert_int_ne(q, f);
	ck_assert_uint_eq(p.output, (size_t)f);
	set_var(&p, "x", 3);
	set_var(&p, "y", -2);
	ck_assert(eval(&p) == -6);
	nb_program_free(&p);

	/* a name given to a variable: the variable stays an input */
	compile_ok(&p, "y = x; y * 2");
	ck_assert_int_eq(nb_program_var(&p, "x", 1), 0);
	ck_assert_int_eq(nb_program_var(&p, "y", 1), -1);
	ck_assert_uint_eq(p.nvars, 1);
	set_var(&p, "x", 5);
	ck_assert(eval(&p) == 10);
	nb_program_free(&p);
}
END_TEST

START_TEST(constant_assignment_binds_input)
{
	struct nb_program p;
	long var;

	compile_ok(&p, "x = -2");
	var = nb_program_var(&p, "x", 1);
	ck_assert_int_eq(var, 0);
	ck_assert_uint_eq(p.nvars, 1);
	ck_assert_int_eq(p.bound[0], 1);
	ck_assert_int_eq(p.tape.op[p.vars[0]], NB_OP_VAR);
	ck_assert(p.tape.value[p.vars[0]] == -2);
	ck_assert_uint_eq(p.output, p.vars[0]);
	nb_program_free(&p);

	/* the constant expression is evaluated; its name is an input */
	compile_ok(&p, "r = 2 * pi / 4 + 2^-1\nf = r * x");
	var = nb_program_var(&p, "r", 1);
	ck_assert_int_ge(var, 0);
	ck_assert_int_eq(p.bound[var], 1);
	ck_assert_double_eq_tol(p.tape.value[p.vars[var]],
				2 * 3.14159265358979323846 / 4 + 0.5, 1e-15);
	ck_assert_int_eq(p.bound[nb_program_var(&p, "x", 1)], 0);
	set_var(&p, "x", 2);
	ck_assert_double_eq_tol(eval(&p),
				2 * (2 * 3.14159265358979323846 / 4 + 0.5),
				1e-14);
	nb_program_free(&p);

	/* the seeds' bindings written as a program */
	compile_ok(&p, "x = -2; y = 5; z = -4\nq = x + y\nf = q * z");
	ck_assert_uint_eq(p.nvars, 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(p.bound[i], 1);
	ck_assert(eval(&p) == -12);
	ck_assert(p.tape.value[node_named(&p, "q")] == 3);
	nb_program_free(&p);

	/* a program ending in a constant binding has that input as its
	 * output (grammar/nabla.ebnf, section 3) */
	compile_ok(&p, "y = x*3; x = -2");
	ck_assert_uint_eq(p.output, p.vars[0]);
	{
		size_t len;
		const char *s = nb_program_outname(&p, &len);
		ck_assert(len == 1 && s[0] == 'x');
	}
	ck_assert(eval(&p) == -2);
	nb_program_free(&p);

	/* a constant binds a variable used before it */
	compile_ok(&p, "f = x * 3\nx = 4\nf");
	ck_assert_int_eq(p.bound[nb_program_var(&p, "x", 1)], 1);
	ck_assert(eval(&p) == 12);
	nb_program_free(&p);
}
END_TEST

START_TEST(unbound_variables_named_together)
{
	struct nb_program p;
	struct nb_diag d;
	size_t line, col;
	const char *x, *z, *w;

	compile_ok(&p, "a = 1\nf = x*y + z*w + a*y*x");
	set_var(&p, "y", 1);
	ck_assert_int_eq(nb_program_check_bound(&p, &d), NB_EUSAGE);
	ck_assert_int_eq(d.status, NB_EUSAGE);
	x = strstr(d.msg, "x");
	z = strstr(d.msg, "z");
	w = strstr(d.msg, "w");
	ck_assert_msg(x && z && w && x < z && z < w,
		      "message \"%s\" should name x, z, w in order", d.msg);
	ck_assert_msg(strstr(d.msg, "y") == NULL && strstr(d.msg, "a,") == NULL,
		      "message \"%s\" names a bound variable", d.msg);
	ck_assert_msg(strstr(d.msg, "variables") != NULL, "\"%s\"", d.msg);
	/* it points at the first use of the first one */
	nb_source_position(&p.src, d.start, &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 5);
	ck_assert_uint_eq(d.len, 1);

	set_var(&p, "x", 1);
	set_var(&p, "z", 1);
	ck_assert_int_eq(nb_program_check_bound(&p, &d), NB_EUSAGE);
	ck_assert_msg(strstr(d.msg, "w") && !strstr(d.msg, "variables"),
		      "\"%s\"", d.msg);
	set_var(&p, "w", 1);
	ck_assert_int_eq(nb_program_check_bound(&p, &d), 0);
	nb_program_free(&p);
}
END_TEST

START_TEST(many_unbound_variables)
{
	/* more names than fit in a message: still one error, and it says
	 * how many were left out */
	char text[8192];
	size_t len = 0;
	struct nb_program p;
	struct nb_diag d;

	for (int i = 0; i < 400; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%svariable%d",
					i ? "+" : "", i);
	compile_ok(&p, text);
	ck_assert_uint_eq(p.nvars, 400);
	ck_assert_int_eq(nb_program_check_bound(&p, &d), NB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(d.msg, "variable0"));
	ck_assert_ptr_nonnull(strstr(d.msg, "more"));
	ck_assert_uint_lt(strlen(d.msg), sizeof d.msg);
	nb_program_free(&p);
}
END_TEST

/* Builds prefix, "x", suffix with each repeated n times. */
static char *nest(const char *open, const char *close, size_t n)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *s = malloc(n * (lo + lc) + 2), *q = s;

	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < n; i++, q += lo)
		memcpy(q, open, lo);
	*q++ = 'x';
	for (size_t i = 0; i < n; i++, q += lc)
		memcpy(q, close, lc);
	*q = '\0';
	return s;
}

/* Nestings that count one level each (grammar/nabla.ebnf, Limits). */
static const struct {
	const char *open, *close;
} nestings[] = { { "(", ")" }, { "-", "" }, { "sin(", ")" },
		 { "x^", "" }, { "max(1,", ")" }, { "[", "]" },
		 { "x[", "]" } };

START_TEST(repeated_spellings)
{
	/* The parser reads each number and function name once and
	 * remembers it by a hash of its text: spellings that share a slot
	 * (12 and 23, sin and log) must still each get their own value. */
	const struct value_case cases[] = {
		{ "12 + 23 + 12 + 23", 70 },
		{ "12 * 23 - 12 / 23", 12.0 * 23 - 12.0 / 23 },
		{ "sin(1) + log(1) + sin(1) - log(1)", 2 * sin(1) },
		{ "exp(0.5) * exp(0.5) + 0.5", exp(0.5) * exp(0.5) + 0.5 },
	};
	expect_values(cases, sizeof cases / sizeof cases[0]);
}
END_TEST

START_TEST(deep_nesting_within_limit)
{
	/* grammar/nabla.ebnf: the statement is one level, so NB_MAX_DEPTH
	 * - 1 nested parentheses, calls, minus signs or "^" are accepted */
	for (size_t k = 0; k < sizeof nestings / sizeof nestings[0]; k++) {
		char *text = nest(nestings[k].open, nestings[k].close,
				  NB_MAX_DEPTH - 1);
		struct nb_program p;

		compile_ok(&p, text);
		ck_assert_uint_eq(p.nvars, 1);
		check_topological(&p, nestings[k].open);
		nb_program_free(&p);
		free(text);
	}
}
END_TEST

START_TEST(long_chains_are_not_nesting)
{
	/* x+x+...+x: each right operand closes before the next opens */
	size_t n = 10 * NB_MAX_DEPTH, len = 2 * n + 1;
	char *text = malloc(len + 1);
	struct nb_program p;

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < len; i++)
		text[i] = i % 2 ? (i % 4 == 1 ? '+' : '*') : 'x';
	text[len] = '\0';
	compile_ok(&p, text);
	ck_assert_uint_eq(p.tape.n, n + 1);
	ck_assert_uint_eq(p.nvars, 1);
	nb_program_free(&p);
	free(text);
}
END_TEST

START_TEST(too_deep_is_an_error)
{
	for (size_t k = 0; k < 2 * sizeof nestings / sizeof nestings[0]; k++) {
		size_t depth = k % 2 ? NB_MAX_DEPTH + 1 : NB_MAX_DEPTH;
		const char *open = nestings[k / 2].open;
		char *text = nest(open, nestings[k / 2].close, depth);
		struct nb_program p;
		struct nb_diag d;
		size_t line, col, lo = strlen(open);
		int r = nb_program_compile(&p, "<expr>", text, strlen(text), &d);

		ck_assert_msg(r == NB_EUSAGE, "%zu nested \"%s\": %d", depth,
			      open, r);
		ck_assert_msg(strstr(d.msg, "deeper") != NULL, "\"%s\"", d.msg);
		/* the message states the documented limit */
		{
			char lim[32];
			snprintf(lim, sizeof lim, "%d", NB_MAX_DEPTH);
			ck_assert_msg(strstr(d.msg, lim), "\"%s\"", d.msg);
		}
		/* the caret is inside the run of openers, past the limit */
		nb_source_position(&p.src, d.start, &line, &col);
		ck_assert_uint_eq(line, 1);
		ck_assert_msg(col > (NB_MAX_DEPTH - 2) * lo &&
				      col <= (NB_MAX_DEPTH + 1) * lo + 1,
			      "\"%s\" x %zu: column %zu", open, depth, col);
		nb_program_free(&p);
		free(text);
	}
}
END_TEST

START_TEST(very_deep_is_an_error_not_a_crash)
{
	/* far past the limit: still a diagnostic (SPEC section 7) */
	char *text = nest("(", ")", 10 * NB_MAX_DEPTH);
	struct nb_program p;
	struct nb_diag d;

	ck_assert_int_eq(nb_program_compile(&p, "<expr>", text, strlen(text),
					    &d),
			 NB_EUSAGE);
	nb_program_free(&p);
	free(text);
}
END_TEST

/* ------------------------------------------------------------------ */
/* A backward pass written by hand (nabla --verify): gradient lines go on
 * the tape after the forward program, in Python's spellings. */

/* Compiles text as a forward program and its backward pass. */
static int compile_backward(struct nb_program *p, struct nb_backward *bw,
			    const char *text, struct nb_diag *d)
{
	size_t len = strlen(text);
	char *copy = nb_malloc(len + 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	return nb_program_compile_backward(p, "<file>", copy, len, bw, d);
}

START_TEST(gradient_lines)
{
	const char *text = "q = x + math.exp(y)\nf = q * z\n"
			   "dq = z\ndx = dq\ndx += 0 * dq\n"
			   "t = 2\ngrad_z = q * t\n";
	struct nb_program p;
	struct nb_backward bw;
	struct nb_diag d;
	size_t len;

	ck_assert_int_eq(compile_backward(&p, &bw, text, &d), 0);
	ck_assert_uint_eq(bw.n, 4);
	/* the output is the forward program's last statement */
	ck_assert_int_eq(*nb_program_outname(&p, &len), 'f');
	ck_assert_uint_eq(len, 1);
	ck_assert_uint_lt(p.output, bw.fwd_end);
	/* math.exp is exp */
	ck_assert_int_eq(p.tape.op[2], NB_OP_EXP);
	/* dx twice, then grad_z: the helper t is not a gradient */
	ck_assert_int_eq(bw.line[1].of, bw.line[2].of);
	ck_assert_int_eq(bw.line[3].of, p.tape.in[p.tape.first[p.output] + 1]);
	ck_assert_int_eq(bw.line[1].add, 0);
	ck_assert_int_eq(bw.line[2].add, 1);
	/* += adds to the node the last line gave the name */
	ck_assert_uint_eq(p.tape.op[bw.line[2].node], NB_OP_ADD);
	ck_assert_uint_eq(p.tape.in[p.tape.first[bw.line[2].node]],
			  bw.line[1].node);
	for (size_t k = 0; k < bw.n; k++)
		ck_assert_uint_ge(bw.line[k].first, bw.fwd_end);
	nb_backward_free(&bw);
	nb_program_free(&p);
}
END_TEST

START_TEST(gradient_line_errors)
{
	static const struct {
		const char *text, *msg;
		size_t col;
	} cases[] = {
		{ "f = x * y\ndx = dy", "used before any line computes it", 6 },
		{ "f = x * y\ndx += y", "has no value yet", 1 },
		{ "f = x * y\nz += y", "'+=' adds to a gradient", 1 },
		{ "f = x * y\ndx = y\nx * 2", "expected a gradient line", 1 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct nb_program p;
		struct nb_backward bw;
		struct nb_diag d;
		size_t line, col;

		ck_assert_int_eq(compile_backward(&p, &bw, cases[k].text, &d),
				 NB_EUSAGE);
		ck_assert_msg(strstr(d.msg, cases[k].msg), "%s", d.msg);
		nb_source_position(&p.src, d.start, &line, &col);
		ck_assert_uint_eq(col, cases[k].col);
		nb_backward_free(&bw);
		nb_program_free(&p);
	}
}
END_TEST

START_TEST(python_spellings_only_for_verify)
{
	struct nb_program p;
	struct nb_diag d;

	ck_assert_int_eq(nb_program_compile(&p, "<expr>", "math.exp(x)", 11,
					    &d), NB_EUSAGE);
	nb_program_free(&p);
	ck_assert_int_eq(nb_program_compile(&p, "<expr>", "x = 1\ndx += 1",
					    13, &d), NB_EUSAGE);
	nb_program_free(&p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Bad inputs: {input, length (0 = strlen), line, column, two substrings
 * of the message}.  Columns are counted by hand (1-based bytes). */

static const struct bad {
	const char *text;
	size_t len;
	size_t line, col;
	const char *msg, *msg2;
} bad[] = {
	/* unbalanced parentheses: name the unclosed opener */
	{ "(x", 0, 1, 3, "close '(' at 1:1", "end of input" },
	{ "((x + 1)", 0, 1, 9, "close '(' at 1:1", NULL },
	{ "(x;y)", 0, 1, 3, "close '(' at 1:1", "';'" },
	{ "exp(x", 0, 1, 6, "close '(' at 1:4", NULL },
	{ "max(x, y", 0, 1, 9, "close '(' at 1:4", NULL },
	{ "max \\\n  (x, y", 0, 2, 8, "close '(' at 2:3", NULL },
	{ "a +\n(b *\n(c", 0, 3, 3, "close '(' at 3:1", NULL },
	{ ")", 0, 1, 1, "')'", NULL },
	{ "x)", 0, 1, 2, "unmatched ')'", NULL },
	{ "(x + 1))", 0, 1, 8, "unmatched ')'", NULL },
	{ "exp(x))", 0, 1, 7, "unmatched ')'", NULL },
	{ "()", 0, 1, 2, "expected an expression", "')'" },
	{ "max(x, )", 0, 1, 8, "expected an expression", "')'" },
	{ "max(, x)", 0, 1, 5, "expected an expression", "','" },
	/* unknown functions: suggest the nearest name */
	{ "sigmoud(x)", 0, 1, 1, "unknown function 'sigmoud'",
	  "did you mean 'sigmoid'" },
	{ "2 * sqr(x)", 0, 1, 5, "unknown function 'sqr'",
	  "did you mean 'sqrt'" },
	{ "Exp(x)", 0, 1, 1, "unknown function", "did you mean 'exp'" },
	{ "y + tanhh(x)", 0, 1, 5, "unknown function", "did you mean 'tanh'" },
	{ "f(x)", 0, 1, 1, "unknown function 'f'", NULL },
	{ "x(y)", 0, 1, 1, "unknown function 'x'", NULL },
	{ "sni(x)", 0, 1, 1, "unknown function 'sni'", "did you mean 'sin'" },
	/* wrong arity: say the count */
	{ "pow(x)", 0, 1, 1, "pow takes 2 arguments", "got 1" },
	{ "atan2(x, y, z)", 0, 1, 1, "2 arguments", "got 3" },
	{ "sin()", 0, 1, 1, "1 argument", "got 0" },
	{ "1 + exp(x, y)", 0, 1, 5, "1 argument", "got 2" },
	{ "max()", 0, 1, 1, "max takes 1 or more arguments", "got 0" },
	{ "sum()", 0, 1, 1, "1 or more", "got 0" },
	{ "zeros(1, 2, 3)", 0, 1, 1, "zeros takes 1 or 2 arguments", "got 3" },
	{ "x + randn()", 0, 1, 5, "1 or 2 arguments", "got 0" },
	{ "eye(2, 3)", 0, 1, 1, "eye takes 1 argument", "got 2" },
	{ "softmax(X, 0)", 0, 1, 1, "softmax takes 1 argument, got 2",
	  "softmax(X, axis=A)" },
	{ "dot(u)", 0, 1, 1, "dot takes 2 arguments", "got 1" },
	/* axis= is for the functions that take it, last, as an integer */
	{ "exp(x, axis=0)", 0, 1, 8, "exp takes no axis=",
	  "only sum, mean, max, min, logsumexp, softmax, log_softmax" },
	{ "norm(X, axis = 0)", 0, 1, 9, "norm takes no axis=", NULL },
	{ "sum(x, axis=1.5)", 0, 1, 13, "integer after axis=", "'1.5'" },
	{ "sum(x, axis=1e0)", 0, 1, 13, "integer after axis=", "'1e0'" },
	{ "mean(x, axis=n)", 0, 1, 14, "integer after axis=", "'n'" },
	{ "sum(x, axis=-y)", 0, 1, 14, "integer after axis=", "'y'" },
	{ "sum(x, axis=)", 0, 1, 13, "integer after axis=", "')'" },
	{ "sum(x, axis=12345678901)", 0, 1, 13, "axis 12345678901 is out of range",
	  NULL },
	{ "sum(x, axis=0, y)", 0, 1, 14, "')' to close '(' at 1:4", "','" },
	{ "sum(axis=0)", 0, 1, 5, "axis= follows the value", "sum(X, axis=A)" },
	{ "sum(x, y, axis=0)", 0, 1, 1, "sum with axis= takes 1 argument",
	  "got 2" },
	{ "sum(x, keep=1)", 0, 1, 8, "unknown keyword argument 'keep'",
	  "axis=" },
	/* array literals and indexing */
	{ "[1, 2", 0, 1, 6, "',' or ']' to close '[' at 1:1", "end of input" },
	{ "[[1, 2], [3, 4]", 0, 1, 16, "close '[' at 1:1", NULL },
	{ "[1 2]", 0, 1, 4, "close '[' at 1:1", "'2'" },
	{ "[x)", 0, 1, 3, "',' or ']'", "')'" },
	{ "(x]", 0, 1, 3, "')' to close '('", "']'" },
	{ "x[1", 0, 1, 4, "close '[' at 1:2", NULL },
	{ "(a + b)[1, 2", 0, 1, 13, "close '[' at 1:8", NULL },
	{ "f(x)[0", 0, 1, 1, "unknown function 'f'", NULL },
	{ "exp(x)[0", 0, 1, 9, "close '[' at 1:7", NULL },
	{ "[1,\n2", 0, 2, 2, "close '[' at 1:1", NULL },
	{ "[]", 0, 1, 1, "empty array literal", NULL },
	{ "x + [ ]", 0, 1, 5, "empty array literal", NULL },
	{ "[1, 2,]", 0, 1, 7, "expected an expression", "']'" },
	{ "x[]", 0, 1, 3, "expected an index", "']'" },
	{ "x]", 0, 1, 2, "unmatched ']'", NULL },
	{ "x = [1, 2]]", 0, 1, 11, "unmatched ']'", NULL },
	/* .T */
	{ "2.T", 0, 1, 1, "malformed number '2.T'", "write (2).T" },
	{ "x + 1.5.T", 0, 1, 5, "'1.5.T'", "write (1.5).T" },
	{ "x.shape", 0, 1, 2, "unknown attribute '.shape'", "only one is .T" },
	{ "W.dot(x)", 0, 1, 2, "unknown attribute '.dot'", NULL },
	{ "x.Tx", 0, 1, 2, "unknown attribute '.Tx'", NULL },
	{ "x. T", 0, 1, 2, "unexpected character '.'", NULL },
	{ ".T", 0, 1, 1, "expected an expression", "'.T'" },
	/* @ is binary only */
	{ "@ x", 0, 1, 1, "expected an expression", "'@'" },
	{ "x @ @ y", 0, 1, 5, "'@'", NULL },
	{ "x @", 0, 1, 4, "end of input", NULL },
	/* a function name without a call */
	{ "sin", 0, 1, 1, "sin(", NULL },
	{ "2 * exp + 1", 0, 1, 5, "exp(", NULL },
	{ "exp\n(x)", 0, 1, 1, "'exp' is a function", NULL },
	/* no implicit multiplication */
	{ "2x", 0, 1, 1, "'2x'", NULL },
	{ "2 x", 0, 1, 3, "operator", "'x'" },
	{ "x y", 0, 1, 3, "operator", "'y'" },
	{ "2(x)", 0, 1, 2, "operator", "'('" },
	{ "(x)(y)", 0, 1, 4, "operator", NULL },
	{ "3 exp(x)", 0, 1, 3, "operator", "'exp'" },
	{ "q = x\n  y z", 0, 2, 5, "operator", "'z'" },
	/* only the last statement may be a bare expression */
	{ "x\n+ y", 0, 1, 1, "never used", NULL },
	{ "x; y", 0, 1, 1, "never used", NULL },
	{ "a = x\n2 * x\n\nb = a", 0, 2, 1, "never used", NULL },
	{ "a = x\n(a + 1)\nb = a", 0, 2, 1, "never used", NULL },
	/* empty programs */
	{ "", 0, 1, 1, "empty", NULL },
	{ "   ", 0, 1, 4, "empty", NULL },
	{ "# only a comment", 0, 1, 17, "empty", NULL },
	{ "# one\n\n# two\n", 0, 4, 1, "empty", NULL },
	{ ";\n;", 0, 2, 2, "empty", NULL },
	/* assignments to reserved names */
	{ "pi = 3", 0, 1, 1, "constant 'pi'", NULL },
	{ "x = 1; e = 1", 0, 1, 8, "constant 'e'", NULL },
	{ "exp = 2", 0, 1, 1, "function 'exp'", NULL },
	{ "sigmoid = x * 2", 0, 1, 1, "function 'sigmoid'", NULL },
	/* redefinition and use before definition */
	{ "x = 1; x = 2", 0, 1, 8, "'x'", "already" },
	{ "q = x; q = y", 0, 1, 8, "'q'", "already" },
	{ "q = x*y\nq = 2", 0, 2, 1, "'q'", "already" },
	{ "x = 1; x = y", 0, 1, 8, "'x'", "already" },
	{ "f = q * 2; q = x + 1", 0, 1, 12, "'q'", "before this definition" },
	{ "z = y*2; y = x+1", 0, 1, 10, "'y' is used as an input at 1:5",
	  "before this definition" },
	/* a name used in its own definition is used before it */
	{ "x = x + 1", 0, 1, 1, "'x'", "before this definition" },
	{ "q = sin(q)", 0, 1, 1, "'q'", "before this definition" },
	/* malformed assignments */
	{ "x = ", 0, 1, 5, "expected an expression", "end of input" },
	{ "x = ;", 0, 1, 5, "expected an expression", "';'" },
	{ "= 3", 0, 1, 1, "'='", NULL },
	{ "x = 1 = 2", 0, 1, 7, "only a name", NULL },
	{ "1 = x", 0, 1, 3, "only a name", NULL },
	{ "(x) = 3", 0, 1, 5, "only a name", NULL },
	{ "x == y", 0, 1, 4, "'='", NULL },
	/* missing operands */
	{ "x +", 0, 1, 4, "expected an expression", "end of input" },
	{ "x *", 0, 1, 4, "end of input", NULL },
	{ "x ^", 0, 1, 4, "end of input", NULL },
	{ "x **", 0, 1, 5, "end of input", NULL },
	{ "x -", 0, 1, 4, "end of input", NULL },
	{ "(x +)", 0, 1, 5, "expected an expression", "')'" },
	{ "x * * y", 0, 1, 5, "'*'", NULL },
	{ "2***3", 0, 1, 4, "expected an expression", "'*'" },
	{ "x ^ ^ y", 0, 1, 5, "'^'", NULL },
	{ "* x", 0, 1, 1, "'*'", NULL },
	{ "x +\n", 0, 2, 1, "end of input", NULL },
	{ "x,y", 0, 1, 2, "','", NULL },
	/* malformed numbers: the whole number is shown */
	{ "1..2", 0, 1, 1, "'1..2'", NULL },
	{ "x * 0x10", 0, 1, 5, "'0x10'", NULL },
	{ "2e + 1", 0, 1, 1, "'2e'", NULL },
	{ "1.2.3", 0, 1, 1, "'1.2.3'", NULL },
	{ "x + 1e999", 0, 1, 5, "too large", "1e999" },
	{ "-1e999", 0, 1, 2, "too large", NULL },
	{ "2 ^ 1e400", 0, 1, 5, "too large", NULL },
	/* bad bytes */
	{ "x $ y", 0, 1, 3, "'$'", NULL },
	{ "x % 2", 0, 1, 3, "'%'", NULL },
	{ "a = 1\nb = a ! 2", 0, 2, 7, "'!'", NULL },
	{ "x + \xc3\xa9", 0, 1, 5, "non-ASCII", NULL },
	{ "x\0", 2, 1, 2, "NUL", NULL },
	{ "x + \x01", 0, 1, 5, "unexpected character", NULL },
	{ "x \\ y", 0, 1, 3, "unexpected character", NULL },
	/* a line join must be backslash, newline: not backslash, CR, LF */
	{ "x \\\r\n+ 1", 0, 1, 3, "unexpected character", "'\\'" },
};

START_TEST(bad_input)
{
	const struct bad *b = &bad[_i];
	size_t len = b->len ? b->len : strlen(b->text), line, col;
	struct nb_program p;
	struct nb_diag d;
	int r;

	memset(&d, 0, sizeof d);
	r = nb_program_compile(&p, "<expr>", b->text, len, &d);
	ck_assert_msg(r == NB_EUSAGE, "\"%s\": status %d, expected 2", b->text,
		      r);
	ck_assert_int_eq(d.status, NB_EUSAGE);
	ck_assert_int_eq(d.severity, NB_ERROR);
	ck_assert_int_eq(d.located, 1);
	nb_source_position(&p.src, d.start, &line, &col);
	ck_assert_msg(line == b->line && col == b->col,
		      "\"%s\": error at %zu:%zu, expected %zu:%zu (%s)", b->text,
		      line, col, b->line, b->col, d.msg);
	ck_assert_msg(strstr(d.msg, b->msg) != NULL,
		      "\"%s\": message \"%s\" lacks \"%s\"", b->text, d.msg,
		      b->msg);
	if (b->msg2)
		ck_assert_msg(strstr(d.msg, b->msg2) != NULL,
			      "\"%s\": message \"%s\" lacks \"%s\"", b->text,
			      d.msg, b->msg2);
	/* lowercase (but for acronyms such as NUL), no trailing full stop
	 * (ARCHITECTURE: errors and memory) */
	ck_assert_msg(d.msg[0] < 'A' || d.msg[0] > 'Z' ||
			      (d.msg[1] >= 'A' && d.msg[1] <= 'Z'),
		      "\"%s\"", d.msg);
	ck_assert_msg(d.msg[strlen(d.msg) - 1] != '.', "\"%s\"", d.msg);
	/* the span lies within the source (or at its end) */
	ck_assert_uint_le(d.start + d.len, len);
	nb_program_free(&p);
}
END_TEST

START_TEST(diagnostic_rendering)
{
	/* one renderer: nabla: SOURCE:LINE:COL: error: MESSAGE, the line,
	 * a caret under the column */
	const char *text = "a = 1\nb = a ! 2";
	struct nb_program p;
	struct nb_diag d;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	ck_assert_int_eq(nb_program_compile(&p, "<expr>", text, strlen(text),
					    &d),
			 NB_EUSAGE);
	f = open_memstream(&buf, &size);
	ck_assert_ptr_nonnull(f);
	nb_diag_print(f, &p.src, &d, 0);
	fclose(f);
	ck_assert_msg(strncmp(buf, "nabla: <expr>:2:7: error: ", 26) == 0,
		      "%s", buf);
	ck_assert_msg(strstr(buf, "\n  b = a ! 2\n        ^\n") != NULL, "%s",
		      buf);
	free(buf);
	nb_program_free(&p);
}
END_TEST

START_TEST(free_after_failed_compile)
{
	/* nb_program_free is safe after a failure at any point */
	static const char *const texts[] = { "", "(", "x = 1; x = 2",
					     "a = b * c; 2x", "sin(x" };

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct nb_program p;
		struct nb_diag d;

		ck_assert_int_ne(nb_program_compile(&p, "<expr>", texts[i],
						    strlen(texts[i]), &d),
				 0);
		nb_program_free(&p);
		nb_program_free(&p);
	}
}
END_TEST

/* The grammar as the REPL asks for it (core/statement.h). */
START_TEST(incomplete_inputs)
{
	static const struct { const char *text; int more; } in[] = {
		{ "x +", 1 }, { "f = (x", 1 }, { "max(x,", 1 }, { "x \\", 1 },
		{ "y =", 1 }, { "(x +\n y", 1 }, { "x", 0 }, { "x)", 0 },
		{ "x + y # +", 0 }, { "(x $", 0 }, { "", 0 }, { "x; y -", 1 },
		{ "x = [1,", 1 }, { "[[1, 2],\n [3", 1 }, { "x[0", 1 },
		{ "[1, 2]", 0 }, { "x @", 1 }, { "x.T", 0 }, { "x]", 0 },
	};

	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		ck_assert_msg(nb_input_incomplete(in[i].text,
						  strlen(in[i].text)) ==
				      in[i].more,
			      "\"%s\"", in[i].text);
}
END_TEST

/* Splits text into statements and parses each: kind, name, joined
 * expression text and names used ("kind name: text [names]"). */
static void statements_of(const char *text, char *out, size_t size)
{
	struct nb_source src = { "<test>", text, strlen(text), 0 };
	char buf[256];
	struct nb_stmt st;
	struct nb_diag d;
	size_t pos = 0, len = 0;

	out[0] = '\0';
	while (nb_stmt_next(text, src.len, &pos, buf, &st)) {
		static const char *const kind[] = { "expr", "bind", "def" };
		len += (size_t)snprintf(out + len, size - len, "%s", len ? "; " : "");
		if (nb_stmt_parse(&src, &st, 0, &d)) {
			len += (size_t)snprintf(out + len, size - len,
						"error at %zu: %s", d.start,
						d.msg);
			continue;
		}
		len += (size_t)snprintf(out + len, size - len, "%s %.*s: %.*s",
					kind[st.kind], (int)st.name.len,
					text + st.name.start, (int)st.textlen,
					st.text);
		if (st.kind == NB_STMT_BINDING)
			len += (size_t)snprintf(out + len, size - len,
						isnan(st.value) ? " = nan"
								: " = %g",
						st.value);
		if (st.expr.nconstwarn)
			len += (size_t)snprintf(out + len, size - len,
						" (%zu warning)",
						st.expr.nconstwarn);
		for (size_t i = 0; i < st.expr.nvars; i++) {
			size_t n;
			const char *name = nb_node_name(&st.expr,
							st.expr.vars[i], &n);
			len += (size_t)snprintf(out + len, size - len, "%s%.*s",
						i ? "," : " [", (int)n, name);
		}
		if (st.expr.nvars)
			len += (size_t)snprintf(out + len, size - len, "]");
		nb_program_free(&st.expr);
	}
}

START_TEST(statements_one_by_one)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "a = 2 * pi; f = (a *\n  x) # c\n\nf",
		  "bind a: 2 * pi = 6.28319; def f: (a * x) [a,x]; expr : f [f]" },
		{ "g =\n  sin(x)\\\n  + y", "def g: sin(x) + y [x,y]" },
		{ "x = log(-1)", "bind x: log(-1) = nan (1 warning)" },
		{ "f = x = 3", "error at 6: only a name can be assigned" },
		{ "pi = 1; x", "error at 0: cannot assign to the constant 'pi'; "
			       "expr : x [x]" },
		{ "y =; 2", "error at 2: expected an expression after '='; "
			    "expr : 2" },
		{ "x +; y", "error at 3: expected an expression, found end of "
			    "input; expr : y [y]" },
		{ "M = [[a, 2],\n     [3, 4]]\nM @ x",
		  "def M: [[a, 2], [3, 4]] [a]; expr : M @ x [M,x]" },
		{ "y = x[\n0]; y.T", "def y: x[ 0] [x]; expr : y.T [y]" },
	};
	char out[512];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		statements_of(cases[i].text, out, sizeof out);
		ck_assert_str_eq(out, cases[i].want);
	}
}
END_TEST

#define N(a) ((int)(sizeof a / sizeof a[0]))

static Suite *parser_suite(void)
{
	Suite *s = suite_create("parser");
	TCase *tc = tcase_create("shapes");

	tcase_add_loop_test(tc, shape, 0, N(shapes));
	tcase_add_test(tc, operator_values);
	tcase_add_test(tc, every_op_parses);
	tcase_add_test(tc, every_function_checks_arity);
	suite_add_tcase(s, tc);

	tc = tcase_create("graph");
	tcase_add_test(tc, one_leaf_per_variable);
	tcase_add_test(tc, one_node_per_occurrence);
	tcase_add_test(tc, variables_in_order_of_appearance);
	tcase_add_test(tc, named_intermediates);
	tcase_add_test(tc, expression_text_is_a_slice);
	tcase_add_test(tc, no_spans_same_tape);
	tcase_add_test(tc, dependence_on_inputs);
	tcase_add_test(tc, unnamed_output_is_f);
	tcase_add_test(tc, output_is_last_statement);
	tcase_add_test(tc, alias_of_a_name);
	tcase_add_test(tc, constant_assignment_binds_input);
	tcase_add_test(tc, unbound_variables_named_together);
	tcase_add_test(tc, many_unbound_variables);
	tcase_add_test(tc, calls_pick_reductions);
	tcase_add_test(tc, tensor_nodes);
	tcase_add_test(tc, fold_keeps_attributes);
	tcase_add_test(tc, tensor_constant_bindings);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, bad_input, 0, N(bad));
	tcase_add_test(tc, diagnostic_rendering);
	tcase_add_test(tc, free_after_failed_compile);
	tcase_add_test(tc, repeated_spellings);
	tcase_add_test(tc, deep_nesting_within_limit);
	tcase_add_test(tc, long_chains_are_not_nesting);
	tcase_add_test(tc, too_deep_is_an_error);
	tcase_add_test(tc, very_deep_is_an_error_not_a_crash);
	tcase_add_test(tc, gradient_lines);
	tcase_add_test(tc, gradient_line_errors);
	tcase_add_test(tc, python_spellings_only_for_verify);
	suite_add_tcase(s, tc);

	tc = tcase_create("statements");
	tcase_add_test(tc, incomplete_inputs);
	tcase_add_test(tc, statements_one_by_one);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(parser_suite);
