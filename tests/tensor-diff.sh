#!/bin/sh
# tests/tensor-diff.sh - runs tests/tensor_diff.py (TAP) with the built nabla:
# random tensor programs against PyTorch float64 autograd (when python3-torch
# is installed) and NumPy (values, and gradients by central differences).
# Skipped without python3 and NumPy.  Debian's python3-numpy and python3-torch
# are modules of the system's /usr/bin/python3, which is tried after
# $PYTHON and the python3 on PATH (a pyenv or venv python3 may lack them).
# NABLA_TENSOR_COUNT sets the number of programs (tests/tensor_diff.py).
: "${NABLA:=./src/nabla}"
export NABLA
# Its modules (tests/tensor_gen.py, tests/tensor_ref.py) are imported from
# the source tree: no __pycache__ there.
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
here=$(dirname "$0")
for py in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	   "$py" -c 'import numpy' >/dev/null 2>&1; then
		exec "$py" "$here/tensor_diff.py"
	fi
done
echo "1..0 # SKIP no python3 with NumPy (Debian: python3-numpy)"
