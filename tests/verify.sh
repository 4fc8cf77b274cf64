#!/bin/sh
# tests/verify.sh - nabla --verify against the seeds' backward passes and
# every classic mistake on every line of them and of one program per
# function of the op table, and on the seeds' vectorised passes: runs
# tests/verify_mutants.py (TAP).  The tensor mutants need NumPy: the
# python3 that has it is taken first ($PYTHON, the python3 on PATH, then
# the system's /usr/bin/python3, where Debian's python3-numpy lives);
# without one they are skipped.
: "${NABLA:=./src/nabla}"
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export NABLA abs_top_srcdir
for py in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$py" >/dev/null 2>&1 &&
	   "$py" -c 'import numpy' >/dev/null 2>&1; then
		exec "$py" "$abs_top_srcdir/tests/verify_mutants.py"
	fi
done
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 - nabla --verify mutants # SKIP no python3"
	exit 0
}
exec python3 "$abs_top_srcdir/tests/verify_mutants.py"
