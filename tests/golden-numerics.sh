#!/bin/sh
# tests/golden-numerics.sh -- the golden cases in tests/golden/numerics/, as TAP.
exec sh "${0%/*}/golden.sh" numerics
