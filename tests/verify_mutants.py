#!/usr/bin/env python3
"""tests/verify_mutants.py - nabla --verify against mutated backward passes.

The corpus: the seeds' backward passes (tests/verify/*.py), and one
program per function of the op table (`nabla --list-functions`), whose
backward pass is the one `nabla --emit python` writes, as a student
would.  Each must pass as it is.  Then every line of each is mutated by
each classic mistake that applies to it, and nabla must call exactly
that line wrong, with that mistake's reason.  A mutant that does not
change the line's number (a sign flip of a 0) is not a mistake and is
left out: the script computes every line's value itself, in Python.

Then the same on vectors and matrices: the seeds' vectorised backward
passes (tests/verify/matmul.py, net.py, batch.py, fork-tensor.py), each
line mutated by the classic mistakes of tensors (the operands of '@'
swapped, a transpose dropped, an outer product turned round, a
broadcast gradient not summed back, the relu gate's local gradient left
out, a sign, '=' for '+=', a branch added twice), their numbers computed
with NumPy (skipped without it).

Output is TAP, one test per program and per mutant.
Usage: verify_mutants.py (NABLA, abs_top_srcdir from the environment)
"""
import json
import math
import os
import re
import subprocess
import sys

NABLA = os.environ.get("NABLA", "./src/nabla")
SRCDIR = os.environ.get("abs_top_srcdir", ".")
WORKDIR = os.environ.get("TMPDIR", "/tmp")

# The seeds, with the values their notes use, and the fix of the notes'
# own bug (their last line reads grad_w0 for grad_s0).
SEEDS = [
    ("cs231n.py", {}, None),
    ("neuron-notes.py", {"w0": 2, "x0": -1, "w1": -3, "x1": -2, "w2": -3},
     ("grad_x0 = grad_w0 * w0", "grad_x0 = grad_s0 * w0")),
]
# The op table's programs: u is a fork, so that += is needed.
OPS_BINDINGS = {"x": 0.35, "w": 0.8, "z": 1.7}
OPS_FORWARD = "u = x * w\ny = {call}\nL = y * z + u\n"

GRAD = re.compile(r"^(d\w+|grad_\w+)\s*(\+?=)\s*(.*?)\s*(#.*)?$")
ASSIGN = re.compile(r"^(\w+)\s*=\s*(.*?)\s*(#.*)?$")
WORD = re.compile(r"[A-Za-z_]\w*")

# What nabla's reason says for each classic mistake.
REASONS = {
    "sign": "a sign error",
    "overwrite": "throws away",
    "extra upstream": "multiplied in twice",
    "missing upstream": "upstream gradient {up} is missing",
    "not swapped": "the multiply gate swaps its inputs",
    "add swapped": "an add gate passes its gradient on unchanged",
    "wrong upstream": "is not the upstream gradient here",
    "wrong value": "taken at the wrong value",
    "missing local": "the local gradient of {gate} is missing",
}


def helpers(ns):
    """nabla's functions that Python's math lacks, as the notes use them."""
    ns.update({k: getattr(math, k) for k in dir(math) if k[0] != "_"})
    ns.update(sigmoid=lambda a: 1 / (1 + math.exp(-a)),
              relu=lambda a: a if a > 0 else 0.0,
              softplus=lambda a: math.log1p(math.exp(a)),
              sign=lambda a: float((a > 0) - (a < 0)),
              mul0=lambda a, b: 0.0 if a == 0 or b == 0 else a * b,
              step=lambda a: float(a > 0),
              eq=lambda a, b: float(a == b),
              sum=lambda *a: math.fsum(a),
              mean=lambda *a: math.fsum(a) / len(a))


def python(expr):
    """A nabla expression as Python: ^ is **, math. functions are bare."""
    return expr.replace("^", "**").replace("math.", "")


def inputs_of(fwd):
    """The forward program's names that no statement assigns."""
    return {w for e in fwd.values() for w in WORD.findall(
        re.sub(r"\b\w+\s*\(|math\.|\d+\.?\d*(e[-+]?\d+)?", " ", e))} - set(fwd)


