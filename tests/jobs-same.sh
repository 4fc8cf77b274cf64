# tests/jobs-same.sh -- sourced by tests/batch-jobs.sh and
# tests/tensor-batch-jobs.sh: their TAP counter and the comparison of
# batch runs at -j 1 and at more threads.
#
# Needs NABLA and tmp (a scratch directory); jobs_list: the thread
# counts compared with -j 1 (default 2 3 0).

n=0

ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# run J OUT ARGS...: nabla --batch -j J ARGS into OUT.out, OUT.err,
# OUT.all (both) and OUT.st.
run() {
    j=$1 out=$2
    shift 2
    "$NABLA" --batch -j "$j" "$@" >"$out.out" 2>"$out.err"
    echo $? >"$out.st"
    "$NABLA" --batch -j "$j" "$@" >"$out.all" 2>&1
}

# same ARGS...: each -j of jobs_list writes what -j 1 writes, and
# something was written; says what differs.
same() {
    run 1 "$tmp/one" "$@"
    for j in ${jobs_list:-2 3 0}; do
        run "$j" "$tmp/many" "$@"
        for f in out err all st; do
            if ! cmp -s "$tmp/one.$f" "$tmp/many.$f"; then
                echo "# -j $j: $f differs from -j 1's: nabla --batch $*"
                return 1
            fi
        done
    done
    test -s "$tmp/one.all"
}
