#!/bin/sh
# tests/verify.sh - nabla --verify against the seeds' backward passes and
# every classic mistake on every line of them and of one program per
# function of the op table: runs tests/verify_mutants.py (TAP).
: "${NABLA:=./src/nabla}"
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export NABLA abs_top_srcdir
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 - nabla --verify mutants # SKIP no python3"
	exit 0
}
exec python3 "$abs_top_srcdir/tests/verify_mutants.py"
