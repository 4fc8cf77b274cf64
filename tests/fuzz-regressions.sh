#!/bin/sh
# tests/fuzz-regressions.sh -- replays the fuzzers' crash inputs, as TAP.
#
# Every file under tests/fuzz/regressions/TARGET/ once made the libFuzzer
# target TARGET (tests/fuzz/TARGET.c) crash or trip a sanitizer.  Each is
# run through the nabla program the way the target ran it:
#
#   fuzz_program    nabla -o csv -f FILE
#   fuzz_repl       nabla < FILE           (a script, in a scratch directory)
#   fuzz_rowreader  nabla --batch with the options the first two bytes
#                   encode, on the data after them (split into two files
#                   at the first 0x1c byte), as fuzz_rowreader.c decodes
#                   them
#
# A case passes when nabla exits 0, 1 or 2 (a result or a clean error),
# not by a signal or valgrind's 99, and says nothing about a sanitizer
# (whose reports exit 1 by default: here they exit 98).  The bugs were
# memory errors and undefined behaviour, so these cases bite hardest in
# the sanitizer and valgrind builds (.ci/run runs both).
#
# Environment: NABLA (the binary), abs_top_srcdir (the source tree).

LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NABLA:=./src/nabla}"
regress=$abs_top_srcdir/tests/fuzz/regressions
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=98"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=98:halt_on_error=1"
export ASAN_OPTIONS UBSAN_OPTIONS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-fuzzreg.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

timeout_cmd=
if command -v timeout >/dev/null 2>&1; then
    timeout_cmd="timeout ${NABLA_TEST_TIMEOUT:-300}"
fi

count=0
for f in "$regress"/*/*; do
    test -f "$f" && count=$((count + 1))
done
echo "1..$count"

# The n-th byte (from 0) of a file, as a decimal number.
byte() {
    od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '
}

# Runs the rowreader case $1 as fuzz_rowreader.c would.
rowreader() {
    b0=$(byte "$1" 0) b1=$(byte "$1" 1)
    set -- "$1" --batch
    case $((b0 & 3)) in 1) set -- "$@" --input tsv ;; 2) set -- "$@" --input jsonl ;; esac
    case $((b0 >> 2 & 3)) in 1) set -- "$@" --on-error skip ;; 2|3) set -- "$@" --on-error nan ;; esac
    case $((b0 >> 4 & 3)) in 1) set -- "$@" --nodes ;; 2) set -- "$@" --edges ;; esac
    test $((b0 >> 6 & 1)) -eq 1 && set -- "$@" --no-echo
    case $((b1 & 3)) in
        0) set -- "$@" -o csv ;; 1) set -- "$@" -o tsv ;;
        2) set -- "$@" -o jsonl ;; 3) set -- "$@" -o table ;;
    esac
    set -- "$@" --precision $((1 + (b1 >> 4) % 17))
    case $((b1 >> 2 & 3)) in
        0) set -- "$@" --wrt y,x 'x * y' ;;
        1) set -- "$@" --wrt z,y,x 'q = x + y
f = q * z + log(abs(x)) + max(x, 0) / y' ;;
        2) set -- "$@" --wrt c,y,b,x,a 'a * x + b * y + c' ;;
        3) set -- "$@" --wrt y,x,c 'c = 3
x / c + c * y' ;;
    esac
    test $((b0 & 128)) -ne 0 && set -- "$@" y=2
    # The data after the two option bytes, split at the first 0x1c.
    tail -c +3 "$1" > "$tmp/data"
    cut=$(od -An -v -tu1 "$tmp/data" | tr -s ' ' '\n' | grep -v '^$' |
          grep -n '^28$' | head -n 1 | cut -d: -f1)
    if test -n "$cut"; then
        head -c $((cut - 1)) "$tmp/data" > "$tmp/0"
        tail -c +$((cut + 1)) "$tmp/data" > "$tmp/1"
        set -- "$@" "$tmp/0" "$tmp/1"
    else
        cp "$tmp/data" "$tmp/0"
        set -- "$@" "$tmp/0"
    fi
    shift
    $timeout_cmd "$NABLA" "$@" </dev/null >/dev/null 2>"$tmp/err"
}

n=0
for f in "$regress"/*/*; do
    test -f "$f" || continue
    n=$((n + 1))
    target=$(basename "$(dirname "$f")")
    name=$target/$(basename "$f")
    rm -rf "$tmp/cwd" && mkdir "$tmp/cwd" || exit 99
    case $target in
        fuzz_program)
            $timeout_cmd "$NABLA" -o csv -f "$f" </dev/null >/dev/null 2>"$tmp/err" ;;
        fuzz_repl)
            (cd "$tmp/cwd" && $timeout_cmd "$NABLA" <"$f" >/dev/null 2>"$tmp/err") ;;
        fuzz_rowreader)
            rowreader "$f" ;;
        *)
            echo "not ok $n - $name: unknown target"; continue ;;
    esac
    status=$?
    if test "$status" -le 2 &&
            ! grep -Eq 'Sanitizer|runtime error:' "$tmp/err"; then
        echo "ok $n - $name (exit $status)"
    else
        echo "not ok $n - $name: exit status $status"
        sed 's/^/# /' "$tmp/err" | head -n 20
    fi
done
