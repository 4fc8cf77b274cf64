#!/usr/bin/env python3
"""tests/tensor_diff.py - nabla's tensor programs against independent references, as TAP.

Random well-typed tensor programs (man page: TENSORS) are generated with every shape
tracked: scalars, vectors and matrices mixed; elementwise operators and
functions with NumPy broadcasting, @ in its four rank cases, .T and
transpose(), sum/mean/max/min with and without axis=, logsumexp, norm, dot,
outer, trace, softmax/log_softmax, indexing x[i], X[i], X[i, j], gathers
X[ids] with repeated ids (literal or bound to an input), array literals
stacking expressions, the constructors zeros/ones/eye/onehot, forks (a name
used more than once), named intermediates (multi-statement programs) and
inputs the program binds itself (c = [0.5, -1.25]).
Inputs get random values on the command line (x=[...]); a non-scalar output
gets a random --upstream (and now and then a scalar output too: it scales
every gradient).  Each program runs as `nabla -o json -- PROGRAM BINDINGS`.

Checked, for every program:
  - the output's value, every element, and each named intermediate's value;
  - every element of every input's gradient (and of each named
    intermediate's), an index input's being zeros of its shape;
  - for every 5th program, a second run with --jacobian: every entry of
    each input's Jacobian (output elements by input elements), and no
    "gradient" beside it for a tensor output;
  - for every 6th program, -o csv: the JSON's nodes and edges, a row per
    element in row-major order, bit for bit the same numbers (for a
    tensor output without --upstream: values only, and a hint);
  - for every 4th program with a scalar output, the same program typed
    into a session (a script on stdin: bindings, definitions, :grad),
    against the same references;
  - for every 7th program, the --save-grad files: the value and each
    gradient as float64 .npy in C order, bit for bit the JSON's numbers;
against
  (a) PyTorch float64 autograd, when `torch` is importable: values to
      rel 1e-12, gradients to rel 1e-10;
  (b) NumPy: values to rel 1e-12 (the same float64 computation, written
      independently) and gradients by central differences of
      L = sum(upstream * output), to rel 1e-7.
"rel T" means |nabla - ref| <= T * (|ref| + scale), per element, where
scale is the largest magnitude among all the program's intermediate values
(for values) or the reference gradients (for gradients): float64 rounding
errors are relative to the magnitudes a result is computed from, not to the
result (x - y of two nearby rounded numbers keeps their absolute error),
so a purely relative test would fail on correct cancellation.  T = 1e-12 is thousands
of ulps: enough for differently ordered sums (BLAS), 1-ulp libm
differences and a few dozen operations; a wrong rule is off by O(1).
Central differences use h = 1e-6 * max(1, |x|): the truncation error is
O(h^2 f''') ~ 1e-12 and the rounding error ~ eps * |L| / h ~ 1e-10 * |L|
(scale: max(1, sum |upstream * output|)); the worst seen, checking PyTorch's
gradients this way over 3000 programs, was 1.2e-9 relative, so 1e-7 leaves
two orders of magnitude while a wrong gradient is still off by O(1).
Programs whose reference sits within 1e-4 of a kink (relu, abs, sign,
floor, ceil, norm at 0, max, min and their reductions) skip the central
differences (a kink inside the stencil is not a derivative), as do those
that shift a softmax's or logsumexp's argument by 1000 to test their
stability (the shift's rounding over the step is 1e-7); an exact tie,
such as max([x, x]), still meets PyTorch, whose max is written here with
the tie rules of nabla's man page (the first argument; the first element
in row-major order); a near tie (apart by less than rounding, not equal)
skips the gradients, as either side may win.  Randomness
is seeded, so a failure repeats; it prints the program and the command.

Usage: NABLA=src/nabla tests/tensor_diff.py [SEED [COUNT]]
Environment: NABLA_TENSOR_COUNT (programs, default 1200: about 20 s of CPU),
NABLA_TENSOR_SEED, NABLA_TENSOR_JOBS (nabla processes at once, default 2),
NABLA_TENSOR_CD (central differences on every Nth program, default 1),
NABLA_TENSOR_JACOBIAN (every Nth program also runs with --jacobian, whose
every entry is checked the same way, default 5), NABLA_TENSOR_TORCH=0
(NumPy alone, as on a machine without PyTorch).
"""
import atexit
import concurrent.futures
import csv as csvmod
import io
import json
import math
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError:
    print("1..0 # SKIP python3 has no numpy (Debian: python3-numpy)")
    sys.exit(0)
try:
    if os.environ.get("NABLA_TENSOR_TORCH") == "0":
        raise ImportError
    import torch
    torch.set_default_dtype(torch.float64)
except ImportError:
    torch = None

NABLA = os.environ.get("NABLA", "./src/nabla")
SEED = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("NABLA_TENSOR_SEED", "1"))
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("NABLA_TENSOR_COUNT", "1200"))
JOBS = int(os.environ.get("NABLA_TENSOR_JOBS", "2"))
CD_EVERY = int(os.environ.get("NABLA_TENSOR_CD", "1"))
JAC_EVERY = int(os.environ.get("NABLA_TENSOR_JACOBIAN", "5"))
SAVE_EVERY = 7
REPL_EVERY = 4
CSV_EVERY = 6

VAL_TOL = 1e-12
GRAD_TOL = 1e-10
CD_TOL = 1e-7
KINK_MARGIN = 1e-4


# ---------------------------------------------------------------------------
# Backends: the same program evaluated by NumPy and by PyTorch.  Each op is
# written once per backend; max/min follow nabla's tie rules (the first
# argument, the first element in row-major order), not the libraries'.

class Constructors:
    """zeros, ones, eye and onehot, from the backend's module (NumPy and
    PyTorch spell them alike)."""
    lib = None

    def ctor(self, name, *n):
        if name == 'zeros':
            return self.lib.zeros(n)
        if name == 'ones':
            return self.lib.ones(n)
        if name == 'eye':
            return self.lib.eye(n[0])
        v = self.lib.zeros(n[1])
        v[n[0]] = 1
        return v


