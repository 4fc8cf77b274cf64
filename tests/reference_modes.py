#!/usr/bin/env python3
"""tests/reference_modes.py -- every mode against the references, as TAP.

tests/check_reference.c holds the op table's rules to the high-precision
values of tests/reference/ops.ref.  This runs the same points through the
program, one test per mode and op (the op applied to inputs x, y):

  reverse   nabla --batch: the value and the gradient
  forward   nabla --batch --jvp x=1 (and y=1): the directional derivative
  hvp       nabla --batch --hvp x=1 (and y=1): the Hessian's columns
  symbolic  nabla --symbolic, read back with df_dNAME as its output and
            run with --batch: the gradient, and its gradient the Hessian
  emit-c    nabla --emit c compiled ($CC) with a driver: the gradient
  emit-py   nabla --emit python run by this interpreter: the gradient
            (for cbrt also with the fallback of Pythons before 3.11)

on programs of tanh, sigmoid and softplus at large and tiny arguments,
the emitted C and Python against nabla's value and gradient, bit for bit
(SAME_GRADIENT), and, on a corpus of points where the zero rule decides
(0 times inf or nan in a product of the chain rule), every mode against
reverse mode.

Every number must be within the line's tolerance (4 ulps, wider where
tests/reference/gen.py says why) of the reference, except where the
generated code computes the rule of the SYMBOLIC column, which is a
formula of the language and not nabla's own (list WEAKER below, each
with its reason).  A mode that cannot run here (no C compiler) is
skipped, not passed.

Environment: NABLA, abs_top_srcdir, CC (as `make check` sets them).
"""

import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

NABLA = os.environ.get('NABLA', './src/nabla')
TOP = os.environ.get('abs_top_srcdir', '.')
CC = os.environ.get('CC', 'cc')

INFIX = {'add': '+', 'sub': '-', 'mul': '*', 'div': '/'}

# Where the generated code (--symbolic, --emit) computes the SYMBOLIC
# column's formula, a formula of the language rather than nabla's own
# rule, or where --symbolic's second derivatives come from differentiating
# that formula by the chain rule: (op, number, applies(x), ulps or None
# for "not compared", reason).  The man page (NUMERICS) lists the same
# weaknesses.
WEAKER = [
    ('pow', 'd/da', lambda x: x[0] < 0 and abs(x[1]) >= 2 ** 53, None,
     'b - 1 rounds to the other parity: an infinite a^(b-1) flips sign'),
    ('pow', 'd2', lambda x: x[0] < 0 and abs(x[1]) >= 2 ** 53, None,
     'b - 1 rounds to the other parity: an infinite a^(b-1) flips sign'),
    ('pow', 'd/da', lambda x: True, 512,
     'a^(b-1): b - 1 is rounded in an exponent, |ln a| ulps (316 seen)'),
    ('pow', 'd2', lambda x: x[0] < 0, None,
     'd/db of v*log|a| has no -pi^2 v term (nabla: |a|^b cos(pi b))'),
    ('pow', 'd2', lambda x: abs(x[0]) < 1e-300, None,
     '1/a overflows in a product of the chain rule whose result is finite'),
    ('pow', 'd2', lambda x: True, 512,
     'a^(b-1) and a^(b-2): rounded exponents, as for d/da'),
    ('asin', 'd2', lambda x: abs(x[0]) < 0.1, None,
     'd/da (1-a)(1+a) = -(1+a) + (1-a) cancels near 0'),
    ('acos', 'd2', lambda x: abs(x[0]) < 0.1, None,
     'd/da (1-a)(1+a) = -(1+a) + (1-a) cancels near 0'),
    ('asin', 'd2', lambda x: True, 8,
     'three roundings more than the rule of the op table'),
    ('acos', 'd2', lambda x: True, 8,
     'three roundings more than the rule of the op table'),
    ('sigmoid', 'd2', lambda x: abs(x[0]) < 0.1, None,
     "s'(a)s(-a) - s(a)s'(-a) cancels near 0, where it is -a/8"),
    ('sigmoid', 'd2', lambda x: True, 8,
     'the product rule on two rounded factors'),
    ('atan2', 'd2', lambda x: abs(abs(x[0]) - abs(x[1])) <=
     1e-15 * abs(x[0]) or max(map(abs, x)) < 1e-103, None,
     "the quotient rule's terms cancel at |a| = |b| (exact 0) and "
     'overflow below 1e-103'),
    ('atan2', 'd2', lambda x: True, 16,
     'b/h/h with h = hypot(a, b) differentiated: five rounded factors'),
    ('cbrt', 'd2', lambda x: True, 16,
     '1/(3 v v) differentiated: four rounded factors (9 seen)'),
    ('hypot', 'd/da', lambda x: max(map(abs, x)) < 1e-300, None,
     'a/v with v = hypot(a, b) rounded to a subnormal'),
    ('hypot', 'd/db', lambda x: max(map(abs, x)) < 1e-300, None,
     'b/v with v = hypot(a, b) rounded to a subnormal'),
    ('hypot', 'd2', lambda x: min(map(abs, x)) < 1e-8 * max(map(abs, x))
     or max(map(abs, x)) < 1e-300, None,
     "a/v differentiated: 1 - (a/v)^2 cancels where b << a"),
    ('tanh', 'd2', lambda x: abs(x[0]) > 236, None,
     "(1/cosh(a))^2 differentiated: (1/cosh(a))^3 underflows to "
     "subnormals"),
    ('tanh', 'd2', lambda x: True, 8,
     'the product rule on rounded factors (6 seen)'),
]


