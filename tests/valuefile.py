"""valuefile.py - value files for NAME=@FILE against NumPy itself (TAP).

    python3 valuefile.py TOOL

TOOL is tests/valuefile_tool.  NumPy writes .npy files of every dtype,
byte order, memory order, version and shape nabla accepts; nabla's
values must match NumPy's conversion to float64 bit for bit.  Text files
are read by numpy.loadtxt (ndmin=1) and JSON by numpy.array(json.loads())
as well: where NumPy reads a value, nabla must read the same shape and
bits, and where NumPy refuses, nabla must refuse (exit 1); the few files
nabla refuses on purpose (empty arrays, rank 3, underflow) say so.  Files
that nabla writes (.npy) must load in NumPy with the same bits and be
byte-identical to numpy.save's.  Bad files must be clean errors: exit 1,
the expected message, and no sanitizer report.
"""
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np

TOOL = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="nabla-valuefile.")
results = []


def check(ok, name, why=""):
    results.append((bool(ok), name, why))


def run(*args):
    p = subprocess.run([TOOL, *args], capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode("utf-8", "replace")


def path(name):
    return os.path.join(TMP, name)


def fmt_shape(shape):
    return "()" if shape == () else "x".join(str(d) for d in shape)


def bits(a):
    flat = np.ascontiguousarray(np.asarray(a, dtype="<f8")).ravel(order="C")
    return ["%016x" % b for b in flat.view("<u8")]


def expect_value(name, file, want):
    """nabla reads file as the float64 array want, bit for bit."""
    status, out, err = run(file)
    got = out.split("\n")[:-1]
    exp = [fmt_shape(want.shape)] + bits(want)
    if status != 0:
        check(False, name, "exit %d: %s" % (status, err.strip()))
    elif got != exp:
        first = next((i for i in range(min(len(got), len(exp)))
                      if got[i] != exp[i]), min(len(got), len(exp)))
        check(False, name, "line %d: got %s, want %s" % (
            first, got[first:first + 1], exp[first:first + 1]))
    else:
        check(True, name)


def expect_error(name, file, *needles):
    """nabla refuses file: exit 1, each needle in the message, no crash."""
    status, out, err = run(file)
    bad = [n for n in needles if n not in err]
    if status != 1 or bad or "Sanitizer" in err or "runtime error" in err:
        check(False, name, "exit %d, stderr %r" % (status, err.strip()))
    else:
        check(True, name)


# --- .npy written by NumPy ------------------------------------------------

def sample(dt, shape, rng):
    if dt.kind == "f":
        a = rng.standard_normal(shape) * 10.0 ** rng.integers(-30, 30, shape)
        special = [np.nan, np.inf, -np.inf, -0.0, 5e-324 if dt.itemsize == 8
                   else 1e-45, np.finfo(dt).max]
        flat = a.reshape(-1)
        for i, v in enumerate(special[:flat.size - 1]):
            flat[(i * 7 + 1) % flat.size] = v
        return a.astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, shape, dtype=dt.newbyteorder("="),
                        endpoint=True).astype(dt)


SHAPES = [(), (1,), (5,), (1, 1), (3, 4), (4, 1), (1, 7), (17, 13)]
rng = np.random.default_rng(5)
for base in ["f8", "f4", "i4", "i8"]:
    for order_char in "<>":
        dt = np.dtype(order_char + base)
        for shape in SHAPES:
            a = sample(dt, shape, rng)
            for memory in "CF":
                if memory == "F" and not shape:
                    continue    # a 0-d array has no memory order
                arr = np.asfortranarray(a) if memory == "F" else a
                for version in [(1, 0), (2, 0), (3, 0)]:
                    if version != (1, 0) and (shape != (3, 4) or memory != "F"):
                        continue
                    f = path("a_%s_%s_%s_%d.npy" % (dt.str.replace(
                        "<", "le").replace(">", "be"), memory,
                        fmt_shape(shape), version[0]))
                    with open(f, "wb") as fh:
                        np.lib.format.write_array(fh, arr, version=version)
                    expect_value("npy %s %s order %s version %d.0" % (
                        dt.str, fmt_shape(shape), memory, version[0]),
                        f, a.astype("<f8"))

# Python 2's numpy wrote long integers with an L, and keys in any order.
f = path("py2.npy")
header = "{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f8'}"
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(f, "wb") as fh:
    fh.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
             + header.encode() + np.arange(6, dtype="<f8").tobytes())
expect_value("npy header with 2L and keys out of order", f,
             np.arange(6.0).reshape(2, 3))

# --- .npy files nabla writes ------------------------------------------------

