/* alloc.c - allocation with a failure hook for tests. */
#include "core/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Countdown to the allocation that the test hook makes fail; 0 = never.
 * A test hook, off in normal runs; like the few other mutable globals
 * (stdout's first write error, the line editor's Readline state) it is
 * process-wide because what it stands for is. */
static unsigned long fail_countdown;
static int fail_hit;
/* Set once, before any thread starts; 0 = physical memory. */
static size_t budget;

void nb_alloc_set_budget(size_t bytes)
{
	budget = bytes;
}

size_t nb_alloc_budget(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);

	if (budget)
		return budget;
	if (pages <= 0 || psize <= 0 ||
	    (unsigned long)pages > SIZE_MAX / (unsigned long)psize)
		return SIZE_MAX;
	return (size_t)pages * (size_t)psize;
}

void nb_alloc_fail_at(unsigned long n)
{
	fail_countdown = n;
	fail_hit = 0;
}

int nb_alloc_fail_hit(void)
{
	return fail_hit;
}

static int should_fail(void)
{
	if (fail_countdown == 0 || --fail_countdown != 0)
		return 0;
	fail_hit = 1;
	return 1;
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
