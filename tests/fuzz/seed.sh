#!/bin/sh
# tests/fuzz/seed.sh DIR [TARGET] - seeds a fuzz corpus with the test
# suite's inputs, one file each, chosen for the target:
#   fuzz_program (default)  the golden tests' program files and stdin
#                           and every line of the bad-input corpus;
#   fuzz_repl               the same, plus the golden scripts whole;
#   fuzz_rowreader          the golden batch stdin and data files, each
#                           behind the two option bytes its command
#                           line would give (see fuzz_rowreader.c).
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
target=${2:-fuzz_program}
mkdir -p "$dir" || exit 1
golden=$srcdir/tests/golden
LC_ALL=C
export LC_ALL

# section NAME CASE: that section of a golden case (tests/golden.sh).
section() {
	awk -v only="$1" -f "$srcdir/tests/golden-case.awk" "$2"
}
has_stdin() {
	grep -q '^%% stdin' "$1"
}

case $target in
fuzz_rowreader)
	for f in "$golden"/batch/*.test "$golden"/*.csv; do
		test -f "$f" || continue
		base=$(basename "$f" .test)
		b0=0
		case $f in
		*.test)
			has_stdin "$f" || continue
			cmd=$(section command "$f")
			case $cmd in *input?tsv*) b0=1 ;; esac
			case $cmd in *input?jsonl*) b0=2 ;; esac
			case $cmd in *on-error?skip*) b0=$((b0 + 4)) ;; esac
			case $cmd in *on-error?nan*) b0=$((b0 + 8)) ;; esac
			section stdin "$f" > "$dir/stdin"
			base=$base.in
			f=$dir/stdin ;;
		esac
		# csv out, x * y; then jsonl out, nodes, the longer program
		# shellcheck disable=SC2059 # the option byte, in octal
		{ printf "\\$(printf %o $b0)\\000"; cat "$f"; } > "$dir/$base"
		# shellcheck disable=SC2059 # the option byte, in octal
		{ printf "\\$(printf %o $((b0 + 16)))\\006"; cat "$f"; } > "$dir/$base.2"
		rm -f "$dir/stdin"
	done
	exit 0
	;;
esac

for f in "$golden"/*.nb; do
	test -f "$f" && cp "$f" "$dir/"
done
for f in "$golden"/*/*.test; do
	has_stdin "$f" && section stdin "$f" > "$dir/$(basename "$f" .test).in"
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
