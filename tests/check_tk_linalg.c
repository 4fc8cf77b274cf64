/* check_tk_linalg.c - the kernels of @, transpose, dot, outer, trace,
 * indexing and gathers, array literals, onehot and the constructors
 * (src/core/tk_linalg.c, tk_index.c, tk_make.c): forward values against
 * plain loops, every element of every VJP against central differences
 * of the forward kernel, and the words of every shape and index error.
 *
 * The data are multiples of 2^-10 (tkcheck.h), so every product and
 * sum here is exact in double whatever order the kernel or the BLAS
 * adds in: values are compared with ==, and central differences with
 * tolerance 0. */
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/view.h"
#include "num/rng.h"
#include "testmain.h"
#include "testprog.h"
#include "testrand.h"
#include "tkcheck.h"

/* A power of two: x + H and x - H are exact for the data drawn. */
#define H (1.0 / 16)

static void same_shape(const struct nb_shape *a, const struct nb_shape *b)
{
	char sa[NB_SHAPE_BUF], sb[NB_SHAPE_BUF];

	ck_assert_msg(nb_shape_equal(a, b), "shape %s, want %s",
		      nb_shape_format(sa, a), nb_shape_format(sb, b));
}

static void same_values(const double *v, const double *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(v[i] == want[i], "element %zu is %.17g, want "
			      "%.17g", i, v[i], want[i]);
}

/* The value of n must have shape ws and the elements want. */
static void check_value(const struct tk_node *n, struct nb_shape ws,
			const double *want)
{
	struct nb_shape vs;
	double *v = tk_value(n, &vs);

	same_shape(&vs, &ws);
	same_values(v, want, tk_count(&ws));
	nb_free(v);
}

/* The value of n against want, then its VJP against central
 * differences (exact: see the top). */
static void check_all(struct tk_node *n, struct nb_shape ws,
		      const double *want, uint64_t seed)
{
	check_value(n, ws, want);
	tk_check_vjp(n, H, 0, seed);
}

static struct tk_node node(enum nb_op op)
{
	struct tk_node n;

	memset(&n, 0, sizeof n);
	n.op = op;
	return n;
}

/* ---- a @ b: the four rules at sizes with m, k or n of 1 ---- */

struct mmsize { uint32_t m, k, n; };

static const struct mmsize mm_sizes[] = {
	{ 1, 1, 1 }, { 1, 3, 1 }, { 3, 1, 4 }, { 2, 3, 4 }, { 5, 7, 3 },
	{ 1, 4, 6 }, { 6, 4, 1 }, { 17, 9, 13 },
};
#define N_MM (int)(sizeof mm_sizes / sizeof mm_sizes[0])

/* c (m x n) = a (m x k) @ b (k x n), as a plain triple loop. */
static void naive_mm(const double *a, const double *b, double *c, size_t m,
		     size_t k, size_t n)
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			double s = 0;
			for (size_t p = 0; p < k; p++)
				s += a[i * k + p] * b[p * n + j];
			c[i * n + j] = s;
		}
}

/* Case _i: a size, then a is a matrix or a vector, b likewise. */
START_TEST(test_matmul)
{
	const struct mmsize *z = &mm_sizes[_i % N_MM];
	int ra = _i / N_MM % 2 ? 1 : 2, rb = _i / N_MM / 2 % 2 ? 1 : 2;
	uint32_t m = ra == 2 ? z->m : 1, n = rb == 2 ? z->n : 1;
	struct tk_node nd = node(NB_OP_MATMUL);
	uint64_t st = (uint64_t)_i;
	struct nb_shape want = tk_rank_shape(ra + rb - 2, ra == 2 ? m : n, n);
	double *c = nb_malloc(m * n * sizeof *c);

	ck_assert_ptr_nonnull(c);
	tk_add(&nd, "A", tk_rank_shape(ra, ra == 2 ? m : z->k, z->k), NULL, &st);
	tk_add(&nd, "B", tk_rank_shape(rb, z->k, n), NULL, &st);
	naive_mm(nd.in[0].x, nd.in[1].x, c, m, z->k, n);
	check_all(&nd, want, c, st);
	nb_free(c);
	tk_free(&nd);
}
END_TEST

