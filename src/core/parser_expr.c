/* parser_expr.c - expressions, by a machine of explicit frames.
 *
 * The grammar (grammar/nabla.ebnf, section 4), over the binding powers
 * LBP and RBP of ops.def:
 *
 *   expr    = unary { binop expr }    a binop binds while its LBP exceeds
 *                                     the limit; its right expr parses
 *                                     with its RBP as the limit
 *   unary   = prefix unary | primary  the operand, with the prefix's RBP
 *   primary = number | name | call | "(" expr ")"
 *   call    = function "(" [ expr { "," expr } ] ")"
 *
 * As recursive descent, expr would be Lua's subexpr:
 *
 *   expr(limit):  e = unary()
 *                 while next is a binop with LBP > limit:
 *                     e = node(binop, e, expr(RBP))
 *                 return e
 *
 * But programs nest a million levels deep, past any C stack.  So every
 * rule that such a recursion would leave open is a frame on a stack of
 * our own, a few bytes of heap each: a prefix operator waiting for its
 * operand, a "(" for its ")", a call for its next argument, a binary
 * operator for its right operand.  A frame keeps the limit of the
 * expression it interrupted; the current limit is that of the innermost
 * open expression.
 *
 * The machine alternates two steps until no frame of its own is open and
 * no operator binds:
 *
 *   WANT_OPERAND  opens a frame for every prefix operator, "(" and
 *                 "function(" in front of the next atom (a number, a
 *                 name, or a call with no arguments), then reads the
 *                 atom: that is the operand e.
 *   HAVE_OPERAND  a binop with LBP > limit opens a binary frame over its
 *                 left operand e (limit: its RBP): WANT_OPERAND.  Any
 *                 other token closes the innermost frame over e: a prefix
 *                 or binary frame becomes its node, a "(" takes its ")",
 *                 a call takes e as an argument and then its ")" (the
 *                 call becomes e) or a "," (WANT_OPERAND for the next).
 *
 * Nesting is counted where an operand starts: the statement is one level
 * and each open frame one more, at most NB_MAX_DEPTH.  Nodes are pushed
 * in post-order as constructs close, so the tape is topologically ordered
 * by construction. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/parser_state.h"
#include "num/numfmt.h"

enum frame_kind {
	FRAME_BINARY, FRAME_PREFIX, FRAME_PAREN,
	FRAME_DOT,      /* a.dot( b ): node a, waiting for b's ")" */
	/* The lists, whose items collect on ps->args: */
	FRAME_CALL, FRAME_ARRAY, FRAME_INDEX
};

struct nb_frame {
	unsigned char kind;     /* enum frame_kind */
	unsigned char op;       /* enum nb_op of a binary, prefix or call */
	unsigned char constant; /* binary: the left operand is constant;
				 * list: the items so far all are */
	signed char limit;      /* binding power of the enclosing expression
				 * (those of ops.def are all below 128) */
	uint32_t start;         /* where the construct's text starts */
	union {
		uint32_t node;  /* binary: the left operand */
		uint32_t base;  /* list: its first item in args (an
				 * index's first is the value indexed) */
	};
};

/* What the machine does next. */
enum step { WANT_OPERAND, HAVE_OPERAND, FAILED };

static struct nb_frame *top(struct parser *ps)
{
	return &ps->frames[ps->nframes - 1];
}

/* "expected WHAT to close '(' at LINE:COL, found THIS", for the "(" or
 * "[" at byte open. */
