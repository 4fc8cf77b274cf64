/* check_lexer.c - unit tests of the slice lexer (src/lexer.c).
 *
 * Every token is checked by kind and by span (byte offset and length in
 * the source), since the parser's diagnostics and every node's expression
 * text are slices taken from those spans.  Expected spans are counted by
 * hand from the literal inputs below. */
#include <string.h>

#include "core/lexer.h"
#include "core/unicode.h"
#include "testmain.h"

/* One expected token: kind, start, len. */
struct tok {
	enum nb_tok kind;
	size_t start, len;
};

#define MAXTOK 32

/* Lexes the len bytes at src to the end (EOF included) into out. */
static size_t lex_all(const char *src, size_t len, struct nb_token *out)
{
	struct nb_lexer lx;
	size_t n = 0;

	nb_lexer_init(&lx, src, len);
	for (;;) {
		ck_assert_msg(n < MAXTOK, "too many tokens in \"%s\"", src);
		out[n] = nb_lex(&lx);
		if (out[n++].kind == NB_TOK_EOF)
			return n;
	}
}

static const char *kind_name(enum nb_tok k)
{
	static const char *names[] = { "EOF", "NUMBER", "IDENT", "OP",
				       "LPAREN", "RPAREN", "LBRACKET",
				       "RBRACKET", "DOT_T", "COMMA", "ASSIGN",
				       "ADD_ASSIGN", "SEMI", "NEWLINE",
				       "ERROR" };
	return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* Checks that src (len bytes; strlen when len is 0) lexes to exactly the
 * nexp tokens in exp followed by EOF at offset len. */
static void expect_tokens_n(const char *src, size_t len, const struct tok *exp,
			    size_t nexp)
{
	struct nb_token got[MAXTOK];
	size_t n;

	if (len == 0)
		len = strlen(src);
	n = lex_all(src, len, got);
	ck_assert_msg(n == nexp + 1, "\"%s\": %zu tokens, expected %zu", src,
		      n - 1, nexp);
	for (size_t i = 0; i < nexp; i++) {
		ck_assert_msg(got[i].kind == exp[i].kind,
			      "\"%s\" token %zu: kind %s, expected %s", src, i,
			      kind_name(got[i].kind), kind_name(exp[i].kind));
		ck_assert_msg(got[i].start == exp[i].start &&
				      got[i].len == exp[i].len,
			      "\"%s\" token %zu: span %zu+%zu, expected %zu+%zu",
			      src, i, got[i].start, got[i].len, exp[i].start,
			      exp[i].len);
		if (got[i].kind == NB_TOK_ERROR)
			ck_assert_msg(got[i].error && got[i].error[0],
				      "\"%s\" token %zu: error without message",
				      src, i);
	}
	ck_assert_int_eq(got[nexp].kind, NB_TOK_EOF);
	ck_assert_uint_eq(got[nexp].start, len);
}

#define EXPECT(src, ...)                                                  \
	do {                                                              \
		const struct tok exp_[] = { __VA_ARGS__ };                \
		expect_tokens_n(src, 0, exp_, sizeof exp_ / sizeof exp_[0]); \
	} while (0)

/* A source that lexes as one token of the given kind covering all of it. */
static void expect_whole(const char *src, enum nb_tok kind)
{
	const struct tok exp[] = { { kind, 0, strlen(src) } };

	expect_tokens_n(src, 0, exp, 1);
}

/* ------------------------------------------------------------------ */

static const char *const good_numbers[] = {
	"1", "0", "42", "2.5", ".5", "1e-3", "6.02E23", "1E+5", "1e5",
	"007", "3.14159265358979323846", "0.000001", "1.5e-300", ".25e2",
	"1.", "1.e5", /* grammar/nabla.ebnf: digits "." [digits] */
};

START_TEST(number_is_one_token)
{
	expect_whole(good_numbers[_i], NB_TOK_NUMBER);
}
END_TEST

static const char *const identifiers[] = {
	"x", "_", "_a1", "abc_DEF9", "x1y2", "sigmoid", "pi", "e", "E",
	"w0", "Z_",
};

START_TEST(identifier_is_one_token)
{
	expect_whole(identifiers[_i], NB_TOK_IDENT);
}
END_TEST

START_TEST(numbers_in_context)
{
	/* 0123456789012 */
	EXPECT("x*2.5+.5-1e-3",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 1, 1 },
	       { NB_TOK_NUMBER, 2, 3 }, { NB_TOK_OP, 5, 1 },
	       { NB_TOK_NUMBER, 6, 2 }, { NB_TOK_OP, 8, 1 },
	       { NB_TOK_NUMBER, 9, 4 });
	/* the sign of an exponent belongs to the number, a later one not */
	EXPECT("1e-3-2",
	       { NB_TOK_NUMBER, 0, 4 }, { NB_TOK_OP, 4, 1 },
	       { NB_TOK_NUMBER, 5, 1 });
	/* a leading minus is an operator, not part of the number */
	EXPECT("-6.02E23",
	       { NB_TOK_OP, 0, 1 }, { NB_TOK_NUMBER, 1, 7 });
}
END_TEST

