/* parser.c - recursive descent from program text to tape.
 *
 * Nodes are pushed in post-order as their rules complete, so the tape is
 * topologically ordered by construction.  All binary operators go through
 * one precedence loop (expr) driven by the binding powers in ops.def. */
#include "parser.h"

#include <math.h>
#include <string.h>

#include "alloc.h"
#include "lexer.h"
#include "numfmt.h"
#include "sweep.h"

struct parser {
	struct nb_program *p;
	struct nb_lexer lx;
	struct nb_token tok;    /* the current token */
	struct nb_diag *d;
	int depth;              /* nesting of expr, bounded by NB_MAX_DEPTH */
	int paren;              /* open ( : newlines inside are spaces */
	uint32_t *args;         /* arguments of the calls being parsed */
	size_t nargs, argcap;
};

/* A parsed expression: its node, its text (with any parentheses) and
 * whether it depends on no input at all. */
struct expr {
	uint32_t node;
	size_t start, end;
	int constant;
};

static void next(struct parser *ps)
{
	ps->tok = nb_lex(&ps->lx);
}

static void skip_newlines(struct parser *ps)
{
	while (ps->tok.kind == NB_TOK_NEWLINE)
		next(ps);
}

static const char *text(const struct parser *ps, size_t start)
{
	return ps->p->src.text + start;
}

static int oom(struct parser *ps)
{
	return nb_error_plain(ps->d, NB_EFAIL, "out of memory");
}

static int printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* "expected WHAT, found THIS", or the lexer's own complaint. */
static int unexpected(struct parser *ps, const char *what)
{
	const struct nb_token *t = &ps->tok;
	int n = (int)(t->len > 40 ? 40 : t->len);

	if (t->kind == NB_TOK_ERROR && !printable(text(ps, t->start), t->len))
		return nb_error(ps->d, NB_EUSAGE, t->start, t->len, "%s",
				t->error);
	if (t->kind == NB_TOK_ERROR)
		return nb_error(ps->d, NB_EUSAGE, t->start, t->len, "%s '%.*s'",
				t->error, n, text(ps, t->start));
	if (t->kind == NB_TOK_EOF)
		return nb_error(ps->d, NB_EUSAGE, t->start, 0,
				"expected %s, found end of input", what);
	if (t->kind == NB_TOK_NEWLINE)
		return nb_error(ps->d, NB_EUSAGE, t->start, 1,
				"expected %s, found end of line", what);
	return nb_error(ps->d, NB_EUSAGE, t->start, t->len,
			"expected %s, found '%.*s'", what, n,
			text(ps, t->start));
}

/* "expected WHAT to close '(' at LINE:COL, found THIS" */
static int unclosed(struct parser *ps, const char *what, size_t open)
{
	char expected[80];
	size_t line, col;

	nb_source_position(&ps->p->src, open, &line, &col);
	snprintf(expected, sizeof expected, "%s to close '(' at %zu:%zu", what,
		 line, col);
	return unexpected(ps, expected);
}

static int push(struct parser *ps, enum nb_op op, size_t start, size_t end,
		const uint32_t *in, size_t nin, struct expr *out)
{
	struct nb_span span = { (uint32_t)start, (uint32_t)(end - start) };

	if (nb_tape_push(&ps->p->tape, op, span, in, nin, &out->node))
		return oom(ps);
	out->start = start;
	out->end = end;
	return 0;
}

/* A new input variable called by the name at span. */
static int new_variable(struct parser *ps, struct nb_span name, uint32_t *id)
{
	struct nb_program *p = ps->p;
	struct expr e;

	if (push(ps, NB_OP_VAR, name.start, name.start + name.len, NULL, 0, &e))
		return ps->d->status;
	if (nb_grow((void **)&p->vars, &p->varcap, p->nvars + 1,
		    sizeof *p->vars))
		return oom(ps);
	size_t cap = p->nvars;
	if (nb_grow((void **)&p->bound, &cap, p->nvars + 1, sizeof *p->bound))
		return oom(ps);
	p->vars[p->nvars] = e.node;
	p->bound[p->nvars++] = 0;
	p->tape.name[e.node] = name;
	if (nb_symtab_put(&p->names, name, e.node))
		return oom(ps);
	*id = e.node;
	return 0;
}

