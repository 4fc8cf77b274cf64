/* ndfmt.c - tensors as NumPy writes them (ndfmt.h). */
#include "output/ndfmt.h"

#include <stdint.h>

#include "num/numfmt.h"

/* Ranks 0 to 2 have lines of their own here; a rank-3 value is blocks
 * of matrices, which NumPy separates with blank lines. */
_Static_assert(NB_MAX_RANK == 2, "ndfmt lays out ranks 0 to 2 only");

/* What is shown of an axis of dim elements: shown of them, the first
 * head, then after "..." (cut) the last shown - head. */
struct axis {
	size_t dim, shown, head;
	int cut;
};

static struct axis axis_of(size_t dim, size_t max)
{
	struct axis a = { dim, dim, dim, 0 };

	if (max && dim > max) {
		a.shown = max;
		a.head = (max + 1) / 2;
		a.cut = 1;
	}
	return a;
}

/* The index of the j-th element shown. */
static size_t pick(const struct axis *a, size_t j)
{
	return j < a->head ? j : a->dim - (a->shown - j);
}

/* A matrix's rows and columns; a vector is one row, a scalar one
 * element. */
static void axes(const struct nb_ndfmt *f, struct axis *rows,
		 struct axis *cols)
{
	const struct nb_shape *s = &f->v.shape;

	*rows = axis_of(s->rank == 2 ? s->dim[0] : 1, f->max);
	*cols = axis_of(s->rank ? s->dim[s->rank - 1] : 1, f->max);
}

/* Where a line goes, and how wide it has become. */
struct emit {
	FILE *out;
	size_t n;
};

static void put(struct emit *e, const char *s, size_t len)
{
	if (e->out)
		fwrite(s, 1, len, e->out);
	e->n += len;
}

/* v at prec significant digits, or in its shortest exact digits. */
static size_t format(char *buf, double v, int prec)
{
	return prec > 0 ? nb_fmt_human(buf, v, prec) : nb_fmt_exact(buf, v);
}

static void put_number(struct emit *e, double v, int prec, size_t width)
{
	char buf[NB_NUMBUF];
	size_t len = format(buf, v, prec);

	for (; len < width; width--)
		put(e, " ", 1);
	put(e, buf, len);
}

void nb_nd_layout(struct nb_ndfmt *f, struct nb_view v, int prec,
		  size_t max)
{
	struct axis rows, cols;
	char buf[NB_NUMBUF];
	size_t ncol;

	*f = (struct nb_ndfmt){ v, prec, max, 0, 1, 0 };
	axes(f, &rows, &cols);
	ncol = v.shape.rank ? v.shape.dim[v.shape.rank - 1] : 1;
	for (size_t i = 0; i < rows.shown; i++)
		for (size_t j = 0; j < cols.shown; j++) {
			double x = v.x[pick(&rows, i) * ncol + pick(&cols, j)];
			size_t len = format(buf, x, prec);

			if (len > f->elem)
				f->elem = len;
		}
	if (v.shape.rank == 2 && rows.dim > 0)
		f->lines = rows.shown + (size_t)rows.cut;
	for (size_t k = 0; k < f->lines; k++) {
		size_t w = nb_nd_line(NULL, f, k);

		if (w > f->width)
			f->width = w;
	}
}

/* Position k of an axis shown with its cut: the element's index, or
 * SIZE_MAX for the "..." that stands for the cut. */
static size_t at(const struct axis *a, size_t k)
{
	if (a->cut && k == a->head)
		return SIZE_MAX;
	return pick(a, k - (a->cut && k > a->head));
}

/* "[a, b, ..., y, z]": the shown elements of the row at x. */
static void row(struct emit *e, const struct nb_ndfmt *f, const double *x,
		const struct axis *cols)
{
	put(e, "[", 1);
	for (size_t k = 0; k < cols->shown + (size_t)cols->cut; k++) {
		size_t j = at(cols, k);

		if (k)
			put(e, ", ", 2);
		if (j == SIZE_MAX)
			put(e, "...", 3);
		else
			put_number(e, x[j], f->prec, f->elem);
	}
	put(e, "]", 1);
}

size_t nb_nd_line(FILE *out, const struct nb_ndfmt *f, size_t k)
{
	struct emit e = { out, 0 };
	struct axis rows, cols;
	size_t i;

	axes(f, &rows, &cols);
	if (f->v.shape.rank == 0) {
		put_number(&e, f->v.x[0], f->prec, 0);
		return e.n;
	}
	if (f->v.shape.rank == 1) {
		row(&e, f, f->v.x, &cols);
		return e.n;
	}
	if (rows.dim == 0) {
		put(&e, "[]", 2);
		return e.n;
	}
	put(&e, k ? " " : "[", 1);
	if ((i = at(&rows, k)) == SIZE_MAX)
		put(&e, "...", 3);
	else
		row(&e, f, f->v.x + i * cols.dim, &cols);
	put(&e, k + 1 == f->lines ? "]" : ",", 1);
	return e.n;
}

void nb_nd_write(FILE *out, const struct nb_ndfmt *f, const char *sep)
{
	for (size_t k = 0; k < f->lines; k++) {
		if (k)
			fputs(sep, out);
		nb_nd_line(out, f, k);
	}
}

void nb_nd_show(FILE *out, const char *pre, const char *name, size_t len,
		const char *post, struct nb_view v, int prec, size_t max)
{
	struct nb_ndfmt nd;
	int w = fprintf(out, "%s%.*s%s = ", pre, (int)len, name, post);

	nb_nd_layout(&nd, v, prec, max);
	for (size_t k = 0; k < nd.lines; k++) {
		if (k)
			fprintf(out, "\n%*s", w > 0 ? w : 0, "");
		nb_nd_line(out, &nd, k);
	}
	fputc('\n', out);
}
