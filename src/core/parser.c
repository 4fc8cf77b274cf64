/* parser.c - from program text to tape: programs and statements.
 *
 * Statements are parsed by recursive descent, one function per rule of
 * grammar/nabla.ebnf (section 3), each opening with its rule; their
 * expressions by the machine of parser_expr.c.  A constant binding's
 * expression goes to the constant folding pass (fold.h), which runs once
 * the whole program is parsed. */
#include "core/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parser_state.h"
#include "core/unicode.h"

static int printable(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return 0;
	return 1;
}

/* A lexical error in a token that cannot be quoted: a NUL byte, or a
 * run of non-ASCII bytes.  When the run starts with a UTF-8 character,
 * the message names it and points at it alone. */
static int unprintable(struct parser *ps, const struct nb_token *t)
{
	char what[160];
	unsigned long cp;
	size_t n = nb_utf8_char(text(ps, t->start), t->len, &cp);

	if (n == 0)
		return nb_error(ps->d, NB_EUSAGE, t->start, t->len, "%s",
				t->error);
	if (nb_unicode_describe(cp, what, sizeof what))
		return nb_error(ps->d, NB_EUSAGE, t->start, n,
				"unexpected character %s", what);
	return nb_error(ps->d, NB_EUSAGE, t->start, n,
			"unexpected non-ASCII character %s", what);
}

/* Appends the printf-style text to the message in ps->d. */
static void hint(struct parser *ps, const char *fmt, ...)
{
	size_t end = strlen(ps->d->msg);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ps->d->msg + end, sizeof ps->d->msg - end, fmt, ap);
	va_end(ap);
}

/* A number before .T (2.T), which the lexer reads as a malformed
 * number "2." glued to T: appends how to write it.  Returns 1 if so. */
static int number_dot_t(struct parser *ps, const struct nb_token *t)
{
	const char *s = text(ps, t->start);
	size_t num = t->len - 2;

	if (t->len < 3 || memcmp(s + num, ".T", 2) != 0 ||
	    nb_number_prefix(s, num) != num)
		return 0;
	hint(ps, " (a number needs parentheses before .T: write (%.*s).T)",
	     (int)num, s);
	return 1;
}

/* A number glued to a name (2x, 0.5sin) meant as a product: appends how
 * to write it to the message about token t.  Not for what looks like
 * another notation: 0x10, 0b101, 1_000. */
static void glued_name(struct parser *ps, const struct nb_token *t)
{
	const char *s = text(ps, t->start);
	size_t num;
	int c;

	if (strcmp(t->error, "malformed number") != 0 || t->len > 40 ||
	    number_dot_t(ps, t))
		return;
	num = nb_number_prefix(s, t->len);
	c = num ? s[num] : 0;
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
		return;
	if (num == 1 && s[0] == '0' && strchr("xXbBoO", c))
		return;
	for (size_t i = num; i < t->len; i++)
		if (s[i] == '.')
			return;
	hint(ps, " (there is no implicit multiplication: write %.*s*%.*s)",
	     (int)num, s, (int)(t->len - num), s + num);
}

