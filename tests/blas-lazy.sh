#!/bin/sh
# tests/blas-lazy.sh -- when nabla loads its CBLAS, and what products give
# with it, without it and on any number of its threads, as TAP.
#
# configure finds a shared CBLAS (OpenBLAS) and nabla loads it with dlopen
# on the first product of at least 2^20 multiply-adds (core/gemm.c), so
# that programs without one never start OpenBLAS's threads:
#
#  1  a scalar program, a batch of scalar rows and a small product
#     (3x3 @ 3x3) do not load the library (the dynamic linker's
#     LD_DEBUG=files log names no file of it); a large product does
#  2  a REPL session has not loaded the library after scalar statements
#     and has after a large product (LD_DEBUG=files), and has one thread
#     throughout (/proc/PID/task): OpenBLAS's workers are stopped
#  3  integer matrices A (128x128) and B (128x64), whose every sum is
#     exact in any order: f = sum((A @ B)^2) and its gradients 2 (A @ B)
#     @ B.T and 2 A.T @ (A @ B), three products of 2^20 multiply-adds,
#     equal awk's exact f and the sums of awk's exact gradients
#  4  NABLA_BLAS naming a library that does not exist: the library is
#     not loaded, the products run on nabla's own loop and give the
#     bytes of 3
#  5  random matrices (not exact): the value and gradient .npy files
#     with OPENBLAS_NUM_THREADS unset, =1, =0, empty and a word are the
#     same bytes (OpenBLAS runs on one thread unless asked for more; it
#     takes 0, empty and a word for all the cores)
#
# 1, 2 and 5 are skipped in a build that links or has no CBLAS (config.h
# names no NB_CBLAS_SONAME), 1 and 2 where the dynamic linker or /proc
# does not tell, 5 on one processor, where it could not fail.  Environment: NABLA, abs_top_builddir, as make check
# sets them.

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}" "${abs_top_builddir:=.}"
unset NABLA_BLAS OPENBLAS_NUM_THREADS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-blas.XXXXXX") || exit 99
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT

soname=$(sed -n 's/^#define NB_CBLAS_SONAME "\(.*\)"$/\1/p' \
    "$abs_top_builddir/config.h" 2>/dev/null)

echo "1..5"
n=0
ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
skip() {
    n=$((n + 1))
    echo "ok $n # SKIP $1"
}

# Whether "$@" (a nabla run) loads the library: its LD_DEBUG=files log.
loads() {
    LD_DEBUG=files LD_DEBUG_OUTPUT=$tmp/ld "$@" >/dev/null 2>&1
    st=$?
    cat "$tmp"/ld.* >"$tmp/ldlog" 2>/dev/null
    rm -f "$tmp"/ld.*
    [ $st -eq 0 ] || { echo "# failed ($st): $*"; return 2; }
    grep -q "file=$soname " "$tmp/ldlog"
}

# 1: which runs load it.
if [ -z "$soname" ]; then
    skip "this build loads no CBLAS at run time"
else
    loads "$NABLA" 'x*y' x=1 y=2
    if [ ! -s "$tmp/ldlog" ]; then
        skip "the dynamic linker does not honour LD_DEBUG"
    else
        printf 'x,y\n1,2\n3,4\n' >"$tmp/rows.csv"
        r=0
        loads "$NABLA" 'x*y' x=1 y=2 && { echo "# scalar: loaded"; r=1; }
        loads "$NABLA" --batch 'x*y' "$tmp/rows.csv" &&
            { echo "# batch: loaded"; r=1; }
        loads "$NABLA" 'sum(A @ A)' 'A=[[1,2,3],[4,5,6],[7,8,9]]' &&
            { echo "# 3x3 product: loaded"; r=1; }
        loads "$NABLA" -q 'sum(ones(128, 128) @ B)' 'B=ones(128, 64)' ||
            { echo "# 128x128 @ 128x64: not loaded"; r=1; }
        ok $r "$soname loaded by a large product only"
    fi
fi

