#!/bin/sh
# formats.sh - every (mode x format x front end) works or is refused (TAP).
#
# Runs tests/formats_grid.py (python3, standard library only) against the
# built program; the formats come from src/output/formats.def, so a new
# format is tested in every mode and front end by its row alone.
#
# Environment: NABLA (the program), abs_top_srcdir.

here=$(cd "$(dirname "$0")" && pwd)
abs_top_srcdir=${abs_top_srcdir:-$(dirname "$here")}
export abs_top_srcdir
command -v python3 >/dev/null 2>&1 || {
	echo "1..1"
	echo "ok 1 - the mode x format grid # SKIP no python3"
	exit 0
}
exec python3 "$here/formats_grid.py"
