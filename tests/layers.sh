#!/bin/sh
# layers.sh - the source tree's layers stay layers (TAP).
#
# src/ has one folder per layer, lowest first:
#   num core codegen output modes front
# Every project include is written "LAYER/FILE.h" (or "core/ops.def"), and
#   1. a file in LAYER includes only from LAYER or a layer below it;
#   2. no two modules include each other, directly or through others (a
#      module is FILE.c with FILE.h; tsort finds the circles);
#   3. every folder of src/ is a known layer, so a new folder is placed
#      in the order on purpose.
#
# Environment: abs_top_srcdir (default: the parent of this script's folder).

top=${abs_top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
layers="num core codegen output modes front"
tmp=${TMPDIR:-/tmp}/nabla-layers.$$
mkdir "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..3"

rank() {
    r=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $r; return; }
        r=$((r + 1))
    done
    echo -1
}

cd "$top/src" || { echo "Bail out! no $top/src"; exit 99; }

# "FROM-MODULE TO-MODULE" per project include, e.g. "front/repl core/lexer".
for f in */*.c */*.h; do
    sed -n 's/^#include "\([a-z]*\/[a-z_0-9]*\)\.\(h\|def\)"$/\1/p' "$f" |
        while read -r inc; do
            echo "${f%.*} $inc"
        done
done > "$tmp/deps"

bad=""
while read -r from to; do
    rf=$(rank "${from%%/*}")
    rt=$(rank "${to%%/*}")
    if [ "$rt" -lt 0 ] || [ "$rt" -gt "$rf" ]; then
        bad="$bad $from->$to"
    fi
done < "$tmp/deps"
if [ -z "$bad" ]; then
    echo "ok 1 - includes go down the layers ($layers)"
else
    echo "not ok 1 - includes go down the layers ($layers)"
    for b in $bad; do echo "# upward or unknown: $b"; done
fi

grep -v '^\([^ ]*\) \1$' "$tmp/deps" > "$tmp/edges"
if tsort "$tmp/edges" > /dev/null 2> "$tmp/loops"; then
    echo "ok 2 - no include circles between modules"
else
    echo "not ok 2 - no include circles between modules"
    sed -n '1,12s/^/# /p' "$tmp/loops"
fi

unknown=""
for d in */; do
    d=${d%/}
    [ "$(rank "$d")" -ge 0 ] || unknown="$unknown $d"
done
loose=$(find . -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) | head -n 1)
if [ -z "$unknown" ] && [ -z "$loose" ]; then
    echo "ok 3 - every source file is in a layer's folder"
else
    echo "not ok 3 - every source file is in a layer's folder"
    echo "# unknown folders:$unknown; loose files: $loose"
fi
