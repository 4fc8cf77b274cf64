#!/bin/sh
# tests/golden-errors.sh -- the golden cases in tests/golden/errors/, as TAP.
exec sh "${0%/*}/golden.sh" errors
