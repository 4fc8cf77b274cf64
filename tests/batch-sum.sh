#!/bin/sh
# tests/batch-sum.sh -- batch mode's --sum record, as TAP.
#
#  1  the sums of a run against math.fsum (python3) of the per-row value
#     and gradient columns of the same run without --sum, on rows whose
#     terms span 16 orders of magnitude with both signs; a plain running
#     sum of the same rows must miss the tolerance somewhere (so the test
#     can tell careful summation from careless)
#  2  -j 2, -j 3 and -j 0 give the bytes of -j 1, bad rows and all
#  3  --on-error=nan rows are not good rows: nan gives the sums of skip
#  4  a bad row that stops the run: the sum of the rows before it, last
#
# Tolerance: Neumaier summation of n terms x_i is within
# 2u|S| + 2n u^2 sum|x_i| of the exact sum S (u = 2^-53); the test takes
# 2 ulp of the correctly rounded sum plus 2n u^2 sum|x_i|.
#
# Environment: NABLA, as make check sets it; NABLA_SUM_ROWS (default
# 20000) rows.

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}"
nrows=${NABLA_SUM_ROWS:-20000}

if ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 not found"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-sum.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..4"
n=0
ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# Rows x,y,tag: magnitudes from 1e-8 to 1e8, both signs, a few bad rows
# (after the header, every 997th row) for tests 2-3.
python3 - "$nrows" >"$tmp/good.csv" <<'PY'
import random, sys
random.seed(7)
print("x,y,tag")
for i in range(int(sys.argv[1])):
    x = random.choice((-1, 1)) * random.random() * 10 ** random.randint(-8, 8)
    y = random.choice((-1, 1)) * random.random() * 10 ** random.randint(-8, 8)
    print("%r,%r,t%d" % (x, y, i))
PY
awk 'NR > 1 && NR % 997 == 0 { print "oops,1,bad"; next } { print }' \
    "$tmp/good.csv" >"$tmp/bad.csv"

prog='L = x*y*w + exp(y/1e8) - x/w'
"$NABLA" --batch "$prog" w=3 "$tmp/good.csv" >"$tmp/rows.csv" &&
"$NABLA" --batch --sum "$prog" w=3 "$tmp/good.csv" | tail -n 1 >"$tmp/sum.csv"
st=$?
python3 - "$tmp/rows.csv" "$tmp/sum.csv" <<'PY'
import csv, math, sys
rows = list(csv.reader(open(sys.argv[1])))
head, data = rows[0], rows[1:]
got = next(csv.reader(open(sys.argv[2])))
u = 2.0 ** -53
careless = 0
bad = 0
for k in range(3, len(head)):
    xs = [float(r[k]) for r in data]
    exact = math.fsum(xs)
    tol = 2 * math.ulp(exact) + 2 * len(xs) * u * u * math.fsum(map(abs, xs))
    s = float(got[k])
    if abs(s - exact) > tol:
        print("# %s: --sum %r, fsum %r (tolerance %g)" % (head[k], s, exact, tol))
        bad = 1
    plain = 0.0
    for v in xs:
        plain += v
    careless += abs(plain - exact) > tol
if got[:3] != ["", "", ""]:
    print("# echoed cells not empty: %r" % got[:3])
    bad = 1
if not careless:
    print("# a plain running sum passes too: the data tells nothing")
    bad = 1
sys.exit(bad)
PY
ok $(( $? || st )) "--sum against math.fsum of the rows"

status=0
for onerr in skip nan; do
    "$NABLA" --batch --sum --on-error=$onerr -j 1 "$prog" w=3 "$tmp/bad.csv" \
        >"$tmp/one.$onerr" 2>/dev/null
    for j in 2 3 0; do
        "$NABLA" --batch --sum --on-error=$onerr -j $j "$prog" w=3 \
            "$tmp/bad.csv" >"$tmp/many" 2>/dev/null
        cmp -s "$tmp/one.$onerr" "$tmp/many" ||
            { echo "# -j $j --on-error=$onerr differs from -j 1"; status=1; }
    done
done
ok $status "-j N gives the sums of -j 1"

test "$(tail -n 1 "$tmp/one.skip")" = "$(tail -n 1 "$tmp/one.nan")"
ok $? "nan rows are not summed"

"$NABLA" --batch --sum -o jsonl 'x*y' >"$tmp/stop.out" 2>"$tmp/stop.err" <<'CSV'
x,y
1,2
3,4
bad,1
5,6
CSV
st=$?
printf '%s\n' '{"x":1,"y":2,"f":2,"df/dx":2,"df/dy":1}' \
    '{"x":3,"y":4,"f":12,"df/dx":4,"df/dy":3}' \
    '{"f":14,"df/dx":6,"df/dy":4}' | cmp -s - "$tmp/stop.out" &&
    test $st -eq 1 && grep -q "'bad' is not a number" "$tmp/stop.err"
ok $? "a bad row that stops the run: the sums of the rows before"
