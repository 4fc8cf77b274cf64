/* batch_elems.c - NAME[i] and NAME[i,j] header columns. */
#include "front/batch_elems.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/shape.h"

/* The most elements whose columns are checked one by one; a larger
 * shape has too few columns. */
#define MAX_MARKED ((size_t)1 << 24)

/* A column name NAME[...] being read, and where its error goes. */
struct elem_name {
	const char *s;          /* the name, len bytes */
	size_t len;
	size_t *bad;            /* the offset in s of what is wrong */
	char *msg;
	size_t size;
};

/* Says "column 'NAME[...]': " and fmt's message, at byte at of the
 * name; returns -1. */
static int fail(const struct elem_name *e, const char *at, const char *fmt,
		...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int fail(const struct elem_name *e, const char *at, const char *fmt,
		...)
{
	struct nb_quote q;
	va_list ap;
	int n;

	*e->bad = (size_t)(at - e->s);
	n = snprintf(e->msg, e->size, "column '%s': ",
		     nb_quote(&q, e->s, e->len));
	if (n < 0 || (size_t)n >= e->size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg + n, e->size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* An index at *s before end (the ']'), blanks around it: decimal
 * digits for a number below NB_MAX_DIM.  *s moves past it and its
 * blanks; returns 0, or -1 having said what is wrong. */
static int index_of(const struct elem_name *e, const char **s,
		    const char *end, uint32_t *v)
{
	const char *p = skip_blanks(*s, end), *from = p, *to;
	struct nb_quote q;
	uint64_t n = 0;

	for (to = from; to < end && *to != ','; to++)
		;
	while (to > from && (to[-1] == ' ' || to[-1] == '\t'))
		to--;
	for (; p < to && is_digit(*p); p++)
		n = n < NB_MAX_DIM ? n * 10 + (uint64_t)(*p - '0') : n;
	if (to == from)
		return fail(e, from, "an index is missing");
	if (p < to && *from == '-' && from + 1 < to && is_digit(from[1]))
		return fail(e, from, "index %s would count from the end: "
			    "element columns take indices from 0",
			    nb_quote(&q, from, (size_t)(to - from)));
	if (p < to)
		return fail(e, from, "'%s' is not an index (a whole number "
			    "from 0)", nb_quote(&q, from, (size_t)(to - from)));
	if (n >= NB_MAX_DIM)
		return fail(e, from, "index %s is too large (at most %zu)",
			    nb_quote(&q, from, (size_t)(to - from)),
			    (size_t)NB_MAX_DIM - 1);
	*v = (uint32_t)n;
	*s = skip_blanks(to, end);
	return 0;
}

/* The indices of column name s (len bytes), whose '[' is at open:
 * NAME[i] or NAME[i,j] into idx, returning the rank; else -1 with msg
 * saying why and *bad the offset in s of what is wrong. */
static int parse_elem(const char *s, size_t len, const char *open,
		      uint32_t idx[2], size_t *bad, char *msg, size_t size)
{
	const struct elem_name e = { s, len, bad, msg, size };
	const char *p = open + 1, *end = s + len;
	const char *close = memchr(p, ']', (size_t)(end - p));
	int rank = 0;

	if (!close)
		return fail(&e, end, "no ']' closes the index (a CSV column "
			    "whose name holds a comma is quoted: "
			    "\"%.*s[0,1]\")", (int)(open - s), s);
	for (;;) {
		if (rank == 2)
			return fail(&e, p, "more than two indices (a vector's "
				    "column is NAME[i], a matrix's NAME[i,j])");
		if (index_of(&e, &p, close, &idx[rank]))
			return -1;
		rank++;
		if (p == close)
			break;
		p++;    /* the ',' index_of stopped at */
	}
	if (skip_blanks(close + 1, end) == end && close + 1 != end)
		return fail(&e, close + 1, "a blank after the ']' (the column "
			    "would bind no element)");
	if (close + 1 != end)
		return fail(&e, close + 1, "nothing may follow the index's "
			    "']'");
	return rank;
}

/* The columns of variable v: its rank and shape, or a message. */
static int var_shape(const struct nb_cell *cols, size_t ncols,
		     const long *colvar, const uint32_t (*idx)[2],
		     const int *rank, long v, struct nb_shape *sh, size_t *bad,
		     char *msg, size_t size)
{
	struct nb_quote q;
	char shape[NB_SHAPE_BUF];
	size_t cnt = 0, n, big = 0;

	*sh = (struct nb_shape){ 0, { 0 } };
	for (size_t c = 0; c < ncols; c++) {
		if (colvar[c] != v || !rank[c])
			continue;
		if (sh->rank && rank[c] != sh->rank) {
			*bad = c;
			snprintf(msg, size, "column '%s' has %d ind%s, an "
				 "earlier one %d", nb_quote(&q, cols[c].s,
				 cols[c].len), rank[c], rank[c] == 1 ? "ex"
				 : "ices", sh->rank);
			return 1;
		}
		sh->rank = (uint8_t)rank[c];
		cnt++;
		for (int a = 0; a < rank[c]; a++)
			if (idx[c][a] + 1 > sh->dim[a]) {
				sh->dim[a] = idx[c][a] + 1;
				big = c;
			}
	}
	/* Far more elements than columns: check_elems would mark them one
	 * by one (x[4000000000]).  Some are missing anyway. */
	if (nb_shape_size(sh, &n) == 0 && (n <= cnt || n <= MAX_MARKED))
		return 0;
	*bad = big;
	snprintf(msg, size, "column '%s' makes the shape %s, but %zu "
		 "column%s bind%s its elements: every element needs its "
		 "column", nb_quote(&q, cols[big].s, cols[big].len),
		 nb_shape_format(shape, sh), cnt, cnt == 1 ? "" : "s",
		 cnt == 1 ? "s" : "");
	return 1;
}

/* Marks v's elements that have a column in seen (n of them); the first
 * missing or repeated one is an error. */
static int check_elems(struct nb_program *p, const struct nb_cell *cols,
		       size_t ncols, const long *colvar, size_t *colflat,
		       long v, const struct nb_shape *sh, unsigned char *seen,
		       size_t n, size_t *bad, char *msg, size_t size)
{
	size_t first = ncols;
	struct nb_quote q;
	struct nb_span sp = nb_tape_name(&p->tape, p->vars[v]);
	const char *name = p->src.text + sp.start;
	int nlen = (int)sp.len;

	memset(seen, 0, n);
	for (size_t c = 0; c < ncols; c++) {
		if (colvar[c] != v || colflat[c] == NB_NOT_ELEM)
			continue;
		if (first == ncols)
			first = c;
		if (seen[colflat[c]]++) {
			*bad = c;
			snprintf(msg, size, "column '%s' appears twice",
				 nb_quote(&q, cols[c].s, cols[c].len));
			return 1;
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (seen[k])
			continue;
		*bad = first;
		if (sh->rank == 1)
			snprintf(msg, size, "column '%.*s[%zu]' is missing (%.*s "
				 "has %zu elements)", nlen, name, k,
				 nlen, name, (size_t)sh->dim[0]);
		else
			snprintf(msg, size, "column '%.*s[%zu,%zu]' is missing "
				 "(%.*s is %zux%zu)", nlen, name,
				 k / sh->dim[1], k % sh->dim[1], nlen, name,
				 (size_t)sh->dim[0], (size_t)sh->dim[1]);
		return 1;
	}
	return 0;
}

/* Gives v a tensor of shape sh, its elements' columns checked. */
static int bind_var(struct nb_program *p, const struct nb_cell *cols,
		    size_t ncols, const long *colvar, size_t *colflat, long v,
		    const struct nb_shape *sh, size_t *bad, char *msg,
		    size_t size)
{
	struct nb_tensor t = { .data = NULL };
	unsigned char *seen;
	size_t n;
	int r;

	if (nb_shape_size(sh, &n) || !(seen = nb_malloc(n)))
		return -1;
	r = check_elems(p, cols, ncols, colvar, colflat, v, sh, seen, n, bad,
			msg, size);
	nb_free(seen);
	if (r == 0 && nb_tensor_alloc(&t, sh))
		return -1;
	if (r == 0)
		memset(t.data, 0, n * sizeof *t.data);
	if (r == 0 && nb_program_set_tensor(p, (size_t)v, &t))
		r = -1;
	nb_tensor_free(&t);
	return r;
}

/* Column c's element, if its name is NAME[...] for an input NAME:
 * *rank its number of indices (0: not an element column); 0, or 1
 * with msg and *bad as nb_elem_columns says. */
static int elem_column(const struct nb_program *p, const struct nb_cell *col,
		       long *var, int *rank, uint32_t idx[2], size_t *bad,
		       char *msg, size_t size)
{
	const struct elem_name e = { col->s, col->len, bad, msg, size };
	const char *open = memchr(col->s, '[', col->len), *a = col->s, *z;
	long v;

	*rank = 0;
	if (*var >= 0 || !open)
		return 0;
	a = skip_blanks(a, open);
	for (z = open; z > a && (z[-1] == ' ' || z[-1] == '\t'); z--)
		;
	/* another column's name (id[0] where no input is id) passes
	 * through */
	if (z == a || (v = nb_program_var(p, a, (size_t)(z - a))) < 0)
		return 0;
	if (a != col->s || z != open) {
		fail(&e, a != col->s ? col->s : z, "a blank around the name "
		     "(the column would bind no element)");
		*rank = -1;
		return 1;
	}
	*rank = parse_elem(col->s, col->len, open, idx, bad, msg, size);
	if (*rank < 0)
		return 1;
	*var = v;
	return 0;
}

int nb_elem_columns(struct nb_program *p, const struct nb_cell *cols,
		    size_t ncols, long *colvar, size_t *colflat, size_t *bad,
		    size_t *badoff, char *msg, size_t size)
{
	uint32_t (*idx)[2] = nb_malloc((ncols ? ncols : 1) * sizeof *idx);
	int *rank = nb_malloc((ncols ? ncols : 1) * sizeof *rank);
	int r = idx && rank ? 0 : -1;

	*badoff = 0;
	for (size_t c = 0; r == 0 && c < ncols; c++) {
		colflat[c] = NB_NOT_ELEM;
		r = elem_column(p, &cols[c], &colvar[c], &rank[c], idx[c],
				badoff, msg, size);
		if (r)
			*bad = c;
	}
	for (size_t c = 0; r == 0 && c < ncols; c++) {
		struct nb_shape sh;
		if (!rank[c] || colflat[c] != NB_NOT_ELEM)
			continue;
		r = var_shape(cols, ncols, colvar, (const uint32_t (*)[2])idx,
			      rank, colvar[c], &sh, bad, msg, size);
		for (size_t k = c; r == 0 && k < ncols; k++)
			if (colvar[k] == colvar[c] && rank[k])
				colflat[k] = rank[k] == 1 ? idx[k][0]
					     : (size_t)idx[k][0] * sh.dim[1] +
					       idx[k][1];
		if (r == 0)
			r = bind_var(p, cols, ncols, colvar, colflat,
				     colvar[c], &sh, bad, msg, size);
	}
	nb_free(idx);
	nb_free(rank);
	return r;
}
