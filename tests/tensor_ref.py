"""tests/tensor_ref.py - the references of tests/tensor_diff.py: one
program evaluated by NumPy (values, and central differences of them) and
by PyTorch float64 (autograd), op by op.  Without NumPy, the test is a
SKIP; without PyTorch (or with NABLA_TENSOR_TORCH=0), torch is None."""
import math
import os
import sys

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
