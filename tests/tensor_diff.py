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
so a purely relative test would fail on correct cancellation.
T = 1e-12 is thousands of ulps: enough for differently ordered sums (BLAS), 1-ulp libm
differences and a few dozen operations; a wrong rule is off by O(1).
Central differences use h = 1e-6 * max(1, |x|): the truncation error is
O(h^2 f''') and the rounding error ~ eps * |L| / h ~ 1e-10 * |L| (scale:
max(1, sum |upstream * output|)); the worst seen, checking PyTorch's
gradients this way over 3000 programs, was 1.2e-9 relative, so 1e-7
leaves two orders of magnitude while a wrong gradient is still off by
O(1).  f''' grows with the magnitudes (cos(x^3) with x in the hundreds
turns by radians within the step), so programs with a value past 1e4 (4
in 1500) skip the central differences; PyTorch still checks them.
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

The programs come from tests/tensor_gen.py, the NumPy and PyTorch
evaluations from tests/tensor_ref.py; this file runs nabla and compares.

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
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile

from tensor_ref import NumpyBackend, TorchBackend, np, torch
from tensor_gen import Gen, fmt_tensor

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
VALUE_CAP = 1e4


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


def central(case, n, i, f):
    """The central difference of f (of all inputs' values, returning an
    array) in element i of input n."""
    v = case.values[n]
    h = 1e-6 * max(1.0, abs(float(v[i])))

    def at(step):
        w = v.copy()
        w[i] += step
        vals = dict(case.values)
        vals[n] = w
        with np.errstate(all='ignore'):
            return f(vals)
    return (at(h) - at(-h)) / (2 * h)


def cd_applies(B):
    """Whether central differences can judge the program NumPy backend B
    just ran: no kink near, no shift by 1000, no value past VALUE_CAP."""
    return B.margin >= KINK_MARGIN and B.cd_ok and B.vmax <= VALUE_CAP


def elements(v):
    return np.ndindex(*v.shape) if v.shape else [()]


def output_of(case):
    return lambda vals: case.forward(NumpyBackend(), case.env(NumpyBackend(), vals))


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
    if not with_cd or not cd_applies(B):
        return False
    up = case.upstream_or_one()
    y = output_of(case)
    loss = (lambda vals: np.sum(up * y(vals)))
    lscale = max(1.0, float(np.sum(np.abs(up * out))))
    grads = js.get('gradient', {})
    for n, v in case.values.items():
        if repl and n not in case.deps:
            continue
        cd = np.zeros(v.shape)
        for i in elements(v):
            cd[i] = central(case, n, i, loss)
        compare('d%s/d%s (central differences)' % (case.outname, n), grads.get(n), cd,
                CD_TOL, lscale)
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
    elif cd_applies(B):
        y = output_of(case)
        for n, v in case.values.items():
            ref[n] = np.zeros((rows, v.size))
            for c, i in enumerate(elements(v)):
                ref[n][:, c] = central(case, n, i, lambda vals: y(vals).reshape(-1))
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
    print('%s %d - central differences ran on %d programs (of %d asked; the rest near a kink,'
          ' shifted or past 1e4)'
          % ('ok' if enough else 'not ok', COUNT + 1, cd_runs, COUNT // CD_EVERY))
    return 1 if failed or not enough else 0


if __name__ == '__main__':
    sys.exit(main())
