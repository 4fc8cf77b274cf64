#!/bin/sh
# tests/limits.sh -- limits and hostile input, as TAP.
#
# Every input here is generated at test time into a scratch directory
# (nothing big is committed): 10^6 nested parentheses and unary minuses,
# 350000 nested calls, a ~90 MB program of 10^7 terms over 10^5
# variables, 10^5 columns, identifiers of 10^6 bytes, a 10^7-byte CSV
# line, NUL bytes and invalid UTF-8.  Each case must end with its
# documented exit status and diagnostic (man nabla, LIMITS), never a
# crash or a hang, within NABLA_TEST_TIMEOUT seconds (default 300; each
# case takes a few at most, even on a loaded machine).
#
# Environment: NABLA (default ./src/nabla), NABLA_TEST_TIMEOUT.

LC_ALL=C
export LC_ALL
unset NO_COLOR NABLA_HISTORY CDPATH
TERM=dumb
export TERM

me=limits.sh

bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    test -x "$NABLA" || NABLA=$(cd "$(dirname "$0")/.." && pwd)/src/nabla
fi
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"
command -v awk >/dev/null 2>&1 || bail "awk is needed to generate the inputs"

timeout_cmd=
if command -v timeout >/dev/null 2>&1; then
    timeout_cmd="timeout ${NABLA_TEST_TIMEOUT:-300}"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-limits.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
cd "$tmp" || bail "cannot enter $tmp"

n=0
failed=0

# check DESC STATUS OUT-REGEX ERR-REGEX -- COMMAND...
# Runs COMMAND (stdin /dev/null unless redirected by the caller) and wants
# exit status STATUS, a line of stdout matching OUT-REGEX and a line of
# stderr matching ERR-REGEX (an empty regex: that stream must be empty).
check() {
    desc=$1 want=$2 outre=$3 errre=$4
    shift 5
    n=$((n + 1))
    $timeout_cmd "$@" >out 2>err
    status=$?
    : >problems
    if test "$status" -eq 124 && test -n "$timeout_cmd"; then
        echo "timed out after ${NABLA_TEST_TIMEOUT:-300}s" >>problems
    elif test "$status" -ge 128; then
        echo "CRASHED: killed by signal $((status - 128))" >>problems
    elif test "$status" -ne "$want"; then
        echo "exit status $status, expected $want" >>problems
    fi
    for s in out err; do
        if test "$s" = out; then re=$outre; else re=$errre; fi
        if test -z "$re"; then
            if test -s "$s"; then
                echo "std$s is not empty:" >>problems
                cut -c1-200 "$s" | sed -e 's/^/  /' -e '5q' >>problems
            fi
        elif ! grep -Eq -e "$re" "$s"; then
            echo "no line of std$s matches /$re/; it was:" >>problems
            cut -c1-200 "$s" | sed -e 's/^/  /' -e '5q' >>problems
        fi
    done
    # A diagnostic line longer than this buries the message (a message
    # is at most 511 bytes, an excerpt 160 plus its "..." marks).
    if test -s err && test "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' err)" -gt 600; then
        echo "a stderr line is longer than 600 bytes" >>problems
    fi
    if test -s problems; then
        echo "not ok $n - $desc"
        sed -e 's/^/# /' problems
        failed=$((failed + 1))
    else
        echo "ok $n - $desc"
    fi
}

echo "1..32"

printf 'row\n1\n' >one.csv
depth='expression nested deeper than 1000000 levels'

# --- nesting ---------------------------------------------------------------
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "("; printf "x";
             for (i = 0; i < 1000000; i++) printf ")"; print "" }' >parens.nb
check "10^6 nested parentheses: depth error" 2 '' "^nabla: parens.nb:1:1000001: error: $depth" -- \
    "$NABLA" -f parens.nb x=1
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "-"; print "x" }' >minus.nb
check "10^6 unary minuses: depth error" 2 '' "^nabla: minus.nb:1:1000001: error: $depth" -- \
    "$NABLA" -f minus.nb x=1
awk 'BEGIN { for (i = 0; i < 999999; i++) printf "("; printf "x";
             for (i = 0; i < 999999; i++) printf ")"; print "" }' >deep.nb
check "999999 nested parentheses are accepted" 0 '^1,1$' '' -- \
    "$NABLA" --batch --no-echo -f deep.nb x=1 one.csv
# t = tanh(t * 0.5 + x) nested 350000 deep from t = x: at x = 0 every t
# is 0 and dt/dx = 2 - 2^-k, which is 2 in doubles long before the top.
awk 'BEGIN { for (i = 0; i < 350000; i++) printf "tanh("; printf "x";
             for (i = 0; i < 350000; i++) printf " * 0.5 + x)"; print "" }' >chain.nb
check "a chain of 350000 nested calls runs" 0 '^0,2$' '' -- \
    "$NABLA" --batch --no-echo -f chain.nb x=0 one.csv
