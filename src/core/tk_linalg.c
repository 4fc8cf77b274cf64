/* tk_linalg.c - linear algebra: a @ b, transpose, dot, outer, trace.
 *
 * Every matrix product, forward and backward, is one nb_gemm or nb_gemv
 * call (core/gemm.h) that reads its operands in place, transposed by a
 * flag: dA = dC @ B.T never copies B.
 *
 * Second order: transpose and trace are linear, so their VJPs do not
 * move with the inputs; @, dot and outer are bilinear, so the derivative
 * of one input's VJP along the tangents is that VJP with the other input
 * replaced by its tangent (for C = A @ B: dA' = dC @ B'.T). */
#include <stdio.h>
#include <string.h>

#include "core/gemm.h"
#include "core/tk_ops.h"
#include "core/tk_util.h"

/* ---- a @ b under NumPy's four rules ---- */

static int matmul_shape(int axis, const struct nb_targ *in, size_t nin,
			struct nb_shape *out, char *why)
{
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];
	struct nb_shape_conflict c;
	enum nb_matmul_error e;

	(void)axis;
	(void)nin;
	e = nb_shape_matmul(&in[0].s, &in[1].s, out, &c);
	if (e == NB_MATMUL_OK)
		return 0;
	nb_shape_format(a, &in[0].s);
	nb_shape_format(b, &in[1].s);
	if (e == NB_MATMUL_SCALAR)
		snprintf(why, NB_TKERNEL_WHY,
			 "'@' needs vectors or matrices: %s is %s, %s is %s "
			 "(to multiply by a scalar, use '*')",
			 in[0].name, a, in[1].name, b);
	else
		snprintf(why, NB_TKERNEL_WHY,
			 "'@' needs inner dimensions to agree: %s is %s, %s "
			 "is %s", in[0].name, a, in[1].name, b);
	return -1;
}

/* The sizes of a @ b: a is m x k or a vector of k, b is k x n or a
 * vector of k. */
struct mm {
	size_t m, k, n;
	int am, bm;             /* a, b is a matrix */
};

static struct mm mm_sizes(const struct nb_tnode *nd)
{
	const struct nb_shape *a = &nd->in[0].s, *b = &nd->in[1].s;
	struct mm s;

	s.am = a->rank == 2;
	s.bm = b->rank == 2;
	s.m = s.am ? a->dim[0] : 1;
	s.k = b->dim[0];
	s.n = s.bm ? b->dim[1] : 1;
	return s;
}

/* How gemm reads operand x: transposed if x.T is folded in (flip
 * inverts that), and its rows' stride. */
static enum nb_trans flag(const struct nb_targ *x, int flip)
{
	return x->trans != flip ? NB_TRANS : NB_NOTRANS;
}

static size_t ld(const struct nb_targ *x)
{
	return x->s.dim[x->trans ? 0 : 1];
}

/* c = a @ b + beta * c, a and b shaped as nd's inputs. */
static void product(const struct nb_tnode *nd, const double *a,
		    const double *b, double beta, double *c)
{
	struct mm s = mm_sizes(nd);

	if (s.am && s.bm)
		nb_gemm(flag(&nd->in[0], 0), flag(&nd->in[1], 0), s.m, s.n,
			s.k, 1, a, ld(&nd->in[0]), b, ld(&nd->in[1]), beta, c,
			s.n);
	else if (s.am)
		nb_gemv(NB_NOTRANS, s.m, s.k, 1, a, s.k, b, beta, c);
	else if (s.bm)
		nb_gemv(NB_TRANS, s.k, s.n, 1, b, s.n, a, beta, c);
	else
		c[0] = nb_dot(s.k, a, b) + (beta == 0 ? 0 : beta * c[0]);
}

static int matmul_forward(const struct nb_tnode *nd, char *why)
{
	(void)why;
	product(nd, nd->in[0].x, nd->in[1].x, 0, nd->v);
	return 0;
}

/* dC = dA @ B + A @ dB. */
static void matmul_jvp(const struct nb_tnode *nd, double *dt)
{
	product(nd, nd->in[0].t, nd->in[1].x, 0, dt);
	product(nd, nd->in[0].x, nd->in[1].t, 1, dt);
}

