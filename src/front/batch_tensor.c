/* batch_tensor.c - batch rows that bind vectors and matrices.
 *
 * A shaped program runs a row at a time in the shape pass's arenas: its
 * shapes come once from the command line and the columns, each row
 * writes its elements into the inputs' tensors in place, and the tape
 * is shaped again only when a size depends on a row's scalars
 * (zeros(n), n a column) and they change.  With -j N each worker thread
 * does the same on its own working copy (nb_bt_copy), the rows handed
 * over in blocks (nb_bt_load). */
#include "front/batch_tensor.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/diag.h"
#include "core/escape.h"
#include "core/shape.h"
#include "core/tsweep.h"
#include "core/tvals.h"
#include "core/view.h"
#include "front/batch_elems.h"
#include "front/tdirection.h"
#include "modes/gradcheck.h"

/* The elements of column c's array (a JSON Lines field). */
static size_t array_size(const struct nb_btensor *t, size_t c)
{
	size_t n = 1;

	nb_shape_size(&t->p->tval[t->colvar[c]].shape, &n);
	return n;
}

int nb_bt_arrays(struct nb_btensor *t, const struct nb_rowreader *r,
		 size_t *colflat)
{
	for (size_t c = 0; c < t->ncols; c++) {
		const struct nb_field *f = &r->f[c];
		struct nb_tensor v;
		size_t n;
		int e;

		if (t->colvar[c] < 0 || !f->rank)
			continue;
		v.shape = f->rank == 1 ? nb_shape_vector(f->dim[0])
				       : nb_shape_matrix(f->dim[0], f->dim[1]);
		if (nb_shape_size(&v.shape, &n) || nb_tensor_alloc(&v, &v.shape))
			return -1;
		memset(v.data, 0, n * sizeof *v.data);
		e = nb_program_set_tensor(t->p, (size_t)t->colvar[c], &v);
		nb_tensor_free(&v);
		if (e)
			return -1;
		colflat[c] = NB_ARRAY_COL;
	}
	return 0;
}

int nb_bt_read_array(const struct nb_btensor *t, size_t c,
		     const struct nb_field *f, const char *s, double *to,
		     char *msg, size_t size, size_t *elem)
{
	const struct nb_tensor *v = &t->p->tval[t->colvar[c]];
	struct nb_shape sh = f->rank == 1 ? nb_shape_vector(f->dim[0])
			     : nb_shape_matrix(f->dim[0], f->dim[1]);
	char want[NB_SHAPE_BUF], got[NB_SHAPE_BUF];
	struct nb_field num = { .keylen = 1, .bare = 1 };
	struct nb_quote q;
	size_t k = 0, i = 0;

	*elem = NB_FAULT_ANY;
	if (!f->rank || !nb_shape_equal(&sh, &v->shape)) {
		snprintf(msg, size, "'%s' has shape %s here, %s in the first "
			 "line", nb_quote(&q, t->cols[c].s, t->cols[c].len),
			 f->rank ? nb_shape_format(got, &sh) : "() (a number)",
			 nb_shape_format(want, &v->shape));
		return -1;
	}
	while (i < f->len) {
		if (s[i] == '[' || s[i] == ']' || s[i] == ',' || s[i] == '"') {
			i++;
			continue;
		}
		num.len = strcspn(s + i, ",]\"");
		*elem = k;
		if (nb_rr_number(&num, s + i, &to[k++], msg, size))
			return -1;
		i += num.len;
	}
	return 0;
}

size_t nb_bt_arrlen(const struct nb_btensor *t)
{
	size_t len = 0;

	for (size_t c = 0; c < t->ncols; c++)
		if (t->colflat[c] == NB_ARRAY_COL)
			len += array_size(t, c);
	return len;
}

double *nb_bt_array_at(const struct nb_btensor *t, size_t c, double *arr)
{
	for (size_t k = 0; k < c; k++)
		if (t->colflat[k] == NB_ARRAY_COL)
			arr += array_size(t, k);
	return arr;
}

void nb_bt_load(struct nb_btensor *t, const struct nb_cell *cells,
		const double *arr)
{
	struct nb_program *p = t->p;

	for (size_t c = 0; c < t->ncols; c++) {
		long v = t->colvar[c];
		size_t flat = t->colflat[c], n;
		if (v < 0)
			continue;
		if (flat == NB_NOT_ELEM) {
			p->tape.value[p->vars[v]] = cells[c].v;
		} else if (flat != NB_ARRAY_COL) {
			p->tval[v].data[flat] = cells[c].v;
		} else {
			n = array_size(t, c);
			memcpy(p->tval[v].data, arr, n * sizeof *arr);
			arr += n;
		}
	}
}

