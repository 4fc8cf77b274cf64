#!/bin/sh
# tests/reference_modes.sh -- every mode against tests/reference/ops.ref,
# as TAP: reverse, forward, Hessian-vector products, --symbolic read back,
# --emit c and --emit python on the reference points of every op (see
# tests/reference_modes.py).  Needs python3 (SKIP without it).
#
# Environment: NABLA, abs_top_srcdir, CC (as `make check` sets them).

: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
if ! command -v python3 >/dev/null 2>&1; then
    echo "1..0 # SKIP python3 not found"
    exit 0
fi
exec python3 "$abs_top_srcdir/tests/reference_modes.py"
