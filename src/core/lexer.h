/* lexer.h - tokens as slices of the source text.
 *
 * The lexer never allocates: a token is a kind plus the byte offset and
 * length of its text.  A lexical error is a token of kind NB_TOK_ERROR whose
 * message the parser reports at the token's position. */
#ifndef NABLA_LEXER_H
#define NABLA_LEXER_H

#include <stddef.h>
#include <stdint.h>

enum nb_tok {
	NB_TOK_EOF,
	NB_TOK_NUMBER,
	NB_TOK_IDENT,
	NB_TOK_OP,      /* + - * / ^ @ (and ** spelled as ^) */
	NB_TOK_LPAREN,
	NB_TOK_RPAREN,
	NB_TOK_LBRACKET,
	NB_TOK_RBRACKET,
	NB_TOK_DOT_T,   /* .T, the postfix transpose */
	NB_TOK_DOT_DOT, /* .dot before "(" (Python spelling only):
			 * a.dot(b) is a @ b */
	NB_TOK_COMMA,
	NB_TOK_ASSIGN,
	NB_TOK_ADD_ASSIGN,      /* += (Python spelling only) */
	NB_TOK_SEMI,    /* ; */
	NB_TOK_NEWLINE,
	NB_TOK_ERROR
};

struct nb_token {
	enum nb_tok kind;
	size_t start, len;       /* the token's bytes in the source */
	const char *error;       /* for NB_TOK_ERROR: what is wrong */
	uint32_t hash;           /* for NB_TOK_IDENT: nb_ident_hash of its
				  * bytes, computed as they are scanned */
};

/* FNV-1a of a name, in steps of a byte: the symbol table's hash, which
 * the lexer computes as it reads an identifier, so that looking a name
 * up does not read its bytes again. */
#define NB_HASH_START 2166136261u
static inline uint32_t nb_hash_step(uint32_t h, unsigned char c)
{
	return (h ^ c) * 16777619u;
}

static inline uint32_t nb_ident_hash(const char *p, size_t len)
{
	uint32_t h = NB_HASH_START;

	for (size_t i = 0; i < len; i++)
		h = nb_hash_step(h, (unsigned char)p[i]);
	return h;
}

struct nb_lexer {
	const char *src;
	size_t len, pos;
	int python;     /* Python's spellings, for a pasted backward pass
			 * (nabla --verify): "+=" is one token, and a
			 * "math." or "np." before an identifier is
			 * skipped, so math.exp(x) is exp(x), math.pi is
			 * pi and np.sum(x) is sum(x) */
};

/* A lexer of nabla's own spellings (python 0). */
void nb_lexer_init(struct nb_lexer *lx, const char *src, size_t len);
struct nb_token nb_lex(struct nb_lexer *lx);
/* The same, written to *t: the parser's way, which saves copying the
 * token (and a stall on reading back a struct just written). */
void nb_lex_into(struct nb_lexer *lx, struct nb_token *t);

/* The length of the number that the len bytes at s start with, before
 * anything glued to it ("2" of "2x"), or 0 if they start with none. */
size_t nb_number_prefix(const char *s, size_t len);

/* How a token of kind k changes the depth of brackets, "(" or "[":
 * 1 if it opens one, -1 if it closes one, else 0. */
static inline int nb_token_depth(enum nb_tok k)
{
	return (k == NB_TOK_LPAREN || k == NB_TOK_LBRACKET) -
	       (k == NB_TOK_RPAREN || k == NB_TOK_RBRACKET);
}

/* The operator a NB_TOK_OP token stands for: "**" is read as "^". */
const char *nb_token_opspelling(const struct nb_lexer *lx,
				const struct nb_token *t, size_t *len);

#endif
