/* statement.c - the grammar as an interactive front end needs it. */
#include "core/statement.h"

#include <string.h>

#include "core/compile.h"
#include "core/fold.h"
#include "core/lexer.h"
#include "core/parser.h"

/* Whether a line break after a token of kind last goes on with the
 * statement (grammar/nabla.ebnf, section 3: after an operator or '='). */
static int continues(enum nb_tok last)
{
	return last == NB_TOK_OP || last == NB_TOK_ASSIGN;
}

int nb_input_incomplete(const char *text, size_t len)
{
	struct nb_lexer lx;
	struct nb_token t;
	enum nb_tok last = NB_TOK_EOF;
	long depth = 0;

	if (len > 0 && text[len - 1] == '\\')
		return 1;
	nb_lexer_init(&lx, text, len);
	while ((t = nb_lex(&lx)).kind != NB_TOK_EOF) {
		if (t.kind == NB_TOK_ERROR)
			return 0;
		if (t.kind == NB_TOK_NEWLINE)
			continue;
		depth += nb_token_depth(t.kind);
		last = t.kind;
	}
	return depth > 0 || continues(last) || last == NB_TOK_COMMA;
}

/* Whether a token of kind k ends a statement, at depth open brackets
 * after a token of kind last (a separator outside parentheses, unless a
 * line break continues it). */
static int ends(enum nb_tok k, long depth, enum nb_tok last)
{
	if (k == NB_TOK_EOF)
		return 1;
	return depth == 0 && (k == NB_TOK_SEMI ||
			      (k == NB_TOK_NEWLINE && !continues(last)));
}

/* Appends token t to st's joined text, after a space if a gap precedes
 * it. */
static void join(const char *text, struct nb_token t, size_t *end,
		 char *buf, struct nb_stmt *st)
{
	if (st->textlen && t.start > *end)
		buf[st->textlen++] = ' ';
	memcpy(buf + st->textlen, text + t.start, t.len);
	st->textlen += t.len;
	*end = t.start + t.len;
}

int nb_stmt_next(const char *text, size_t len, size_t *pos, char *buf,
		 struct nb_stmt *st)
{
	struct nb_lexer lx;
	struct nb_token t, first = { NB_TOK_EOF, 0, 0, NULL, 0 };
	enum nb_tok last = NB_TOK_SEMI;
	size_t ntok = 0, end = 0;
	long depth = 0;

	nb_lexer_init(&lx, text, len);
	lx.pos = *pos;
	memset(st, 0, sizeof *st);
	st->text = buf;
	for (;;) {
		t = nb_lex(&lx);
		if (ends(t.kind, depth, last)) {
			*pos = lx.pos;
			st->semi = t.kind == NB_TOK_SEMI;
			if (ntok)
				return 1;
			if (t.kind == NB_TOK_EOF)
				return 0;
			last = NB_TOK_SEMI;
			continue;
		}
		if (t.kind == NB_TOK_NEWLINE)
			continue;
		depth += nb_token_depth(t.kind);
		if (ntok++ == 0) {
			first = t;
			st->start = st->rhs = t.start;
		}
		if (ntok == 2 && first.kind == NB_TOK_IDENT &&
		    t.kind == NB_TOK_ASSIGN) {
			st->name = (struct nb_span){ (uint32_t)first.start,
						     (uint32_t)first.len };
			st->rhs = t.start + 1;
			st->textlen = 0;
		} else {
			join(text, t, &end, buf, st);
		}
		st->end = t.start + t.len;
		last = t.kind;
	}
}

int nb_stmt_parse(const struct nb_source *src, struct nb_stmt *st,
		  uint64_t seed, struct nb_diag *d)
{
	if (st->name.len) {
		if (nb_check_assignable(src->text, st->name, d))
			return d->status;
		if (st->rhs == st->end)
			return nb_error(d, NB_EUSAGE, st->rhs - 1, 1,
					"expected an expression after '='");
	}
	if (nb_program_compile_expr(&st->expr, src, st->rhs, st->end, d)) {
		nb_program_free(&st->expr);
		return d->status;
	}
	st->expr.seed = seed;
	st->kind = !st->name.len ? NB_STMT_EXPR
		 : st->expr.nvars ? NB_STMT_DEFINITION : NB_STMT_BINDING;
	if (st->expr.nvars == 0 && nb_fold_program(&st->expr, &st->value, d)) {
		nb_program_free(&st->expr);
		return d->status;
	}
	return 0;
}
