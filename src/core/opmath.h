/* opmath.h - the derivative formulas of ops.def that need care to be
 * accurate to a few ulps wherever the exact value is a finite double.
 *
 * The textbook forms lose there: 1 - tanh(a)^2 and sigmoid's s(1 - s)
 * cancel (to 0 for |a| >= 20 and a >= 37), b*a^(b-1) rounds b - 1 in an
 * exponent (|ln a| ulps), 1/(1 + a*a) and 2*v/(b*b) overflow in a square
 * whose quotient is a subnormal, and 1 - (a/h)^2 cancels in the Hessian
 * of hypot.  Each form here is a product or quotient of accurately
 * rounded factors, scaled so that no intermediate overflows or
 * underflows before the result would.  tests/check_reference.c holds
 * them to high-precision references. */
#ifndef NABLA_OPMATH_H
#define NABLA_OPMATH_H

#include <float.h>
#include <math.h>
#include <stddef.h>

/* The product of the chain rule (NUMERICS in the man page): an exact 0
 * wins over inf and nan, so an input that does not move a node, or a node
 * that does not move the output, contributes exactly 0.  Also +0, not the
 * -0 of a negative product. */
static inline double nb_mul0(double a, double b)
{
	return a == 0 || b == 0 ? 0 : a * b;
}

/* n/(1 + t)^2 for 0 <= t <= 1 and n not subnormal unless the result is:
 * 1 + t is carried as hi + lo, exact (Fast2Sum, as t <= 1), and
 * (1 + lo/hi)^-2 as 1 - 2 lo/hi, so the rounding of 1 + t does not count
 * twice in the square: within 2 ulps where the plain quotient reaches 4.
 * (Squaring hi exactly as well, Veltkamp's split, gains under an ulp for
 * half again the time of an exp.) */
static inline double nb_div_1p_sq(double n, double t)
{
	double hi = 1 + t, lo = (1 - hi) + t, r = n / (hi * hi);

	return r - r * (2 * lo / hi);
}

/* sigmoid'(a) = t/(1 + t)^2 with t = exp(-|a|): one exp, symmetric, and
 * nothing cancels (s(1 - s) does where s rounds to 1). */
static inline double nb_dsigmoid(double a)
{
	double t = exp(-fabs(a));

	return nb_div_1p_sq(t, t);
}

/* tanh'(a) = sech(a)^2 = 4e/(1 + e)^2 with e = exp(-2|a|): one exp, where
 * 1 - tanh(a)^2 cancels to 0 for |a| >= 20 and 1/cosh(a) costs more.  4e
 * is exact (a power of two), so only exp rounds a subnormal e, in a band
 * near |a| = 354.5 where the result is still normal: within 2 ulps
 * there too (tests/reference/ops.ref). */
static inline double nb_dtanh(double a)
{
	double e = exp(-2 * fabs(a));

	return nb_div_1p_sq(4 * e, e);
}

/* 1/(1 + a^2) = atan'(a), as (1/hypot(1, a))^2: no overflow in a^2. */
static inline double nb_datan(double a)
{
	double r = 1 / hypot(1, a);

	return r * r;
}

/* -2a/(1 + a^2)^2 = atan''(a) as -2 (a r) r^3 with r = 1/hypot(1, a):
 * a r lies in [-1, 1], so each product only shrinks. */
static inline double nb_d2atan(double a)
{
	double r = 1 / hypot(1, a);

	if (isinf(a))
		return a > 0 ? -0.0 : 0.0;
	return -2 * (a * r) * r * r * r;
}

/* Scales a and b exactly by the power of two that brings the larger
 * magnitude into [0.5, 1) and returns its exponent: the squares and
 * products of the scaled numbers can neither overflow nor underflow
 * below the precision that matters. */
static inline int nb_scale2(double *a, double *b)
{
	int e;

	frexp(fmax(fabs(*a), fabs(*b)), &e);
	*a = ldexp(*a, -e);
	*b = ldexp(*b, -e);
	return e;
}

/* The local gradients of atan2(a, b), b/(a^2 + b^2) and -a/(a^2 + b^2),
 * on the scaled a and b: a^2 + b^2 overflows at 1e155 and underflows at
 * 1e-155 (1e-200 gave inf, 1e200 gave 0). */
static inline double nb_datan2(double a, double b, size_t k)
{
	int e;

	if (!isfinite(a) || !isfinite(b))
		return (k ? -a : b) / (a * a + b * b);
	e = nb_scale2(&a, &b);
	return ldexp((k ? -a : b) / (a * a + b * b), -e);
}

/* The second derivatives of atan2(a, b), (a - b)(a + b)/(a^2 + b^2)^2
 * for k != j and -+2ab/(a^2 + b^2)^2 for k = j (k = 0, 1), on the scaled
 * a and b: a - b keeps its cancellation exact, and the power comes back
 * in one ldexp. */
