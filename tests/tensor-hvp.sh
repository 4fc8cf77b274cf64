#!/bin/sh
# tests/tensor-hvp.sh - runs tests/tensor_hvp.py (TAP) with the built nabla:
# --hvp and --hessian on random tensor programs against PyTorch float64
# double backward (when python3-torch is installed) and central differences
# of nabla's gradient.  Skipped without a python3 with NumPy
# (tests/numpy-run.sh finds it).  NABLA_HVP_COUNT sets the number of
# programs.
: "${NABLA:=./src/nabla}"
export NABLA
exec "$(dirname "$0")/numpy-run.sh" tensor_hvp.py
