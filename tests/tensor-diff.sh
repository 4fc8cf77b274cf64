#!/bin/sh
# tests/tensor-diff.sh - runs tests/tensor_diff.py (TAP) with the built nabla:
# random tensor programs against PyTorch float64 autograd (when python3-torch
# is installed) and NumPy (values, and gradients by central differences).
# Skipped without a python3 with NumPy (tests/numpy-run.sh finds it).
# NABLA_TENSOR_COUNT sets the number of programs (tests/tensor_diff.py).
: "${NABLA:=./src/nabla}"
export NABLA
exec "$(dirname "$0")/numpy-run.sh" tensor_diff.py
