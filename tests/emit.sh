#!/bin/sh
# tests/emit.sh -- the code --emit writes computes nabla's numbers, as TAP.
#
# For each program below (the seeds' circuits, the staged CS231n program,
# and programs that use every function, forks, named nodes and ties of
# max and min), on 60 points:
#   - `nabla --batch --no-echo` gives the value and the gradient;
#   - `nabla --emit c` is compiled with the system compiler ($CC, from
#     configure; SKIP when there is none) together with a small driver that
#     reads the same points and prints the function's value and gradient;
#   - `nabla --emit python` is run by python3 (SKIP without it) with a
#     driver of its own;
# and every number must agree with nabla's to a relative 1e-12 (both
# compute the same operations in the same order, the local gradients from
# the same rules; only libm and the Python helpers may round apart).
#
# Environment: NABLA (the binary), abs_top_srcdir, CC (the C compiler).

LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NABLA:=./src/nabla}"
: "${CC:=cc}"
golden=$abs_top_srcdir/tests/golden

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-emit.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# name|vars|program (a file in tests/golden, or an expression)
cases='seeds-mul|x,y,z|(x + y) * z
neuron|w0,x0,w1,x1,w2|1/(1+exp(-(w0*x0+w1*x1+w2)))
neuron-staged|w0,x0,w1,x1,w2|@neuron.nb
cs231n-staged|x,y|@cs231n.nb
routes|x,y,z|max(x, y, z) * relu(x - y) + abs(z) - min(z, x, 1) + sign(x) * floor(y) + ceil(z)
powers|x,y|pow(abs(x) + 0.5, y) + hypot(x, y) + atan2(y, x) + x^3 + (abs(y) + 1)**x
logs|x,y,z|log(x*x + 1) + sqrt(y*y + 2) + cbrt(z) + tanh(x) + sigmoid(y) + softplus(z) + log1p(x*x) + expm1(y/4) + log2(z*z + 1) + log10(y*y + 1)
trig|x,y,z|sin(x)*cos(y) + tan(z/4) + asin(tanh(x)*0.9) + acos(0.5*sin(y)) + atan(z) + sinh(x/2) + cosh(y/3)
forks|x,y|q = x*y; r = q + sin(q); s = mean(r, q, x) + sum(q, y); f = r*q/s'

count=$(printf '%s\n' "$cases" | wc -l | tr -d ' ')
echo "1..$((2 * count))"
n=0
failed=0

# 60 points, ties included (every variable 1, then pairs equal).
points() {
    awk -v names="$1" 'BEGIN {
        srand(7); k = split(names, v, ",")
        print names
        for (i = 0; i < 60; i++) {
            line = ""
            for (j = 1; j <= k; j++) {
                x = (rand() - 0.5) * 4
                if (i < 3) x = 1
                else if (i < 8 && j == 2) x = prev
                prev = x
                line = line (j > 1 ? "," : "") sprintf("%.17g", x)
            }
            print line
        }
    }'
}

# Compares two files of comma-separated numbers to a relative 1e-12.
agree() {
    awk -F, 'NR == FNR { want[FNR] = $0; rows = FNR; next }
        {
            split(want[FNR], w, ",")
            if (NF != split(want[FNR], w, ",")) { bad = 1; print "# row " FNR ": fields differ"; next }
            for (i = 1; i <= NF; i++) {
                a = w[i] + 0; b = $i + 0; d = a - b; if (d < 0) d = -d
                s = a < 0 ? -a : a; t = b < 0 ? -b : b; if (t > s) s = t; if (s < 1) s = 1
                if (d > 1e-12 * s) { bad = 1; print "# row " FNR " field " i ": nabla " w[i] ", emitted " $i }
            }
            got = FNR
        }
        END { if (got != rows) { print "# " got " rows, expected " rows; bad = 1 } exit bad }' "$1" "$2"
}

