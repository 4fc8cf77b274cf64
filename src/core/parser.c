/* parser.c - from program text to tape.
 *
 * Nodes are pushed in post-order as their rules complete, so the tape is
 * topologically ordered by construction.  All binary operators go through
 * one precedence loop (expr) driven by the binding powers in ops.def.
 * Statements are parsed by recursive descent; expressions, which may nest
 * millions deep, by the same rules run on a stack of frames of their own. */
#include "core/parser.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/domain.h"
#include "core/lexer.h"
#include "core/sweep.h"
#include "num/numfmt.h"

/* A construct around the expression being parsed, finished when that
 * expression ends. */
enum frame_kind { FRAME_BINARY, FRAME_PREFIX, FRAME_PAREN, FRAME_CALL };

struct frame {
	unsigned char kind;     /* enum frame_kind */
	unsigned char op;       /* enum nb_op of a binary, prefix or call */
	unsigned char constant; /* binary: the left operand is constant;
				 * call: the arguments so far all are */
	signed char limit;      /* binding power of the enclosing expression
				 * (those of ops.def are all below 128) */
	uint32_t start;         /* where the construct's text starts */
	union {
		uint32_t node;  /* binary: the left operand */
		uint32_t base;  /* call: its first argument in args */
	};
};

/* Entries of each table of spellings seen lately. */
#define NB_SEEN 32

struct parser {
	struct nb_program *p;
	struct nb_lexer lx;
	struct nb_token tok;    /* the current token */
	struct nb_token ahead;  /* the one after it, when has_ahead */
	int has_ahead;
	struct nb_diag *d;
	int paren;              /* open ( : newlines inside are spaces */
	struct nb_span bare;    /* the text of the last statement, when it
				 * is an expression that names nothing */
	struct frame *frames;   /* open constructs, innermost last */
	size_t nframes, framecap;
	uint32_t *args;         /* arguments of the calls being parsed */
	size_t nargs, argcap;
	/* Infix and prefix operators by their one-byte spelling, or -1:
	 * nb_op_infix searches the op table by string, too slow for every
	 * token of a large program. */
	signed char infix[128], prefix[128];
	/* The functions and numbers read lately, by a hash of their text:
	 * finding a function is a search by string and reading a number a
	 * strtod, and a large program spells the same few many times. */
	struct nb_span fn_seen[NB_SEEN], num_seen[NB_SEEN];
	int fn_op[NB_SEEN];
	double num_value[NB_SEEN];
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
	if (ps->has_ahead) {
		ps->tok = ps->ahead;
		ps->has_ahead = 0;
	} else {
		nb_lex_into(&ps->lx, &ps->tok);
	}
}

/* The kind of the token after the current one. */
static enum nb_tok peek(struct parser *ps)
{
	if (!ps->has_ahead) {
		nb_lex_into(&ps->lx, &ps->ahead);
		ps->has_ahead = 1;
	}
	return ps->ahead.kind;
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

static struct nb_span span_of(struct nb_token t)
{
	return (struct nb_span){ (uint32_t)t.start, (uint32_t)t.len };
}

/* Whether the text of token t is the one remembered in its slot *k of
 * table (fn_seen or num_seen). */
static int seen(const struct parser *ps, const struct nb_span *table,
		struct nb_token t, size_t *k)
{
	const char *s = text(ps, t.start);