static int unclosed(struct parser *ps, const char *what, size_t open)
{
	char expected[80];
	size_t line, col;

	nb_source_position(&ps->p->src, open, &line, &col);
	snprintf(expected, sizeof expected, "%s to close '%s' at %zu:%zu",
		 what, *text(ps, open) == '(' ? "(" : "[", line, col);
	return nb_parser_unexpected(ps, expected);
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

/* The value of the number token t, which must be finite and, unless it
 * is 0, not round to 0. */
static int number_value(struct parser *ps, struct nb_token t, double *value)
{
	int n = (int)(t.len > 40 ? 40 : t.len);
	double v;

	if (nb_read_number(text(ps, t.start), t.len, &v) || isnan(v))
		return nb_parser_unexpected(ps, "a number");
	if (isinf(v))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"number '%.*s' is too large for a double", n,
				text(ps, t.start));
	if (nb_number_underflows(text(ps, t.start), t.len, v))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"number '%.*s' is too small for a double "
				"(it would be 0; write 0 if you mean it)", n,
				text(ps, t.start));
	*value = v;
	return 0;
}

/* A constant node of value v for the current token. */
static int constant(struct parser *ps, double v, struct expr *out)
{
	struct nb_token t = ps->tok;

	if (push(ps, NB_OP_CONST, t.start, t.start + t.len, NULL, 0, out))
		return ps->d->status;
	ps->p->tape.value[out->node] = v;
	out->constant = 1;
	next(ps);
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
	return constant(ps, ps->num_value[k], out);
}

/* name = identifier - reserved function name: a named node, an input
 * variable or a constant.  Names in the table come first: they are most
 * of the identifiers, and no constant or reserved function name is ever
 * entered there. */
static int name(struct parser *ps, struct expr *out)
{
	struct nb_token t = ps->tok;
	int64_t node = nb_symtab_find_hashed(&ps->p->names, text(ps, t.start),
					     t.len, t.hash);
	uint32_t id;
	double v;

	if (node < 0 && nb_constant(text(ps, t.start), t.len, &v))
		return constant(ps, v, out);
	if (node < 0 && nb_reserved_function(text(ps, t.start), t.len))
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"'%.*s' is a function: call it as %.*s(...)",
				(int)t.len, text(ps, t.start), (int)t.len,
				text(ps, t.start));
	if (node < 0 && ps->bw && ps->bw->started &&
	    nb_gradient_of(ps->p, ps->bw->fwd_end, text(ps, t.start),
			   t.len) >= 0)
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"'%.*s' is used before any line computes it",
				(int)t.len, text(ps, t.start));
	if (node >= 0)
		id = (uint32_t)node;
	else if (nb_parser_new_variable(ps, span_of(t), &id))
		return ps->d->status;
	*out = (struct expr){ id, t.start, t.start + t.len, 0 };
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
	size_t len = ps->tok.len;
	const char *s = text(ps, ps->tok.start);
	unsigned char c = (unsigned char)s[0] & 127;

	/* "**", the only longer spelling, is "^". */
	if (len != 1) {
		s = nb_token_opspelling(&ps->lx, &ps->tok, &len);
		return find(s, len);
	}
	if (table[c] == UNKNOWN_OP)
		table[c] = (signed char)find(s, len);
	return table[c];
}

/* The binary operator the current token spells, or -1. */
static int binop(struct parser *ps)
{
	if (ps->paren > 0)
		skip_newlines(ps);
	if (ps->tok.kind != NB_TOK_OP)
		return -1;
	/* Most operators are one byte seen before: no call. */
	if (ps->tok.len == 1 &&
	    ps->infix[*text(ps, ps->tok.start) & 127] != UNKNOWN_OP)
		return ps->infix[*text(ps, ps->tok.start) & 127];
	return token_op(ps, ps->infix, nb_op_infix);
}

static enum step too_deep(struct parser *ps)
{
	nb_error(ps->d, NB_EUSAGE, ps->tok.start, ps->tok.len,
		 "expression nested deeper than %d levels", NB_MAX_DEPTH);
	return FAILED;
}

/* A new frame of this kind for the construct starting at start, or NULL
 * when out of memory.  Filled in place: a frame built on the C stack and
 * copied here is read back before its bytes are all stored, a stall. */
static struct nb_frame *open_frame(struct parser *ps, enum frame_kind kind,
				   size_t start)
{
	struct nb_frame *f;

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
	f->limit = (signed char)ps->limit;
	f->start = (uint32_t)start;
	f->node = 0;
	return f;
}