int nb_parser_unexpected(struct parser *ps, const char *what)
{
	const struct nb_token *t = &ps->tok;
	int n = (int)(t->len > 40 ? 40 : t->len);

	if (t->kind == NB_TOK_ERROR && !printable(text(ps, t->start), t->len))
		return unprintable(ps, t);
	if (t->kind == NB_TOK_ERROR) {
		nb_error(ps->d, NB_EUSAGE, t->start, t->len, "%s '%.*s'",
			 t->error, n, text(ps, t->start));
		glued_name(ps, t);
		if (strcmp(t->error, "unknown attribute") == 0)
			hint(ps, " (the only one is .T, the transpose)");
		return ps->d->status;
	}
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

int nb_parser_new_variable(struct parser *ps, struct nb_span name,
			   uint32_t *id)
{
	struct nb_program *p = ps->p;
	struct expr e;
	size_t cap;

	if (push(ps, NB_OP_VAR, name.start, name.start + name.len, NULL, 0, &e))
		return ps->d->status;
	cap = p->varcap;
	if (nb_grow((void **)&p->vars, &cap, p->nvars + 1, sizeof *p->vars))
		return oom(ps);
	cap = p->varcap;
	if (nb_grow((void **)&p->bound, &cap, p->nvars + 1, sizeof *p->bound))
		return oom(ps);
	p->varcap = cap;
	p->vars[p->nvars] = e.node;
	p->bound[p->nvars++] = 0;
	if (nb_tape_set_name(&p->tape, e.node, name) ||
	    nb_symtab_put(&p->names, name, e.node))
		return oom(ps);
	*id = e.node;
	return 0;
}

int nb_check_assignable(const char *text, struct nb_span name,
			struct nb_diag *d)
{
	const char *s = text + name.start;
	double v;

	if (nb_constant(s, name.len, &v))
		return nb_error(d, NB_EUSAGE, name.start, name.len,
				"cannot assign to the constant '%.*s'",
				(int)name.len, s);
	if (nb_reserved_function(s, name.len))
		return nb_error(d, NB_EUSAGE, name.start, name.len,
				"cannot assign to the function '%.*s'",
				(int)name.len, s);
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
	nb_source_position(&p->src, nb_tape_name(&p->tape, (size_t)old).start,
			   &line, &col);
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

/* NAME = CONSTANT-EXPR (nodes mark.. of the tape, value rhs) binds an
 * input variable, *node: an existing unbound one (used before this
 * statement) or a new one, whose value constant folding gives it. */
static int bind(struct parser *ps, struct nb_span name, int64_t old,
		size_t mark, uint32_t rhs, uint32_t *node)
{
	struct nb_program *p = ps->p;
	long var;

	*node = (uint32_t)old;
	if (nb_fold_take(&ps->fold, &p->tape, mark, rhs))
		return oom(ps);
	if (old < 0 && nb_parser_new_variable(ps, name, node))
		return ps->d->status;
	var = nb_program_var(p, text(ps, name.start), name.len);
	nb_fold_binds(&ps->fold, (uint32_t)var);
	p->bound[var] = 1;
	return 0;
}

/* NAME = EXPR for any other EXPR (nodes mark.. of the tape) names its
 * node, through a pos node when the node already has a name or is older
 * than the statement; *node is the node named. */
static int define(struct parser *ps, struct nb_span name, size_t mark,
		  struct expr rhs, uint32_t *node)
{
	struct nb_program *p = ps->p;

	if (rhs.node < mark || nb_tape_name(&p->tape, rhs.node).len) {
		struct expr alias;
		if (push(ps, NB_OP_POS, rhs.start, rhs.end, &rhs.node, 1,
			 &alias))
			return ps->d->status;
		rhs.node = alias.node;
	}
	if (nb_tape_set_name(&p->tape, rhs.node, name) ||
	    nb_symtab_put(&p->names, name, rhs.node))
		return oom(ps);
	*node = rhs.node;
	return 0;
}

/* assignment = identifier "=" { newline } expr */
static int assignment(struct parser *ps)
{
	struct nb_program *p = ps->p;
	struct nb_token t = ps->tok;
	struct nb_span name = { (uint32_t)t.start, (uint32_t)t.len };
	size_t mark = p->tape.n;
	struct expr rhs;
	int64_t old;
	uint32_t node;

	if (nb_check_assignable(p->src.text, name, ps->d))
		return ps->d->status;
	next(ps);
	next(ps);
	skip_newlines(ps);
	if (nb_parse_expression(ps, &rhs))
		return ps->d->status;
	/* Looked up after the right side, which may use the name itself. */
	old = nb_symtab_find(&p->names, text(ps, t.start), t.len);
	if (redefinition(ps, name, old, rhs.constant))
		return ps->d->status;
	if (rhs.constant ? bind(ps, name, old, mark, rhs.node, &node)
			 : define(ps, name, mark, rhs, &node))
		return ps->d->status;
	/* A helper name in a backward pass is not the program's output. */
	if (!ps->bw || !ps->bw->started) {
		p->output = node;
		p->outname = name;
	}
	return 0;
}

/* gradient line = gradient name ( "=" | "+=" ) expr    (--verify only)
 * The right side is computed like any other; "+=" adds it to the node
 * the name had, and either way the name moves to the result, so that
 * the lines after this one read the new value. */
static int gradient_line(struct parser *ps, uint32_t of)
{
	struct nb_program *p = ps->p;
	struct nb_backward *bw = ps->bw;
	struct nb_token t = ps->tok;
	struct nb_span name = { (uint32_t)t.start, (uint32_t)t.len };
	int add;
	int64_t old = nb_symtab_find(&p->names, text(ps, t.start), t.len);
	struct expr rhs, sum;
	struct nb_gradline *g;
	size_t first;

	if (!bw->started) {
		bw->started = 1;
		bw->fwd_end = (uint32_t)p->tape.n;
	}
	next(ps);
	add = ps->tok.kind == NB_TOK_ADD_ASSIGN;
	if (add && (old < 0 || (size_t)old < bw->fwd_end))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"'%.*s' has no value yet: its first line assigns "
				"it with '='", (int)t.len, text(ps, t.start));
	next(ps);
	skip_newlines(ps);
	first = p->tape.n;
	if (nb_parse_expression(ps, &rhs))
		return ps->d->status;
	sum = rhs;
	if (add) {
		uint32_t in[2] = { (uint32_t)old, rhs.node };
		if (push(ps, NB_OP_ADD, t.start, rhs.end, in, 2, &sum))
			return ps->d->status;
	}
	if (define(ps, name, first, sum, &sum.node))
		return ps->d->status;
	if (nb_grow((void **)&bw->line, &bw->cap, bw->n + 1, sizeof *bw->line))
		return oom(ps);
	g = &bw->line[bw->n++];
	*g = (struct nb_gradline){ of, name,
				   { name.start, (uint32_t)(rhs.end - t.start) },
				   (uint32_t)first, rhs.node, sum.node, add };
	return 0;
}

/* In a backward pass (--verify): the forward node whose gradient the
 * line starting here computes, or -1 for any other statement. */
static int64_t gradient_target(struct parser *ps)
{
	struct nb_backward *bw = ps->bw;
	enum nb_tok k;

	if (!bw || ps->tok.kind != NB_TOK_IDENT)
		return -1;
	k = peek(ps);
	if (k != NB_TOK_ASSIGN && k != NB_TOK_ADD_ASSIGN)
		return -1;
	return nb_gradient_of(ps->p, bw->started ? bw->fwd_end : ps->p->tape.n,
			      text(ps, ps->tok.start), ps->tok.len);
}

/* statement = assignment | expr
 * and, in a backward pass, gradient line */
static int statement(struct parser *ps)
{
	struct expr e;
	int64_t of = gradient_target(ps);

	if (of >= 0)
		return gradient_line(ps, (uint32_t)of);
	if (ps->tok.kind == NB_TOK_IDENT && peek(ps) == NB_TOK_ASSIGN)
		return assignment(ps);
	if (ps->tok.kind == NB_TOK_IDENT && peek(ps) == NB_TOK_ADD_ASSIGN)
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, ps->tok.len,
				"'+=' adds to a gradient: '%.*s' is not dNAME or "
				"grad_NAME for a name of the forward program",
				(int)ps->tok.len, text(ps, ps->tok.start));
	if (ps->bw && ps->bw->started)
		return nb_parser_unexpected(ps, "a gradient line (dNAME = ... "
					    "or dNAME += ...)");
	if (nb_parse_expression(ps, &e))
		return ps->d->status;
	ps->p->output = e.node;
	ps->p->outname = (struct nb_span){ 0, 0 };
	ps->bare = (struct nb_span){ (uint32_t)e.start,
				     (uint32_t)(e.end - e.start) };
	return 0;
}