static int expr(struct parser *ps, int limit, struct expr *out);

/* number = digits [ "." digits ] [ exponent ] | "." digits [ exponent ] */
static int number(struct parser *ps, struct expr *out)
{
	struct nb_token t = ps->tok;
	double v;

	if (nb_read_number(text(ps, t.start), t.len, &v) || isnan(v))
		return unexpected(ps, "a number");
	if (isinf(v))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"number '%.*s' is too large for a double",
				(int)(t.len > 40 ? 40 : t.len), text(ps, t.start));
	if (nb_number_underflows(text(ps, t.start), t.len, v))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"number '%.*s' is too small for a double "
				"(it would be 0; write 0 if you mean it)",
				(int)(t.len > 40 ? 40 : t.len), text(ps, t.start));
	if (push(ps, NB_OP_CONST, t.start, t.start + t.len, NULL, 0, out))
		return ps->d->status;
	ps->p->tape.value[out->node] = v;
	out->constant = 1;
	next(ps);
	return 0;
}

/* args = [ expr { "," expr } ] ")"
 * Pushes the argument nodes on ps->args; *constant tells whether all of
 * them are constant. */
static int call_args(struct parser *ps, size_t open, size_t *nargs,
		     int *constant)
{
	struct expr arg;

	next(ps);
	skip_newlines(ps);
	*nargs = 0;
	*constant = 1;
	if (ps->tok.kind == NB_TOK_RPAREN)
		return 0;
	for (;;) {
		if (expr(ps, 0, &arg))
			return ps->d->status;
		if (nb_grow((void **)&ps->args, &ps->argcap, ps->nargs + 1,
			    sizeof *ps->args))
			return oom(ps);
		ps->args[ps->nargs++] = arg.node;
		(*nargs)++;
		*constant &= arg.constant;
		skip_newlines(ps);
		if (ps->tok.kind == NB_TOK_RPAREN)
			return 0;
		if (ps->tok.kind != NB_TOK_COMMA)
			return unclosed(ps, "',' or ')'", open);
		next(ps);
		skip_newlines(ps);
	}
}

static int arity_error(struct parser *ps, enum nb_op op, size_t start,
		       size_t end, size_t nargs)
{
	const struct nb_opinfo *info = &nb_ops[op];

	if (info->arity == NB_VARIADIC)
		return nb_error(ps->d, NB_EUSAGE, start, end - start,
				"%s takes 2 or more arguments, got %zu",
				info->fn, nargs);
	return nb_error(ps->d, NB_EUSAGE, start, end - start,
			"%s takes %d argument%s, got %zu", info->fn,
			info->arity, info->arity == 1 ? "" : "s", nargs);
}

/* call = name "(" args */
static int call(struct parser *ps, struct expr *out)
{
	struct nb_token name = ps->tok;
	int op = nb_op_function(text(ps, name.start), name.len);
	size_t base = ps->nargs, nargs, open;
	int constant;

	if (op < 0) {
		const char *near = nb_op_nearest_function(text(ps, name.start),
							  name.len);
		/* A name may be megabytes long: show 40 bytes of it. */
		nb_error(ps->d, NB_EUSAGE, name.start, name.len,
			 "unknown function '%.*s%s'",
			 (int)(name.len > 40 ? 40 : name.len),
			 text(ps, name.start), name.len > 40 ? "..." : "");
		if (near)
			snprintf(ps->d->msg + strlen(ps->d->msg),
				 sizeof ps->d->msg - strlen(ps->d->msg),
				 "; did you mean '%s'?", near);
		return ps->d->status;
	}
	next(ps);
	open = ps->tok.start;
	ps->paren++;
	if (call_args(ps, open, &nargs, &constant))
		return ps->d->status;
	ps->paren--;
	if (!nb_op_arity_ok((enum nb_op)op, nargs))
		return arity_error(ps, (enum nb_op)op, name.start,
				   ps->tok.start + 1, nargs);
	if (push(ps, (enum nb_op)op, name.start, ps->tok.start + 1,
		 ps->args + base, nargs, out))
		return ps->d->status;
	ps->nargs = base;
	out->constant = constant;
	next(ps);
	return 0;
}

