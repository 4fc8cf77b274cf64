#!/bin/sh
# bench/run.sh - nabla's benchmarks, as ratios against baselines run in
# the same invocation (the machine is shared and noisy: absolute times
# drift, ratios much less).  Run by `make bench`.
#
#   W1  the neuron over ROWS random rows: batch end to end vs B1 (naive
#       hand-written C: strtod in, %.17g out), the tape's block kernel vs
#       B2 (the same arithmetic on in-memory rows)
#   W2  the CS231n staged function, the same way
#   W1 -j 2  the neuron's batch end to end with -j 2 (two threads) vs B1
#   W3  generated programs of 10^3..W3_MAX operation nodes over 100
#       variables, wide and deep, run as nabla --batch -f FILE < one row:
#       parse + forward + reverse time, peak memory, growth exponent,
#       and the time against bench/tape_c (the straightforward C tape:
#       recursive descent, one forward and one reverse sweep)
#   W4  one-shot latency: the neuron at one point vs B1 on one row
#   reverse vs forward mode: the whole gradient of each row by one
#       reverse sweep or by one tangent sweep per input (bench/kernel
#       modes), for the neuron (5 inputs) and the wide 10^4-node program
#       (100 inputs): the seeds' case for reverse mode with one output
#
# Every benchmark first checks nabla's numbers against B1's (1e-12,
# see same_numbers) and stops if they differ.
#
# Environment: BENCH_BIN (directory holding gen, baseline and kernel;
# default bench/ under the current directory), NABLA (default
# src/nabla), ROWS (default 1000000), W3_MAX (default 1000000), RUNS
# (timing repetitions, median taken; default 3).
set -u
: "${BENCH_BIN:=bench}" "${NABLA:=src/nabla}" "${ROWS:=1000000}"
: "${W3_MAX:=1000000}" "${RUNS:=3}"
gen=$BENCH_BIN/gen baseline=$BENCH_BIN/baseline kernel=$BENCH_BIN/kernel
tape_c=$BENCH_BIN/tape_c
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
NEURON='1/(1+exp(-(w0*x0+w1*x1+w2)))'
STAGED='(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)'

# Seconds (with ns resolution) that "$@" takes, output discarded.
seconds() {
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo "$t0 $t1" | awk '{ printf "%.6f\n", ($2 - $1) / 1e9 }'
}

# The median over RUNS runs of seconds "$@".
median() {
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		seconds "$@"
		i=$((i + 1))
	done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Stops unless files $1 and $2 hold the same numbers to 1e-12 relative
# to the larger magnitude, or to 1 when both are smaller: near a zero of
# a gradient the result is a difference of terms of size ~1, and the last
# bit of those terms (nabla's overflow-free sigmoid against the notes'
# 1/(1+exp(-y))) is all that differs.
same_numbers() {
	paste -d, "$1" "$2" | awk -F, -v file="$1" '
		NR == 1 { next }
		{
			h = NF / 2
			for (i = 1; i <= h; i++) {
				a = $i + 0; b = $(i + h) + 0
				d = a - b; if (d < 0) d = -d
				m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
				if (d > 1e-12 * (m > 1 ? m : 1)) {
					printf "bench: %s line %d column %d: nabla %s, baseline %s\n", file, NR, i, $i, $(i + h)
					bad = 1; exit 1
				}
			}
		}
		END { exit bad }' || { echo "bench: numbers differ, stopping" >&2; exit 1; }
}

# Stops unless the CSV on stdin (nabla's) and file $1 (bench/tape_c's)
# hold the same numbers under the same column names, in whatever order,
# to 1e-9 relative: the two round each sum in their own order, over
# chains of up to 10^6 nodes.
same_columns() {
	awk -F, -v file="$1" '
		NR == FNR { if (FNR == 1) for (i = 1; i <= NF; i++) col[$i] = i
			    else for (i = 1; i <= NF; i++) ref[i] = $i
			    next }
		FNR == 1 { for (i = 1; i <= NF; i++) name[i] = $i; next }
		{
			for (i = 1; i <= NF; i++) {
				a = $i + 0; b = ref[col[name[i]]] + 0
				d = a - b; if (d < 0) d = -d
				m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
				if (!(name[i] in col) || d > 1e-9 * m) {
					printf "bench: %s: %s: nabla %s, C tape %s\n", file, name[i], $i, ref[col[name[i]]]
					bad = 1; exit 1
				}
			}
		}
		END { exit bad }' "$1" - || { echo "bench: numbers differ, stopping" >&2; return 1; }
}

# W1/W2: name, program, input names
rows_bench() {
	name=$1 prog=$2
	shift 2
	"$gen" rows "$ROWS" 1 "$@" >"$tmp/$name.csv"
	"$NABLA" --batch --no-echo "$prog" "$tmp/$name.csv" >"$tmp/$name.nabla"
	"$baseline" "$name" <"$tmp/$name.csv" >"$tmp/$name.b1"
	same_numbers "$tmp/$name.nabla" "$tmp/$name.b1"
	"$kernel" "$prog" print <"$tmp/$name.csv" >"$tmp/$name.kernel"
	same_numbers "$tmp/$name.kernel" "$tmp/$name.b1"
	tn=$(median sh -c "'$NABLA' --batch --no-echo '$prog' '$tmp/$name.csv'")
	tb=$(median sh -c "'$baseline' $name < '$tmp/$name.csv'")
	kn=$("$kernel" "$prog" <"$tmp/$name.csv" | awk '{ print $1 }')
	kb=$("$baseline" "$name" mem <"$tmp/$name.csv" | awk '{ print $1 }')
	echo "$name $tn $tb $kn $kb" | awk -v rows="$ROWS" '{
		printf "%-8s %10.0f rows/s  B1 %10.0f rows/s  end-to-end %5.2fx B1 (target <= 0.5)  kernel %7.1f ns/row  B2 %6.1f ns/row  %5.1fx B2 (target <= 3)\n",
		       $1, rows / $2, rows / $3, $2 / $3, $4, $5, $4 / $5 }'
}

