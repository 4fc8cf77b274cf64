/* check_rowreader.c - the CSV, TSV and JSON Lines record reader
 * (src/rowreader.c).
 *
 * The reader reads a file descriptor, so each case writes its input to
 * a temporary file; records are checked field by field, errors by their
 * message and column, and every bad record must leave the reader at the
 * start of the next line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front/rowreader.h"
#include "testmain.h"

struct fixture {
	FILE *f;
	struct nb_rowreader r;
};

static void open_text(struct fixture *x, const char *text, size_t len,
		      enum nb_rowfmt fmt)
{
	x->f = tmpfile();
	ck_assert_ptr_nonnull(x->f);
	ck_assert_uint_eq(fwrite(text, 1, len, x->f), len);
	fflush(x->f);
	rewind(x->f);
	ck_assert_int_eq(nb_rr_open(&x->r, x->f, "t.csv", fmt), 0);
}

static void close_text(struct fixture *x)
{
	nb_rr_close(&x->r);
	fclose(x->f);
}

#define OPEN(x, lit, fmt) open_text(x, lit, sizeof lit - 1, fmt)

/* Field k of the current record, NUL-terminated in a static buffer. */
static const char *field(const struct nb_rowreader *r, size_t k)
{
	static char buf[256];
	size_t len = r->f[k].len < sizeof buf - 1 ? r->f[k].len
						  : sizeof buf - 1;

	memcpy(buf, r->data + r->f[k].off, len);
	buf[len] = '\0';
	return buf;
}

static const char *key(const struct nb_rowreader *r, size_t k)
{
	static char buf[256];

	memcpy(buf, r->data + r->f[k].key, r->f[k].keylen);
	buf[r->f[k].keylen] = '\0';
	return buf;
}

/* The current record's column (from 1) of raw offset at. */
static size_t column(const struct nb_rowreader *r, size_t at, size_t *line)
{
	struct nb_source src;
	size_t col;

	nb_rr_source(r, &src);
	nb_source_position(&src, at, line, &col);
	return col;
}

START_TEST(csv_plain)
{
	struct fixture x;

	OPEN(&x, "a,b,c\n1,,3\n", NB_IN_CSV);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 3);
	ck_assert_str_eq(field(&x.r, 2), "c");
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 3);
	ck_assert_str_eq(field(&x.r, 1), "");
	ck_assert_str_eq(field(&x.r, 2), "3");
	ck_assert_int_eq(nb_rr_next(&x.r), 0);
	ck_assert_int_eq(nb_rr_next(&x.r), 0);
	close_text(&x);
}
END_TEST

START_TEST(csv_quoted)
{
	struct fixture x;
	size_t line;

	OPEN(&x, "\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"\nnext,\"\"\n",
	     NB_IN_CSV);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 3);
	ck_assert_str_eq(field(&x.r, 0), "a, b");
	ck_assert_str_eq(field(&x.r, 1), "say \"hi\"");
	ck_assert_str_eq(field(&x.r, 2), "two\nlines");
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.recline, 3);
	ck_assert_str_eq(field(&x.r, 0), "next");
	ck_assert_str_eq(field(&x.r, 1), "");
	ck_assert_uint_eq(column(&x.r, x.r.f[1].at, &line), 6);
	ck_assert_uint_eq(line, 3);
	close_text(&x);
}
END_TEST

START_TEST(crlf_bom_blank)
{
	struct fixture x;

	OPEN(&x, "\xEF\xBB\xBFx,y\r\n\r\n\n1,\"a\r\nb\"\r\n2,3", NB_IN_CSV);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_str_eq(field(&x.r, 0), "x");
	ck_assert_str_eq(field(&x.r, 1), "y");
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.recline, 4);
	ck_assert_str_eq(field(&x.r, 1), "a\r\nb");
	/* The last line needs no line ending. */
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_str_eq(field(&x.r, 1), "3");
	ck_assert_int_eq(nb_rr_next(&x.r), 0);
	close_text(&x);
}
END_TEST

START_TEST(csv_errors)
{
	struct fixture x;
	size_t line;

	OPEN(&x, "1,2\"\n\"3\"4,5\n6,\0007\n8,9\n3,\"4\n5\n", NB_IN_CSV);
	ck_assert_int_eq(nb_rr_next(&x.r), -1);
	ck_assert_str_eq(x.r.errmsg, "quote inside an unquoted field (quote "
			 "the whole field)");
	ck_assert_uint_eq(column(&x.r, x.r.errat, &line), 4);
	ck_assert_int_eq(nb_rr_next(&x.r), -1);
	ck_assert_str_eq(x.r.errmsg, "'4' after a closing quote");
	ck_assert_uint_eq(column(&x.r, x.r.errat, &line), 4);
	ck_assert_uint_eq(line, 2);
	ck_assert_int_eq(nb_rr_next(&x.r), -1);
	ck_assert_str_eq(x.r.errmsg, "NUL byte in the input");
	ck_assert_uint_eq(column(&x.r, x.r.errat, &line), 3);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_str_eq(field(&x.r, 1), "9");
	ck_assert_int_eq(nb_rr_next(&x.r), -1);
	ck_assert_str_eq(x.r.errmsg, "unterminated quoted field");
	ck_assert_uint_eq(column(&x.r, x.r.errat, &line), 3);
	ck_assert_uint_eq(line, 5);
	ck_assert_int_eq(nb_rr_next(&x.r), 0);
	close_text(&x);
}
END_TEST