class NumpyBackend(Constructors):
    """Plain float64 NumPy; records the distance to the nearest kink and
    the largest magnitude of every value it computes."""
    lib = np

    def __init__(self):
        self.margin = math.inf
        self.vmax = 0.0
        self.cd_ok = True

    def coarse(self):
        """Central differences cannot see through x + 1000: its rounding
        (1e-13) over the step (1e-6) is 1e-7."""
        self.cd_ok = False

    def note(self, v):
        if v.size:
            self.vmax = max(self.vmax, float(np.max(np.abs(v))))
        return v

    def kink(self, dist):
        if np.size(dist):
            self.margin = min(self.margin, float(np.min(np.abs(dist))))

    def const(self, v):
        return np.array(v, dtype=np.float64)

    def index_const(self, v):
        return np.array(v, dtype=np.int64)

    def fn(self, name, *a):
        if name in ('relu', 'abs', 'sign'):
            self.kink(a[0])
        if name in ('floor', 'ceil'):
            self.kink(a[0] - np.round(a[0]))
        return self.note(NP_FN[name](*a))

    def nmax(self, args, cmp):
        m = args[0]
        for b in args[1:]:
            self.kink(b - m)
            m = np.where(cmp(b, m), b, m)
        return self.note(np.asarray(m, dtype=np.float64))

    def matmul(self, a, b):
        return self.note(np.asarray(a @ b))

    def T(self, a):
        return a.T if a.ndim == 2 else a

    def reduce(self, name, a, axis):
        if name in ('max', 'min'):
            arg = np.argmax if name == 'max' else np.argmin
            flat = a.reshape(-1) if axis is None else a
            ax = 0 if axis is None else axis
            if flat.shape[ax] > 1:
                s = np.sort(flat, axis=ax)
                gap = (np.take(s, -1, ax) - np.take(s, -2, ax)) if name == 'max' \
                    else (np.take(s, 1, ax) - np.take(s, 0, ax))
                self.kink(gap)
            idx = np.expand_dims(arg(flat, axis=ax), ax)
            return self.note(np.take_along_axis(flat, idx, ax).squeeze(ax))
        if name == 'sum':
            return self.note(np.asarray(np.sum(a, axis=axis)))
        if name == 'mean':
            return self.note(np.asarray(np.mean(a, axis=axis)))
        if name == 'logsumexp':
            m = np.max(a, axis=axis, keepdims=True)
            r = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
            return self.note(r.reshape(()) if axis is None else r.squeeze(axis))
        if name == 'norm':
            r = np.asarray(np.sqrt(np.sum(a * a)))
            self.kink(r)
            return self.note(r)
        raise ValueError(name)

    def softmax(self, a, axis, log):
        m = np.max(a, axis=axis, keepdims=True)
        z = a - m
        lse = np.log(np.sum(np.exp(z), axis=axis, keepdims=True))
        return self.note(z - lse if log else np.exp(z - lse))

    def dot(self, a, b):
        return self.note(np.asarray(np.dot(a, b)))

    def outer(self, a, b):
        return self.note(np.outer(a, b))

    def trace(self, a):
        return self.note(np.asarray(np.trace(a)))

    def index(self, a, idx):
        return self.note(np.asarray(a[tuple(idx)]))

    def stack(self, parts):
        return self.note(np.stack(parts))


NP_FN = {
    'add': np.add, 'sub': np.subtract, 'mul': np.multiply, 'div': np.divide,
    'pow': np.power, 'neg': np.negative, 'pos': np.positive,
    'exp': np.exp, 'log': np.log, 'log2': np.log2, 'log10': np.log10,
    'log1p': np.log1p, 'expm1': np.expm1, 'sqrt': np.sqrt, 'cbrt': np.cbrt,
    'sin': np.sin, 'cos': np.cos, 'tan': np.tan, 'asin': np.arcsin,
    'acos': np.arccos, 'atan': np.arctan, 'sinh': np.sinh, 'cosh': np.cosh,
    'tanh': np.tanh, 'sigmoid': lambda a: 1 / (1 + np.exp(-a)),
    'relu': lambda a: np.where(a > 0, a, 0.0), 'softplus': lambda a: np.log1p(np.exp(a)),
    'abs': np.abs, 'sign': np.sign, 'floor': np.floor, 'ceil': np.ceil,
    'atan2': np.arctan2, 'hypot': np.hypot,
}


class TorchBackend(Constructors):
    """float64 PyTorch; keeps every value it computes, so that autograd can
    give every node's gradient (their largest magnitude is the gradients'
    scale)."""
    lib = torch

    def __init__(self):
        self.nodes = []

    def coarse(self):
        pass

    def note(self, v):
        if v.requires_grad:
            self.nodes.append(v)
        return v

    def const(self, v):
        return torch.tensor(v, dtype=torch.float64)

    def index_const(self, v):
        return torch.tensor(v, dtype=torch.int64)

    def fn(self, name, *a):
        return self.note(TORCH_FN[name](*a))

    def nmax(self, args, cmp):
        m = args[0]
        for b in args[1:]:
            m = torch.where(cmp(b, m), b, m)
        return self.note(m)

    def matmul(self, a, b):
        return self.note(torch.matmul(a, b))

    def T(self, a):
        # A view even of a vector or scalar: a node of its own, whose
        # gradient a named intermediate (t = x.T) reads.
        return self.note(a.t() if a.dim() == 2 else a.view_as(a))

    def reduce(self, name, a, axis):
        if name in ('max', 'min'):
            arg = torch.argmax if name == 'max' else torch.argmin
            if axis is None:
                flat = a.reshape(-1)
                return self.note(flat[arg(flat)])
            idx = arg(a, dim=axis, keepdim=True)
            return self.note(torch.gather(a, axis, idx).squeeze(axis))
        if name == 'sum':
            return self.note(a.sum() if axis is None else a.sum(dim=axis))
        if name == 'mean':
            return self.note(a.mean() if axis is None else a.mean(dim=axis))
        if name == 'logsumexp':
            return self.note(torch.logsumexp(a.reshape(-1), 0) if axis is None
                             else torch.logsumexp(a, axis))
        if name == 'norm':      # its gradient a/norm is 0 at 0, as nabla's
            return self.note(torch.linalg.vector_norm(a.reshape(-1)))
        raise ValueError(name)

    def softmax(self, a, axis, log):
        f = torch.log_softmax if log else torch.softmax
        return self.note(f(a, axis))

    def dot(self, a, b):
        return self.note(torch.dot(a, b))

    def outer(self, a, b):
        return self.note(torch.outer(a, b))

    def trace(self, a):
        return self.note(torch.trace(a))

    def index(self, a, idx):
        return self.note(a[tuple(idx)])

    def stack(self, parts):
        return self.note(torch.stack(parts))


if torch is not None:
    TORCH_FN = {
        'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div,
        'pow': torch.pow, 'neg': torch.neg,
        'pos': lambda a: a.view_as(a),     # a node of its own, as nabla's
        'exp': torch.exp, 'log': torch.log, 'log2': torch.log2, 'log10': torch.log10,
        'log1p': torch.log1p, 'expm1': torch.expm1, 'sqrt': torch.sqrt,
        'cbrt': lambda a: torch.pow(a, 1.0 / 3),   # only ever of a positive value
        'sin': torch.sin, 'cos': torch.cos, 'tan': torch.tan, 'asin': torch.asin,
        'acos': torch.acos, 'atan': torch.atan, 'sinh': torch.sinh, 'cosh': torch.cosh,
        'tanh': torch.tanh, 'sigmoid': torch.sigmoid, 'relu': torch.relu,
        'softplus': lambda a: torch.log1p(torch.exp(a)),
        'abs': torch.abs, 'sign': torch.sign, 'floor': torch.floor, 'ceil': torch.ceil,
        'atan2': torch.atan2, 'hypot': torch.hypot,
    }