/* Dimensions of 0: (2,0)@(0,3) is zeros (the product of nothing); a
 * matrix of no rows or no columns times a matrix or a vector. */
START_TEST(test_matmul_empty)
{
	static const struct { int ra, rb; uint32_t m, k, n; } c[] = {
		{ 2, 2, 2, 0, 3 }, { 2, 2, 0, 3, 2 }, { 2, 2, 2, 3, 0 },
		{ 2, 1, 0, 3, 1 }, { 1, 2, 1, 3, 0 }, { 1, 1, 1, 0, 1 },
	};
	const double zero[6] = { 0 };
	struct tk_node nd = node(NB_OP_MATMUL);
	uint64_t st = 3;
	uint32_t m = c[_i].m, k = c[_i].k, n = c[_i].n;

	tk_add(&nd, "A", tk_rank_shape(c[_i].ra, c[_i].ra == 2 ? m : k, k), NULL, &st);
	tk_add(&nd, "B", tk_rank_shape(c[_i].rb, k, n), NULL, &st);
	check_all(&nd, tk_rank_shape(c[_i].ra + c[_i].rb - 2, c[_i].ra == 2 ? m : n, n),
		  zero, st);
	tk_free(&nd);
}
END_TEST

START_TEST(test_matmul_errors)
{
	struct tk_node nd = node(NB_OP_MATMUL);

	tk_add(&nd, "W", nb_shape_matrix(5, 10), NULL, NULL);
	tk_add(&nd, "x", nb_shape_vector(3), NULL, NULL);
	tk_check_shape_error(&nd, "'@' needs inner dimensions to agree: W is "
			     "5x10, x is 3");
	tk_free(&nd);
	tk_add(&nd, "u", nb_shape_vector(4), NULL, NULL);
	tk_add(&nd, "X", nb_shape_matrix(3, 4), NULL, NULL);
	tk_check_shape_error(&nd, "'@' needs inner dimensions to agree: u is "
			     "4, X is 3x4");
	tk_free(&nd);
	tk_add(&nd, "s", nb_shape_scalar(), NULL, NULL);
	tk_add(&nd, "x", nb_shape_vector(3), NULL, NULL);
	tk_check_shape_error(&nd, "'@' needs vectors or matrices: s is (), x "
			     "is 3 (to multiply by a scalar, use '*')");
	tk_free(&nd);
}
END_TEST

/* ---- transpose ---- */

static const struct nb_shape *tr_shapes(int i)
{
	static struct nb_shape s[5];

	s[0] = nb_shape_scalar();
	s[1] = nb_shape_vector(4);
	s[2] = nb_shape_matrix(3, 5);
	s[3] = nb_shape_matrix(1, 7);
	s[4] = nb_shape_matrix(40, 33);        /* several tiles, ragged */
	return &s[i];
}

START_TEST(test_transpose)
{
	struct nb_shape s = *tr_shapes(_i), t = nb_shape_transpose(&s);
	struct tk_node nd = node(NB_OP_TRANSPOSE);
	uint64_t st = (uint64_t)_i;
	double *x = tk_add(&nd, "X", s, NULL, &st)->x;
	double *want = nb_malloc(tk_count(&s) * sizeof *want);

	ck_assert_ptr_nonnull(want);
	if (s.rank == 2)
		for (size_t i = 0; i < s.dim[0]; i++)
			for (size_t j = 0; j < s.dim[1]; j++)
				want[j * s.dim[0] + i] = x[i * s.dim[1] + j];
	else
		memcpy(want, x, tk_count(&s) * sizeof *x);
	check_all(&nd, t, want, st);
	nb_free(want);
	tk_free(&nd);
}
END_TEST

/* ---- dot, outer, trace ---- */

