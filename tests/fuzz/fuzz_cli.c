/* tests/fuzz/fuzz_cli.c - libFuzzer target: the whole command line,
 * nb_cli_main through every mode (modes.def) and every format
 * (formats.def), one-shot and batch, with the output checked.
 *
 * Input: four option bytes, then fields separated by 0x1c bytes.
 *   byte 0  the mode: modes.def's rows in order, then none (the default);
 *   byte 1  -o: formats.def's rows in order, then none;
 *   byte 2  bit 0 --batch, 1 --strict, 2 --nodes, 3 --edges, 4 the
 *           program from -f FILE, 5 --input jsonl, 6 --on-error nan,
 *           7 --on-error skip;
 *   byte 3  bits 0-4 --precision (0: none), bit 5 --emit's language
 *           (c or python), bit 6 --wrt with field 2;
 *   fields  0 the program, 1 the mode's NAME=D,... argument (x=1 if
 *           none), 2 --wrt's names, 3 bindings (words split at blanks;
 *           those without '=' or with '@' dropped, so no other file is
 *           read), 4 a file: the batch data after the program, and the
 *           FILE of a mode that takes one (--verify).
 * nb_cli_main runs `nabla OPTIONS -- PROGRAM [DATA] BINDINGS...` with
 * stdin empty.  Invariants (a violation aborts, which libFuzzer reports):
 *   - the exit status is 0, 1 or 2;
 *   - the output ends at a record boundary (empty, or a line end last);
 *   - no control byte, DEL or C1 code, and nothing that is not UTF-8,
 *     reaches stderr, the table, the graph or a mode's text (tabs allowed
 *     in the graph and code; CSV and TSV pass data's bytes through, as
 *     the man page says);
 *   - json is one JSON value and jsonl one object a line, by
 *     RFC 8259 (no nan or inf barewords); csv and tsv lines have as many
 *     fields as the header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modes/modes.h"
#include "check.h"
#include "run.h"

#define OPS(x) 0
#define NOOPS 0

static const struct mode {
	const char *option;     /* --name, or NULL: the default */
	enum nb_mode_arg arg;
	int writes;
} modes[] = {
#define NB_MODE(ID, name, arg, argname, help, usage, min, max, cmdhelp, \
		writes, takes, ops) { help ? "--" name : NULL, arg, writes },
#include "modes/modes.def"
#undef NB_MODE
};
#define NMODES (sizeof modes / sizeof *modes)

static const char *const formats[] = {
#define NB_FORMAT(ID, name, fronts, human, graph, sink) name,
#include "output/formats.def"
#undef NB_FORMAT
};
#define NFORMATS (sizeof formats / sizeof *formats)

#define NFIELDS 5
#define MAXARGS 64

/* Splits s (NUL-terminated, len bytes) at 0x1c bytes into field[]; the
 * last field is the rest, 0x1c bytes and all. */
static void split_fields(char *s, size_t len, char *field[NFIELDS])
{
	char *e = s + len, *sep;

	for (int i = 0; i < NFIELDS; i++) {
		field[i] = s;
		if (s && i < NFIELDS - 1 &&
		    (sep = memchr(s, 0x1c, (size_t)(e - s)))) {
			*sep = '\0';
			s = sep + 1;
		} else {
			s = NULL;
		}
	}
}

/* The bindings in field b, one argument a word, into argv from n. */
static int bindings(char *b, char **argv, int n)
{
	for (char *w = b ? strtok(b, " \n") : NULL; w && n < MAXARGS - 1;
	     w = strtok(NULL, " \n"))
		if (w[0] != '-' && strchr(w, '=') && !strchr(w, '@'))
			argv[n++] = w;
	return n;
}

/* The scratch file of the data field d, NUL bytes and all (the rest of
 * the input text, of size - 4 bytes). */
static const char *data_file(const char *d, const char *text, size_t size)
{
	return fuzz_write("data", d ? d : "",
			  d ? (size_t)(text + size - 4 - d) : 0);
}

