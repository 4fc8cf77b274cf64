#!/bin/sh
# tests/hostile.sh -- hostile data and faults (issue 14), as TAP.
#
# Escaping: user data quoted in a diagnostic (a batch field, a JSONL key,
# a REPL command or argument, a path, a command-line argument) reaches
# stderr with no control byte but the line ends, C1 codes and invalid
# UTF-8 as \xHH, so it can neither drive the terminal nor fake a line;
# the caret of an excerpt stays under its column whatever precedes it.
#
# Read errors: a directory as input, or input that exhausts memory, is
# reported (nabla: NAME: read error: ...) with exit status 1 in every
# mode, never taken for the end of the input.  A record that never ends
# stops at --max-record with its line, or at once when memory runs out.
#
# :save replaces its file whole or not at all: a failed write (a file
# size limit) leaves the old file as it was, :save onto the file being
# :load'ed changes nothing of what is being loaded, and :save through a
# symbolic link replaces the target and keeps the link.
#
# The JSONL reader follows RFC 8259: a token that is not a JSON number,
# true, false or null, or a string that is not UTF-8, is a bad row with
# its line and column; JSON's own numbers and literals pass through.
#
# A pass-through column named like a computed one (f, df/dx, a mode's
# column) is an error before any row: JSON readers keep the last of two
# equal keys, so data would silently disappear.
#
# A session of n definitions loads in O(n): a chain of 10^5 definitions
# (y_i = y_{i-1}*1.0001 + x) through :load takes at most 10 times as
# long as nabla -f on the same program (plus 5 s of slack), where a
# quadratic cycle check took hours.
#
# --emit: code whose names are <math.h>'s functions or macros, C or GNU
# C keywords, Python keywords, builtins or dunder names (as the output,
# an input or an intermediate) compiles with gcc and clang, -std=c11 and
# -std=gnu11, and runs in python3.
#
# The table elides a name of 10^6 bytes (as an output, an input) like a
# long expression: no line of it is wider than a few columns.
#
# Writers: hostile pass-through data (control bytes, ESC, C1 codes,
# invalid UTF-8, quotes, commas, tabs, line breaks, from CSV and from
# JSONL \u escapes, NUL included) read back through strict parsers: each
# JSONL line by python3's json (nan and infinities refused) with every
# field intact or (invalid UTF-8) U+FFFD; CSV by the csv module to the
# same fields; TSV with as many fields on each line as in the header;
# the table with no control byte at all.
#
# Signals: a batch killed by SIGINT, SIGTERM or SIGHUP at a random moment
# (csv, tsv, jsonl, table) dies of that signal having written a prefix of
# the whole run's output that ends at a line end: every line it wrote is
# complete and equal to the uninterrupted run's.
#
# Environment: NABLA (the binary), abs_top_srcdir (the source tree), as
# `make check` sets them.

