/* alloc.c - allocation with a failure hook for tests. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>

/* Countdown to the allocation that the test hook makes fail; 0 = never. */
static unsigned long fail_countdown;

void nb_alloc_fail_at(unsigned long n)
{
	fail_countdown = n;
}

static int should_fail(void)
{
	if (fail_countdown == 0)
		return 0;
	return --fail_countdown == 0;
}

void *nb_malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *nb_realloc(void *p, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(p, size ? size : 1);
}

void nb_free(void *p)
{
	free(p);
}

int nb_grow(void **p, size_t *cap, size_t need, size_t elsize)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -1;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elsize)
		return -1;
	np = nb_realloc(*p, ncap * elsize);
	if (!np)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}
