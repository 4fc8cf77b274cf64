#!/bin/sh
# tests/numpy-run.sh SCRIPT.py - runs tests/SCRIPT.py (TAP) with the first
# python3 that has NumPy: $PYTHON, the python3 on PATH, then the system's
# /usr/bin/python3, where Debian's python3-numpy and python3-torch live (a
# pyenv or venv python3 may lack them).  Without one, the whole script is
# skipped.  The scripts import their modules from the source tree, so no
# __pycache__ is written there.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
here=$(dirname "$0")
for py in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	   "$py" -c 'import numpy' >/dev/null 2>&1; then
		exec "$py" "$here/$1"
	fi
done
echo "1..0 # SKIP no python3 with NumPy (Debian: python3-numpy)"