START_TEST(test_dot)
{
	static const uint32_t len[] = { 1, 5, 0, 13 };
	struct tk_node nd = node(NB_OP_DOT);
	uint64_t st = (uint64_t)_i;
	double *u = tk_add(&nd, "u", nb_shape_vector(len[_i]), NULL, &st)->x;
	double *v = tk_add(&nd, "v", nb_shape_vector(len[_i]), NULL, &st)->x;
	double s = 0;

	for (size_t i = 0; i < len[_i]; i++)
		s += u[i] * v[i];
	check_all(&nd, nb_shape_scalar(), &s, st);
	tk_free(&nd);
}
END_TEST

START_TEST(test_outer)
{
	static const uint32_t mn[][2] = { { 1, 1 }, { 3, 4 }, { 5, 1 },
					  { 1, 6 }, { 0, 3 }, { 2, 0 } };
	uint32_t m = mn[_i][0], n = mn[_i][1];
	struct tk_node nd = node(NB_OP_OUTER);
	uint64_t st = (uint64_t)_i;
	double *u = tk_add(&nd, "u", nb_shape_vector(m), NULL, &st)->x;
	double *v = tk_add(&nd, "v", nb_shape_vector(n), NULL, &st)->x;
	double want[6 * 6];

	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			want[i * n + j] = u[i] * v[j];
	check_all(&nd, nb_shape_matrix(m, n), want, st);
	tk_free(&nd);
}
END_TEST

START_TEST(test_trace)
{
	static const uint32_t sizes[] = { 1, 4, 0 };
	uint32_t n = sizes[_i];
	struct tk_node nd = node(NB_OP_TRACE);
	uint64_t st = (uint64_t)_i;
	double *x = tk_add(&nd, "X", nb_shape_matrix(n, n), NULL, &st)->x;
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i * n + i];
	check_all(&nd, nb_shape_scalar(), &s, st);
	tk_free(&nd);
}
END_TEST

/* One shape rule that must refuse two inputs of shapes a and b. */
static void refuse2(enum nb_op op, struct nb_shape a, struct nb_shape b,
		    const char *want)
{
	struct tk_node nd = node(op);

	tk_add(&nd, "u", a, NULL, NULL);
	if (op != NB_OP_TRACE)
		tk_add(&nd, "v", b, NULL, NULL);
	tk_check_shape_error(&nd, want);
	tk_free(&nd);
}

START_TEST(test_linalg_errors)
{
	struct nb_shape sc = nb_shape_scalar(), v3 = nb_shape_vector(3);

	refuse2(NB_OP_DOT, nb_shape_matrix(2, 2), nb_shape_vector(2),
		"dot needs two vectors: u is 2x2, v is 2");
	refuse2(NB_OP_DOT, v3, nb_shape_vector(4),
		"dot needs vectors of the same length: u is 3, v is 4");
	refuse2(NB_OP_OUTER, sc, v3, "outer needs two vectors: u is (), v is 3");
	refuse2(NB_OP_TRACE, nb_shape_matrix(3, 4), sc,
		"trace needs a square matrix: u is 3x4");
	refuse2(NB_OP_TRACE, v3, sc, "trace needs a square matrix: u is 3");
}
END_TEST

/* ---- indexing and gathers ---- */

/* x[i] (or X[i] and X[i, j] when j is not nan) for x of shape xs. */
static struct tk_node index_node(struct nb_shape xs, double i, double j,
				 uint64_t *st)
{
	struct tk_node nd = node(NB_OP_INDEX);

	tk_add(&nd, "x", xs, NULL, st);
	tk_add(&nd, "i", nb_shape_scalar(), &i, NULL)->index = 1;
	if (!isnan(j))
		tk_add(&nd, "j", nb_shape_scalar(), &j, NULL)->index = 1;
	return nd;
}

START_TEST(test_index_element)
{
	static const double is[] = { 0, 5, -1, -6, 2.0 };
	uint64_t st = 7;
	struct tk_node nd = index_node(nb_shape_vector(6), is[_i], NAN, &st);
	double want = nd.in[0].x[is[_i] < 0 ? (size_t)(is[_i] + 6)
					    : (size_t)is[_i]];

	check_all(&nd, nb_shape_scalar(), &want, st);
	tk_free(&nd);
}
END_TEST

