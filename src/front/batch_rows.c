/* batch_rows.c - sweeping a block of batch rows and writing them. */
#include "front/batch_rows.h"

#include <string.h>

#include "core/alloc.h"
#include "core/view.h"

/* The cells of `rows` rows and the sums. */
static int cells(struct nb_brows *r, size_t rows, size_t ncols, size_t nsum)
{
	size_t n = ncols ? ncols : 1;

	*r = (struct nb_brows){ .nsum = nsum, .cap = rows };
	r->cells = nb_malloc(n * rows * sizeof *r->cells);
	r->textat = nb_malloc(n * rows * sizeof *r->textat);
	if (nsum && !(r->sum = nb_malloc(nsum * sizeof *r->sum)))
		return -1;
	for (size_t k = 0; k < nsum; k++)
		r->sum[k] = (struct nb_ksum){ 0, 0 };
	return r->cells && r->textat ? 0 : -1;
}

int nb_brows_init(struct nb_brows *r, struct nb_tape *t, size_t rows,
		  size_t ncols, int keep, int inputs_only, size_t nsum)
{
	if (cells(r, rows, ncols, nsum) ||
	    nb_block_init(&r->blk, t, rows, keep))
		return -1;
	if (inputs_only)
		nb_block_inputs_only(&r->blk, t);
	return 0;
}

/* The rows' values go to the worker's tape one at a time: the block is
 * one row, the tape's own arrays, which no one sweeps. */
int nb_brows_tensor(struct nb_brows *r, struct nb_tape *t, size_t rows,
		    size_t ncols, size_t nsum, size_t arrlen)
{
	if (cells(r, rows, ncols, nsum) || nb_block_init(&r->blk, t, 1, 0))
		return -1;
	r->arrlen = arrlen;
	r->arr = nb_malloc((arrlen ? arrlen : 1) * rows * sizeof *r->arr);
	r->rawat = nb_malloc((rows + 1) * sizeof *r->rawat);
	r->fieldat = nb_malloc(rows * (ncols ? ncols : 1) *
			       sizeof *r->fieldat);
	r->line = nb_malloc(rows * sizeof *r->line);
	r->bad = nb_malloc(rows * sizeof *r->bad);
	if (!r->arr || !r->rawat || !r->fieldat || !r->line || !r->bad)
		return -1;
	r->rawat[0] = 0;
	return 0;
}

int nb_brows_record(struct nb_brows *r, const char *raw, size_t len,
		    size_t line, const char *name)
{
	size_t j = r->pending;

	if (j == 0)
		r->rawlen = 0;
	if (len && nb_grow((void **)&r->raw, &r->rawcap, r->rawlen + len, 1))
		return -1;
	if (len)
		memcpy(r->raw + r->rawlen, raw, len);
	r->rawat[j] = r->rawlen;
	r->rawlen += len;
	r->rawat[j + 1] = r->rawlen;
	r->line[j] = line;
	r->name = name;
	return 0;
}

void nb_brows_free(struct nb_brows *r)
{
	nb_block_free(&r->blk);
	nb_free(r->cells);
	nb_free(r->textat);
	nb_free(r->text);
	nb_free(r->out);
	nb_free(r->sum);
	nb_free(r->arr);
	nb_free(r->raw);
	nb_free(r->rawat);
	nb_free(r->fieldat);
	nb_free(r->line);
	nb_free(r->bad);
	r->sum = NULL;
	r->arr = NULL;
	r->raw = NULL;
	r->rawat = r->fieldat = r->line = NULL;
	r->bad = NULL;
	r->cells = NULL;
	r->textat = NULL;
	r->text = r->out = NULL;
}

void nb_brows_tally(struct nb_brows *r, struct nb_btally *t)
{
	t->failed += r->failed;
	r->failed = 0;
	for (size_t k = 0; k < r->nsum && k < t->nsum; k++) {
		nb_ksum_merge(&t->sum[k], &r->sum[k]);
		r->sum[k] = (struct nb_ksum){ 0, 0 };
	}
}

int nb_beval_mode(struct nb_beval *e)
{
	if (!e->mode->batch_init)
		return 0;
	if (e->mode->batch_init(&e->mb))
		return -1;
	return nb_bw_columns(&e->w, e->mb.gpre, e->mb.gx, e->mb.col, e->mb.n,
			     e->mb.cell);
}

