/* npy_read.c - .npy value files (valuefile.h; the format in
 * output/npy.h).  Every error names the byte offset it is about. */
#include "front/valuefile.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output/npy.h"

struct npy {
	const unsigned char *p;
	size_t len, pos, end;           /* end: of the header */
	const char *name;
	struct nb_diag *d;
	char type;                      /* 'f' or 'i' */
	int size, big, fortran;         /* bytes; big-endian; column-major */
	struct nb_shape shape;
	unsigned seen;                  /* keys read, a bit each */
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int bad(struct npy *n, size_t at, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return nb_error_plain(n->d, NB_EFAIL, "%s: byte %zu: %s", n->name, at,
			      what);
}

static void skip_ws(struct npy *n)
{
	while (n->pos < n->end && (n->p[n->pos] == ' ' || n->p[n->pos] == '\t'
				   || n->p[n->pos] == '\n'))
		n->pos++;
}

static int at(const struct npy *n, char c)
{
	return n->pos < n->end && n->p[n->pos] == (unsigned char)c;
}

/* A quoted Python string; *s and *len its contents. */
static int string(struct npy *n, const char **s, size_t *len)
{
	const unsigned char *close;
	unsigned char q;

	skip_ws(n);
	if (!at(n, '\'') && !at(n, '"'))
		return bad(n, n->pos, "expected a quoted string in the header");
	q = n->p[n->pos++];
	close = memchr(n->p + n->pos, q, n->end - n->pos);
	if (!close)
		return bad(n, n->pos - 1, "unterminated string in the header");
	*s = (const char *)n->p + n->pos;
	*len = (size_t)(close - (n->p + n->pos));
	n->pos += *len + 1;
	return 0;
}

static int descr(struct npy *n)
{
	size_t start, len;
	const char *s;
	int r = string(n, &s, &len);

	if (r)
		return r;
	start = n->pos - len - 1;
	if (len != 3 || (s[0] != '<' && s[0] != '>') ||
	    (s[1] != 'f' && s[1] != 'i') || (s[2] != '4' && s[2] != '8'))
		return bad(n, start, "unsupported dtype: nabla reads float64, "
			   "float32, int32 and int64 ('<f8', '<f4', '<i4', "
			   "'<i8', or '>' for big-endian)");
	n->big = s[0] == '>';
	n->type = s[1];
	n->size = s[2] - '0';
	return 0;
}

static int fortran_order(struct npy *n)
{
	skip_ws(n);
	if (n->end - n->pos >= 4 && memcmp(n->p + n->pos, "True", 4) == 0) {
		n->fortran = 1;
		n->pos += 4;
		return 0;
	}
	if (n->end - n->pos >= 5 && memcmp(n->p + n->pos, "False", 5) == 0) {
		n->fortran = 0;
		n->pos += 5;
		return 0;
	}
	return bad(n, n->pos, "fortran_order must be True or False");
}

/* One dimension: digits (and the L of Python 2's long integers). */
static int dimension(struct npy *n, uint32_t *dim)
{
	uint64_t v = 0;
	size_t b = n->pos;

	while (n->pos < n->end && n->p[n->pos] >= '0' && n->p[n->pos] <= '9') {
		v = v * 10 + (n->p[n->pos++] - '0');
		if (v > NB_MAX_DIM)
			return bad(n, b, "dimension too large");
	}
	if (n->pos == b)
		return bad(n, b, "expected a dimension in the shape");
	if (at(n, 'L'))
		n->pos++;
	*dim = (uint32_t)v;
	return 0;
}

/* A Python tuple of dimensions: (), (3,), (3, 4). */
static int shape(struct npy *n)
{
	int r;

	skip_ws(n);
	if (!at(n, '('))
		return bad(n, n->pos, "expected '(' for the shape");
	n->pos++;
	n->shape.rank = 0;
	for (;;) {
		skip_ws(n);
		if (at(n, ')'))
			break;
		if (n->shape.rank == NB_MAX_RANK)
			return bad(n, n->pos, "too many dimensions: nabla reads "
				   "values of rank %d at most", NB_MAX_RANK);
		r = dimension(n, &n->shape.dim[n->shape.rank]);
		if (r)
			return r;
		n->shape.rank++;
		skip_ws(n);
		if (at(n, ','))
			n->pos++;
		else if (!at(n, ')'))
			return bad(n, n->pos, "expected ',' or ')' in the shape");
	}
	n->pos++;
	return 0;
}

/* The header's dict: each of the three keys once, in any order. */
static int header(struct npy *n)
{
	static const char *const keys[] = { "descr", "fortran_order", "shape" };
	static int (*const read[])(struct npy *) = { descr, fortran_order,
						     shape };

	skip_ws(n);
	if (!at(n, '{'))
		return bad(n, n->pos, "expected '{' to open the header");
	n->pos++;
	for (;;) {
		size_t start, len, k;
		const char *key;
		int r;

		skip_ws(n);
		if (at(n, '}'))
			break;
		start = n->pos;
		r = string(n, &key, &len);
		if (r)
			return r;
		for (k = 0; k < 3; k++)
			if (strlen(keys[k]) == len && memcmp(key, keys[k], len) == 0)
				break;
		if (k == 3 || (n->seen & (1u << k)))
			return bad(n, start, k == 3 ? "unknown key in the header"
				   : "repeated key in the header");
		skip_ws(n);
		if (!at(n, ':'))
			return bad(n, n->pos, "expected ':' in the header");
		n->pos++;
		r = read[k](n);
		if (r)
			return r;
		n->seen |= 1u << k;
		skip_ws(n);
		if (at(n, ','))
			n->pos++;
		else if (!at(n, '}'))
			return bad(n, n->pos, "expected ',' or '}' in the header");
	}
	if (n->seen != 7)
		return bad(n, n->pos, "the header lacks 'descr', "
			   "'fortran_order' or 'shape'");
	return 0;
}

/* Element i of the data as a double. */
static double element(const struct npy *n, const unsigned char *data,
		      size_t i)
{
	const unsigned char *b = data + i * (size_t)n->size;
	uint64_t u = 0;

	for (int k = 0; k < n->size; k++)
		u |= (uint64_t)b[n->big ? k : n->size - 1 - k]
		     << (8 * (n->size - 1 - k));
	if (n->type == 'f' && n->size == 8) {
		double v;

		memcpy(&v, &u, sizeof v);
		return v;
	}
	if (n->type == 'f') {
		uint32_t w = (uint32_t)u;
		float f;

		memcpy(&f, &w, sizeof f);
		return f;
	}
	if (n->size == 4)
		return (int32_t)(uint32_t)u;
	return (double)(int64_t)u;
}

/* The magic, the version and the header's length; n->pos and n->end
 * set to the header's first and past-last bytes. */
static int preamble(struct npy *n)
{
	size_t lenbytes, hlen = 0;

	if (n->len < NB_NPY_MAGIC_LEN ||
	    memcmp(n->p, NB_NPY_MAGIC, NB_NPY_MAGIC_LEN) != 0)
		return bad(n, 0, "not a NumPy .npy file (no \\x93NUMPY magic)");
	if (n->len < 8)
		return bad(n, n->len, "the file ends in the version");
	if (n->p[6] < 1 || n->p[6] > 3)
		return bad(n, 6, "unsupported .npy version (nabla reads 1.0, "
			   "2.0 and 3.0)");
	lenbytes = n->p[6] == 1 ? 2 : 4;
	if (n->len < 8 + lenbytes)
		return bad(n, n->len, "the file ends in the header's length");
	for (size_t k = 0; k < lenbytes; k++)
		hlen |= (size_t)n->p[8 + k] << (8 * k);
	n->pos = 8 + lenbytes;
	if (hlen > n->len - n->pos)
		return bad(n, n->len, "the file ends in the header");
	n->end = n->pos + hlen;
	return 0;
}

int nb_npy_read(const unsigned char *p, size_t len, const char *name,
		struct nb_tensor *t, struct nb_diag *d)
{
	struct npy n = { p, len, 0, 0, name, d, 0, 0, 0, 0, { 0, { 0 } }, 0 };
	size_t count, have, need;
	char sh[NB_SHAPE_BUF];
	int r;

	t->data = NULL;
	r = preamble(&n);
	if (!r)
		r = header(&n);
	if (r)
		return r;
	if (nb_shape_size(&n.shape, &count) != 0)
		return bad(&n, n.end, "the array is too large");
	if (count == 0)
		return bad(&n, n.end, "the array has no elements");
	/* count <= SIZE_MAX / 8, so need does not overflow. */
	need = count * (size_t)n.size;
	have = len - n.end;
	if (have != need)
		return bad(&n, have < need ? len : n.end + need, "the data is "
			   "%zu bytes; a %s array of %d-byte elements is %zu",
			   have, nb_shape_format(sh, &n.shape), n.size, need);
	if (nb_tensor_alloc(t, &n.shape) != 0)
		return nb_error_plain(d, NB_EFAIL, "out of memory");
	/* Fortran order is column-major: element (i, j) of an m x n
	 * matrix is number j*m + i in the file. */
	for (size_t i = 0; i < count; i++) {
		size_t src = i;

		if (n.fortran && n.shape.rank == 2)
			src = (i % n.shape.dim[1]) * n.shape.dim[0] +
			      i / n.shape.dim[1];
		t->data[i] = element(&n, p + n.end, src);
	}
	return 0;
}