static inline double nb_d2atan2(double a, double b, size_t k, size_t j)
{
	double d, r;
	int e;

	if (!isfinite(a) || !isfinite(b))
		return (k != j ? (a - b) * (a + b) : (k ? 2 : -2) * a * b) /
		       ((a * a + b * b) * (a * a + b * b));
	e = nb_scale2(&a, &b);
	d = a * a + b * b;
	r = k != j ? (a - b) * (a + b) : (k ? 2 : -2) * a * b;
	return ldexp(r / (d * d), -2 * e);
}

/* The local gradient a/h or b/h of h = hypot(a, b), on the scaled a and
 * b: h itself may be a subnormal rounded far from sqrt(a^2 + b^2)
 * (hypot(5e-324, 5e-324) is 5e-324, so a/h would be 1, not 0.707).
 * 0 at h = 0, the documented convention. */
static inline double nb_dhypot(double a, double b, size_t k)
{
	if (!isfinite(a) || !isfinite(b))
		return (k ? b : a) / hypot(a, b);
	if (a == 0 && b == 0)
		return 0;
	nb_scale2(&a, &b);
	return (k ? b : a) / hypot(a, b);
}

/* d2 hypot(a, b)/d x[k] d x[j] with x = (a, b), h = hypot(a, b): b^2/h^3,
 * a^2/h^3 and -ab/h^3 as products of the ratios a/h, b/h in [-1, 1] and
 * the scaled h; 1 - (a/h)^2 would cancel where b is small.  0 at h = 0. */
static inline double nb_d2hypot(double a, double b, size_t k, size_t j)
{
	double p, q, h;
	int e;

	if (!isfinite(a) || !isfinite(b) || (a == 0 && b == 0))
		return isnan(a) || isnan(b) ? NAN : 0;
	e = nb_scale2(&a, &b);
	h = hypot(a, b);
	p = (k == j ? (k ? a : b) : a) / h;
	q = (k == j ? (k ? a : b) : b) / h;
	return ldexp((k == j ? p * q : -p * q) / h, -e);
}

/* a^(b - d) for d = 1 or 2, given v = a^b: v/a (or v/a/a) where v is a
 * normal number, exact but for three roundings; b - d rounded in an
 * exponent would cost |ln a| ulps.  Elsewhere pow, with the sign of a
 * negative base taken from v: for huge integer b, b - 1 can round to a
 * number of the other parity (2^53 + 1 to 2^53), and so flip pow's
 * sign. */
static inline double nb_pow_less(double a, double b, double v, int d)
{
	if (a != 0 && isfinite(a) && isfinite(v) && fabs(v) >= DBL_MIN)
		return d == 1 ? v / a : v / a / a;
	if (a < 0 && !isnan(v))
		return copysign(pow(-a, b - d), d == 1 ? -v : v);
	return pow(a, b - d);
}

static inline double nb_dpow_base(double a, double b, double v)
{
	/* x^0 is the constant 1 even at x = 0, where b*a^(b-1) is 0*inf:
	 * the zero rule makes it 0. */
	return b == 2 ? 2 * a : nb_mul0(b, nb_pow_less(a, b, v, 1));
}

static inline double nb_dpow_exponent(double a, double b, double v)
{
	/* 0^b is the constant 0 for b > 0 (and inf^b for b < 0), where
	 * v*ln|a| would be 0*inf: the zero rule makes it 0.  For a < 0, a^b
	 * is real only at integer b; there it agrees with |a|^b*cos(pi*b),
	 * whose derivative in b is a^b*ln|a|.  At other b the value v is
	 * already nan, and so is this. */
	(void)b;
	return nb_mul0(v, log(fabs(a)));
}

/* d2(a^b) by a twice (kj 0), by a and b (kj 1) or by b twice (kj 2),
 * with the special cases of the first derivatives: x^0 and x^1 have no
 * curvature in x (the zero rule), and at 0 = a < b every term is 0.  For a < 0, a^b is
 * |a|^b*cos(pi*b) at integer b (see nb_dpow_exponent), whose second
 * derivative in b has a -pi^2*v term. */
static inline double nb_d2pow(double a, double b, double v, size_t kj)
{
	double ln = log(fabs(a));

	if (a == 0 && b > 0 && kj > 0)
		return 0;
	if (kj == 0)
		return nb_mul0(b * (b - 1), nb_pow_less(a, b, v, 2));
	if (kj == 1)
		return nb_mul0(nb_pow_less(a, b, v, 1), 1 + b * ln);
	return nb_mul0(v, ln * ln - (a < 0 ? 3.14159265358979323846 *
					     3.14159265358979323846 : 0));
}

#endif
