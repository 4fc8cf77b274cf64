#!/bin/sh
# tests/golden.sh -- golden-file tests of the nabla command line, as TAP.
#
# Each case is a set of files in tests/golden/ sharing a NAME:
#
#   NAME.cmd       one shell command line, run with `sh -c` from the
#                  tests/golden directory of the SOURCE tree (so data files
#                  there can be named relatively); it calls the program as
#                  "$NABLA", e.g.   "$NABLA" -o csv 'x*y' x=2 y=3
#   NAME.in        optional: the command's stdin (default /dev/null)
#   NAME.out       expected stdout (required; may be empty)
#   NAME.err       optional: expected stderr (absent: stderr must be empty)
#   NAME.status    optional: expected exit status (absent: 0)
#   NAME.requires  optional: one prerequisite per line, a command name
#                  (`dot`) or `locale:NAME` (`locale:de_DE.UTF-8`); when one
#                  is missing the case is reported as SKIP, not as a pass
#
# Outputs are compared byte for byte.  A command must not write into the
# current directory (it is read-only under `make distcheck`); it may use
# "$GOLDEN_TMP", an empty scratch directory of its own.
#
# The command runs with LC_ALL=C, TERM=dumb, COLUMNS=100, NO_COLOR unset,
# NABLA_HISTORY unset and XDG_STATE_HOME inside the scratch directory, and
# is killed after $NABLA_TEST_TIMEOUT seconds (default 60) when timeout(1)
# is available.  A case may override any of that inline, e.g.
#   LC_ALL=de_DE.UTF-8 "$NABLA" 'x/2' x=1.5
#
# Usage:
#   make check TESTS=tests/golden.sh         the usual way (from the build dir)
#   tests/golden.sh [NAME...]                run all cases, or just these
#   UPDATE_GOLDEN=1 tests/golden.sh [NAME...]
#       (re)write NAME.out, NAME.err and NAME.status in the source tree from
#       what the current binary does (.err/.status are removed when stderr
#       is empty / the status is 0).  Review the result with `git diff`
#       before committing: the binary is now the specification.
#
# Environment: NABLA (the binary; default ./src/nabla in the current
# directory, which is what `make check` runs from, else the source tree's
# src/nabla), abs_top_srcdir (default:
# the parent of this script's directory), GOLDEN_DIR (default
# $abs_top_srcdir/tests/golden).

LC_ALL=C
export LC_ALL
unset NO_COLOR NABLA_HISTORY CDPATH
TERM=dumb
COLUMNS=100
INPUTRC=/dev/null
export TERM COLUMNS INPUTRC

me=golden.sh

bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

# --- where things are ---------------------------------------------------
if test -z "${abs_top_srcdir-}"; then
    abs_top_srcdir=$(cd "$(dirname "$0")/.." && pwd) || bail "cannot find the source tree"
fi
: "${GOLDEN_DIR:=$abs_top_srcdir/tests/golden}"
if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    # Run by hand from elsewhere: try an in-tree build.
    test -x "$NABLA" || NABLA=$abs_top_srcdir/src/nabla
fi
case $NABLA in
    /*) ;;
    *) NABLA=$(pwd)/$NABLA ;;
esac
export NABLA
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"
test -d "$GOLDEN_DIR" || bail "no directory $GOLDEN_DIR"

timeout_cmd=
if command -v timeout >/dev/null 2>&1; then
    timeout_cmd="timeout ${NABLA_TEST_TIMEOUT:-60}"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-golden.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- which cases ----------------------------------------------------------
if test $# -gt 0; then
    names=$*
else
    names=
    for f in "$GOLDEN_DIR"/*.cmd; do
        test -f "$f" || continue
        n=${f##*/}
        names="$names ${n%.cmd}"
    done
fi
set -f
# shellcheck disable=SC2086 # split the list of names (globbing is off)
set -- $names
set +f
if test $# -eq 0; then
    echo "1..0 # SKIP no golden cases in $GOLDEN_DIR"
    exit 0
fi
echo "1..$#"

