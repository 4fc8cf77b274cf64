#!/bin/sh
# tests/golden-repl.sh -- the golden cases in tests/golden/repl/, as TAP.
exec sh "${0%/*}/golden.sh" repl
