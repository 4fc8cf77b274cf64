"""Every (mode x format x front end) either works or is refused (TAP).

Works: exit status 0 and output in that format (JSON parses, every CSV
and TSV line has the header's columns, ...).  Refused: exit status 2 on
the command line and in batch mode (1 in a REPL script, where every
error is 1), with a message that names the format, and the mode unless
the mode is refused in that front end whatever the format (then the
message names the mode).  A combination that writes something else
than it was asked for (a table for -o csv) fails.

The formats are the rows of src/output/formats.def, the modes those of
src/modes/modes.def."""

import csv
import io
import json
import os
import re
import subprocess
import sys

NABLA = os.environ["NABLA"]
TOP = os.environ["abs_top_srcdir"]

with open(os.path.join(TOP, "src", "output", "formats.def")) as f:
    FORMATS = re.findall(r'^NB_FORMAT\(\w+, "(\w+)"', f.read(), re.M)

# The modes are the rows of src/modes/modes.def:
# mode: (one-shot options, REPL command, what names it in messages, the
# one-shot and batch operands).  A mode that reads its program from FILE
# (NB_ARG_FILE) gets the seeds' backward pass, and no EXPR.
VERIFY_FILE = os.path.join(TOP, "tests", "verify", "cs231n.py")
ARGS = {"NB_ARG_NONE": None, "NB_ARG_DIRECTION": "x=1", "NB_ARG_LANG": "c",
        "NB_ARG_FILE": VERIFY_FILE}
with open(os.path.join(TOP, "src", "modes", "modes.def")) as f:
    ROWS = re.findall(r'^NB_MODE\(\w+, "([\w-]+)", (NB_ARG_\w+),\s*[^,]+,\s*(NULL)?',
                      f.read(), re.M)
MODES = {}
for name, arg, nohelp in ROWS:
    a = ARGS[arg]
    opts = [] if nohelp else ["--" + name] + ([a] if a else [])
    cmd = ":%s %s" % (name, "f" if not a else
                      "f " + a if arg == "NB_ARG_DIRECTION" else
                      '"%s"' % a if arg == "NB_ARG_FILE" else a + " f")
    file = arg == "NB_ARG_FILE"
    MODES[name] = (opts, cmd, None if nohelp else name,
                   ([], []) if file else (["x = 2; y = 3; x*y"], ["x*y"]))


def run(args, stdin=""):
    p = subprocess.run([NABLA] + args, input=stdin.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def oneshot(mode, fmt):
    return run(MODES[mode][0] + ["-o", fmt] + MODES[mode][3][0])


def repl(mode, fmt):
    return run([], "x = 2\ny = 3\nf = x*y\n:format %s\n%s\n"
               % (fmt, MODES[mode][1]))


def batch(mode, fmt):
    return run(["--batch"] + MODES[mode][0] + ["-o", fmt] + MODES[mode][3][1],
               "x,y\n2,3\n4,5\n")


FRONTS = {"one-shot": (oneshot, 2), "REPL script": (repl, 1),
          "batch": (batch, 2)}


def delimited(out, sep):
    rows = list(csv.reader(io.StringIO(out), delimiter=sep)) if sep == "," \
        else [line.split("\t") for line in out.splitlines()]
    if len(rows) < 2 or len(rows[0]) < 2:
        return "fewer than two lines or columns"
    for k, r in enumerate(rows):
        if len(r) != len(rows[0]):
            return "line %d has %d fields, the header %d" % (
                k + 1, len(r), len(rows[0]))
    return None


def text(out):
    first = out.lstrip().split("\n", 1)[0]
    if out.lstrip()[:1] in ("{", "[") or first.startswith("digraph") \
            or "\t" in first or re.match(r"^\w+(,\w+)+$", first):
        return "not text for people: " + first[:40]
    return None


def jsonl(out):
    for line in out.splitlines():
        if not isinstance(json.loads(line), dict):
            return "a line is not an object"
    return None


VALID = {
    "table": text,
    "csv": lambda out: delimited(out, ","),
    "tsv": lambda out: delimited(out, "\t"),
    "json": lambda out: json.loads(out) and None,
    "jsonl": jsonl,
    "dot": lambda out: None if out.startswith("digraph") else "not DOT",
}


def verdict(mode, front, fmt, res, whole):
    status, out, err = res
    _, refused = FRONTS[front]
    if status == 0:
        if not out:
            return "exit 0 but no output"
        if fmt not in VALID:
            return "no validator for format %s (add one)" % fmt
        try:
            why = VALID[fmt](out)
        except ValueError as e:
            why = str(e)
        return why and "exit 0 but not %s: %s" % (fmt, why)
    if status != refused:
        return "exit %d (want 0 or %d): %s" % (status, refused, err[:200])
    name = MODES[mode][2]
    if whole:
        if name and name not in err:
            return "refused in every format without naming %s: %s" % (
                name, err[:200])
        return None
    if fmt not in err:
        return "refused without naming %s: %s" % (fmt, err[:200])
    if name and name not in err and ":format" not in err:
        return "refused without naming %s: %s" % (name, err[:200])
    return None


def main():
    cases = [(m, fr) for m in MODES for fr in FRONTS]
    print("1..%d" % (len(cases) * len(FORMATS)))
    n = 0
    for mode, front in cases:
        results = {f: FRONTS[front][0](mode, f) for f in FORMATS}
        # Refused alike whatever the format: the mode is the reason.
        whole = all(r[0] != 0 for r in results.values()) and \
            len({r[2] for r in results.values()}) == 1
        for fmt in FORMATS:
            n += 1
            why = verdict(mode, front, fmt, results[fmt], whole)
            print("%s %d - %s, -o %s, %s" % (
                "not ok" if why else "ok", n, mode, fmt, front))
            if why:
                print("# " + why.replace("\n", "\n# "))
    return 0


sys.exit(main())
