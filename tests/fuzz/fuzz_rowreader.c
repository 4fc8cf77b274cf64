/* tests/fuzz/fuzz_rowreader.c - libFuzzer target: batch-mode input.
 *
 * Batch mode reads CSV, TSV or JSON Lines that nobody checked, so its
 * reader and driver must survive any bytes.  The first input byte picks
 * the input format, --on-error mode, layout, --no-echo and a binding on
 * the command line; the second the output format, one of four fixed
 * programs and the precision; the rest is the data, split into two
 * files at the first 0x1c (file separator) byte, if any.
 *
 * The data is first read record by record with the row reader alone
 * (every record and field to the end, each bad record's diagnostic
 * rendered), then given to the whole batch driver, nb_batch_run, which
 * binds columns, sweeps and writes rows in the chosen layout.  Output
 * and diagnostics go to /dev/null (glibc's stdout and stderr are plain
 * variables, swapped only around the call, so libFuzzer and the
 * sanitizers keep the real stderr); the files live in a private
 * temporary directory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/compile.h"
#include "core/diag.h"
#include "core/program.h"
#include "front/batch.h"
#include "front/rowreader.h"

static const char *const programs[] = {
	"x * y",
	"q = x + y\nf = q * z + log(abs(x)) + max(x, 0) / y",
	"a * x + b * y + c",
	"c = 3\nx / c + c * y",
};

static char path[2][64];

static void setup(void)
{
	char dir[] = "/tmp/nabla-fuzz-rows.XXXXXX";

	if (!mkdtemp(dir))
		abort();
	for (int i = 0; i < 2; i++)
		snprintf(path[i], sizeof path[i], "%s/%d", dir, i);
}

static int put(const char *name, const uint8_t *data, size_t size)
{
	FILE *f = fopen(name, "wb");
	int bad;

	if (!f)
		return -1;
	bad = fwrite(data, 1, size, f) != size;
	return fclose(f) || bad ? -1 : 0;
}

/* Every record and field of one file, with the reader alone (which
 * reads the file descriptor: no fmemopen). */
static void read_all(FILE *devnull, const char *name, enum nb_rowfmt fmt)
{
	struct nb_rowreader r;
	struct nb_source src;
	struct nb_diag d;
	size_t sum = 0;
	FILE *in;
	int rc;

	if (!(in = fopen(name, "rb")))
		abort();
	if (nb_rr_open(&r, in, "<fuzz>", fmt) == 0) {
		while ((rc = nb_rr_next(&r)) != 0 && rc != -2) {
			nb_rr_source(&r, &src);
			if (rc == -1) {
				nb_error(&d, NB_EFAIL, r.errat, 1, "%s",
					 r.errmsg);
				nb_diag_print(devnull, &src, &d, 1);
				continue;
			}
			for (size_t i = 0; i < r.nf; i++) {
				const struct nb_field *f = &r.f[i];
				for (size_t k = 0; k < f->len; k++)
					sum += (unsigned char)r.data[f->off + k];
				for (size_t k = 0; k < f->keylen; k++)
					sum += (unsigned char)r.data[f->key + k];
				sum += (unsigned char)r.raw[f->at < r.rawlen
							    ? f->at : 0];
			}
		}
		nb_rr_close(&r);
	}
	fclose(in);
	fprintf(devnull, "%zu", sum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	static const enum nb_format outfmt[] = { NB_FMT_CSV, NB_FMT_TSV,
						 NB_FMT_JSONL, NB_FMT_TABLE };
	char bind[] = "y=2", *ops[3] = { bind, path[0], path[1] };
	struct nb_batch_opts o = { 0 };
	struct nb_program p;
	struct nb_diag d;
	const uint8_t *sep;
	size_t wrt[8], n1;
	const char *prog;
	FILE *out = stdout, *err = stderr;
	int nops;

	if (!devnull) {
		setup();
		devnull = fopen("/dev/null", "w");
	}
	if (size < 2)
		return 0;
	o.on = 1;
	o.input = (data[0] & 3) == 3 ? NB_IN_CSV : (enum nb_rowfmt)(data[0] & 3);
	o.on_error = (data[0] >> 2 & 3) == 3 ? NB_ONERR_NAN
					     : (enum nb_onerror)(data[0] >> 2 & 3);
	o.layout = (data[0] >> 4 & 3) == 3 ? NB_WIDE
					   : (enum nb_layout)(data[0] >> 4 & 3);
	o.no_echo = data[0] >> 6 & 1;
	o.format_given = 1;
	o.format = outfmt[data[1] & 3];
	o.precision = 1 + (data[1] >> 4) % 17;
	o.color = data[1] >> 4 & 1;
	prog = programs[data[1] >> 2 & 3];

	data += 2;
	size -= 2;
	sep = memchr(data, 0x1c, size);
	n1 = sep ? (size_t)(sep - data) : size;
	if (put(path[0], data, n1) ||
	    put(path[1], data + n1 + !!sep, sep ? size - n1 - 1 : 0))
		abort();
	read_all(devnull, path[0], o.input);
	nops = sep ? 3 : 2;

	if (nb_program_compile(&p, "<expr>", prog, strlen(prog), &d))
		abort();
	for (size_t i = 0; i < p.nvars && i < 8; i++)
		wrt[i] = p.nvars - 1 - i;       /* every one, reversed */
	stdout = stderr = devnull;
	nb_batch_run(&p, &o, wrt, p.nvars < 8 ? p.nvars : 8,
		     data[-2] & 0x80 ? ops : ops + 1,
		     data[-2] & 0x80 ? nops : nops - 1);
	stdout = out;
	stderr = err;
	nb_program_free(&p);
	return 0;
}