/* Drops the top frame, and gives memory back as nesting unwinds: the
 * frames of a deep program would stay resident beside all the tape
 * built while they close. */
static void pop_frame(struct parser *ps)
{
	struct nb_frame *f;

	ps->nframes--;
	if (ps->framecap < 4096 || ps->nframes > ps->framecap / 4)
		return;
	f = nb_realloc(ps->frames, ps->framecap / 2 * sizeof *f);
	if (f) {
		ps->frames = f;
		ps->framecap /= 2;
	}
}

/* The "(" of a frame just opened, whose expr binds everything up to its
 * ")" (limit 0). */
static int open_paren_of(struct parser *ps)
{
	next(ps);
	skip_newlines(ps);
	ps->paren++;
	ps->limit = 0;
	return 0;
}

/* primary = "(" expr ")". */
static int open_paren(struct parser *ps)
{
	if (!open_frame(ps, FRAME_PAREN, ps->tok.start))
		return ps->d->status;
	return open_paren_of(ps);
}

/* unary = prefix unary: the operand parses with the operator's RBP, so
 * it takes in ^ but not * or +. */
static int open_prefix(struct parser *ps)
{
	int op = token_op(ps, ps->prefix, nb_op_prefix);
	struct nb_frame *f;

	if (op < 0)
		return nb_parser_unexpected(ps, "an expression");
	if (!(f = open_frame(ps, FRAME_PREFIX, ps->tok.start)))
		return ps->d->status;
	f->op = (unsigned char)op;
	next(ps);
	skip_newlines(ps);
	ps->limit = nb_ops[op].rbp;
	return 0;
}

/* expr = unary { binop expr }: the binop op over its left operand lhs;
 * its right expr parses with op's RBP. */