/* name = identifier: a constant, a named node or an input variable */
static int name(struct parser *ps, struct expr *out)
{
	struct nb_token t = ps->tok;
	struct nb_span span = { (uint32_t)t.start, (uint32_t)t.len };
	int64_t node;
	uint32_t id;
	double v;

	if (nb_constant(text(ps, t.start), t.len, &v)) {
		if (push(ps, NB_OP_CONST, t.start, t.start + t.len, NULL, 0,
			 out))
			return ps->d->status;
		ps->p->tape.value[out->node] = v;
		out->constant = 1;
		next(ps);
		return 0;
	}
	if (nb_op_function(text(ps, t.start), t.len) >= 0)
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"'%.*s' is a function: call it as %.*s(...)",
				(int)t.len, text(ps, t.start), (int)t.len,
				text(ps, t.start));
	node = nb_symtab_find(&ps->p->names, text(ps, t.start), t.len);
	if (node >= 0)
		id = (uint32_t)node;
	else if (new_variable(ps, span, &id))
		return ps->d->status;
	out->node = id;
	out->start = t.start;
	out->end = t.start + t.len;
	out->constant = 0;
	next(ps);
	return 0;
}

/* primary = number | name | call | "(" expr ")" */
static int primary(struct parser *ps, struct expr *out)
{
	size_t open = ps->tok.start;
	struct nb_lexer save;
	struct nb_token ahead;

	switch (ps->tok.kind) {
	case NB_TOK_NUMBER:
		return number(ps, out);
	case NB_TOK_IDENT:
		save = ps->lx;
		ahead = nb_lex(&save);
		return ahead.kind == NB_TOK_LPAREN ? call(ps, out)
						   : name(ps, out);
	case NB_TOK_LPAREN:
		next(ps);
		skip_newlines(ps);
		ps->paren++;
		if (expr(ps, 0, out))
			return ps->d->status;
		skip_newlines(ps);
		ps->paren--;
		if (ps->tok.kind != NB_TOK_RPAREN)
			return unclosed(ps, "')'", open);
		out->start = open;
		out->end = ps->tok.start + 1;
		next(ps);
		return 0;
	default:
		return unexpected(ps, "an expression");
	}
}

/* The binary operator the current token spells, or -1. */
static int infix(struct parser *ps)
{
	const char *s;
	size_t len;

	if (ps->paren > 0)
		skip_newlines(ps);
	if (ps->tok.kind != NB_TOK_OP)
		return -1;
	s = nb_token_opspelling(&ps->lx, &ps->tok, &len);
	return nb_op_infix(s, len);
}

/* unary = prefixop unary-operand | primary
 * A prefix operator's operand parses with the operator's RBP, so it takes
 * in ^ but not * or +. */
static int unary(struct parser *ps, struct expr *out)
{
	const char *s;
	size_t len, start = ps->tok.start;
	int op;
	struct expr operand;

	if (ps->tok.kind != NB_TOK_OP)
		return primary(ps, out);
	s = nb_token_opspelling(&ps->lx, &ps->tok, &len);
	op = nb_op_prefix(s, len);
	if (op < 0)
		return unexpected(ps, "an expression");
	next(ps);
	skip_newlines(ps);
	if (expr(ps, nb_ops[op].rbp, &operand))
		return ps->d->status;
	if (push(ps, (enum nb_op)op, start, operand.end, &operand.node, 1,
		 out))
		return ps->d->status;
	out->constant = operand.constant;
	return 0;
}

