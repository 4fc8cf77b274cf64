/* tests/fuzz/check.h - the fuzz targets' invariants on nabla's output.
 * Each aborts (which libFuzzer reports as a crash) when its invariant
 * does not hold. */
#ifndef NABLA_FUZZ_CHECK_H
#define NABLA_FUZZ_CHECK_H

#include <stddef.h>

/* Text a person reads: UTF-8 without control codes (C0, DEL, C1) but
 * line ends, and tabs when tab is set. */
void fuzz_check_clean(const char *s, size_t len, int tab);

/* Empty, or a line end last: output stops only between records. */
void fuzz_check_record_end(const char *s, size_t len);

/* JSON by RFC 8259: one value, whole (fuzz_check_json), or one object
 * a line (fuzz_check_jsonl; its values may be arrays: a tensor's, or a
 * pass-through field's as read).  Numbers are JSON's, so nan and inf
 * barewords fail. */
void fuzz_check_json(const char *s, size_t len);
void fuzz_check_jsonl(const char *s, size_t len);

/* Records separated by sep (',': CSV by RFC 4180, quotes and all;
 * '\t': TSV, which has no quoting), every one with as many fields as
 * the header line. */
void fuzz_check_fields(const char *s, size_t len, char sep);

#endif
