#!/usr/bin/env python3
"""tests/tensor_hvp.py - second order on tensor programs, as TAP:
nabla's --hvp and --hessian against PyTorch and against central
differences of nabla's own gradient.

The programs are tests/tensor_gen.py's random tensor programs (every op,
broadcasting, forks, named intermediates, index inputs).  Second order
is of a scalar: a program with a tensor output y and a random literal U
gets a last statement Lh = sum(U * y), or (every other such program) runs
with --upstream U, whose second order is that of sum(U * y) too.  Each
program runs as

  nabla -o json --hvp NAME=V,... [--upstream U] -- PROGRAM BINDINGS

with a random direction V for every float input (index inputs get none:
their H.v must be zeros), and is checked against
  (a) PyTorch float64 double backward (the gradient of grad L . V), when
      `torch` is importable: H.v to rel 1e-9, every element;
  (b) central differences of nabla's gradient along V,
      (grad L(x + hV) - grad L(x - hV)) / 2h with h = 1e-5, from two more
      runs of nabla -o json: to rel 1e-6.  The truncation error is
      h^2/6 |L''''| ~ 1e-10 and the rounding u |grad| / h ~ 1e-11 of the
      scale, so 1e-6 leaves room while a wrong rule is off by O(1).  Like
      tests/tensor_diff.py, programs near a kink, shifted by 1000 or past
      1e4 skip them.
Every 3rd program with at most 40 input elements also runs --hessian:
the matrix (rows and columns the input elements in nabla's order) must be
symmetric to rel 1e-10 (each entry is computed twice, by different
sweeps) and equal PyTorch's torch.autograd.functional.hessian to rel
1e-9.  "rel T" is |nabla - ref| <= T * (|ref| + scale), scale being the
largest magnitude of the reference's numbers, of the gradient (whose
rounding the second-order sums inherit) and of the upstream U (1 for a
scalar output), as tests/tensor_diff.py scales gradients: rounding errors
are relative to the magnitudes a result is computed from, and a Hessian
that is 0 (sum(softmax(z)) is constant) comes out as rounding noise.  Programs whose value, gradient
or H.v is not finite are skipped; a near tie of a max or min too.

Usage: NABLA=src/nabla tests/tensor_hvp.py [SEED [COUNT]]
Environment: NABLA_HVP_COUNT (programs, default 300), NABLA_HVP_SEED,
NABLA_TENSOR_JOBS (nabla processes at once, default 2),
NABLA_TENSOR_TORCH=0 (central differences alone).
"""
import concurrent.futures
import json
import os
import random
import subprocess
import sys

from tensor_ref import NumpyBackend, TorchBackend, np, torch
from tensor_gen import fmt_tensor
from tensor_diff import Case, Failure, as_array, cd_applies, near_tie

NABLA = os.environ.get("NABLA", "./src/nabla")
SEED = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("NABLA_HVP_SEED", "1"))
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("NABLA_HVP_COUNT", "300"))
JOBS = int(os.environ.get("NABLA_TENSOR_JOBS", "2"))
HESSIAN_EVERY = 3
HESSIAN_MAX = 40

HVP_TOL = 1e-9
SYM_TOL = 1e-10
CD_TOL = 1e-6
CD_H = 1e-5


def compare(what, got, ref, tol, scale):
    got = np.asarray(got, dtype=np.float64)
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


