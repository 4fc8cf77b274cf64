/* batch_jobs.h - batch mode's blocks of rows swept on N threads.
 *
 * The driver (batch.c) still reads and checks every row, so bad rows,
 * their line numbers and the order of rows and diagnostics are those of
 * one thread; it fills a block of rows, submits it and fills the next.
 * Worker threads sweep the blocks, each with a working copy of the
 * program (core/progshare.h), and write their rows to memory; a shaped
 * program's rows are bound and swept by the worker one by one, so the
 * rows that turn out bad there (an index from the row out of range) are
 * reported by the driver as it takes their block back; the driver
 * sends each block's lines out in input order, waiting for the oldest
 * when 2N blocks are in flight, so memory stays bounded.  Before
 * anything the driver writes itself (a bad row's diagnostic or nan row,
 * the end), it takes every block in flight back (nb_bjobs_sync). */
#ifndef NABLA_BATCH_JOBS_H
#define NABLA_BATCH_JOBS_H

#include <stddef.h>

#include "front/batch_rows.h"

struct nb_bjobs;

/* Reports a bad row that a worker found (nb_beval_rows), on the
 * driver's thread, in input order, after the lines before it: returns
 * 0 to go on, -1 to stop (--on-error=stop). */
typedef int nb_bjobs_bad_fn(void *ctx, const struct nb_brows *r,
			    const struct nb_bbad *bad);

/* The blocks: `rows` rows each (nb_brows_init's keep and inputs_only);
 * of a shaped program, with ten the driver's (nb_bt_copy) and arrlen
 * (nb_bt_arrlen), nb_brows_tensor's, and bad its reporter. */
struct nb_bjobs_opts {
	size_t rows;
	int keep, inputs_only;
	const struct nb_btensor *ten;
	size_t arrlen;
	nb_bjobs_bad_fn *bad;
	void *ctx;
};

/* Starts n workers evaluating like proto, over 2n blocks (proto->nsum
 * sums).  Returns NULL when out of memory or threads (errno set). */
struct nb_bjobs *nb_bjobs_start(const struct nb_beval *proto, size_t n,
				const struct nb_bjobs_opts *o);

/* The block to fill. */
struct nb_brows *nb_bjobs_rows(const struct nb_bjobs *j);

/* Submits the block filled; if every block is then in flight, takes
 * the oldest back, its lines into w (what its rows add up to into t,
 * nb_brows_tally) and its bad rows to the reporter.  Returns 0, -1 when
 * that block's evaluation ran out of memory (the lines before written),
 * or 1 when a bad row in it stopped the run. */
int nb_bjobs_submit(struct nb_bjobs *j, struct nb_bwriter *w,
		    struct nb_btally *t);

/* Takes every block in flight back, as nb_bjobs_submit does the oldest;
 * -1 or 1 at the first that ran out of memory or stopped the run (the
 * later ones are dropped). */
int nb_bjobs_sync(struct nb_bjobs *j, struct nb_bwriter *w,
		  struct nb_btally *t);

/* Stops the workers (a block in hand is finished, the rest dropped) and
 * frees j, which may be NULL. */
void nb_bjobs_stop(struct nb_bjobs *j);

#endif