START_TEST(test_index_row)
{
	static const double is[] = { 2, -1, 0, -4 };
	uint64_t st = 8;
	struct tk_node nd = index_node(nb_shape_matrix(4, 3), is[_i], NAN,
				       &st);
	size_t r = is[_i] < 0 ? (size_t)(is[_i] + 4) : (size_t)is[_i];

	check_all(&nd, nb_shape_vector(3), nd.in[0].x + 3 * r, st);
	tk_free(&nd);
}
END_TEST

START_TEST(test_index_matrix_element)
{
	static const double ij[][2] = { { 1, 2 }, { -1, -3 }, { 0, 0 },
					{ -4, 1 } };
	uint64_t st = 9;
	struct tk_node nd = index_node(nb_shape_matrix(4, 3), ij[_i][0],
				       ij[_i][1], &st);
	size_t i = ij[_i][0] < 0 ? (size_t)(ij[_i][0] + 4) : (size_t)ij[_i][0];
	size_t j = ij[_i][1] < 0 ? (size_t)(ij[_i][1] + 3) : (size_t)ij[_i][1];

	check_all(&nd, nb_shape_scalar(), nd.in[0].x + 3 * i + j, st);
	tk_free(&nd);
}
END_TEST

/* x[ids] for a vector or matrix x, with repeated and negative ids: the
 * VJP must add every pick's gradient. */
START_TEST(test_gather)
{
	static const double ids[] = { 0, 2, 2, -1, 4, -5, 2 };
	struct nb_shape xs = _i ? nb_shape_matrix(5, 3) : nb_shape_vector(5);
	size_t row = _i ? 3 : 1, nid = sizeof ids / sizeof ids[0];
	struct tk_node nd = node(NB_OP_INDEX);
	uint64_t st = 10 + (uint64_t)_i;
	double want[sizeof ids / sizeof ids[0] * 3];
	const double *x = tk_add(&nd, "E", xs, NULL, &st)->x;

	tk_add(&nd, "ids", nb_shape_vector((uint32_t)nid), ids, NULL)->index
		= 1;
	for (size_t l = 0; l < nid; l++) {
		size_t r = ids[l] < 0 ? (size_t)(ids[l] + 5) : (size_t)ids[l];
		memcpy(want + l * row, x + r * row, row * sizeof *x);
	}
	check_all(&nd, _i ? nb_shape_matrix((uint32_t)nid, 3)
			    : nb_shape_vector((uint32_t)nid), want, st);
	tk_free(&nd);
}
END_TEST

/* The gather's VJP by hand: id 2 picked three times gets all three. */
START_TEST(test_gather_scatter_adds)
{
	const double ids[] = { 2, 0, 2, -2 }, dv[] = { 1, 10, 100, 1000 };
	const double want[] = { 10, 0, 1101, 0 };
	struct tk_node nd = node(NB_OP_INDEX);
	struct nb_targ a[2];
	double v[4], da[4] = { NAN, NAN, NAN, NAN };
	struct nb_tnode t = { NB_OP_INDEX, 0, a, 2, v, nb_shape_vector(4),
			      dv, NULL, NULL, NULL };

	tk_add(&nd, "x", nb_shape_vector(4), NULL, NULL);
	tk_add(&nd, "ids", nb_shape_vector(4), ids, NULL);
	for (size_t k = 0; k < 2; k++) {
		a[k].s = nd.in[k].s;
		a[k].x = nd.in[k].x;
		a[k].name = nd.in[k].name;
	}
	nb_tkernel_vjp(&t, 0, da);
	same_values(da, want, 4);
	tk_free(&nd);
}
END_TEST

static void refuse_index(struct nb_shape xs, struct nb_shape is,
			 struct nb_shape js, int two, const char *want)
{
	struct tk_node nd = node(NB_OP_INDEX);

	tk_add(&nd, "x", xs, NULL, NULL);
	tk_add(&nd, "ids", is, NULL, NULL);
	if (two)
		tk_add(&nd, "j", js, NULL, NULL);
	tk_check_shape_error(&nd, want);
	tk_free(&nd);
}