awk 'BEGIN { printf "x"; for (i = 0; i < 1000000; i++) printf "^x"; print "" }' >pow.nb
check "10^6 right-associative ^: depth error" 2 '' "error: $depth" -- \
    "$NABLA" -f pow.nb x=1

# --- size ------------------------------------------------------------------
# 10^5 constant bindings, then one sum of 10^7 terms: about 90 MB.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "x%d = 1\n", i;
             printf "f = x0";
             for (i = 1; i < 10000000; i++) printf " + x%d", i % 100000;
             print "" }' >big.nb
check "a 90 MB program of 10^7 terms" 0 '^1,10000000,100,100$' '' -- \
    "$NABLA" --batch --wrt=x0,x99999 -f big.nb one.csv
awk 'BEGIN { printf "sum(x0"; for (i = 1; i < 100000; i++) printf ",x%d", i; print ")" }' >wide.nb
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%sx%d", (i ? "," : ""), i; print "";
             for (i = 0; i < 100000; i++) printf "%s%d", (i ? "," : ""), i % 10; print "" }' >wide.csv
check "10^5 variables from a batch header" 0 '^450000,1,1$' '' -- \
    "$NABLA" --batch --no-echo --wrt=x1,x99999 -f wide.nb wide.csv
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "x%d = %d\n", i, i % 10;
             printf "f = sum(x0"; for (i = 1; i < 100000; i++) printf ",x%d", i; print ")" }' >wideb.nb
check "10^5 variables bound by the program" 0 '^1,450000,1,1$' '' -- \
    "$NABLA" --batch --wrt=x1,x99999 -f wideb.nb one.csv
awk 'BEGIN { printf "f = x0"; for (i = 1; i < 100000; i++) printf " * x%d", i; print "" }' >unbound.nb
check "10^5 unbound variables: named, then counted" 2 '' \
    "^nabla: unbound.nb:1:5: error: unbound variables x0, x1, .* and [0-9]+ more$" -- \
    "$NABLA" -f unbound.nb

# 3*10^5 JSON Lines keys that feed no variable must be unique: found by
# a sort (comparing every pair, 4.5*10^10 of them, took minutes).
quick=
if command -v timeout >/dev/null 2>&1; then
    quick="timeout 60"
fi
awk 'BEGIN { printf "{\"x\":1"
             for (i = 0; i < 300000; i++) printf ",\"k%d\":0", i
             print "}" }' >wide.jsonl
sed 's/}$/,"k7":1}/' wide.jsonl >widedup.jsonl
# the repeat's key quote: where wide.jsonl's "}\n" was, past the comma
dupcol=$(wc -c <wide.jsonl)
dupcol=$((dupcol))
check "3*10^5 JSON Lines keys passed through" 0 '^2,2$' '' -- \
    $quick "$NABLA" --batch --no-echo --input=jsonl 'x*2' wide.jsonl
check "a repeated key among 3*10^5 JSON Lines keys" 2 '' \
    "^nabla: widedup.jsonl:1:$dupcol: error: column 'k7' appears twice$" -- \
    $quick "$NABLA" --batch --no-echo --input=jsonl 'x*2' widedup.jsonl
# A record's keys in another order than the first line's are found by
# a binary search, and so are a rejected record's (--on-error=nan):
# looking each up among every column took 11 s for 10^5 keys, a
# minute for these (here well under a second).
quicker=
if command -v timeout >/dev/null 2>&1; then
    quicker="timeout 20"
fi
awk 'BEGIN { printf "{"
             for (i = 299999; i >= 0; i--) printf "\"k%d\":0,", i
             print "\"x\":3}" }' >widerev.jsonl
sed 's/3}$/tru}/' widerev.jsonl >widebad.jsonl
check "a record of 3*10^5 keys in the reverse order" 0 '^6,2$' '' -- \
    $quicker "$NABLA" --batch --no-echo --input=jsonl 'x*2' wide.jsonl \
    widerev.jsonl
check "a rejected record of 3*10^5 keys in the reverse order" 0 \
    '^nan,nan$' "warning: 'tru' is not a JSON value" -- \
    $quicker "$NABLA" --batch --no-echo --on-error=nan --input=jsonl \
    'x*2' wide.jsonl widebad.jsonl

# --- long identifiers ------------------------------------------------------
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "a"; print " = 2";
             printf "f = 3 * "; for (i = 0; i < 1000000; i++) printf "a"; print "" }' >longid.nb
check "an identifier of 10^6 bytes" 0 '^6,3$' '' -- \
    "$NABLA" --batch --no-echo -f longid.nb one.csv
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "a"; print " + 1" }' >longunb.nb
check "an unbound identifier of 10^6 bytes is named (cut)" 2 '' \
    '^nabla: longunb.nb:1:1: error: unbound variable a{40}\.\.\.$' -- \
    "$NABLA" -f longunb.nb
awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "b"; print "(x)" }' >longfn.nb
check "an unknown function of 10^6 bytes" 2 '' "^nabla: longfn.nb:1:1: error: unknown function 'b{40}\\.\\.\\.'" -- \
    "$NABLA" -f longfn.nb x=1

