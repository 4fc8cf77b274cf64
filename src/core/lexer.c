/* lexer.c - splits program text into slice tokens. */
#include "core/lexer.h"

#include <string.h>

void nb_lexer_init(struct nb_lexer *lx, const char *src, size_t len)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
	lx->python = 0;
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

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Local copies of the position and the text: the lexer's hottest loops,
 * which the compiler then keeps in registers. */
static void skip_space_and_comments(struct nb_lexer *lx)
{
	const char *s = lx->src;
	size_t i = lx->pos, n = lx->len;

	while (i < n) {
		if (is_space((unsigned char)s[i])) {
			i++;
		} else if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\n') {
			i += 2;
		} else if (s[i] == '#') {
			while (i < n && s[i] != '\n')
				i++;
		} else {
			break;
		}
	}
	lx->pos = i;
}

static size_t digits(struct nb_lexer *lx)
{
	size_t i = lx->pos, start = i;

	while (i < lx->len && is_digit((unsigned char)lx->src[i]))
		i++;
	lx->pos = i;
	return i - start;
}

/* The length of Python's module prefix "math." or NumPy's "np." before
 * an identifier, or 0. */
static size_t module_prefix(const struct nb_lexer *lx)
{
	size_t n = lx->len - lx->pos > 5 &&
			   memcmp(lx->src + lx->pos, "math.", 5) == 0 ? 5
		   : lx->len - lx->pos > 3 &&
			   memcmp(lx->src + lx->pos, "np.", 3) == 0 ? 3 : 0;

	return lx->python && n &&
	       is_ident_start((unsigned char)lx->src[lx->pos + n]) ? n : 0;
}

static void identifier(struct nb_lexer *lx, struct nb_token *t)
{
	size_t i, skip = module_prefix(lx);
	uint32_t h;

	if (skip)
		t->start = lx->pos += skip;
	i = lx->pos + 1;
	h = nb_hash_step(NB_HASH_START, (unsigned char)lx->src[lx->pos]);
	while (i < lx->len && is_ident((unsigned char)lx->src[i]))
		h = nb_hash_step(h, (unsigned char)lx->src[i++]);
	lx->pos = i;
	t->kind = NB_TOK_IDENT;
	t->len = i - t->start;
	t->hash = h;
}

/* number = digits [ "." digits ] [ exponent ] | "." digits [ exponent ]
 * Anything glued to a number (1..2, 0x10, 2e, 3x) is one bad token, so
 * the diagnostic shows the whole of it. */
static void number(struct nb_lexer *lx, struct nb_token *t)
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
			t->error = "exponent has no digits";
		}
	}
	if (is_ident(peek(lx, 0)) || peek(lx, 0) == '.') {
		while (is_ident(peek(lx, 0)) || peek(lx, 0) == '.')
			lx->pos++;
		t->error = "malformed number";
	}
	if (mant == 0)
		t->error = "malformed number";
	t->kind = t->error ? NB_TOK_ERROR : NB_TOK_NUMBER;
	t->len = lx->pos - t->start;
}

/* attribute = "." identifier: only ".T" (transpose) is one, and in
 * Python's spellings ".dot" before "(" (NumPy's matrix product); any
 * other (x.shape, W.sum) is one bad token, so the message can quote it.
 * Blanks may come before the ".", not after it. */
static void attribute(struct nb_lexer *lx, struct nb_token *t)
{
	size_t i = lx->pos + 2;

	while (i < lx->len && is_ident((unsigned char)lx->src[i]))
		i++;
	lx->pos = i;
	t->len = i - t->start;
	t->kind = t->len == 2 && lx->src[i - 1] == 'T' ? NB_TOK_DOT_T
		  : lx->python && t->len == 4 && i < lx->len &&
				  lx->src[i] == '(' &&
				  memcmp(lx->src + t->start, ".dot", 4) == 0
			  ? NB_TOK_DOT_DOT : NB_TOK_ERROR;
	if (t->kind == NB_TOK_ERROR)
		t->error = "unknown attribute";
}

static void bad_char(struct nb_lexer *lx, struct nb_token *t)
{
	int c = peek(lx, 0);

	t->kind = NB_TOK_ERROR;
	if (c == 0) {
		t->error = "NUL byte in program";
		lx->pos++;
	} else if (c >= 0x80) {
		t->error = "unexpected non-ASCII character";
		while (peek(lx, 0) >= 0x80)
			lx->pos++;
	} else {
		t->error = "unexpected character";
		lx->pos++;
	}
	t->len = lx->pos - t->start;
}

/* The kind of the one-byte token c, or NB_TOK_EOF if c is none. */
static enum nb_tok punctuation(int c)
{
	switch (c) {
	case '+': case '-': case '*': case '/': case '^': case '@':
		return NB_TOK_OP;
	case '(': return NB_TOK_LPAREN;
	case ')': return NB_TOK_RPAREN;
	case '[': return NB_TOK_LBRACKET;
	case ']': return NB_TOK_RBRACKET;
	case ',': return NB_TOK_COMMA;
	case '=': return NB_TOK_ASSIGN;
	case ';': return NB_TOK_SEMI;
	case '\n': return NB_TOK_NEWLINE;
	default: return NB_TOK_EOF;
	}
}

void nb_lex_into(struct nb_lexer *lx, struct nb_token *t)
{
	int c;

	skip_space_and_comments(lx);
	*t = (struct nb_token){ NB_TOK_EOF, lx->pos, 0, NULL, 0 };
	c = peek(lx, 0);
	if (c == -1)
		return;
	if (is_digit(c) || (c == '.' && is_digit(peek(lx, 1)))) {
		number(lx, t);
	} else if (is_ident_start(c)) {
		identifier(lx, t);
	} else if (c == '.' && is_ident_start(peek(lx, 1))) {
		attribute(lx, t);
	} else if (punctuation(c) != NB_TOK_EOF) {
		t->kind = punctuation(c);
		t->len = c == '*' && peek(lx, 1) == '*' ? 2 : 1;
		if (lx->python && c == '+' && peek(lx, 1) == '=') {
			t->kind = NB_TOK_ADD_ASSIGN;
			t->len = 2;
		}
		lx->pos += t->len;
	} else {
		bad_char(lx, t);
	}
}

struct nb_token nb_lex(struct nb_lexer *lx)
{
	struct nb_token t;

	nb_lex_into(lx, &t);
	return t;
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

size_t nb_number_prefix(const char *s, size_t len)
{
	/* Only a diagnostic asks, about a short token: the longest start
	 * that is a number token by itself. */
	for (size_t k = len; k > 0; k--) {
		struct nb_lexer lx;
		struct nb_token t;

		nb_lexer_init(&lx, s, k);
		nb_lex_into(&lx, &t);
		if (t.kind == NB_TOK_NUMBER && t.len == k)
			return k;
	}
	return 0;
}
