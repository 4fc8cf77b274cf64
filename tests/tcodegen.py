"""tests/tcodegen.py - --symbolic, --emit python and --emit c on random tensor programs, as TAP.

The programs, bindings and upstream gradients are those of tests/tensor_diff.py
(tests/tensor_gen.py): vectors and matrices mixed, broadcasting, @ in its four
rank cases, .T, reductions with and without axis=, logsumexp, norm, dot, outer,
trace, softmax/log_softmax, indexing and gathers with repeated ids, array
literals, constructors, forks, named intermediates and program bindings.
For each program, reverse mode (`nabla -o json`) gives the reference gradients;
then
  - `nabla --symbolic` (with the same bindings and --upstream) prints a program,
    which `nabla -o json -f` evaluates: every df_dNAME must equal reverse mode's
    gradient of NAME;
  - `nabla --emit python` prints NumPy code, run here: the function, called with
    the bindings' arrays (and the upstream gradient), must return the output's
    value and every gradient equal to nabla's, and leave its arguments as they
    were;
  - `nabla --emit c` prints C, compiled with $CC (default cc) -std=c11 -pedantic
    -Wall -Wextra -Werror with a main that calls it on the bindings: the value
    and every gradient it prints must equal nabla's; every third program also
    with `--emit cblas`, linked with a CBLAS when cc finds one (-lopenblas,
    -lcblas or -lblas with <cblas.h>);
all to rel 1e-12 in the sense of tests/tensor_diff.py: |got - ref| <= 1e-12 *
(|ref| + scale), per element, scale the largest magnitude among every node's
gradient (for gradients: a gradient that cancels to about 0 keeps the rounding
of the terms it was summed from) or value (for values), since the generated
code sums and multiplies in another order than the sweeps do.  Programs whose
reference is not finite are skipped (counted in the last line), as are those
whose forward values reach 1e4 (their gradients mix magnitudes beyond what
1e-12 can compare).

Usage: NABLA=src/nabla tests/tcodegen.py [SEED [COUNT]]
Environment: NABLA_TCODEGEN_COUNT (programs, default 300).
"""
import inspect
import json
import re
import os
import random
import shlex
import subprocess
import sys
import tempfile

from tensor_diff import Case, Failure, as_array, compare, named_nodes, NABLA
from tensor_ref import np

TOL = 1e-12


