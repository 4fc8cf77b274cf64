#!/bin/sh
# tests/golden-oneshot.sh -- the golden cases in tests/golden/oneshot/, as TAP.
exec sh "${0%/*}/golden.sh" oneshot