static int open_binary(struct parser *ps, int op, const struct expr *lhs)
{
	struct nb_frame *f = open_frame(ps, FRAME_BINARY, lhs->start);

	if (!f)
		return ps->d->status;
	f->op = (unsigned char)op;
	f->constant = (unsigned char)lhs->constant;
	f->node = lhs->node;
	next(ps);
	skip_newlines(ps);
	ps->limit = nb_ops[op].rbp;
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

/* "sum takes 1 or more arguments, got 0": the arguments a call of op
 * may have, in words. */
static int arity_error(struct parser *ps, enum nb_op op, size_t start,
		       size_t end, size_t nargs)
{
	const struct nb_opinfo *info = &nb_ops[op];

	if (info->arity == NB_VARIADIC)
		return nb_error(ps->d, NB_EUSAGE, start, end - start,
				"%s takes %s or more arguments, got %zu",
				info->fn, nb_op_reduction(op) >= 0 ? "1" : "2",
				nargs);
	if (info->arity == NB_ONE_OR_TWO)
		return nb_error(ps->d, NB_EUSAGE, start, end - start,
				"%s takes 1 or 2 arguments, got %zu", info->fn,
				nargs);
	nb_error(ps->d, NB_EUSAGE, start, end - start,
		 "%s takes %d argument%s, got %zu", info->fn, info->arity,
		 info->arity == 1 ? "" : "s", nargs);
	if (info->axis)
		snprintf(ps->d->msg + strlen(ps->d->msg),
			 sizeof ps->d->msg - strlen(ps->d->msg),
			 " (an axis is named: %s(X, axis=A))", info->fn);
	return ps->d->status;
}

/* nb_op_reduction(fn), remembered in ps->reduction. */
static int reduction(struct parser *ps, enum nb_op fn)
{
	if (ps->reduction[fn] == UNKNOWN_OP)
		ps->reduction[fn] = (signed char)nb_op_reduction(fn);
	return ps->reduction[fn];
}

/* The op of a call of fn with nargs arguments and attribute attr (an
 * axis= given, or 0): with one argument or an axis, sum, mean, max and
 * min reduce; or -1 after an error about the call [start, end). */
static int call_op(struct parser *ps, enum nb_op fn, size_t nargs,
		   int32_t attr, size_t start, size_t end)
{
	int op = reduction(ps, fn);

	if (op < 0 || (nargs != 1 && !attr))
		op = (int)fn;
	if (attr && nargs != 1) {
		nb_error(ps->d, NB_EUSAGE, start, end - start,
			 "%s with axis= takes 1 argument, got %zu",
			 nb_ops[op].fn, nargs);
		return -1;
	}
	if (!nb_op_arity_ok((enum nb_op)op, nargs)) {
		arity_error(ps, (enum nb_op)op, start, end, nargs);
		return -1;
	}
	return op;
}

/* At the closing ")" or "]" of the list in the top frame, whose call
 * has the attribute attr: the list becomes the node *out. */
static enum step close_list(struct parser *ps, struct expr *out,
			    int32_t attr)
{
	struct nb_frame f = *top(ps);
	size_t nargs = ps->nargs - f.base, end = ps->tok.start + 1;
	int op = f.kind == FRAME_ARRAY ? NB_OP_STACK
	       : f.kind == FRAME_INDEX ? NB_OP_INDEX
	       : call_op(ps, (enum nb_op)f.op, nargs, attr, f.start, end);

	pop_frame(ps);
	ps->paren--;
	if (op < 0 || push(ps, (enum nb_op)op, f.start, end,
			   ps->args + f.base, nargs, out))
		return FAILED;
	if (attr && nb_tape_set_attr(&ps->p->tape, out->node, attr)) {
		oom(ps);
		return FAILED;
	}
	ps->nargs = f.base;
	out->constant = f.constant;
	ps->limit = f.limit;
	next(ps);
	return HAVE_OPERAND;
}

/* Appends node to the items of the lists being parsed. */
static int push_item(struct parser *ps, uint32_t node)
{
	if (ps->nargs == ps->argcap &&
	    nb_grow((void **)&ps->args, &ps->argcap, ps->nargs + 1,
		    sizeof *ps->args))
		return oom(ps);
	ps->args[ps->nargs++] = node;
	return 0;
}

/* Opens a list of this kind, for the construct starting at start, at
 * its "(" or "[" (the current token), whose items parse with limit 0;
 * NULL when out of memory. */
static struct nb_frame *open_list(struct parser *ps, enum frame_kind kind,
				  size_t start)
{
	struct nb_frame *f = open_frame(ps, kind, start);

	if (!f)
		return NULL;
	f->constant = 1;
	f->base = (uint32_t)ps->nargs;
	ps->paren++;
	next(ps);
	skip_newlines(ps);
	ps->limit = 0;
	return f;
}

/* call = function "(" [ expr { "," expr } [ "," axis ] ] ")": opens the
 * call, whose arguments collect on ps->args; without any, the call is
 * *out. */
static enum step open_call(struct parser *ps, struct expr *out)
{
	struct nb_token name = ps->tok;
	int op = function(ps, name);
	struct nb_frame *f;

	if (op < 0) {
		unknown_function(ps, name);
		return FAILED;
	}
	next(ps);
	if (!(f = open_list(ps, FRAME_CALL, name.start)))
		return FAILED;
	f->op = (unsigned char)op;
	if (ps->tok.kind == NB_TOK_RPAREN)
		return close_list(ps, out, 0);
	return WANT_OPERAND;
}

/* array = "[" expr { "," expr } "]": opens the array literal, whose
 * elements a STACK node stacks. */
static enum step open_array(struct parser *ps)
{
	size_t open = ps->tok.start;

	if (!open_list(ps, FRAME_ARRAY, open))
		return FAILED;
	if (ps->tok.kind != NB_TOK_RBRACKET)
		return WANT_OPERAND;
	nb_error(ps->d, NB_EUSAGE, open, ps->tok.start + 1 - open,
		 "empty array literal: an array needs at least one element");
	return FAILED;
}

/* postfix = primary { ".T" | "[" expr { "," expr } "]" }: *out, the
 * primary so far, transposed, or the value an index opens over. */
static enum step postfix(struct parser *ps, struct expr *out)
{
	struct nb_frame *f;
	struct expr e = *out;

	if (ps->tok.kind == NB_TOK_DOT_DOT) {
		if (!(f = open_frame(ps, FRAME_DOT, e.start)))
			return FAILED;
		f->node = e.node;
		f->constant = (unsigned char)e.constant;
		next(ps);
		return open_paren_of(ps) ? FAILED : WANT_OPERAND;
	}
	if (ps->tok.kind == NB_TOK_DOT_T) {
		if (push(ps, NB_OP_TRANSPOSE, e.start,
			 ps->tok.start + ps->tok.len, &e.node, 1, out))
			return FAILED;
		out->constant = e.constant;
		next(ps);
		return HAVE_OPERAND;
	}
	if (push_item(ps, e.node) ||
	    !(f = open_list(ps, FRAME_INDEX, e.start)))
		return FAILED;
	f->base--;
	f->constant = (unsigned char)e.constant;
	if (ps->tok.kind != NB_TOK_RBRACKET)
		return WANT_OPERAND;
	nb_parser_unexpected(ps, "an index");
	return FAILED;
}

/* Whether a postfix operator comes next. */
static int at_postfix(struct parser *ps)
{
	if (ps->paren > 0)
		skip_newlines(ps);
	return ps->tok.kind == NB_TOK_DOT_T || ps->tok.kind == NB_TOK_DOT_DOT ||
	       ps->tok.kind == NB_TOK_LBRACKET;
}

/* The "(" or "[" that opens the construct at start in the top frame
 * (a call's name, a parenthesis, a bracket, or an indexed value): the
 * last bracket that the text from start up to the current token leaves
 * open, as everything opened after it is closed by now.  Only an error
 * asks, so frames, a million of them in a deep program, do not keep
 * it. */
static size_t open_bracket(const struct parser *ps, size_t start)
{
	struct nb_lexer lx;
	struct nb_token t;
	size_t open = start;
	long depth = 0;

	nb_lexer_init(&lx, text(ps, start), ps->tok.start - start);
	lx.python = ps->lx.python;
	while ((t = nb_lex(&lx)).kind != NB_TOK_EOF) {
		if (depth == 0 && nb_token_depth(t.kind) > 0)
			open = start + t.start;
		depth += nb_token_depth(t.kind);
	}
	return open;
}

/* axis = "axis" "=" [ "-" ] digits: its value into *axis. */
static int axis_value(struct parser *ps, int32_t *axis)
{
	struct nb_token t = ps->tok;
	int neg = t.kind == NB_TOK_OP && *text(ps, t.start) == '-';
	size_t digits = 0;

	if (neg) {
		next(ps);
		t = ps->tok;
	}
	while (t.kind == NB_TOK_NUMBER && digits < t.len &&
	       text(ps, t.start)[digits] >= '0' &&
	       text(ps, t.start)[digits] <= '9')
		digits++;
	if (t.kind != NB_TOK_NUMBER || digits != t.len)
		return nb_parser_unexpected(ps, "an integer after axis=");
	if (digits > 9)
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"axis %s%.*s is out of range", neg ? "-" : "",
				(int)(t.len > 40 ? 40 : t.len),
				text(ps, t.start));
	*axis = 0;
	for (size_t i = 0; i < digits; i++)
		*axis = *axis * 10 + (text(ps, t.start)[i] - '0');
	if (neg)
		*axis = -*axis;
	next(ps);
	return 0;
}