# ---------------------------------------------------------------------------
# Expressions: the text nabla reads, its shape, and how a backend computes it.

# Precedence levels of an expression's text, lowest first (man page: LANGUAGE).
ADD, MUL, UNARY_, POW, PRIMARY = range(5)


class E:
    def __init__(self, text, shape, ev, prec=PRIMARY, names=()):
        self.text, self.shape, self.ev, self.prec = text, shape, ev, prec
        self.names = set(names)      # input and intermediate names it uses

    def at(self, prec):
        """The text as an operand that needs at least precedence prec."""
        return self.text if self.prec >= prec else '(' + self.text + ')'

    def prim(self):
        """The text as a primary, for postfix .T and [ ] and as a base of ^."""
        return self.at(PRIMARY)


def names_of(*es):
    s = set()
    for e in es:
        s |= e.names
    return s


def fmt_num(x):
    r = repr(float(x))
    return r[:-2] if r.endswith('.0') else r


def fmt_tensor(v):
    if isinstance(v, list):
        return '[' + ', '.join(fmt_tensor(x) for x in v) + ']'
    return fmt_num(v) if isinstance(v, float) else str(v)


UNARY = ['exp', 'log', 'log2', 'log10', 'log1p', 'expm1', 'sqrt', 'cbrt', 'sin', 'cos',
         'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'relu',
         'softplus', 'abs', 'sign', 'floor', 'ceil']
POSITIVE = {'log', 'log2', 'log10', 'sqrt', 'cbrt'}
BOUNDED = {'exp', 'expm1', 'sinh', 'cosh', 'softplus'}
REDUCE_AXIS = ['sum', 'mean', 'max', 'min', 'logsumexp']