/* C = A @ B: dA = dC @ B.T, dB = A.T @ dC, where a vector a is a matrix
 * of one row and a vector b one of one column; as a product of one row
 * or one column (an outer product, or a matrix by a vector) where it
 * is. */
/* matmul_vjp of matrices one of which is x.T folded in, whose gradient
 * is that of x: dx = (dc @ B.T).T = B @ dc.T for a = x.T, and
 * dx = (A.T @ dc).T = dc.T @ A for b = x.T. */
static void folded_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	const struct nb_targ *a = &nd->in[0], *b = &nd->in[1];
	const double *dc = nd->dv;
	struct mm s = mm_sizes(nd);

	if (k == 0 && !a->trans)
		nb_gemm(NB_NOTRANS, flag(b, 1), s.m, s.k, s.n, 1, dc, s.n,
			b->x, ld(b), 0, da, s.k);
	else if (k == 0)
		nb_gemm(flag(b, 0), NB_TRANS, s.k, s.m, s.n, 1, b->x, ld(b),
			dc, s.n, 0, da, s.m);
	else if (!b->trans)
		nb_gemm(flag(a, 1), NB_NOTRANS, s.k, s.n, s.m, 1, a->x, ld(a),
			dc, s.n, 0, da, s.n);
	else
		nb_gemm(NB_TRANS, flag(a, 0), s.n, s.k, s.m, 1, dc, s.n,
			a->x, ld(a), 0, da, s.k);
}

static void matmul_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	const double *a = nd->in[0].x, *b = nd->in[1].x, *dc = nd->dv;
	struct mm s = mm_sizes(nd);
	size_t m = s.m, n = s.n;

	if (nd->in[0].trans || nd->in[1].trans) {
		folded_vjp(nd, k, da);
	} else if (!s.am && !s.bm) {           /* (k)@(k): a scalar times b or a */
		const double *o = k == 0 ? b : a;
		for (size_t i = 0; i < s.k; i++)
			da[i] = dc[0] * o[i];
	} else if (k == 0 && n == 1) {  /* dA = dc b.T, an outer product */
		nb_gemm(NB_NOTRANS, NB_NOTRANS, m, s.k, 1, 1, dc, 1, b, s.k,
			0, da, s.k);
	} else if (k == 0 && m == 1) {  /* da = B @ dc */
		nb_gemv(NB_NOTRANS, s.k, n, 1, b, n, dc, 0, da);
	} else if (k == 0) {
		nb_gemm(NB_NOTRANS, NB_TRANS, m, s.k, n, 1, dc, n, b, n, 0,
			da, s.k);
	} else if (m == 1) {            /* dB = a dc.T, an outer product */
		nb_gemm(NB_NOTRANS, NB_NOTRANS, s.k, n, 1, 1, a, 1, dc, n, 0,
			da, n);
	} else if (n == 1) {            /* db = A.T @ dc */
		nb_gemv(NB_TRANS, m, s.k, 1, a, s.k, dc, 0, da);
	} else {
		nb_gemm(NB_TRANS, NB_NOTRANS, s.k, n, m, 1, a, s.k, dc, n, 0,
			da, n);
	}
}

const char *nb_matmul_rule(const struct nb_shape *a,
			   const struct nb_shape *b)
{
	/* by the ranks: (m,k)@(k,n), (m,k)@(k), (k)@(k,n), (k)@(k) */
	static const char *const rule[2][2] = {
		{ "da = dv * b; db = dv * a", "da = b @ dv; db = outer(a, dv)" },
		{ "da = outer(dv, b); db = a.T @ dv",
		  "da = dv @ b.T; db = a.T @ dv" },
	};

	return rule[a->rank == 2][b->rank == 2];
}

/* The VJP of input k of bilinear node nd with the inputs' tangents for
 * their values. */
static void bilinear_vjp2(const struct nb_tnode *nd, size_t k, double *da,
			  void (*vjp)(const struct nb_tnode *, size_t,
				      double *))
{
	struct nb_targ in[2] = { nd->in[0], nd->in[1] };
	struct nb_tnode t = *nd;

	in[0].x = in[0].t;
	in[1].x = in[1].t;
	t.in = in;
	vjp(&t, k, da);
}

