/* valuefile.h - tensors from files, for NAME=@FILE bindings (doc/design.md: values with shapes).
 *
 * The file's type comes from its extension, in any case:
 *   .npy        NumPy: float64, float32, int32 or int64, either byte
 *               order, C or Fortran order, rank 0 to NB_MAX_RANK;
 *   .csv .tsv   numbers without a header, read as numpy.loadtxt reads
 *               them: blank lines and '#' comments skipped, CRLF and
 *               blanks around fields accepted; one line or one column
 *               is a vector (one number too: a vector of one element),
 *               more of both a matrix;
 *   .json       a number, or arrays of numbers nested up to NB_MAX_RANK
 *               deep, every array at a depth as long as the others.
 * A value has at least one element.  Numbers are read exactly and
 * whatever the locale (num/numfmt.h); one that underflows to 0 is an
 * error, as in a program.
 *
 * A bad file is an error of status 1: for text, located at the byte it
 * is about in the file's text (print it with nb_valuefile_source, which
 * gives line and column); for .npy, unlocated, naming the file and the
 * byte offset. */
#ifndef NABLA_VALUEFILE_H
#define NABLA_VALUEFILE_H

#include <stddef.h>

#include "core/diag.h"
#include "core/shape.h"

struct nb_valuefile {
	const char *path;
	struct nb_tensor value;
	char *text;             /* the file's bytes, NUL-terminated */
	size_t len;
};

/* Reads the file at path into vf->value.  Returns 0, or an exit status
 * with d filled; either way vf is to be freed with nb_valuefile_free. */
int nb_valuefile_read(struct nb_valuefile *vf, const char *path,
		      struct nb_diag *d);

/* The source that vf's located diagnostics point into. */
struct nb_source nb_valuefile_source(const struct nb_valuefile *vf);

void nb_valuefile_free(struct nb_valuefile *vf);

/* The readers, on a file's bytes in memory (p[len] need not be NUL).
 * Each returns 0 and sets *t (freed with nb_tensor_free), or an exit
 * status with d filled and t empty.  name is the file, for .npy's
 * unlocated messages; sep is ',' or '\t'. */
int nb_npy_read(const unsigned char *p, size_t len, const char *name,
		struct nb_tensor *t, struct nb_diag *d);
int nb_text_read(const char *p, size_t len, char sep, struct nb_tensor *t,
		 struct nb_diag *d);
int nb_json_read(const char *p, size_t len, struct nb_tensor *t,
		 struct nb_diag *d);

/* Shared by the text readers: numbers collected in order. */
struct nb_numbuf {
	double *x;
	size_t n, cap;
};

/* Appends v.  Returns 0, or an exit status with d filled (out of
 * memory). */
int nb_numbuf_push(struct nb_numbuf *b, double v, struct nb_diag *d);

/* The len bytes at s, which start at byte start of the file, as one
 * number.  Returns 0, or an exit status with d filled and located there
 * (not a number, or a nonzero number that would read as 0). */
int nb_numbuf_number(const char *s, size_t len, size_t start, double *v,
		     struct nb_diag *d);

/* Gives the numbers in b to t with shape s (b's size), b emptied. */
void nb_numbuf_take(struct nb_numbuf *b, const struct nb_shape *s,
		    struct nb_tensor *t);

#endif
