/* npy.h - NumPy's .npy format: writing float64 arrays (--save-grad), and
 * the constants its reader (front/valuefile.h) shares.
 *
 * A file is the magic "\x93NUMPY", a version (1.0: the header's length
 * in 2 bytes; 2.0 and 3.0: in 4), the header (a Python dict literal:
 * 'descr', 'fortran_order', 'shape') padded with blanks and a newline so
 * that the data starts at a multiple of 64 bytes, then the data. */
#ifndef NABLA_NPY_H
#define NABLA_NPY_H

#include <stdio.h>

#include "core/shape.h"

#define NB_NPY_MAGIC "\x93NUMPY"
#define NB_NPY_MAGIC_LEN 6
#define NB_NPY_ALIGN 64

/* Enough for the header nb_npy_header writes for any shape. */
#define NB_NPY_HEADER_MAX (2 * NB_NPY_ALIGN + NB_MAX_RANK * 24)

/* The header (magic to newline) of a little-endian float64 C-order
 * array of shape s, byte for byte as numpy.save writes it: version 1.0,
 * keys sorted, the spare blanks numpy leaves for growing the first
 * axis, padded to 64 bytes.  Writes to buf (NB_NPY_HEADER_MAX bytes)
 * and returns the length. */
size_t nb_npy_header(unsigned char *buf, const struct nb_shape *s);

/* Writes the array (shape s, data row-major) to f as a .npy file.
 * Returns 0, or -1 on a write error (errno says why). */
int nb_npy_write(FILE *f, const struct nb_shape *s, const double *data);

#endif
