#!/bin/sh
# tests/golden.sh -- golden tests of the nabla command line, as TAP.
#
# Each case is one file, tests/golden/AREA/NAME.test, grouped by what the
# cases test (oneshot, modes, codegen, numerics, batch, repl, errors, tensor,
# tensor-out, tensor-modes); the
# TAP line names it AREA/NAME.  `make check` runs each area with its own
# script, tests/golden-AREA.sh, listed in Makefile.am's GOLDEN_TESTS (a
# new area needs both; a case file anywhere else fails the run).  A case
# file is a list of sections, each opened by a header line that starts
# with %%:
#
#   %% requires WORD...    optional: prerequisites, each a command name
#                          (dot) or locale:NAME (locale:de_DE.UTF-8); when
#                          one is missing the case is a SKIP, not a pass
#   %% command             one shell command line (several lines are one
#                          script), run with `sh -c` from tests/golden in
#                          the SOURCE tree, so the data files there can be
#                          named relatively; it calls the program as
#                          "$NABLA", e.g.   "$NABLA" -o csv 'x*y' x=2 y=3
#   %% stdin               optional: the command's stdin (absent: /dev/null)
#   %% stdout              expected stdout
#   %% stderr              expected stderr
#   %% status N            expected exit status
#
# Lines before the first header are a comment.  The content of a section
# is every line up to the next header or the end of the file, each with
# its newline, so a section can be empty and there are no blank lines
# between sections.  Outputs are compared byte for byte, and any bytes
# can be written down:
#   - `noeol` after the name (%% stdout noeol) says the content does not
#     end with a newline: the newline of its last line in the file is not
#     part of it;
#   - `escaped` after the name says that in this section \\ stands for a
#     backslash and \xHH for the byte HH (UPDATE_GOLDEN escapes a section
#     that is not printable UTF-8: NUL, ESC, CR, a byte order mark...);
#   - a content line that starts with %%, after any backslashes, is
#     written with one more backslash in front (\%%...), which is dropped.
# tests/golden-case.awk reads the format, tests/golden-encode.awk writes it.
# For example, tests/golden/errors/syntax-error.test is
#   %% command
#   "$NABLA" '(x + 1'
#   %% stdout
#   %% stderr
#   nabla: <expr>:1:7: error: expected ')' to close '(' at 1:1, found end of input
#     (x + 1
#           ^
#   %% status 2
#
# A command must not write into the current directory (it is read-only
# under `make distcheck`); it may use "$GOLDEN_TMP", an empty scratch
# directory of its own.  It runs with LC_ALL=C, TERM=dumb, COLUMNS=100,
# NO_COLOR unset, NABLA_HISTORY unset and XDG_STATE_HOME inside the
# scratch directory, and is killed after $NABLA_TEST_TIMEOUT seconds
# (default 300) when timeout(1) is available.  A case may override any of
# that inline, e.g.   LC_ALL=de_DE.UTF-8 "$NABLA" 'x/2' x=1.5
#
# Usage:
#   make check TESTS=tests/golden.sh     every case (from the build dir)
#   tests/golden.sh [AREA | AREA/NAME | NAME ...]    all cases, or these
#   UPDATE_GOLDEN=1 tests/golden.sh [...]
#       (re)write the stdout, stderr and status sections of the cases in
#       the source tree from what the current binary does (a new case
#       needs only its command).  Review the result with `git diff`
#       before committing: the binary is now the specification.
#
# Environment: NABLA (the binary; default ./src/nabla in the current
# directory, which is what `make check` runs from, else the source tree's
# src/nabla), abs_top_srcdir (default: the parent of this script's
# directory), GOLDEN_DIR (default $abs_top_srcdir/tests/golden).

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
case_awk=$abs_top_srcdir/tests/golden-case.awk
encode_awk=$abs_top_srcdir/tests/golden-encode.awk
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
for f in "$case_awk" "$encode_awk"; do
    test -r "$f" || bail "cannot read $f"
done
AWK=${AWK:-awk}

update=
if test -n "${UPDATE_GOLDEN-}" && test "$UPDATE_GOLDEN" != 0; then
    update=1
fi

timeout_cmd=
if command -v timeout >/dev/null 2>&1; then
    timeout_cmd="timeout ${NABLA_TEST_TIMEOUT:-300}"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-golden.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- which cases ----------------------------------------------------------
# Case names have no blanks: the lists below are split on them.
cases=
add_cases() {
    for f in "$@"; do
        test -f "$f" && cases="$cases $f"
    done
}
test $# -gt 0 || set -- "$GOLDEN_DIR"/*/
for arg in "$@"; do
    arg=${arg%/}
    if test -d "$GOLDEN_DIR/$arg"; then
        add_cases "$GOLDEN_DIR/$arg"/*.test
    elif test -f "$GOLDEN_DIR/$arg.test"; then
        add_cases "$GOLDEN_DIR/$arg.test"
    elif test -d "$arg"; then
        add_cases "$arg"/*.test
    elif test -f "$arg"; then
        add_cases "$arg"
    else
        found=$cases
        add_cases "$GOLDEN_DIR"/*/"$arg".test
        test "$found" != "$cases" || bail "no such case or area: $arg"
    fi