/* The functions that take axis=, for a message: "sum, mean, ...". */
static void axis_functions(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < NB_OP_COUNT && len < size; i++)
		if (nb_ops[i].axis)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? ", " : "", nb_ops[i].fn);
}

/* Why the keyword argument at the current token (an identifier before
 * "=") of the call in frame f cannot be, or 0 if it is its axis. */
static int bad_keyword(struct parser *ps, const struct nb_frame *f)
{
	struct nb_token t = ps->tok;
	int fn = f->op, op = nb_op_reduction((enum nb_op)fn);
	size_t eq = ps->ahead.start + 1;        /* past the "=" */
	char list[160];

	if (t.len != 4 || memcmp(text(ps, t.start), "axis", 4) != 0)
		return nb_error(ps->d, NB_EUSAGE, t.start, t.len,
				"unknown keyword argument '%.*s' (the only "
				"one is axis=)", (int)(t.len > 40 ? 40 : t.len),
				text(ps, t.start));
	if (!nb_ops[op >= 0 ? op : fn].axis) {
		axis_functions(list, sizeof list);
		return nb_error(ps->d, NB_EUSAGE, t.start, eq - t.start,
				"%s takes no axis= (only %s do)",
				nb_ops[fn].fn, list);
	}
	if (ps->nargs == f->base)
		return nb_error(ps->d, NB_EUSAGE, t.start, eq - t.start,
				"axis= follows the value it reduces: "
				"%s(X, axis=A)", nb_ops[fn].fn);
	return 0;
}

