#!/bin/sh
# tests/valuefile.sh - runs tests/valuefile.py (TAP): value files read and
# written by nabla against NumPy.  It needs a python3 that imports numpy
# (Debian: python3-numpy); the first such of $PYTHON, python3 and
# /usr/bin/python3 runs it.
: "${abs_top_builddir:=.}"
here=$(dirname "$0")
for py in ${PYTHON:-} python3 /usr/bin/python3; do
	if "$py" -c 'import numpy' >/dev/null 2>&1; then
		exec "$py" "$here/valuefile.py" "$abs_top_builddir/tests/valuefile_tool"
	fi
done
echo "1..1"
echo "ok 1 - value files against NumPy # SKIP no python3 with numpy"
