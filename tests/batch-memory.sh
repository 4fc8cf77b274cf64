# tests/batch-memory.sh -- sourced by tests/batch.sh and
# tests/batch-jobs.sh: batch mode streams in bounded memory.
#
# bounded_memory PROGRAM NAME [OPTION...] runs nabla --batch [OPTION...]
# -f PROGRAM (the neuron's inputs w0,x0,w1,x1,w2) over rows/10 and over
# rows rows and reports, as TAP test NAME through ok, that ten times the
# rows cost (next to) no more memory: the peak RSS (GNU time, or /proc's
# VmHWM sampled while it runs) grows by under 2 MB.  That growth is the
# test everywhere; the absolute bound holds for a plain build only, since
# a sanitizer's runtime and shadow memory add a size of their own that
# varies from machine to machine (NABLA_SANITIZED is set by make check in
# a sanitizer build).  Uses $NABLA and $tmp; NABLA_BATCH_ROWS (default
# 1000000) and NABLA_BATCH_RSS_LIMIT_KB (default 20480; 0 checks no
# peak) as tests/batch.sh documents.

rows=${NABLA_BATCH_ROWS:-1000000}
limit_kb=${NABLA_BATCH_RSS_LIMIT_KB:-20480}
growth_kb=2048
test -n "${NABLA_SANITIZED:-}" && limit_kb=0

# peak_of N PROGRAM [OPTION...]: runs over N rows; sets st and peak (kB).
peak_of() {
    rows_n=$1 prog=$2
    shift 2
    awk -v n="$rows_n" 'BEGIN { print "w0,x0,w1,x1,w2"
        for (i = 0; i < n; i++) printf "%d,%d.5,-3,%d,-3\n", i % 5, i % 17, i % 3 }' \
        >"$tmp/big.csv"
    if test -x /usr/bin/time && /usr/bin/time -f %M true >/dev/null 2>&1; then
        /usr/bin/time -f %M -o "$tmp/peak" "$NABLA" --batch "$@" \
            -f "$prog" "$tmp/big.csv" >"$tmp/big.out"
        st=$?
        peak=$(tail -1 "$tmp/peak")
    else
        # No GNU time: read the high-water mark while the process lives.
        "$NABLA" --batch "$@" -f "$prog" "$tmp/big.csv" >"$tmp/big.out" &
        pid=$!
        peak=0
        while kill -0 $pid 2>/dev/null; do
            hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$pid/status 2>/dev/null)
            test -n "$hwm" && test "$hwm" -gt "$peak" && peak=$hwm
            sleep 0.2
        done
        wait $pid
        st=$?
    fi
    lines=$(wc -l <"$tmp/big.out")
    test "$st" -eq 0 && test "$lines" -eq $((rows_n + 1))
}

bounded_memory() {
    prog=$1 name=$2
    shift 2
    peak_of $((rows / 10)) "$prog" "$@"; st_small=$?; small=$peak
    start=$(date +%s)
    peak_of "$rows" "$prog" "$@"; st_big=$?
    secs=$(( $(date +%s) - start ))
    test "$secs" -gt 0 || secs=1
    echo "# ${*:+$* }$((rows / 10)) rows: peak RSS $small kB; $rows rows: peak RSS $peak kB" \
        "(growth limit $growth_kb kB, absolute limit $limit_kb kB, 0: none)," \
        "${secs}s, about $((rows / secs)) rows/s"
    test "$st_small" -eq 0 && test "$st_big" -eq 0 &&
        { test "${NABLA_BATCH_RSS_LIMIT_KB:-}" = 0 ||
          { test "$peak" -gt 0 && test $((peak - small)) -lt "$growth_kb"; }; } &&
        { test "$limit_kb" -eq 0 || test "$peak" -lt "$limit_kb"; }
    ok $? "$name"
}
