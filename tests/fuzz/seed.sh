#!/bin/sh
# tests/fuzz/seed.sh DIR [TARGET] - seeds a fuzz corpus with the test
# suite's inputs, one file each, chosen for the target:
#   fuzz_program (default)  the golden tests' program files and stdin
#                           and every line of the bad-input corpus;
#   fuzz_repl               the same, plus the golden scripts whole;
#   fuzz_rowreader          the golden batch stdin and data files, each
#                           behind the two option bytes its command
#                           line would give (see fuzz_rowreader.c);
#   fuzz_batch              the golden data files behind an option byte,
#                           and two hostile inputs (see fuzz_batch.c);
#   fuzz_cli                one program through every mode and format,
#                           one-shot and batch, and hostile inputs (see
#                           fuzz_cli.c).
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

# octal N: the byte N, as printf's format writes it.
octal() {
	printf '\\%o' "$1"
}

case $target in
fuzz_cli)
	# Every mode and format (modes.def and formats.def rows, then none)
	# one-shot (option byte 0) and batch (1), on one program.
	modes=$(grep -c '^NB_MODE(' "$srcdir/src/modes/modes.def")
	formats=$(grep -c '^NB_FORMAT(' "$srcdir/src/output/formats.def")
	m=0
	while test $m -le "$modes"; do
		f=0
		while test $f -le "$formats"; do
			for b in 0 1; do
				# shellcheck disable=SC2059 # option bytes
				printf "$(octal $m)$(octal $f)$(octal $b)\\0%b" \
					'f = x*y + sin(x)\034x=1,y=2\034\034x=1 y=2\034x,y
1,2
-3,0.5
' > "$dir/$m.$f.$b"
			done
			f=$((f + 1))
		done
		m=$((m + 1))
	done
	# Hostile: control bytes in the data; jsonl in with a division by
	# zero and --wrt; a nan from the program.
	printf '\0\0\001\0%b' 'log(x)\034\034\034\034x,n
-1,"\033]0;t\007\302\233"
0,\377
' > "$dir/hostile.csv"
	printf '\0\0\041\100%b' 'x/y\034\034y\034\034{"x":1,"y":0}
{"x":"\\u001b","y":1e308}
' > "$dir/hostile.jsonl"
	printf '\0\007\0\003%b' 'x = 0; f = sqrt(x) / x\034\034\034' \
		> "$dir/hostile.nan"
	exit 0
	;;
fuzz_batch)
	# The golden batch inputs behind an option byte (fuzz_batch.c):
	# csv in and out, then jsonl out, then table out with --on-error nan.
	for f in "$golden"/*.csv; do
		test -f "$f" || continue
		base=$(basename "$f")
		for b in 000 004 016; do
			# shellcheck disable=SC2059 # the option byte, in octal
			{ printf "\\$b"; cat "$f"; } > "$dir/$base.$b"
		done
	done
	printf '\005{"x":1,"n":"\\u001b[2J"}\n{"x":2,"n":"\377"}\n' > "$dir/jsonl"
	printf '\016x,n\n1,"\033]0;t\007\302\233"\n2,"a\tb"\n' > "$dir/table"
	exit 0
	;;
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
