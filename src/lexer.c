/* lexer.c - splits program text into slice tokens. */
#include "lexer.h"

#include <string.h>

void nb_lexer_init(struct nb_lexer *lx, const char *src, size_t len)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_ident(int c)
{
	return is_ident_start(c) || is_digit(c);
}

static int peek(const struct nb_lexer *lx, size_t ahead)
{
	size_t i = lx->pos + ahead;
	return i < lx->len ? (unsigned char)lx->src[i] : -1;
}

static void skip_space_and_comments(struct nb_lexer *lx)
{
	for (;;) {
		int c = peek(lx, 0);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
		    c == '\v') {
			lx->pos++;
		} else if (c == '\\' && peek(lx, 1) == '\n') {
			lx->pos += 2;
		} else if (c == '#') {
			while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
				lx->pos++;
		} else {
			return;
		}
	}
}

static size_t digits(struct nb_lexer *lx)
{
	size_t n = 0;
	while (is_digit(peek(lx, 0))) {
		lx->pos++;
		n++;
	}
	return n;
}

/* number = digits [ "." digits ] [ exponent ] | "." digits [ exponent ]
 * Anything glued to a number (1..2, 0x10, 2e, 3x) is one bad token, so
 * the diagnostic shows the whole of it. */
static struct nb_token number(struct nb_lexer *lx, struct nb_token t)
{
	size_t mant = digits(lx);

	if (peek(lx, 0) == '.') {
		lx->pos++;
		mant += digits(lx);
	}
	if (peek(lx, 0) == 'e' || peek(lx, 0) == 'E') {
		size_t save = lx->pos;
		lx->pos++;
		if (peek(lx, 0) == '+' || peek(lx, 0) == '-')
			lx->pos++;
		if (digits(lx) == 0) {
			lx->pos = save + 1;
			t.error = "exponent has no digits";
		}
	}
	if (is_ident(peek(lx, 0)) || peek(lx, 0) == '.') {
		while (is_ident(peek(lx, 0)) || peek(lx, 0) == '.')
			lx->pos++;
		t.error = "malformed number";
	}
	if (mant == 0)
		t.error = "malformed number";
	t.kind = t.error ? NB_TOK_ERROR : NB_TOK_NUMBER;
	t.len = lx->pos - t.start;
	return t;
}

static struct nb_token bad_char(struct nb_lexer *lx, struct nb_token t)
{
	int c = peek(lx, 0);

	t.kind = NB_TOK_ERROR;
	if (c == 0) {
		t.error = "NUL byte in program";
		lx->pos++;
	} else if (c >= 0x80) {
		t.error = "unexpected non-ASCII character";
		while (peek(lx, 0) >= 0x80)
			lx->pos++;
	} else {
		t.error = "unexpected character";
		lx->pos++;
	}
	t.len = lx->pos - t.start;
	return t;
}

static struct nb_token single(struct nb_lexer *lx, struct nb_token t,
			      enum nb_tok kind, size_t len)
{
	t.kind = kind;
	t.len = len;
	lx->pos += len;
	return t;
}

struct nb_token nb_lex(struct nb_lexer *lx)
{
	struct nb_token t = { NB_TOK_EOF, 0, 0, NULL };
	int c;

	skip_space_and_comments(lx);
	t.start = lx->pos;
	c = peek(lx, 0);
	if (c == -1)
		return t;
	if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1))))
		return number(lx, t);
	if (is_ident_start(c)) {
		while (is_ident(peek(lx, 0)))
			lx->pos++;
		t.kind = NB_TOK_IDENT;
		t.len = lx->pos - t.start;
		return t;
	}
	switch (c) {
	case '*':
		return single(lx, t, NB_TOK_OP, peek(lx, 1) == '*' ? 2 : 1);
	case '+': case '-': case '/': case '^':
		return single(lx, t, NB_TOK_OP, 1);
	case '(': return single(lx, t, NB_TOK_LPAREN, 1);
	case ')': return single(lx, t, NB_TOK_RPAREN, 1);
	case ',': return single(lx, t, NB_TOK_COMMA, 1);
	case '=': return single(lx, t, NB_TOK_ASSIGN, 1);
	case ';': return single(lx, t, NB_TOK_SEMI, 1);
	case '\n': return single(lx, t, NB_TOK_NEWLINE, 1);
	default:
		return bad_char(lx, t);
	}
}

const char *nb_token_opspelling(const struct nb_lexer *lx,
				const struct nb_token *t, size_t *len)
{
	if (t->len == 2) {
		*len = 1;
		return "^";
	}
	*len = t->len;
	return lx->src + t->start;
}