START_TEST(operators)
{
	/* 01234567890 */
	EXPECT("+ - * / ^ **",
	       { NB_TOK_OP, 0, 1 }, { NB_TOK_OP, 2, 1 }, { NB_TOK_OP, 4, 1 },
	       { NB_TOK_OP, 6, 1 }, { NB_TOK_OP, 8, 1 },
	       { NB_TOK_OP, 10, 2 });
	EXPECT("x**2",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 1, 2 },
	       { NB_TOK_NUMBER, 3, 1 });
	/* *** is ** then *: the lexer takes the longest operator */
	EXPECT("***", { NB_TOK_OP, 0, 2 }, { NB_TOK_OP, 2, 1 });
	/* * * is two multiplications, not a power */
	EXPECT("* *", { NB_TOK_OP, 0, 1 }, { NB_TOK_OP, 2, 1 });
	/* -- is two minus signs */
	EXPECT("--x", { NB_TOK_OP, 0, 1 }, { NB_TOK_OP, 1, 1 },
	       { NB_TOK_IDENT, 2, 1 });
	/* the matrix product */
	EXPECT("W@x", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 1, 1 },
	       { NB_TOK_IDENT, 2, 1 });
}
END_TEST

/* Brackets, and the postfix transpose: ".T" is one token, blanks may
 * come before it; a "." before a digit starts a number. */
START_TEST(tensor_tokens)
{
	/* 0123456789 */
	EXPECT("[x, 2][0]",
	       { NB_TOK_LBRACKET, 0, 1 }, { NB_TOK_IDENT, 1, 1 },
	       { NB_TOK_COMMA, 2, 1 }, { NB_TOK_NUMBER, 4, 1 },
	       { NB_TOK_RBRACKET, 5, 1 }, { NB_TOK_LBRACKET, 6, 1 },
	       { NB_TOK_NUMBER, 7, 1 }, { NB_TOK_RBRACKET, 8, 1 });
	EXPECT("W.T", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_DOT_T, 1, 2 });
	/* 0123456789012 */
	EXPECT("W @ x[0].T, y",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 2, 1 },
	       { NB_TOK_IDENT, 4, 1 }, { NB_TOK_LBRACKET, 5, 1 },
	       { NB_TOK_NUMBER, 6, 1 }, { NB_TOK_RBRACKET, 7, 1 },
	       { NB_TOK_DOT_T, 8, 2 }, { NB_TOK_COMMA, 10, 1 },
	       { NB_TOK_IDENT, 12, 1 });
	EXPECT("x .T.T",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_DOT_T, 2, 2 },
	       { NB_TOK_DOT_T, 4, 2 });
	EXPECT("(x).T^2",
	       { NB_TOK_LPAREN, 0, 1 }, { NB_TOK_IDENT, 1, 1 },
	       { NB_TOK_RPAREN, 2, 1 }, { NB_TOK_DOT_T, 3, 2 },
	       { NB_TOK_OP, 5, 1 }, { NB_TOK_NUMBER, 6, 1 });
	EXPECT("x.5", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_NUMBER, 1, 2 });
	EXPECT("2 .T", { NB_TOK_NUMBER, 0, 1 }, { NB_TOK_DOT_T, 2, 2 });
	/* any other attribute is one bad token, and so is 2.T, a number */
	EXPECT("x.shape+1", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ERROR, 1, 6 },
	       { NB_TOK_OP, 7, 1 }, { NB_TOK_NUMBER, 8, 1 });
	EXPECT("x.Tx", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ERROR, 1, 3 });
	EXPECT("x._", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ERROR, 1, 2 });
	expect_whole("2.T", NB_TOK_ERROR);
	expect_whole("1.5.T", NB_TOK_ERROR);
	/* a "." before neither: a bad character */
	EXPECT("x. T", { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ERROR, 1, 1 },
	       { NB_TOK_IDENT, 3, 1 });
}
END_TEST