	*k = ((unsigned char)s[0] * 31u + (unsigned char)s[t.len - 1] +
	      t.len) % NB_SEEN;
	return table[*k].len == t.len &&
	       nb_same_bytes(text(ps, table[*k].start), s, t.len);
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

/* The value of the number token t, which must be finite and, unless it
 * is 0, not round to 0. */
static int number_value(struct parser *ps, struct nb_token t, double *value)
{
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
	*value = v;
	return 0;
}

/* number = digits [ "." digits ] [ exponent ] | "." digits [ exponent ] */
static int number(struct parser *ps, struct expr *out)
{
	struct nb_token t = ps->tok;
	size_t k;

	if (!seen(ps, ps->num_seen, t, &k)) {
		if (number_value(ps, t, &ps->num_value[k]))
			return ps->d->status;
		ps->num_seen[k] = span_of(t);
	}
	if (push(ps, NB_OP_CONST, t.start, t.start + t.len, NULL, 0, out))
		return ps->d->status;
	ps->p->tape.value[out->node] = ps->num_value[k];
	out->constant = 1;
	next(ps);
	return 0;
}

/* name = identifier: a named node, an input variable or a constant.
 * Names in the table come first: they are most of the identifiers, and
 * no constant or function name is ever entered there. */
static int name(struct parser *ps, struct expr *out)
{
	struct nb_token t = ps->tok;
	struct nb_span span = { (uint32_t)t.start, (uint32_t)t.len };
	int64_t node = nb_symtab_find(&ps->p->names, text(ps, t.start), t.len);
	uint32_t id;
	double v;

	if (node < 0 && nb_constant(text(ps, t.start), t.len, &v)) {
		if (push(ps, NB_OP_CONST, t.start, t.start + t.len, NULL, 0,
			 out))
			return ps->d->status;
		ps->p->tape.value[out->node] = v;
		out->constant = 1;
		next(ps);
		return 0;
	}
	if (node < 0 && nb_op_function(text(ps, t.start), t.len) >= 0)
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"'%.*s' is a function: call it as %.*s(...)",
				(int)t.len, text(ps, t.start), (int)t.len,
				text(ps, t.start));
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

/* Not yet looked up, in parser.infix and parser.prefix. */
#define UNKNOWN_OP (-2)

/* The op that the current operator token spells in table, looked up with
 * find on the first use of each spelling. */
static int token_op(struct parser *ps, signed char *table,
		    int (*find)(const char *, size_t))
{
	size_t len;
	const char *s = nb_token_opspelling(&ps->lx, &ps->tok, &len);
	unsigned char c = (unsigned char)s[0] & 127;

	if (len != 1)
		return find(s, len);
	if (table[c] == UNKNOWN_OP)
		table[c] = (signed char)find(s, len);
	return table[c];
}

/* The binary operator the current token spells, or -1. */
static int infix(struct parser *ps)
{
	if (ps->paren > 0)
		skip_newlines(ps);
	if (ps->tok.kind != NB_TOK_OP)
		return -1;
	return token_op(ps, ps->infix, nb_op_infix);
}

/* Nesting is counted where an operand starts: the statement is one
 * level and each open frame one more. */
static int too_deep(struct parser *ps)
{
	if (ps->nframes < NB_MAX_DEPTH)
		return 0;
	return nb_error(ps->d, NB_EUSAGE, ps->tok.start, ps->tok.len,
			"expression nested deeper than %d levels", NB_MAX_DEPTH);
}

/* A new frame of this kind for the construct starting at start, or NULL
 * when out of memory.  Filled in place: a frame built on the C stack and
 * copied here is read back before its bytes are all stored, a stall. */
static struct frame *open_frame(struct parser *ps, enum frame_kind kind,
				int limit, size_t start)
{
	struct frame *f;

	if (ps->nframes == ps->framecap &&
	    nb_grow((void **)&ps->frames, &ps->framecap, ps->nframes + 1,
		    sizeof *ps->frames)) {
		oom(ps);
		return NULL;
	}
	f = &ps->frames[ps->nframes++];
	f->kind = (unsigned char)kind;
	f->op = 0;
	f->constant = 0;
	f->limit = (signed char)limit;
	f->start = (uint32_t)start;
	f->node = 0;
	return f;
}

/* Drops the top frame, and gives memory back as nesting unwinds: the
 * frames of a deep program would stay resident beside all the tape
 * built while they close. */
static void pop_frame(struct parser *ps)
{
	struct frame *f;

	ps->nframes--;
	if (ps->framecap < 4096 || ps->nframes > ps->framecap / 4)
		return;
	f = nb_realloc(ps->frames, ps->framecap / 2 * sizeof *f);
	if (f) {
		ps->frames = f;
		ps->framecap /= 2;
	}
}

/* "(" opens an expression that binds everything up to its ")". */
static int open_paren(struct parser *ps, int *limit)
{
	if (!open_frame(ps, FRAME_PAREN, *limit, ps->tok.start))
		return ps->d->status;
	next(ps);
	skip_newlines(ps);
	ps->paren++;
	*limit = 0;
	return 0;
}

/* A prefix operator's operand parses with the operator's RBP, so it takes
 * in ^ but not * or +. */
static int open_prefix(struct parser *ps, int *limit)
{
	int op = token_op(ps, ps->prefix, nb_op_prefix);
	struct frame *f;

	if (op < 0)
		return unexpected(ps, "an expression");
	if (!(f = open_frame(ps, FRAME_PREFIX, *limit, ps->tok.start)))
		return ps->d->status;
	f->op = (unsigned char)op;
	next(ps);
	skip_newlines(ps);
	*limit = nb_ops[op].rbp;
	return 0;
}

/* The right operand of op, whose left operand is *lhs. */
static int open_binary(struct parser *ps, int op, int *limit,
		       const struct expr *lhs)
{
	struct frame *f = open_frame(ps, FRAME_BINARY, *limit, lhs->start);

	if (!f)
		return ps->d->status;
	f->op = (unsigned char)op;
	f->constant = (unsigned char)lhs->constant;
	f->node = lhs->node;
	next(ps);
	skip_newlines(ps);
	*limit = nb_ops[op].rbp;
	return 0;
}

/* The function the identifier name calls, or -1. */
static int function(struct parser *ps, struct nb_token name)
{
	size_t k;
	int op;

	if (seen(ps, ps->fn_seen, name, &k))
		return ps->fn_op[k];
	op = nb_op_function(text(ps, name.start), name.len);
	if (op >= 0) {
		ps->fn_seen[k] = span_of(name);
		ps->fn_op[k] = op;
	}
	return op;
}

static int unknown_function(struct parser *ps, struct nb_token name)
{
	const char *near = nb_op_nearest_function(text(ps, name.start),
						  name.len);

	/* A name may be megabytes long: show 40 bytes of it. */
	nb_error(ps->d, NB_EUSAGE, name.start, name.len,
		 "unknown function '%.*s%s'",
		 (int)(name.len > 40 ? 40 : name.len), text(ps, name.start),
		 name.len > 40 ? "..." : "");
	if (near)
		snprintf(ps->d->msg + strlen(ps->d->msg),
			 sizeof ps->d->msg - strlen(ps->d->msg),
			 "; did you mean '%s'?", near);
	return ps->d->status;
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

/* At the ")" of the call in the top frame: pushes the call as *out. */
static int close_call(struct parser *ps, int *limit, struct expr *out)
{
	struct frame f = ps->frames[ps->nframes - 1];
	size_t nargs = ps->nargs - f.base, end = ps->tok.start + 1;

	pop_frame(ps);
	ps->paren--;
	if (!nb_op_arity_ok((enum nb_op)f.op, nargs))
		return arity_error(ps, (enum nb_op)f.op, f.start, end, nargs);
	if (push(ps, (enum nb_op)f.op, f.start, end, ps->args + f.base, nargs,
		 out))
		return ps->d->status;
	ps->nargs = f.base;
	out->constant = f.constant;
	*limit = f.limit;
	next(ps);
	return 0;
}

/* call = name "(" [ expr { "," expr } ] ")"
 * Arguments collect on ps->args; *out is the call when it has none. */
static int open_call(struct parser *ps, int *limit, struct expr *out,
		     int *done)
{
	struct nb_token name = ps->tok;
	int op = function(ps, name);
	struct frame *f;

	if (op < 0)
		return unknown_function(ps, name);
	next(ps);
	if (!(f = open_frame(ps, FRAME_CALL, *limit, name.start)))
		return ps->d->status;
	f->op = (unsigned char)op;
	f->constant = 1;
	f->base = (uint32_t)ps->nargs;
	ps->paren++;
	next(ps);
	skip_newlines(ps);
	*limit = 0;
	if (ps->tok.kind != NB_TOK_RPAREN)
		return 0;
	*done = 1;
	return close_call(ps, limit, out);
}

/* Opens every prefix operator, parenthesis and call in front of the
 * next atom (number, name or call without arguments), which goes to
 * *out. */
static int operand(struct parser *ps, int *limit, struct expr *out)
{
	int done = 0;

	for (;;) {
		switch (ps->tok.kind) {
		case NB_TOK_NUMBER:
			return number(ps, out);
		case NB_TOK_IDENT:
			if (peek(ps) != NB_TOK_LPAREN)
				return name(ps, out);
			if (open_call(ps, limit, out, &done))
				return ps->d->status;
			break;
		case NB_TOK_LPAREN:
			if (open_paren(ps, limit))
				return ps->d->status;
			break;
		case NB_TOK_OP:
			if (open_prefix(ps, limit))
				return ps->d->status;
			break;
		default:
			return unexpected(ps, "an expression");
		}
		if (done)
			return 0;
		if (too_deep(ps))
			return ps->d->status;
	}
}

/* The "(" of the call whose name starts at start.  Only an error asks,
 * so frames, a million of them in a deep program, do not keep it. */
static size_t call_paren(const struct parser *ps, size_t start)
{
	struct nb_lexer lx;

	nb_lexer_init(&lx, text(ps, start), ps->p->src.len - start);
	nb_lex(&lx);
	return start + nb_lex(&lx).start;
}

/* The argument *arg of the call in the top frame is complete: the call
 * ends, or after a "," *more asks for the next argument. */
static int call_arg(struct parser *ps, int *limit, struct expr *arg,
		    int *more)
{
	struct frame *f = &ps->frames[ps->nframes - 1];

	if (ps->nargs == ps->argcap &&
	    nb_grow((void **)&ps->args, &ps->argcap, ps->nargs + 1,
		    sizeof *ps->args))
		return oom(ps);
	ps->args[ps->nargs++] = arg->node;
	f->constant &= (unsigned char)arg->constant;
	skip_newlines(ps);
	if (ps->tok.kind == NB_TOK_RPAREN)
		return close_call(ps, limit, arg);
	if (ps->tok.kind != NB_TOK_COMMA)
		return unclosed(ps, "',' or ')'", call_paren(ps, f->start));
	next(ps);
	skip_newlines(ps);
	*limit = 0;
	*more = 1;
	return 0;
}

/* The operand *out of the top frame is complete: *out becomes the
 * frame's whole construct, or *more asks for another operand. */
static int close_frame(struct parser *ps, int *limit, struct expr *out,
		       int *more)
{
	struct frame f = ps->frames[ps->nframes - 1];
	uint32_t in[2] = { f.node, out->node };

	if (f.kind == FRAME_CALL)
		return call_arg(ps, limit, out, more);
	if (f.kind == FRAME_PAREN) {
		skip_newlines(ps);
		ps->paren--;
		if (ps->tok.kind != NB_TOK_RPAREN)
			return unclosed(ps, "')'", f.start);
		out->start = f.start;
		out->end = ps->tok.start + 1;
		next(ps);
	} else if (push(ps, (enum nb_op)f.op, f.start, out->end,
			f.kind == FRAME_BINARY ? in : in + 1,
			f.kind == FRAME_BINARY ? 2 : 1, out)) {
		return ps->d->status;
	}
	if (f.kind == FRAME_BINARY)
		out->constant = out->constant && f.constant;
	pop_frame(ps);
	*limit = f.limit;
	return 0;
}

/* expr = unary { binop expr }, where an operator binds while its left
 * binding power exceeds the limit of the expression being parsed.  Every
 * construct still open is a frame on ps->frames, not a C call, so nesting
 * uses a few bytes of heap per level and never the C stack. */
static int expr(struct parser *ps, struct expr *out)
{
	size_t base = ps->nframes;
	int limit = 0, op, more;

	for (;;) {
		if (operand(ps, &limit, out))
			return ps->d->status;
		for (more = 0; !more;) {
			op = infix(ps);
			if (op >= 0 && nb_ops[op].lbp > limit) {
				if (open_binary(ps, op, &limit, out))
					return ps->d->status;
				break;
			}
			if (ps->nframes == base)
				return 0;
			if (close_frame(ps, &limit, out, &more))
				return ps->d->status;
		}
		if (too_deep(ps))
			return ps->d->status;
	}
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
	if (nb_op_function(s, name.len) >= 0)
		return nb_error(d, NB_EUSAGE, name.start, name.len,
				"cannot assign to the function '%.*s'",
				(int)name.len, s);
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

	if (nb_check_assignable(ps->p->src.text, name, ps->d))
		return ps->d->status;
	next(ps);
	next(ps);
	skip_newlines(ps);
	if (expr(ps, &rhs))
		return ps->d->status;
	/* Looked up after the right side, which may use the name itself. */
	old = nb_symtab_find(&p->names, text(ps, t.start), t.len);
	if (redefinition(ps, name, old, rhs.constant))
		return ps->d->status;
	if (rhs.constant) {
		double v;
		nb_forward(&p->tape, mark, p->tape.n);
		v = p->tape.value[rhs.node];
		if (nb_domain_note_constant(p, mark, p->tape.n))
			return oom(ps);
		nb_tape_truncate(&p->tape, mark);
		if (bind_constant(ps, name, old, v, &p->output))
			return ps->d->status;
	} else {
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
		p->output = rhs.node;
	}
	p->outname = name;
	return 0;
}

/* statement = assignment | expr */
static int statement(struct parser *ps)
{
	struct expr e;

	if (ps->tok.kind == NB_TOK_IDENT && peek(ps) == NB_TOK_ASSIGN)
		return assignment(ps);
	if (expr(ps, &e))
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
int nb_parse(struct nb_program *p, struct nb_diag *d)
{
	struct parser ps = { .p = p, .d = d };
	int statements = 0, r = 0, unused;

	memset(ps.infix, UNKNOWN_OP, sizeof ps.infix);
	memset(ps.prefix, UNKNOWN_OP, sizeof ps.prefix);
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
		unused = p->outname.len == 0;
		while (is_separator(ps.tok.kind))
			next(&ps);
		if (unused && ps.tok.kind != NB_TOK_EOF) {
			r = unused_value(&ps);
			break;
		}
	}
	if (r == 0 && statements == 0)
		r = nb_error(d, NB_EUSAGE, ps.tok.start, 0,
			     "empty program: nothing to differentiate");
	nb_free(ps.args);
	nb_free(ps.frames);
	return r;
}

int nb_parse_expr(struct nb_program *p, size_t from, struct nb_diag *d)
{
	struct parser ps = { .p = p, .d = d };
	struct expr e;
	int r;

	memset(ps.infix, UNKNOWN_OP, sizeof ps.infix);
	memset(ps.prefix, UNKNOWN_OP, sizeof ps.prefix);
	nb_lexer_init(&ps.lx, p->src.text, p->src.len);
	ps.lx.pos = from;
	next(&ps);
	skip_newlines(&ps);
	r = expr(&ps, &e);
	if (r == 0 && ps.tok.kind != NB_TOK_EOF)
		r = statement_end_error(&ps);
	if (r == 0)
		p->output = e.node;
	nb_free(ps.args);
	nb_free(ps.frames);
	return r;
}