def run(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode != 0:
        raise Failure('exit %d from %s:\n%s' % (p.returncode,
                                               ' '.join(shlex.quote(a) for a in argv), p.stderr))
    return p.stdout


def scale_of(arrays):
    return max([float(np.max(np.abs(a))) for a in arrays if np.size(a)] + [0.0])


def reference(case, binds):
    argv = [NABLA, '-o', 'json']
    if case.upstream is not None:
        argv += ['--upstream', case.up_text]
    js = json.loads(run(argv + ['--', case.text] + binds))
    if 'gradient' not in js:
        raise Failure('no gradient in the reference run')
    grads = {n: as_array(g) for n, g in js['gradient'].items()}
    values = [as_array(nd['value']) for nd in js['nodes']]
    node_grads = [as_array(nd['grad']) for nd in js['nodes'] if 'grad' in nd]
    return as_array(js['value']), grads, values, node_grads, 'shapes' in js


def check_symbolic(case, binds, grads, scale, tmp):
    argv = [NABLA, '--symbolic']
    if case.upstream is not None:
        argv += ['--upstream', case.up_text]
    prog = run(argv + ['--', case.text] + binds)
    path = os.path.join(tmp, 'sym.nb')
    with open(path, 'w') as f:
        f.write(prog)
    nodes = named_nodes(json.loads(run([NABLA, '-o', 'json', '-f', path])))
    for name, ref in grads.items():
        node = nodes.get('df_d' + name)
        if node is None:
            raise Failure('--symbolic: no df_d%s in\n%s' % (name, prog))
        compare('--symbolic df_d' + name, node['value'], ref, TOL, scale)
    return prog


def function_of(code):
    space = {}
    exec(compile(code, '<emit>', 'exec'), space)
    funcs = [v for k, v in space.items()
             if inspect.isfunction(v) and not k.startswith('nb_')]
    if len(funcs) != 1:
        raise Failure('--emit python: %d functions' % len(funcs))
    return funcs[0]


def check_numpy(case, binds, value, grads, scale, vscale):
    argv = [NABLA, '--emit', 'python']
    if case.upstream is not None:
        argv += ['--upstream', case.up_text]
    code = run(argv + ['--', case.text] + binds)
    fn = function_of(code)
    args = []
    for p in inspect.signature(fn).parameters:
        name = p[2:] if p.startswith('u_') else p
        if p.startswith('grad_'):
            args.append(case.upstream)
        elif name in case.indices:
            args.append(np.array(case.indices[name], dtype=float))
        else:
            args.append(case.values[name])
    before = [np.array(a, copy=True) for a in args]
    with np.errstate(all='ignore'):
        got_value, got = fn(*args)
    for a, b in zip(args, before):
        if not np.array_equal(np.asarray(a), b, equal_nan=True):
            raise Failure('--emit python changed an argument: %r, was %r' % (a, b))
    compare('--emit python value', np.asarray(got_value, dtype=float).tolist(), value, TOL,
            vscale)
    for name, ref in grads.items():
        if name not in got:
            raise Failure('--emit python returns no gradient of %s' % name)
        compare('--emit python d/d' + name, np.asarray(got[name], dtype=float).tolist(),
                ref, TOL, scale)
    return code


SIG = re.compile(r'^(double|void) \w+\((.*)\)$', re.M)


def c_array(name, values):
    v = np.asarray(values, dtype=float).ravel()
    return 'static double %s[%d] = { %s };\n' % (
        name, max(v.size, 1), ', '.join(repr(float(x)) for x in v) or '0')


def blas_library(tmp):
    """The linker flag of a CBLAS that cc finds with <cblas.h>, or None."""
    src = os.path.join(tmp, 'blas.c')
    with open(src, 'w') as f:
        f.write('#include <cblas.h>\nint main(void)\n{\n'
                '\tdouble a[1] = { 2 };\n\treturn cblas_ddot(1, a, 1, a, 1) != 4;\n}\n')
    for lib in ('-lopenblas', '-lcblas', '-lblas'):
        cc = os.environ.get('CC', 'cc')
        exe = os.path.join(tmp, 'blas')
        if subprocess.run([cc, '-o', exe, src, lib], capture_output=True).returncode == 0 \
                and subprocess.run([exe]).returncode == 0:
            return lib
    return None


def check_c(case, binds, value, grads, scale, vscale, tmp, blas=None):
    """Compiles the --emit c (with blas, the linker flag of a CBLAS:
    --emit cblas) function with a main that calls it on the bindings and
    prints the value and the gradients, one number a line."""
    argv = [NABLA, '--emit', 'cblas' if blas else 'c']
    if case.upstream is not None:
        argv += ['--upstream', case.up_text]
    code = run(argv + ['--', case.text] + binds)
    m = SIG.search(code)
    if not m:
        raise Failure('--emit c: no function definition')
    what = '--emit cblas' if blas else '--emit c'
    main = ['#include <stdio.h>\n', code, '\nint main(void)\n{\n']
    call, outs = [], []
    for par in m.group(2).split(', '):
        if par == 'void':
            break
        pm = re.match(r'(const )?double (\w+)\[(\d+)\]$', par)
        if not pm:
            raise Failure('--emit c: parameter %r' % par)
        name = pm.group(2)
        arg = 'a_' + name
        if pm.group(1):                     # an input or the upstream
            base = name[2:] if name.startswith('u_') else name
            if name == 'nb_upstream':
                vals = case.upstream
            elif base in case.indices:
                vals = case.indices[base]
            else:
                vals = case.values[base]
            main.append(c_array(arg, vals))
        else:
            main.append('static double %s[%s];\n' % (arg, pm.group(3)))
            outs.append((name, arg, int(pm.group(3))))
        call.append(arg)
    fn = re.match(r'^(?:double|void) (\w+)', m.group(0)).group(1)
    main.append('double v = %s(%s);\n' % (fn, ', '.join(call))
                if m.group(1) == 'double' else '%s(%s);\n' % (fn, ', '.join(call)))
    if m.group(1) == 'double':
        main.append('printf("value %.17g\\n", v);\n')
    for name, arg, n in outs:
        main.append('for (int k = 0; k < %d; k++) printf("%s %%.17g\\n", %s[k]);\n'
                    % (n, name, arg))
    main.append('return 0;\n}\n')
    src, exe = os.path.join(tmp, 'emit.c'), os.path.join(tmp, 'emit')
    with open(src, 'w') as f:
        f.write(''.join(main))
    cc = os.environ.get('CC', 'cc')
    run([cc, '-std=c11', '-pedantic', '-Wall', '-Wextra', '-Werror', '-o', exe, src, '-lm'] +
        ([blas] if blas else []))
    got = {}
    for line in run([exe]).splitlines():
        k, v = line.split()
        got.setdefault(k, []).append(float(v))
    if 'value' in got:
        compare(what + ' value', got['value'][0], value, TOL, vscale)
    else:
        compare(what + ' value', np.array(got['nb_value']).reshape(value.shape).tolist(),
                value, TOL, vscale)
    for name, ref in grads.items():
        key = 'grad_' + ('u_' + name if 'grad_u_' + name in got else name)
        if key not in got:
            raise Failure(what + ' writes no gradient of %s' % name)
        compare(what + ' d/d' + name, np.array(got[key]).reshape(ref.shape).tolist(),
                ref, TOL, scale)
    return code


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    count = int(sys.argv[2]) if len(sys.argv) > 2 else \
        int(os.environ.get('NABLA_TCODEGEN_COUNT', '300'))
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix='nabla-tcodegen.')
    blas = blas_library(tmp)
    print('1..%d' % (count + 1))
    if not blas:
        print('# no CBLAS found: --emit cblas is not compiled')
    failed = skipped = 0
    for number in range(1, count + 1):
        case = Case(number, rng, tmp)
        binds = case.argv[case.argv.index('--') + 2:]
        if case.upstream is not None:
            case.up_text = case.argv[case.argv.index('--upstream') + 1]
        prog = code = ''
        try:
            value, grads, values, node_grads, shaped = reference(case, binds)
            if not all(np.all(np.isfinite(a)) for a in list(grads.values()) + values) or \
                    scale_of(values) >= 1e4:
                skipped += 1
                print('ok %d - program %d # SKIP not finite or past 1e4' % (number, number))
                continue
            scale = scale_of(node_grads)
            # --upstream goes with programs of vectors or matrices only; a
            # program without inputs has no partial to read back
            if grads and (shaped or case.upstream is None):
                prog = check_symbolic(case, binds, grads, scale, tmp)
            # --emit python of scalars is tests/emit.sh's; an output that is
            # an input (a constant program) has no function to call
            if shaped and case.outname not in grads:
                code = check_numpy(case, binds, value, grads, scale, scale_of(values))
                code = check_c(case, binds, value, grads, scale, scale_of(values), tmp)
                if blas and number % 3 == 0:
                    code = check_c(case, binds, value, grads, scale, scale_of(values), tmp,
                                   blas)
            print('ok %d - program %d' % (number, number))
        except (Failure, ValueError, KeyError, TypeError, NameError,
                SyntaxError, IndexError, AttributeError) as e:
            failed += 1
            print('not ok %d - program %d' % (number, number))
            for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                print('# ' + line)
            for line in ('program:\n' + case.text + '\nbindings: ' + ' '.join(binds) +
                         ('\nupstream: ' + case.up_text if case.upstream is not None else '') +
                         ('\n--symbolic:\n' + prog if prog else '') +
                         ('\n--emit python or c:\n' + code if code else '')).splitlines():
                print('#   ' + line)
    enough = skipped * 4 <= count
    print('%s %d - %d of %d programs skipped (not finite or past 1e4)'
          % ('ok' if enough else 'not ok', count + 1, skipped, count))
    return 1 if failed or not enough else 0


if __name__ == '__main__':
    sys.exit(main())
