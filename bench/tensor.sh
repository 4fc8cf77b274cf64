#!/bin/sh
# bench/tensor.sh - the tensor workloads L1-L4 (bench/tensor_work.py says
# what each computes), as ratios against baselines run in the same
# invocation:
#   in-process forward + backward: nabla's sweeps (bench/tensor_kernel)
#     against NumPy written by hand (the seeds' way) and PyTorch float64
#     autograd, and against the same work written in C on CBLAS
#     (bench/tensor_c: the limit)
#   whole process, start-up included: nabla -q -f PROG NAME=@FILE.npy ...
#     --save-grad DIR against a Python script doing the same with PyTorch
#   peak memory against the bytes of all values and gradients
#   L5: batch mode, a small MLP per row, -j 2 against -j 1 (whole process)
# Each workload's numbers are checked against NumPy's before it is timed.
#
# Environment: BENCH_BIN, NABLA, RUNS as for bench/run.sh; TBATCH_ROWS,
# L5's rows (default 10^5); PYTHON, a
# python3 with numpy (default: the first of python3 and /usr/bin/python3
# with numpy and torch, else with numpy alone: Debian's python3-torch is
# a module of the system's python3, which a pyenv python3 may lack).
set -u
: "${BENCH_BIN:=bench}" "${NABLA:=src/nabla}" "${RUNS:=3}"
here=$(dirname "$0")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-tbench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

for mods in numpy,torch numpy; do
	[ -z "${PYTHON:-}" ] || break
	for py in python3 /usr/bin/python3; do
		if "$py" -c "import $mods" 2>/dev/null; then
			PYTHON=$py
			break
		fi
	done
done
if [ -z "${PYTHON:-}" ]; then
	echo "tensor workloads: skipped (no python3 with numpy)"
	exit 0
fi
work() { "$PYTHON" "$here/tensor_work.py" "$@"; }

# Stops unless nabla's value and gradient sums (file $1, a line each:
# the value, then NAME SUM) match NumPy's (file $2, in another order) to
# 1e-9 relative to the larger of 1 and the magnitude: the
# two sum the same terms in different orders.
same_sums() {
	LC_ALL=C sort "$1" >"$1.sorted"
	LC_ALL=C sort "$2" >"$2.sorted"
	paste -d' ' "$1.sorted" "$2.sorted" | awk -v w="$3" '
		{ a = $(NF / 2); b = $NF; d = a - b; if (d < 0) d = -d
		  m = a < 0 ? -a : a; if (m < 1) m = 1
		  if (d > 1e-9 * m) { printf "bench: %s: nabla %s, numpy %s (%s)\n", w, a, b, $0; bad = 1 } }
		END { exit bad }' || { echo "bench: numbers differ, stopping" >&2; exit 1; }
}

# Median seconds of RUNS whole runs of "$@", output discarded.
median_ms() {
	for i in $(seq "$RUNS"); do
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 ))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] / 1e6 }'
}

bindings() {
	for f in "$1"/*.npy; do
		n=$(basename "$f" .npy)
		printf ' %s=@%s' "$n" "$f"
	done
}

work data "$tmp/data"
echo "Tensor workloads (RUNS=$RUNS; ratios below 1 mean nabla is faster):"
for w in L1 L2 L3 L4; do
	d=$tmp/data/$w
	"$BENCH_BIN/tensor_kernel" "$d" >"$tmp/$w.nabla" || exit 1
	work check "$tmp/data" "$w" >"$tmp/$w.numpy" || exit 1
	same_sums "$tmp/$w.nabla" "$tmp/$w.numpy" "$w"
	tk=$("$BENCH_BIN/tensor_kernel" "$d" "$RUNS")
	set -- $(work time "$tmp/data" "$w" "$RUNS")
	tn=$1 tt=$2
	tc=$("$BENCH_BIN/tensor_c" "$w" "$RUNS" | awk '{ print $1 }')
	mkdir -p "$tmp/$w.out" "$tmp/$w.pyout"
	/usr/bin/time -f %M -o "$tmp/$w.mem" "$NABLA" -q -f "$d/prog.nb" \
		$(bindings "$d") --save-grad "$tmp/$w.out" >/dev/null 2>&1
	pn=$(awk '{ m = $1 } END { print m }' "$tmp/$w.mem")
	bytes=$("$BENCH_BIN/tensor_kernel" "$d" bytes)
	wn=$(median_ms "$NABLA" -q -f "$d/prog.nb" $(bindings "$d") \
		--save-grad "$tmp/$w.out")
	wt=-
	[ "$tt" = - ] ||
		wt=$(median_ms "$PYTHON" "$here/tensor_work.py" process \
			"$tmp/data" "$w" "$tmp/$w.pyout")
	echo "$w $tk $tn $tt $tc $wn $wt $pn $bytes" | awk '
		function r(a, b) { return b == "-" ? "   -  " : sprintf("%5.2fx", a / b) }
		{ printf "%s  in-process %8.4f s: %s NumPy by hand, %s PyTorch, %s C on CBLAS;  whole process %7.3f s: %s PyTorch;  peak %7.1f MB = %4.2fx values+gradients\n",
		  $1, $2, r($2, $3), r($2, $4), r($2, $5), $6, r($6, $7), $8 / 1024, $8 * 1024 / $9 }'
done

# Batch mode on a tensor program, whole process: a small MLP per row
# (x of 4 elements and a target y from the rows, the weights bound once)
# over TBATCH_ROWS rows, -j 2 against -j 1 (the ratio is the speed-up's
# inverse; two cores idle would give about 0.5).
rows=${TBATCH_ROWS:-100000}
awk -v n="$rows" 'BEGIN { srand(3); print "x[0],x[1],x[2],x[3],y"
	for (i = 0; i < n; i++)
		printf "%.6f,%.6f,%.6f,%.6f,%.6f\n", rand() * 2 - 1,
		       rand() * 2 - 1, rand() * 2 - 1, rand() * 2 - 1, rand() }' \
	>"$tmp/mlp.csv"
printf 'h = tanh(W1 @ x + b1)\nL = (dot(w2, h) + b2 - y)^2\n' >"$tmp/mlp.nb"
mlp() {
	"$NABLA" --batch -j "$1" -f "$tmp/mlp.nb" 'W1=randn(16,4)' \
		'b1=randn(16)' 'w2=randn(16)' b2=0.5 "$tmp/mlp.csv"
}
mlp 1 >"$tmp/mlp.1" && mlp 2 >"$tmp/mlp.2" && cmp -s "$tmp/mlp.1" "$tmp/mlp.2" ||
	{ echo "bench: tensor batch: -j 2 differs from -j 1, stopping" >&2; exit 1; }
j1=$(median_ms mlp 1)
j2=$(median_ms mlp 2)
echo "$rows $j1 $j2" | awk '{ printf "L5 batch (MLP 4-16-1 per row, %d rows)  whole process: -j 1 %7.3f s, -j 2 %7.3f s: %5.2fx\n", $1, $2, $3, $3 / $2 }'