START_TEST(test_index_shape_errors)
{
	struct nb_shape sc = nb_shape_scalar(), v3 = nb_shape_vector(3);
	struct nb_shape m22 = nb_shape_matrix(2, 2);

	refuse_index(sc, sc, sc, 0, "a scalar cannot be indexed: x is ()");
	refuse_index(v3, sc, sc, 1, "x is 3: it takes one index, not 2");
	refuse_index(m22, m22, sc, 0, "an index is a scalar or a vector of "
		     "indices: ids is 2x2");
	refuse_index(m22, sc, v3, 1, "an index is a scalar where there are "
		     "two: j is 3");
	refuse_index(m22, v3, sc, 1, "an index is a scalar where there are "
		     "two: ids is 3");
}
END_TEST

static void refuse_pick(struct nb_shape xs, const char *xname, double i,
			double j, const char *want)
{
	uint64_t st = 1;
	struct tk_node nd = index_node(xs, i, j, &st);

	nd.in[0].name = xname;
	tk_check_forward_error(&nd, want);
	tk_free(&nd);
}

START_TEST(test_index_value_errors)
{
	struct nb_shape v4 = nb_shape_vector(4), m34 = nb_shape_matrix(3, 4);
	const double ids[] = { 0, 9 };
	struct tk_node nd = node(NB_OP_INDEX);

	refuse_pick(v4, "x", 7, NAN, "index 7 is out of range for x of "
		    "length 4");
	refuse_pick(v4, "x", 4, NAN, "index 4 is out of range for x of "
		    "length 4");
	refuse_pick(v4, "x", -5, NAN, "index -5 is out of range for x of "
		    "length 4");
	refuse_pick(v4, "x", 1.5, NAN, "index 1.5 is not an integer");
	refuse_pick(v4, "x", INFINITY, NAN, "index inf is not an integer");
	refuse_pick(m34, "X", 3, NAN, "index 3 is out of range for X with 3 "
		    "rows");
	refuse_pick(m34, "X", 0, 4, "index 4 is out of range for X with 4 "
		    "columns");
	refuse_pick(m34, "X", 0, -0.25, "index -0.25 is not an integer");
	tk_add(&nd, "E", m34, NULL, NULL);
	tk_add(&nd, "ids", nb_shape_vector(2), ids, NULL);
	tk_check_forward_error(&nd, "index 9 is out of range for E with 3 "
			       "rows");
	tk_free(&nd);
}
END_TEST

/* ---- [a, b, ...] ---- */

/* Case 0: three scalars; 1: four vectors of 5; 2: one vector; 3: one
 * scalar. */
START_TEST(test_stack)
{
	static const uint32_t cnt[] = { 3, 4, 1, 1 }, len[] = { 0, 5, 6, 0 };
	static const char *const names[] = { "a", "b", "c", "", "" };
	struct tk_node nd = node(NB_OP_STACK);
	struct nb_shape es = len[_i] ? nb_shape_vector(len[_i])
				     : nb_shape_scalar();
	size_t row = tk_count(&es);
	uint64_t st = 20 + (uint64_t)_i;
	double want[4 * 6];

	for (size_t k = 0; k < cnt[_i]; k++)
		memcpy(want + k * row, tk_add(&nd, names[k], es, NULL, &st)->x,
		       row * sizeof *want);
	check_all(&nd, len[_i] ? nb_shape_matrix(cnt[_i], len[_i])
				 : nb_shape_vector(cnt[_i]), want, st);
	tk_free(&nd);
}
END_TEST

