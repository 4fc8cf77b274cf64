#!/bin/sh
# tests/tensor-batch-jobs.sh -- batch mode's -j N on programs with vectors
# and matrices against -j 1, as TAP.
#
# Every comparison runs -j 2 and -j 0 (a thread per core) on input large
# enough for many blocks of rows in flight, and wants stdout, stderr, the
# two together (the order of rows and diagnostics) and the exit status of
# -j 1 byte for byte.  The program is the seeds' softmax classifier
# L = -log_softmax(W @ x)[y], W fixed on the command line, x bound by
# x[i] columns or JSON Lines arrays.  Bad rows come in both kinds: those
# the reader finds (not a number, a ragged row, an array of the wrong
# shape, a missing key) and those only a sweep finds, on a worker thread
# (a label y out of range or not an integer):
#  1-3  CSV under --on-error=stop (a fatal row of each kind, the sweep's
#       first), skip and nan (more bad rows than are reported one by one)
#  4-6  JSON Lines, the same
#  7    the fatal row a reader's: rows and a sweep's bad rows before it
#  8    modes, layouts and formats: --check (x's and W's elements),
#       --jvp, --hvp, --nodes, --edges (CSV and JSON Lines), --sum (also
#       over bad rows that stop the run), --wrt, --no-echo, -o tsv,
#       jsonl, table, TSV input, JSON Lines input, two files
#  9    a size from the rows (ones(n), n a column), the tape shaped again
#       when it changes, a bad size a bad row
# 10    | head -1: the same quiet end (SIGPIPE) as -j 1; a write to
#       /dev/full: the same message and status
# 11    -j 2 streams in bounded memory (tests/batch-memory.sh)
# No test depends on how fast anything runs.
#
# Environment: NABLA, abs_top_srcdir (as make check sets them);
# NABLA_JOBS_ROWS (default 6000) rows per comparison;
# NABLA_BATCH_ROWS and NABLA_BATCH_RSS_LIMIT_KB as in tests/batch.sh.

LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NABLA:=./src/nabla}"
nrows=${NABLA_JOBS_ROWS:-6000}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-tjobs.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..11"
jobs_list="2 0"
. "$abs_top_srcdir/tests/jobs-same.sh"

# good ARGS...: as same, and -j 1 exits 0 having written every row.
good() {
    same "$@" && test "$(cat "$tmp/one.st")" -eq 0 ||
        { echo "# nabla --batch $*: status $(cat "$tmp/one.st")"; return 1; }
}

prog='L = -log_softmax(W @ x)[y]'
W='W=[[0.3,-1.2,2.5],[1e-3,4,-0.75],[-2,0.5,1],[7,-3,0.125]]'
dir='x=[1,-0.5,2],W=[[1,0,0],[0,-1,0],[0,0,0.5],[2,0,0]]'

# Rows of x[0..2], y and a pass-through tag (with commas, quotes and
# newlines now and then); every `bad` rows a bad one, of the kinds in
# turn: y out of range, not a number, y not an integer, a ragged row.
# With fatal set, the rows are good but for a sweep's bad row at 2/5 and
# a reader's at 3/5 (in that order, or the other with fatal=reader).
csv() {
    awk -v n="$nrows" -v bad="$1" -v fatal="${2:-}" 'BEGIN {
        print "x[0],x[1],x[2],y,tag"
        for (i = 1; i <= n; i++) {
            y = i % 4; x0 = sprintf("%.17g", sin(i) * 3)
            k = -1
            if (fatal == "") { if (i % bad == 0) k = (i / bad) % 4 }
            else if (i == int(2 * n / 5)) k = fatal == "reader" ? 1 : 0
            else if (i == int(3 * n / 5)) k = fatal == "reader" ? 0 : 1
            if (k == 0) y = 4 + i % 3
            if (k == 1) x0 = "x" i
            if (k == 2) y = "1.5"
            if (k == 3) { print "1,2"; continue }
            tag = i % 97 == 0 ? sprintf("\"multi\nline, \"\"%d\"\"\"", i) : "t" i
            printf "%s,%.17g,%d.25,%s,%s%s\n", x0, 1 / i, i % 7 - 3, y, tag,
                   i % 89 == 0 ? "\r" : ""
        }
    }'
}

# The same as JSON Lines (x an array): a short array for not a number,
# a missing key for the ragged row.
jsonl() {
    awk -v n="$nrows" -v bad="$1" -v fatal="${2:-}" 'BEGIN {
        for (i = 1; i <= n; i++) {
            y = i % 4; x = sprintf("[%.17g, %.17g, %d.25]", sin(i) * 3, 1 / i, i % 7 - 3)
            k = -1
            if (fatal == "") { if (i % bad == 0) k = (i / bad) % 4 }
            else if (i == int(2 * n / 5)) k = 0
            else if (i == int(3 * n / 5)) k = 1
            if (k == 0) y = 4 + i % 3
            if (k == 1) x = "[1, 2]"
            if (k == 2) y = "1.5"
            if (k == 3) { printf "{\"x\": %s, \"tag\": \"short\"}\n", x; continue }
            printf "{\"x\": %s, \"y\": %s, \"tag\": \"t\\u00e9%d\"}\n", x, y, i
        }
    }'
}

csv 0 sweep >"$tmp/stop.csv"
csv 0 reader >"$tmp/stopr.csv"
csv "$((nrows / 35))" >"$tmp/bad.csv"
jsonl 0 sweep >"$tmp/stop.jsonl"
jsonl "$((nrows / 35))" >"$tmp/bad.jsonl"