/* What follows a complete statement when it is not a separator. */
static int statement_end_error(struct parser *ps)
{
	switch (ps->tok.kind) {
	case NB_TOK_NUMBER:
	case NB_TOK_IDENT:
	case NB_TOK_LPAREN:
		nb_parser_unexpected(ps, "an operator");
		strncat(ps->d->msg, " (there is no implicit multiplication)",
			sizeof ps->d->msg - strlen(ps->d->msg) - 1);
		return ps->d->status;
	case NB_TOK_RPAREN:
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, 1,
				"unmatched ')'");
	case NB_TOK_RBRACKET:
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, 1,
				"unmatched ']'");
	case NB_TOK_ASSIGN:
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, 1,
				"only a name can be assigned");
	default:
		return nb_parser_unexpected(ps, "an operator, ';' or end of line");
	}
}

/* A bare expression before the last statement: its value can never be
 * used, and it is most often a line that was meant to continue (a line
 * that starts with "+ y" is a statement of its own). */
static int unused_value(struct parser *ps)
{
	struct nb_span s = ps->bare;

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
static int program(struct parser *ps)
{
	int statements = 0, r, unused;

	for (;;) {
		while (is_separator(ps->tok.kind))
			next(ps);
		if (ps->tok.kind == NB_TOK_EOF)
			break;
		if ((r = statement(ps)) != 0)
			return r;
		statements++;
		if (ps->tok.kind != NB_TOK_EOF && !is_separator(ps->tok.kind))
			return statement_end_error(ps);
		unused = ps->p->outname.len == 0;
		while (is_separator(ps->tok.kind))
			next(ps);
		if (unused && ps->tok.kind != NB_TOK_EOF)
			return unused_value(ps);
	}
	if (statements == 0)
		return nb_error(ps->d, NB_EUSAGE, ps->tok.start, 0,
				"empty program: nothing to differentiate");
	return 0;
}

static int parse(struct nb_program *p, struct nb_backward *bw,
		 struct nb_diag *d)
{
	struct parser ps;
	int r;

	nb_parser_open(&ps, p, bw, d, 0);
	r = program(&ps);
	if (r == 0)
		r = nb_fold_run(&ps.fold, p, d);
	nb_parser_close(&ps);
	return r;
}

int nb_parse(struct nb_program *p, struct nb_diag *d)
{
	return parse(p, NULL, d);
}

int nb_parse_backward(struct nb_program *p, struct nb_backward *bw,
		      struct nb_diag *d)
{
	memset(bw, 0, sizeof *bw);
	return parse(p, bw, d);
}

int nb_parse_expr(struct nb_program *p, size_t from, struct nb_diag *d)
{
	struct parser ps;
	struct expr e;
	int r;

	nb_parser_open(&ps, p, NULL, d, from);
	skip_newlines(&ps);
	r = nb_parse_expression(&ps, &e);
	if (r == 0 && ps.tok.kind != NB_TOK_EOF)
		r = statement_end_error(&ps);
	if (r == 0)
		p->output = e.node;
	nb_parser_close(&ps);
	return r;
}