class Gen:
    """One random program: statements over inputs whose shapes it tracks."""

    def __init__(self, rng):
        self.rng = rng
        self.inputs = {}     # name -> shape (float inputs)
        self.indices = {}    # name -> int or list of ints (index inputs)
        self.inter = {}      # intermediate name -> shape
        self.pool = {}       # shape -> names usable as leaves
        self.consts = {}     # name -> value, for inputs the program binds
        self.counter = 0

    # -- helpers ------------------------------------------------------------
    def dim(self):
        r = self.rng.random()
        if r < 0.005:
            return self.rng.choice([17, 33])    # a product large enough for CBLAS
        if r < 0.035:
            return self.rng.choice([5, 7, 9])   # past the small cases of a kernel
        return self.rng.choice([1, 2, 2, 3, 3, 4])

    def shape(self, rank=None):
        if rank is None:
            rank = self.rng.choice([0, 1, 1, 2, 2])
        return tuple(self.dim() for _ in range(rank))

    def fresh(self, shape):
        self.counter += 1
        prefix = {0: 'a', 1: 'v', 2: 'W'}[len(shape)]
        name = '%s%d' % (prefix, self.counter)
        self.inputs[name] = shape
        self.pool.setdefault(shape, []).append(name)
        return name

    def var(self, shape):
        known = self.pool.get(shape, [])
        inter = [n for n in known if n in self.inter]
        if inter and self.rng.random() < 0.6:
            name = self.rng.choice(inter)
        elif known and self.rng.random() < 0.45:
            name = self.rng.choice(known)
        else:
            name = self.fresh(shape)
        return E(name, shape, lambda B, env: env[name], PRIMARY, [name])

    def number(self):
        c = self.rng.choice([0.5, 1.5, 2, 3, 0.25, -1, 0, 'pi', 'e'])
        if isinstance(c, str):
            v = math.pi if c == 'pi' else math.e
            return E(c, (), lambda B, env: B.const(v))
        t = fmt_num(c)
        return E(t, (), lambda B, env: B.const(float(c)), PRIMARY if c >= 0 else UNARY_)

    def literal(self, shape):
        vals = np.round(np.array([self.rng.uniform(-2, 2) for _ in range(int(np.prod(shape)))]),
                        2).reshape(shape).tolist()
        return E(fmt_tensor(vals), shape, lambda B, env: B.const(vals))

    def constant(self, shape):
        r = self.rng.random()
        if shape == ():
            return self.number()
        if r < 0.5:
            return self.literal(shape)
        if len(shape) == 2 and shape[0] == shape[1] and r < 0.7:
            n = shape[0]
            return E('eye(%d)' % n, shape, lambda B, env: B.ctor('eye', n))
        if len(shape) == 1 and r < 0.7:
            n = shape[0]
            i = self.rng.randrange(n)
            return E('onehot(%d, %d)' % (i, n), shape, lambda B, env: B.ctor('onehot', i, n))
        f = self.rng.choice(['ones', 'zeros'])
        return E('%s(%s)' % (f, ', '.join(map(str, shape))), shape,
                 lambda B, env: B.ctor(f, *shape))

    def leaf(self, shape):
        if self.rng.random() < 0.8:
            return self.var(shape)
        return self.constant(shape)

    def bshape(self, shape):
        """A shape that broadcasts against `shape` without growing it."""
        r = self.rng.random()
        if r < 0.5 or not shape:
            return shape if r < 0.8 or not shape else ()
        if r < 0.65:
            return ()
        if len(shape) == 2:
            return self.rng.choice([shape[1:], (1, shape[1]), (shape[0], 1), (1, 1), (1,)])
        return (1,)

    def bpair(self, shape):
        """Two shapes that broadcast to `shape`: one of them `shape`, or for
        a matrix neither, as (m, 1) + (n) is (m, n)."""
        if len(shape) == 2 and self.rng.random() < 0.25:
            m, n = shape
            return self.rng.choice([((m, 1), (n,)), ((m, 1), (1, n)), ((1, n), (m, 1))])
        pair = [shape, self.bshape(shape)]
        self.rng.shuffle(pair)
        return tuple(pair)

    def index_expr(self, n, k=None):
        """An index into an axis of length n (k None) or k ids; returns
        (text, value-maker)."""
        if k is None:
            i = self.rng.randrange(-n, n)
            if self.rng.random() < 0.2:
                return self.index_input('i', i)
            return str(i), (lambda B, env: i), []
        ids = [self.rng.randrange(-n, n) for _ in range(k)]
        if k >= 2 and self.rng.random() < 0.5:
            ids[-1] = ids[0]                    # a repeated id: gradients add
        if self.rng.random() < 0.3:
            return self.index_input('ids', ids)
        return fmt_tensor(ids), (lambda B, env: B.index_const(ids)), []

    def index_input(self, prefix, value):
        """An input that indexes: its name, or an expression of it (n - 1),
        which is not differentiated either."""
        self.counter += 1
        name = '%s%d' % (prefix, self.counter)
        if self.rng.random() < 0.6:
            self.indices[name] = value
            return name, (lambda B, env: env[name]), [name]
        self.indices[name] = [v + 1 for v in value] if isinstance(value, list) else value + 1
        return name + ' - 1', (lambda B, env: env[name] - 1), [name]

    # -- the rules: each builds an expression of exactly `shape` ----------------
    def gen(self, shape, d, top=False):
        if d <= 0 or (not top and self.rng.random() < 0.2):
            return self.leaf(shape)
        rules = [(self.r_binop, 5), (self.r_unary, 4), (self.r_nary, 2), (self.r_binfn, 1),
                 (self.r_matmul, 3), (self.r_transpose, 1), (self.r_reduce, 3),
                 (self.r_index, 2), (self.r_stack, 1 if d > 1 else 0)]
        if shape:
            rules.append((self.r_softmax, 1))
        if shape == ():
            rules += [(self.r_dot, 1), (self.r_trace, 1)]
        if len(shape) == 2:
            rules.append((self.r_outer, 1))
        while True:
            f = self.rng.choices([r for r, _ in rules], [w for _, w in rules])[0]
            e = f(shape, d - 1)
            if e is not None:
                return e

    def r_binop(self, shape, d):
        op = self.rng.choice('+-*/^')
        if op == '^' and self.rng.random() < 0.5:
            return self.r_intpow(shape, d)
        sa, sb = self.bpair(shape)
        a, b = self.gen(sa, d), self.gen(sb, d)
        if op == '^':
            base = '(0.5 + %s ^ 2)' % a.prim()
            text = '%s ^ tanh(%s)' % (base, b.text)   # positive ^ bounded
            return E(text, shape,
                     lambda B, env: B.fn('pow', B.fn('add', B.const(0.5),
                                                     B.fn('pow', a.ev(B, env), B.const(2.0))),
                                         B.fn('tanh', b.ev(B, env))),
                     POW, names_of(a, b))
        if op == '/':
            text = '%s / (1.5 + %s ^ 2)' % (a.at(MUL), b.prim())
            return E(text, shape,
                     lambda B, env: B.fn('div', a.ev(B, env),
                                         B.fn('add', B.const(1.5),
                                              B.fn('pow', b.ev(B, env), B.const(2.0)))),
                     MUL, names_of(a, b))
        name = {'+': 'add', '-': 'sub', '*': 'mul'}[op]
        prec = ADD if op != '*' else MUL
        text = '%s %s %s' % (a.at(prec), op, b.at(prec + 1))
        return E(text, shape, lambda B, env: B.fn(name, a.ev(B, env), b.ev(B, env)),
                 prec, names_of(a, b))

    def r_intpow(self, shape, d):
        a = self.gen(shape, d)
        k = self.rng.choice([2, 3])
        spelled = self.rng.choice(['%s ^ %d', '%s ** %d', 'pow(%s, %d)'])
        text = spelled % ((a.text if spelled.startswith('pow') else a.prim()), k)
        return E(text, shape, lambda B, env: B.fn('pow', a.ev(B, env), B.const(float(k))),
                 PRIMARY if spelled.startswith('pow') else POW, a.names)

    def r_unary(self, shape, d):
        f = self.rng.choice(UNARY + ['neg', 'pos'])
        a = self.gen(shape, d)
        if f in ('neg', 'pos'):
            sym = '-' if f == 'neg' else '+'
            return E(sym + a.at(POW), shape, lambda B, env: B.fn(f, a.ev(B, env)),
                     UNARY_, a.names)
        if f in POSITIVE:
            inner = '0.5 + %s ^ 2' % a.prim()
            ev = lambda B, env: B.fn('add', B.const(0.5), B.fn('pow', a.ev(B, env), B.const(2.0)))
        elif f in BOUNDED:
            inner = '3 * tanh(%s)' % a.text
            ev = lambda B, env: B.fn('mul', B.const(3.0), B.fn('tanh', a.ev(B, env)))
        elif f in ('asin', 'acos'):
            inner = '0.9 * tanh(%s)' % a.text
            ev = lambda B, env: B.fn('mul', B.const(0.9), B.fn('tanh', a.ev(B, env)))
        elif f == 'tan':
            inner = 'tanh(%s)' % a.text
            ev = lambda B, env: B.fn('tanh', a.ev(B, env))
        elif f == 'log1p':
            inner = '%s ^ 2' % a.prim()
            ev = lambda B, env: B.fn('pow', a.ev(B, env), B.const(2.0))
        else:
            inner, ev = a.text, a.ev
        return E('%s(%s)' % (f, inner), shape, lambda B, env: B.fn(f, ev(B, env)),
                 PRIMARY, a.names)

    def r_nary(self, shape, d):
        f = self.rng.choice(['max', 'min', 'sum', 'mean'])
        n = self.rng.choice([2, 2, 3])
        shapes = list(self.bpair(shape)) + [self.bshape(shape) for _ in range(n - 2)]
        self.rng.shuffle(shapes)
        args = [self.gen(s, d - 1) for s in shapes]
        if f in ('max', 'min') and self.rng.random() < 0.3:
            # max(0, x): the relu gate; the others keep the shape.
            i = self.rng.randrange(n)
            rest = [np.empty(s) for k, s in enumerate(shapes) if k != i]
            if np.broadcast(np.empty(()), *rest).shape == shape:
                args[i] = self.number()
        text = '%s(%s)' % (f, ', '.join(a.text for a in args))

        def ev(B, env):
            vs = [a.ev(B, env) for a in args]
            if f == 'max':
                return B.nmax(vs, lambda b, m: b > m)
            if f == 'min':
                return B.nmax(vs, lambda b, m: b < m)
            s = vs[0]
            for v in vs[1:]:
                s = B.fn('add', s, v)
            return s if f == 'sum' else B.fn('div', s, B.const(float(n)))
        return E(text, shape, ev, PRIMARY, names_of(*args))

    def r_binfn(self, shape, d):
        f = self.rng.choice(['atan2', 'hypot'])
        sa, sb = self.bpair(shape)
        a, b = self.gen(sa, d), self.gen(sb, d)
        # Away from (0, 0), where neither is differentiable.
        text = '%s(%s, 0.5 + %s ^ 2)' % (f, a.text, b.prim())
        return E(text, shape,
                 lambda B, env: B.fn(f, a.ev(B, env),
                                     B.fn('add', B.const(0.5),
                                          B.fn('pow', b.ev(B, env), B.const(2.0)))),
                 PRIMARY, names_of(a, b))

    def r_matmul(self, shape, d):
        k = self.dim()
        if len(shape) == 0:
            sa, sb = (k,), (k,)
        elif len(shape) == 1:
            sa, sb = ((shape[0], k), (k,)) if self.rng.random() < 0.5 else ((k,), (k, shape[0]))
        else:
            sa, sb = (shape[0], k), (k, shape[1])
        a, b = self.gen(sa, d), self.gen(sb, d)
        return E('%s @ %s' % (a.at(MUL), b.at(UNARY_ + 1)),
                 shape, lambda B, env: B.matmul(a.ev(B, env), b.ev(B, env)),
                 MUL, names_of(a, b))

    def r_transpose(self, shape, d):
        a = self.gen(tuple(reversed(shape)), d)
        if a.text[0].isdigit() or a.text[0] == '.':
            return None
        if self.rng.random() < 0.3:
            return E('transpose(%s)' % a.text, shape, lambda B, env: B.T(a.ev(B, env)),
                     PRIMARY, a.names)
        return E(a.prim() + '.T', shape, lambda B, env: B.T(a.ev(B, env)), PRIMARY, a.names)

    def r_reduce(self, shape, d):
        if len(shape) == 2:
            return None
        if shape == () and self.rng.random() < 0.5:
            f = self.rng.choice(REDUCE_AXIS + ['norm', 'norm'])
            a = self.gen(self.shape(), d)
            if f == 'logsumexp':
                a = self.shifted(a)
            if f == 'norm' and not a.shape:
                return None
            return E('%s(%s)' % (f, a.text), (),
                     lambda B, env: B.reduce(f, a.ev(B, env), None), PRIMARY, a.names)
        f = self.rng.choice(REDUCE_AXIS)
        shift = self.shifted if f == 'logsumexp' else (lambda e: e)
        if shape == ():
            src, axis = (self.dim(),), self.rng.choice([0, -1])
        elif self.rng.random() < 0.5:
            src, axis = (self.dim(), shape[0]), self.rng.choice([0, -2])
        else:
            src, axis = (shape[0], self.dim()), self.rng.choice([1, -1])
        a = shift(self.gen(src, d))
        nd = len(src)
        ax = axis % nd
        return E('%s(%s, axis=%d)' % (f, a.text, axis), shape,
                 lambda B, env: B.reduce(f, a.ev(B, env), ax), PRIMARY, a.names)

    def shifted(self, a):
        """Now and then a + 1000: the same softmax, logsumexp - 1000, that a
        naive exp overflows on."""
        if self.rng.random() > 0.15:
            return a

        def ev(B, env):
            B.coarse()
            return B.fn('add', a.ev(B, env), B.const(1000.0))
        return E('%s + 1000' % a.at(ADD), a.shape, ev, ADD, a.names)

    def r_softmax(self, shape, d):
        f = self.rng.choice(['softmax', 'log_softmax'])
        a = self.shifted(self.gen(shape, d))
        nd = len(shape)
        if self.rng.random() < 0.5:
            text, ax = '%s(%s)' % (f, a.text), nd - 1
        else:
            axis = self.rng.randrange(-nd, nd)
            text, ax = '%s(%s, axis=%d)' % (f, a.text, axis), axis % nd
        return E(text, shape, lambda B, env: B.softmax(a.ev(B, env), ax, f == 'log_softmax'),
                 PRIMARY, a.names)

    def r_dot(self, shape, d):
        k = self.dim()
        a, b = self.gen((k,), d), self.gen((k,), d)
        return E('dot(%s, %s)' % (a.text, b.text), (),
                 lambda B, env: B.dot(a.ev(B, env), b.ev(B, env)), PRIMARY, names_of(a, b))

    def r_trace(self, shape, d):
        k = self.dim()
        a = self.gen((k, k), d)
        return E('trace(%s)' % a.text, (), lambda B, env: B.trace(a.ev(B, env)),
                 PRIMARY, a.names)

    def r_outer(self, shape, d):
        a, b = self.gen((shape[0],), d), self.gen((shape[1],), d)
        return E('outer(%s, %s)' % (a.text, b.text), shape,
                 lambda B, env: B.outer(a.ev(B, env), b.ev(B, env)), PRIMARY, names_of(a, b))

    def r_index(self, shape, d):
        r = self.rng.random()
        if shape == ():
            if r < 0.5:
                n = self.dim()
                a = self.gen((n,), d)
                parts = [self.index_expr(n)]
            else:
                m, n = self.dim(), self.dim()
                a = self.gen((m, n), d)
                parts = [self.index_expr(m), self.index_expr(n)]
        elif len(shape) == 1 and r < 0.5:
            a = self.gen((self.dim(), shape[0]), d)     # X[i]: a row
            parts = [self.index_expr(a.shape[0])]
        elif len(shape) == 1:
            a = self.gen((self.dim(),), d)              # x[ids]: a gather
            parts = [self.index_expr(a.shape[0], shape[0])]
        else:
            a = self.gen((self.dim(), shape[1]), d)     # X[ids]: rows
            parts = [self.index_expr(a.shape[0], shape[0])]
        if a.text[0].isdigit():
            return None
        text = '%s[%s]' % (a.prim(), ', '.join(p[0] for p in parts))
        names = a.names.union(*[set(p[2]) for p in parts])
        return E(text, shape,
                 lambda B, env: B.index(a.ev(B, env), [p[1](B, env) for p in parts]),
                 PRIMARY, names)

    def r_stack(self, shape, d):
        if not shape:
            return None
        parts = [self.gen(shape[1:], d - 1) for _ in range(shape[0])]
        return E('[%s]' % ', '.join(p.text for p in parts), shape,
                 lambda B, env: B.stack([p.ev(B, env) for p in parts]), PRIMARY, names_of(*parts))

    # -- a program ----------------------------------------------------------
    def program_constant(self):
        """NAME = LITERAL in the program: an input bound by the program."""
        shape = self.shape()
        self.counter += 1
        name = 'c%d' % self.counter
        vals = np.round(np.array([self.rng.uniform(-2, 2) for _ in range(int(np.prod(shape)))]),
                        2).reshape(shape)
        self.inputs[name] = shape
        self.consts[name] = vals
        self.pool.setdefault(shape, []).append(name)
        return name, '%s = %s' % (name, fmt_tensor(vals.tolist()))

    def program(self):
        stmts = []
        binds = [self.program_constant() for _ in range(self.rng.choice([0, 0, 0, 1, 2]))]
        for k in range(self.rng.choice([0, 0, 1, 1, 2, 3])):
            shape = self.shape()
            e = self.gen(shape, self.rng.randint(1, 3), top=True)
            if not any(n in self.inputs or n in self.inter for n in e.names):
                continue                       # constant: it would be an input
            name = 't%d' % (k + 1)
            stmts.append((name, e))
            self.inter[name] = shape
            self.pool.setdefault(shape, []).append(name)
        out_shape = self.shape()
        e = self.gen(out_shape, self.rng.randint(1, 4), top=self.rng.random() > 0.03)
        outname = self.rng.choice(['f', 'L', 'y'])
        stmts.append((outname, e))
        sep = self.rng.choice(['; ', '\n'])
        lines = ['%s = %s' % (n, x.text) for n, x in stmts]
        if outname == 'f' and self.rng.random() < 0.5:
            lines[-1] = e.text
        used = set()
        for _, x in stmts:
            used |= x.names
        self.inputs = {n: s for n, s in self.inputs.items() if n in used}
        self.indices = {n: v for n, v in self.indices.items() if n in used}
        lines = [line for n, line in binds if n in used] + lines
        if sep == '\n' and self.rng.random() < 0.2:
            lines[0] += '  # a comment'
        return sep.join(lines), stmts, out_shape


