/* jobs.h - work done on other threads, handed back in the order given.
 *
 * A ring of slots goes round: the caller fills the slot at the head,
 * submits it, and the next idle worker thread takes it; the caller
 * takes the slots back in the order it submitted them, once done.  A
 * full ring makes the caller wait for its oldest slot, so the work in
 * flight, and the memory it holds, is bounded by the ring whatever the
 * length of the stream.  Every worker has its own context (what it
 * works with), every slot its own data (what it works on). */
#ifndef NABLA_JOBS_H
#define NABLA_JOBS_H

#include <stddef.h>

/* Worker ctx does the work of slot data. */
typedef void nb_job_fn(void *ctx, void *data);

struct nb_jobs;

/* Starts nthreads workers (ctx[k] the k-th's) over nslots slots (data[k]
 * the k-th's), which the caller fills from slot 0 on.  Worker threads
 * block every signal: a signal goes to the caller's thread, where a
 * read waiting for input sees EINTR.  Returns the pool, or NULL when out
 * of memory or threads (errno set). */
struct nb_jobs *nb_jobs_start(nb_job_fn *fn, void **ctx, size_t nthreads,
			      void **data, size_t nslots);

/* The slot to fill next (at the head of the ring). */
void *nb_jobs_head(const struct nb_jobs *j);
/* Whether the head slot is still in flight: take the oldest back first. */
int nb_jobs_full(const struct nb_jobs *j);
/* Whether any slot is in flight. */
int nb_jobs_busy(const struct nb_jobs *j);

/* Hands the head slot to the workers; the next slot becomes the head. */
void nb_jobs_submit(struct nb_jobs *j);
/* Waits for the oldest slot in flight (there must be one) to be done
 * and returns it, no longer in flight. */
void *nb_jobs_take(struct nb_jobs *j);

/* Lets the workers finish the slot in hand, drops the rest and joins
 * them; j may be NULL. */
void nb_jobs_stop(struct nb_jobs *j);

/* The number of threads -j 0 stands for: the processors online. */
size_t nb_jobs_online(void);

#endif
