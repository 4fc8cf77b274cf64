/* shape.h - the shapes of values, and values that have one.
 *
 * A shape is a rank and that many dimensions, row-major: a scalar is
 * rank 0 "()", a vector (n) rank 1, a matrix (m,n) rank 2.  NB_MAX_RANK
 * is the only place that says how many dimensions there may be: code
 * loops to s->rank, so raising it is the one change a rank-3 value
 * needs here. */
#ifndef NABLA_SHAPE_H
#define NABLA_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#define NB_MAX_RANK 2

/* Dimensions are 32-bit: shapes are stored once per distinct shape and
 * copied freely, and no dimension of a value held in memory needs more. */
#define NB_MAX_DIM UINT32_MAX

struct nb_shape {
	uint8_t rank;
	uint32_t dim[NB_MAX_RANK];      /* dim[0..rank-1], outermost first */
};

/* The shapes of a scalar, a vector of n and an m-by-n matrix. */
struct nb_shape nb_shape_scalar(void);
struct nb_shape nb_shape_vector(uint32_t n);
struct nb_shape nb_shape_matrix(uint32_t m, uint32_t n);

int nb_shape_equal(const struct nb_shape *a, const struct nb_shape *b);

/* The number of elements (1 for a scalar, 0 if a dimension is 0) in *n.
 * Returns 0, or -1 if it does not fit in a size_t of doubles
 * (n * sizeof(double) overflows), leaving *n alone. */
int nb_shape_size(const struct nb_shape *s, size_t *n);

/* Where two shapes disagree, for a message that names the dimensions:
 * axis_a and axis_b are the axes of a and of b (from 0, outermost
 * first) whose sizes dim_a and dim_b conflict. */
struct nb_shape_conflict {
	int axis_a, axis_b;
	uint32_t dim_a, dim_b;
};

/* NumPy broadcasting: the shapes are aligned on their last axes; each
 * pair of dimensions must be equal or one of them 1, which stretches to
 * the other; a missing dimension counts as 1.  Returns 0 and sets *out,
 * or -1 and sets *why (the innermost conflicting pair). */
int nb_shape_broadcast(const struct nb_shape *a, const struct nb_shape *b,
		       struct nb_shape *out, struct nb_shape_conflict *why);

/* Why a @ b has no shape. */
enum nb_matmul_error {
	NB_MATMUL_OK = 0,
	NB_MATMUL_SCALAR,       /* an operand is a scalar (use '*') */
	NB_MATMUL_INNER         /* the inner dimensions differ */
};

/* The shape of a @ b under NumPy's rules for rank 1 and 2:
 *   (m,k)@(k,n) is (m,n)   (m,k)@(k) is (m)   (k)@(k,n) is (n)   (k)@(k) is ()
 * On NB_MATMUL_INNER, *why names the two inner axes (the last of a; the
 * first of b, or its only one). */
enum nb_matmul_error nb_shape_matmul(const struct nb_shape *a,
				     const struct nb_shape *b,
				     struct nb_shape *out,
				     struct nb_shape_conflict *why);

/* The transpose: the dimensions reversed (a vector or scalar is itself). */
struct nb_shape nb_shape_transpose(const struct nb_shape *s);

/* The node attribute (core/tape.h) that records axis=A (A may be
 * negative, from the end): A + 1 for A >= 0, A itself below 0; 0 stands
 * for no axis= given. */
static inline int32_t nb_attr_of_axis(int32_t axis)
{
	return axis >= 0 ? axis + 1 : axis;
}

/* The axis an attribute records, for a value of rank r: 0..r-1, or -1
 * for none given, or -2 when it is out of range for rank r. */
static inline int nb_axis_of_attr(int32_t a, int r)
{
	int axis = a > 0 ? a - 1 : r + a;

	if (a == 0)
		return -1;
	return axis >= 0 && axis < r ? axis : -2;
}

/* Enough for any shape nb_shape_format writes, with the NUL. */
#define NB_SHAPE_BUF (NB_MAX_RANK * 11 + 3)

/* The shape as messages write it: "5x10", "3", "()".  Writes a
 * NUL-terminated string to buf (NB_SHAPE_BUF bytes) and returns buf. */
char *nb_shape_format(char *buf, const struct nb_shape *s);

/* A value with a shape: size elements of data, row-major. */
struct nb_tensor {
	struct nb_shape shape;
	double *data;
};

/* Gives t shape s and room for its elements (through nb_malloc, not
 * initialised).  Returns 0, or -1 when the size overflows or memory runs
 * out, leaving t empty (data NULL). */
int nb_tensor_alloc(struct nb_tensor *t, const struct nb_shape *s);
void nb_tensor_free(struct nb_tensor *t);

#endif
