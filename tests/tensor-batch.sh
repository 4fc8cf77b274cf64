#!/bin/sh
# tests/tensor-batch.sh -- batch rows with vectors against one-shot runs,
# as TAP.
#
# The seeds' softmax classifier L = -log_softmax(W @ x)[y] with W fixed
# on the command line, over random labelled rows binding x by x[i]
# columns; each row is also run one-shot (nabla -o json W=... x=[...]
# y=...):
#  1  JSON Lines output: every row's L and dL/dx equal the one-shot
#     run's, bit for bit (nested arrays)
#  2  CSV output: the same, from the flattened dL/dx[i] columns
#  3  JSON Lines input (x as an array): the same, bit for bit
#  4  --sum's dL/dW against math.fsum of the one-shot runs' dL/dW (the
#     tolerance of tests/batch-sum.sh: 2 ulp of the correctly rounded
#     sum plus 2n u^2 sum|x_i|), and its L and dL/dx against the sums of
#     the rows
#
# Environment: NABLA, as make check sets it.

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}"

if ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 not found"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-tbatch.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
echo "1..4"

prog='L = -log_softmax(W @ x)[y]'
W='W=[[0.3,-1.2,2.5],[1e-3,4,-0.75],[-2,0.5,1],[7,-3,0.125]]'
python3 - >"$tmp/rows.csv" <<'PY'
import random
random.seed(11)
print("x[0],x[1],x[2],y")
for i in range(60):
    xs = [random.uniform(-3, 3) * 10 ** random.randint(-2, 1) for _ in range(3)]
    print(",".join(repr(v) for v in xs) + ",%d" % random.randrange(4))
PY
tail -n +2 "$tmp/rows.csv" |
    awk -F, '{ printf "{\"x\": [%s, %s, %s], \"y\": %s}\n", $1, $2, $3, $4 }' \
    >"$tmp/rows.jsonl"
"$NABLA" --batch -o jsonl "$prog" "$W" "$tmp/rows.csv" >"$tmp/out.jsonl" &&
"$NABLA" --batch -o jsonl "$prog" "$W" "$tmp/rows.jsonl" >"$tmp/in.jsonl" &&
"$NABLA" --batch "$prog" "$W" "$tmp/rows.csv" >"$tmp/out.csv" &&
"$NABLA" --batch --sum "$prog" "$W" "$tmp/rows.csv" >"$tmp/sum.csv"
st=$?
# One-shot runs, one JSON report per line.
tail -n +2 "$tmp/rows.csv" | while IFS=, read -r a b c y; do
    "$NABLA" -o json "$prog" "$W" "x=[$a,$b,$c]" "y=$y" | tr -d '\n'
    echo
done >"$tmp/oneshot.jsonl"

check() {
    python3 - "$tmp" "$1" "$st" <<'PY'
import csv, json, math, sys
tmp, what, st = sys.argv[1], sys.argv[2], int(sys.argv[3])
one = [json.loads(l) for l in open(tmp + "/oneshot.jsonl")]
bad = st != 0 or len(one) != 60
def differ(i, name, a, b):
    global bad
    if a != b:
        print("# row %d %s: batch %r, one-shot %r" % (i + 1, name, a, b))
        bad = True
if what in ("jsonl", "in"):
    rows = [json.loads(l) for l in open(tmp + "/%s.jsonl" % ("out" if what == "jsonl" else "in"))]
    bad |= len(rows) != 60
    for i, (r, o) in enumerate(zip(rows, one)):
        differ(i, "L", r["L"], o["value"])
        differ(i, "dL/dx", r["dL/dx"], o["gradient"]["x"])
elif what == "csv":
    rows = list(csv.DictReader(open(tmp + "/out.csv")))
    bad |= len(rows) != 60
    for i, (r, o) in enumerate(zip(rows, one)):
        differ(i, "L", float(r["L"]), o["value"])
        differ(i, "dL/dx", [float(r["dL/dx[%d]" % k]) for k in range(3)],
               o["gradient"]["x"])
else:
    rows = list(csv.reader(open(tmp + "/sum.csv")))
    head, got = rows[0], rows[-1]
    bad |= len(rows) != 62 or any(got[:4])
    u = 2.0 ** -53
    for k, col in enumerate(head):
        if not col.startswith(("L", "dL/d")):
            continue
        name, _, idx = col[4:].partition("[")
        ks = [int(i) for i in idx.rstrip("]").split(",")] if idx else []
        xs = []
        for o in one:
            v = o["value"] if col == "L" else o["gradient"][name]
            for i in ks:
                v = v[i]
            xs.append(v)
        exact = math.fsum(xs)
        tol = 2 * math.ulp(exact) + 2 * len(xs) * u * u * math.fsum(map(abs, xs))
        if abs(float(got[k]) - exact) > tol:
            print("# %s: --sum %r, fsum of one-shot %r (tolerance %g)"
                  % (col, got[k], exact, tol))
            bad = True
    bad |= "dL/dW[3,2]" not in head
sys.exit(1 if bad else 0)
PY
}
# result N DESCRIPTION: check's status as TAP line N.
result() {
    if test "$rc" -eq 0; then echo "ok $1 - $2"; else echo "not ok $1 - $2"; fi
}
n=0
for what in jsonl csv in sum; do
    n=$((n + 1))
    check $what
    rc=$?
    case $what in
    jsonl) result $n "JSON Lines rows equal one-shot runs bit for bit" ;;
    csv) result $n "CSV rows equal one-shot runs bit for bit" ;;
    in) result $n "JSON Lines input rows equal one-shot runs bit for bit" ;;
    sum) result $n "--sum's dL/dW is the sum of the one-shot gradients" ;;
    esac
done
