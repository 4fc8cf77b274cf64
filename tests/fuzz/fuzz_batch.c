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
 *   - every JSON Lines line is one JSON object by RFC 8259, read by
 *     a strict checker (check.h). */
#include <stdint.h>

#include "check.h"
#include "run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const outs[] = { "csv", "tsv", "jsonl", "table" };
	struct fuzz_run r;
	int o;

	if (size < 1)
		return 0;
	o = data[0];
	char *argv[] = { "nabla", "--batch", "--input",
			 o & 1 ? "jsonl" : "csv", "-o", (char *)outs[o >> 1 & 3],
			 "--on-error", o & 8 ? "nan" : "stop", "x*2 + y",
			 (char *)fuzz_write("data", data + 1, size - 1), "y=1",
			 NULL };
	fuzz_main(argv, &r);
	fuzz_check_record_end(r.out, r.outlen);
	fuzz_check_clean(r.err, r.errlen, 0);
	if ((o >> 1 & 3) == 3)
		fuzz_check_clean(r.out, r.outlen, 0);
	if ((o >> 1 & 3) == 2)
		fuzz_check_jsonl(r.out, r.outlen);
	fuzz_run_free(&r);
	return 0;
}