def split(lines):
    """(forward {name: expr}, output name, backward [(index, target, op,
    rhs)]) of a program's lines; the inputs are in fwd as None."""
    fwd, out, back = {}, None, []
    for i, line in enumerate(lines):
        m = GRAD.match(line)
        base = m and re.sub(r"^(grad_|d)", "", m.group(1))
        if m and not back:
            fwd.update(dict.fromkeys(inputs_of(fwd)))
        if m and base in fwd:
            back.append((i, m.group(1), m.group(2), m.group(3)))
            continue
        m = ASSIGN.match(line)
        if m and not back:
            fwd[m.group(1)] = m.group(2)
            out = m.group(1)
    return fwd, out, back


def values(lines, bindings):
    """The namespace before each line, computed in Python."""
    ns = dict(bindings)
    helpers(ns)
    before = []
    for line in lines:
        before.append(dict(ns))
        code = line.split("#")[0].strip()
        if code:
            exec(python(code), ns)
    return before


def grads_read(rhs, fwd):
    return [w for w in WORD.findall(rhs)
            if re.sub(r"^(grad_|d)", "", w) in fwd and w != re.sub(
                r"^(grad_|d)", "", w) and w not in fwd]


def upstream(target, rhs, fwd, ns):
    """The value of the one gradient the line reads, or None."""
    ups = grads_read(rhs, fwd)
    return ns[ups[0]] if len(ups) == 1 and ups[0] != target else None


def names_in(expr):
    return set(WORD.findall(expr))


def mutants(target, op, rhs, fwd, out, ns):
    """(kind, op, rhs, reason) for each classic mistake that applies."""
    prefix = "grad_" if target.startswith("grad_") else "d"
    base = target[len(prefix):]
    ups = grads_read(rhs, fwd)
    up = ups[0] if len(ups) == 1 else None
    gate = up[len(prefix):] if up else (out if base in names_in(fwd[out])
                                        else None)
    yield "sign", op, "-(%s)" % rhs, REASONS["sign"]
    if op == "+=":
        yield "overwrite", "=", rhs, REASONS["overwrite"]
    if up and abs(ns[up]) not in (0.0, 1.0):
        yield "extra upstream", op, "(%s) * %s" % (rhs, up), \
            REASONS["extra upstream"]
        if abs(ns[up]) != 1.0:
            yield "missing upstream", op, re.sub(r"\b%s\b" % up, "1", rhs), \
                REASONS["missing upstream"].format(up=up)
    if up and rhs.strip() != up and gate:
        yield "missing local", op, up, REASONS["missing local"].format(
            gate="%s = %s" % (gate, re.sub(r"^math\.", "", fwd[gate])))
    if up:
        for other in ns.get("__grads__", []):
            user = base in names_in(fwd[other[len(prefix):]] or "")
            if other not in (up, target) and ns[other] != ns[up] and \
                    not user:
                yield "wrong upstream", op, \
                    re.sub(r"\b%s\b" % up, other, rhs), \
                    REASONS["wrong upstream"]
                break
    if not gate:
        return
    factors = re.fullmatch(r"\s*(\w+)\s*([*+])\s*(\w+)\s*", fwd[gate])
    inputs = names_in(fwd[gate]) & set(fwd)
    if factors and base in (factors.group(1), factors.group(3)):
        other = factors.group(3 if base == factors.group(1) else 1)
        if factors.group(2) == "*" and re.search(r"\b%s\b" % other, rhs):
            yield "not swapped", op, re.sub(r"\b%s\b" % other, base, rhs), \
                REASONS["not swapped"]
        if factors.group(2) == "+" and up:
            yield "add swapped", op, "%s * %s" % (other, up), \
                REASONS["add swapped"]
    if factors and factors.group(2) == "*":
        return          # a swap of a product's factor is "not swapped"
    for a in sorted(({gate} | inputs) & names_in(rhs)):
        for b in sorted(({gate} | inputs) - {a}):
            yield "wrong value", op, re.sub(r"\b%s\b" % a, b, rhs), \
                REASONS["wrong value"]
            break
        break


def verify(path, bindings):
    args = [NABLA, "--verify", path, "-o", "json"] + [
        "%s=%r" % kv for kv in bindings.items()]
    r = subprocess.run(args, capture_output=True, text=True)
    report = json.loads(r.stdout) if r.returncode in (0, 1) else None
    return r.returncode, report, r.stderr


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, what, why=""):
        self.n += 1
        self.failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, what))
        if not ok:
            for line in why.splitlines():
                print("# " + line)

    def skip(self, what, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, what, why))


