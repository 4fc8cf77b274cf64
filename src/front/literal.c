/* literal.c - values as exact array literals (a session keeps its
 * vector and matrix constants so). */
#include "front/literal.h"

#include <string.h>

#include "num/numfmt.h"

/* The elements of x from axis on, shape s. */
static int nested(struct nb_text *t, const double *x,
		  const struct nb_shape *s, int axis)
{
	char num[NB_NUMBUF];
	size_t stride = 1;

	if (axis == s->rank)
		return nb_text_add(t, num, nb_fmt_exact(num, *x));
	for (int a = axis + 1; a < s->rank; a++)
		stride *= s->dim[a];
	if (nb_text_add(t, "[", 1))
		return -1;
	for (size_t i = 0; i < s->dim[axis]; i++)
		if ((i && nb_text_add(t, ", ", 2)) ||
		    nested(t, x + i * stride, s, axis + 1))
			return -1;
	return nb_text_add(t, "]", 1);
}

int nb_literal_text(struct nb_text *t, struct nb_view v)
{
	return nested(t, v.x, &v.shape, 0);
}
