/* argvalue.h - a value given on the command line (NAME=VALUE, --upstream):
 * a number, a constant expression (2*pi, [1,-2,3,-3], randn(5,10)) or
 * @FILE (front/valuefile.h).
 *
 * A number is read exactly as it always was, with the same messages; any
 * other VALUE is compiled and run as a program of its own, which must
 * use no input variable.  Its diagnostics point into VALUE under the
 * source name "<NAME>" ("<upstream>"), a bad file's into the file: the
 * caller prints them with the source nb_argvalue_source gives. */
#ifndef NABLA_ARGVALUE_H
#define NABLA_ARGVALUE_H

#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "core/shape.h"

/* How to read a value, and where its located diagnostic points. */
struct nb_argvalue {
	uint64_t seed;          /* --seed: randn and rand in the value */
	uint64_t streams;       /* values read so far that ran: the next
				 * draws from stream streams + 1 */
	/* If not NULL, called with each domain warning of a value's
	 * evaluation (x=log(-1)), located in src; ctx is passed on. */
	void (*warn)(void *ctx, const struct nb_source *src,
		     const struct nb_diag *d);
	void *ctx;
	/* Filled by a located error in a value or its file, else text
	 * NULL (the diagnostic points nowhere, or into the caller's own
	 * source). */
	struct nb_source src;
	char name[64];          /* "<NAME>", src.name */
	char *text;             /* what src.text points into, owned */
};

/* Reads value (NUL-terminated) into *out (freed with nb_tensor_free; a
 * number is a tensor of rank 0).  what is how the plain messages about
 * the number name the argument ("'x=abc'", "--upstream"); srcname is
 * the source name of a value's located messages ("x", "upstream": shown
 * as "<x>").  Returns 0, or an exit status with d filled: 2 for a value
 * that is no number or constant expression, 1 for a bad file or a
 * value that fails to evaluate, or as the value's run says. */
int nb_argvalue_read(struct nb_argvalue *a, const char *what,
		     const char *srcname, size_t srclen, const char *value,
		     struct nb_tensor *out, struct nb_diag *d);

/* The source a's last located diagnostic points into, or fallback when
 * it points into none of a's. */
const struct nb_source *nb_argvalue_source(const struct nb_argvalue *a,
					   const struct nb_source *fallback);

/* Frees what a holds (its diagnostic's text). */
void nb_argvalue_free(struct nb_argvalue *a);

#endif