START_TEST(test_stack_errors)
{
	static const char *const names[] = { "u", "v", "w", "", "" };
	struct nb_shape v3 = nb_shape_vector(3);
	struct nb_shape shapes[][5] = {
		{ v3, v3, nb_shape_vector(4) },
		{ nb_shape_scalar(), v3 },
		{ v3, nb_shape_matrix(2, 2) },
		{ v3, v3, v3, v3, nb_shape_scalar() },
		{ nb_shape_scalar(), nb_shape_scalar(), nb_shape_scalar(),
		  nb_shape_matrix(1, 1) },
	};
	static const size_t nin[] = { 3, 2, 2, 5, 4 };
	static const char *const want[] = {
		"an array's elements need one shape: element 0 (u) is 3, "
		"element 2 (w) is 4",
		"an array's elements need one shape: element 0 (u) is (), "
		"element 1 (v) is 3",
		"arrays of rank > 2 are not supported: element 1 (v) is 2x2",
		"an array's elements need one shape: element 0 (u) is 3, "
		"element 4 is ()",
		"arrays of rank > 2 are not supported: element 3 is 1x1",
	};

	for (size_t c = 0; c < sizeof nin / sizeof nin[0]; c++) {
		struct tk_node nd = node(NB_OP_STACK);
		for (size_t k = 0; k < nin[c]; k++)
			tk_add(&nd, names[k], shapes[c][k], NULL, NULL);
		tk_check_shape_error(&nd, want[c]);
		tk_free(&nd);
	}
}
END_TEST

/* ---- onehot(i, n) ---- */

static struct tk_node onehot_node(double i, double n)
{
	struct tk_node nd = node(NB_OP_ONEHOT);

	tk_add(&nd, "y", nb_shape_scalar(), &i, NULL)->index = 1;
	tk_add_const(&nd, "n", n);
	return nd;
}

START_TEST(test_onehot)
{
	static const double is[] = { 0, 2, 4, 3.0 };
	struct tk_node nd = onehot_node(is[_i], 5);
	double want[5] = { 0 };

	want[(size_t)is[_i]] = 1;
	check_all(&nd, nb_shape_vector(5), want, 1);
	tk_free(&nd);
}
END_TEST

START_TEST(test_onehot_errors)
{
	struct tk_node nd = onehot_node(3, 3);

	tk_check_forward_error(&nd, "index 3 is out of range for onehot of "
			       "length 3");
	tk_free(&nd);
	nd = onehot_node(-1, 3);
	tk_check_forward_error(&nd, "index -1 is out of range for onehot of "
			       "length 3");
	tk_free(&nd);
	nd = onehot_node(0.5, 3);
	tk_check_forward_error(&nd, "index 0.5 is not an integer");
	tk_free(&nd);
	nd = onehot_node(0, 0);
	tk_check_shape_error(&nd, "onehot needs positive integer sizes, not "
			     "n = 0");
	tk_free(&nd);
	nd = onehot_node(0, 2.5);
	nd.in[1].name = "2.5";
	tk_check_shape_error(&nd, "onehot needs positive integer sizes, not "
			     "2.5");
	tk_free(&nd);
	nd = onehot_node(0, 3);
	nd.in[1].known = 0;
	tk_check_shape_error(&nd, "onehot needs sizes known before evaluation, "
			     "such as 3, 2*n or an input: n is computed "
			     "from a vector or matrix");
	tk_free(&nd);
	nd = node(NB_OP_ONEHOT);
	tk_add(&nd, "y", nb_shape_vector(3), NULL, NULL);
	tk_add_const(&nd, "n", 3);
	tk_check_shape_error(&nd, "onehot needs a scalar index: y is 3");
	tk_free(&nd);
}
END_TEST

/* ---- zeros, ones, eye, randn, rand ---- */

static struct tk_node make_node(enum nb_op op, size_t nin, double m,
				double n)
{
	struct tk_node nd = node(op);

	tk_add_const(&nd, "m", m);
	if (nin == 2)
		tk_add_const(&nd, "n", n);
	return nd;
}

/* The element i of a constructor's value, of shape s, from a generator
 * that has given the elements before it. */
static double make_elem(enum nb_op op, const struct nb_shape *s, size_t i,
			struct nb_rng *r)
{
	switch (op) {
	case NB_OP_ONES:
		return 1;
	case NB_OP_EYE:
		return i / s->dim[1] == i % s->dim[1];
	case NB_OP_RANDN:
		return nb_rng_normal(r);
	case NB_OP_RAND:
		return nb_rng_uniform(r);
	default:
		return 0;
	}
}

