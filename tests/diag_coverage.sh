#!/bin/sh
# tests/diag_coverage.sh -- every diagnostic is in the source and is tested, as TAP.
#
# tests/diagnostics.txt lists the message patterns nabla can emit, as spelled
# in src/*/*.c (printf directives and C escapes as written).  For each pattern
# (lines starting with `##` and blank lines are ignored) this checks:
#   - it occurs in src/*/*.c once adjacent string literals are joined, so the
#     list cannot rot when a message changes;
#   - some test's expected stderr produces it: the stderr section of a
#     golden case (tests/golden/*/*.test),
#     the stderr of the tests/errors.txt corpus (run here), or a message
#     tests/limits.sh expects.  Directives (%s, %.*s, %zu, %d, %ld, %02x)
#     match any text.
# A last case counts the bad-input corpus and wants at least 200 entries.
#
# Environment: NABLA (default ./src/nabla), abs_top_srcdir.

LC_ALL=C
export LC_ALL
unset NO_COLOR NABLA_HISTORY CDPATH
TERM=dumb
export TERM

me=diag_coverage.sh

bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

if test -z "${abs_top_srcdir-}"; then
    abs_top_srcdir=$(cd "$(dirname "$0")/.." && pwd) || bail "cannot find the source tree"
fi
if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    test -x "$NABLA" || NABLA=$abs_top_srcdir/src/nabla
fi
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"
list=$abs_top_srcdir/tests/diagnostics.txt
test -r "$list" || bail "cannot read $list"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-diag.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME

# The source as one line with "a" "b" joined into "ab".
cat "$abs_top_srcdir"/src/*/*.c | tr '\n' ' ' | sed 's/"[[:space:]]*"//g' >"$tmp/src" ||
    bail "cannot read src/*/*.c"

# Everything the tests expect on stderr.
corpus=$tmp/corpus
# section NAME CASE...: that section of the golden cases, decoded.
section() {
    sec=$1
    shift
    awk -v only="$sec" -f "$abs_top_srcdir/tests/golden-case.awk" "$@"
}
{ section stderr "$abs_top_srcdir"/tests/golden/*/*.test && cat "$abs_top_srcdir"/tests/limits.sh; } >"$corpus" ||
    bail "cannot read the golden cases"
while IFS= read -r expr || test -n "$expr"; do
    case $expr in
        '##'*|'') continue ;;
    esac
    "$NABLA" -- "$expr" </dev/null 2>>"$corpus" >/dev/null
done <"$abs_top_srcdir/tests/errors.txt"

total=$(grep -c -v -e '^##' -e '^[[:space:]]*$' "$list")
echo "1..$((total + 1))"

n=0
failed=0
while IFS= read -r pat || test -n "$pat"; do
    case $pat in
        '##'*) continue ;;
    esac
    case $pat in
        *[![:space:]]*) ;;
        *) continue ;;
    esac
    n=$((n + 1))
    problems=
    grep -qF -e "$pat" "$tmp/src" || problems="not in src/*/*.c (joined literals)"
    # C spelling to a basic regex: unescape \" and \\, quote the BRE
    # specials, then let each directive match anything.
    re=$(printf '%s\n' "$pat" | sed -e 's/\\"/"/g' -e 's/\\\\/\\/g' \
        -e 's/[][\.*^$/]/\\&/g' \
        -e 's/%\\\.\\\*s/.*/g' -e 's/%zu/.*/g' -e 's/%ld/.*/g' \
        -e 's/%02x/.*/g' -e 's/%[sd]/.*/g')
    if ! grep -q -e "$re" "$corpus"; then
        problems="${problems:+$problems; }no test's expected stderr produces it"
    fi
    if test -n "$problems"; then
        printf 'not ok %d - %s\n# %s\n' "$n" "$pat" "$problems"
        failed=$((failed + 1))
    else
        printf 'ok %d - %s\n' "$n" "$pat"
    fi
done <"$list"

# The bad-input corpus: expressions in errors.txt, golden cases that exit
# non-zero or warn, and the hostile inputs of limits.sh.
exprs=$(grep -c -v -e '^##' -e '^[[:space:]]*$' "$abs_top_srcdir/tests/errors.txt")
goldens=0
for f in "$abs_top_srcdir"/tests/golden/*/*.test; do
    if ! grep -q '^%% status 0$' "$f" ||
            test -n "$(section stderr "$f")"; then
        goldens=$((goldens + 1))
    fi
done
limits=$(grep -c '^ *check "' "$abs_top_srcdir/tests/limits.sh")
sum=$((exprs + goldens + limits))
n=$((n + 1))
if test "$sum" -ge 200; then
    echo "ok $n - bad-input corpus: $sum entries ($exprs expressions, $goldens golden cases, $limits limits)"
else
    echo "not ok $n - bad-input corpus: $sum entries, want at least 200"
    failed=$((failed + 1))
fi

test "$failed" -eq 0
