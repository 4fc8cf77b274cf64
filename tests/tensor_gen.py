"""tests/tensor_gen.py - the random programs of tests/tensor_diff.py:
well-typed by construction, each rule building an expression of exactly
the shape asked for, with the text nabla reads and a function that
computes it on a reference backend (tests/tensor_ref.py)."""
import math

import numpy as np


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