# 2: a REPL session's threads, before and after a large product.
# Waits (up to 60 s) until the session has written file $1.
saved() {
    i=0
    while [ ! -s "$1" ] && [ $i -lt 600 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    [ -s "$1" ]
}
nthreads() { ls "/proc/$pid/task" | wc -l; }
replloaded() { cat "$tmp"/repl-ld.* 2>/dev/null | grep -q "file=$soname "; }
if [ -z "$soname" ] || [ ! -s "$tmp/ldlog" ]; then
    skip "this build loads no CBLAS at run time, or no LD_DEBUG"
elif [ ! -d /proc/self/task ] || [ "$(getconf _NPROCESSORS_ONLN)" -lt 2 ]; then
    skip "no /proc/PID/task, or one processor (OpenBLAS starts no thread)"
else
    mkfifo "$tmp/in" || exit 99
    LD_DEBUG=files LD_DEBUG_OUTPUT=$tmp/repl-ld \
        "$NABLA" <"$tmp/in" >"$tmp/repl.out" 2>&1 &
    pid=$!
    exec 3>"$tmp/in"
    printf 'x = 2\ny = sin(x) * x\n:save %s\n' "$tmp/s1" >&3
    r=0
    if saved "$tmp/s1"; then
        t1=$(nthreads)
        replloaded && { echo "# loaded by scalars"; r=1; }
    else
        echo "# the session did not save s1"; r=1
    fi
    printf 'A = ones(128, 128)\nsum(A @ A)\n:save %s\n' "$tmp/s2" >&3
    if saved "$tmp/s2"; then
        t2=$(nthreads)
        replloaded || { echo "# not loaded by the product"; r=1; }
    else
        echo "# the session did not save s2"; r=1
    fi
    exec 3>&-
    wait "$pid"
    pid=
    echo "# threads: $t1 after scalars, $t2 after the product"
    [ "$t1" = 1 ] && [ "$t2" = 1 ] || r=1
    ok $r "REPL: loaded by a product, not by scalars; one thread throughout"
fi

# 3: exact integer products against awk, which writes a.json, b.json
# and the exact f and weighted gradient sums (see weighted below).
(cd "$tmp" && awk 'BEGIN {
    s = 12345
    for (m = 0; m < 2; m++) {
        r = 128; c = m ? 64 : 128; f = m ? "b" : "a"
        for (i = 0; i < r; i++)
            for (j = 0; j < c; j++) {
                s = (s * 1103515245 + 12345) % 2147483648
                v[m, i, j] = int(s / 65536) % 17 - 8
            }
    }
    for (m = 0; m < 2; m++) {
        c = m ? 64 : 128; file = m ? "b.json" : "a.json"
        printf "[" >file
        for (i = 0; i < 128; i++) {
            printf "%s[", i ? ", " : "" >file
            for (j = 0; j < c; j++)
                printf "%s%d", j ? ", " : "", v[m, i, j] >file
            printf "]" >file
        }
        print "]" >file
    }
    # C = A @ B, f = sum(C^2), dA = 2 C @ B.T, dB = 2 A.T @ C
    for (i = 0; i < 128; i++)
        for (j = 0; j < 64; j++) {
            t = 0
            for (p = 0; p < 128; p++) t += v[0, i, p] * v[1, p, j]
            C[i, j] = t; f += t * t
        }
    for (i = 0; i < 128; i++)
        for (p = 0; p < 128; p++) {
            t = 0
            for (j = 0; j < 64; j++) t += C[i, j] * v[1, p, j]
            da += 2 * t * (i + p % 7)
        }
    for (p = 0; p < 128; p++)
        for (j = 0; j < 64; j++) {
            t = 0
            for (i = 0; i < 128; i++) t += v[0, i, p] * C[i, j]
            db += 2 * t * (p + j % 5)
        }
    printf "%.0f %.0f %.0f\n", f, da, db
}' >want) || exit 99

# f, and the gradients weighted by (i + j mod 7) and (i + j mod 5) so
# that a misplaced element shows, from the saved .npy files (python3 with
# numpy when there is one, else f alone).
product() {
    rm -rf "$tmp/$1" && mkdir "$tmp/$1" &&
    "$NABLA" -q --precision 17 'sum((A @ B) * (A @ B))' \
        "A=@$tmp/a.json" "B=@$tmp/b.json" --save-grad "$tmp/$1" \
        >"$tmp/$1.out" 2>&1
}
for py in python3 /usr/bin/python3; do
    "$py" -c 'import numpy' 2>/dev/null && { PYTHON=$py; break; }
done
weighted() {
    "$PYTHON" - "$tmp/$1" <<'PY'
import sys
import numpy as np
d = sys.argv[1]
a, b = np.load(d + '/df_dA.npy'), np.load(d + '/df_dB.npy')
i, j = np.indices(a.shape)
p, q = np.indices(b.shape)
print('%.0f %.0f' % ((a * (i + j % 7)).sum(), (b * (p + q % 5)).sum()))
PY
}
if product blas; then
    f=$(sed -n 's/^ *f = //p' "$tmp/blas.out")
    read -r wf wa wb <"$tmp/want"
    r=0
    [ "$f" = "$wf" ] || { echo "# f = $f, want $wf"; r=1; }
    if [ -z "${PYTHON:-}" ]; then
        echo "# (no numpy: f alone)"
    else
        g=$(weighted blas)
        [ "$g" = "$wa $wb" ] || { echo "# gradients $g, want $wa $wb"; r=1; }
    fi
    ok $r "integer A @ B: f and gradients exact ($wf)"
else
    cat "$tmp/blas.out"
    ok 1 "integer A @ B: f and gradients exact"
fi

# 4: a library that cannot be loaded: the loop, the same bytes.
r=0
NABLA_BLAS=$tmp/no-such-blas.so product loop || { cat "$tmp/loop.out"; r=1; }
cmp "$tmp/blas.out" "$tmp/loop.out" || r=1
for f in "$tmp"/blas/*.npy; do
    cmp "$f" "$tmp/loop/${f##*/}" || r=1