int nb_beval_copy(struct nb_beval *e, const struct nb_beval *proto,
		  struct nb_program *p)
{
	const struct nb_bwriter *w = &proto->w;

	*e = (struct nb_beval){ .p = p, .mode = proto->mode,
				.gnode = proto->gnode, .ncols = proto->ncols,
				.nsum = proto->nsum,
				.shaped = proto->shaped,
				.on_error = proto->on_error };
	e->mb = (struct nb_mode_batch){ .p = p, .wrt = proto->mb.wrt,
					.nwrt = proto->mb.nwrt,
					.dir = proto->mb.dir,
					.tol = proto->mb.tol,
					.step = proto->mb.step };
	if (nb_bw_init(&e->w, NULL, w->fmt, w->layout, w->precision, p,
		       w->wrt, w->nwrt, w->names, w->necho))
		return -1;
	e->w.out.hold = 1;
	e->w.sumonly = w->sumonly;
	return nb_beval_mode(e);
}

void nb_beval_free(struct nb_beval *e)
{
	nb_bw_free(&e->w);
	nb_mode_batch_free(&e->mb);
}

/* Adds the row on the tape to r's sums: the value, then every element
 * of each gradient. */
static void add_row(const struct nb_beval *e, struct nb_brows *r)
{
	const struct nb_tape *t = &e->p->tape;
	struct nb_ksum *sum = r->sum + 1;

	nb_ksum_add(&r->sum[0], nb_node_value(t, e->p->output).x[0]);
	for (size_t k = 0; k < e->w.nwrt; k++) {
		struct nb_view v = nb_node_grad(t, e->p->vars[e->w.wrt[k]]);
		size_t n = 1;
		nb_shape_size(&v.shape, &n);
		for (size_t i = 0; i < n; i++)
			nb_ksum_add(sum++, v.x[i]);
	}
}

/* Row j of r, loaded into e's program and swept; a bad one goes to
 * r->bad.  Returns 1 to write the row, 0 to go on without it (a bad
 * row, its nan row written if asked), -1 to stop (--on-error=stop). */
static int tensor_row(struct nb_beval *e, struct nb_brows *r, size_t j)
{
	struct nb_bbad *bad = &r->bad[r->nbad];

	nb_bt_load(e->ten, r->cells + j * e->ncols, r->arr + j * r->arrlen);
	bad->status = nb_bt_sweep(e->ten, &bad->d, &bad->col, &bad->elem);
	if (bad->status == 0)
		return 1;
	bad->row = j;
	bad->at = e->w.out.n;
	r->nbad++;
	if (bad->col >= e->ncols) {
		r->stopped = 1;
		return -1;
	}
	if (e->on_error == NB_ONERR_NAN)
		nb_bw_row(&e->w, r->first + j, r->cells + j * e->ncols, 0);
	if (e->on_error != NB_ONERR_STOP)
		return 0;
	r->stopped = 1;
	return -1;
}

int nb_beval_rows(struct nb_beval *e, struct nb_brows *r)
{
	struct nb_tape *t = &e->p->tape;
	size_t m = r->pending, n = e->ncols, nwrt = e->w.nwrt;

	r->pending = 0;
	r->nbad = 0;
	r->stopped = 0;
	if (m == 0)
		return 0;
	/* A shaped tape holds its one row, swept as it was bound, or
	 * sweeps each row below. */
	if (!e->shaped) {
		nb_block_forward(&r->blk, t, m);
		nb_block_reverse(&r->blk, t, e->p->output, m);
	}
	for (size_t j = 0; j < m; j++) {
		struct nb_cell *cells = r->cells + j * n;
		int s;
		for (size_t c = 0; r->textlen && c < n; c++)
			cells[c].s = r->text + r->textat[j * n + c];
		if (e->ten && (s = tensor_row(e, r, j)) <= 0) {
			if (s < 0)
				break;
			continue;
		}
		if (!e->shaped && e->gnode)
			nb_block_row_result(&r->blk, t, j, e->p->output,
					    e->gnode, nwrt);
		else if (!e->shaped)
			nb_block_row(&r->blk, t, j);
		if (e->mode->batch_row) {
			if (e->mode->batch_row(&e->mb))
				return -1;
			r->failed += e->mb.failed != 0;
		}
		if (r->sum)
			add_row(e, r);
		nb_bw_row(&e->w, r->first + j, cells, 1);
	}
	r->textlen = 0;
	return 0;
}
