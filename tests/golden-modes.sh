#!/bin/sh
# tests/golden-modes.sh -- the golden cases in tests/golden/modes/, as TAP.
exec sh "${0%/*}/golden.sh" modes
