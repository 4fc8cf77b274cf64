/* batch_elems.c - NAME[i] and NAME[i,j] header columns. */
#include "front/batch_elems.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/escape.h"
#include "core/shape.h"

/* An index: decimal digits, at most 9 of them. */
static int index_of(const char **s, const char *end, uint32_t *v)
{
	const char *p = *s;

	*v = 0;
	while (p < end && *p >= '0' && *p <= '9' && p - *s < 9)
		*v = *v * 10 + (uint32_t)(*p++ - '0');
	if (p == *s)
		return -1;
	*s = p;
	return 0;
}

/* Reads NAME[i] or NAME[i,j] (no blanks) from the len bytes at s: the
 * name's length into *nlen, the indices into idx; returns the rank, or
 * 0 if s is not of that form. */
static int parse_elem(const char *s, size_t len, size_t *nlen,
		      uint32_t idx[2])
{
	const char *open = memchr(s, '[', len), *p, *end = s + len;
	int rank = 0;

	if (!open || open == s || end[-1] != ']')
		return 0;
	p = open + 1;
	while (rank < 2 && index_of(&p, end - 1, &idx[rank]) == 0) {
		rank++;
		if (p == end - 1) {
			*nlen = (size_t)(open - s);
			return rank;
		}
		if (*p++ != ',')
			return 0;
	}
	return 0;
}

/* The columns of variable v: its rank and shape, or a message. */
static int var_shape(const struct nb_cell *cols, size_t ncols,
		     const long *colvar, const uint32_t (*idx)[2],
		     const int *rank, long v, struct nb_shape *sh, size_t *bad,
		     char *msg, size_t size)
{
	struct nb_quote q;

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
		for (int a = 0; a < rank[c]; a++)
			if (idx[c][a] + 1 > sh->dim[a])
				sh->dim[a] = idx[c][a] + 1;
	}
	return 0;
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

int nb_elem_columns(struct nb_program *p, const struct nb_cell *cols,
		    size_t ncols, long *colvar, size_t *colflat, size_t *bad,
		    char *msg, size_t size)
{
	uint32_t (*idx)[2] = nb_malloc((ncols ? ncols : 1) * sizeof *idx);
	int *rank = nb_malloc((ncols ? ncols : 1) * sizeof *rank);
	int r = idx && rank ? 0 : -1;

	for (size_t c = 0; r == 0 && c < ncols; c++) {
		size_t nlen = 0;
		colflat[c] = NB_NOT_ELEM;
		rank[c] = colvar[c] < 0 ? parse_elem(cols[c].s, cols[c].len,
						     &nlen, idx[c]) : 0;
		if (rank[c])
			colvar[c] = nb_program_var(p, cols[c].s, nlen);
		if (colvar[c] < 0)
			rank[c] = 0;
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