/* expr = unary { binop expr }
 * Consumes operators whose left binding power exceeds limit; each right
 * operand parses with the operator's right binding power. */
static int expr(struct parser *ps, int limit, struct expr *out)
{
	int op;

	if (++ps->depth > NB_MAX_DEPTH)
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, ps->tok.len,
				"expression nested deeper than %d levels",
				NB_MAX_DEPTH);
	if (unary(ps, out))
		return ps->d->status;
	while ((op = infix(ps)) >= 0 && nb_ops[op].lbp > limit) {
		struct expr rhs;
		uint32_t in[2];

		next(ps);
		skip_newlines(ps);
		if (expr(ps, nb_ops[op].rbp, &rhs))
			return ps->d->status;
		in[0] = out->node;
		in[1] = rhs.node;
		if (push(ps, (enum nb_op)op, out->start, rhs.end, in, 2, out))
			return ps->d->status;
		out->constant = out->constant && rhs.constant;
	}
	ps->depth--;
	return 0;
}

static int reserved_name(struct parser *ps, struct nb_token t)
{
	double v;

	if (nb_constant(text(ps, t.start), t.len, &v))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"cannot assign to the constant '%.*s'",
				(int)t.len, text(ps, t.start));
	if (nb_op_function(text(ps, t.start), t.len) >= 0)
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"cannot assign to the function '%.*s'",
				(int)t.len, text(ps, t.start));
	return 0;
}

/* The variable a constant assignment binds: an existing unbound input
 * (used before this statement) or a new one. */
static int bind_constant(struct parser *ps, struct nb_span name, int64_t old,
			 double v, uint32_t *node)
{
	struct nb_program *p = ps->p;
	long var;

	if (old < 0 && new_variable(ps, name, node))
		return ps->d->status;
	if (old >= 0)
		*node = (uint32_t)old;
	var = nb_program_var(p, text(ps, name.start), name.len);
	p->bound[var] = 1;
	p->tape.value[*node] = v;
	return 0;
}

/* Why name (already known as node old) cannot be assigned here, if so. */
static int redefinition(struct parser *ps, struct nb_span name, int64_t old,
			int constant)
{
	struct nb_program *p = ps->p;
	size_t line, col;
	long var;

	if (old < 0)
		return 0;
	nb_source_position(&p->src, p->tape.name[old].start, &line, &col);
	var = nb_program_var(p, text(ps, name.start), name.len);
	if (var < 0)
		return nb_error(ps->d, NB_EUSAGE, name.start, name.len,
				"'%.*s' is already defined at %zu:%zu",
				(int)name.len, text(ps, name.start), line, col);
	if (p->bound[var])
		return nb_error(ps->d, NB_EUSAGE, name.start, name.len,
				"'%.*s' is already bound at %zu:%zu",
				(int)name.len, text(ps, name.start), line, col);
	if (!constant)
		return nb_error(ps->d, NB_EUSAGE, name.start, name.len,
				"'%.*s' is used as an input at %zu:%zu before "
				"this definition", (int)name.len,
				text(ps, name.start), line, col);
	return 0;
}

/* assignment = name "=" expr
 * A constant right side binds an input variable; any other names its
 * node (through a pos node when the node already has a name). */
