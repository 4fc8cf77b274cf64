#!/bin/sh
# tests/docs.sh -- the documentation agrees with the program, as TAP.
#
# Checks, against the built binary and the source tree:
#   - every function that `nabla --list-functions` and `nabla --help' name
#     has its own entry in the FUNCTIONS section of man/nabla.1 (a line
#     such as `.BI exp( a )') and is listed in grammar/nabla.ebnf;
#   - every option of `nabla --help' (long and short) is documented in the
#     OPTIONS section of man/nabla.1, and every option documented there
#     exists; the README points to the manual page;
#   - `mandoc -T lint -W warning man/nabla.1' is clean (SKIP without mandoc);
#   - the man page's version is the program's (SKIP for a build without
#     config.h, which reports "unknown");
#   - the nesting limit NB_MAX_DEPTH of src/core/program.h is the one the man
#     page and the grammar state;
#   - the README names the packages of bootstrap's deps and of .ci/run's
#     ci_tools, as written there: "(gcc make ...)";
#   - every line of `nabla --help' and of the REPL's `:help' fits 80
#     columns;
#   - the README's two commands are there, and its first command (the
#     sigmoid neuron) prints 0.731059 and the very summary lines (f = ...,
#     df/dNAME = ...) that the README shows.
#
# Usage: tests/docs.sh            (make check runs it through the TAP driver)
# Environment: NABLA (the binary; default ./src/nabla, else the source
# tree's src/nabla), abs_top_srcdir or srcdir (the source tree; default the
# parent of this script's directory).  Nothing is written to the source
# tree, so it works in a VPATH build with a read-only source tree.

LC_ALL=C
export LC_ALL
unset NO_COLOR CDPATH
TERM=dumb
export TERM

me=docs.sh

bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

# --- where things are ---------------------------------------------------
if test -n "${abs_top_srcdir-}"; then
    top=$abs_top_srcdir
elif test -n "${srcdir-}" && test -f "$srcdir/man/nabla.1"; then
    top=$srcdir
else
    top=$(cd "$(dirname "$0")/.." && pwd) || bail "cannot find the source tree"
fi
man=$top/man/nabla.1
readme=$top/README
ebnf=$top/grammar/nabla.ebnf
programh=$top/src/core/program.h
for f in "$man" "$readme" "$ebnf" "$programh"; do
    test -r "$f" || bail "cannot read $f"
done

if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    test -x "$NABLA" || NABLA=$top/src/nabla
fi
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-docs.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- what the program says about itself ----------------------------------
"$NABLA" --help >"$tmp/help" 2>"$tmp/help.err" ||
    bail "'nabla --help' failed: $(cat "$tmp/help.err")"
"$NABLA" --list-functions >"$tmp/list" 2>"$tmp/list.err" ||
    bail "'nabla --list-functions' failed: $(cat "$tmp/list.err")"

# Function names: the calls of --list-functions ("exp(a)  1  ...") and the
# "Functions:" paragraph of --help (which also names pow, listed as a ^ b).
{
    sed -n 's/^\([a-z][a-z0-9_]*\)(.*/\1/p' "$tmp/list"
    sed -n '/^Functions:/,/^$/p' "$tmp/help" | sed '1s/^Functions://' |
        tr ' ' '\n' | grep '^[a-z][a-z0-9_]*$'
} | sort -u >"$tmp/functions"
test -s "$tmp/functions" || bail "found no function names in --list-functions"

# Options: "  -f, --file=FILE ..." and "      --wrt=NAMES ..." lines.
sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}--\([a-z][a-z0-9-]*\).*/\2/p' "$tmp/help" |
    sort -u >"$tmp/longopts"
sed -n 's/^ *-\([A-Za-z]\), --.*/\1/p' "$tmp/help" | sort -u >"$tmp/shortopts"
test -s "$tmp/longopts" || bail "found no options in --help"

# The man page's sections, as roff source.
section() {
    sed -n "/^\\.SH $1\$/,/^\\.SH /p" "$man" | sed '$d'
}
section FUNCTIONS >"$tmp/man.functions"
section OPTIONS >"$tmp/man.options"
# The same with roff's "\-" read as "-".
sed 's/\\-/-/g' "$tmp/man.options" >"$tmp/man.options.plain"
test -s "$tmp/man.functions" || bail "man/nabla.1 has no FUNCTIONS section"
test -s "$tmp/man.options" || bail "man/nabla.1 has no OPTIONS section"