# ---------------------------------------------------------------------------
# One case: a program, its bindings, its upstream; what nabla says; checks.

class Case:
    def __init__(self, number, rng, save_root):
        g = Gen(rng)
        self.number = number
        self.text, self.stmts, self.out_shape = g.program()
        self.inter = [n for n, _ in self.stmts[:-1]]
        self.outname = self.stmts[-1][0]
        self.inputs = g.inputs
        self.indices = g.indices
        self.values = {n: np.array(rng.uniform(-2, 2) if not s else
                                   [rng.uniform(-2, 2) for _ in range(int(np.prod(s)))]
                                   ).reshape(s) for n, s in self.inputs.items()}
        self.values.update({n: v for n, v in g.consts.items() if n in self.inputs})
        self.upstream = None
        if self.out_shape or rng.random() < 0.1:
            self.upstream = np.array([rng.uniform(-2, 2)
                                      for _ in range(int(np.prod(self.out_shape)))]
                                     ).reshape(self.out_shape)
        binds = ['%s=%s' % (n, fmt_tensor(self.values[n].tolist()))
                 for n in sorted(self.inputs) if n not in g.consts]
        binds += ['%s=%s' % (n, fmt_tensor(self.indices[n])) for n in sorted(self.indices)]
        self.argv = [NABLA, '-o', 'json']
        if self.upstream is not None:
            self.argv += ['--upstream', fmt_tensor(self.upstream.tolist())]
        self.save_dir = None
        if number % SAVE_EVERY == 0:
            self.save_dir = os.path.join(save_root, str(number))
            self.argv += ['--save-grad', self.save_dir]
        self.argv += ['--', self.text] + binds
        self.csv_argv = None
        if number % CSV_EVERY == 0:
            self.csv_argv = [a if a != 'json' else 'csv' for a in self.argv]
            for opt in ('--save-grad', '--upstream' if self.out_shape else None):
                if opt in self.csv_argv:
                    i = self.csv_argv.index(opt)
                    del self.csv_argv[i:i + 2]
        self.deps = self.dependencies()
        self.repl_script = None
        if number % REPL_EVERY == 0 and self.upstream is None:
            self.repl_script = self.session(g.consts)
        self.jac_argv = None
        if number % JAC_EVERY == 0:
            self.jac_argv = [NABLA, '-o', 'json', '--jacobian', '--', self.text] + binds

    def dependencies(self):
        """The inputs the output depends on, through intermediates."""
        exprs = dict(self.stmts)
        deps, todo, seen = set(), list(self.stmts[-1][1].names), set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            if n in exprs:
                todo.extend(exprs[n].names)
            else:
                deps.add(n)
        return deps

    def session(self, consts):
        """The program as a REPL script: bindings, definitions, :grad."""
        lines = [':format json']
        for n in sorted(self.inputs):
            lines.append('%s = %s' % (n, fmt_tensor(self.values[n].tolist())))
        for n in sorted(self.indices):
            lines.append('%s = %s' % (n, fmt_tensor(self.indices[n])))
        lines += ['%s = %s' % (n, e.text) for n, e in self.stmts]
        lines.append(':grad %s' % self.outname)
        return '\n'.join(lines) + '\n'

    def command(self, argv=None):
        return ' '.join(shlex.quote(a) for a in argv or self.argv)

    def env(self, B, values):
        env = {n: B.const(v) for n, v in values.items()}
        for n, v in self.indices.items():
            env[n] = B.index_const(v) if isinstance(v, list) else v
        return env

    def forward(self, B, env):
        for name, e in self.stmts:
            env[name] = e.ev(B, env)
        return env[self.outname]

    def upstream_or_one(self):
        return self.upstream if self.upstream is not None else np.array(1.0)