START_TEST(power_spellings)
{
	struct nb_lexer lx;
	struct nb_token t;
	const char *s;
	size_t len;

	nb_lexer_init(&lx, "a**b^c", 6);
	t = nb_lex(&lx);
	ck_assert_int_eq(t.kind, NB_TOK_IDENT);
	t = nb_lex(&lx);
	ck_assert_int_eq(t.kind, NB_TOK_OP);
	s = nb_token_opspelling(&lx, &t, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(s[0], '^');
	t = nb_lex(&lx);
	t = nb_lex(&lx);
	ck_assert_int_eq(t.kind, NB_TOK_OP);
	s = nb_token_opspelling(&lx, &t, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(s[0], '^');

	nb_lexer_init(&lx, "a*b", 3);
	t = nb_lex(&lx);
	t = nb_lex(&lx);
	s = nb_token_opspelling(&lx, &t, &len);
	ck_assert_uint_eq(len, 1);
	ck_assert_int_eq(s[0], '*');
}
END_TEST

START_TEST(punctuation)
{
	/* 0123456789 */
	EXPECT("f(a, b)=;\n",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_LPAREN, 1, 1 },
	       { NB_TOK_IDENT, 2, 1 }, { NB_TOK_COMMA, 3, 1 },
	       { NB_TOK_IDENT, 5, 1 }, { NB_TOK_RPAREN, 6, 1 },
	       { NB_TOK_ASSIGN, 7, 1 }, { NB_TOK_SEMI, 8, 1 },
	       { NB_TOK_NEWLINE, 9, 1 });
}
END_TEST

START_TEST(whitespace_is_skipped)
{
	EXPECT(" \t x \f\v\r + \t1 ",
	       { NB_TOK_IDENT, 3, 1 }, { NB_TOK_OP, 9, 1 },
	       { NB_TOK_NUMBER, 12, 1 });
	/* CRLF: the \r is space, the \n a statement separator */
	EXPECT("x\r\ny",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_NEWLINE, 2, 1 },
	       { NB_TOK_IDENT, 3, 1 });
	expect_tokens_n("", 0, NULL, 0);
	expect_tokens_n("   ", 0, NULL, 0);
}
END_TEST

START_TEST(comments)
{
	/* a comment runs to the end of the line; the newline stays */
	EXPECT("x # a comment * ( \ny",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_NEWLINE, 18, 1 },
	       { NB_TOK_IDENT, 19, 1 });
	expect_tokens_n("# only a comment", 0, NULL, 0);
	EXPECT("x#y", { NB_TOK_IDENT, 0, 1 });
	EXPECT("#a\n#b\n",
	       { NB_TOK_NEWLINE, 2, 1 }, { NB_TOK_NEWLINE, 5, 1 });
	/* bytes that would be errors are harmless inside a comment */
	/* 1 sp # sp c3 a9 sp $ sp NUL sp @ \n 2: 14 bytes */
	expect_tokens_n("1 # \xc3\xa9 $ \0 @\n2", 14,
			(const struct tok[]){ { NB_TOK_NUMBER, 0, 1 },
					      { NB_TOK_NEWLINE, 12, 1 },
					      { NB_TOK_NUMBER, 13, 1 } },
			3);
}
END_TEST

START_TEST(newlines)
{
	EXPECT("\n\nx\n",
	       { NB_TOK_NEWLINE, 0, 1 }, { NB_TOK_NEWLINE, 1, 1 },
	       { NB_TOK_IDENT, 2, 1 }, { NB_TOK_NEWLINE, 3, 1 });
}
END_TEST

START_TEST(backslash_newline)
{
	/* a backslash before a newline joins the lines: no NEWLINE token */
	EXPECT("x +\\\ny",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 2, 1 },
	       { NB_TOK_IDENT, 5, 1 });
	EXPECT("x\\\n\\\n*y",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 5, 1 },
	       { NB_TOK_IDENT, 6, 1 });
	/* inside a comment a backslash is comment text: no line join */
	EXPECT("x # c \\\ny",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_NEWLINE, 7, 1 },
	       { NB_TOK_IDENT, 8, 1 });
	/* a backslash anywhere else is a bad character */
	EXPECT("x \\ y",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ERROR, 2, 1 },
	       { NB_TOK_IDENT, 4, 1 });
	EXPECT("\\", { NB_TOK_ERROR, 0, 1 });
}
END_TEST