for shape in [(), (1,), (10,), (3, 4), (1000, 2), (123456, 1)]:
    a = rng.standard_normal(shape)
    src, out = path("w_src.npy"), path("w_out.npy")
    np.save(src, a)
    status, _, err = run("--npy", out, src)
    if status != 0:
        check(False, "write %s" % fmt_shape(shape), err)
        continue
    back = np.load(out)
    ref = io.BytesIO()
    np.save(ref, a)
    check(back.dtype == np.dtype("<f8") and back.shape == a.shape
          and bits(back) == bits(a), "written %s loads in NumPy, same bits"
          % fmt_shape(shape))
    with open(out, "rb") as fh:
        mine = fh.read()
    check(mine == ref.getvalue(), "written %s is byte-identical to numpy.save"
          % fmt_shape(shape), "header %r vs %r" % (mine[:128],
                                                   ref.getvalue()[:128]))

# --- text files against numpy.loadtxt ----------------------------------------

TEXT = [
    ("csv", "1,2,3\n4,5,6\n"),
    ("csv", "1\n2\n3\n"),
    ("csv", "7\n"),
    ("csv", "1,2,3"),
    ("csv", "# a comment\n\n 1 , 2 \r\n3,4 # trailing\r\n\n"),
    ("csv", "1e3,-2.5e-3,inf\n nan, -inf, +4\n"),
    ("csv", "0.1,0.2\n0.30000000000000004,1e308\n"),
    ("csv", "\t1,\t2\t\n3,4\n"),
    ("tsv", "1\t2\n3\t4\n"),
    ("tsv", "1 \t 2\r\n# x\n3\t4\n"),
    ("tsv", "5\n6\n"),
    ("csv", "1,2\n3\n"),
    ("csv", "1\n2,3\n"),
    ("csv", "1,,2\n"),
    ("csv", "1,2,\n"),
    ("csv", "abc\n"),
    ("csv", "1 2 3\n"),
    ("tsv", "1,2\n3,4\n"),
    ("tsv", "1\t\t2\n"),
    ("csv", "0x10\n"),
]
for i, (ext, text) in enumerate(TEXT):
    f = path("t%d.%s" % (i, ext))
    with open(f, "w", newline="") as fh:
        fh.write(text)
    name = "%s %r" % (ext, text)
    try:
        want = np.loadtxt(f, delimiter="," if ext == "csv" else "\t",
                          ndmin=1)
    except ValueError:
        expect_error(name + " (loadtxt refuses)", f, "error:")
        continue
    expect_value(name, f, want)

# Refused on purpose, with the line and column of the fault.
TEXT_BAD = [
    ("csv", "", "1:1", "no numbers"),
    ("csv", "# only a comment\n\n", "3:1", "no numbers"),
    ("csv", "1,2\n3\n", "2:2", "this row has 1 number; the first row has 2"),
    ("csv", "1,2\n3,4,5\n", "2:5", "this row has more than the 2 numbers "
     "of the first row"),
    ("csv", "1\n3,4\n", "2:3", "this row has more than the 1 number of "
     "the first row"),
    ("csv", "1,2\r\n3,x\r\n", "2:3", "not a number"),
    ("csv", "1,,2\n", "1:3", "empty field"),
    ("csv", "1e-400\n", "1:1", "number too small"),
    ("csv", "1,1e400\n", "1:3", "number too large"),
    ("tsv", "1\t2\n3\t\n", "2:3", "empty field"),
]
for i, (ext, text, where, msg) in enumerate(TEXT_BAD):
    f = path("bad%d.%s" % (i, ext))
    with open(f, "w", newline="") as fh:
        fh.write(text)
    expect_error("bad %s %r" % (ext, text), f, "%s:%s: error: %s" % (
        f, where, msg))

# --- JSON against numpy.array(json.loads()) -----------------------------------

JSON = [
    "3", " -0.5e-3 ", "[1, 2, 3]", "[[1, 2], [3, 4]]", "[[1e308, -0.0]]",
    "[[1], [2], [3]]", "[\r\n 1,\n 2\n]\n", "[7]", "[[1,2],[3]]",
    "[1, [2]]", "[[1], 2]", "[1, 2,]", "[1 2]", "{\"a\": 1}", "[1, 2]]",
    "[01]",
]
for i, text in enumerate(JSON):
    f = path("j%d.json" % i)
    with open(f, "w", newline="") as fh:
        fh.write(text)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            want = np.array(json.loads(text), dtype="<f8")
    except (ValueError, TypeError, np.VisibleDeprecationWarning):
        expect_error("json %r (NumPy refuses)" % text, f, "error:")
        continue
    expect_value("json %r" % text, f, want)