def as_array(x):
    """nabla's JSON number or nested array as float64 (non-finite numbers
    are the strings "nan", "inf", "-inf")."""
    def conv(v):
        if isinstance(v, list):
            return [conv(u) for u in v]
        if isinstance(v, str):
            return float(v)
        return float(v)
    return np.array(conv(x), dtype=np.float64)


class Failure(Exception):
    pass


def compare(what, got, ref, tol, scale):
    got = as_array(got)
    ref = np.asarray(ref, dtype=np.float64)
    if got.shape != ref.shape:
        raise Failure('%s: shape %s, expected %s' % (what, list(got.shape), list(ref.shape)))
    bound = tol * (np.abs(ref) + scale)
    bad = ~(np.abs(got - ref) <= bound)
    if np.any(bad):
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        raise Failure('%s%s: nabla %r, reference %r (|diff| %.3g > %.3g)'
                      % (what, list(i) if i else '', float(got[i]), float(ref[i]),
                         abs(float(got[i]) - float(ref[i])), float(bound[i])))


def named_nodes(js):
    """name -> node, for the nodes JSON names (inputs, intermediates, output)."""
    out = {}
    for nd in js.get('nodes', []):
        if 'name' in nd:
            out[nd['name']] = nd
    return out


def check_numpy(case, js, with_cd, repl=False):
    """Values against NumPy; gradients against central differences.
    Returns whether the central differences ran."""
    B = NumpyBackend()
    with np.errstate(all='ignore'):
        env = case.env(B, case.values)
        out = case.forward(B, env)
    scale = B.vmax
    compare('value', js.get('value'), out, VAL_TOL, scale)
    nodes = named_nodes(js)
    for n in case.inter if not repl else []:
        if n not in nodes:
            raise Failure('no node named %s in the JSON' % n)
        compare('value of %s' % n, nodes[n]['value'], env[n], VAL_TOL, scale)
    if not with_cd or B.margin < KINK_MARGIN or not B.cd_ok:
        return False
    up = case.upstream_or_one()

    def loss(values):
        with np.errstate(all='ignore'):
            y = case.forward(NumpyBackend(), case.env(NumpyBackend(), values))
        return float(np.sum(up * y)), float(np.sum(np.abs(up * y)))
    _, lscale = loss(case.values)
    grads = js.get('gradient', {})
    for n, v in case.values.items():
        if repl and n not in case.deps:
            continue
        cd = np.zeros(v.shape)
        for i in np.ndindex(*v.shape) if v.shape else [()]:
            h = 1e-6 * max(1.0, abs(float(v[i])))
            vals = dict(case.values)
            p, m = v.copy(), v.copy()
            p[i] += h
            m[i] -= h
            vals[n] = p
            lp, _ = loss(vals)
            vals[n] = m
            lm, _ = loss(vals)
            cd[i] = (lp - lm) / (2 * h)
        compare('d%s/d%s (central differences)' % (case.outname, n), grads.get(n), cd,
                CD_TOL, max(1.0, lscale))
    return True


