#!/bin/sh
# tests/tcodegen.sh - runs tests/tcodegen.py (TAP) with the built nabla:
# --symbolic read back, --emit python run by NumPy and --emit c compiled by
# $CC (default cc) on random tensor programs, against reverse mode.
# Skipped without a python3 with NumPy (tests/numpy-run.sh finds it).
: "${NABLA:=./src/nabla}"
export NABLA
exec "$(dirname "$0")/numpy-run.sh" tcodegen.py