# Options documented in OPTIONS: the line after each .TP, in roff ("\-\-wrt").
awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' "$tmp/man.options.plain" |
    grep -o -e '--[a-z][a-z0-9-]*' | sed 's/^--//' |
    sort -u >"$tmp/man.longopts"

nfun=$(wc -l <"$tmp/functions" | tr -d ' ')
nlong=$(wc -l <"$tmp/longopts" | tr -d ' ')
nshort=$(wc -l <"$tmp/shortopts" | tr -d ' ')
echo "1..$((nfun + nlong + nshort + 14))"

n=0
failed=0
ok() {
    n=$((n + 1))
    printf 'ok %d - %s\n' "$n" "$1"
}
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    printf 'not ok %d - %s\n' "$n" "$1"
    shift
    for line in "$@"; do
        printf '# %s\n' "$line"
    done
}
skip() {
    n=$((n + 1))
    printf 'ok %d - %s # SKIP %s\n' "$n" "$1" "$2"
}
# check DESCRIPTION COMMAND...: ok when COMMAND succeeds.
check() {
    desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# --- functions -------------------------------------------------------------
while IFS= read -r f; do
    if grep -Eq "^\\.[A-Z]+ +$f\\(" "$tmp/man.functions"; then
        ok "man/nabla.1 FUNCTIONS documents $f"
    else
        not_ok "man/nabla.1 FUNCTIONS documents $f" \
            "no entry such as '.BI $f( a )' in the FUNCTIONS section"
    fi
done <"$tmp/functions"

missing=
while IFS= read -r f; do
    grep -q "\"$f\"" "$ebnf" || missing="$missing $f"
done <"$tmp/functions"
if test -z "$missing"; then
    ok "grammar/nabla.ebnf lists every function"
else
    not_ok "grammar/nabla.ebnf lists every function" "missing:$missing"
fi

# --- options -------------------------------------------------------------
while IFS= read -r o; do
    if grep -qx -e "$o" "$tmp/man.longopts"; then
        ok "man/nabla.1 OPTIONS documents --$o"
    else
        not_ok "man/nabla.1 OPTIONS documents --$o" \
            "no '.TP' entry for '--$o' (roff: \\-\\-...) in the OPTIONS section"
    fi
done <"$tmp/longopts"
while IFS= read -r o; do
    if grep -Eq "^\\.[A-Z]+ +\\\\-$o( |\$)" "$tmp/man.options"; then
        ok "man/nabla.1 OPTIONS documents -$o"
    else
        not_ok "man/nabla.1 OPTIONS documents -$o" \
            "no '.TP' entry starting with '\\-$o' in the OPTIONS section"
    fi
done <"$tmp/shortopts"

extra=$(comm -13 "$tmp/longopts" "$tmp/man.longopts" | tr '\n' ' ')
if test -z "$extra"; then
    ok "every option in man/nabla.1 OPTIONS exists in --help"
else
    not_ok "every option in man/nabla.1 OPTIONS exists in --help" \
        "documented but not in --help: $extra"
fi
check "man/nabla.1 OPTIONS documents '--' (end of options)" \
    grep -q '^\.B \\-\\-$' "$tmp/man.options"
check "README points to the manual page man/nabla.1" \
    grep -q 'man/nabla\.1' "$readme"

# --- help that fits an 80-column terminal -------------------------------------
printf ':help\n' | "$NABLA" >"$tmp/cmdhelp" 2>"$tmp/cmdhelp.err" ||
    bail "':help' failed: $(cat "$tmp/cmdhelp.err")"
# narrow FILE: no line of FILE over 80 columns (ASCII: bytes are columns);
# the wider ones are shown as TAP comments.
narrow() {
    awk 'length > 80 { printf "# %d columns: %s\n", length, $0; bad = 1 }
         END { exit bad }' "$1"
}
check "every line of 'nabla --help' fits 80 columns" narrow "$tmp/help"
check "every line of the REPL's ':help' fits 80 columns" narrow "$tmp/cmdhelp"

# --- the man page itself ------------------------------------------------------
if command -v mandoc >/dev/null 2>&1; then
    mandoc -T lint -W warning "$man" >"$tmp/lint" 2>&1
    status=$?
    if test "$status" -eq 0 && ! test -s "$tmp/lint"; then
        ok "mandoc -T lint -W warning man/nabla.1 is clean"
    else
        set -- "mandoc exit status $status"
        while IFS= read -r line; do
            set -- "$@" "$line"
        done <"$tmp/lint"
        not_ok "mandoc -T lint -W warning man/nabla.1 is clean" "$@"
    fi
else
    skip "mandoc -T lint -W warning man/nabla.1 is clean" "mandoc not installed"
fi

version=$("$NABLA" --version | sed -n '1s/^nabla //p')
case $version in
    '' | unknown)
        skip "man/nabla.1 names the program's version" \
            "built without a version (got '$version')" ;;
    *)
        if grep -q "^\\.TH NABLA 1 .*\"nabla $version\"" "$man"; then
            ok "man/nabla.1 names the program's version ($version)"
        else
            not_ok "man/nabla.1 names the program's version ($version)" \
                "the .TH line is: $(grep '^\.TH' "$man")"
        fi ;;