/* Case _i: an op, one or two sizes, sizes from { 0, 1, 3 } and 4. */
START_TEST(test_make)
{
	static const enum nb_op ops[] = { NB_OP_ZEROS, NB_OP_ONES, NB_OP_EYE,
					  NB_OP_RANDN, NB_OP_RAND };
	static const double ms[] = { 0, 1, 3, 4 };
	enum nb_op op = ops[_i % 5];
	size_t nin = op == NB_OP_EYE ? 1 : 1 + (size_t)(_i / 5 % 2);
	double m = ms[_i / 10 % 4], n = 4;
	struct tk_node nd = make_node(op, nin, m, n);
	struct nb_shape s = op == NB_OP_EYE ? nb_shape_matrix((uint32_t)m,
							      (uint32_t)m)
			    : nin == 1 ? nb_shape_vector((uint32_t)m)
				       : nb_shape_matrix((uint32_t)m, 4);
	double want[16];
	struct nb_rng r;

	nb_rng_seed(&r, TK_SEED);
	for (size_t i = 0; i < tk_count(&s); i++)
		want[i] = make_elem(op, &s, i, &r);
	check_all(&nd, s, want, 1);
	tk_free(&nd);
}
END_TEST

START_TEST(test_make_errors)
{
	struct tk_node nd = make_node(NB_OP_ZEROS, 2, 3, 2.5);

	tk_check_shape_error(&nd, "zeros needs non-negative integer sizes, "
			     "not n = 2.5");
	tk_free(&nd);
	nd = make_node(NB_OP_ONES, 1, -1, 0);
	nd.in[0].name = "-1";
	tk_check_shape_error(&nd, "ones needs non-negative integer sizes, not "
			     "-1");
	tk_free(&nd);
	nd = make_node(NB_OP_RAND, 1, NAN, 0);
	tk_check_shape_error(&nd, "rand needs non-negative integer sizes, not "
			     "m = nan");
	tk_free(&nd);
	nd = make_node(NB_OP_RANDN, 2, 2, 5e9);
	tk_check_shape_error(&nd, "randn: size 5000000000 is too large (at "
			     "most 4294967295)");
	tk_free(&nd);
	nd = make_node(NB_OP_EYE, 1, 3, 0);
	nd.in[0].known = 0;
	tk_check_shape_error(&nd, "eye needs sizes known before evaluation, "
			     "such as 3, 2*n or an input: m is computed "
			     "from a vector or matrix");
	tk_free(&nd);
	nd = node(NB_OP_ZEROS);
	tk_add(&nd, "v", nb_shape_vector(2), NULL, NULL)->known = 1;
	tk_check_shape_error(&nd, "zeros needs scalar sizes: v is 2");
	tk_free(&nd);
}
END_TEST

/* randn and rand restart from the seed at each forward sweep: the same
 * node gives the same numbers twice. */
START_TEST(test_random_repeats)
{
	struct tk_node nd = make_node(NB_OP_RANDN, 2, 3, 3);
	struct nb_shape s;
	double *a = tk_value(&nd, &s), *b = tk_value(&nd, &s);

	same_values(a, b, 9);
	ck_assert(a[0] != a[1]);
	nb_free(a);
	nb_free(b);
	tk_free(&nd);
}
END_TEST

/* ---- the kernels in whole programs (core/run.c) ---- */

static const double u3[] = { 1, 2, 3 };

/* Compiles text, binds u = u3 and runs it: the exit status, d set. */
static int run_u(struct nb_program *p, const char *text, struct nb_diag *d)
{
	struct nb_tensor t = { nb_shape_vector(3), (double *)u3 };
	long u;

	compile_ok(p, text);
	u = nb_program_var(p, "u", 1);
	ck_assert_int_ge(u, 0);
	ck_assert_int_eq(nb_program_set_tensor(p, (size_t)u, &t), 0);
	memset(d, 0, sizeof *d);
	return nb_program_run(p, NULL, d);
}

/* Sizes folded from constant expressions at shape time, onehot's index
 * differentiated as 0, and randn from --seed. */
