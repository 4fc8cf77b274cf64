/* batch_gcol.c - batch mode's gradient columns, flattened or nested.
 *
 * A scalar input has one column, dL/dx.  A vector or matrix input has
 * one column per element in row-major order, dL/dW[1,2], in the
 * delimited formats and the table; JSON Lines writes its gradient as a
 * nested array under dL/dW (SPEC section 9). */
#include "output/batch_write.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

struct nb_shape nb_bw_grad_shape(const struct nb_bwriter *w, size_t k)
{
	const struct nb_program *p = w->p;

	return p->tval && p->tval[w->wrt[k]].data ? p->tval[w->wrt[k]].shape
						  : nb_shape_scalar();
}

/* The bytes of "W[i]" or "W[i,j]" for element e of shape sh into buf
 * (NULL: only counts them). */
static size_t elem_name(char *buf, const char *name, size_t len,
			const struct nb_shape *sh, size_t e)
{
	char tail[48];
	int n = sh->rank == 1
		? snprintf(tail, sizeof tail, "[%zu]", e)
		: snprintf(tail, sizeof tail, "[%zu,%zu]", e / sh->dim[1],
			   e % sh->dim[1]);

	if (buf) {
		memcpy(buf, name, len);
		memcpy(buf + len, tail, (size_t)n);
	}
	return len + (size_t)n;
}

/* Lays the columns out, into w->gcol and (buf non-NULL) w->gtext;
 * returns the bytes of the element names. */
static size_t lay_out(struct nb_bwriter *w, char *buf)
{
	const struct nb_program *p = w->p;
	size_t text = 0, at = 0;
	int flat = !nb_sink_typed(w->fmt);

	w->ngcol = 0;
	for (size_t k = 0; k < w->nwrt; k++) {
		struct nb_shape sh = nb_bw_grad_shape(w, k);
		struct nb_span sp = nb_tape_name(&p->tape, p->vars[w->wrt[k]]);
		const char *name = p->src.text + sp.start;
		size_t n = 1;
		nb_shape_size(&sh, &n);
		for (size_t e = 0; e < (flat && sh.rank ? n : 1); e++) {
			struct nb_bgcol *g = &w->gcol[w->ngcol++];
			*g = (struct nb_bgcol){ k, sh.rank ? e : 0, at + e,
						name, sp.len };
			if (sh.rank && !flat) {
				g->e = NB_BW_WHOLE;
			} else if (sh.rank) {
				g->name = buf ? buf + text : NULL;
				g->len = elem_name(buf ? buf + text : NULL,
						   name, sp.len, &sh, e);
				text += g->len;
			}
		}
		at += n;
	}
	w->nelem = at;
	return text;
}

int nb_bw_gcols(struct nb_bwriter *w)
{
	size_t n = 0, text;

	for (size_t k = 0; k < w->nwrt; k++) {
		struct nb_shape sh = nb_bw_grad_shape(w, k);
		size_t size = 1;
		nb_shape_size(&sh, &size);
		n += size;
	}
	nb_free(w->gcol);
	nb_free(w->gtext);
	w->gtext = NULL;
	w->gcol = nb_malloc((n ? n : 1) * sizeof *w->gcol);
	if (!w->gcol)
		return -1;
	text = lay_out(w, NULL);
	if (!text)
		return 0;
	w->gtext = nb_malloc(text);
	if (!w->gtext)
		return -1;
	lay_out(w, w->gtext);
	return 0;
}

void nb_bw_json_tensor(struct nb_out *o, const struct nb_shape *sh,
		       const double *x, const struct nb_ksum *k)
{
	size_t rows = sh->rank == 2 ? sh->dim[0] : 1;
	size_t cols = sh->rank ? sh->dim[sh->rank - 1] : 1;

	if (sh->rank == 2)
		nb_out_putc(o, '[');
	for (size_t i = 0; i < rows; i++) {
		if (i)
			nb_out_putc(o, ',');
		if (sh->rank)
			nb_out_putc(o, '[');
		for (size_t j = 0; j < cols; j++) {
			size_t e = i * cols + j;
			if (j)
				nb_out_putc(o, ',');
			nb_json_number(o, x ? x[e] : k ? nb_ksum_value(&k[e])
						    : NAN);
		}
		if (sh->rank)
			nb_out_putc(o, ']');
	}
	if (sh->rank == 2)
		nb_out_putc(o, ']');
}
