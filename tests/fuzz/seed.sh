#!/bin/sh
# tests/fuzz/seed.sh DIR [TARGET] - seeds a fuzz corpus with the test
# suite's inputs, one file each, chosen for the target:
#   fuzz_program (default)  the golden tests' program files and inputs
#                           and every line of the bad-input corpus;
#   fuzz_repl               the same, plus the golden scripts whole;
#   fuzz_rowreader          the golden batch inputs and data files, each
#                           behind the two option bytes its command
#                           line would give (see fuzz_rowreader.c).
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
target=${2:-fuzz_program}
mkdir -p "$dir" || exit 1
golden=$srcdir/tests/golden

case $target in
fuzz_rowreader)
	for f in "$golden"/batch-*.in "$golden"/*.csv; do
		test -f "$f" || continue
		cmd=${f%.in}.cmd
		b0=0
		if test -f "$cmd"; then
			grep -q 'input tsv' "$cmd" && b0=1
			grep -q 'input jsonl' "$cmd" && b0=2
			grep -q 'on-error.skip' "$cmd" && b0=$((b0 + 4))
			grep -q 'on-error.nan' "$cmd" && b0=$((b0 + 8))
		fi
		base=$(basename "$f")
		# csv out, x * y; then jsonl out, nodes, the longer program
		# shellcheck disable=SC2059 # the option byte, in octal
		{ printf "\\$(printf %o $b0)\\000"; cat "$f"; } > "$dir/$base"
		# shellcheck disable=SC2059 # the option byte, in octal
		{ printf "\\$(printf %o $((b0 + 16)))\\006"; cat "$f"; } > "$dir/$base.2"
	done
	exit 0
	;;
esac

for f in "$golden"/*.nb "$golden"/*.in; do
	test -f "$f" && cp "$f" "$dir/"
done
n=0
grep -v '^##' "$srcdir/tests/errors.txt" | while IFS= read -r line; do
	n=$((n + 1))
	test -n "$line" && printf '%s' "$line" > "$dir/errors-$n"
done
printf '%s' '1/(1+exp(-(w0*x0+w1*x1+w2)))' > "$dir/neuron"
if test "$target" = fuzz_repl; then
	printf '%s\n' 'x = 2; y = -3' 'f = x * y' ':grad f' ':save s' \
		':del f' ':load s' ':vars' ':defs' ':format csv' ':grad f x' \
		> "$dir/save-load"
fi
exit 0
