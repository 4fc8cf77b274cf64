/* npy.c - writes .npy files: float64, little-endian, C order. */
#include "output/npy.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

/* numpy leaves room in the header for the first axis to grow to 21
 * digits (format.py, GROWTH_AXIS_MAX_DIGITS), so files can be appended
 * to in place; matching it makes the files byte-identical. */
#define GROWTH_DIGITS 21

size_t nb_npy_header(unsigned char *buf, const struct nb_shape *s)
{
	char dict[NB_NPY_HEADER_MAX];
	size_t n, total, hlen;
	int first_len = 0;

	n = (size_t)snprintf(dict, sizeof dict,
			     "{'descr': '<f8', 'fortran_order': False, "
			     "'shape': (");
	for (int i = 0; i < s->rank; i++) {
		int len = snprintf(dict + n, sizeof dict - n, "%s%lu",
				   i ? ", " : "", (unsigned long)s->dim[i]);

		if (i == 0)
			first_len = len;
		n += (size_t)len;
	}
	/* A 1-tuple is "(3,)" in Python. */
	n += (size_t)snprintf(dict + n, sizeof dict - n, "%s), }",
			      s->rank == 1 ? "," : "");
	if (s->rank > 0) {
		memset(dict + n, ' ', (size_t)(GROWTH_DIGITS - first_len));
		n += (size_t)(GROWTH_DIGITS - first_len);
	}
	/* Magic, version, length, dict, blanks, newline: a multiple of 64,
	 * with at least one blank (numpy pads by 64 when already aligned). */
	total = NB_NPY_MAGIC_LEN + 4 + n + 1;
	total += NB_NPY_ALIGN - total % NB_NPY_ALIGN;
	hlen = total - NB_NPY_MAGIC_LEN - 4;
	memcpy(buf, NB_NPY_MAGIC, NB_NPY_MAGIC_LEN);
	buf[6] = 1;
	buf[7] = 0;
	buf[8] = (unsigned char)(hlen & 0xff);
	buf[9] = (unsigned char)(hlen >> 8);
	memcpy(buf + 10, dict, n);
	memset(buf + 10 + n, ' ', total - 10 - n - 1);
	buf[total - 1] = '\n';
	return total;
}

/* The bytes of v, least significant first, whatever the host's order. */
static void put_le64(unsigned char *p, double v)
{
	uint64_t bits;

	memcpy(&bits, &v, sizeof bits);
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(bits >> (8 * i));
}

int nb_npy_write(FILE *f, const struct nb_shape *s, const double *data)
{
	unsigned char head[NB_NPY_HEADER_MAX], chunk[8 * 512];
	size_t n, len = nb_npy_header(head, s), fill = 0;

	if (nb_shape_size(s, &n) != 0) {
		errno = EOVERFLOW;
		return -1;
	}
	if (fwrite(head, 1, len, f) != len)
		return -1;
	for (size_t i = 0; i < n; i++) {
		put_le64(chunk + fill, data[i]);
		fill += 8;
		if (fill == sizeof chunk || i + 1 == n) {
			if (fwrite(chunk, 1, fill, f) != fill)
				return -1;
			fill = 0;
		}
	}
	return 0;
}
