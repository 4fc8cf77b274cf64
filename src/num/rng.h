/* rng.h - the random numbers of rand() and randn(): the same numbers on
 * every machine for a given --seed.
 *
 * The generator is xoshiro256** (Blackman and Vigna, 2018), its 256-bit
 * state filled from the 64-bit seed by splitmix64, as its authors advise.
 * A uniform double is the top 53 bits of an output times 2^-53: one of
 * the 2^53 evenly spaced doubles in [0, 1).  A normal comes from
 * Marsaglia's polar method, which needs only +, -, *, /, sqrt and a
 * logarithm; the logarithm is nabla's own (nb_rng_log), not libm's.
 *
 * What "the same numbers on every machine" rests on: IEEE 754 binary64
 * arithmetic, rounding to nearest, with +, -, *, / and sqrt correctly
 * rounded (IEEE 754 requires it of all five), each operation rounded to
 * double (FLT_EVAL_METHOD 0: true on x86-64, AArch64 and the others with
 * SSE2 or their own double unit; not on the old x87 unit, which needs
 * -mfpmath=sse), and no fused multiply-add contracted by the compiler
 * (configure passes -ffp-contract=off).  frexp is exact by definition.
 * libm's log, sin and cos are not used: they are not correctly rounded,
 * and differ in the last bit between libraries and versions. */
#ifndef NABLA_RNG_H
#define NABLA_RNG_H

#include <stdint.h>

struct nb_rng {
	uint64_t s[4];          /* xoshiro256** state, never all zero */
	int has_spare;          /* the polar method makes normals in pairs */
	double spare;
};

/* Starts the stream of seed (--seed N; N = 0 by default). */
void nb_rng_seed(struct nb_rng *r, uint64_t seed);

/* The seed of stream k of seed: stream 0 is seed itself (a program's
 * randn and rand); the values given on the command line draw from
 * streams 1, 2, ... in order, so that W=randn(5,10) X=randn(10,3) are
 * not the same numbers.  Seeds a golden-ratio step apart, as splitmix64
 * steps its own state: their xoshiro states are unrelated. */
static inline uint64_t nb_rng_stream(uint64_t seed, uint64_t k)
{
	return seed + k * UINT64_C(0x9E3779B97F4A7C15);
}

/* The next 64 bits of the stream. */
uint64_t nb_rng_next(struct nb_rng *r);

/* A uniform double in [0, 1) from the next output (rand). */
double nb_rng_uniform(struct nb_rng *r);

/* A standard normal (randn): pairs from the polar method, the first of
 * a pair returned now and the second at the next call. */
double nb_rng_normal(struct nb_rng *r);

/* The natural logarithm of a positive finite x, from +, -, *, / alone
 * (fdlibm's method: x = 2^k * m with m in [sqrt(1/2), sqrt(2)), and
 * log(m) from a minimax polynomial in s = (m-1)/(m+1)); within 1 ulp,
 * and the same bits everywhere. */
double nb_rng_log(double x);

#endif
