#!/bin/sh
# tests/tcodegen.sh - runs tests/tcodegen.py (TAP) with the built nabla:
# --symbolic read back, --emit python run by NumPy and --emit c compiled by
# $CC (default cc) on random tensor programs, against reverse mode.  Skipped without a python3 with NumPy
# (Debian: python3-numpy; /usr/bin/python3 is tried after $PYTHON and the
# python3 on PATH, as tests/tensor-diff.sh does).
: "${NABLA:=./src/nabla}"
export NABLA
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
here=$(dirname "$0")
for py in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	   "$py" -c 'import numpy' >/dev/null 2>&1; then
		exec "$py" "$here/tcodegen.py"
	fi
done
echo "1..0 # SKIP no python3 with NumPy (Debian: python3-numpy)"