class HvpCase:
    """A program of tensor_diff.Case made scalar, a direction, its runs."""

    def __init__(self, number, rng):
        self.c = Case(number, rng, '')
        c = self.c
        self.number = number
        self.text = c.text
        self.up = None
        self.upstream = []
        if c.out_shape:
            self.up = np.array([rng.choice([-1.5, -1, -0.5, 0.5, 1, 2])
                                for _ in range(int(np.prod(c.out_shape)))]).reshape(c.out_shape)
        if c.out_shape and number % 2 == 0:
            self.upstream = ['--upstream', fmt_tensor(self.up.tolist())]
        elif c.out_shape:
            last = c.stmts[-1][1].text
            if '%s = %s' % (c.outname, last) not in self.text:
                at = self.text.rfind(last)
                self.text = self.text[:at] + 'f = ' + self.text[at:]
            self.text += '\nLh = sum(%s * %s)' % (fmt_tensor(self.up.tolist()), c.outname)
        self.floats = sorted(c.inputs)
        self.dir = {n: np.array([rng.uniform(-1, 1) for _ in range(int(np.prod(c.inputs[n])))]
                                ).reshape(c.inputs[n]) for n in self.floats}
        self.empty = not self.floats
        self.with_hessian = (number % HESSIAN_EVERY == 0 and
                             sum(int(np.prod(s)) for s in c.inputs.values()) <= HESSIAN_MAX)

    def consts(self):
        """The inputs the program binds itself (c1 = [...], tensor_gen's
        names c<N>): the shifted runs move them in the text."""
        return [n for n in self.c.inputs if n.startswith('c')]

    def binds(self, shift=0.0):
        c = self.c
        out = ['%s=%s' % (n, fmt_tensor((c.values[n] + shift * self.dir[n]).tolist()))
               for n in sorted(c.inputs) if n not in self.consts()]
        return out + ['%s=%s' % (n, fmt_tensor(c.indices[n])) for n in sorted(c.indices)]

    def shifted_text(self, shift):
        text = self.text
        for n in self.consts():
            v = self.c.values[n]
            old = '%s = %s' % (n, fmt_tensor(v.tolist()))
            if old not in text:
                raise Failure('no binding %r in the program' % old)
            text = text.replace(old, '%s = %s' % (n, fmt_tensor((v + shift * self.dir[n]).tolist())), 1)
        return text

    def direction(self):
        return ','.join('%s=%s' % (n, fmt_tensor(self.dir[n].tolist())) for n in self.floats)

    def argvs(self):
        up = self.upstream
        runs = [[NABLA, '-o', 'json', '--hvp', self.direction()] + up + ['--', self.text] +
                self.binds()]
        for s in (CD_H, -CD_H):
            runs.append([NABLA, '-o', 'json'] + up + ['--', self.shifted_text(s)] + self.binds(s))
        if self.with_hessian:
            runs.append([NABLA, '-o', 'json', '--hessian'] + up + ['--', self.text] + self.binds())
        return runs


def run(case):
    out = []
    if case.empty:
        return out
    for argv in case.argvs():
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=60)
            out.append((r.returncode, r.stdout, r.stderr, argv))
        except subprocess.TimeoutExpired:
            out.append((None, '', 'timed out', argv))
    return out


def by_input(records, key):
    """name -> array in the input's shape, from records of (input, index)."""
    vals = {}
    for r in records:
        vals.setdefault(r['input'], []).append((tuple(r.get('index', [])), float(r[key])))
    out = {}
    for n, items in vals.items():
        shape = tuple(k + 1 for k in items[-1][0])
        a = np.zeros(shape)
        for i, v in items:
            a[i] = v
        out[n] = a
    return out


def as_numpy(t):
    """A tensor's numbers.  Double backward may return an "efficient
    zero tensor" with no storage, whose numpy() reads memory that is not
    its value (tensor(0.) became 1.0 in Debian's torch 1.13) and whose
    tolist() refuses: + 0 makes an ordinary tensor."""
    return np.array((t.detach() + 0).tolist(), dtype=np.float64)


def torch_loss(case, values):
    c = case.c
    B = TorchBackend()
    env = c.env(B, {})
    env.update(values)
    out = c.forward(B, env)
    up = torch.tensor(case.up if case.up is not None else 1.0)
    return (out * up).sum()