def changes(old_op, old, new_op, new, prev):
    """Whether a mutant changes what its target holds after the line
    (prev before it)."""
    after_old = old + prev if old_op == "+=" else old
    after_new = new + prev if new_op == "+=" else new
    scale = max(abs(after_old), abs(after_new), abs(old), abs(new), 1e-300)
    return abs(after_old - after_new) > 1e-6 * scale


def near(a, b):
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-300)


def ambiguous(kind, old, new, branches, up, own):
    """Whether the mutant's number is, by coincidence, a right one (the
    gradient through another branch, or 0, right for a branch whose gate
    stops the gradient) or a stronger mistake's (a sign error; the
    upstream gradient alone, as when the local one is missing; the
    upstream times the target's own value, as when a multiply gate is not
    swapped): then the reason cannot be told from the numbers."""
    return any(near(new, b) for b in branches + [0.0]) or (
        kind not in ("sign", "wrong upstream") and near(new, -old)) or (
        up is not None and kind != "missing local" and near(new, up)) or (
        up is not None and kind != "not swapped" and near(new, up * own))


def run_mutants(tap, name, lines, bindings):
    fwd, out, back = split(lines)
    before = values(lines, bindings)
    seen = []
    branches = {}
    for i, target, op, rhs in back:
        branches.setdefault(target, []).append(
            (i, eval(python(rhs), before[i])))
    for i, target, op, rhs in back:
        ns = before[i]
        ns["__grads__"] = list(seen)
        old = eval(python(rhs), ns)
        others = [b for j, b in branches[target] if j != i]
        for kind, mop, mrhs, reason in mutants(target, op, rhs, fwd, out,
                                               ns):
            try:
                new = eval(python(mrhs), ns)
            except (ValueError, ZeroDivisionError):
                new = math.nan
            if not math.isfinite(new):
                tap.skip("%s line %d %s" % (name, i + 1, kind),
                         "its number is not finite")
                continue
            if not changes(op, old, mop, new, ns.get(target, 0.0)):
                continue
            if re.sub(r"^(grad_|d)", "", target) == out:
                reason = "the backward pass starts at the output"
            elif ambiguous(kind, old, new, others, upstream(
                    target, rhs, fwd, ns), ns[re.sub(r"^(grad_|d)", "",
                                                     target)]):
                tap.skip("%s line %d %s" % (name, i + 1, kind),
                         "its number is also a right one or a sign error")
                continue
            mutant = list(lines)
            mutant[i] = "%s %s %s" % (target, mop, mrhs)
            caught(tap, "%s line %d %s: %s" % (name, i + 1, kind, mutant[i]),
                   mutant, bindings, i + 1, "wrong", reason)
        if target not in seen:
            seen.append(target)
    fork_mutants(tap, name, lines, bindings, back, branches)


def caught(tap, what, mutant, bindings, line, verdict, reason):
    """Checks that nabla calls line of mutant, first, verdict for reason."""
    path = os.path.join(WORKDIR, "nabla-mutant-%d.py" % os.getpid())
    with open(path, "w") as f:
        f.write("\n".join(mutant) + "\n")
    status, report, err = verify(path, bindings)
    os.remove(path)
    bad = report and [r for r in report["lines"]
                      if r["verdict"] not in ("correct", "carried")]
    said = bad[0]["reason"] if bad else ""
    ok = (status == 1 and bad and bad[0]["line"] == line and
          bad[0]["verdict"] == verdict and
          (reason.search(said) if hasattr(reason, "search")
           else reason in said))
    tap.check(ok, what, "exit %d\n%s%s" % (
        status, err, json.dumps(bad[0] if bad else report)))


def fork_mutants(tap, name, lines, bindings, back, branches):
    """The fork rule broken: a branch added twice (a line repeated with
    +=), and a gradient read before its last branch is added (a reader
    moved up, before that line)."""
    fwd, out = split(lines)[:2]
    for i, target, op, rhs in back:
        value = [b for j, b in branches[target] if j == i][0]
        if target[-len(out):] != out and value != 0 and not any(near(value, b) for j, b in
                                  branches[target] if j != i):
            mutant = lines[:i + 1] + ["%s += %s" % (target, rhs)] + \
                lines[i + 1:]
            caught(tap, "%s line %d added twice" % (name, i + 2), mutant,
                   bindings, i + 2, "wrong",
                   "was already added at line %d" % (i + 1))
    first = {}
    for i, target, op, rhs in back:
        first.setdefault(target, i)
    for i, target, op, rhs in back:
        read = [g for g in grads_read(rhs, fwd) if g != target]
        if op != "=" or first[target] != i or len(read) != 1:
            continue
        last = max(j for j, b in branches[read[0]])
        if last < i and first[read[0]] < last and all(
                near(b, 0) is False for j, b in branches[read[0]]
                if j == last):
            mutant = lines[:last] + [lines[i]] + lines[last:i] + \
                lines[i + 1:]
            caught(tap, "%s line %d read before line %d" % (
                name, i + 1, last + 1), mutant, bindings, last + 1,
                "premature", "before all of its gradient has arrived")


