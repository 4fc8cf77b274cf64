/* batch_jobs.c - blocks of batch rows on a ring of worker threads. */
#include "front/batch_jobs.h"

#include <errno.h>
#include <string.h>

#include "core/alloc.h"
#include "core/progshare.h"
#include "front/jobs.h"

struct nb_bjobs {
	struct nb_jobs *pool;
	size_t n;                       /* workers */
	struct nb_program *prog;        /* per worker: its working copy */
	struct nb_beval *ev;            /* per worker: its evaluator */
	struct nb_btensor *ten;         /* per worker, of a shaped program */
	struct nb_brows *slot;          /* 2n blocks */
	void **ctx, **data;             /* &ev[k], &slot[k] for the pool */
	nb_bjobs_bad_fn *bad;           /* the reporter of bad rows */
	void *badctx;
};

/* A worker's job: the block's lines go with it, and the block's last
 * buffer becomes the writer's, so no job allocates once buffers have
 * grown to a block's output. */
static void sweep_block(void *ctx, void *data)
{
	struct nb_beval *e = ctx;
	struct nb_brows *r = data;
	struct nb_out *o = &e->w.out;
	char *buf = r->out;
	size_t cap = r->outcap;

	r->oom = nb_beval_rows(e, r) != 0 || o->err != 0;
	o->err = 0;
	r->out = o->buf;
	r->outcap = o->cap;
	r->outlen = o->n;
	o->buf = buf;
	o->cap = cap;
	o->n = 0;
}

static int allocate(struct nb_bjobs *j, size_t n)
{
	j->prog = nb_malloc(n * sizeof *j->prog);
	j->ev = nb_malloc(n * sizeof *j->ev);
	j->ten = nb_malloc(n * sizeof *j->ten);
	j->slot = nb_malloc(2 * n * sizeof *j->slot);
	j->ctx = nb_malloc(n * sizeof *j->ctx);
	j->data = nb_malloc(2 * n * sizeof *j->data);
	if (!j->prog || !j->ev || !j->ten || !j->slot || !j->ctx || !j->data)
		return -1;
	/* Zeroed, each is safe to free whatever was made of it; until
	 * then n is 0 and release frees the arrays alone. */
	memset(j->prog, 0, n * sizeof *j->prog);
	memset(j->ev, 0, n * sizeof *j->ev);
	memset(j->ten, 0, n * sizeof *j->ten);
	memset(j->slot, 0, 2 * n * sizeof *j->slot);
	j->n = n;
	return 0;
}

static int block(struct nb_brows *r, const struct nb_beval *proto,
		 const struct nb_bjobs_opts *o)
{
	if (o->ten)
		return nb_brows_tensor(r, &proto->p->tape, o->rows,
				       proto->ncols, proto->nsum, o->arrlen);
	return nb_brows_init(r, &proto->p->tape, o->rows, proto->ncols,
			     o->keep, o->inputs_only, proto->nsum);
}

/* The blocks first: for a block that keeps local gradients the
 * program's tape makes room for them (nb_tape_locals), and a working
 * copy takes the tape as it is when made. */
static int prepare(struct nb_bjobs *j, const struct nb_beval *proto,
		   const struct nb_bjobs_opts *o)
{
	for (size_t s = 0; s < 2 * j->n; s++) {
		j->data[s] = &j->slot[s];
		if (block(&j->slot[s], proto, o))
			return -1;
	}
	for (size_t k = 0; k < j->n; k++) {
		j->ctx[k] = &j->ev[k];
		if (nb_program_share(&j->prog[k], proto->p) ||
		    nb_beval_copy(&j->ev[k], proto, &j->prog[k]))
			return -1;
		if (!o->ten)
			continue;
		if (nb_bt_copy(&j->ten[k], o->ten, &j->prog[k]))
			return -1;
		j->ev[k].ten = &j->ten[k];
	}
	return 0;
}

static void release(struct nb_bjobs *j)
{
	for (size_t k = 0; k < j->n; k++) {
		nb_beval_free(&j->ev[k]);
		nb_bt_free(&j->ten[k]);
	}
	for (size_t k = 0; k < j->n; k++)
		nb_program_share_free(&j->prog[k]);
	for (size_t s = 0; s < 2 * j->n; s++)
		nb_brows_free(&j->slot[s]);
	nb_free(j->prog);
	nb_free(j->ev);
	nb_free(j->ten);
	nb_free(j->slot);
	nb_free(j->ctx);
	nb_free(j->data);
	nb_free(j);
}

struct nb_bjobs *nb_bjobs_start(const struct nb_beval *proto, size_t n,
				const struct nb_bjobs_opts *o)
{
	struct nb_bjobs *j = nb_malloc(sizeof *j);
	int e;

	if (!j) {
		errno = ENOMEM;
		return NULL;
	}
	*j = (struct nb_bjobs){ .bad = o->bad, .badctx = o->ctx };
	if (allocate(j, n) || prepare(j, proto, o)) {
		release(j);
		errno = ENOMEM;
		return NULL;
	}
	j->pool = nb_jobs_start(sweep_block, j->ctx, n, j->data, 2 * n);
	if (!j->pool) {
		e = errno;
		release(j);
		errno = e;
		return NULL;
	}
	return j;
}

struct nb_brows *nb_bjobs_rows(const struct nb_bjobs *j)
{
	return nb_jobs_head(j->pool);
}

/* Takes the oldest block back: its lines into w, each bad row reported
 * after the lines before it. */
static int take(struct nb_bjobs *j, struct nb_bwriter *w,
		struct nb_btally *t)
{
	struct nb_brows *r = nb_jobs_take(j->pool);
	size_t at = 0;
	int stop = 0;

	for (size_t k = 0; k < r->nbad && !stop; k++) {
		nb_out_put(&w->out, r->out + at, r->bad[k].at - at);
		at = r->bad[k].at;
		stop = j->bad(j->badctx, r, &r->bad[k]) != 0;
	}
	nb_out_put(&w->out, r->out + at, r->outlen - at);
	nb_out_line_end(&w->out);
	nb_brows_tally(r, t);
	r->outlen = 0;
	return r->oom ? -1 : stop;
}

int nb_bjobs_submit(struct nb_bjobs *j, struct nb_bwriter *w,
		    struct nb_btally *t)
{
	nb_jobs_submit(j->pool);
	return nb_jobs_full(j->pool) ? take(j, w, t) : 0;
}

int nb_bjobs_sync(struct nb_bjobs *j, struct nb_bwriter *w,
		  struct nb_btally *t)
{
	int s;

	while (nb_jobs_busy(j->pool))
		if ((s = take(j, w, t)) != 0)
			return s;
	return 0;
}

void nb_bjobs_stop(struct nb_bjobs *j)
{
	if (!j)
		return;
	nb_jobs_stop(j->pool);
	release(j);
}
