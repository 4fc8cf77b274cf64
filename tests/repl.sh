#!/bin/sh
# tests/repl.sh -- the interactive session through a pseudo-terminal, as TAP.
#
# Runs tests/repl_pty.py (python3, standard library only) against the
# built binary.  Readline-only cases (completion, history) are skipped
# when config.h says the build has no Readline.
#
# Environment: NABLA (the binary; default ./src/nabla), abs_top_srcdir and
# abs_top_builddir (default: this script's parent directory).

me=repl.sh
bail() {
    printf 'Bail out! %s: %s\n' "$me" "$*"
    exit 99
}

: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
if test -z "${NABLA-}"; then
    NABLA=./src/nabla
    test -x "$NABLA" || NABLA=$abs_top_srcdir/src/nabla
fi
case $NABLA in
    /*) ;;
    *) NABLA=$(pwd)/$NABLA ;;
esac
test -x "$NABLA" || bail "no executable program at $NABLA (build it first)"
command -v python3 >/dev/null 2>&1 ||
    bail "python3 is needed for the REPL tests (Debian: apt-get install python3)"

NABLA_HAVE_READLINE=0
if grep -q '^#define HAVE_READLINE 1' "$abs_top_builddir/config.h" 2>/dev/null; then
    NABLA_HAVE_READLINE=1
fi
export NABLA NABLA_HAVE_READLINE
exec python3 "$abs_top_srcdir/tests/repl_pty.py"