JSON_BAD = [
    ("[[[1]]]", "1:3", "arrays nested too deep"),
    ("[]", "1:1", "empty array"),
    ("[[], []]", "1:2", "empty array"),
    ("", "1:1", "expected a number"),
    ("[NaN]", "1:2", "expected a number"),
    ("[Infinity]", "1:2", "expected a number"),
    ("[+1]", "1:2", "expected a number"),
    ("[.5]", "1:2", "expected a number"),
    ("[1.]", "1:4", "bad number"),
    ("[[1, 2],\n [3]]", "2:2", "ragged: this array's length is 1, the "
     "first's at its depth 2"),
    ("[1, [2]]", "1:5", "expected a number"),
    ("[[1], 2]", "1:7", "expected '['"),
    ("[1] x", "1:5", "unexpected text"),
    ("[1e-999]", "1:2", "number too small"),
    ("[1, -1e999]", "1:5", "number too large"),
    ('[1, "Infinity"]', "1:5", 'a string may only be'),
    ("null", "1:1", "expected a number or '['"),
    ('"1"', "1:1", 'a string may only be "nan", "inf" or "-inf"'),
    ("[true]", "1:2", "expected a number or '['"),
]
for i, (text, where, msg) in enumerate(JSON_BAD):
    f = path("jbad%d.json" % i)
    with open(f, "w", newline="") as fh:
        fh.write(text)
    expect_error("bad json %r" % text, f, "%s:%s: error: %s" % (
        f, where, msg))

# --- bad .npy files ---------------------------------------------------------


def npy_bytes(a, version=(1, 0)):
    b = io.BytesIO()
    np.lib.format.write_array(b, a, version=version)
    return b.getvalue()


def with_header(header, data=b""):
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return (b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
            + header.encode() + data)


good = npy_bytes(np.arange(12.0).reshape(3, 4))
NPY_BAD = [
    ("empty", b"", "byte 0: not a NumPy .npy file"),
    ("wrong magic", b"\x93NUMPX" + good[6:], "byte 0: not a NumPy"),
    ("text", b"1,2,3\n", "byte 0: not a NumPy"),
    ("ends in version", good[:7], "byte 7: the file ends in the version"),
    ("version 4", good[:6] + b"\x04\x00" + good[8:], "byte 6: unsupported "
     ".npy version"),
    ("ends in length", good[:9], "byte 9: the file ends in the header's "
     "length"),
    ("truncated header", good[:40], "byte 40: the file ends in the header"),
    ("truncated data", good[:-1], "the data is 95 bytes; a 3x4 array of "
     "8-byte elements is 96"),
    ("data too long", good + b"\0", "the data is 97 bytes"),
    ("rank 3", npy_bytes(np.zeros((2, 2, 2))), "too many dimensions"),
    ("no elements", npy_bytes(np.zeros((3, 0))), "has no elements"),
    ("complex", npy_bytes(np.zeros(3, dtype="<c16")), "unsupported dtype"),
    ("float16", npy_bytes(np.zeros(3, dtype="<f2")), "unsupported dtype"),
    ("uint8", npy_bytes(np.zeros(3, dtype="|u1")), "unsupported dtype"),
    ("uint32", npy_bytes(np.zeros(3, dtype="<u4")), "unsupported dtype"),
    ("bool", npy_bytes(np.zeros(3, dtype="?")), "unsupported dtype"),
    ("unicode", npy_bytes(np.array(["ab"])), "unsupported dtype"),
    ("datetime", npy_bytes(np.zeros(3, dtype="<M8[s]")), "unsupported "
     "dtype"),
    ("record", npy_bytes(np.zeros(3, dtype=[("a", "<f8")])),
     "expected a quoted string"),
    ("unknown key", with_header("{'descr': '<f8', 'fortran_order': False, "
                                "'shape': (1,), 'x': 1}", b"\0" * 8),
     "unknown key"),
    ("missing key", with_header("{'descr': '<f8', 'shape': (1,)}",
                                b"\0" * 8), "the header lacks"),
    ("repeated key", with_header("{'descr': '<f8', 'descr': '<f8'}"),
     "repeated key"),
    ("bad fortran_order", with_header("{'descr': '<f8', 'fortran_order': 1, "
                                      "'shape': (1,)}"), "True or False"),
    ("unterminated shape", with_header("{'descr': '<f8', 'fortran_order': "
                                       "False, 'shape': (1"),
     "expected ',' or ')'"),
    ("huge dimension", with_header("{'descr': '<f8', 'fortran_order': "
                                   "False, 'shape': (99999999999,)}"),
     "dimension too large"),
    ("huge array", with_header("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': (4294967295, 4294967295)}"),
     "too large"),
    ("not a dict", with_header("['descr']"), "expected '{'"),
    ("unterminated string", with_header("{'descr: 1}"), "unterminated "
     "string"),
    ("header length past the end", good[:8] + b"\xff\xff" + good[10:],
     "the file ends in the header"),
]
for name, data, msg in NPY_BAD:
    f = path("bad_%s.npy" % name.replace(" ", "_"))
    with open(f, "wb") as fh:
        fh.write(data)
    expect_error("bad npy: " + name, f, "%s: byte " % f, msg)

expect_error("missing file", path("absent.npy"), "absent.npy: No such "
             "file")
expect_error("unknown extension", path("x.txt"), "must be .npy, .csv, .tsv "
             "or .json")

print("1..%d" % len(results))
for i, (ok, name, why) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        print("# " + why.replace("\n", "\n# "))
subprocess.run(["rm", "-rf", TMP])
