#!/bin/sh
# tests/tensor-hvp.sh - runs tests/tensor_hvp.py (TAP) with the built nabla:
# --hvp and --hessian on random tensor programs against PyTorch float64
# double backward (when python3-torch is installed) and central differences
# of nabla's gradient.  Skipped without python3 and NumPy; the python is
# found as tests/tensor-diff.sh finds it.  NABLA_HVP_COUNT sets the number
# of programs.
: "${NABLA:=./src/nabla}"
export NABLA
PYTHONDONTWRITEBYTECODE=1
export PYTHONDONTWRITEBYTECODE
here=$(dirname "$0")
for py in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	   "$py" -c 'import numpy' >/dev/null 2>&1; then
		exec "$py" "$here/tensor_hvp.py"
	fi
done
echo "1..0 # SKIP no python3 with NumPy (Debian: python3-numpy)"
