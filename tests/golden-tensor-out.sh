#!/bin/sh
# tests/golden-tensor-out.sh -- the golden cases in tests/golden/tensor-out/, as TAP.
exec sh "${0%/*}/golden.sh" tensor-out
