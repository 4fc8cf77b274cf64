/* tests/testrand.h -- the fixed random streams the tests draw from.
 *
 * Fixed seeds and portable generators: every run, on every machine,
 * tests the same cases, and a failure names a case that can be rerun. */
#ifndef NABLA_TESTS_TESTRAND_H
#define NABLA_TESTS_TESTRAND_H

#include <stdint.h>
#include <string.h>

/* xorshift64*: raw bit patterns, for doubles of every kind. */
static inline uint64_t next_bits(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 2685821657736338717u;
}

static inline double from_bits(uint64_t bits)
{
	double v;

	memcpy(&v, &bits, sizeof v);
	return v;
}

/* splitmix64: well mixed from any seed, even 0, 1, 2, ... */
static inline uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

#endif /* NABLA_TESTS_TESTRAND_H */