/* axis = "axis" "=" [ "-" ] digits, the last argument of the call in
 * the top frame, which then ends: the call becomes *out. */
static enum step keyword(struct parser *ps, struct expr *out)
{
	const struct nb_frame *f = top(ps);
	int32_t axis = 0;

	if (bad_keyword(ps, f))
		return FAILED;
	next(ps);
	next(ps);
	skip_newlines(ps);
	if (axis_value(ps, &axis))
		return FAILED;
	skip_newlines(ps);
	if (ps->tok.kind != NB_TOK_RPAREN) {
		unclosed(ps, "')'", open_bracket(ps, f->start));
		return FAILED;
	}
	return close_list(ps, out, nb_attr_of_axis(axis));
}

/* An identifier as an operand: a call, a keyword argument of the call
 * it is in, or a name. */
static enum step identifier(struct parser *ps, struct expr *out)
{
	enum nb_tok k = peek(ps);

	if (k == NB_TOK_LPAREN)
		return open_call(ps, out);
	if (k == NB_TOK_ASSIGN && ps->nframes > 0 &&
	    top(ps)->kind == FRAME_CALL)
		return keyword(ps, out);
	return name(ps, out) ? FAILED : HAVE_OPERAND;
}

/* WANT_OPERAND: opens every prefix operator, "(", "[" and call in front
 * of the next atom, which becomes *out. */
static enum step operand(struct parser *ps, struct expr *out)
{
	enum step s = WANT_OPERAND;

	while (s == WANT_OPERAND) {
		if (ps->nframes >= NB_MAX_DEPTH)
			return too_deep(ps);
		switch (ps->tok.kind) {
		case NB_TOK_NUMBER:
			return number(ps, out) ? FAILED : HAVE_OPERAND;
		case NB_TOK_IDENT:
			s = identifier(ps, out);
			break;
		case NB_TOK_LPAREN:
			s = open_paren(ps) ? FAILED : WANT_OPERAND;
			break;
		case NB_TOK_LBRACKET:
			s = open_array(ps);
			break;
		case NB_TOK_OP:
			s = open_prefix(ps) ? FAILED : WANT_OPERAND;
			break;
		default:
			nb_parser_unexpected(ps, "an expression");
			return FAILED;
		}
	}
	return s;
}

/* The item *item of the list in the top frame is complete: the list
 * ends, or a "," asks for the next item. */
static enum step list_item(struct parser *ps, struct expr *item)
{
	struct nb_frame *f = top(ps);
	enum nb_tok end = f->kind == FRAME_CALL ? NB_TOK_RPAREN
						: NB_TOK_RBRACKET;

