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

/* Test hook: make the n-th allocation from now fail (0 disables). */
void nb_alloc_fail_at(unsigned long n);
/* Whether the allocation chosen by nb_alloc_fail_at has failed yet. */
int nb_alloc_fail_hit(void);

#endif