result() {
    n=$((n + 1))
    case $1 in
        ok) echo "ok $n - $2" ;;
        skip) echo "ok $n - $2 # SKIP $3" ;;
        *) echo "not ok $n - $2"; failed=$((failed + 1)); sed 's/^/# /' "$tmp/log" ;;
    esac
}

have_cc=no
if printf 'int main(void) { return 0; }\n' >"$tmp/probe.c" &&
        $CC -o "$tmp/probe" "$tmp/probe.c" >/dev/null 2>&1; then
    have_cc=yes
fi
have_py=no
command -v python3 >/dev/null 2>&1 && have_py=yes

printf '%s\n' "$cases" | while IFS='|' read -r name vars prog; do
    case $prog in
        @*) set -- -f "$golden/${prog#@}" ;;
        *) set -- "$prog" ;;
    esac
    nvars=$(printf '%s\n' "$vars" | awk -F, '{ print NF }')
    points "$vars" >"$tmp/$name.csv"
    "$NABLA" --batch --no-echo "$@" <"$tmp/$name.csv" | sed 1d >"$tmp/$name.want"
    fn=$("$NABLA" --batch --no-echo "$@" <"$tmp/$name.csv" | sed -n '1s/,.*//p')

    # C: the function, and a driver reading the points.
    : >"$tmp/log"
    if test $have_cc = no; then
        result skip "emit c: $name" "no C compiler ($CC)"
    else
        {
            "$NABLA" --emit c "$@"
            printf '#include <stdio.h>\n#include <stdlib.h>\nint main(void)\n{\n'
            printf '\tdouble x[%d], g[%d];\n\tchar line[4096];\n' "$nvars" "$nvars"
            printf '\tfgets(line, sizeof line, stdin);\n'
            printf '\twhile (fgets(line, sizeof line, stdin)) {\n\t\tchar *s = line;\n'
            printf '\t\tfor (int k = 0; k < %d; k++) { x[k] = strtod(s, &s); s++; }\n' "$nvars"
            printf '\t\tprintf("%%.17g", %s(' "$fn"
            awk -v k="$nvars" 'BEGIN { for (i = 0; i < k; i++) printf "x[%d], ", i }'
            printf 'g));\n\t\tfor (int k = 0; k < %d; k++) printf(",%%.17g", g[k]);\n' "$nvars"
            printf '\t\tputchar(10);\n\t}\n\treturn 0;\n}\n'
        } >"$tmp/$name.c"
        if $CC -std=c11 -o "$tmp/$name.bin" "$tmp/$name.c" -lm >"$tmp/log" 2>&1 &&
                "$tmp/$name.bin" <"$tmp/$name.csv" >"$tmp/$name.c.out" 2>>"$tmp/log" &&
                agree "$tmp/$name.want" "$tmp/$name.c.out" >>"$tmp/log"; then
            result ok "emit c: $name"
        else
            cat "$tmp/$name.c" >>"$tmp/log"
            result fail "emit c: $name"
        fi
    fi

    # Python: the function, and a driver.
    : >"$tmp/log"
    if test $have_py = no; then
        result skip "emit python: $name" "no python3"
    else
        {
            "$NABLA" --emit python "$@"
            printf '\nimport sys\nnames = "%s".split(",")\n' "$vars"
            printf 'next(sys.stdin)\nfor line in sys.stdin:\n'
            printf '    x = [float(s) for s in line.split(",")]\n'
            printf '    v, g = %s(*x)\n' "$fn"
            printf '    print(",".join(repr(float(t)) for t in [v] + [g[k] for k in names]))\n'
        } >"$tmp/$name.py"
        if python3 "$tmp/$name.py" <"$tmp/$name.csv" >"$tmp/$name.py.out" 2>"$tmp/log" &&
                agree "$tmp/$name.want" "$tmp/$name.py.out" >>"$tmp/log"; then
            result ok "emit python: $name"
        else
            cat "$tmp/$name.py" >>"$tmp/log"
            result fail "emit python: $name"
        fi
    fi
    test $failed -eq 0
done