# --- bytes -----------------------------------------------------------------
printf 'x + \0001\n' >nul.nb
check "a NUL byte in a program file" 2 '' '^nabla: nul.nb:1:5: error: NUL byte in program$' -- \
    "$NABLA" -f nul.nb x=1
printf 'x + \377\376\n' >utf.nb
check "invalid UTF-8 in a program file" 2 '' '^nabla: utf.nb:1:5: error: unexpected non-ASCII character$' -- \
    "$NABLA" -f utf.nb x=1
printf 'x,y\n1,\0002\n' >nul.csv
check "a NUL byte in a CSV file" 1 '^x,y,f' '^nabla: nul.csv:2:3: error: NUL byte in the input$' -- \
    "$NABLA" --batch x+y nul.csv
printf 'x,y\n1,\3772\n' >utf.csv
check "invalid UTF-8 in a CSV number" 1 '^x,y,f' '^nabla: utf.csv:2:3: error: .* is not a number$' -- \
    "$NABLA" --batch x+y utf.csv
printf '{"x":1,\000}\n' >nul.jsonl
check "a NUL byte in a JSONL file" 1 '' '^nabla: nul.jsonl:1:8: error: expected a "key" after .,., found a NUL byte$' -- \
    "$NABLA" --batch --input=jsonl x nul.jsonl
printf 'x,name\n1,\377\376\n' >utfname.csv
check "invalid UTF-8 in a column that feeds no variable is copied" 0 '^1,.*,1,1$' '' -- \
    "$NABLA" --batch x utfname.csv
printf 'x = 1\000\nx + \377\n' >nul.script
check "a NUL byte and invalid UTF-8 in a script" 1 '' '^nabla: <stdin>:2:5: error: unexpected non-ASCII character$' -- \
    sh -c 'exec "$0" <nul.script' "$NABLA"
printf 'x,y\n"1,2\n3,4\n' >quote.csv
check "a CSV quote that is never closed" 1 '^x,y,f' '^nabla: quote.csv:2:1: error: unterminated quoted field$' -- \
    "$NABLA" --batch x+y quote.csv

# --- empty input -----------------------------------------------------------
: >empty.nb
check "an empty program file" 2 '' '^nabla: empty.nb:1:1: error: empty program: nothing to differentiate$' -- \
    "$NABLA" -f empty.nb
printf '# only a comment\n\n;\n' >comment.nb
check "a program of comments and separators" 2 '' 'error: empty program: nothing to differentiate$' -- \
    "$NABLA" -f comment.nb
: >empty.csv
check "an empty batch input: no column for x" 2 '' '^nabla: <expr>:1:1: error: unbound variable x$' -- \
    "$NABLA" --batch 'x' empty.csv
check "an empty batch input with every variable bound" 0 '^f,df/dx$' '' -- \
    "$NABLA" --batch 'x' x=1 empty.csv

# --- long lines --------------------------------------------------------------
awk 'BEGIN { print "x,y"; printf "1,"; for (i = 0; i < 9999990; i++) printf "0"; print "2"; print "3,4" }' >long.csv
check "a batch line of 10^7 bytes" 0 '^3,4,7,1,1$' '' -- \
    "$NABLA" --batch 'x+y' long.csv
awk 'BEGIN { print "x,y"; printf "\"1"; for (i = 0; i < 9999990; i++) printf "a"; print "\",2" }' >longbad.csv
check "a bad field of 10^7 bytes: a short message" 1 '^x,y,f' "^nabla: longbad.csv:2:1: error: '1a{39}\\.\\.\\.' is not a number$" -- \
    "$NABLA" --batch 'x+y' longbad.csv
awk 'BEGIN { printf "x"; for (i = 0; i < 1000000; i++) printf " + x"; print " $" }' >longerr.nb
check "an error at the end of a 4 MB line: a short excerpt" 2 '' '^nabla: longerr.nb:1:4000003: error: unexpected character' -- \
    "$NABLA" -f longerr.nb x=1

# --- memory ------------------------------------------------------------------
# Under a cap on address space (ulimit -v, in KiB) allocation fails: a
# clean error, exit 1.  A sanitizer build cannot run under such a cap at
# all, so these cases are skipped when even --version fails under it.
if sh -c 'ulimit -v 400000 && exec "$0" --version' "$NABLA" >/dev/null 2>&1; then
    check "out of memory on the 90 MB program" 1 '' '^nabla: out of memory$' -- \
        sh -c 'ulimit -v 400000 && exec "$0" --batch -f big.nb one.csv' "$NABLA"
else
    n=$((n + 1)); echo "ok $n - out of memory under ulimit -v # SKIP ulimit -v unavailable or a sanitizer build"
fi

test "$n" -eq 32 || {
    echo "# ran $n cases, planned 32"
    failed=$((failed + 1))
}
test "$failed" -eq 0