def weaker(op, what, x):
    """The tolerance the generated code has for this number, or None."""
    for wop, wwhat, applies, ulps, _ in WEAKER:
        if wop == op and wwhat == what and applies(x):
            return ulps
    return 0


def order(x):
    i = struct.unpack('<q', struct.pack('<d', x))[0]
    return -(i & 0x7fffffffffffffff) if i < 0 else i


def ulps(got, want):
    if math.isnan(got) or math.isnan(want):
        return 0 if math.isnan(got) and math.isnan(want) else 1 << 63
    return abs(order(got) - order(want))


def load():
    cases = {}
    with open(os.path.join(TOP, 'tests', 'reference', 'ops.ref')) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            w = line.split()
            op, n = w[0], int(w[1])
            nums = [float(s) for s in w[2:-1]]
            x, v = nums[:n], nums[n]
            d = nums[n + 1:2 * n + 1]
            h = nums[2 * n + 1:]
            hess = [[h[0]]] if n == 1 else [[h[0], h[1]], [h[1], h[2]]]
            cases.setdefault(op, []).append((x, v, d, hess, int(w[-1])))
    return cases


def expression(op, n):
    if op in INFIX:
        return 'x %s y' % INFIX[op]
    if op == 'neg':
        return '-x'
    if op == 'pos':
        return '+x'
    return '%s(%s)' % (op, 'x, y' if n == 2 else 'x')


