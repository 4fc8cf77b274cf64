/* parser_state.h - what the parser's two files share: its state, the
 * token cursor and the pushing of nodes.
 *
 * parser.c parses programs and statements, parser_expr.c expressions;
 * nothing outside the parser includes this. */
#ifndef NABLA_PARSER_STATE_H
#define NABLA_PARSER_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "core/backward.h"
#include "core/diag.h"
#include "core/fold.h"
#include "core/lexer.h"
#include "core/program.h"

/* Entries of each table of spellings seen lately. */
#define NB_SEEN 32

struct nb_frame;

struct parser {
	struct nb_program *p;
	struct nb_lexer lx;
	struct nb_token tok;    /* the current token */
	struct nb_token ahead;  /* the one after it, when has_ahead */
	int has_ahead;
	struct nb_diag *d;
	struct nb_backward *bw; /* the lines of a backward pass, or NULL */
	int paren;              /* open ( : newlines inside are spaces */
	struct nb_span bare;    /* the text of the last statement, when it
				 * is an expression that names nothing */
	struct nb_fold fold;    /* constant bindings, evaluated after */
	/* The expression machine's (parser_expr.c): */
	int limit;              /* binding power an operator must exceed */
	struct nb_frame *frames; /* open constructs, innermost last */
	size_t nframes, framecap;
	uint32_t *args;         /* arguments of the calls being parsed */
	size_t nargs, argcap;
	/* Infix and prefix operators by their one-byte spelling, or -1:
	 * nb_op_infix searches the op table by string, too slow for every
	 * token of a large program. */
	signed char infix[128], prefix[128];
	/* nb_op_reduction of each function op, looked up on its first
	 * call: a search by string, too slow for every call. */
	signed char reduction[NB_OP_COUNT];
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

/* A parser at byte from of p's text, on its first token; bw, if not
 * NULL, collects the lines of a backward pass (Python's spellings). */
void nb_parser_open(struct parser *ps, struct nb_program *p,
		    struct nb_backward *bw, struct nb_diag *d, size_t from);
void nb_parser_close(struct parser *ps);

/* expr = unary { binop expr }: parses an expression into *out. */
int nb_parse_expression(struct parser *ps, struct expr *out);

/* "expected WHAT, found THIS", or the lexer's own complaint. */
int nb_parser_unexpected(struct parser *ps, const char *what);
/* A new input variable called by the name at span. */
int nb_parser_new_variable(struct parser *ps, struct nb_span name,
			   uint32_t *id);

/* Whether the len bytes at s name a function that is never a name.
 * The tensor functions (dot, norm, ones, ...) came after programs that
 * use their names for values (dot = w0*x0 + w1*x1): such a name calls
 * the function only when "(" follows it. */
static inline int nb_reserved_function(const char *s, size_t len)
{
	int op = nb_op_function(s, len);

	return op >= 0 && !nb_op_is_tensor((enum nb_op)op);
}

static inline void next(struct parser *ps)
{
	if (ps->has_ahead) {
		ps->tok = ps->ahead;
		ps->has_ahead = 0;
	} else {
		nb_lex_into(&ps->lx, &ps->tok);
	}
}

/* The kind of the token after the current one. */
static inline enum nb_tok peek(struct parser *ps)
{
	if (!ps->has_ahead) {
		nb_lex_into(&ps->lx, &ps->ahead);
		ps->has_ahead = 1;
	}
	return ps->ahead.kind;
}

static inline void skip_newlines(struct parser *ps)
{
	while (ps->tok.kind == NB_TOK_NEWLINE)
		next(ps);
}

static inline const char *text(const struct parser *ps, size_t start)
{
	return ps->p->src.text + start;
}

static inline int oom(struct parser *ps)
{
	return nb_error_plain(ps->d, NB_EFAIL, "out of memory");
}

/* Pushes a node spanning [start, end) with the given inputs as *out. */
static inline int push(struct parser *ps, enum nb_op op, size_t start,
		       size_t end, const uint32_t *in, size_t nin,
		       struct expr *out)
{
	struct nb_span span = { (uint32_t)start, (uint32_t)(end - start) };

	if (nb_tape_push(&ps->p->tape, op, span, in, nin, &out->node))
		return oom(ps);
	out->start = start;
	out->end = end;
	return 0;
}

#endif
