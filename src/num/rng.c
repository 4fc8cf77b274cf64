/* rng.c - xoshiro256** seeded by splitmix64; uniforms; polar normals on
 * a logarithm of our own (rng.h says why). */
#include "num/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

void nb_rng_seed(struct nb_rng *r, uint64_t seed)
{
	/* splitmix64 never gives four zeros in a row: the state is valid. */
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	r->has_spare = 0;
	r->spare = 0;
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t nb_rng_next(struct nb_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double nb_rng_uniform(struct nb_rng *r)
{
	return (double)(nb_rng_next(r) >> 11) * 0x1.0p-53;
}

/* fdlibm's e_log.c: log(1+f) = f - f^2/2 + s*(f^2/2 + R(s^2)), where
 * s = f/(2+f) and R is its minimax polynomial; ln 2 in two parts so
 * that k*LN2_HI is exact. */
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double LG[7] = {
	6.666666666666735130e-01, 3.999999999940941908e-01,
	2.857142874366239149e-01, 2.222219843214978396e-01,
	1.818357216161805012e-01, 1.531383769920937332e-01,
	1.479819860511658591e-01,
};

double nb_rng_log(double x)
{
	int k;
	double m = frexp(x, &k), f, s, z, w, rz, hfsq, dk;

	if (m < 0x1.6a09e667f3bcdp-1) {         /* sqrt(1/2) */
		m *= 2;
		k--;
	}
	f = m - 1;      /* exact (Sterbenz) */
	s = f / (2 + f);
	z = s * s;
	w = z * z;
	rz = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6]))) +
	     w * (LG[1] + w * (LG[3] + w * LG[5]));
	hfsq = 0.5 * f * f;
	dk = k;
	return dk * LN2_HI - ((hfsq - (s * (hfsq + rz) + dk * LN2_LO)) - f);
}

double nb_rng_normal(struct nb_rng *r)
{
	double u, v, s, f;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	/* A point uniform in the unit disc (not its centre): 2U - 1 is
	 * exact, so u and v are multiples of 2^-52 in [-1, 1). */
	do {
		u = 2 * nb_rng_uniform(r) - 1;
		v = 2 * nb_rng_uniform(r) - 1;
		s = u * u + v * v;
	} while (s >= 1 || s == 0);
	f = sqrt(-2 * nb_rng_log(s) / s);
	r->spare = v * f;
	r->has_spare = 1;
	return u * f;
}
