#!/bin/sh
# tests/golden-tensor.sh -- the golden cases in tests/golden/tensor/, as TAP.
exec sh "${0%/*}/golden.sh" tensor