START_TEST(tsv_no_quoting)
{
	struct fixture x;

	OPEN(&x, "a\t\"b,c\"\t\n", NB_IN_TSV);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 3);
	ck_assert_str_eq(field(&x.r, 1), "\"b,c\"");
	ck_assert_str_eq(field(&x.r, 2), "");
	close_text(&x);
}
END_TEST

START_TEST(long_line)
{
	struct fixture x;
	size_t n = 200000;
	char *text = malloc(n + 4);

	ck_assert_ptr_nonnull(text);
	memset(text, '7', n);
	memcpy(text + n, ",1\n", 3);
	open_text(&x, text, n + 3, NB_IN_CSV);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 2);
	ck_assert_uint_eq(x.r.f[0].len, n);
	ck_assert_str_eq(field(&x.r, 1), "1");
	close_text(&x);
	free(text);
}
END_TEST

START_TEST(jsonl_fields)
{
	struct fixture x;

	OPEN(&x, "{\"x\": -1.5e3, \"id\": \"a\\\"b\\u00e9\\ud83d\\ude00\","
	     " \"n\": \"nan\"}\n  \n{}\n", NB_IN_JSONL);
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 3);
	ck_assert_str_eq(key(&x.r, 0), "x");
	ck_assert_str_eq(field(&x.r, 0), "-1.5e3");
	ck_assert_int_eq(x.r.f[0].bare, 1);
	ck_assert_str_eq(key(&x.r, 1), "id");
	ck_assert_str_eq(field(&x.r, 1), "a\"b\xC3\xA9\xF0\x9F\x98\x80");
	ck_assert_int_eq(x.r.f[1].bare, 0);
	ck_assert_str_eq(field(&x.r, 2), "nan");
	ck_assert_int_eq(nb_rr_next(&x.r), 1);
	ck_assert_uint_eq(x.r.nf, 0);
	ck_assert_uint_eq(x.r.recline, 3);
	ck_assert_int_eq(nb_rr_next(&x.r), 0);
	close_text(&x);
}
END_TEST