def check_torch(case, js, repl=False):
    """Values and gradients against PyTorch; for a REPL session, only the
    inputs the output depends on and no intermediates (a session's :grad
    shows the output's own graph)."""
    B = TorchBackend()
    values = {n: torch.tensor(v, requires_grad=True) for n, v in case.values.items()}
    env = case.env(B, {})
    env.update(values)
    out = case.forward(B, env)
    up = torch.tensor(case.upstream_or_one())
    loss = (out * up).sum()
    leaves = list(values.values())
    inter = [env[n] for n in case.inter]
    targets = leaves + [t for t in inter if t.requires_grad] + B.nodes
    gs = torch.autograd.grad(loss, targets, allow_unused=True) if loss.requires_grad \
        else [None] * len(targets)
    gmap = {}
    gscale = float(up.abs().max()) if up.numel() else 0.0
    for t, g in zip(targets, gs):
        g = torch.zeros_like(t) if g is None else g
        gmap[id(t)] = g
        if g.numel():
            gscale = max(gscale, float(g.abs().max()))
    vscale = max([float(t.detach().abs().max()) for t in B.nodes if t.numel()] + [0.0])
    compare('value (torch)', js.get('value'), out.detach().numpy(), VAL_TOL, vscale)
    if near_tie(case):
        return
    if 'gradient' not in js:
        raise Failure('no "gradient" in the JSON')
    grads = js['gradient']
    for n, t in values.items():
        if repl and n not in case.deps:
            continue
        if n not in grads:
            raise Failure('no gradient for %s' % n)
        compare('d%s/d%s' % (case.outname, n), grads[n], gmap[id(t)].numpy(), GRAD_TOL, gscale)
    if repl:
        return
    nodes = named_nodes(js)
    for n in case.inter:
        t = env[n]
        g = gmap.get(id(t), torch.zeros_like(t))
        compare('grad of %s' % n, nodes[n].get('grad'), g.detach().numpy(), GRAD_TOL, gscale)


def near_tie(case):
    """Whether two candidates of a max, min, relu or abs are apart by
    less than rounding (1e-9 of the values' scale) without being equal:
    which one wins may then differ between two correct float64
    computations (a BLAS sums in its own order), and so may the gradient.
    An exact tie, as in max([x, x]), is a tie in both and stays checked."""
    B = NumpyBackend()
    with np.errstate(all='ignore'):
        case.forward(B, case.env(B, case.values))
    return 0 < B.margin < 1e-9 * max(1.0, B.vmax)


def check_indices(case, js, repl=False):
    for n, v in case.indices.items():
        if repl and n not in case.deps:
            continue
        g = js.get('gradient', {}).get(n)
        if g is None:
            raise Failure('no gradient for the index input %s' % n)
        compare('d%s/d%s (an index)' % (case.outname, n), g, np.zeros(np.shape(v)), 0, 0)


def check_jacobian(case, js):
    """--jacobian: one row per output element, one column per input
    element, against PyTorch (a backward pass per row) or else central
    differences of the whole output (skipped near a kink)."""
    jac = js.get('jacobian')
    if not isinstance(jac, dict):
        raise Failure('no "jacobian" in the JSON')
    if case.out_shape and 'gradient' in js:
        raise Failure('"gradient" beside the Jacobian of a tensor output')
    B = NumpyBackend()
    with np.errstate(all='ignore'):
        out = case.forward(B, case.env(B, case.values))
    compare('value (--jacobian)', js.get('value'), out, VAL_TOL, B.vmax)
    rows = out.size
    for n, v in case.indices.items():
        compare('jacobian of the index input %s' % n, jac.get(n),
                np.zeros((rows, int(np.size(v)))), 0, 0)
    ref = {}
    if torch is not None:
        TB = TorchBackend()
        values = {n: torch.tensor(v, requires_grad=True) for n, v in case.values.items()}
        env = case.env(TB, {})
        env.update(values)
        y = case.forward(TB, env).reshape(-1)
        for n, v in case.values.items():
            ref[n] = np.zeros((rows, v.size))
        for r in range(rows):
            if not y.requires_grad:
                break
            gs = torch.autograd.grad(y[r], list(values.values()), retain_graph=True,
                                     allow_unused=True)
            for (n, t), g in zip(values.items(), gs):
                if g is not None:
                    ref[n][r] = g.reshape(-1).numpy()
        tol = GRAD_TOL
    elif B.margin >= KINK_MARGIN and B.cd_ok:
        for n, v in case.values.items():
            ref[n] = np.zeros((rows, v.size))
            for c, i in enumerate(np.ndindex(*v.shape) if v.shape else [()]):
                h = 1e-6 * max(1.0, abs(float(v[i])))
                ys = []
                for step in (h, -h):
                    w = v.copy()
                    w[i] += step
                    vals = dict(case.values)
                    vals[n] = w
                    with np.errstate(all='ignore'):
                        ys.append(case.forward(NumpyBackend(),
                                               case.env(NumpyBackend(), vals)).reshape(-1))
                ref[n][:, c] = (ys[0] - ys[1]) / (2 * h)
        tol = CD_TOL
    scale = max([float(np.max(np.abs(m))) for m in ref.values() if m.size] + [1.0])
    for n, m in ref.items():
        compare('jacobian d%s/d%s' % (case.outname, n), jac.get(n), m, tol, scale)


