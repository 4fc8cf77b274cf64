#!/bin/sh
# tests/golden-tensor-batch.sh -- the golden cases in tests/golden/tensor-batch/, as TAP.
exec sh "${0%/*}/golden.sh" tensor-batch
