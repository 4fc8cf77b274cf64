#!/bin/sh
# tests/golden-batch.sh -- the golden cases in tests/golden/batch/, as TAP.
exec sh "${0%/*}/golden.sh" batch