for input in csv jsonl; do
    same "$prog" "$W" "$tmp/stop.$input" &&
        test "$(cat "$tmp/one.st")" -eq 1 &&
        test "$(grep -c 'error: index' "$tmp/one.err")" -eq 1 &&
        tail -1 "$tmp/one.out" | grep -q "t[^0-9,\"]*$((2 * nrows / 5 - 1))[,\"]"
    ok $? "$input: --on-error=stop, a sweep's fatal bad row mid-stream: as -j 1"
    same --on-error=skip "$prog" "$W" "$tmp/bad.$input" &&
        grep -q "more bad rows" "$tmp/one.err" &&
        grep -q "error: index" "$tmp/one.err" &&
        grep -q "integer" "$tmp/one.err"
    ok $? "$input: --on-error=skip, bad rows of every kind all along: as -j 1"
    same --on-error=nan -o jsonl "$prog" "$W" "$tmp/bad.$input" &&
        grep -q '"L":"nan"' "$tmp/one.out" &&
        test "$(cat "$tmp/one.st")" -eq 0
    ok $? "$input: --on-error=nan, bad rows of every kind all along: as -j 1"
done

same --on-error=stop "$prog" "$W" "$tmp/stopr.csv" &&
    test "$(cat "$tmp/one.st")" -eq 1 &&
    test "$(grep -c 'error: ' "$tmp/one.err")" -eq 1 &&
    grep -q "is not a number" "$tmp/one.err"
ok $? "a reader's fatal bad row: as -j 1"

# --- modes, layouts, formats -------------------------------------------
csv 100000000 >"$tmp/good.csv"
tr ',' '\t' <"$tmp/good.csv" | tr -d '"' >"$tmp/good.tsv"
jsonl 100000000 >"$tmp/good.jsonl"
head -1500 "$tmp/good.csv" | grep -v '"' >"$tmp/part.csv"
st=0
# --check fails on some rows (status 1 either way).
same --check "$prog" "$W" "$tmp/good.csv" || st=1
same --check --wrt=W "$prog" "$W" "$tmp/good.csv" || st=1
for args in "--jvp $dir" "--hvp $dir --wrt=x,W,y" \
    "--nodes" "--edges -o jsonl" "--nodes -o jsonl" "--edges" "--sum" \
    "--sum --wrt=W,x" "--wrt W" "--no-echo" "-o tsv" "-o jsonl" "-o table"; do
    # shellcheck disable=SC2086 # the options are words
    good $args "$prog" "$W" "$tmp/good.csv" || st=1
done
# The multi-line tags make bad TSV rows.
same --input tsv "$prog" "$W" "$tmp/good.tsv" || st=1
good -o jsonl --hvp "$dir" "$prog" "$W" "$tmp/good.jsonl" || st=1
good --sum "$prog" "$W" "$tmp/part.csv" "$tmp/good.csv" || st=1
same --sum "$prog" "$W" "$tmp/stop.csv" &&
    tail -1 "$tmp/one.out" | grep -q '^,,,,,[-0-9]' || st=1
ok $st "--check, --jvp, --hvp, --nodes, --edges, --sum, --wrt, --no-echo, formats, TSV, JSON Lines, two files: as -j 1"

# --- sizes from the rows ------------------------------------------------
awk -v n="$nrows" 'BEGIN { print "k,a"
    for (i = 1; i <= n; i++) printf "%d,%.17g\n", i % int(n / 7 + 1) == 0 ? -1 : int(i / 50) % 5 + 1, cos(i) }' \
    >"$tmp/sized.csv"
same --on-error=skip 'f = sum(ones(k) * a) + sum(ones(k) * a^2)' "$tmp/sized.csv" &&
    grep -q "error:" "$tmp/one.err" && grep -q "^5," "$tmp/one.out"
ok $? "a size from the rows, shaped again as it changes, a bad one a bad row: as -j 1"

# --- ends ---------------------------------------------------------------
pipe_end() {
    { "$NABLA" --batch -j "$1" "$prog" "$W" "$tmp/good.csv" 2>"$tmp/pipe.err"
      echo $? >"$tmp/pipe.st"; } | head -1 >"$tmp/pipe.out"
    echo "$(cat "$tmp/pipe.st") $(wc -c <"$tmp/pipe.err") $(cat "$tmp/pipe.out")"
}
one=$(pipe_end 1)
two=$(pipe_end 2)
echo "# | head -1: -j 1: $one; -j 2: $two"
st=0
test "$one" = "$two" && case $one in "141 0 x[0],"*) true ;; *) false ;; esac || st=1
if test -w /dev/full; then
    for j in 1 2; do
        "$NABLA" --batch -j "$j" "$prog" "$W" "$tmp/good.csv" >/dev/full \
            2>"$tmp/full.$j"
        echo "status $?" >>"$tmp/full.$j"
    done
    cmp -s "$tmp/full.1" "$tmp/full.2" &&
        grep -q "^nabla: write error: No space left on device" "$tmp/full.1" &&
        grep -q "^status 1" "$tmp/full.1" ||
        { echo "# /dev/full: -j 1: $(cat "$tmp/full.1"); -j 2: $(cat "$tmp/full.2")"; st=1; }
fi
ok $st "| head -1 and a write to /dev/full end -j 2 as they end -j 1"

# --- bounded memory -----------------------------------------------------
# The neuron's columns (tests/batch-memory.sh) into a small layer.
tprog=$tmp/layer.nb
printf 'W = randn(3, 5)\nf = sum(tanh(W @ [w0, x0, w1, x1, w2]))\n' >"$tprog"
. "$abs_top_srcdir/tests/batch-memory.sh"
bounded_memory "$tprog" "-j 2: $rows rows of a tensor program stream in bounded memory" -j 2
