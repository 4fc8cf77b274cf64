#!/bin/sh
# tests/tensor-batch-modes.sh -- batch mode's other modes and layouts on
# rows binding vectors, against one-shot runs, as TAP.
#
# The seeds' softmax classifier L = -log_softmax(W @ x)[y] with W fixed
# on the command line, over random labelled rows binding x by x[i]
# columns (and, for the long layouts, as JSON Lines arrays); each row is
# also run one-shot with -o json:
#  1  --check: each row's check_error is the largest error of the
#     one-shot --check --wrt=x,y (a kink's left out, nan kept), its
#     check the one-shot status and its check_worst the element of that
#     status with the largest error, bit for bit
#  2  --check --wrt=W: the same over W's 12 elements
#  3  --jvp along x=[1,-0.5,2],W=... (a matrix and a vector): the jvp
#     column is the one-shot --jvp's, bit for bit
#  4  --nodes -o jsonl: every node's shape, value and gradient are the
#     one-shot JSON's nodes', bit for bit
#  5  --edges -o jsonl: every edge's local and downstream gradients are
#     the one-shot JSON's (local null for a tensor op)
#  6  --nodes and --edges -o csv: one line per element, the same numbers
#     as the JSON Lines records flattened in row-major order
#  7  --hvp along the same direction, --wrt=x,W,y: the columns hvp/dx,
#     hvp/dW and hvp/dy are the one-shot --hvp's H.v ("Hv"), bit for bit
#  8  --hvp over the rows as JSON Lines, -o csv: the columns hvp/dx[i] and
#     hvp/dW[i,j] are those arrays flattened in row-major order, bit for
#     bit
#  9  -j 2 writes what -j 1 writes, byte for byte, in every mode and
#     layout above
#
# Environment: NABLA, as make check sets it.

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}"

if ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 not found"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-tbmodes.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
echo "1..9"

prog='L = -log_softmax(W @ x)[y]'
W='W=[[0.3,-1.2,2.5],[1e-3,4,-0.75],[-2,0.5,1],[7,-3,0.125]]'
dir='x=[1,-0.5,2],W=[[1,0,0],[0,-1,0],[0,0,0.5],[2,0,0]]'
python3 - >"$tmp/rows.csv" <<'PY'
import random
random.seed(5)
print("x[0],x[1],x[2],y")
for i in range(25):
    xs = [random.uniform(-3, 3) * 10 ** random.randint(-2, 1) for _ in range(3)]
    print(",".join(repr(v) for v in xs) + ",%d" % random.randrange(4))
PY
tail -n +2 "$tmp/rows.csv" |
    awk -F, '{ printf "{\"x\": [%s, %s, %s], \"y\": %s}\n", $1, $2, $3, $4 }' \
    >"$tmp/rows.jsonl"

# run NAME ARGS...: batch mode with -j 1 and -j 2 into NAME.1 and NAME.2,
# the exit statuses into NAME.st (1 when a check failed, else 0).
run() {
    name=$1
    shift
    "$NABLA" --batch -j 1 "$@" >"$tmp/$name.1" 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.st"
    "$NABLA" --batch -j 2 "$@" >"$tmp/$name.2" 2>>"$tmp/$name.err"
    echo $? >>"$tmp/$name.st"
}
run check -o jsonl --check "$prog" "$W" "$tmp/rows.csv"
run checkw -o jsonl --check --wrt=W "$prog" "$W" "$tmp/rows.csv"
run jvp -o jsonl --jvp "$dir" "$prog" "$W" "$tmp/rows.csv"
run nodes -o jsonl --nodes "$prog" "$W" "$tmp/rows.jsonl"
run edges -o jsonl --edges "$prog" "$W" "$tmp/rows.jsonl"
run nodescsv --nodes "$prog" "$W" "$tmp/rows.csv"
run edgescsv --edges "$prog" "$W" "$tmp/rows.csv"
run hvp -o jsonl --hvp "$dir" --wrt=x,W,y "$prog" "$W" "$tmp/rows.csv"
run hvpcsv --hvp "$dir" --wrt=x,W,y "$prog" "$W" "$tmp/rows.jsonl"