START_TEST(jsonl_errors)
{
	static const struct {
		const char *line, *msg;
		size_t col;
	} cases[] = {
		{ "[1]", "expected '{', found '['", 1 },
		{ "{\"x\" 1}", "expected ':', found '1'", 6 },
		{ "{\"x\":{}}", "nested objects are not supported", 6 },
		{ "{\"x\":[[1,2],[3]]}", "ragged array: row 2 has 1, row 1 2 "
		  "elements", 6 },
		{ "{\"x\":[1,[2]]}", "an array may hold numbers or arrays of "
		  "numbers, not both and no deeper", 9 },
		{ "{\"x\":[[[1]]]}", "an array may hold numbers or arrays of "
		  "numbers, not both and no deeper", 8 },
		{ "{\"x\":[]}", "an empty array", 6 },
		{ "{\"x\":[1 2]}", "expected ',' or ']' in the array, found "
		  "'2'", 9 },
		{ "{\"x\":1,}", "expected a \"key\" after ',', found '}'",
		  8 },
		{ "{\"x\":1 \"y\":2}", "expected ',' or '}', found '\"'",
		  8 },
		{ "{\"x\":1} 2", "'2' after the object", 9 },
		{ "{\"x\":\"a", "unterminated string", 6 },
		{ "{\"x\":\"\\q\"}", "bad escape in a string", 7 },
		{ "{\"x\":\"\\udc00\"}", "lone surrogate in a \\u escape", 7 },
		{ "{\"x\":1", "expected ',' or '}', found the end of the line",
		  7 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct fixture x;
		char text[64];
		size_t line, len = (size_t)snprintf(text, sizeof text,
						    "%s\n{\"ok\":1}\n",
						    cases[i].line);
		open_text(&x, text, len, NB_IN_JSONL);
		ck_assert_int_eq(nb_rr_next(&x.r), -1);
		ck_assert_str_eq(x.r.errmsg, cases[i].msg);
		ck_assert_uint_eq(column(&x.r, x.r.errat, &line),
				  cases[i].col);
		/* The next line is read as a record of its own. */
		ck_assert_int_eq(nb_rr_next(&x.r), 1);
		ck_assert_str_eq(key(&x.r, 0), "ok");
		ck_assert_uint_eq(x.r.recline, 2);
		close_text(&x);
	}
}
END_TEST

/* Records written from known fields, plain and quoted, with LF and CRLF
 * ends, over several of the reader's 64 KiB blocks: lines wholly in a
 * block take the one-pass path, lines split between reads and quoted
 * ones the byte-by-byte path, and both must give the fields, their
 * columns and the line numbers that were written. */
START_TEST(both_paths_agree)
{
	static const char *const shown[] = { "", "1.5", "-2e-3", "abc",
					     "\"a,b\"", "\"x\"\"y\"", "7 8" };
	static const char *const value[] = { "", "1.5", "-2e-3", "abc",
					     "a,b", "x\"y", "7 8" };
	enum { LINES = 20000, MAXF = 6 };
	size_t cap = (size_t)LINES * MAXF * 8, len = 0;
	char *text = malloc(cap);
	unsigned char *nf = malloc(LINES), *kind = malloc((size_t)LINES * MAXF);
	size_t *at = malloc((size_t)LINES * MAXF * sizeof *at);
	unsigned long state = 777;
	struct fixture x;

	ck_assert(text && nf && kind && at);
	for (size_t i = 0; i < LINES; i++) {
		size_t start = len;

		state = state * 6364136223846793005UL + 1442695040888963407UL;
		nf[i] = (unsigned char)(1 + (state >> 33) % MAXF);
		for (size_t k = 0; k < nf[i]; k++) {
			state = state * 6364136223846793005UL + 1UL;
			kind[i * MAXF + k] = (unsigned char)((state >> 33) % 7);
			at[i * MAXF + k] = len - start;
			len += (size_t)sprintf(text + len, "%s%s", k ? "," : "",
					       shown[kind[i * MAXF + k]]);
			at[i * MAXF + k] += k != 0;
		}
		len += (size_t)sprintf(text + len, "%s", state >> 40 & 1 ? "\r\n"
								       : "\n");
		/* A line of one empty field is blank, which the reader skips. */
		if (nf[i] == 1 && kind[i * MAXF] == 0) {
			len = start + (size_t)sprintf(text + start, "0\n");
			kind[i * MAXF] = 7;
		}
	}
	ck_assert_uint_gt(len, 3 << 16);
	open_text(&x, text, len, NB_IN_CSV);
	for (size_t i = 0; i < LINES; i++) {
		ck_assert_int_eq(nb_rr_next(&x.r), 1);
		ck_assert_uint_eq(x.r.recline, i + 1);
		ck_assert_uint_eq(x.r.nf, nf[i]);
		for (size_t k = 0; k < nf[i]; k++) {
			unsigned char kd = kind[i * MAXF + k];

			ck_assert_str_eq(field(&x.r, k), kd == 7 ? "0" : value[kd]);
			ck_assert_uint_eq(x.r.f[k].at, at[i * MAXF + k]);
		}
	}
	ck_assert_int_eq(nb_rr_next(&x.r), 0);
	close_text(&x);
	free(text);
	free(nf);
	free(kind);
	free(at);
}
END_TEST

/* Random bytes from the characters that matter to the three formats:
 * the reader must end every input, with each call a record, a bad
 * record or the end, never more calls than lines, and every field inside
 * its buffer. */
START_TEST(random_inputs)
{
	static const char alphabet[] = ",\"\n\r\t{}[]:\\u a1.-e\0\xEF\xBB";
	unsigned long state = 12345;

	for (int iter = 0; iter < 3000; iter++) {
		struct fixture x;
		char text[160];
		size_t len, lines = 1, calls = 0;
		int rc;

		state = state * 6364136223846793005UL + 1442695040888963407UL;
		len = (size_t)(state >> 33) % sizeof text;
		for (size_t i = 0; i < len; i++) {
			state = state * 6364136223846793005UL + 1UL;
			text[i] = alphabet[(state >> 33) % (sizeof alphabet - 1)];
			lines += text[i] == '\n';
		}
		open_text(&x, text, len, (enum nb_rowfmt)(iter % 3));
		while ((rc = nb_rr_next(&x.r)) != 0) {
			ck_assert(rc == 1 || rc == -1);
			ck_assert_uint_le(++calls, lines);
			ck_assert(rc == 1 || x.r.errat <= x.r.rawlen);
			for (size_t k = 0; rc == 1 && k < x.r.nf; k++)
				ck_assert_uint_le(x.r.f[k].off + x.r.f[k].len,
						  x.r.datalen);
		}
		close_text(&x);
	}
}
END_TEST

static Suite *rowreader_suite(void)
{
	Suite *s = suite_create("rowreader");
	TCase *tc = tcase_create("records");

	tcase_add_test(tc, csv_plain);
	tcase_add_test(tc, csv_quoted);
	tcase_add_test(tc, crlf_bom_blank);
	tcase_add_test(tc, csv_errors);
	tcase_add_test(tc, tsv_no_quoting);
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, both_paths_agree);
	tcase_add_test(tc, jsonl_fields);
	tcase_add_test(tc, jsonl_errors);
	tcase_add_test(tc, random_inputs);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(rowreader_suite);
