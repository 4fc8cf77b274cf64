#!/bin/sh
# tests/errors.sh -- every bad expression gets a clean diagnostic, as TAP.
#
# tests/errors.txt holds one bad nabla expression per line.  Blank lines
# and lines starting with `##` are ignored (a single `#` starts a nabla
# comment, so it may be part of an expression).  Each line is passed
# verbatim as ONE argument, with no bindings:
#
#     "$NABLA" -- "LINE" </dev/null
#
# and must give:
#   - exit status 2 (a crash, status >= 128, or a timeout is reported as such),
#   - nothing on stdout,
#   - a first stderr line matching
#         ^nabla: <expr>:[0-9]+:[0-9]+: error: .+
#   - a caret `^` on some later stderr line (the column marker);
#   - when the line ends in ` #=> ERE` (a nabla comment, so nabla reads the
#     same expression), a first stderr line that also matches the extended
#     regular expression ERE: what the message must name (both shapes of
#     a shape error, the index and the length of an index error).
#
# Usage: tests/errors.sh [FILE]   (default $abs_top_srcdir/tests/errors.txt)
# Environment: NABLA (default ./src/nabla), abs_top_srcdir,
# NABLA_TEST_TIMEOUT (seconds per expression, default 300).

LC_ALL=C
export LC_ALL
unset NO_COLOR NABLA_HISTORY CDPATH
TERM=dumb
COLUMNS=100
export TERM COLUMNS

me=errors.sh

bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

if test -z "${abs_top_srcdir-}"; then
    abs_top_srcdir=$(cd "$(dirname "$0")/.." && pwd) || bail "cannot find the source tree"
fi
list=${1:-$abs_top_srcdir/tests/errors.txt}
if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    # Run by hand from elsewhere: try an in-tree build.
    test -x "$NABLA" || NABLA=$abs_top_srcdir/src/nabla
fi
case $NABLA in
    /*) ;;
    *) NABLA=$(pwd)/$NABLA ;;
esac
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"
test -r "$list" || bail "cannot read $list"

timeout_cmd=
if command -v timeout >/dev/null 2>&1; then
    timeout_cmd="timeout ${NABLA_TEST_TIMEOUT:-300}"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-errors.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME

# The plan: count the lines we will test.
total=$(grep -c -v -e '^##' -e '^[[:space:]]*$' "$list")
if test "$total" -eq 0; then
    echo "1..0 # SKIP no expressions in $list"
    exit 0
fi
echo "1..$total"

n=0
lineno=0
failed=0
out=$tmp/stdout
err=$tmp/stderr
problems=$tmp/problems
while IFS= read -r expr || test -n "$expr"; do
    lineno=$((lineno + 1))
    case $expr in
        '##'*) continue ;;
    esac
    case $expr in
        *[![:space:]]*) ;;
        *) continue ;;
    esac
    n=$((n + 1))
    want=
    case $expr in
        *' #=> '*) want=${expr#* #=> } ;;
    esac

    $timeout_cmd "$NABLA" -- "$expr" </dev/null >"$out" 2>"$err"
    status=$?

    : >"$problems"
    if test "$status" -eq 124 && test -n "$timeout_cmd"; then
        echo "timed out after ${NABLA_TEST_TIMEOUT:-300}s" >>"$problems"
    elif test "$status" -ge 128; then
        echo "CRASHED: killed by signal $((status - 128)) (exit status $status)" >>"$problems"
    elif test "$status" -ne 2; then
        echo "exit status $status, expected 2" >>"$problems"
    fi
    if test -s "$out"; then
        echo "stdout is not empty:" >>"$problems"
        sed -e 's/^/  /' -e '20q' "$out" >>"$problems"
    fi
    if ! sed -n '1p' "$err" | grep -Eq '^nabla: <expr>:[0-9]+:[0-9]+: error: .+'; then
        echo "first stderr line is not 'nabla: <expr>:LINE:COL: error: MESSAGE'" >>"$problems"
    fi
    if test -n "$want" && ! sed -n '1p' "$err" | grep -Eq -- "$want"; then
        echo "first stderr line does not match /$want/" >>"$problems"
    fi
    if ! sed -n '2,$p' "$err" | grep -q '\^'; then
        echo "no caret line after the first stderr line" >>"$problems"
    fi

    # A `#` in a TAP description could be read as a SKIP/TODO directive.
    desc=$(printf '%s' "$expr" | sed 's/#/\\#/g')
    if test -s "$problems"; then
        printf 'not ok %d - line %d: %s\n' "$n" "$lineno" "$desc"
        sed -e 's/^/# /' "$problems"
        if test -s "$err"; then
            echo "# stderr was:"
            sed -e 's/^/#   /' -e '20q' "$err"
        else
            echo "# stderr was empty"
        fi
        failed=$((failed + 1))
    else
        printf 'ok %d - line %d: %s\n' "$n" "$lineno" "$desc"
    fi
done <"$list"

test "$failed" -eq 0