def run(args, stdin=None):
    r = subprocess.run(args, input=stdin, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError('%s: exit %d: %s' % (' '.join(args),
                                                r.returncode, r.stderr))
    return r.stdout


def batch(prog, names, points, *opts, file=False):
    """Rows nabla --batch --no-echo writes for the points, as dicts from
    column name to number; a partial of an input the program does not
    use is 0."""
    data = ','.join(names) + '\n' + ''.join(
        ','.join(repr(v) for v in x) + '\n' for x in points)
    src = ['-f', prog] if file else ['--', prog]
    out = run([NABLA, '--batch', '--no-echo', *opts, *src, '-'], data)
    lines = out.splitlines()
    head = lines[0].split(',')
    rows = []
    for r in lines[1:]:
        row = {'df/d' + nm: 0.0 for nm in names}
        row.update(zip(head, (float(v) for v in r.split(','))))
        rows.append(row)
    return rows


class Mode:
    """Collects the numbers of one (mode, op) that are off."""

    def __init__(self, mode, op):
        self.mode, self.op, self.bad, self.rows = mode, op, [], []

    def expect(self, x, what, got, want, tol):
        if self.mode in ('symbolic', 'emit-c', 'emit-py', 'emit-py-3.10'):
            w = weaker(self.op, what, x)
            if w is None:
                return
            tol = max(tol, w)
        if ulps(got, want) > tol:
            self.bad.append('%s(%s): %s is %r, exact %r (%d ulps)' % (
                self.op, ', '.join(repr(v) for v in x), what, got, want,
                ulps(got, want)))


def first_order(m, cases, rows):
    """Compares rows [value, d/dx, d/dy] (None: not computed)."""
    for (x, v, d, _, tol), row in zip(cases, rows):
        if row is None:
            continue
        m.expect(x, 'value', row[0], v, 2)
        for k in range(len(d)):
            m.expect(x, ('d/da', 'd/db')[k], row[1 + k], d[k], tol)


def modes_for(op, cases, tmp):
    n = len(cases[0][0])
    names = ['x', 'y'][:n]
    expr = expression(op, n)
    points = [c[0] for c in cases]
    results = []

    m = Mode('reverse', op)
    rev = [[r['f']] + [r['df/d' + nm] for nm in names]
           for r in batch(expr, names, points)]
    first_order(m, cases, rev)
    results.append(m)
    # the generated code must compute nabla's own value, bit for bit
    own = [(c[0], r[0]) for c, r in zip(cases, rev)]

    m = Mode('forward', op)
    for k, name in enumerate(names):
        rows = batch(expr, names, points, '--jvp', name + '=1')
        for (x, _, d, _, tol), row in zip(cases, rows):
            m.expect(x, ('d/da', 'd/db')[k], row['jvp'], d[k], tol)
    results.append(m)

    m = Mode('hvp', op)
    for j, name in enumerate(names):
        rows = batch(expr, names, points, '--hvp', name + '=1')
        for (x, _, _, h, tol), row in zip(cases, rows):
            for k, nm in enumerate(names):
                m.expect(x, 'd2', row['hvp/d' + nm], h[k][j], tol)
    results.append(m)

    m = Mode('symbolic', op)
    sym = run([NABLA, '--symbolic', '--', expr])
    for k, name in enumerate(names):
        prog = os.path.join(tmp, 'back.nb')
        with open(prog, 'w') as f:
            f.write(sym + 'df_d%s\n' % name)
        rows = batch(prog, names, points, file=True)
        for (x, _, d, h, tol), row in zip(cases, rows):
            out = [v for c, v in row.items() if not c.startswith('df/d')]
            m.expect(x, ('d/da', 'd/db')[k], out[0], d[k], tol)
            for j, nm in enumerate(names):
                m.expect(x, 'd2', row['df/d' + nm], h[k][j], tol)
    results.append(m)

    m = Mode('emit-c', op)
    if shutil.which(CC.split()[0]):
        results.append(same_values(emit_c(m, expr, names, cases, tmp),
                                   own))
    else:
        results.append((m, 'no C compiler'))

    code = run([NABLA, '--emit', 'python', '--', expr])
    results.append(same_values(emit_py(Mode('emit-py', op), code, names,
                                       cases), own))
    if 'hasattr(math, "cbrt")' in code:
        # the fallback for Pythons before 3.11, which lack math.cbrt: held
        # to the exact values, not to the C library's, since it rounds
        # correctly and glibc's cbrt is off by an ulp at some points
        results.append(emit_py(Mode('emit-py-3.10', op), code.replace(
            'hasattr(math, "cbrt")', 'False'), names, cases))
    return results


def same_values(m, own):
    """Adds to m's faults the values that are not nabla's own."""
    for (x, want), row in zip(own, m.rows):
        if row is not None and ulps(row[0], want):
            m.bad.append('%s(%s): the value is %r, nabla\'s %r' % (
                m.op, ', '.join(repr(v) for v in x), row[0], want))
    return m


def emit_py(m, code, names, cases):
    """Runs the emitted Python at the points of cases."""
    env = {}
    exec(compile(code, '<emit>', 'exec'), env)
    rows = []
    points = [c[0] for c in cases]
    for x in points:
        try:
            v, g = env['f'](*x)
            rows.append([v] + [g[nm] for nm in names])
        except (ArithmeticError, ValueError):
            # Python's math raises where C returns inf or nan (the man
            # page says so): the point has no number to compare
            rows.append(None)
    m.rows = rows
    first_order(m, cases, rows)
    return m


DRIVER = r'''
#include <stdio.h>
#include <stdlib.h>
int main(void)
{
	double x[2], g[2];
	int n = %d;

	while (scanf(n == 1 ? "%%lf" : "%%lf %%lf", &x[0], &x[1]) == n) {
		double v = f(%s, g);
		printf("%%.17g", v);
		for (int k = 0; k < n; k++)
			printf(" %%.17g", g[k]);
		printf("\n");
	}
	return 0;
}
'''


def emit_c(m, expr, names, cases, tmp):
    n = len(names)
    src = os.path.join(tmp, 'f.c')
    exe = os.path.join(tmp, 'f')
    with open(src, 'w') as f:
        f.write(run([NABLA, '--emit', 'c', '--', expr]) +
                DRIVER % (n, 'x[0]' if n == 1 else 'x[0], x[1]'))
    subprocess.run(CC.split() + ['-O0', '-o', exe, src, '-lm'], check=True)
    data = ''.join(' '.join(repr(v) for v in c[0]) + '\n' for c in cases)
    out = run([exe], data)
    rows = [[float(s) for s in r.split()] for r in out.splitlines()]
    m.rows = rows
    first_order(m, cases, rows)
    return m


# The zero rule (man page, NUMERICS): points where a product of the chain
# rule meets 0 and inf or nan.  Every mode must give reverse mode's
# gradient there, bit for bit (nan for nan).
ZERO_RULE = [
    ('sqrt(x*y)', (0.0, 0.0)),
    ('tanh(x)*y', (1000.0, math.nan)),
    ('atan2(x, y)*x', (0.0, 0.0)),
    ('max(x, log(y))', (1.0, 0.0)),
    ('relu(x)*log(y)', (-1.0, 0.0)),
    ('exp(x)*y', (-1000.0, math.inf)),
    ('x*y', (0.0, math.inf)),
    ('pow(x, y)', (0.0, 0.0)),
    ('pow(x, y)', (0.0, 2.0)),
    ('pow(x, y)*x', (3.0, 0.0)),
    ('sqrt(x*x + y*y)', (0.0, 0.0)),
]


def zero_rule(tmp):
    tests = []
    for expr, x in ZERO_RULE:
        names = ['x', 'y']
        want = batch(expr, names, [x])[0]
        grads = [want['df/d' + nm] for nm in names]
        got = {}
        for nm in names:
            got.setdefault('forward', []).append(
                batch(expr, names, [x], '--jvp', nm + '=1')[0]['jvp'])
        sym = run([NABLA, '--symbolic', '--', expr])
        for nm in names:
            prog = os.path.join(tmp, 'back.nb')
            with open(prog, 'w') as f:
                f.write(sym + 'df_d%s\n' % nm)
            row = batch(prog, names, [x], file=True)[0]
            got.setdefault('symbolic', []).append(
                [v for c, v in row.items() if not c.startswith('df/d')][0])
        if shutil.which(CC.split()[0]):
            m = Mode('emit-c', expr)
            emit_c(m, expr, names, [(list(x), 0, [0, 0], None, 0)], tmp)
            got['emit-c'] = m.rows[0][1:]
        code = run([NABLA, '--emit', 'python', '--', expr])
        env = {}
        exec(compile(code, '<emit>', 'exec'), env)
        try:
            got['emit-py'] = [env['f'](*x)[1][nm] for nm in names]
        except (ArithmeticError, ValueError):
            pass        # Python's math raises (the man page says so)
        m = Mode('zero rule', expr)
        for mode, g in got.items():
            for nm, a, b in zip(names, g, grads):
                if ulps(a, b):
                    m.bad.append('%s at %r: %s gives df/d%s = %r, reverse '
                                 'mode %r' % (expr, x, mode, nm, a, b))
        tests.append(m)
    return tests


# Programs whose emitted gradient must be nabla's own, bit for bit (as
# its value is: same_values): the emitted code computes the local
# gradients of tanh, sigmoid and softplus by nabla's one-exp rules
# (core/opmath.h), also at large |a|, where the textbook forms lose, and
# at tiny |a|.
SAME_GRADIENT = ['tanh(x)', 'sigmoid(x)', 'softplus(x)',
                 'tanh(x)*sigmoid(y) + softplus(x*y)',
                 'sigmoid(tanh(x)*y) + tanh(softplus(y)/x)']
MAGNITUDES = [20, 40, 300, 700, 0.1, 0.7, 1, 3, 17.5, 354.5, 1e-8, 1e-300,
              5e-324, 0]
GRADIENT_POINTS = [s * a for a in MAGNITUDES for s in (1, -1)]


def same_gradients(tmp):
    tests = []
    for expr in SAME_GRADIENT:
        names = ['x', 'y'] if 'y' in expr else ['x']
        pts = GRADIENT_POINTS
        if len(names) == 2:
            pts = [(a, b) for a in pts[::3] for b in pts[1::3]]
        else:
            pts = [(a,) for a in pts]
        want = [[r['f']] + [r['df/d' + nm] for nm in names]
                for r in batch(expr, names, pts)]
        cases = [(list(x), 0, [0] * len(names), None, 0) for x in pts]
        got = {}
        if shutil.which(CC.split()[0]):
            m = Mode('emit-c', expr)
            emit_c(m, expr, names, cases, tmp)
            got['emit-c'] = m.rows
        m = Mode('emit-py', expr)
        emit_py(m, run([NABLA, '--emit', 'python', '--', expr]), names,
                cases)
        got['emit-py'] = m.rows
        m = Mode('same gradient', expr)
        for mode, rows in got.items():
            for x, w, g in zip(pts, want, rows):
                for k, (a, b) in enumerate(zip(g or w, w)):
                    if ulps(a, b):
                        m.bad.append('%s at %r: %s gives %s = %r, nabla %r'
                                     % (expr, x, mode, (['f'] + [
                                         'df/d' + nm for nm in names])[k],
                                        a, b))
        tests.append(m)
    return tests


def main():
    cases = load()
    tmp = tempfile.mkdtemp(prefix='nabla-refmodes.')
    tests = []
    try:
        for op in sorted(cases):
            tests.extend(modes_for(op, cases[op], tmp))
        tests.extend(zero_rule(tmp))
        tests.extend(same_gradients(tmp))
    finally:
        shutil.rmtree(tmp)
    print('1..%d' % len(tests))
    failed = 0
    for i, t in enumerate(tests, 1):
        if isinstance(t, tuple):
            print('ok %d - %s %s # SKIP %s' % (i, t[0].mode, t[0].op, t[1]))
            continue
        if t.bad:
            failed += 1
            print('not ok %d - %s %s: %d numbers off' % (i, t.mode, t.op,
                                                        len(t.bad)))
            for b in t.bad[:20]:
                print('# ' + b)
        else:
            print('ok %d - %s %s' % (i, t.mode, t.op))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