# One-shot runs, one JSON report per line each.
tail -n +2 "$tmp/rows.csv" | while IFS=, read -r a b c y; do
    set -- "$prog" "$W" "x=[$a,$b,$c]" "y=$y"
    { "$NABLA" -o json --check --wrt=x,y "$@" | tr -d '\n'; echo; } \
        >>"$tmp/check.one"
    { "$NABLA" -o json --check --wrt=W "$@" | tr -d '\n'; echo; } \
        >>"$tmp/checkw.one"
    { "$NABLA" -o json --jvp "$dir" "$@" | tr -d '\n'; echo; } \
        >>"$tmp/jvp.one"
    { "$NABLA" -o json --hvp "$dir" "$@" | tr -d '\n'; echo; } \
        >>"$tmp/hvp.one"
    { "$NABLA" -o json "$@" | tr -d '\n'; echo; } >>"$tmp/grad.one"
done

check() {
    python3 - "$tmp" "$1" <<'PY'
import csv, json, math, sys
tmp, what = sys.argv[1], sys.argv[2]
bad = False
def status(name, want):
    global bad
    got = open(tmp + "/" + name + ".st").read().split()
    if got != [str(want)] * 2:
        print("# %s: exit status %s, expected %d" % (name, got, want))
        bad = True
def load(name):
    return [json.loads(l) for l in open(tmp + "/" + name)]
def differ(where, a, b):
    global bad
    if json.dumps(a) != json.dumps(b):
        print("# %s: batch %r, one-shot %r" % (where, a, b))
        bad = True
def flat(v):
    return [x for r in v for x in flat(r)] if isinstance(v, list) else [v]
if what in ("check", "checkw"):
    rows, one = load(what + ".1"), load(what + ".one")
    bad |= len(rows) != 25 or len(one) != 25
    status(what, int(any(o["status"] == "fail" for o in one)))
    for i, (r, o) in enumerate(zip(rows, one)):
        errs = [p["error"] for p in o["partials"] if p["status"] != "kink"]
        if any(e == "nan" for e in errs):
            want = "nan"
        else:
            want = max(errs, default=0)
        got = r["check_error"]
        if not (isinstance(got, str) and got == want) and \
           not (isinstance(want, (int, float)) and float(got) == want):
            differ("row %d check_error" % (i + 1), got, want)
        differ("row %d check" % (i + 1), r["check"], o["status"])
        worst = None
        for p in o["partials"]:
            if p["status"] != o["status"]:
                continue
            if worst is None or (worst["error"] != "nan" and
                                 (p["error"] == "nan" or
                                  p["error"] > worst["error"])):
                worst = p
        name = worst["input"] + ("[%s]" % ",".join(map(str, worst["index"]))
                                 if worst["index"] else "")
        differ("row %d check_worst" % (i + 1), r["check_worst"], name)
elif what == "jvp":
    rows, one = load("jvp.1"), load("jvp.one")
    bad |= len(rows) != 25 or len(one) != 25
    status("jvp", 0)
    for i, (r, o) in enumerate(zip(rows, one)):
        differ("row %d jvp" % (i + 1), r["jvp"], o["jvp"])
        differ("row %d L" % (i + 1), r["L"], o["value"])
elif what == "hvp":
    rows, one = load("hvp.1"), load("hvp.one")
    bad |= len(rows) != 25 or len(one) != 25
    status("hvp", 0)
    for i, (r, o) in enumerate(zip(rows, one)):
        differ("row %d L" % (i + 1), r["L"], o["value"])
        for name in ("x", "W", "y"):
            differ("row %d hvp/d%s" % (i + 1, name), r["hvp/d" + name],
                   o["Hv"][name])
elif what == "hvpcsv":
    lines = list(csv.DictReader(open(tmp + "/hvpcsv.1")))
    one = load("hvp.one")
    bad |= len(lines) != 25 or len(one) != 25
    status("hvpcsv", 0)
    for i, (l, o) in enumerate(zip(lines, one)):
        want = [("hvp/dx[%d]" % j, v) for j, v in enumerate(o["Hv"]["x"])]
        want += [("hvp/dW[%d,%d]" % (a, b), v)
                 for a, row in enumerate(o["Hv"]["W"])
                 for b, v in enumerate(row)]
        want.append(("hvp/dy", o["Hv"]["y"]))
        got = [(k, float(l[k])) for k, _ in want if k in l]
        differ("row %d hvp columns" % (i + 1), got,
               [(k, float(v)) for k, v in want])
elif what in ("nodes", "edges"):
    recs, one = load(what + ".1"), load("grad.one")
    bad |= len(one) != 25
    status(what, 0)
    want = []
    for i, o in enumerate(one):
        for n in o["nodes"]:
            if what == "nodes":
                want.append({"row": i + 1, "node": n["id"],
                             "shape": n["shape"], "value": n["value"],
                             "grad": n["grad"]})
                continue
            for e in n["inputs"]:
                want.append({"row": i + 1, "node": n["id"],
                             "input": e["id"], "local": e["local"],
                             "downstream": e["downstream"]})
    got = [{k: r[k] for k in w} for r, w in zip(recs, want)]
    bad |= len(recs) != len(want) or len(want) < 25 * 5
    for g, w in zip(got, want):
        differ("row %d node %d" % (w["row"], w["node"]), g, w)
else:
    # The CSV lines are the JSON Lines records' elements, in order.
    base = "nodes" if what == "nodescsv" else "edges"
    status(what, 0)
    recs = load(base + ".1")
    lines = list(csv.DictReader(open(tmp + "/" + what + ".1")))
    want = []
    for r in recs:
        cols = ("value", "grad") if base == "nodes" else ("local", "downstream")
        vals = [flat(r[c]) for c in cols]
        n = len(vals[1])
        for c in range(2):
            if vals[c] == [None]:
                vals[c] = [None] * n
        for j in range(n):
            want.append((r["row"], r["node"], vals[0][j], vals[1][j]))
    a, b = ("value", "grad") if base == "nodes" else ("local", "downstream")
    got = [(int(l["row"]), int(l["node"]),
            float(l[a]) if l[a] else None, float(l[b])) for l in lines]
    if base == "edges":
        # a broadcast input's local gradient is left out in CSV
        want = [w if g[2] is not None or w[2] is None else
                (w[0], w[1], None, w[3]) for g, w in zip(got, want)]
    bad |= len(got) != len(want) or len(want) == 0
    for g, w in zip(got, want):
        # numbers equal (JSON writes -0 as 0), nan as nan
        same = g[:2] == w[:2] and all(
            a == b or (a is None and b is None) or
            (a is not None and b == "nan" and math.isnan(a))
            for a, b in zip(g[2:], w[2:]))
        if not same:
            print("# line %r: JSON Lines %r" % (g, w))
            bad = True
sys.exit(1 if bad else 0)
PY
}
result() {
    if test "$rc" -eq 0; then echo "ok $1 - $2"; else echo "not ok $1 - $2"; fi
}
n=0
for what in check checkw jvp nodes edges csv hvp hvpcsv; do
    n=$((n + 1))
    case $what in
    csv) check nodescsv && check edgescsv ;;
    *) check $what ;;
    esac
    rc=$?
    case $what in
    check) result $n "--check rows equal one-shot --check --wrt=x,y" ;;
    checkw) result $n "--check --wrt=W rows equal one-shot --check --wrt=W" ;;
    jvp) result $n "--jvp along tensors equals one-shot --jvp bit for bit" ;;
    nodes) result $n "--nodes JSON Lines equal one-shot nodes bit for bit" ;;
    edges) result $n "--edges JSON Lines equal one-shot edges bit for bit" ;;
    csv) result $n "--nodes/--edges CSV flatten the JSON Lines records" ;;
    hvp) result $n "--hvp along tensors equals one-shot --hvp bit for bit" ;;
    hvpcsv) result $n "--hvp CSV columns flatten one-shot H.v bit for bit" ;;
    esac
done
rc=0
for name in check checkw jvp nodes edges nodescsv edgescsv hvp hvpcsv; do
    if ! cmp -s "$tmp/$name.1" "$tmp/$name.2" || ! test -s "$tmp/$name.1"; then
        echo "# -j 2 differs from -j 1 (or is empty): $name"
        rc=1
    fi
done
result 9 "-j 2 writes what -j 1 writes, byte for byte"