done
if [ -n "$soname" ] && [ -s "$tmp/ldlog" ]; then
    NABLA_BLAS=$tmp/no-such-blas.so loads "$NABLA" -q \
        'sum(ones(128, 128) @ B)' 'B=ones(128, 64)' && {
        echo "# NABLA_BLAS=no-such-blas.so: $soname loaded"; r=1; }
fi
ok $r "NABLA_BLAS that cannot be loaded: the loop, the same results"

# 5: the bits do not depend on the machine's cores: OpenBLAS runs on
# one thread unless OPENBLAS_NUM_THREADS asks for more (on two threads
# OpenBLAS 0.3.21 changes the last bits of most of these products).
if [ -z "$soname" ]; then
    skip "this build loads no CBLAS at run time"
elif [ "$(getconf _NPROCESSORS_ONLN)" -lt 2 ]; then
    skip "one processor: OpenBLAS would run on one thread anyway"
else
    prog='W = randn(300, 200); V = randn(250, 300); H = tanh(X @ W); sum(softmax(V @ H @ Y))'
    r=0
    # 0, empty and a word ask for no number: OpenBLAS would take all
    # the cores
    for t in default 1 0 empty word; do
        mkdir "$tmp/t$t" &&
        if [ $t = default ]; then
            "$NABLA" -q --precision 17 "$prog" 'X=randn(300, 300)' \
                'Y=randn(200, 150)' --save-grad "$tmp/t$t" >"$tmp/t$t.out" 2>&1
        else
            v=$t
            [ $t = empty ] && v=
            [ $t = word ] && v=all
            OPENBLAS_NUM_THREADS=$v "$NABLA" -q --precision 17 "$prog" \
                'X=randn(300, 300)' 'Y=randn(200, 150)' \
                --save-grad "$tmp/t$t" >"$tmp/t$t.out" 2>&1
        fi || { cat "$tmp/t$t.out"; r=1; }
    done
    for t in 1 0 empty word; do
        cmp "$tmp/tdefault.out" "$tmp/t$t.out" || r=1
        for f in "$tmp"/t$t/*.npy; do
            cmp "$f" "$tmp/tdefault/${f##*/}" || { echo "# $t: $f"; r=1; }
        done
    done
    ok $r "OPENBLAS_NUM_THREADS unset, =1, =0, empty, =all: the same bytes"
fi
