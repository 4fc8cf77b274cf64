#!/bin/sh
# tests/golden-tensor-fwd.sh -- the golden cases in tests/golden/tensor-fwd/, as TAP.
exec sh "${0%/*}/golden.sh" tensor-fwd