def torch_hvp(case):
    c = case.c
    values = {n: torch.tensor(c.values[n], requires_grad=True) for n in case.floats}
    leaves = [values[n] for n in case.floats]
    loss = torch_loss(case, values)
    if not loss.requires_grad:
        return {n: np.zeros(c.inputs[n]) for n in case.floats}
    gs = torch.autograd.grad(loss, leaves, create_graph=True, allow_unused=True)
    dot = sum((g * torch.tensor(case.dir[n])).sum() for n, g in zip(case.floats, gs)
              if g is not None)
    if not torch.is_tensor(dot) or not dot.requires_grad:
        return {n: np.zeros(c.inputs[n]) for n in case.floats}
    hv = torch.autograd.grad(dot, leaves, allow_unused=True)
    return {n: np.zeros(c.inputs[n]) if h is None else as_numpy(h)
            for n, h in zip(case.floats, hv)}


def torch_hessian(case, order):
    """PyTorch's Hessian over the elements of `order` ((name, index) pairs,
    nabla's rows); an index input's rows and columns are zeros."""
    c = case.c
    flo = [(k, n, i) for k, (n, i) in enumerate(order) if n in case.floats]
    x0 = torch.tensor([float(np.asarray(c.values[n])[i]) for _, n, i in flo])

    def f(x):
        vals = {n: torch.tensor(c.values[n]).clone() for n in case.floats}
        vals = {n: v.reshape(-1) * 0 + v.reshape(-1) for n, v in vals.items()}
        parts = {n: [vals[n][j] for j in range(vals[n].numel())] for n in case.floats}
        for k, (_, n, i) in enumerate(flo):
            j = int(np.ravel_multi_index(i, c.inputs[n])) if c.inputs[n] else 0
            parts[n][j] = x[k]
        env = {n: torch.stack(p).reshape(c.inputs[n]) if p else torch.zeros(c.inputs[n])
               for n, p in parts.items()}
        return torch_loss(case, env)
    h = as_numpy(torch.autograd.functional.hessian(f, x0))
    full = np.zeros((len(order), len(order)))
    for a, (ka, _, _) in enumerate(flo):
        for b, (kb, _, _) in enumerate(flo):
            full[ka, kb] = h[a, b]
    return full


def check_hvp(case, js):
    c = case.c
    recs = js.get('hvp')
    if not isinstance(recs, list):
        raise Failure('no "hvp" records in the JSON')
    hv = by_input(recs, 'Hv')
    grad = by_input(recs, 'grad')
    for n in c.indices:
        if n in hv:
            compare('H.v of the index input %s' % n, hv[n], np.zeros(np.shape(hv[n])), 0, 0)
    if 'Hv' in js:
        for n, v in js['Hv'].items():
            compare('"Hv" of %s against its records' % n, as_array(v).reshape(hv[n].shape),
                    hv[n], 0, 0)
    finite = all(np.all(np.isfinite(a)) for a in list(hv.values()) + list(grad.values()))
    return hv, grad, finite


def check(case, runs):
    c = case.c
    if case.empty:
        return 'skip: no input to move'
    for rc, out, err, argv in runs:
        if rc != 0:
            raise Failure('exit status %s: %s' % (rc, err.strip()[:600]))
    js = json.loads(runs[0][1])
    hv, grad, finite = check_hvp(case, js)
    if case.upstream:
        check_value(case, js)
    if not finite or not np.all(np.isfinite(as_array(js['value']))):
        return 'skip: not finite'
    if near_tie(c):
        return 'skip: a near tie'
    upscale = float(np.max(np.abs(case.up))) if case.up is not None else 1.0
    gscale = max([float(np.max(np.abs(g))) for g in grad.values() if g.size] + [upscale])
    ran = []
    if torch is not None:
        ref = torch_hvp(case)
        scale = max([float(np.max(np.abs(r))) for r in ref.values() if r.size] + [gscale])
        for n in case.floats:
            compare('(H.v)_%s (torch)' % n, hv[n].reshape(c.inputs[n]), ref[n], HVP_TOL, scale)
        ran.append('torch')
    B = NumpyBackend()
    with np.errstate(all='ignore'):
        c.forward(B, c.env(B, c.values))
    if cd_applies(B):
        g_up = json.loads(runs[1][1])['gradient']
        g_dn = json.loads(runs[2][1])['gradient']
        cd = {n: (as_array(g_up[n]) - as_array(g_dn[n])) / (2 * CD_H) for n in case.floats}
        scale = max([float(np.max(np.abs(r))) for r in cd.values() if r.size] + [gscale, 1.0])
        for n in case.floats:
            compare('(H.v)_%s (central differences of the gradient)' % n,
                    hv[n].reshape(c.inputs[n]), cd[n], CD_TOL, scale)
        ran.append('cd')
    if case.with_hessian:
        ran.append(check_hessian(case, json.loads(runs[3][1]), gscale))
    return ', '.join(ran)


