#!/usr/bin/env python3
"""tests/reference/gen.py -- high-precision references for every op.

Writes tests/reference/ops.ref: for each op of src/core/ops.def (but the
leaves), at a grid of extreme points (subnormals, 1e+-300, near each
overflow and singularity, saturation), the value, the first derivatives
and the second derivatives, computed with mpmath at 80 digits and rounded
to the nearest double (overflow to inf, underflow to a subnormal or 0).
`make check` reads the file (tests/check_reference.c, tests/
reference_modes.sh); only regenerating it needs mpmath (Debian's
python3-mpmath):

    python3 tests/reference/gen.py > tests/reference/ops.ref

Each line: op name, number of inputs n, the n inputs, the value, the n
first derivatives, the n(n+1)/2 second derivatives (d2/da2, d2/dadb,
d2/db2), then the tolerance in ulps for the derivatives.  Numbers are
written as Python's repr of the double: shortest round-trip decimal.

The tolerance is 4 ulps (values: 2 ulps, libm's own accuracy) except for
the cases below marked with a wider one and a reason: a number nabla
computes as a difference of two rounded quantities whose exact difference
is much smaller than either (the exact value there is ill-conditioned in
the inputs of that formula).
"""

import math
import sys
from fractions import Fraction

import mpmath as mp

mp.mp.dps = 80

DBL_MAX = sys.float_info.max
DBL_MIN = sys.float_info.min
TINY = 5e-324


def to_double(x):
    """The double nearest to the mpmath real x (ties to even)."""
    x = mp.mpf(x)
    if mp.isnan(x):
        return math.nan
    if mp.isinf(x):
        return math.copysign(math.inf, x)
    if x == 0:
        return 0.0
    if abs(x) < mp.mpf(2) ** -1100:
        return math.copysign(0.0, x)
    if abs(x) > mp.mpf(2) ** 1030:
        return math.copysign(math.inf, x)
    sign, man, exp, _ = x._mpf_
    q = Fraction(man) * (Fraction(2) ** exp)
    try:
        r = float(q)            # correctly rounded, subnormals included
    except OverflowError:
        r = math.inf
    return -r if sign else r


def rcbrt(a):
    """The real cube root (mpmath's cbrt is the principal, complex one)."""
    return mp.sign(a) * mp.cbrt(abs(a))


def sigmoid_d(a):
    e = mp.exp(-abs(a))
    return e / (1 + e) ** 2