static void matmul_vjp2(const struct nb_tnode *nd, const double *vt,
			size_t k, double *da)
{
	(void)vt;
	bilinear_vjp2(nd, k, da, matmul_vjp);
}

const struct nb_tk nb_tk_MATMUL = { matmul_shape, NULL, matmul_forward,
				    matmul_vjp, matmul_jvp, matmul_vjp2 };

/* ---- transpose ---- */

static int transpose_shape(int axis, const struct nb_targ *in, size_t nin,
			   struct nb_shape *out, char *why)
{
	(void)axis;
	(void)nin;
	(void)why;
	*out = nb_shape_transpose(&in[0].s);
	return 0;
}

/* Square tiles, so that both the rows read and the rows written stay in
 * cache. */
#define TILE 32

/* t (cols x rows) = the transpose of x (rows x cols). */
static void transpose(const double *x, size_t rows, size_t cols, double *t)
{
	for (size_t i0 = 0; i0 < rows; i0 += TILE)
		for (size_t j0 = 0; j0 < cols; j0 += TILE) {
			size_t i1 = i0 + TILE < rows ? i0 + TILE : rows;
			size_t j1 = j0 + TILE < cols ? j0 + TILE : cols;
			for (size_t i = i0; i < i1; i++)
				for (size_t j = j0; j < j1; j++)
					t[j * rows + i] = x[i * cols + j];
		}
}

/* The transpose of x, of shape s, into t: a copy unless s is a matrix. */
static void transpose_of(const double *x, const struct nb_shape *s,
			 double *t)
{
	if (s->rank == 2)
		transpose(x, s->dim[0], s->dim[1], t);
	else
		memcpy(t, x, nb_tk_count(s) * sizeof *t);
}

static int transpose_forward(const struct nb_tnode *nd, char *why)
{
	(void)why;
	transpose_of(nd->in[0].x, &nd->in[0].s, nd->v);
	return 0;
}

static void transpose_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	(void)k;
	transpose_of(nd->dv, &nd->vs, da);
}

static void transpose_jvp(const struct nb_tnode *nd, double *dt)
{
	transpose_of(nd->in[0].t, &nd->in[0].s, dt);
}

const struct nb_tk nb_tk_TRANSPOSE = { transpose_shape, NULL,
				       transpose_forward, transpose_vjp,
				       transpose_jvp, NULL };

/* ---- dot(u, v), outer(u, v) ---- */

/* Whether inputs 0 and 1 are vectors; else -1 with why. */
static int two_vectors(const char *fn, const struct nb_targ *in, char *why)
{
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];

	if (in[0].s.rank == 1 && in[1].s.rank == 1)
		return 0;
	snprintf(why, NB_TKERNEL_WHY, "%s needs two vectors: %s is %s, %s is %s",
		 fn, in[0].name, nb_shape_format(a, &in[0].s), in[1].name,
		 nb_shape_format(b, &in[1].s));
	return -1;
}

static int dot_shape(int axis, const struct nb_targ *in, size_t nin,
		     struct nb_shape *out, char *why)
{
	char a[NB_SHAPE_BUF], b[NB_SHAPE_BUF];

	(void)axis;
	(void)nin;
	if (two_vectors("dot", in, why))
		return -1;
	if (in[0].s.dim[0] != in[1].s.dim[0]) {
		snprintf(why, NB_TKERNEL_WHY,
			 "dot needs vectors of the same length: %s is %s, %s "
			 "is %s", in[0].name, nb_shape_format(a, &in[0].s),
			 in[1].name, nb_shape_format(b, &in[1].s));
		return -1;
	}
	*out = nb_shape_scalar();
	return 0;
}

static int dot_forward(const struct nb_tnode *nd, char *why)
{
	(void)why;
	nd->v[0] = nb_dot(nd->in[0].s.dim[0], nd->in[0].x, nd->in[1].x);
	return 0;
}

/* da = dv * b, db = dv * a. */
static void dot_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	const double *o = nd->in[1 - k].x;
	double g = nd->dv[0];

	for (size_t i = 0; i < nd->in[0].s.dim[0]; i++)
		da[i] = g * o[i];
}