/* The invariants on r, for output in format fmt; text: a mode's text
 * (code, which may hold tabs) for the table. */
static void check(const struct fuzz_run *r, const char *fmt, int text)
{
	if (r->status < 0 || r->status > 2)
		abort();
	fuzz_check_record_end(r->out, r->outlen);
	fuzz_check_clean(r->err, r->errlen, 0);
	if (!strcmp(fmt, "table"))
		fuzz_check_clean(r->out, r->outlen, text);
	else if (!strcmp(fmt, "dot"))
		fuzz_check_clean(r->out, r->outlen, 1);
	else if (!strcmp(fmt, "json") && r->outlen)
		fuzz_check_json(r->out, r->outlen);
	else if (!strcmp(fmt, "jsonl"))
		fuzz_check_jsonl(r->out, r->outlen);
	else if (!strcmp(fmt, "csv"))
		fuzz_check_fields(r->out, r->outlen, ',');
	else if (!strcmp(fmt, "tsv"))
		fuzz_check_fields(r->out, r->outlen, '\t');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAXARGS], *field[NFIELDS], *text, prec[16];
	const struct mode *m;
	const char *fmt;
	struct fuzz_run r;
	int n = 0, flags, more;

	if (size < 4)
		return 0;
	m = data[0] % (NMODES + 1) < NMODES ? &modes[data[0] % (NMODES + 1)]
					     : NULL;
	fmt = data[1] % (NFORMATS + 1) < NFORMATS
	      ? formats[data[1] % (NFORMATS + 1)] : NULL;
	flags = data[2];
	more = data[3];
	if (!(text = malloc(size - 3)))
		abort();
	memcpy(text, data + 4, size - 4);
	text[size - 4] = '\0';
	split_fields(text, size - 4, field);

	argv[n++] = "nabla";
	if (m && m->option) {
		argv[n++] = (char *)m->option;
		if (m->arg == NB_ARG_DIRECTION)
			argv[n++] = field[1] ? field[1] : "x=1";
		else if (m->arg == NB_ARG_LANG)
			argv[n++] = more & 32 ? "python" : "c";
		else if (m->arg == NB_ARG_FILE)
			argv[n++] = (char *)data_file(field[4], text, size);
	}
	if (fmt) {
		argv[n++] = "-o";
		argv[n++] = (char *)fmt;
	}
	if (flags & 1)
		argv[n++] = "--batch";
	if (flags & 2)
		argv[n++] = "--strict";
	if (flags & 4)
		argv[n++] = "--nodes";
	if (flags & 8)
		argv[n++] = "--edges";
	if (flags & 32) {
		argv[n++] = "--input";
		argv[n++] = "jsonl";
	}
	if (flags & 0xc0) {
		argv[n++] = "--on-error";
		argv[n++] = flags & 64 ? "nan" : "skip";
	}
	if (more & 31) {
		snprintf(prec, sizeof prec, "%d", more & 31);
		argv[n++] = "--precision";
		argv[n++] = prec;
	}
	if (more & 64 && field[2]) {
		argv[n++] = "--wrt";
		argv[n++] = field[2];
	}
	if (flags & 16) {
		argv[n++] = "-f";
		argv[n++] = (char *)fuzz_write("prog", field[0],
					       strlen(field[0]));
		argv[n++] = "--";
	} else {
		argv[n++] = "--";
		argv[n++] = field[0];
	}
	if (flags & 1)
		argv[n++] = (char *)data_file(field[4], text, size);
	n = bindings(field[3], argv, n);
	argv[n] = NULL;

	fuzz_main(argv, &r);
	/* Without -o, batch mode writes csv, the others a table. */
	check(&r, fmt ? fmt : flags & 1 ? "csv" : "table",
	      m && (m->writes & NB_WRITES_TEXT));
	fuzz_run_free(&r);
	free(text);
	return 0;
}