def passes(tap, name, path, bindings):
    status, report, err = verify(path, bindings)
    tap.check(status == 0 and report["correct"] == report["total"] > 0,
              "%s passes as written" % name, "exit %d\n%s" % (status, err))
    return status == 0


def functions():
    """(name, arity) of every function of the op table."""
    r = subprocess.run([NABLA, "--list-functions"], capture_output=True,
                       text=True, check=True)
    for line in r.stdout.splitlines()[1:]:
        m = re.match(r"(\w+)\((a(, b)?(, \.\.\.)?)\)", line)
        if m:
            yield m.group(1), 1 + bool(m.group(3)) + bool(m.group(4))


def emitted(call):
    """The op's program: nabla's forward, then the backward pass that
    --emit python writes, in nabla's names (nb_sigmoid is sigmoid); None
    when --emit refuses it (a tensor function)."""
    fwd = OPS_FORWARD.format(call=call)
    r = subprocess.run([NABLA, "--emit", "python", fwd], capture_output=True,
                       text=True)
    if r.returncode != 0:
        return None
    body = r.stdout.split("\n\n    grad_", 1)[1].split("\n    return")[0]
    back = ["grad_" + body.split("\n")[0]] + [
        l.strip() for l in body.split("\n")[1:]]
    head = r.stdout.split("\n\n    grad_")[0].split("\ndef L(")[1]
    head = head.split("):\n", 1)[1]
    forward = [l.strip() for l in head.splitlines() if l.strip()]
    return [re.sub(r"\bnb_(\w+)\(", r"\1(", l) for l in forward + back]


# The vectorised passes, and what nabla's reason says for each mistake.
TENSOR_SEEDS = ["matmul.py", "net.py", "batch.py", "fork-tensor.py"]
TENSOR_REASONS = {
    "sign": "a sign error",
    "overwrite": "throws away",
    "operands swapped": "the operands of '@' are swapped",
    "transpose dropped": "a transpose is missing",
    "outer turned round": "this is the gradient transposed",
    "not summed back": "its gradient must be summed back",
    "relu gate left out": "the local gradient of h = max(0, z) is missing",
}
PRODUCT = re.compile(r"^(\w+(?:\.T)?)\s*(@|\.dot\()\s*(\w+(?:\.T)?)\)?$")


def numpy_namespace(np):
    """nabla's tensor functions, as NumPy spells them."""
    def nsum(a, *rest, axis=None):
        return np.sum(a, axis=axis) if not rest else sum((a,) + rest)

    def softmax(a):
        e = np.exp(a - np.max(a))
        return e / np.sum(e)
    return {"np": np, "sum": nsum, "outer": np.outer, "sign": np.sign,
            "ones": np.ones, "log": np.log, "softmax": softmax,
            "onehot": lambda i, n: np.eye(n)[int(i)],
            "max": lambda a, b: np.maximum(a, b)}


def tensor_values(np, lines):
    """The namespace before each line, computed with NumPy."""
    ns = numpy_namespace(np)
    before = []
    for line in lines:
        before.append(dict(ns))
        code = line.split("#")[0].strip()
        if code:
            exec(code, ns)
            for k, v in list(ns.items()):
                if isinstance(v, list):
                    ns[k] = np.array(v, dtype=float)
    return before