# Unary ops: (value, first, second) as functions of an mpf a.
UNARY = {
    'neg': (lambda a: -a, lambda a: -1, lambda a: 0),
    'pos': (lambda a: a, lambda a: 1, lambda a: 0),
    'exp': (mp.exp, mp.exp, mp.exp),
    'log': (mp.log, lambda a: 1 / a, lambda a: -1 / a ** 2),
    'log2': (lambda a: mp.log(a) / mp.log(2), lambda a: 1 / (a * mp.log(2)),
             lambda a: -1 / (a ** 2 * mp.log(2))),
    'log10': (lambda a: mp.log(a) / mp.log(10),
              lambda a: 1 / (a * mp.log(10)),
              lambda a: -1 / (a ** 2 * mp.log(10))),
    'log1p': (mp.log1p, lambda a: 1 / (1 + a), lambda a: -1 / (1 + a) ** 2),
    'expm1': (mp.expm1, mp.exp, mp.exp),
    'sqrt': (mp.sqrt, lambda a: 1 / (2 * mp.sqrt(a)),
             lambda a: -1 / (4 * a * mp.sqrt(a))),
    'cbrt': (rcbrt, lambda a: 1 / (3 * rcbrt(a) ** 2),
             lambda a: -2 / (9 * a * rcbrt(a) ** 2)),
    'sin': (mp.sin, mp.cos, lambda a: -mp.sin(a)),
    'cos': (mp.cos, lambda a: -mp.sin(a), lambda a: -mp.cos(a)),
    'tan': (mp.tan, lambda a: 1 + mp.tan(a) ** 2,
            lambda a: 2 * mp.tan(a) * (1 + mp.tan(a) ** 2)),
    'asin': (mp.asin, lambda a: 1 / mp.sqrt(1 - a * a),
             lambda a: a / (1 - a * a) ** mp.mpf(1.5)),
    'acos': (mp.acos, lambda a: -1 / mp.sqrt(1 - a * a),
             lambda a: -a / (1 - a * a) ** mp.mpf(1.5)),
    'atan': (mp.atan, lambda a: 1 / (1 + a * a),
             lambda a: -2 * a / (1 + a * a) ** 2),
    'sinh': (mp.sinh, mp.cosh, mp.sinh),
    'cosh': (mp.cosh, mp.sinh, mp.cosh),
    'tanh': (mp.tanh, lambda a: mp.sech(a) ** 2,
             lambda a: -2 * mp.tanh(a) * mp.sech(a) ** 2),
    'sigmoid': (lambda a: 1 / (1 + mp.exp(-a)), sigmoid_d,
                lambda a: -sigmoid_d(a) * mp.tanh(a / 2)),
    'softplus': (lambda a: mp.log1p(mp.exp(a)), lambda a: 1 / (1 + mp.exp(-a)),
                 sigmoid_d),
    'relu': (lambda a: max(a, 0), lambda a: 1 if a > 0 else 0, lambda a: 0),
    'abs': (abs, lambda a: mp.sign(a), lambda a: 0),
    'sign': (mp.sign, lambda a: 0, lambda a: 0),
    'step': (lambda a: 1 if a > 0 else 0, lambda a: 0, lambda a: 0),
    'floor': (mp.floor, lambda a: 0, lambda a: 0),
    'ceil': (mp.ceil, lambda a: 0, lambda a: 0),
}

# Arguments every unary op is tried at (and their negatives).
COMMON = [TINY, 1e-310, DBL_MIN, 1e-300, 1e-200, 1e-155, 1e-100, 1e-20,
          1e-9, 0.1, 0.5, 1.0, 2.0, 3.0, 10.0, 20.0, 37.0, 100.0, 1e20,
          1e100, 1e155, 1e200, 1e300, DBL_MAX]

# Extra points per op: near overflow, singularities and saturation.
EXTRA = {
    'exp': [709.78, 709.7, -708.0, -740.0, -745.0],
    'expm1': [-38.0, -40.0, -709.0, -740.0, 709.7, 1e-300],
    'sinh': [710.4, -710.4, 709.0, 1e-300],
    'cosh': [710.4, -710.4, 709.0],
    'tanh': [355.0, -355.0, 19.0, -10.0, 1e-300],
    'sigmoid': [709.0, 740.0, -709.0, -740.0, -37.0, -20.0, 1e-300],
    'softplus': [709.0, 740.0, -709.0, -740.0, 37.0, -37.0],
    'asin': [1 - 2.0 ** -53, -(1 - 2.0 ** -53), 0.9999999, 1 - 2.0 ** -30],
    'acos': [1 - 2.0 ** -53, -(1 - 2.0 ** -53), 0.9999999, 1 - 2.0 ** -30],
    'log1p': [-1 + 2.0 ** -53, -0.9999, -0.5, 1e-300],
    'cbrt': [64.0, 27.0, -8.0, 1e-30, 0.001],
    'tan': [1.5707963267948966, -1.5707963267948966, 1.5707963267948],
    'atan': [1e80, -1e80, 1e154, 1e160],
}