int nb_bt_copy(struct nb_btensor *c, const struct nb_btensor *t,
	       struct nb_program *p)
{
	*c = *t;
	c->p = p;
	c->sumonly = NULL;
	c->ownwrt = NULL;
	c->dir = NULL;
	c->sized = NULL;
	c->stale = 1;
	/* the search for a faulty field is scratch of its own */
	if (nb_bfault_init(&c->fault, t->fault.n))
		return -1;
	if (!t->sized)
		return 0;
	c->sized = nb_malloc((t->ncols ? t->ncols : 1) * sizeof *c->sized);
	if (!c->sized)
		return -1;
	memset(c->sized, 0, t->ncols * sizeof *c->sized);
	return 0;
}

/* 0 if p's output is a scalar, else 2 with d saying so. */
static int scalar_output(const struct nb_program *p, struct nb_diag *d)
{
	char shape[NB_SHAPE_BUF];
	size_t len;
	const char *out = nb_program_outname(p, &len);

	if (!p->tape.tv->shape[p->output].rank)
		return 0;
	return nb_error_plain(d, NB_EUSAGE, "--batch needs a scalar output: "
			      "%.*s is %s (reduce it, with sum for one)",
			      (int)(len > 40 ? 40 : len), out,
			      nb_shape_format(shape,
					      &p->tape.tv->shape[p->output]));
}

/* Whether the row's scalars differ from those the shapes were made
 * with; if so, keeps them. */
static int new_scalars(struct nb_btensor *t)
{
	const double *value = t->p->tape.value;
	int changed = t->stale;

	for (size_t c = 0; c < t->ncols; c++) {
		const double *v;
		if (t->colvar[c] < 0 || t->colflat[c] != NB_NOT_ELEM)
			continue;
		v = &value[t->p->vars[t->colvar[c]]];
		if (memcmp(v, &t->sized[c], sizeof *v)) {
			t->sized[c] = *v;
			changed = 1;
		}
	}
	t->stale = 0;
	return changed;
}

/* Whether the rows need no edge gradients and no node's value outside
 * the sweeps: the backprop columns alone (see nb_tsweep_prepare). */
static int lean(const struct nb_btensor *t)
{
	return t->mode == NB_MODE_GRAD && t->layout == NB_WIDE;
}

/* A program whose sizes come from the rows (zeros(n), n a column) shapes
 * its tape again when they change.  Returns 0, or an exit status with d
 * filled (the row is bad). */
static int reshape(struct nb_btensor *t, struct nb_diag *d)
{
	struct nb_program *p = t->p;
	struct nb_tleaves lv = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	int s;

	if (!t->sized || !new_scalars(t))
		return 0;
	if ((s = nb_tsweep_prepare(&p->tape, &lv, !lean(t),
				   p->src.text, d)) != 0) {
		t->stale = 1;
		return s;
	}
	/* a size from the row made the output a vector or matrix */
	p->tape.fault = (struct nb_tfault){ p->output, NB_FAULT_ANY,
					    NB_FAULT_ANY };
	return scalar_output(p, d);
}

int nb_bt_sweep(struct nb_btensor *t, struct nb_diag *d, size_t *col,
		size_t *elem)
{
	struct nb_program *p = t->p;
	struct nb_tleaves lv = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	int s, shape = 1;

	if ((s = reshape(t, d)) != 0 ||
	    (shape = 0, s = nb_tsweep_forward(&p->tape, &lv, p->seed,
					      p->src.text, d)) != 0) {
		*col = nb_bfault_column(&t->fault, p, t->colvar, t->colflat,
					t->ncols, shape, elem);
		return s;
	}
	nb_tsweep_reverse(&p->tape, p->output, NULL);
	return 0;
}

/* Whether a column feeds variable v (else the command line or the
 * program binds it, the same for every row). */
static int row_bound(const struct nb_btensor *t, size_t v)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (t->colvar[c] == (long)v)
			return 1;
	return 0;
}

/* In a program with vectors or matrices, without --wrt, the inputs
 * fixed across rows (the weights, and scalars too) get no columns in
 * the rows; with --sum, columns in its record alone (SPEC section 9).
 * Returns 0, or -1 when out of memory. */
static int weight_columns(struct nb_btensor *t, const size_t **wrtp,
			  size_t *nwrtp)
{
	const size_t *all = *wrtp;
	size_t nwrt = *nwrtp, n = 0;
	size_t *wrt = nb_malloc((nwrt ? nwrt : 1) * sizeof *wrt);
	/* Tensor ops on scalars alone (sum(x), x a number) write as a
	 * program of scalars: every input has its column.  A size from the
	 * rows makes a vector or matrix. */
	int tensors = t->sized || nb_tape_shaped(&t->p->tape);

	t->sumonly = nb_malloc(nwrt ? nwrt : 1);
	if (!wrt || !t->sumonly) {
		nb_free(wrt);
		return -1;
	}
	for (size_t k = 0; k < nwrt; k++) {
		int fixed = tensors && !t->wrt_given &&
			    !row_bound(t, all[k]);
		if (fixed && !t->sum)
			continue;
		t->sumonly[n] = (unsigned char)fixed;
		wrt[n++] = all[k];
	}
	t->ownwrt = wrt;
	*wrtp = wrt;
	*nwrtp = n;
	return 0;
}

