#!/bin/sh
# tests/sweep_plot.sh -- --sweep and the README's gnuplot recipe, as TAP.
#
#   - nabla --sweep x=-6:6:121 's = sigmoid(x)' writes 121 rows from -6
#     to 6, every ds/dx equal to (1 - s) s;
#   - doc/sigmoid.gp, the recipe the README and the man page show, renders
#     through gnuplot to an SVG with both curves (SKIP without gnuplot,
#     Debian's gnuplot-nox); `make sigmoid-svg` redraws doc/sigmoid.svg.
#
# Environment: NABLA (the binary), abs_top_srcdir, as `make check` sets.

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}"
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-sweep.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..3"
n=0
ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

"$NABLA" --sweep x=-6:6:121 -o tsv 's = sigmoid(x)' > "$tmp/s.tsv"
awk -F '\t' 'NR == 1 { ok = $0 == "x\ts\tds/dx"; next }
             { rows++; d = $3 - (1 - $2) * $2; if (d < 0) d = -d
               if (d > 1e-15) ok = 0 }
             NR == 2 && $1 != -6 { ok = 0 }
             END { exit !(ok && rows == 121 && $1 == 6) }' "$tmp/s.tsv"
ok $? "--sweep x=-6:6:121: 121 rows from -6 to 6, ds/dx = (1 - s) s"

step=$(awk -F '\t' 'NR == 3 { print $1 + 6 }' "$tmp/s.tsv")
test "$step" = 0.1
ok $? "--sweep x=-6:6:121: evenly spaced, 0.1 apart"

if ! command -v gnuplot > /dev/null 2>&1; then
    n=$((n + 1))
    echo "ok $n - doc/sigmoid.gp renders to SVG # SKIP no gnuplot"
    exit 0
fi
mkdir "$tmp/bin" && ln -s "$NABLA" "$tmp/bin/nabla"
PATH="$tmp/bin:$PATH" gnuplot "$abs_top_srcdir/doc/sigmoid.gp" \
    > "$tmp/sigmoid.svg" 2> "$tmp/err"
test -s "$tmp/sigmoid.svg" && ! test -s "$tmp/err" &&
    grep -q '^<svg' "$tmp/sigmoid.svg" &&
    grep -q 's = sigmoid(x)' "$tmp/sigmoid.svg" &&
    grep -q 'ds/dx = (1 - s) s' "$tmp/sigmoid.svg" &&
    test "$(grep -c '<path' "$tmp/sigmoid.svg")" -gt 10
ok $? "doc/sigmoid.gp renders to SVG with both curves"