	if (push_item(ps, item->node))
		return FAILED;
	f->constant &= (unsigned char)item->constant;
	skip_newlines(ps);
	if (ps->tok.kind == end)
		return close_list(ps, item, 0);
	if (ps->tok.kind != NB_TOK_COMMA) {
		unclosed(ps, end == NB_TOK_RPAREN ? "',' or ')'" : "',' or ']'",
			 open_bracket(ps, f->start));
		return FAILED;
	}
	next(ps);
	skip_newlines(ps);
	ps->limit = 0;
	return WANT_OPERAND;
}

/* HAVE_OPERAND, when no operator binds: the top frame closes over *out,
 * which becomes the frame's whole construct, or (a list's ",") the
 * machine wants another operand. */
static enum step close_frame(struct parser *ps, struct expr *out)
{
	struct nb_frame f = *top(ps);
	uint32_t in[2] = { f.node, out->node };

	if (f.kind >= FRAME_CALL)
		return list_item(ps, out);
	if (f.kind == FRAME_PAREN || f.kind == FRAME_DOT) {
		skip_newlines(ps);
		ps->paren--;
		if (ps->tok.kind != NB_TOK_RPAREN) {
			unclosed(ps, "')'", f.kind == FRAME_DOT
					    ? open_bracket(ps, f.start) : f.start);
			return FAILED;
		}
		if (f.kind == FRAME_DOT &&
		    push(ps, NB_OP_MATMUL, f.start, ps->tok.start + 1, in, 2,
			 out))
			return FAILED;
		out->start = f.start;
		out->end = ps->tok.start + 1;
		next(ps);
	} else if (push(ps, (enum nb_op)f.op, f.start, out->end,
			f.kind == FRAME_BINARY ? in : in + 1,
			f.kind == FRAME_BINARY ? 2 : 1, out)) {
		return FAILED;
	}
	if (f.kind == FRAME_BINARY || f.kind == FRAME_DOT)
		out->constant = out->constant && f.constant;
	pop_frame(ps);
	ps->limit = f.limit;
	return HAVE_OPERAND;
}

/* expr = unary { binop expr }: the machine, run until the frames it
 * opened are all closed and no operator binds.  Postfix operators apply
 * to an operand as soon as it is complete, before any other operator
 * sees it. */
int nb_parse_expression(struct parser *ps, struct expr *out)
{
	size_t base = ps->nframes;
	enum step s = WANT_OPERAND;
	int op;

	ps->limit = 0;
	while (s != FAILED) {
		if (s == WANT_OPERAND) {
			s = operand(ps, out);
			continue;
		}
		if (at_postfix(ps)) {
			s = postfix(ps, out);
			continue;
		}
		op = binop(ps);
		if (op >= 0 && nb_ops[op].lbp > ps->limit)
			s = open_binary(ps, op, out) ? FAILED
							     : WANT_OPERAND;
		else if (ps->nframes == base)
			return 0;
		else
			s = close_frame(ps, out);
	}
	return ps->d->status;
}

void nb_parser_open(struct parser *ps, struct nb_program *p,
		    struct nb_backward *bw, struct nb_diag *d, size_t from)
{
	*ps = (struct parser){ .p = p, .d = d, .bw = bw };
	nb_fold_init(&ps->fold, p->tape.nospan);
	memset(ps->infix, UNKNOWN_OP, sizeof ps->infix);
	memset(ps->prefix, UNKNOWN_OP, sizeof ps->prefix);
	memset(ps->reduction, UNKNOWN_OP, sizeof ps->reduction);
	nb_lexer_init(&ps->lx, p->src.text, p->src.len);
	ps->lx.python = bw != NULL;
	ps->lx.pos = from;
	next(ps);
}

void nb_parser_close(struct parser *ps)
{
	nb_fold_free(&ps->fold);
	nb_free(ps->args);
	nb_free(ps->frames);
}