/* Whether a size (zeros(n), onehot(i, n)) depends on an input, which
 * rows may change. */
static int sized_by_rows(const struct nb_program *p)
{
	const struct nb_tape *t = &p->tape;

	for (size_t i = 0; i < t->n; i++) {
		size_t k = nb_bfault_sizes_from((enum nb_op)t->op[i]);
		if (k == NB_FAULT_ANY)
			continue;
		for (size_t e = t->first[i] + k; e < t->first[i + 1]; e++)
			if (t->dep[t->in[e]])
				return 1;
	}
	return 0;
}

/* What a mode asks of a shaped program: the sizes fixed (its scratch
 * is sized once) and, for --check, a bounded number of elements to
 * difference in each row. */
static int mode_limits(const struct nb_btensor *t, const size_t *wrt,
		       size_t nwrt)
{
	size_t n;

	if (t->mode == NB_MODE_GRAD && t->layout == NB_WIDE)
		return 0;
	if (t->sized)
		return nb_usage_error("--batch %s: a size here comes from the "
				      "rows (zeros(n) with n a column), which "
				      "only the plain gradient takes",
				      t->layout == NB_NODES ? "--nodes"
				      : t->layout == NB_EDGES ? "--edges"
				      : nb_mode_name(t->mode));
	n = nb_check_total(t->p, wrt, nwrt);
	if (t->mode == NB_MODE_CHECK && n > NB_CHECK_MAX_ELEMENTS)
		return nb_usage_error("--batch --check: the inputs checked have "
				      "%zu elements, more than %d in every "
				      "row: choose fewer with --wrt", n,
				      NB_CHECK_MAX_ELEMENTS);
	return 0;
}

/* --jvp's or --hvp's list, read as tensors of the inputs' shapes into
 * t->dir. */
static int direction(struct nb_btensor *t)
{
	struct nb_argvalue av = { .seed = t->seed };
	struct nb_diag d;
	unsigned char *given;
	int r;

	if (!t->dirarg || nb_modes[t->mode].arg != NB_ARG_DIRECTION)
		return 0;
	if (nb_tdirection_new(t->p, &t->dir, &given))
		return nb_out_of_memory();
	r = nb_tdirection_read(t->p, &av, nb_mode_name(t->mode), t->dirarg,
			       strlen(t->dirarg), t->dir, given, &d);
	if (r) {
		nb_diag_print(stderr, nb_argvalue_source(&av, &t->p->src), &d,
			      t->color);
		if (r == NB_EUSAGE && !d.located)
			fputs(NB_TRY_HELP, stderr);
	}
	nb_argvalue_free(&av);
	nb_free(given);
	return r;
}

int nb_bt_start(struct nb_btensor *t, const size_t **wrt, size_t *nwrt)
{
	struct nb_program *p = t->p;
	struct nb_tleaves lv = { p->vars, p->tval, p->tval ? p->nvars : 0 };
	struct nb_diag d;
	int s;

	if (sized_by_rows(p)) {
		t->sized = nb_malloc((t->ncols ? t->ncols : 1) *
				     sizeof *t->sized);
		if (!t->sized)
			return nb_out_of_memory();
		memset(t->sized, 0, t->ncols * sizeof *t->sized);
	}
	t->stale = 1;
	if (nb_bfault_init(&t->fault, p->tape.n))
		return nb_out_of_memory();
	/* Sizes from the rows: their first values shape the tape. */
	if (!t->sized && ((s = nb_tsweep_prepare(&p->tape, &lv,
						 !lean(t), p->src.text, &d)) != 0 ||
			  (s = scalar_output(p, &d)) != 0)) {
		nb_diag_print(stderr, &p->src, &d, t->color);
		if (s == NB_EUSAGE && !d.located)
			fputs(NB_TRY_HELP, stderr);
		return s;
	}
	if (weight_columns(t, wrt, nwrt))
		return nb_out_of_memory();
	if ((s = mode_limits(t, *wrt, *nwrt)) != 0)
		return s;
	return direction(t);
}

void nb_bt_free(struct nb_btensor *t)
{
	nb_free(t->sized);
	nb_free(t->sumonly);
	nb_free(t->ownwrt);
	nb_free(t->dir);
	nb_bfault_free(&t->fault);
	t->dir = NULL;
	t->sized = NULL;
	t->sumonly = NULL;
	t->ownwrt = NULL;
}
