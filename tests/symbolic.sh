#!/bin/sh
# tests/symbolic.sh -- --symbolic on large programs, as TAP.
#
# For a chain 3000 and 6000 deep (nested sin, so every value is shared by
# the forward and the backward pass), chains of 3000 and 2000 statements
# with forks (the second of powers, whose rules are the longest), and
# wide programs (max and sum of 3000 arguments):
#   - the program --symbolic prints reads back: nabla -f evaluates it, and
#     each df_dNAME equals reverse mode's partial to a relative 1e-12;
#   - its size stays within the bound the man page states: at most
#     40 (nodes + edges) tokens (names, numbers, operators, parentheses);
#   - doubling the chain at most doubles the output (plus 10%): linear,
#     where printing each partial as one expression would be quadratic.
#
# Environment: NABLA (the binary), as `make check` sets it.

LC_ALL=C
export LC_ALL
: "${NABLA:=./src/nabla}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-symbolic.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

echo "1..11"
n=0
ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# Tokens of a program: names and numbers, and each operator or bracket.
tokens() {
    grep -v '^#' "$1" | tr -s ' ' '\n' |
        sed 's/[-+*\/^(),=]/\n&\n/g' | grep -c .
}

# Nodes plus edges of the program in file $1: the rows of the tidy CSV
# table are one per edge, plus one per leaf; count nodes from the ids.
size() {
    "$NABLA" -o csv -f "$1" 2>/dev/null |
        awk -F, 'NR > 1 { rows++; if ($1 != last) nodes++; last = $1 }
                 END { print rows + nodes }'
}

# The partial df_d$2 of the --symbolic program (in $tmp/sym) of the
# program $1 against reverse mode.
readback() {
    prog=$1 var=$2
    { cat "$tmp/sym"; echo "df_d$var"; } >"$tmp/back.nb"
    got=$("$NABLA" -o json -f "$tmp/back.nb" |
        sed -n 's/^{"output": "[^"]*", "value": \([^,]*\),.*/\1/p')
    want=$("$NABLA" -o json -f "$prog" |
        sed -n "s/.*\"gradient\": {.*\"$var\": \([^,}]*\).*/\1/p")
    awk -v a="$got" -v b="$want" 'BEGIN {
        d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; if (s < 1) s = 1
        exit !(a != "" && d <= 1e-12 * s) }' || {
        echo "# df_d$var: --symbolic $got, reverse mode $want"
        return 1
    }
}

check() {
    name=$1 prog=$2
    shift 2
    "$NABLA" --symbolic -f "$prog" >"$tmp/sym"
    r=$?
    for var in "$@"; do
        readback "$prog" "$var" || r=1
    done
    ok $r "$name: the --symbolic program reads back to reverse mode's gradient"
    t=$(tokens "$tmp/sym")
    s=$(size "$prog")
    echo "# $name: $t tokens, $s nodes + edges"
    test "$t" -le $((40 * s))
    ok $? "$name: at most 40 (nodes + edges) tokens"
}

# The inputs' values, as the programs' first statements.
inputs='x = 0.5; y = -0.75; x0 = 0.3; x1 = -0.7; x2 = 1.1; x3 = 0.2
x4 = -1.3; x5 = 0.9; x6 = 0.4'
deep() {
    printf '%s\n' "$inputs"
    awk -v d="$1" 'BEGIN { s = "x"; for (i = 0; i < d; i++) s = "sin(" s ")"; print s }'
}
deep 3000 >"$tmp/deep3000.nb"
deep 6000 >"$tmp/deep6000.nb"
check "nested sin, 3000 deep" "$tmp/deep3000.nb" x
t3=$(tokens "$tmp/sym")
"$NABLA" --symbolic -f "$tmp/deep6000.nb" >"$tmp/sym"
t6=$(tokens "$tmp/sym")
echo "# 3000 deep: $t3 tokens; 6000 deep: $t6 tokens"
test "$t6" -le $((t3 * 22 / 10))
ok $? "twice as deep, at most 2.2 times the tokens"

{ printf '%s\n' "$inputs"; awk 'BEGIN { print "a0 = x * y"
    for (i = 1; i <= 3000; i++)
        printf "a%d = a%d * x + sigmoid(a%d) / (1 + y^2)\n", i, i - 1, i - 1 }'; } >"$tmp/chain.nb"
check "3000 statements with forks" "$tmp/chain.nb" x y

{ printf '%s\n' "$inputs"; awk 'BEGIN { s = "max(x0"; for (i = 1; i < 3000; i++) s = s ", x" i % 7 " * " i / 3000
    print s ")" }'; } >"$tmp/max.nb"
check "max of 3000 arguments" "$tmp/max.nb" x0 x1 x6
{ printf '%s\n' "$inputs"; awk 'BEGIN { s = "sum(x0"; for (i = 1; i < 3000; i++) s = s ", x" i % 7 " * sin(x" (i + 1) % 7 ")"
    print s ")" }'; } >"$tmp/sum.nb"
check "sum of 3000 products" "$tmp/sum.nb" x0 x1 x6
{ echo "x = 0.5; y = 0.75; a0 = x"; awk 'BEGIN {
    for (i = 1; i <= 2000; i++) printf "a%d = a%d^y * x^a%d\n", i, i - 1, i - 1 }'; } \
    >"$tmp/powers.nb"
check "2000 statements of powers" "$tmp/powers.nb" x y