def dense():
    """A dense grid for the ops whose value and gradient nabla computes
    with its own formulas (one exp each: core/ops.h, core/opmath.h):
    every decade of |a| from the subnormals to 1e-8, steps of 1/64 from
    0 to 2 (the rational form of tanh ends at 0.625), steps of 1/8 to 20,
    then to 40, 700 and 712 (the exps underflow: tanh' reaches the
    subnormals near 354.5, sigmoid' near 708), 1e300, inf and nan; and
    each point's negative."""
    pts = [TINY, 1e-320, 1e-315, 1e-310, DBL_MIN / 2, DBL_MIN]
    pts += [10.0 ** -k for k in range(300, 7, -4)]
    pts += [k / 64 for k in range(1, 129)]
    pts += [0.625 - 2.0 ** -53, 0.625, 0.625 + 2.0 ** -52]
    pts += [2 + k / 8 for k in range(1, 145)]
    pts += [20.0 + k for k in range(1, 21)]
    pts += [40.0 + 20 * k for k in range(1, 34)]
    pts += [354.0 + k / 8 for k in range(1, 9)]
    pts += [700.0 + k for k in range(1, 13)]
    pts += [1e300, math.inf]
    return [0.0, math.nan] + pts + [-x for x in pts]


DENSE = ('tanh', 'sigmoid', 'softplus')

# Ops whose derivatives are exact wherever they are defined (no kinks
# at the chosen points: 0 is left out).
DOMAIN = {
    'log': lambda a: a > 0, 'log2': lambda a: a > 0,
    'log10': lambda a: a > 0, 'sqrt': lambda a: a > 0,
    'log1p': lambda a: a > -1, 'asin': lambda a: abs(a) < 1,
    'acos': lambda a: abs(a) < 1,
    # sin, cos, tan of huge arguments are exact in glibc, but tan's
    # derivative 1 + tan^2 at a random huge point says nothing new
    'tan': lambda a: abs(a) < 1e20,
    'floor': lambda a: abs(a) < 1e20, 'ceil': lambda a: abs(a) < 1e20,
}

BINARY_POINTS = {
    'add': [(1.0, 2.0), (1e300, -1e300 * (1 - 2.0 ** -52)), (TINY, 1e-310)],
    'sub': [(1.0, 2.0), (1e300, 1e300 * (1 - 2.0 ** -52)), (TINY, -1e-310)],
    'mul': [(3.0, -2.0), (1e300, 1e-300), (1e-200, 1e-120), (1e154, 1e154)],
    'mul0': [(3.0, -2.0), (1e300, 1e-300), (1e-200, 1e-120)],
    'eq': [(3.0, 3.0), (3.0, -3.0), (TINY, 0.0), (DBL_MAX, DBL_MAX),
           (1e-310, 1e-310), (1.0, 1.0 + 2.0 ** -52)],
    'div': [(1.37e-300, -1.40e-200), (1e300, 1e160), (1.0, 3.0),
            (1e-300, 1e300), (1e200, 1e-100), (-5.0, 1e154), (2.0, 1e-155),
            (1.0, DBL_MAX), (3.0, TINY)],
    'pow': [(1e300, 1 / 3), (1e-300, 0.3), (1e300, 0.3), (1e-300, 1 / 3),
            (2.0, 0.5), (3.0, 2.0), (-2.0, 3.0), (-3.0, 4.0), (0.5, 1000.0),
            (10.0, -300.0), (1.0000001, 1e9), (2.0, 0.0), (1e-310, 0.5),
            (-2.0, 1e17), (-3.0, 2.0 ** 53 + 2), (-0.5, -2.0 ** 54),
            (7.0, -1.5), (1e-5, 2.5)],
    'atan2': [(1e200, -1e200), (1e80, 1e80), (1e-200, 1e-200),
              (3e-160, 1.0), (1.0, 3e-160), (1.0, 1.0), (-2.0, 3.0),
              (1e300, 1e-300), (TINY, 1.0), (1e-310, 1e-310), (5.0, -1e-300)],
    'hypot': [(1.0, 1e-10), (1e300, 1e300), (1e-300, 1e-310), (3.0, 4.0),
              (1e-10, 1.0), (-1e200, 3e199), (TINY, TINY), (1.0, 1e-300)],
    'max': [(1.0, 2.0), (-1e300, 1e-300)],
    'min': [(1.0, 2.0), (-1e300, 1e-300)],
    'sum': [(1.0, 2.0), (1e300, -1e-300)],
    'mean': [(1.0, 2.0), (1e300, 1e300), (TINY, TINY)],
}

