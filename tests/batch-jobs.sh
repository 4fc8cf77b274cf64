#!/bin/sh
# tests/batch-jobs.sh -- batch mode's -j N against -j 1, as TAP.
#
# Every comparison runs -j 2, -j 3 and -j 0 (a thread per core) on input
# large enough for many blocks of rows in flight, and wants stdout,
# stderr, the two together (the order of rows and diagnostics) and the
# exit status of -j 1 byte for byte:
#  1-3  CSV (quoted fields with newlines, CRLF, blank lines) with bad rows
#       under --on-error=stop (a fatal row in the middle), skip and nan
#       (more bad rows than are reported one by one)
#  4-6  JSON Lines, the same
#  7    layouts, modes and formats: --wrt, --no-echo, --nodes, --edges,
#       --check, --jvp, --hvp, -o tsv, jsonl, table, TSV input, two files
#  8    a program too large for a block of two rows (one thread)
#  9    -j 2 streams in bounded memory (tests/batch-memory.sh, as
#       tests/batch.sh 4 for -j 1)
# 10    | head -1: the same quiet end (SIGPIPE) as -j 1
# 11    a signal while waiting for input: whole lines, death by the signal
# 12    usage: -j's argument, and -j without --batch
# No test depends on how fast anything runs.
#
# Environment: NABLA, abs_top_srcdir (as make check sets them);
# NABLA_JOBS_ROWS (default 30000) rows per comparison;
# NABLA_BATCH_ROWS and NABLA_BATCH_RSS_LIMIT_KB as in tests/batch.sh.

LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NABLA:=./src/nabla}"
nrows=${NABLA_JOBS_ROWS:-30000}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-jobs.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..12"
. "$abs_top_srcdir/tests/jobs-same.sh"

# CSV rows of the neuron: a pass-through column with commas, quotes and
# newlines now and then, CRLF and blank lines; bad rows every `bad` rows
# (not numbers, ragged rows), the fatal one for stop near the middle.
csv() {
    awk -v n="$nrows" -v bad="$1" 'BEGIN {
        print "w0,x0,w1,x1,w2,tag"
        for (i = 1; i <= n; i++) {
            if (i % bad == 0) { printf "%d,x%d,1,2,3,bad\n", i, i; continue }
            if (i % (3 * bad) == 1) { print "1,2,3"; continue }
            if (i % 1000 == 0) { print ""; continue }
            tag = i % 97 == 0 ? sprintf("\"multi\nline, \"\"%d\"\"\"", i) : "t" i
            printf "%d,%d.5,%.17g,%d,-3,%s%s\n", i % 5, i % 17, 1 / i, i % 3,
                   tag, i % 89 == 0 ? "\r" : ""
        }
    }'
}

# The same as JSON Lines, with a missing key and a stray token as bad rows.
jsonl() {
    awk -v n="$nrows" -v bad="$1" 'BEGIN {
        for (i = 1; i <= n; i++) {
            if (i % bad == 0) { printf "{\"w0\": %d, \"x0\": \"x\", \"w1\": 1, \"x1\": 2, \"w2\": 3, \"tag\": \"bad\"}\n", i; continue }
            if (i % (3 * bad) == 1 && i > 1) { printf "{\"w0\": 1, \"x0\": 2, \"w1\": 3, \"x1\": 4, \"tag\": \"short\"}\n"; continue }
            printf "{\"w0\": %d, \"x0\": %d.5, \"w1\": %.17g, \"x1\": %d, \"w2\": -3, \"tag\": \"t\\u00e9%d\"}\n",
                   i % 5, i % 17, 1 / i, i % 3, i
        }
    }'
}

csv "$((nrows / 2 + 7))" >"$tmp/stop.csv"
csv 211 >"$tmp/bad.csv"
jsonl "$((nrows / 2 + 7))" >"$tmp/stop.jsonl"
jsonl 211 >"$tmp/bad.jsonl"
# The CS231n neuron, with a named intermediate for the long layouts.
neuron=$tmp/neuron.nb
printf 's = w0*x0 + w1*x1 + w2\nf = 1/(1 + exp(-s))\n' >"$neuron"

for input in csv jsonl; do
    same -f "$neuron" "$tmp/stop.$input" &&
        test "$(cat "$tmp/one.st")" -eq 1 &&
        test "$(grep -c . "$tmp/one.err")" -eq 3
    ok $? "$input: --on-error=stop, a fatal bad row mid-stream: as -j 1"
    same --on-error=skip -f "$neuron" "$tmp/bad.$input" &&
        grep -q "more bad rows" "$tmp/one.err"
    ok $? "$input: --on-error=skip, bad rows all along: as -j 1"
    same --on-error=nan -f "$neuron" "$tmp/bad.$input" &&
        grep -q ',nan,nan' "$tmp/one.out"
    ok $? "$input: --on-error=nan, bad rows all along: as -j 1"
done

