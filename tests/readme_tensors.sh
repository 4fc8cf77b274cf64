#!/bin/sh
# tests/readme_tensors.sh -- the README's "Vectors and matrices" section
# shows what its commands print, as TAP.
#
# In that section, each fenced block is a transcript: a line "$ COMMAND"
# (continued by lines after a trailing backslash), then the lines it
# prints (standard output and standard error, as a terminal shows them),
# up to the next "$ " line or the end of the block.  Every command runs
# with sh in one scratch directory, in order, with src/nabla the program
# under test; its output must be the lines shown, byte for byte.  A
# command "cat FILE" is the README showing a file that it uses: the test
# writes the lines shown to FILE instead of checking them.
#
# Usage: tests/readme_tensors.sh   (make check runs it through the TAP
# driver).  Environment: NABLA (the binary; default ./src/nabla, else the
# source tree's src/nabla), abs_top_srcdir or srcdir (the source tree).

LC_ALL=C
export LC_ALL
unset NO_COLOR CDPATH COLUMNS
TERM=dumb
export TERM

me=readme_tensors.sh

bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

if test -n "${abs_top_srcdir-}"; then
    top=$abs_top_srcdir
elif test -n "${srcdir-}" && test -f "$srcdir/README"; then
    top=$srcdir
else
    top=$(cd "$(dirname "$0")/.." && pwd) || bail "cannot find the source tree"
fi
readme=$top/README
test -r "$readme" || bail "cannot read $readme"

if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    test -x "$NABLA" || NABLA=$top/src/nabla
fi
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"
case $NABLA in
    /*) ;;
    *) NABLA=$(pwd)/$NABLA ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-readme.XXXXXX") || bail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$tmp/run" "$tmp/run/src" "$tmp/case" || bail "mkdir failed"
ln -s "$NABLA" "$tmp/run/src/nabla" || bail "ln failed"

# Splits the section into cases: $tmp/case/N.cmd (the command, joined)
# and $tmp/case/N.out (the lines shown after it).
awk -v dir="$tmp/case" '
    function save(f) {
        f = dir "/" n ".cmd"
        printf "%s\n", cmd > f
        close(f)
    }
    !sec { sec = $0 == "Vectors and matrices"; next }
    /^```/ { inblock = !inblock; cur = 0; cont = 0; next }
    !inblock && /^-+$/ { if (underlined++) exit; next }
    !inblock { next }
    cont { cmd = cmd " " $0; cont = sub(/ *\\$/, "", cmd); save(); next }
    /^\$ / {
        cur = ++n
        cmd = substr($0, 3)
        cont = sub(/ *\\$/, "", cmd)
        printf "" > (dir "/" n ".out")
        save()
        next
    }
    cur { print > (dir "/" n ".out") }
' "$readme" || bail "cannot read the cases from README"

ncases=$(find "$tmp/case" -name '*.cmd' | wc -l | tr -d ' ')
test "$ncases" -gt 0 || bail "no commands in README's Vectors and matrices"
echo "1..$ncases"

failed=0
i=0
while test "$i" -lt "$ncases"; do
    i=$((i + 1))
    cmd=$(cat "$tmp/case/$i.cmd")
    case $cmd in
        'cat '*)
            cp "$tmp/case/$i.out" "$tmp/run/${cmd#cat }"
            printf 'ok %d - %s # SKIP a file the README shows\n' "$i" "$cmd"
            continue ;;
    esac
    (cd "$tmp/run" && sh -c "{ $cmd
} 2>&1") >"$tmp/got" 2>&1
    if cmp -s "$tmp/got" "$tmp/case/$i.out"; then
        printf 'ok %d - %s\n' "$i" "$cmd"
    else
        failed=$((failed + 1))
        printf 'not ok %d - %s\n' "$i" "$cmd"
        diff "$tmp/case/$i.out" "$tmp/got" | sed 's/^/# /'
    fi
done
test "$failed" -eq 0
