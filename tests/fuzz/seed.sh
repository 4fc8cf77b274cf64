#!/bin/sh
# tests/fuzz/seed.sh DIR - seeds a fuzz corpus with the test suite's
# programs: the golden tests' program files and every line of the
# bad-input corpus, one file each.
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
mkdir -p "$dir" || exit 1
for f in "$srcdir"/tests/golden/*.nb "$srcdir"/tests/golden/*.in; do
	test -f "$f" && cp "$f" "$dir/"
done
n=0
grep -v '^##' "$srcdir/tests/errors.txt" | while IFS= read -r line; do
	n=$((n + 1))
	test -n "$line" && printf '%s' "$line" > "$dir/errors-$n"
done
printf '%s' '1/(1+exp(-(w0*x0+w1*x1+w2)))' > "$dir/neuron"
exit 0