static void dot_jvp(const struct nb_tnode *nd, double *dt)
{
	size_t n = nd->in[0].s.dim[0];

	dt[0] = nb_dot(n, nd->in[0].t, nd->in[1].x) +
		nb_dot(n, nd->in[0].x, nd->in[1].t);
}

static void dot_vjp2(const struct nb_tnode *nd, const double *vt, size_t k,
		     double *da)
{
	(void)vt;
	bilinear_vjp2(nd, k, da, dot_vjp);
}

const struct nb_tk nb_tk_DOT = { dot_shape, NULL, dot_forward, dot_vjp,
				 dot_jvp, dot_vjp2 };

static int outer_shape(int axis, const struct nb_targ *in, size_t nin,
		       struct nb_shape *out, char *why)
{
	(void)axis;
	(void)nin;
	if (two_vectors("outer", in, why))
		return -1;
	*out = nb_shape_matrix(in[0].s.dim[0], in[1].s.dim[0]);
	return 0;
}

/* c = u v.T + beta * c: the product of a column (m x 1) and a row
 * (1 x n). */
static void outer(const struct nb_tnode *nd, const double *u,
		  const double *v, double beta, double *c)
{
	size_t m = nd->vs.dim[0], n = nd->vs.dim[1];

	nb_gemm(NB_NOTRANS, NB_NOTRANS, m, n, 1, 1, u, 1, v, n, beta, c, n);
}

static int outer_forward(const struct nb_tnode *nd, char *why)
{
	(void)why;
	outer(nd, nd->in[0].x, nd->in[1].x, 0, nd->v);
	return 0;
}

/* dC = du v.T + u dv.T. */
static void outer_jvp(const struct nb_tnode *nd, double *dt)
{
	outer(nd, nd->in[0].t, nd->in[1].x, 0, dt);
	outer(nd, nd->in[0].x, nd->in[1].t, 1, dt);
}

/* du = dC @ v, dv = dC.T @ u. */
static void outer_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	size_t m = nd->vs.dim[0], n = nd->vs.dim[1];

	nb_gemv(k == 0 ? NB_NOTRANS : NB_TRANS, m, n, 1, nd->dv, n,
		nd->in[1 - k].x, 0, da);
}

static void outer_vjp2(const struct nb_tnode *nd, const double *vt,
		       size_t k, double *da)
{
	(void)vt;
	bilinear_vjp2(nd, k, da, outer_vjp);
}

const struct nb_tk nb_tk_OUTER = { outer_shape, NULL, outer_forward,
				   outer_vjp, outer_jvp, outer_vjp2 };

/* ---- trace(X) ---- */

static int trace_shape(int axis, const struct nb_targ *in, size_t nin,
		       struct nb_shape *out, char *why)
{
	char a[NB_SHAPE_BUF];
	const struct nb_shape *s = &in[0].s;

	(void)axis;
	(void)nin;
	if (s->rank != 2 || s->dim[0] != s->dim[1]) {
		snprintf(why, NB_TKERNEL_WHY,
			 "trace needs a square matrix: %s is %s", in[0].name,
			 nb_shape_format(a, s));
		return -1;
	}
	*out = nb_shape_scalar();
	return 0;
}

/* The trace of x, an n x n matrix. */
static double trace(const double *x, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i * n + i];
	return s;
}

static int trace_forward(const struct nb_tnode *nd, char *why)
{
	(void)why;
	nd->v[0] = trace(nd->in[0].x, nd->in[0].s.dim[0]);
	return 0;
}

static void trace_jvp(const struct nb_tnode *nd, double *dt)
{
	dt[0] = trace(nd->in[0].t, nd->in[0].s.dim[0]);
}

/* da = dv * eye(n). */
static void trace_vjp(const struct nb_tnode *nd, size_t k, double *da)
{
	size_t n = nd->in[0].s.dim[0];

	nb_tk_no_grad(nd, k, da);
	for (size_t i = 0; i < n; i++)
		da[i * n + i] = nd->dv[0];
}

const struct nb_tk nb_tk_TRACE = { trace_shape, NULL, trace_forward,
				   trace_vjp, trace_jvp, NULL };
