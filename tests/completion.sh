#!/bin/sh
# tests/completion.sh -- the bash completion script completes what the
# program takes, as TAP.
#
# Sources the script the build wrote (completions/nabla, from `nabla
# --completion bash'; made afresh when absent) in bash and calls its
# function _nabla with COMP_WORDS and COMP_CWORD set as bash sets them,
# then compares COMPREPLY with what the program and its tables say: the
# options of --help, the format names of formats.def, the languages of
# --emit, file names after -f and for batch mode's input files.  SKIP
# without bash.
#
# Environment: NABLA (the binary), abs_top_srcdir, abs_top_builddir.

LC_ALL=C
export LC_ALL
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${abs_top_builddir:=.}"
: "${NABLA:=./src/nabla}"

if ! command -v bash >/dev/null 2>&1; then
    echo "1..0 # SKIP bash not found"
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-completion.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
script=$(cd "$abs_top_builddir" && pwd)/completions/nabla
if ! test -f "$script"; then
    script=$tmp/nabla.bash
    "$NABLA" --completion bash >"$script" || exit 99
fi
mkdir "$tmp/dir" && : >"$tmp/dir/prog.nb" && : >"$tmp/dir/data.csv" || exit 99

n=0
failed=0
echo "1..15"

# The completions of the words after "nabla" (the last is the one being
# completed), one a line, sorted, in the directory of test files.
complete_() {
    (cd "$tmp/dir" && bash -c '. "$1" || exit 1; shift
        COMP_WORDS=(nabla "$@"); COMP_CWORD=$#
        _nabla; printf "%s\n" "${COMPREPLY[@]}"' _ "$script" "$@") | sort
}

# check NAME EXPECTED WORDS...: the completions of WORDS are EXPECTED
# (words separated by blanks, in any order).
check() {
    name=$1 want=$(printf '%s\n' $2 | sort)
    shift 2
    got=$(complete_ "$@")
    n=$((n + 1))
    if test "x$got" = "x$want"; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name"
        printf '# want: %s\n# got:  %s\n' "$(echo $want)" "$(echo $got)"
        failed=1
    fi
}

formats=$(sed -n 's/^NB_FORMAT([A-Z]*, "\([a-z]*\)".*/\1/p' \
    "$abs_top_srcdir/src/output/formats.def")
test -n "$formats" || exit 99
options=$("$NABLA" --help | sed -n 's/^ *\(-., \)\{0,1\}\(--[a-z][a-z-]*\).*/\1 \2/p' |
    tr -d ',')
test -n "$options" || exit 99

check "--fo completes to --format and --forward" "--format --forward" --fo
check "-- offers every option of --help" "$(printf '%s\n' $options | grep -e '^--')" --
check "- offers every option of --help, short ones too" "$options" -
check "-o offers the formats of formats.def" "$formats" -o ""
check "--format=j (bash splits at =) offers json, jsonl" "json jsonl" --format = j
check "--emit offers c, python and cblas" "c python cblas" --emit ""
check "--color=n (one word) offers --color=never" "--color=never" --color=n
check "--color = (split) offers auto, always, never" "auto always never" --color = ""
check "--input offers csv, tsv, jsonl" "csv tsv jsonl" --input ""
check "--on-error offers stop, skip, nan" "stop skip nan" --on-error ""
check "-f offers files" "data.csv prog.nb" -f ""
check "--file=p offers prog.nb" "--file=prog.nb" --file=p
check "batch input files are completed" "data.csv" --batch x d
check "--precision's argument offers nothing" "" --precision ""

n=$((n + 1))
if "$NABLA" --completion zsh >/dev/null 2>&1; then
    echo "not ok $n - --completion zsh is refused"
    failed=1
else
    test $? -eq 2 && echo "ok $n - --completion zsh is a usage error (2)" ||
        { echo "not ok $n - --completion zsh: exit status not 2"; failed=1; }
fi
exit $failed
