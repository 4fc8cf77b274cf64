#!/bin/sh
# tests/batch.sh -- batch mode beyond the golden files, as TAP.
#
#  1-2  batch and one-shot agree bit for bit: 200 random points of the
#       CS231n neuron and of the staged CS231n program, each run once as
#       `nabla -o csv` (the node table) and all together as one batch;
#       every printed number is the shortest round trip of its double, so
#       equal text is equal bits.
#  3    an independent reader (python3's csv module) parses batch output
#       of awkward input (quotes, commas, newlines, CRLF) and finds the
#       same fields and numbers.
#  4    streaming: 10^6 rows in bounded memory: the peak RSS (GNU time or
#       /proc VmHWM) of 10^6 rows at most 2 MB above that of 10^5 rows,
#       and under 20 MB in a build without sanitizers; the row counts
#       right; the peaks and the rate are printed as TAP diagnostics.
#
# Environment: NABLA (the binary), abs_top_srcdir (the source tree), as
# `make check` sets them; NABLA_BATCH_POINTS (default 200) sizes tests
# 1-2, NABLA_BATCH_ROWS and NABLA_BATCH_RSS_LIMIT_KB (default 1000000
# and 20480) test 4, and a limit of 0 checks no peak (make check-valgrind,
# where the peak is valgrind's and every one-shot run costs a second).

LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NABLA:=./src/nabla}"
golden=$abs_top_srcdir/tests/golden
npoints=${NABLA_BATCH_POINTS:-200}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-batch.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..4"
n=0

ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# Random points: a header of the given names, then $npoints rows of doubles
# printed with 17 digits, so each is exactly one double.
points() {
    awk -v names="$1" -v seed="$2" -v n="$npoints" 'BEGIN {
        srand(seed); k = split(names, v, ",")
        print names
        for (i = 0; i < n; i++) {
            line = ""
            for (j = 1; j <= k; j++) {
                x = (rand() - 0.5) * 10 * (rand() < 0.2 ? 1e-5 : 1)
                line = line (j > 1 ? "," : "") sprintf("%.17g", x)
            }
            print line
        }
    }'
}

# The one-shot answer for each row of a points file, as the batch row
# (--no-echo) would print it: f, then df/dNAME in the batch header's order.
one_shot_rows() {
    prog=$1 pts=$2 header=$3
    tail -n +2 "$pts" | while IFS= read -r row; do
        set --
        old_ifs=$IFS; IFS=,
        # shellcheck disable=SC2086 # split the row and the names on commas
        set -- $row
        IFS=$old_ifs
        args=
        val=
        i=1
        for name in $(head -1 "$pts" | tr ',' ' '); do
            eval "val=\${$i}"
            args="$args $name=$val"
            i=$((i + 1))
        done
        # shellcheck disable=SC2086 # the bindings are words
        "$NABLA" -o csv -f "$prog" $args |
            awk -F, -v header="$header" '
                NR > 1 && $3 == "var" { grad[$2] = $6 }
                NR > 1 { last = $5 }     # the output is the last node
                END {
                    k = split(header, h, ",")
                    line = last
                    for (j = 2; j <= k; j++) {
                        name = substr(h[j], 5)
                        line = line "," grad[name]
                    }
                    print line
                }'
    done
}

agree() {
    prog=$1 names=$2 seed=$3
    pts=$tmp/points.$seed.csv
    points "$names" "$seed" >"$pts"
    "$NABLA" --batch --no-echo -f "$prog" "$pts" >"$tmp/batch.$seed" || return 1
    header=$(head -1 "$tmp/batch.$seed")
    one_shot_rows "$prog" "$pts" "$header" >"$tmp/one.$seed"
    if tail -n +2 "$tmp/batch.$seed" | cmp -s - "$tmp/one.$seed" &&
            test "$(wc -l <"$tmp/one.$seed")" -eq "$npoints"; then
        return 0
    fi
    tail -n +2 "$tmp/batch.$seed" | diff - "$tmp/one.$seed" | sed -e 's/^/# /' -e 20q
    return 1
}

agree "$golden/neuron.nb" w0,x0,w1,x1,w2 1
ok $? "batch equals one-shot bit for bit: $npoints points of the neuron"
agree "$golden/cs231n.nb" x,y 2
ok $? "batch equals one-shot bit for bit: $npoints points of the staged CS231n program"

# --- 3: an independent CSV reader -------------------------------------
independent() {
    command -v python3 >/dev/null 2>&1 || return 2
    printf 'name,x,y\r\n"a, ""b""",1.5,-2\r\n"two\nlines",1e-3,3\r\nplain,nan,-inf\r\n' \
        >"$tmp/odd.csv"
    "$NABLA" --batch 'x * y + y' "$tmp/odd.csv" >"$tmp/odd.out" || return 1
    python3 - "$tmp/odd.out" <<'EOF'
import csv, math, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["name", "x", "y", "f", "df/dx", "df/dy"], rows[0]
assert [r[0] for r in rows[1:]] == ['a, "b"', "two\nlines", "plain"], rows
for r in rows[1:]:
    x, y, f, dx, dy = (float(v) for v in r[1:])
    want = (x * y + y, y, x + 1)
    for got, w in zip((f, dx, dy), want):
        assert got == w or (math.isnan(got) and math.isnan(w)), (r, want)
    assert "-nan" not in r
print("# python3 csv read %d rows" % (len(rows) - 1))
EOF
}
independent
st=$?
if test $st -eq 2; then
    n=$((n + 1)); echo "ok $n - an independent CSV reader agrees # SKIP no python3"
else
    ok $st "an independent CSV reader (python3 csv) agrees"
fi

# --- 4: streaming in bounded memory ------------------------------------
. "$abs_top_srcdir/tests/batch-memory.sh"
bounded_memory "$golden/neuron.nb" "$rows rows stream in bounded memory"
