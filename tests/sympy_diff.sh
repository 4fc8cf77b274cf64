#!/bin/sh
# tests/sympy_diff.sh - runs tests/sympy_diff.py (TAP) with the built nabla.
: "${NABLA:=./src/nabla}"
export NABLA
here=$(dirname "$0")
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 - nabla against sympy # SKIP no python3"
	exit 0
}
exec python3 "$here/sympy_diff.py" 7 400
