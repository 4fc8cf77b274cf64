#!/bin/sh
# tests/golden-codegen.sh -- the golden cases in tests/golden/codegen/, as TAP.
exec sh "${0%/*}/golden.sh" codegen
