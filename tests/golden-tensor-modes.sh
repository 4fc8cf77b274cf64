#!/bin/sh
# tests/golden-tensor-modes.sh -- the golden cases in tests/golden/tensor-modes/, as TAP.
exec sh "${0%/*}/golden.sh" tensor-modes