# W1 on two threads: batch -j 2 end to end against B1, after rows_bench
# neuron made the rows and B1's answers.
jobs_bench() {
	"$NABLA" --batch --no-echo -j 2 "$NEURON" "$tmp/neuron.csv" >"$tmp/neuron.j2"
	same_numbers "$tmp/neuron.j2" "$tmp/neuron.b1"
	tn=$(median sh -c "'$NABLA' --batch --no-echo -j 2 '$NEURON' '$tmp/neuron.csv'")
	tb=$(median sh -c "'$baseline' neuron < '$tmp/neuron.csv'")
	echo "$tn $tb" | awk -v rows="$ROWS" '{
		printf "neuron -j 2 %7.0f rows/s  B1 %10.0f rows/s  end-to-end %5.2fx B1 (target <= 0.25)\n",
		       rows / $1, rows / $2, $1 / $2 }'
}

# W3: shape (wide|deep), sizes
w3_bench() {
	shape=$1
	"$gen" vars >"$tmp/vars.csv"
	: >"$tmp/$shape.fit"
	n=1000
	while [ "$n" -le "$W3_MAX" ]; do
		"$gen" "$shape" "$n" >"$tmp/$shape.$n.nb"
		if ! /usr/bin/time -f "%e %M" -o "$tmp/time" "$NABLA" --batch \
			--no-echo -f "$tmp/$shape.$n.nb" "$tmp/vars.csv" \
			>/dev/null 2>"$tmp/err"; then
			printf '%-5s %8d nodes: failed: %s\n' "$shape" "$n" \
				"$(head -c 120 "$tmp/err")"
			n=$((n * 10))
			continue
		fi
		"$tape_c" "$tmp/$shape.$n.nb" "$tmp/vars.csv" >"$tmp/tape.csv"
		"$NABLA" --batch --no-echo -f "$tmp/$shape.$n.nb" \
			"$tmp/vars.csv" | same_columns "$tmp/tape.csv" || exit 1
		t=$(median "$NABLA" --batch --no-echo -f "$tmp/$shape.$n.nb" "$tmp/vars.csv")
		tc=$(median "$tape_c" "$tmp/$shape.$n.nb" "$tmp/vars.csv")
		kb=$(awk '{ print $2 }' "$tmp/time")
		echo "$n $t" >>"$tmp/$shape.fit"
		echo "$shape $n $t $kb $tc" | awk '{
			printf "%-5s %8d nodes: %8.3f s  %7.1f ns/node  %5.2fx C tape (target <= 1.0)  %6.1f bytes/node peak (target <= 48)\n",
			       $1, $2, $3, 1e9 * $3 / $2, $3 / $5, 1024 * $4 / $2 }'
		n=$((n * 10))
	done
	# Least-squares slope of log(time) on log(nodes), from 10^4 up.
	awk -v shape="$shape" '$1 >= 10000 && $2 > 0 {
		x = log($1); y = log($2); n++; sx += x; sy += y; sxx += x * x; sxy += x * y
	} END {
		if (n >= 2) printf "%-5s growth exponent %.2f (target <= 1.1)\n", shape, (n * sxy - sx * sy) / (n * sxx - sx * sx)
	}' "$tmp/$shape.fit"
}

# name, program, rows: reverse mode's time per row over forward mode's.
modes_bench() {
	"$kernel" "$2" modes <"$3" | awk -v name="$1" '{
		printf "%-8s %3d inputs: reverse %10.1f ns/row  forward %12.1f ns/row  reverse/forward %.3f\n",
		       name, $3, $1, $2, $1 / $2 }'
}

w4_bench() {
	"$gen" rows 1 4 w0 x0 w1 x1 w2 >"$tmp/one.csv"
	RUNS=21
	tn=$(median "$NABLA" "$NEURON" w0=2 x0=-1 w1=-3 x1=-2 w2=-3)
	tb=$(median sh -c "'$baseline' neuron < '$tmp/one.csv'")
	echo "$tn $tb" | awk '{
		printf "one-shot %7.2f ms  B1 one row %7.2f ms  %5.2fx (target <= 1.5)\n",
		       1000 * $1, 1000 * $2, $1 / $2 }'
}

echo "nabla benchmarks: ROWS=$ROWS W3_MAX=$W3_MAX RUNS=$RUNS ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
echo "W1/W2 batch:"
rows_bench neuron "$NEURON" w0 x0 w1 x1 w2
jobs_bench
rows_bench staged "$STAGED" x y
echo "W3 big programs:"
w3_bench wide
w3_bench deep
echo "W4 start-up:"
w4_bench
echo "Reverse vs forward mode (the whole gradient, one row at a time):"
modes_bench neuron "$NEURON" "$tmp/neuron.csv"
modes_bench wide "$("$gen" wide 10000)" "$tmp/vars.csv"
