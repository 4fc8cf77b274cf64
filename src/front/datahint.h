/* datahint.h - when the data does not match the program, say what was
 * found in the data: the columns, the inputs the program needs, and
 * what looks wrong (a blank around a name, a first line in another
 * format than the one being read).  Also the input format a file's name
 * implies. */
#ifndef NABLA_DATAHINT_H
#define NABLA_DATAHINT_H

#include <stddef.h>

#include "core/program.h"
#include "front/rowreader.h"

/* The format the extension of path names (.csv, .tsv, .jsonl, .ndjson),
 * or dflt. */
enum nb_rowfmt nb_rowfmt_of_path(const char *path, enum nb_rowfmt dflt);

/* "; the first line looks like ...: --input=..." when r's current
 * record (the first) looks like another format than r->fmt, else "". */
const char *nb_first_line_hint(const struct nb_rowreader *r);

/* Writes to msg (size bytes) why the first record r of the data leaves
 * inputs of p unbound: its columns (names[0..n-1], colvar[c] the input
 * column c feeds, or -1) against the inputs p lacks or the columns feed,
 * with a hint.  Returns the offset in r->raw of the column the hint is
 * about, or 0. */
size_t nb_header_mismatch(char *msg, size_t size,
			  const struct nb_rowreader *r,
			  const struct nb_program *p, const long *colvar);

#endif
