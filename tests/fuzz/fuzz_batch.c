/* tests/fuzz/fuzz_batch.c - libFuzzer target: hostile data through the
 * whole batch command line, with the output checked, not only survived.
 *
 * Input: one option byte, then the data.  The byte picks the input
 * format (bit 0: csv or jsonl), the output format (bits 1-2: csv, tsv,
 * jsonl, table) and --on-error (bit 3: stop or nan); the data goes to a
 * temporary file and nb_cli_main runs `nabla --batch ... 'x*2 + y' FILE
 * y=1`, as a user would, with stdout and stderr in temporary files.
 * Invariants (a violation aborts, which libFuzzer reports):
 *   - the output ends at a record boundary (empty, or a line end last);
 *   - no control byte, DEL or C1 code, and nothing that is not UTF-8,
 *     reaches stderr or the table (data quoted there is escaped);
 *   - every JSON Lines line is a flat JSON object by RFC 8259, read by
 *     the strict checker below. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/escape.h"
#include "front/cli.h"

static char dir[] = "/tmp/nabla-fuzz-batch.XXXXXX";
static char data_path[64], out_path[64], err_path[64];

/* The whole file at path, with its length; NULL if there is none. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		abort();
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Text a person reads: UTF-8 without control codes but line ends. */
static void check_clean(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0, k; i < len; i += k) {
		k = nb_utf8_len(u + i, len - i);
		if (k == 0 || nb_utf8_is_c1(u + i, k) ||
		    (k == 1 && ((u[i] < 0x20 && u[i] != '\n') || u[i] == 0x7f)))
			abort();
	}
}

/* --- a strict JSON checker for one flat object ----------------------- */

static const char *ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *digits(const char *p, const char *e)
{
	const char *q = p;

	while (q < e && *q >= '0' && *q <= '9')
		q++;
	return q > p ? q : NULL;
}

static const char *number(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (!(p = digits(p, e)))
		return NULL;
	if (p < e && *p == '.' && !(p = digits(p + 1, e)))
		return NULL;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (!(p = digits(p, e)))
			return NULL;
	}
	return p;
}

static const char *string(const char *p, const char *e)
{
	const unsigned char *u;

	if (p >= e || *p++ != '"')
		return NULL;
	while (p < e && *p != '"') {
		u = (const unsigned char *)p;
		if (*u < 0x20)
			return NULL;
		if (*p == '\\') {
			if (++p >= e || !*p || !strchr("\"\\/bfnrtu", *p))
				return NULL;
			if (*p == 'u')
				for (int k = 0; k < 4; k++)
					if (++p >= e || !*p ||
					    !strchr("0123456789abcdefABCDEF", *p))
						return NULL;
			p++;
			continue;
		}
		size_t k = nb_utf8_len(u, (size_t)(e - p));
		if (k == 0)
			return NULL;
		p += k;
	}
	return p < e ? p + 1 : NULL;
}

static const char *value(const char *p, const char *e)
{
	static const char *const lit[] = { "true", "false", "null" };

	if (p < e && *p == '"')
		return string(p, e);
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(lit[i]);
		if ((size_t)(e - p) >= n && memcmp(p, lit[i], n) == 0)
			return p + n;
	}
	return number(p, e);
}

static void check_json_line(const char *p, const char *e)
{
	p = ws(p, e);
	if (p >= e || *p++ != '{')
		abort();
	for (int first = 1;; first = 0) {
		p = ws(p, e);
		if (first && p < e && *p == '}')
			break;
		if (!(p = string(p, e)))
			abort();
		p = ws(p, e);
		if (p >= e || *p++ != ':')
			abort();
		if (!(p = value(ws(p, e), e)))
			abort();
		p = ws(p, e);
		if (p < e && *p == ',') {
			p++;
			continue;
		}
		if (p >= e || *p != '}')
			abort();
		break;
	}
	if (ws(p + 1, e) != e)
		abort();
}

static void check_jsonl(const char *s, size_t len)
{
	const char *e = s + len;

	for (const char *p = s, *nl; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		check_json_line(p, nl);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const outs[] = { "csv", "tsv", "jsonl", "table" };
	FILE *f, *out = stdout, *err = stderr;
	char *text, *diag;
	size_t len, dlen;
	int o;

	if (size < 1)
		return 0;
	if (!data_path[0]) {
		if (!mkdtemp(dir))
			abort();
		snprintf(data_path, sizeof data_path, "%s/data", dir);
		snprintf(out_path, sizeof out_path, "%s/out", dir);
		snprintf(err_path, sizeof err_path, "%s/err", dir);
	}
	o = data[0];
	if (!(f = fopen(data_path, "wb")) ||
	    fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
		abort();
	char *argv[] = { "nabla", "--batch", "--input",
			 o & 1 ? "jsonl" : "csv", "-o", (char *)outs[o >> 1 & 3],
			 "--on-error", o & 8 ? "nan" : "stop", "x*2 + y",
			 data_path, "y=1", NULL };
	if (!(stdout = fopen(out_path, "wb")) || !(stderr = fopen(err_path,
								  "wb")))
		abort();
	optind = 0;             /* getopt starts afresh */
	nb_cli_main((int)(sizeof argv / sizeof *argv) - 1, argv);
	fclose(stderr);         /* nb_cli_main closed stdout */
	stdout = out;
	stderr = err;
	text = slurp(out_path, &len);
	diag = slurp(err_path, &dlen);
	if (!text || !diag)
		abort();
	if (len > 0 && text[len - 1] != '\n')
		abort();
	check_clean(diag, dlen);
	if ((o >> 1 & 3) == 3)
		check_clean(text, len);
	if ((o >> 1 & 3) == 2)
		check_jsonl(text, len);
	free(text);
	free(diag);
	return 0;
}