def tensor_mutants(op, rhs):
    """(kind, op, rhs) for each classic tensor mistake that applies."""
    yield "sign", op, "-(%s)" % rhs
    if op == "+=":
        yield "overwrite", "=", rhs
    m = PRODUCT.match(rhs)
    if m:
        a, b = m.group(1), m.group(3)
        yield "operands swapped", op, "%s @ %s" % (b, a)
        for k, x in ((1, a), (3, b)):
            if x.endswith(".T"):
                yield "transpose dropped", op, "%s @ %s" % (
                    x[:-2] if k == 1 else a, b if k == 1 else x[:-2])
    m = re.match(r"^outer\((\w+), (\w+)\)$", rhs)
    if m:
        yield "outer turned round", op, "outer(%s, %s)" % (m.group(2),
                                                          m.group(1))
    m = re.match(r"^(?:np\.)?sum\((\w+), axis=0\)$", rhs)
    if m:
        yield "not summed back", op, m.group(1)
    m = re.match(r"^(\w+) \* sign\(h\)$", rhs)
    if m:
        yield "relu gate left out", op, m.group(1)


def tensor_changes(np, ns, rhs, mrhs):
    """Whether the mutant's right side has another value (or none)."""
    try:
        new = np.asarray(eval(mrhs, dict(ns)), dtype=float)
    except ValueError:
        return True
    old = np.asarray(eval(rhs, dict(ns)), dtype=float)
    return old.shape != new.shape or not np.allclose(old, new, rtol=1e-6,
                                                     atol=0)


def run_tensor_mutants(tap, np, name, lines):
    back = [(i, m.group(1), m.group(2), m.group(3))
            for i, m in enumerate(GRAD.match(l) for l in lines)
            if m and not re.match(r"^d\w+ = (1|\[)", lines[i])]
    before = tensor_values(np, lines)
    for i, target, op, rhs in back:
        for kind, mop, mrhs in tensor_mutants(op, rhs):
            if not tensor_changes(np, before[i], rhs, mrhs):
                continue
            mutant = list(lines)
            mutant[i] = "%s %s %s" % (target, mop, mrhs)
            reason = TENSOR_REASONS[kind]
            if kind in ("operands swapped", "transpose dropped"):
                reason = re.compile(r"swapped|a transpose is")
            caught(tap, "%s line %d %s: %s" % (name, i + 1, kind,
                                                mutant[i]),
                   mutant, {}, i + 1, "wrong", reason)
        if op == "=" and i > 0:
            mutant = lines[:i + 1] + ["%s += %s" % (target, rhs)] + \
                lines[i + 1:]
            caught(tap, "%s line %d added twice" % (name, i + 2), mutant,
                   {}, i + 2, "wrong", "was already added at line %d" % (
                       i + 1))


def tensors(tap):
    try:
        import numpy as np
    except ImportError:
        tap.skip("tensor mutants", "no NumPy")
        return
    for name in TENSOR_SEEDS:
        path = os.path.join(SRCDIR, "tests", "verify", name)
        with open(path) as f:
            lines = f.read().splitlines()
        if passes(tap, name, path, {}):
            run_tensor_mutants(tap, np, name, lines)


def main():
    tap = Tap()
    tensors(tap)
    for name, bindings, fix in SEEDS:
        with open(os.path.join(SRCDIR, "tests", "verify", name)) as f:
            text = f.read()
        if fix:
            text = text.replace(*fix)
            name += " (fixed)"
        path = os.path.join(WORKDIR, "nabla-seed-%d.py" % os.getpid())
        with open(path, "w") as f:
            f.write(text)
        ok = passes(tap, name, path, bindings)
        os.remove(path)
        if ok:
            run_mutants(tap, name, text.splitlines(), bindings)
    for fn, arity in functions():
        call = "%s(%s)" % (fn, ", ".join(["u", "z", "x"][:arity]))
        lines = emitted(call)
        if lines is None:
            tap.skip("%s passes as written" % call,
                     "a tensor function: --emit takes scalar programs")
            continue
        path = os.path.join(WORKDIR, "nabla-op-%d.py" % os.getpid())
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        status, report, err = verify(path, OPS_BINDINGS)
        os.remove(path)
        if status == 2:
            tap.skip("%s passes as written" % call,
                     "its backward pass needs Python beyond --verify's")
            continue
        tap.check(status == 0, "%s passes as written" % call,
                  "exit %d\n%s" % (status, err))
        if status == 0 and fn == "mul0":
            # mul0(u, z) is u * z here: its local gradient in u is z, and
            # so is grad_y (L = y * z + u), so a missing local and a
            # missing upstream give the same number
            tap.skip("%s mutants" % call, "mul0's local gradient in u "
                     "equals its upstream gradient in this program")
        elif status == 0:
            run_mutants(tap, call, lines, OPS_BINDINGS)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