done
set -f
# shellcheck disable=SC2086 # split the list of cases (globbing is off)
set -- $cases
set +f
if test $# -eq 0; then
    echo "1..0 # SKIP no golden cases in $GOLDEN_DIR"
    exit 0
fi

# Files that make check would silently not run: old-format cases (one
# file per part; convert them), cases outside an area, areas that have
# no TAP script in Makefile.am.
strays=
for f in "$GOLDEN_DIR"/*.cmd "$GOLDEN_DIR"/*.test; do
    test -f "$f" && strays="$strays ${f##*/}"
done
for d in "$GOLDEN_DIR"/*/; do
    area=${d%/}
    area=${area##*/}
    grep -q "^	tests/golden-$area\.sh" "$abs_top_srcdir/Makefile.am" 2>/dev/null ||
        strays="$strays $area/ (no tests/golden-$area.sh in GOLDEN_TESTS)"
done
if test -n "$strays"; then
    echo "1..$(($# + 1))"
else
    echo "1..$#"
fi

# Prerequisites, one a line in $1; prints the first missing one.
missing_requirement() {
    while IFS= read -r req; do
        case $req in
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

# encode FILE NAME: FILE's bytes as the section NAME of a case file.
encode() {
    od -An -v -tu1 "$1" | $AWK -v name="$2" -f "$encode_awk"
}

# compare NAME: the expected section NAME (in $parts) against the actual
# output $tmp/NAME; a difference goes to $problems as a diff of the two
# sections as a case file would spell them.
compare() {
    if ! test -f "$parts/$1"; then
        echo "no '%% $1' section (write it: UPDATE_GOLDEN=1 tests/golden.sh $name)" >>"$problems"
    elif ! cmp -s "$parts/$1" "$tmp/$1"; then
        echo "$1 differs (- expected, + actual):" >>"$problems"
        encode "$parts/$1" "$1" >"$tmp/want.enc"
        encode "$tmp/$1" "$1" >"$tmp/got.enc"
        diff -u "$tmp/want.enc" "$tmp/got.enc" | sed -e '1,2d' -e '80q' >>"$problems"
    fi
}

n=0
failed=0
for file in "$@"; do
    n=$((n + 1))
    name=${file%.test}
    area=${name%/*}
    name=${area##*/}/${name##*/}
    parts=$tmp/parts
    problems=$tmp/problems
    rm -rf "$parts"
    mkdir "$parts" || bail "mkdir failed"
    : >"$problems"
    if ! $AWK -v dir="$parts" -f "$case_awk" "$file" 2>"$problems"; then
        echo "not ok $n - $name"
        sed -e 's/^/# /' "$problems"
        failed=$((failed + 1))
        continue
    fi
    if test -f "$parts/requires" && miss=$(missing_requirement "$parts/requires"); then
        echo "ok $n - $name # SKIP needs $miss"
        continue
    fi
    if ! test -f "$parts/command"; then
        echo "not ok $n - $name"
        echo "# no '%% command' section in $file"
        failed=$((failed + 1))
        continue
    fi

    cmd=$(cat "$parts/command")
    stdin=/dev/null
    test -f "$parts/stdin" && stdin=$parts/stdin
    GOLDEN_TMP=$tmp/scratch.$n
    mkdir -p "$GOLDEN_TMP/state"
    XDG_STATE_HOME=$GOLDEN_TMP/state
    export GOLDEN_TMP XDG_STATE_HOME

    (cd "$GOLDEN_DIR" && exec $timeout_cmd sh -c "$cmd") \
        <"$stdin" >"$tmp/stdout" 2>"$tmp/stderr"
    status=$?
    rm -rf "$GOLDEN_TMP"

    if test -n "$update"; then
        if ! { cat "$parts/kept" &&
               encode "$tmp/stdout" stdout &&
               encode "$tmp/stderr" stderr &&
               echo "%% status $status"; } >"$tmp/new" ||
                ! cp "$tmp/new" "$file"; then
            bail "cannot write $file"
        fi
        echo "ok $n - $name # updated (exit status $status)"
        continue
    fi

    if ! test -f "$parts/status"; then
        echo "no '%% status' section (write it: UPDATE_GOLDEN=1 tests/golden.sh $name)" >>"$problems"
    elif want_status=$(cat "$parts/status") && test "$status" -ne "$want_status"; then
        if test "$status" -eq 124 && test -n "$timeout_cmd"; then
            echo "timed out after ${NABLA_TEST_TIMEOUT:-300}s" >>"$problems"
        elif test "$status" -ge 128; then
            echo "CRASHED: killed by signal $((status - 128)) (exit status $status), expected status $want_status" >>"$problems"
        else
            echo "exit status $status, expected $want_status" >>"$problems"
        fi
    fi
    compare stdout
    compare stderr

    if test -s "$problems"; then
        echo "not ok $n - $name"
        printf '# command: %s\n' "$cmd"
        sed -e 's/^/# /' -e '200q' "$problems"
        failed=$((failed + 1))
    else
        echo "ok $n - $name"
    fi
done

if test -n "$strays"; then
    echo "not ok $((n + 1)) - files in tests/golden that no test runs:$strays"
    failed=$((failed + 1))
fi
test "$failed" -eq 0
