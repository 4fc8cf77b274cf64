#!/bin/sh
# tests/op-mode-sweep.sh -- every function through every mode, as TAP.
#
# The function list is nabla's own (--list-functions): each signature
# becomes programs on scalars, vectors and matrices (alone, reduced by
# sum, with an axis where it takes one), and each program runs through
# the default table, every mode and every output format, and on rows of
# scalars through batch mode's per-row modes.  A run passes
# when it ends in a result or a clean error (exit 0, 1 or 2) with no
# sanitizer report: a tensor op on scalars once crashed --explain, which
# the hand-written goldens never reached.  One TAP line per program and
# inputs, listing the modes that failed.
#
# Environment: NABLA (the binary).

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=98"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=98:halt_on_error=1"
export ASAN_OPTIONS UBSAN_OPTIONS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-sweep.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# The programs of one signature: a, b become x, y; "..." and an optional
# axis are dropped (and the axis also tried); an index becomes 0.
programs() {
    "$NABLA" --list-functions | sed 1d | sed 's/  .*//' |
        sed -e 's/\[i\]/[0]/' -e 's/, \.\.\.//' -e 's/\[, axis=A\]//' \
            -e 's/\[, n\]/, 2/' -e 's/(m/(2/' \
            -e 's/\ba\b/x/g' -e 's/\bb\b/y/g' |
        while IFS= read -r f; do
            printf '%s\n' "$f" "sum($f)"
            case $f in
                sum\(*|mean\(*|max\(*|min\(*|logsumexp\(*|softmax\(*|\
                log_softmax\(*)
                    printf '%s\n' "sum(${f%)}, axis=0))" ;;
            esac
        done
}

# Each input kind: bindings of x and y.
inputs() {
    printf '%s\n' 'x=2 y=3' 'x=0 y=-1' 'x=[1,2,3] y=[4,-5,6]' \
        'x=[[1,2],[3,4]] y=[[5,6],[7,-8]]'
}

modes() {
    printf '%s\n' '' '--explain' '--check' '--forward' '--hessian' \
        '--symbolic' '--emit=c' '--emit=python' '--emit=cblas' \
        '--jacobian' '-o json' '-o dot' '-o jsonl' '-o csv' '-q' \
        '--hvp=x=1' '--jvp=x=1' '--explain --upstream=1'
}

# Batch, on rows of the scalar inputs: its lean tapes keep no edges.
batch_modes() {
    printf '%s\n' '' '--check' '--jvp=x=1' '--hvp=x=1' '--nodes' \
        '--edges' '--sum' '-o jsonl' '-j2'
}

# Notes a failure of the run just made, whose exit status is $?.
verdict() {
    rc=$?
    if [ "$rc" -gt 2 ] || grep -q 'runtime error\|Sanitizer' "$tmp/err"
    then
        bad="$bad [$1: $rc]"
    fi
}

programs > "$tmp/programs" || exit 99
batch_modes > "$tmp/batch-modes"
inputs > "$tmp/inputs"
modes > "$tmp/modes"
n=$(($(wc -l < "$tmp/programs") * $(wc -l < "$tmp/inputs")))
[ "$n" -gt 200 ] || {
    echo "Bail out! only $n cases: --list-functions changed?"
    exit 99
}
echo "1..$n"

count=0
while IFS= read -r prog; do
    while IFS= read -r binds; do
        count=$((count + 1))
        bad=
        while IFS= read -r mode; do
            # shellcheck disable=SC2086
            $NABLA $mode -- "$prog" $binds \
                > /dev/null 2> "$tmp/err" < /dev/null
            verdict "${mode:-table}"
        done < "$tmp/modes"
        case $binds in
        *\[*) ;;
        *)
            # shellcheck disable=SC2086
            set -- $binds
            printf 'x,y\n%s,%s\n%s,%s\n' "${1#x=}" "${2#y=}" \
                "${2#y=}" "${1#x=}" > "$tmp/data.csv"
            while IFS= read -r mode; do
                # shellcheck disable=SC2086
                $NABLA --batch $mode -- "$prog" "$tmp/data.csv" \
                    > /dev/null 2> "$tmp/err" < /dev/null
                verdict "--batch $mode"
            done < "$tmp/batch-modes"
            ;;
        esac
        if [ -z "$bad" ]; then
            echo "ok $count - $prog with $binds"
        else
            echo "not ok $count - $prog with $binds:$bad"
        fi
    done < "$tmp/inputs"
done < "$tmp/programs"