# Wider tolerances, by (op, inputs): the reason is given with each.
WIDER = {
    # 1 + b ln a cancels in d2/dadb = a^(b-1) (1 + b ln a): ln a is
    # rounded, and b ln a = 10 * 1e-7 is far from -1 -- but the exact
    # value a^(b-1) itself is amplified by b = 1e9: a relative error e
    # in ln a (one rounding) becomes b ln a * e in every derivative.
    ('pow', (1.0000001, 1e9)): 64,
    # (0.5)^1000 and 10^-300: v ln|a| with b ln|a| of ~700: pow's own
    # error is amplified in the derivatives (one ulp of v)
    ('pow', (0.5, 1000.0)): 8,
    ('pow', (10.0, -300.0)): 8,
}


def binary(op, a, b):
    """(value, [da, db], [daa, dab, dbb]) of op at mpf a, b."""
    if op == 'add':
        return a + b, [1, 1], [0, 0, 0]
    if op == 'sub':
        return a - b, [1, -1], [0, 0, 0]
    if op in ('mul', 'mul0'):
        return a * b, [b, a], [0, 1, 0]
    if op == 'div':
        return a / b, [1 / b, -a / b ** 2], [0, -1 / b ** 2, 2 * a / b ** 3]
    if op == 'pow':
        if b == 0:
            # the constant 1: every derivative in a is 0 (nabla's x^0)
            return mp.mpf(1), [0, mp.log(abs(a))], [0, 1 / a,
                                                     mp.log(abs(a)) ** 2]
        v = mp.power(a, b)
        ln = mp.log(abs(a))
        pi2 = mp.pi ** 2 if a < 0 else 0
        return v, [b * mp.power(a, b - 1), v * ln], \
            [b * (b - 1) * mp.power(a, b - 2),
             mp.power(a, b - 1) * (1 + b * ln), v * (ln * ln - pi2)]
    if op == 'atan2':
        s = a * a + b * b
        return mp.atan2(a, b), [b / s, -a / s], \
            [-2 * a * b / s ** 2, (a * a - b * b) / s ** 2, 2 * a * b / s ** 2]
    if op == 'hypot':
        h = mp.sqrt(a * a + b * b)
        return h, [a / h, b / h], [b * b / h ** 3, -a * b / h ** 3,
                                   a * a / h ** 3]
    if op in ('max', 'min'):
        first = (a > b) == (op == 'max')
        return (a if first else b), [1 if first else 0, 0 if first else 1], \
            [0, 0, 0]
    if op == 'sum':
        return a + b, [1, 1], [0, 0, 0]
    if op == 'eq':
        return (1 if a == b else 0), [0, 0], [0, 0, 0]
    if op == 'mean':
        return (a + b) / 2, [mp.mpf(0.5), mp.mpf(0.5)], [0, 0, 0]
    raise KeyError(op)


def line(op, xs, value, first, second, tol):
    nums = list(xs) + [value] + first + second
    return ' '.join([op, str(len(xs))] + [repr(to_double(x)) for x in nums]
                    + [str(tol)])


def main():
    print('# ops.ref -- written by tests/reference/gen.py; see there.')
    for op, (f, d1, d2) in UNARY.items():
        points = COMMON + [-x for x in COMMON] + EXTRA.get(op, [])
        points += dense() if op in DENSE else []
        ok = DOMAIN.get(op, lambda a: True)
        for x in points:
            if not ok(x) or (op in ('relu', 'abs') and x == 0):
                continue
            a = mp.mpf(x)
            print(line(op, [a], f(a), [d1(a)], [d2(a)], 4))
    for op, pts in BINARY_POINTS.items():
        for x, y in pts:
            a, b = mp.mpf(x), mp.mpf(y)
            v, first, second = binary(op, a, b)
            print(line(op, [a, b], v, first, second,
                       WIDER.get((op, (x, y)), 4)))


if __name__ == '__main__':
    main()