START_TEST(test_program_values)
{
	struct nb_program p = { 0 };
	struct nb_diag d;
	struct nb_view g;
	struct nb_rng r;
	double want = 0;

	ck_assert_int_eq(run_u(&p, "trace(eye(2 + 1)) * "
			       "dot(onehot(1, 3), u)", &d), 0);
	ck_assert(nb_node_value(&p.tape, p.output).x[0] == 6);
	g = nb_node_grad(&p.tape, p.vars[0]);
	ck_assert(g.x[0] == 0 && g.x[1] == 3 && g.x[2] == 0);
	nb_program_free(&p);
	memset(&p, 0, sizeof p);
	ck_assert_int_eq(run_u(&p, "dot(u, randn(3))", &d), 0);
	nb_rng_seed(&r, p.seed);
	for (size_t i = 0; i < 3; i++)
		want += u3[i] * nb_rng_normal(&r);
	ck_assert(nb_node_value(&p.tape, p.output).x[0] == want);
	nb_program_free(&p);
}
END_TEST

/* Shape errors and an index error: exit 2, at the operator, with the
 * inputs named as written; a size computed from an input is not a
 * constant. */
START_TEST(test_program_errors)
{
	static const char *const text[] = { "dot(u, zeros(4))",
					    "dot(onehot(dot(u, u) - 11, 3), u)",
					    "dot(u, zeros(dot(u, u) - 11))" };
	static const char *const want[] = {
		"dot needs vectors of the same length: u is 3, zeros(4) is 4",
		"index 3 is out of range for onehot of length 3",
		("zeros needs sizes known before evaluation, such as 3, 2*n or "
		 "an input: dot(u, u) - 11 is computed from a vector or matrix"),
	};
	static const size_t at[] = { 0, 4, 7 };
	struct nb_diag d;

	for (size_t c = 0; c < 3; c++) {
		struct nb_program p = { 0 };
		ck_assert_int_eq(run_u(&p, text[c], &d), 2);
		ck_assert_str_eq(d.msg, want[c]);
		ck_assert_uint_eq(d.start, at[c]);
		nb_program_free(&p);
	}
}
END_TEST

static Suite *tk_linalg_suite(void)
{
	Suite *s = suite_create("tk_linalg");
	TCase *tc = tcase_create("tk_linalg");

	tcase_add_loop_test(tc, test_matmul, 0, 4 * N_MM);
	tcase_add_loop_test(tc, test_matmul_empty, 0, 6);
	tcase_add_test(tc, test_matmul_errors);
	tcase_add_loop_test(tc, test_transpose, 0, 5);
	tcase_add_loop_test(tc, test_dot, 0, 4);
	tcase_add_loop_test(tc, test_outer, 0, 6);
	tcase_add_loop_test(tc, test_trace, 0, 3);
	tcase_add_test(tc, test_linalg_errors);
	tcase_add_loop_test(tc, test_index_element, 0, 5);
	tcase_add_loop_test(tc, test_index_row, 0, 4);
	tcase_add_loop_test(tc, test_index_matrix_element, 0, 4);
	tcase_add_loop_test(tc, test_gather, 0, 2);
	tcase_add_test(tc, test_gather_scatter_adds);
	tcase_add_test(tc, test_index_shape_errors);
	tcase_add_test(tc, test_index_value_errors);
	tcase_add_loop_test(tc, test_stack, 0, 4);
	tcase_add_test(tc, test_stack_errors);
	tcase_add_loop_test(tc, test_onehot, 0, 4);
	tcase_add_test(tc, test_onehot_errors);
	tcase_add_loop_test(tc, test_make, 0, 40);
	tcase_add_test(tc, test_make_errors);
	tcase_add_test(tc, test_random_repeats);
	suite_add_tcase(s, tc);
	tc = tcase_create("program");
	tcase_add_test(tc, test_program_values);
	tcase_add_test(tc, test_program_errors);
	suite_add_tcase(s, tc);
	return s;
}

NB_CHECK_MAIN(tk_linalg_suite);