def check_saved(case, js):
    """--save-grad DIR: DIR/OUT.npy and DIR/dOUT_dNAME.npy, float64 in C
    order, hold exactly the numbers the JSON shows."""
    def load(name):
        path = os.path.join(case.save_dir, name + '.npy')
        try:
            a = np.load(path)
        except (OSError, ValueError) as e:
            raise Failure('--save-grad: cannot read %s: %s' % (path, e))
        if a.dtype != np.float64 or not a.flags.c_contiguous:
            raise Failure('--save-grad: %s is %s, not float64 in C order' % (path, a.dtype))
        return a
    out = case.outname
    compare('--save-grad %s.npy' % out, js['value'], load(out), 0, 0)
    for n, g in js['gradient'].items():
        compare('--save-grad d%s_d%s.npy' % (out, n), g, load('d%s_d%s' % (out, n)), 0, 0)


def flat(v):
    """A JSON number or nested array, flattened in row-major order."""
    return [float(x) for x in as_array(v).reshape(-1)]


def shape_text(shape):
    return 'x'.join(map(str, shape)) if shape else '()'


def indices(shape):
    return [','.join(map(str, i)) for i in np.ndindex(*shape)] if shape else ['']


def scalar_csv_rows(js):
    """The rows of a program of scalars, as -o csv always wrote them: one
    per (node, input) pair, a leaf's with empty input columns."""
    want = []
    for nd in js['nodes']:
        g = float(nd['grad']) if 'grad' in nd else None
        for ed in nd['inputs'] or [None]:
            want.append((nd['id'], '' if ed is None else str(ed['id']), float(nd['value']), g,
                         None if ed is None else float(ed['downstream'])))
    return want


def check_session(case, js):
    """The same program typed into a session (nabla reading a script on
    stdin): :grad of the output, against the same references."""
    if torch is not None:
        check_torch(case, js, repl=True)
    check_indices(case, js, repl=True)
    check_numpy(case, js, True, repl=True)


def check_csv(js, text, err, values_only):
    """-o csv holds the JSON's nodes and edges, one row per element in
    row-major order (shape and index columns): node rows with value and
    gradient, each followed by its edge rows with the downstream gradient
    in the input's shape; a program of scalars, as it always did.  A
    tensor output without --upstream: values only (exit 0), and a hint
    on stderr."""
    rows = list(csvmod.DictReader(io.StringIO(text)))
    if values_only:
        if '--upstream' not in err:
            raise Failure('values only, and stderr does not name --upstream: %r' % err)
        js = {k: v for k, v in js.items() if k != 'gradient'}
        js['nodes'] = [dict({k: v for k, v in nd.items() if k != 'grad'},
                            inputs=[{k: v for k, v in ed.items() if k != 'downstream'}
                                    for ed in nd['inputs']])
                       for nd in js['nodes']]
    num = (lambda t: None if t == '' else float(t))
    if 'shapes' not in js:
        want = scalar_csv_rows(js)
        got = [(int(r['node']), r['input'], num(r['value']), num(r['grad']),
                num(r['downstream'])) for r in rows]
        if 'shape' in (rows[0] if rows else {}) or got != want:
            raise Failure('-o csv of scalars is %s, the JSON says %s' % (got, want))
        return
    want = []
    nodes = {nd['id']: nd for nd in js['nodes']}
    for nd in js['nodes']:
        sh = nd.get('shape', [])
        grads = flat(nd['grad']) if 'grad' in nd else [None] * len(indices(sh))
        for ix, v, g in zip(indices(sh), flat(nd['value']), grads):
            want.append((nd['id'], '', shape_text(sh), ix, v, g))
        for ed in nd['inputs']:
            ish = nodes[ed['id']].get('shape', [])
            downs = flat(ed['downstream']) if 'downstream' in ed else [None] * len(indices(ish))
            for ix, dn in zip(indices(ish), downs):
                want.append((nd['id'], str(ed['id']), shape_text(ish), ix, None, dn))
    if len(rows) != len(want):
        raise Failure('-o csv has %d rows, the JSON makes %d' % (len(rows), len(want)))
    for k, (r, w) in enumerate(zip(rows, want)):
        got = (int(r['node']), r['input'], r['shape'], r['index'], num(r['value']),
               num(r['grad'] if w[1] == '' else r['downstream']))
        if got != w:
            raise Failure('-o csv row %d is %s, the JSON says %s' % (k + 2, got, w))


def run_nabla(case):
    runs = []
    for argv in (case.argv, case.jac_argv, case.csv_argv, case.repl_script):
        if argv is None:
            continue
        stdin = None
        if argv is case.repl_script:
            stdin, argv = argv, [NABLA]
        try:
            r = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60)
            runs.append((r.returncode, r.stdout, r.stderr, argv))
        except subprocess.TimeoutExpired:
            runs.append((None, '', 'timed out', argv))
    return runs


def main():
    rng = random.Random(SEED)
    save_root = tempfile.mkdtemp(prefix='nabla-tensor-')
    atexit.register(shutil.rmtree, save_root, True)
    cases = [Case(i + 1, rng, save_root) for i in range(COUNT)]
    print('1..%d' % (COUNT + 1))
    print('# seed %d, %d programs, references: %s' % (
        SEED, COUNT, 'torch %s and numpy' % torch.__version__ if torch else 'numpy only'))
    failed = cd_runs = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        results = pool.map(run_nabla, cases)
        for case, runs in zip(cases, results):
            argv = case.argv
            try:
                for rc, out, err, argv in runs:
                    if rc != 0:
                        raise Failure('exit status %s: %s' % (rc, err.strip()[:600]))
                js = json.loads(runs[0][1])
                argv = case.argv
                if torch is not None:
                    check_torch(case, js)
                check_indices(case, js)
                cd_runs += check_numpy(case, js, case.number % CD_EVERY == 0)
                if case.save_dir:
                    check_saved(case, js)
                for rc, out, err, argv in runs[1:]:
                    if argv is case.jac_argv:
                        check_jacobian(case, json.loads(out))
                    elif argv is case.csv_argv:
                        check_csv(js, out, err, bool(case.out_shape))
                    else:
                        check_session(case, json.loads(out))
                print('ok %d - program %d' % (case.number, case.number))
            except (Failure, ValueError, KeyError, TypeError) as e:
                failed += 1
                print('not ok %d - program %d' % (case.number, case.number))
                for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                    print('# ' + line)
                print('# program:')
                for line in case.text.splitlines():
                    print('#   ' + line)
                if argv == [NABLA]:
                    print('# a session (nabla < SCRIPT), SCRIPT:')
                    for line in case.repl_script.splitlines():
                        print('#   ' + line)
                else:
                    print('# command: ' + case.command(argv))
    enough = cd_runs * 3 >= COUNT // CD_EVERY
    print('%s %d - central differences ran on %d programs (of %d asked; the rest near a kink'
          ' or shifted)'
          % ('ok' if enough else 'not ok', COUNT + 1, cd_runs, COUNT // CD_EVERY))
    return 1 if failed or not enough else 0


if __name__ == '__main__':
    sys.exit(main())