esac

depth=$(sed -n 's/^#define NB_MAX_DEPTH \([0-9][0-9]*\).*/\1/p' "$programh")
if test -z "$depth"; then
    not_ok "the docs state the nesting limit NB_MAX_DEPTH" \
        "no '#define NB_MAX_DEPTH N' in src/core/program.h"
elif grep -q "nested deeper than $depth levels" "$man" &&
        grep -q "NB_MAX_DEPTH = $depth " "$ebnf"; then
    ok "the docs state the nesting limit NB_MAX_DEPTH = $depth"
else
    not_ok "the docs state the nesting limit NB_MAX_DEPTH = $depth" \
        "man/nabla.1 or grammar/nabla.ebnf gives another limit"
fi

# --- the README -----------------------------------------------------------------
# packages FILE ARRAY: the words of the bash array ARRAY=(...) in FILE.
packages() {
    sed -n "/^$2=(/,/)/p" "$1" | tr '\n' ' ' |
        sed -e "s/^$2=(//" -e 's/).*//' -e 's/  */ /g' -e 's/^ //' -e 's/ $//'
}
tr '\n' ' ' <"$readme" | sed 's/  */ /g' >"$tmp/readme.line"
# readme_lists FILE ARRAY: the README names ARRAY's packages, in order.
readme_lists() {
    words=$(packages "$top/$1" "$2")
    if test -n "$words" && grep -Fq "($words)" "$tmp/readme.line"; then
        ok "README lists $1's packages ($2) as they are"
    else
        not_ok "README lists $1's packages ($2) as they are" \
            "want \"($words)\" in README"
    fi
}
readme_lists bootstrap deps
readme_lists .ci/run ci_tools

cmdline=$(sed -n 's|^ *\./bootstrap && src/nabla ||p' "$readme" | sed -n 1p)
# shellcheck disable=SC2016 # the README's text, $(nproc) included
if test -n "$cmdline" && grep -q '^ *make -j$(nproc) check *$' "$readme"; then
    ok "README gives the two commands './bootstrap && src/nabla ...' and 'make -j\$(nproc) check'"
else
    not_ok "README gives the two commands './bootstrap && src/nabla ...' and 'make -j\$(nproc) check'"
fi

if test -z "$cmdline"; then
    not_ok "the README's neuron command prints 0.731059" \
        "no line './bootstrap && src/nabla ...' in README"
    not_ok "the README shows the summary lines the neuron command prints"
else
    # The line is shell words (quoted expression, then bindings).
    eval "set -- $cmdline"
    "$NABLA" "$@" >"$tmp/neuron" 2>"$tmp/neuron.err"
    status=$?
    if test "$status" -eq 0 && grep -q '0\.731059' "$tmp/neuron"; then
        ok "the README's neuron command prints 0.731059"
    else
        not_ok "the README's neuron command prints 0.731059" \
            "exit status $status; stdout then stderr:" \
            "$(cat "$tmp/neuron" "$tmp/neuron.err")"
    fi
    # The summary: the lines after the table's blank line.
    sed '1,/^$/d' "$tmp/neuron" >"$tmp/summary"
    missing=
    while IFS= read -r line; do
        grep -Fqx -e "$line" "$readme" || missing="$missing
$line"
    done <"$tmp/summary"
    if test -s "$tmp/summary" && test -z "$missing"; then
        ok "the README shows the summary lines the neuron command prints"
    else
        not_ok "the README shows the summary lines the neuron command prints" \
            "lines the program prints that the README lacks:$missing"
    fi
fi

test "$failed" -eq 0