static int assignment(struct parser *ps)
{
	struct nb_program *p = ps->p;
	struct nb_token t = ps->tok;
	struct nb_span name = { (uint32_t)t.start, (uint32_t)t.len };
	size_t mark = p->tape.n;
	struct expr rhs;
	int64_t old;

	if (reserved_name(ps, t))
		return ps->d->status;
	next(ps);
	next(ps);
	skip_newlines(ps);
	if (expr(ps, 0, &rhs))
		return ps->d->status;
	/* Looked up after the right side, which may use the name itself. */
	old = nb_symtab_find(&p->names, text(ps, t.start), t.len);
	if (redefinition(ps, name, old, rhs.constant))
		return ps->d->status;
	if (rhs.constant) {
		double v;
		nb_forward(&p->tape, mark, p->tape.n);
		v = p->tape.value[rhs.node];
		nb_tape_truncate(&p->tape, mark);
		if (bind_constant(ps, name, old, v, &p->output))
			return ps->d->status;
	} else {
		if (rhs.node < mark || p->tape.name[rhs.node].len) {
			struct expr alias;
			if (push(ps, NB_OP_POS, rhs.start, rhs.end, &rhs.node, 1,
				 &alias))
				return ps->d->status;
			rhs.node = alias.node;
		}
		p->tape.name[rhs.node] = name;
		if (nb_symtab_put(&p->names, name, rhs.node))
			return oom(ps);
		p->output = rhs.node;
	}
	p->outname = name;
	return 0;
}

/* statement = assignment | expr */
static int statement(struct parser *ps)
{
	struct nb_lexer save = ps->lx;
	struct expr e;

	if (ps->tok.kind == NB_TOK_IDENT &&
	    nb_lex(&save).kind == NB_TOK_ASSIGN)
		return assignment(ps);
	if (expr(ps, 0, &e))
		return ps->d->status;
	ps->p->output = e.node;
	ps->p->outname = (struct nb_span){ 0, 0 };
	return 0;
}

/* What follows a complete statement when it is not a separator. */
static int statement_end_error(struct parser *ps)
{
	switch (ps->tok.kind) {
	case NB_TOK_NUMBER:
	case NB_TOK_IDENT:
	case NB_TOK_LPAREN:
		unexpected(ps, "an operator");
		strncat(ps->d->msg, " (there is no implicit multiplication)",
			sizeof ps->d->msg - strlen(ps->d->msg) - 1);
		return ps->d->status;
	case NB_TOK_RPAREN:
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, 1,
				"unmatched ')'");
	case NB_TOK_ASSIGN:
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, 1,
				"only a name can be assigned");
	default:
		return unexpected(ps, "an operator, ';' or end of line");
	}
}

/* A bare expression before the last statement: its value can never be
 * used, and it is most often a line that was meant to continue (a line
 * that starts with "+ y" is a statement of its own). */
static int unused_value(struct parser *ps, uint32_t node)
{
	struct nb_span s = ps->p->tape.span[node];

	return nb_error(ps->d, NB_EUSAGE, s.start, s.len,
			"the value of this expression is never used (name it "
			"with NAME = ..., or end the line with an operator to "
			"continue it)");
}

static int is_separator(enum nb_tok k)
{
	return k == NB_TOK_SEMI || k == NB_TOK_NEWLINE;
}

/* program = { separator } statement { separator { separator } statement }
 *           { separator } end */
int nb_parse(struct nb_program *p, struct nb_diag *d)
{
	struct parser ps = { .p = p, .d = d };
	int statements = 0, r = 0;
	uint32_t unused;

	nb_lexer_init(&ps.lx, p->src.text, p->src.len);
	next(&ps);
	for (;;) {
		while (is_separator(ps.tok.kind))
			next(&ps);
		if (ps.tok.kind == NB_TOK_EOF)
			break;
		if ((r = statement(&ps)) != 0)
			break;
		statements++;
		if (ps.tok.kind != NB_TOK_EOF && !is_separator(ps.tok.kind)) {
			r = statement_end_error(&ps);
			break;
		}
		unused = p->outname.len == 0 ? p->output : UINT32_MAX;
		while (is_separator(ps.tok.kind))
			next(&ps);
		if (unused != UINT32_MAX && ps.tok.kind != NB_TOK_EOF) {
			r = unused_value(&ps, unused);
			break;
		}
	}
	if (r == 0 && statements == 0)
		r = nb_error(d, NB_EUSAGE, ps.tok.start, 0,
			     "empty program: nothing to differentiate");
	nb_free(ps.args);
	return r;
}