LC_ALL=C
export LC_ALL
unset NO_COLOR NABLA_HISTORY CDPATH
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${NABLA:=./src/nabla}"
case $NABLA in
    /*) ;;
    *) NABLA=$(pwd)/$NABLA ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-hostile.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

n=0
ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# --- escaping ----------------------------------------------------------

# clean FILE: no byte of FILE is a control byte other than newline, none
# is a C1 code (raw or UTF-8), and no line but the first starts with
# "nabla:" unless it is a diagnostic's own second message.
clean() {
    if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177\200-\237]')" "$1" ||
            LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1"; then
        od -c "$1" | sed -e 's/^/# /' -e 10q
        return 1
    fi
    if grep -q '^nabla: fake' "$1"; then
        sed 's/^/# /' "$1"
        return 1
    fi
    return 0
}

# escaped NAME STDIN-FILE ARGS...: nabla's stderr is clean and holds \x1b.
escaped() {
    name=$1 in=$2
    shift 2
    "$NABLA" "$@" <"$in" >/dev/null 2>"$tmp/err"
    clean "$tmp/err" && grep -q '\\x1b' "$tmp/err"
    ok $? "escaped: $name"
}

esc=$(printf '\033')
printf 'x\n\033]0;owned\007\033[2J\n' >"$tmp/title.csv"
escaped "a CSV field that is not a number" /dev/null --batch x "$tmp/title.csv"
printf 'x\n"1\nnabla: fake\033"\n' >"$tmp/fake.csv"
escaped "a CSV field with a newline" "$tmp/fake.csv" --batch x
printf '{"x":1}\n{"x":1,"\\u001b[2J":2}\n' >"$tmp/key.jsonl"
escaped "a JSONL key" "$tmp/key.jsonl" --batch --input jsonl x
printf '{"x":"\\u001b[2J"}\n' >"$tmp/value.jsonl"
escaped "a JSONL value" "$tmp/value.jsonl" --batch --input jsonl x
printf ':\033[2Jx\n' >"$tmp/cmd"
escaped "an unknown REPL command" "$tmp/cmd"
printf ':format \033[2J\n' >"$tmp/format"
escaped ":format" "$tmp/format"
printf ':load /nonexistent/\033[2J\n' >"$tmp/load"
escaped ":load PATH" "$tmp/load"
printf 'x = 1\nf = x*2\n:grad f \033[2J\n' >"$tmp/grad"
escaped ":grad f ARG" "$tmp/grad"
escaped "an -o argument" /dev/null -o "$esc[2J" x x=1
escaped "a binding" /dev/null x "x=$esc[2J"
escaped "a binding's name" /dev/null x "$esc=1"
escaped "an unknown option" /dev/null "--$esc[2J" x
escaped "a --wrt name" /dev/null --wrt "$esc" x x=1
escaped "a missing file" /dev/null --batch x "/nonexistent/$esc[2J"
escaped "a program file name" /dev/null -f "/nonexistent/$esc[2J"

# Invalid UTF-8 and C1 codes (as bytes and as UTF-8) become \xHH; valid
# UTF-8 stays; a long field is cut.
printf 'x\n\377\302\233\233\303\251\n' >"$tmp/utf8.csv"
"$NABLA" --batch x "$tmp/utf8.csv" >/dev/null 2>"$tmp/err"
clean "$tmp/err" && grep -q "'\\\\xff\\\\xc2\\\\x9b\\\\x9b$(printf '\303\251')' is not" "$tmp/err"
ok $? "invalid UTF-8 and C1 codes as \\xHH, valid UTF-8 kept"
awk 'BEGIN { print "x"; s = ""; for (i = 0; i < 10000; i++) s = s "a"; print s }' \
    >"$tmp/long.csv"
"$NABLA" --batch x "$tmp/long.csv" >/dev/null 2>"$tmp/err"
head -1 "$tmp/err" | grep -q "'a*\.\.\.' is not a number" &&
    test "$(head -1 "$tmp/err" | wc -c)" -lt 200
ok $? "a 10^4-byte field is cut in the message"

# The caret stays under the column whatever the line holds before it: a
# tab shows as one space in the excerpt and in the caret line alike.
printf '\tx + @\n' >"$tmp/tab.nb"
"$NABLA" -f "$tmp/tab.nb" x=1 2>"$tmp/err"
excerpt=$(sed -n 2p "$tmp/err")
caret=$(sed -n 3p "$tmp/err")
test "${excerpt%@}" != "$excerpt" &&
    test "${#caret}" -eq "${#excerpt}" && test "${caret%^}" != "$caret" &&
    ! grep -q "$(printf '\t')" "$tmp/err"
ok $? "a tab before the error column: the caret under the '@'"

# --- read errors -------------------------------------------------------

# fails NAME EXPECTED-STDERR-REGEX COMMAND...: exit status 1 and the
# message, within 30 seconds.
fails() {
    name=$1 want=$2
    shift 2
    timeout 30 "$@" >/dev/null 2>"$tmp/err"
    st=$?
    test "$st" -eq 1 && grep -q "$want" "$tmp/err"
    r=$?
    test "$r" -eq 0 || { echo "# status $st"; sed 's/^/# /' "$tmp/err"; }
    ok "$r" "$name"
}

dir=$tmp/adir
mkdir "$dir"
fails "a directory as standard input" \
    '^nabla: <stdin>: read error: Is a directory$' sh -c "\"\$0\" <\"$dir\"" "$NABLA"
printf ':load %s\n' "$dir" >"$tmp/loaddir"
fails ":load DIRECTORY" "^nabla: .*adir: read error: Is a directory\$" \
    sh -c "\"\$0\" <\"$tmp/loaddir\"" "$NABLA"
fails "-i -f DIRECTORY" "^nabla: .*adir: read error: Is a directory\$" \
    sh -c "\"\$0\" -i -f \"$dir\" </dev/null" "$NABLA"
fails "--batch DIRECTORY" "^nabla: .*adir: read error: Is a directory\$" \
    "$NABLA" --batch x "$dir"
fails "a record that never ends stops at --max-record, with its line" \
    '^nabla: <stdin>:3: record longer than 1048576 bytes (--max-record)$' \
    sh -c "{ printf 'x\\n1\\n\"'; cat /dev/zero; } | \"\$0\" --batch --max-record 1M x" "$NABLA"

# Out of memory under a limit of 300 MB of address space: at once, not
# retrying for every byte.  A sanitizer's runtime cannot start under it.
if (ulimit -v 300000 && "$NABLA" --version) >/dev/null 2>&1; then
    fails "out of memory in a never-ending record" '^nabla: out of memory$' \
        sh -c "ulimit -v 300000; exec \"\$0\" --batch x /dev/zero" "$NABLA"
    fails "out of memory in a never-ending REPL line" '^nabla: out of memory$' \
        sh -c "ulimit -v 300000; exec \"\$0\" </dev/zero" "$NABLA"
else
    n=$((n + 1)); echo "ok $n # SKIP ulimit -v stops the program (sanitizers)"
    n=$((n + 1)); echo "ok $n # SKIP ulimit -v stops the program (sanitizers)"
fi

# --- the JSONL reader ----------------------------------------------------

bad=
for t in 01 +1 .5 1. tru nulll - 1e 0x10 abc --1 1.5e+ NaN Infinity \
         '"a\377b"' '"\303"' '"\355\240\200"'; do
    printf '{"x":1,"n":0}\n{"x":2,"n":%b}\n' "$t" |
        "$NABLA" --batch --input jsonl -o jsonl x >"$tmp/out" 2>"$tmp/err"
    st=$?
    if test "$st" -ne 1 || test "$(wc -l <"$tmp/out")" -ne 1 ||
            ! grep -q '^nabla: <stdin>:2:1[234]: error: ' "$tmp/err"; then
        printf '# accepted or misplaced: %s\n' "$t"
        bad=1
    fi
done
test -z "$bad"
ok $? "JSONL: tokens that are not JSON and strings not UTF-8 are bad rows at line 2"
printf '{"x":1,"a":-0,"b":0.5,"c":1e5,"d":1E-5,"e":-1.5e+10,"t":true,"g":null,"h":false,"i":"\303\251\360\237\230\200"}\n' >"$tmp/good.jsonl"
"$NABLA" --batch --input jsonl -o jsonl x "$tmp/good.jsonl" >"$tmp/out" &&
    grep -q '"a":-0,"b":0.5,"c":1e5,"d":1E-5,"e":-1.5e+10,"t":true,"g":null,"h":false,"i":"'"$(printf '\303\251\360\237\230\200')"'"' "$tmp/out"
ok $? "JSONL: JSON numbers, literals and UTF-8 strings pass through"

# --- pass-through columns named like computed ones ------------------------

clash() {
    name=$1 input=$2
    shift 2
    printf "$input" | "$NABLA" --batch "$@" >"$tmp/out" 2>"$tmp/err"
    st=$?
    test "$st" -eq 2 && ! test -s "$tmp/out" &&
        grep -q "has the name of a computed column" "$tmp/err"
    ok $? "a pass-through column named like a computed one: $name"
}
clash "f and df/dx in jsonl" 'x,f,df/dx\n1,hello,world\n' -o jsonl 'x*2'
clash "df/dx in csv" 'x,df/dx\n1,world\n' 'x*2'
clash "a named output" '{"x":1,"g":2}\n' --input jsonl -o jsonl 'g = x*2'
clash "--check's check column" 'x,check\n1,2\n' --check 'x*2'
printf 'x,f\n1,2\n' | "$NABLA" --batch --no-echo 'x*2' >"$tmp/out" &&
    test "$(cat "$tmp/out")" = "$(printf 'f,df/dx\n2,2')"
ok $? "--no-echo: no pass-through column, no clash"

# --- a long session loads in linear time ---------------------------------

awk 'BEGIN { print "x = 1"; print "y0 = x"
             for (i = 1; i < 100000; i++) printf "y%d = y%d*1.0001 + x\n", i, i - 1
             print "y99999" }' >"$tmp/chain.nb"
if command -v python3 >/dev/null 2>&1; then
    python3 - "$NABLA" "$tmp/chain.nb" <<'PY'
import subprocess, sys, time
nabla, prog = sys.argv[1:]
t = time.time()
one = subprocess.run([nabla, "-o", "json", "-f", prog], capture_output=True)
t_f = time.time() - t
limit = 10 * t_f + 5
t = time.time()
try:
    repl = subprocess.run([nabla], input=b":format json\n:load " +
                          prog.encode() + b"\n",
                          capture_output=True, timeout=limit)
except subprocess.TimeoutExpired:
    print("# :load of 10^5 definitions: over %.1f s (nabla -f: %.1f s)"
          % (limit, t_f))
    sys.exit(1)
t_load = time.time() - t
print("# 10^5 definitions: nabla -f %.2f s, :load %.2f s" % (t_f, t_load))
# The same value both ways: {"output": "f", "value": V, first, V alone.
value = one.stdout.split(b"\n")[0].split(b'"value": ')[-1].rstrip(b",")
if one.returncode or repl.returncode or repl.stdout.strip() != value:
    print("# values %r and %r" % (value, repl.stdout.strip()))
    sys.exit(1)
PY
    ok $? ":load of 10^5 definitions within 10 times nabla -f's time"
else
    n=$((n + 1)); echo "ok $n # SKIP no python3"
fi

# --- --emit with names that clash ----------------------------------------

# progs NAME X: the name as the output, as an input, as an intermediate,
# in programs of X (sign(x) makes the Python code call its float()).
progs() {
    printf '%s\n' "$1 = $2*2" "q = $1*2 + $1 + $2" "$1 = $2*2; f = $1 + 1"
}
for cc in gcc clang; do
    for std in c11 gnu11; do
        if ! command -v "$cc" >/dev/null 2>&1; then
            n=$((n + 1)); echo "ok $n # SKIP no $cc"
            continue
        fi
        bad=
        for name in erf round lgamma y0 NAN INFINITY HUGE_VAL FP_NAN \
                math_errhandling M_PI M_E asm typeof signgam j1 sinf \
                lgamma_r erff64 float_t fortran main; do
            progs "$name" x >"$tmp/progs"
            while IFS= read -r prog; do
                "$NABLA" --emit c "$prog" >"$tmp/e.c" &&
                    "$cc" -std="$std" -Wall -Wextra -pedantic \
                        -c "$tmp/e.c" -o "$tmp/e.o" 2>"$tmp/cc.err" ||
                    { bad="$bad $name"; sed -e 's/^/# /' -e 3q "$tmp/cc.err"; }
            done <"$tmp/progs"
        done
        test -z "$bad"
        ok $? "--emit c with clashing names compiles: $cc -std=$std${bad:+ (not:$bad)}"
    done
done
if command -v python3 >/dev/null 2>&1; then
    bad=
    for name in float __debug__ __name__ math round int str lambda None \
            nb_sign; do
        progs "$name" "sign(x)" >"$tmp/progs"
        while IFS= read -r prog; do
            "$NABLA" --emit python "$prog" >"$tmp/e.py" || { bad="$bad $name"; continue; }
            python3 - "$tmp/e.py" <<'PY' || bad="$bad $name"
import re, sys
code = open(sys.argv[1]).read()
scope = {}
exec(compile(code, "e.py", "exec"), scope)
fn = re.findall(r"^def (\w+)\((.*)\):", code, re.M)[-1]
value, grad = scope[fn[0]](*[1.5] * len(fn[1].split(", ")))
assert isinstance(value, float) and all(isinstance(g, float) for g in grad.values())
PY
        done <"$tmp/progs"
    done
    test -z "$bad"
    ok $? "--emit python with clashing names runs${bad:+ (not:$bad)}"
else
    n=$((n + 1)); echo "ok $n # SKIP no python3"
fi

# --- a name of 10^6 bytes in the table -----------------------------------

awk 'BEGIN { s = "n"; for (i = 0; i < 20; i++) s = s s
             print s " = 1"; print "q = " s "*2"; print s "x = q + 1" }' >"$tmp/long.nb"
"$NABLA" -f "$tmp/long.nb" >"$tmp/out" &&
    test "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$tmp/out")" -lt 200 &&
    grep -q '^  *nnnnnnnnnnnnnnnnnnnnnnnnnnnnn\.\.\. = 3$' "$tmp/out"
ok $? "the table elides names of 10^6 bytes"

# --- writers and strict parsers -------------------------------------------

if command -v python3 >/dev/null 2>&1; then
    python3 - "$NABLA" "$tmp" <<'PY'
import csv, io, json, subprocess, sys
nabla, tmp = sys.argv[1:]
fields = ["plain", "\x1b]0;owned\x07\x1b[2J", "a,b", 'say "hi"', "two\nlines",
          "tab\there", "cr\r", "\x7f\xc2\x9b", "caf\xc3\xa9", "bad\xff\xfe",
          "\xc3", "back\\slash", "\x00nul"]
fields = [f.encode("latin-1") if "\xc3" in f or "\xff" in f else f.encode()
          for f in fields]
bad = 0
def fail(what):
    global bad
    bad += 1
    print("# " + what)
def run(args, data):
    r = subprocess.run([nabla, "--batch"] + args + ["x*2"], input=data,
                       capture_output=True)
    if r.returncode != 0:
        fail("%s: status %d %r" % (args, r.returncode, r.stderr[:200]))
    return r.stdout
def csv_quote(b):
    return b'"' + b.replace(b'"', b'""') + b'"'
# CSV input cannot hold NUL; JSONL input can, as \u0000.
rows = [f for f in fields if b"\x00" not in f]
csv_in = b"x,n\n" + b"".join(b"%d,%s\n" % (i, csv_quote(f))
                              for i, f in enumerate(rows))
def jstr(b):
    return json.dumps(b.decode("utf-8", "surrogateescape"), ensure_ascii=True) \
        if b"\xff" not in b and b != b"\xc3" else None
jrows = [f for f in fields if jstr(f)]
jsonl_in = b"".join(b'{"x":%d,"n":%s}\n' % (i, jstr(f).encode())
                    for i, f in enumerate(jrows))
def no_const(c):
    raise ValueError("constant " + c)
for fmt_in, data, expect in (("csv", csv_in, rows), ("jsonl", jsonl_in, jrows)):
    args = ["--input", fmt_in]
    out = run(args + ["-o", "jsonl"], data)
    lines = out.split(b"\n")
    if lines[-1] != b"":
        fail("jsonl from %s: no line end at the end" % fmt_in)
    for i, line in enumerate(lines[:-1]):
        try:
            obj = json.loads(line.decode("utf-8"), parse_constant=no_const)
        except ValueError as e:
            fail("jsonl from %s line %d: %s: %r" % (fmt_in, i + 1, e, line))
            continue
        want = expect[i].decode("utf-8", "replace")
        if obj.get("n") != want or obj.get("f") != 2 * i:
            fail("jsonl from %s line %d: %r, not %r" % (fmt_in, i + 1, obj, want))
    out = run(args + ["-o", "csv"], data)
    got = list(csv.reader(io.StringIO(out.decode("utf-8", "surrogateescape"),
                                      newline=""), strict=True))
    want = [["x", "n", "f", "df/dx"]] + [
        [str(i), f.decode("utf-8", "surrogateescape"), str(2 * i), "2"]
        for i, f in enumerate(expect)]
    if got != want:
        fail("csv from %s: %r" % (fmt_in, got[:3]))
    out = run(args + ["-o", "tsv"], data)
    if any(l.count(b"\t") != 3 for l in out.split(b"\n")[:-1]) or \
            out.count(b"\n") != len(expect) + 1:
        fail("tsv from %s: %r" % (fmt_in, out[:200]))
    out = run(args + ["-o", "table"], data)
    if any(c < 0x20 and c != 0x0a for c in out) or \
            any(b in out for b in (b"\x7f", b"\xc2\x9b", b"\xff")) or \
            out.count(b"\n") != len(expect) + 1:
        fail("table from %s: %r" % (fmt_in, out[:300]))
sys.exit(1 if bad else 0)
PY
    ok $? "every batch output format of hostile pass-through data parses strictly"
else
    n=$((n + 1)); echo "ok $n # SKIP no python3"
fi

# --- :save --------------------------------------------------------------

mkdir "$tmp/save"
echo 'old = 1' >"$tmp/save/s.nb"
awk 'BEGIN { for (i = 0; i < 300; i++) printf "a%d = %d\n", i, i
             print ":save s.nb" }' >"$tmp/save/in"
(cd "$tmp/save" && trap '' XFSZ && ulimit -f 1 && "$NABLA" <in >/dev/null 2>&1)
test "$(cat "$tmp/save/s.nb")" = "old = 1" && test "$(ls -A "$tmp/save" | wc -l)" -eq 2
ok $? ":save failing (file size limit) leaves the old file and no temporary"

awk 'BEGIN { for (i = 0; i < 600; i++) printf "a%d = %d\n", i, i
             print ":save f.nb"
             for (i = 0; i < 600; i++) printf "b%d = %d\n", i, i }' >"$tmp/save/f.nb"
(cd "$tmp/save" && printf ':load f.nb\n:vars\n' | "$NABLA") >"$tmp/vars"
test "$(grep -c '^[ab][0-9]* = ' "$tmp/vars")" -eq 1200 &&
    test "$(grep -c '^a[0-9]* = ' "$tmp/save/f.nb")" -eq 600 &&
    ! grep -q '^b' "$tmp/save/f.nb"
ok $? ":save onto the file being :load'ed: all 1200 statements loaded"

ln -s f.nb "$tmp/save/link.nb"
(cd "$tmp/save" && printf 'z = 3\n:save link.nb\n' | "$NABLA")
test -L "$tmp/save/link.nb" && grep -q '^z = 3$' "$tmp/save/f.nb"
ok $? ":save through a symbolic link writes the target, keeps the link"

# --- signals -----------------------------------------------------------

awk 'BEGIN { srand(7); print "x,y"
             for (i = 0; i < 300000; i++)
                 printf "%.17g,%.17g\n", rand() * 10 - 5, rand() * 10 - 5 }' \
    >"$tmp/big.csv"
for fmt in csv tsv jsonl table; do
    if ! command -v python3 >/dev/null 2>&1; then
        n=$((n + 1)); echo "ok $n # SKIP no python3"
        continue
    fi
    "$NABLA" --batch -o "$fmt" 'x*y + sin(x)' - <"$tmp/big.csv" >"$tmp/ref.$fmt"
    python3 - "$NABLA" "$fmt" "$tmp/big.csv" "$tmp/ref.$fmt" "$tmp/out" <<'PY'
import os, random, signal, subprocess, sys, time
nabla, fmt, data, ref_path, out_path = sys.argv[1:]
ref = open(ref_path, "rb").read()
lines = open(data, "rb").read().splitlines(True)
# The data goes in through a pipe, a random number of chunks of it, and
# the signal comes while nabla waits for the rest: it is certainly still
# running, however fast the machine, and it may be reading, computing or
# writing (a pipe holds 64 KiB, so it has read all but the last of it).
chunks = [b"".join(lines[i:i + 997]) for i in range(0, len(lines), 997)]
random.seed(fmt)
sigs = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
bad = 0
def default_signals():
    for s in sigs:
        signal.signal(s, signal.SIG_DFL)
for trial in range(6):
    sig = sigs[trial % 3]
    with open(out_path, "wb") as out:
        p = subprocess.Popen([nabla, "--batch", "-o", fmt, "x*y + sin(x)",
                              "-"], stdin=subprocess.PIPE, stdout=out,
                             preexec_fn=default_signals)
        for c in chunks[:random.randint(1, len(chunks) - 1)]:
            p.stdin.write(c)
        p.stdin.flush()
        time.sleep(random.uniform(0, 0.05))
        p.send_signal(sig)
        st = p.wait()
        p.stdin.close()
    got = open(out_path, "rb").read()
    whole = ref.startswith(got) and (got == b"" or got.endswith(b"\n"))
    if st != -sig or not whole:
        bad += 1
        tail = got[-60:]
        print("# %s: status %d, %d of %d bytes, ends %r"
              % (signal.Signals(sig).name, st, len(got), len(ref), tail))
print("# %s: 6 runs killed, %d bad" % (fmt, bad))
sys.exit(1 if bad else 0)
PY
    ok $? "a batch killed at random moments leaves whole, right lines ($fmt)"
done

echo "1..$n"