/* Malformed numbers: the whole glued run is one error token, so the
 * diagnostic shows all of it. */
static const char *const bad_numbers[] = {
	"1..2", "0x10", "2e", "3x", "2e3x", "1.2.3", "0b101", "1_000",
	"2E", ".5.", "1ex", "12abc", "1e5x", "1.x",
};

START_TEST(bad_number_is_one_error_token)
{
	expect_whole(bad_numbers[_i], NB_TOK_ERROR);
}
END_TEST

START_TEST(bad_number_in_context)
{
	/* 0123456789 */
	EXPECT("a + 1..2*b",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_OP, 2, 1 },
	       { NB_TOK_ERROR, 4, 4 }, { NB_TOK_OP, 8, 1 },
	       { NB_TOK_IDENT, 9, 1 });
	EXPECT("(0x10)",
	       { NB_TOK_LPAREN, 0, 1 }, { NB_TOK_ERROR, 1, 4 },
	       { NB_TOK_RPAREN, 5, 1 });
	/* grammar/nabla.ebnf: an exponent sign without digits is not part
	 * of the bad number ("1e+" -> exponent has no digits '1e') */
	EXPECT("1e+",
	       { NB_TOK_ERROR, 0, 2 }, { NB_TOK_OP, 2, 1 });
	EXPECT("3x+1",
	       { NB_TOK_ERROR, 0, 2 }, { NB_TOK_OP, 2, 1 },
	       { NB_TOK_NUMBER, 3, 1 });
}
END_TEST

START_TEST(bad_characters)
{
	static const char *const bad = "$%!?&|~{}<>'\"`:.";

	for (const char *c = bad; *c; c++) {
		char src[8] = { 'x', ' ', *c, ' ', 'y', 0 };
		const struct tok exp[] = { { NB_TOK_IDENT, 0, 1 },
					   { NB_TOK_ERROR, 2, 1 },
					   { NB_TOK_IDENT, 4, 1 } };
		expect_tokens_n(src, 0, exp, 3);
	}
}
END_TEST

START_TEST(nul_byte)
{
	const struct tok exp[] = { { NB_TOK_IDENT, 0, 1 },
				   { NB_TOK_ERROR, 1, 1 },
				   { NB_TOK_IDENT, 2, 1 } };
	const struct tok alone[] = { { NB_TOK_ERROR, 0, 1 } };

	expect_tokens_n("x\0y", 3, exp, 3);
	expect_tokens_n("\0", 1, alone, 1);
}
END_TEST

START_TEST(non_ascii)
{
	/* a run of non-ASCII bytes (one UTF-8 character or several) is one
	 * error token */
	EXPECT("\xc3\xa9", { NB_TOK_ERROR, 0, 2 });
	EXPECT("x = \xcf\x80",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ASSIGN, 2, 1 },
	       { NB_TOK_ERROR, 4, 2 });
	EXPECT("\xe2\x82\xac+1",
	       { NB_TOK_ERROR, 0, 3 }, { NB_TOK_OP, 3, 1 },
	       { NB_TOK_NUMBER, 4, 1 });
	EXPECT("x\xc3\xa9\xc3\xa9 y",
	       { NB_TOK_IDENT, 0, 1 }, { NB_TOK_ERROR, 1, 4 },
	       { NB_TOK_IDENT, 6, 1 });
	EXPECT("\xff", { NB_TOK_ERROR, 0, 1 });
}
END_TEST

START_TEST(utf8_characters)
{
	/* what a diagnostic names: one character, or none when the bytes
	 * are not UTF-8 (truncated, overlong, a surrogate, past U+10FFFF) */
	static const struct {
		const char *s;
		size_t len;
		unsigned long cp;
	} in[] = {
		{ "\xc3\x97", 2, 0xD7 }, { "\xe2\x88\x92x", 3, 0x2212 },
		{ "\xf0\x9f\x98\x80", 4, 0x1F600 }, { "\xe2\x88", 0, 0 },
		{ "\xc0\xaf", 0, 0 }, { "\xed\xa0\x80", 0, 0 },
		{ "\xf4\x90\x80\x80", 0, 0 }, { "\xff", 0, 0 },
		{ "\x97", 0, 0 },
	};
	char what[160];

	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		unsigned long cp = 0;
		size_t n = nb_utf8_char(in[i].s, strlen(in[i].s), &cp);
		ck_assert_uint_eq(n, in[i].len);
		if (n)
			ck_assert_uint_eq(cp, in[i].cp);
	}
	ck_assert_int_eq(nb_unicode_describe(0xD7, what, sizeof what), 1);
	ck_assert_str_eq(what, "U+00D7 MULTIPLICATION SIGN: type * instead");
	ck_assert_int_eq(nb_unicode_describe(0xE9, what, sizeof what), 0);
	ck_assert_str_eq(what, "U+00E9");
}
END_TEST