def check_value(case, js):
    """With --upstream U the report's value is sum(U * y), as --check's;
    NumPy's sum of the products of the plain run's values, to rel 1e-12
    (the sums' orders differ)."""
    B = NumpyBackend()
    with np.errstate(all='ignore'):
        y = np.asarray(case.c.forward(B, case.c.env(B, case.c.values)), dtype=np.float64)
        want = float(np.sum(case.up * y))
    if np.isfinite(want):
        compare('"value", sum(U * y)', float(js['value']), want, 1e-12,
                float(np.sum(np.abs(case.up * y))))


def check_hessian(case, js, gscale):
    rows = js.get('hessian')
    if not isinstance(rows, list):
        raise Failure('no "hessian" records in the JSON')
    order = [(r['input'], tuple(r.get('index', []))) for r in rows]

    def colname(n, i):
        return 'd/d%s%s' % (n, '[%s]' % ','.join(map(str, i)) if i else '')
    h = np.array([[float(r[colname(n, i)]) for n, i in order] for r in rows])
    scale = max(float(np.max(np.abs(h))) if h.size else 0.0, gscale)
    compare('--hessian H against H.T', h, h.T, SYM_TOL, scale)
    for k, (n, i) in enumerate(order):
        if n in case.c.indices:
            compare('--hessian row of the index input %s' % n, h[k], np.zeros(len(order)), 0, 0)
    if torch is None:
        return 'hessian symmetric'
    ref = torch_hessian(case, order)
    scale = max(float(np.max(np.abs(ref))) if ref.size else 0.0, scale)
    compare('--hessian (torch)', h, ref, HVP_TOL, scale)
    return 'hessian %dx%d' % h.shape


def main():
    rng = random.Random(SEED)
    cases = [HvpCase(i + 1, rng) for i in range(COUNT)]
    print('1..%d' % (COUNT + 1))
    print('# seed %d, %d programs, references: %s' % (
        SEED, COUNT, 'torch %s and central differences' % torch.__version__
        if torch else 'central differences only'))
    failed = checked = 0
    print('# %d programs with a tensor output run with --upstream' %
          sum(1 for c in cases if c.upstream))
    with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
        for case, runs in zip(cases, pool.map(run, cases)):
            argv = runs[0][3] if runs else []
            try:
                what = check(case, runs)
                checked += not what.startswith('skip')
                print('ok %d - program %d: %s' % (case.number, case.number, what or 'ran'))
            except (Failure, ValueError, KeyError, TypeError) as e:
                failed += 1
                print('not ok %d - program %d' % (case.number, case.number))
                for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                    print('# ' + line)
                print('# command: ' + ' '.join("'%s'" % a.replace("'", "'\\''") for a in argv))
    enough = checked * 10 >= COUNT * 7
    print('%s %d - %d of %d programs checked (the rest not finite, at a near tie or without inputs)'
          % ('ok' if enough else 'not ok', COUNT + 1, checked, COUNT))
    return 1 if failed or not enough else 0


if __name__ == '__main__':
    sys.exit(main())