# Prerequisites from NAME.requires; prints the first missing one.
missing_requirement() {
    while IFS= read -r req || test -n "$req"; do
        case $req in
            ''|'#'*) ;;
            locale:*)
                want=${req#locale:}
                # locale -a spells UTF-8 as utf8; compare loosely.
                norm=$(printf '%s' "$want" | tr '[:upper:]' '[:lower:]' | sed 's/-//g')
                if ! locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | sed 's/-//g' |
                        grep -qx "$norm"; then
                    printf '%s\n' "locale $want"
                    return 0
                fi ;;
            *)
                if ! command -v "$req" >/dev/null 2>&1; then
                    printf '%s\n' "$req"
                    return 0
                fi ;;
        esac
    done <"$1"
    return 1
}

n=0
failed=0
for name in "$@"; do
    n=$((n + 1))
    base=$GOLDEN_DIR/$name
    if ! test -f "$base.cmd"; then
        echo "not ok $n - $name"
        echo "# no such case: $base.cmd"
        failed=$((failed + 1))
        continue
    fi
    if test -f "$base.requires" && miss=$(missing_requirement "$base.requires"); then
        echo "ok $n - $name # SKIP needs $miss"
        continue
    fi

    cmd=$(cat "$base.cmd")
    stdin=/dev/null
    test -f "$base.in" && stdin=$base.in
    GOLDEN_TMP=$tmp/$name.scratch
    rm -rf "$GOLDEN_TMP"
    mkdir -p "$GOLDEN_TMP/state"
    XDG_STATE_HOME=$GOLDEN_TMP/state
    export GOLDEN_TMP XDG_STATE_HOME
    out=$tmp/$name.stdout
    err=$tmp/$name.stderr

    (cd "$GOLDEN_DIR" && exec $timeout_cmd sh -c "$cmd") <"$stdin" >"$out" 2>"$err"
    status=$?

    if test -n "${UPDATE_GOLDEN-}" && test "$UPDATE_GOLDEN" != 0; then
        cp "$out" "$base.out" || bail "cannot write $base.out"
        if test -s "$err"; then cp "$err" "$base.err"; else rm -f "$base.err"; fi
        if test "$status" -ne 0; then
            echo "$status" >"$base.status"
        else
            rm -f "$base.status"
        fi
        echo "ok $n - $name # updated (exit status $status)"
        continue
    fi

    want_status=0
    if test -f "$base.status"; then
        want_status=$(tr -d ' \t\r\n' <"$base.status")
    fi
    problems=$tmp/$name.problems
    : >"$problems"
    if test "$status" != "$want_status"; then
        if test "$status" -eq 124 && test -n "$timeout_cmd"; then
            echo "timed out after ${NABLA_TEST_TIMEOUT:-60}s" >>"$problems"
        elif test "$status" -ge 128; then
            echo "CRASHED: killed by signal $((status - 128)) (exit status $status), expected status $want_status" >>"$problems"
        else
            echo "exit status $status, expected $want_status" >>"$problems"
        fi
    fi
    if ! test -f "$base.out"; then
        echo "missing $name.out (create it: UPDATE_GOLDEN=1 tests/golden.sh $name)" >>"$problems"
    elif ! cmp -s "$base.out" "$out"; then
        echo "stdout differs (- expected, + actual):" >>"$problems"
        diff -u "$base.out" "$out" | sed -e '1,2d' -e '80q' >>"$problems"
    fi
    if test -f "$base.err"; then
        if ! cmp -s "$base.err" "$err"; then
            echo "stderr differs (- expected, + actual):" >>"$problems"
            diff -u "$base.err" "$err" | sed -e '1,2d' -e '80q' >>"$problems"
        fi
    elif test -s "$err"; then
        echo "unexpected stderr:" >>"$problems"
        sed -e 's/^/  /' -e '40q' "$err" >>"$problems"
    fi

    if test -s "$problems"; then
        echo "not ok $n - $name"
        printf '# command: %s\n' "$cmd"
        sed -e 's/^/# /' -e '200q' "$problems"
        failed=$((failed + 1))
    else
        echo "ok $n - $name"
    fi
done

test "$failed" -eq 0