/* A number glued to what follows it: the number alone. */
START_TEST(number_prefix)
{
	ck_assert_uint_eq(nb_number_prefix("2x", 2), 1);
	ck_assert_uint_eq(nb_number_prefix("2e3x", 4), 3);
	ck_assert_uint_eq(nb_number_prefix("0.5sin", 6), 3);
	ck_assert_uint_eq(nb_number_prefix("x2", 2), 0);
}
END_TEST

START_TEST(reads_only_len_bytes)
{
	/* the lexer works on a slice: bytes past len do not exist */
	const struct tok one[] = { { NB_TOK_NUMBER, 0, 2 } };
	const struct tok id[] = { { NB_TOK_IDENT, 0, 3 } };

	expect_tokens_n("12345", 2, one, 1);
	expect_tokens_n("abc(x)", 3, id, 1);
	/* "1e" cut before its digits is a bad number, not "1e5" */
	expect_tokens_n("1e5", 2,
			(const struct tok[]){ { NB_TOK_ERROR, 0, 2 } }, 1);
}
END_TEST

START_TEST(eof_is_sticky)
{
	struct nb_lexer lx;

	nb_lexer_init(&lx, "x", 1);
	ck_assert_int_eq(nb_lex(&lx).kind, NB_TOK_IDENT);
	for (int i = 0; i < 3; i++) {
		struct nb_token t = nb_lex(&lx);
		ck_assert_int_eq(t.kind, NB_TOK_EOF);
		ck_assert_uint_eq(t.start, 1);
		ck_assert_uint_eq(t.len, 0);
	}
}
END_TEST

START_TEST(error_messages_differ)
{
	/* each kind of lexical error says what is wrong */
	struct nb_lexer lx;
	struct nb_token num, chr, nul, utf;

	nb_lexer_init(&lx, "0x10", 4);
	num = nb_lex(&lx);
	nb_lexer_init(&lx, "$", 1);
	chr = nb_lex(&lx);
	nb_lexer_init(&lx, "\0", 1);
	nul = nb_lex(&lx);
	nb_lexer_init(&lx, "\xc3\xa9", 2);
	utf = nb_lex(&lx);
	ck_assert_ptr_nonnull(strstr(num.error, "number"));
	ck_assert_ptr_nonnull(strstr(nul.error, "NUL"));
	ck_assert_ptr_nonnull(strstr(utf.error, "ASCII"));
	ck_assert_str_ne(chr.error, num.error);
	ck_assert_str_ne(chr.error, utf.error);
}
END_TEST

#define N(a) ((int)(sizeof a / sizeof a[0]))

static Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	TCase *tc = tcase_create("tokens");

	tcase_add_loop_test(tc, number_is_one_token, 0, N(good_numbers));
	tcase_add_loop_test(tc, identifier_is_one_token, 0, N(identifiers));
	tcase_add_test(tc, numbers_in_context);
	tcase_add_test(tc, operators);
	tcase_add_test(tc, power_spellings);
	tcase_add_test(tc, tensor_tokens);
	tcase_add_test(tc, punctuation);
	tcase_add_test(tc, whitespace_is_skipped);
	tcase_add_test(tc, comments);
	tcase_add_test(tc, newlines);
	tcase_add_test(tc, backslash_newline);
	tcase_add_test(tc, reads_only_len_bytes);
	tcase_add_test(tc, eof_is_sticky);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, bad_number_is_one_error_token, 0,
			    N(bad_numbers));
	tcase_add_test(tc, bad_number_in_context);
	tcase_add_test(tc, bad_characters);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, non_ascii);
	tcase_add_test(tc, utf8_characters);
	tcase_add_test(tc, number_prefix);
	tcase_add_test(tc, error_messages_differ);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(lexer_suite);
