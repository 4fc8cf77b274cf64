/* alloc.h - the one way nabla allocates memory.
 *
 * Every allocation goes through these functions so that a test can make the
 * N-th one fail and check that each caller turns it into a clean error. */
#ifndef NABLA_ALLOC_H
#define NABLA_ALLOC_H

#include <stddef.h>

/* malloc/realloc/free with overflow-checked sizes; NULL on failure. */
void *nb_malloc(size_t size);
void *nb_realloc(void *p, size_t size);
void nb_free(void *p);

/* Grows *p (an array of elsize-byte items with capacity *cap) so that it
 * holds at least need items, doubling to keep appends amortised O(1).
 * Returns 0 on success, -1 (leaving *p and *cap unchanged) on failure. */
int nb_grow(void **p, size_t *cap, size_t need, size_t elsize);

/* The most bytes one program's values and gradients may take: the
 * machine's physical memory unless set.  Past it the shape pass reports
 * an error where malloc, under Linux's overcommit, would succeed and the
 * kernel would kill the process later.  Fuzzers set less (0 restores the
 * default). */
size_t nb_alloc_budget(void);
void nb_alloc_set_budget(size_t bytes);

/* Test hook: make the n-th allocation from now fail (0 disables). */
void nb_alloc_fail_at(unsigned long n);
/* Whether the allocation chosen by nb_alloc_fail_at has failed yet. */
int nb_alloc_fail_hit(void);

#endif