csv 100000000 >"$tmp/good.csv"
tr ',' '\t' <"$tmp/good.csv" | tr -d '"' >"$tmp/good.tsv"
head -2000 "$tmp/good.csv" | grep -v '"' >"$tmp/part.csv"
st=0
for args in "--wrt x1,w0" "--no-echo" "--nodes" "--edges -o jsonl" \
    "--check" "--jvp w0=1,x1=-2" "--hvp w0=1" "-o tsv" "-o table" \
    "-o jsonl --wrt w2"; do
    # shellcheck disable=SC2086 # the options are words
    same $args -f "$neuron" "$tmp/good.csv" || st=1
done
same --input tsv -f "$neuron" "$tmp/good.tsv" || st=1
same -f "$neuron" "$tmp/part.csv" "$tmp/good.csv" || st=1
ok $st "--wrt, --no-echo, --nodes, --edges, --check, --jvp, --hvp, formats, TSV, two files: as -j 1"

# 3000 terms: about 6000 nodes, too many for a block of two rows.
awk 'BEGIN { printf "f = 0"; for (i = 1; i <= 3000; i++) printf " + x*%d", i
             print "" }' >"$tmp/big.nb"
head -300 "$tmp/good.csv" | cut -d, -f2 | sed '1s/.*/x/' >"$tmp/x.csv"
same -f "$tmp/big.nb" "$tmp/x.csv"
ok $? "a program too large for a block of two rows: as -j 1"

# --- bounded memory -----------------------------------------------------
. "$abs_top_srcdir/tests/batch-memory.sh"
bounded_memory "$neuron" "-j 2: $rows rows stream in bounded memory" -j 2

# --- ends ---------------------------------------------------------------
pipe_end() {
    { "$NABLA" --batch -j "$1" -f "$neuron" "$tmp/big.csv" 2>"$tmp/pipe.err"
      echo $? >"$tmp/pipe.st"; } | head -1 >"$tmp/pipe.out"
    echo "$(cat "$tmp/pipe.st") $(wc -c <"$tmp/pipe.err") $(cat "$tmp/pipe.out")"
}
one=$(pipe_end 1)
two=$(pipe_end 2)
echo "# | head -1: -j 1: $one; -j 2: $two"
test "$one" = "$two" && case $one in "141 0 w0,"*) true ;; *) false ;; esac
ok $? "| head -1 ends -j 2 as it does -j 1: SIGPIPE, nothing on stderr"

if command -v python3 >/dev/null 2>&1; then
    "$NABLA" --batch 'x*y + sin(x)' - <"$tmp/good.csv" >/dev/null 2>&1
    awk 'BEGIN { srand(7); print "x,y"
                 for (i = 0; i < 100000; i++)
                     printf "%.17g,%.17g\n", rand() * 10 - 5, rand() * 10 - 5 }' \
        >"$tmp/xy.csv"
    "$NABLA" --batch 'x*y + sin(x)' - <"$tmp/xy.csv" >"$tmp/xy.ref"
    python3 - "$NABLA" "$tmp/xy.csv" "$tmp/xy.ref" "$tmp/xy.out" <<'PY'
import random, signal, subprocess, sys, time
nabla, data, ref_path, out_path = sys.argv[1:]
ref = open(ref_path, "rb").read()
lines = open(data, "rb").read().splitlines(True)
chunks = [b"".join(lines[i:i + 997]) for i in range(0, len(lines), 997)]
random.seed(2)
bad = 0
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    with open(out_path, "wb") as out:
        p = subprocess.Popen([nabla, "--batch", "-j", "2", "x*y + sin(x)",
                              "-"], stdin=subprocess.PIPE, stdout=out,
                             preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)])
        for c in chunks[:random.randint(1, len(chunks) - 1)]:
            p.stdin.write(c)
        p.stdin.flush()
        time.sleep(random.uniform(0, 0.05))
        p.send_signal(sig)
        st = p.wait()
        p.stdin.close()
    got = open(out_path, "rb").read()
    if st != -sig or not ref.startswith(got) or not got.endswith(b"\n"):
        bad += 1
        print("# %s: status %d, %d of %d bytes" % (sig.name, st, len(got), len(ref)))
sys.exit(1 if bad else 0)
PY
    ok $? "-j 2 killed while waiting for input: whole, right lines, death by the signal"
else
    n=$((n + 1)); echo "ok $n # SKIP no python3"
fi

# --- usage --------------------------------------------------------------
st=0
for arg in x -1 1025 2k ""; do
    "$NABLA" --batch -j "$arg" x 2>"$tmp/usage" </dev/null
    test $? -eq 2 && grep -q "^nabla: -j: '$arg' is not a number of threads" \
        "$tmp/usage" || { echo "# -j '$arg': $(head -1 "$tmp/usage")"; st=1; }
done
"$NABLA" -j 2 x x=1 2>"$tmp/usage"
test $? -eq 2 && grep -q -- "-j needs --batch" "$tmp/usage" || st=1
printf 'x\n1\n' | "$NABLA" --jobs=1024 --batch x >/dev/null || st=1
ok $st "-j takes 0 to 1024 threads, and only with --batch"
