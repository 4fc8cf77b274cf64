/* jobs.c - a ring of slots worked on by POSIX threads, taken back in
 * order.
 *
 * One mutex guards the ring's states; workers wait on `work` for a slot
 * submitted, the caller on `done` for its oldest slot.  Workers take the
 * slots in the order submitted, so the oldest is the first one started
 * and the caller rarely waits behind a later one. */
#include "front/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "core/alloc.h"

enum { FREE, QUEUED, RUNNING, DONE };

struct worker {
	struct nb_jobs *j;
	void *ctx;
	pthread_t thread;
};

struct nb_jobs {
	pthread_mutex_t mu;
	pthread_cond_t work;    /* a slot queued, or quit */
	pthread_cond_t done;    /* a slot done */
	nb_job_fn *fn;
	void **data;
	unsigned char *state;   /* per slot */
	size_t nslots;
	size_t head;            /* the slot the caller fills */
	size_t tail;            /* the oldest slot in flight */
	size_t next;            /* the next slot a worker takes */
	size_t inflight;        /* slots submitted, not taken back (caller's) */
	size_t queued;          /* slots submitted, not started */
	int quit;
	struct worker *w;
	size_t nw;              /* workers started */
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct nb_jobs *j = w->j;

	pthread_mutex_lock(&j->mu);
	for (;;) {
		size_t s;

		while (!j->quit && j->queued == 0)
			pthread_cond_wait(&j->work, &j->mu);
		if (j->quit)
			break;
		s = j->next;
		j->next = (s + 1) % j->nslots;
		j->queued--;
		j->state[s] = RUNNING;
		pthread_mutex_unlock(&j->mu);
		j->fn(w->ctx, j->data[s]);
		pthread_mutex_lock(&j->mu);
		j->state[s] = DONE;
		pthread_cond_signal(&j->done);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* Starts the workers with every signal blocked (they inherit the mask
 * of the thread that creates them). */
static int spawn(struct nb_jobs *j, void **ctx, size_t n)
{
	sigset_t all, old;
	int err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (; j->nw < n; j->nw++) {
		j->w[j->nw] = (struct worker){ .j = j, .ctx = ctx[j->nw] };
		err = pthread_create(&j->w[j->nw].thread, NULL, work,
				     &j->w[j->nw]);
		if (err)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return err ? -1 : 0;
}

struct nb_jobs *nb_jobs_start(nb_job_fn *fn, void **ctx, size_t nthreads,
			      void **data, size_t nslots)
{
	struct nb_jobs *j = nb_malloc(sizeof *j);

	if (!j) {
		errno = ENOMEM;
		return NULL;
	}
	*j = (struct nb_jobs){ .fn = fn, .data = data, .nslots = nslots };
	j->state = nb_malloc(nslots);
	j->w = nb_malloc(nthreads * sizeof *j->w);
	if (!j->state || !j->w) {
		nb_free(j->state);
		nb_free(j->w);
		nb_free(j);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t s = 0; s < nslots; s++)
		j->state[s] = FREE;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->work, NULL);
	pthread_cond_init(&j->done, NULL);
	if (spawn(j, ctx, nthreads)) {
		int e = errno;
		nb_jobs_stop(j);
		errno = e;
		return NULL;
	}
	return j;
}

void *nb_jobs_head(const struct nb_jobs *j)
{
	return j->data[j->head];
}

int nb_jobs_full(const struct nb_jobs *j)
{
	return j->inflight == j->nslots;
}

int nb_jobs_busy(const struct nb_jobs *j)
{
	return j->inflight > 0;
}

void nb_jobs_submit(struct nb_jobs *j)
{
	pthread_mutex_lock(&j->mu);
	j->state[j->head] = QUEUED;
	j->head = (j->head + 1) % j->nslots;
	j->inflight++;
	j->queued++;
	pthread_cond_signal(&j->work);
	pthread_mutex_unlock(&j->mu);
}

void *nb_jobs_take(struct nb_jobs *j)
{
	size_t s;

	pthread_mutex_lock(&j->mu);
	while (j->state[j->tail] != DONE)
		pthread_cond_wait(&j->done, &j->mu);
	s = j->tail;
	j->state[s] = FREE;
	j->tail = (s + 1) % j->nslots;
	j->inflight--;
	pthread_mutex_unlock(&j->mu);
	return j->data[s];
}

void nb_jobs_stop(struct nb_jobs *j)
{
	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->quit = 1;
	pthread_cond_broadcast(&j->work);
	pthread_mutex_unlock(&j->mu);
	for (size_t k = 0; k < j->nw; k++)
		pthread_join(j->w[k].thread, NULL);
	pthread_cond_destroy(&j->done);
	pthread_cond_destroy(&j->work);
	pthread_mutex_destroy(&j->mu);
	nb_free(j->state);
	nb_free(j->w);
	nb_free(j);
}

size_t nb_jobs_online(void)
{
#ifdef _SC_NPROCESSORS_ONLN
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (size_t)n : 1;
#else
	return 1;
#endif
}
