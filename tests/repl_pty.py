#!/usr/bin/env python3
"""tests/repl_pty.py -- the interactive session through a real terminal, as TAP.

Runs nabla on a pseudo-terminal (pty.fork), types at it and reads what it
shows, with select() timeouts so that a hang is a failure, not a stuck
build.  Standard library only.

Environment: NABLA (the binary), NABLA_HAVE_READLINE (1 when built with
GNU Readline: completion and history cases are skipped otherwise),
NABLA_TEST_TIMEOUT (seconds to wait for an expected output, default 60).
"""

import fcntl
import os
import pty
import re
import resource
import select
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import termios
import time

NABLA = os.environ.get("NABLA", "./src/nabla")
READLINE = os.environ.get("NABLA_HAVE_READLINE", "1") == "1"
TIMEOUT = float(os.environ.get("NABLA_TEST_TIMEOUT", "60"))
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Session:
    """One nabla process on a pty; out holds everything shown so far."""

    def __init__(self, env, args=(), stdout_file=None, fsize=None,
                 winsize=None):
        self.out = b""
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            if winsize:                 # (rows, columns) the terminal says
                fcntl.ioctl(1, termios.TIOCSWINSZ,
                            struct.pack("HHHH", winsize[0], winsize[1], 0, 0))
            if fsize is not None:       # a file size limit, as on a full disk
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
            if stdout_file:
                fd = os.open(stdout_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(fd, 1)
            try:
                os.execve(NABLA, [NABLA] + list(args), env)
            finally:
                os._exit(127)
        self.mark = 0

    def _read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            data = b""
        if not data:
            raise EOFError
        self.out += data
        return True

    def expect(self, pattern):
        """Waits for pattern (a bytes regex) after the last match; returns
        the text shown in between (control sequences removed)."""
        deadline = time.time() + TIMEOUT
        rx = re.compile(pattern)
        while True:
            clean = ANSI.sub(b"", self.out[self.mark:])
            m = rx.search(clean)
            if m:
                # Advance the mark past the match in the raw output.
                raw_rest = self.out[self.mark:]
                for i in range(len(raw_rest) + 1):
                    if len(ANSI.sub(b"", raw_rest[:i])) >= m.end():
                        self.mark += i
                        break
                return clean[:m.end()].decode("utf-8", "replace")
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("waited for %r; got %r" % (pattern, clean[-400:]))
            try:
                self._read(left)
            except EOFError:
                raise TimeoutError("end of output waiting for %r; got %r"
                                   % (pattern, clean[-400:]))

    def prompt(self):
        return self.expect(rb"nabla> ")

    def send(self, data):
        os.write(self.fd, data)

    def line(self, text):
        """Types a line and returns what was shown up to the next prompt."""
        self.send(text.encode() + b"\r")
        return self.prompt()

    def finish(self):
        """Waits for the process to end; returns its exit status."""
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                if not self._read(0.2):
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                    if pid:
                        return decode(status)
            except EOFError:
                break
        try:
            _, status = os.waitpid(self.pid, 0 if time.time() < deadline else os.WNOHANG)
        except ChildProcessError:
            return None
        if _ == 0:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            return "timeout"
        os.close(self.fd)
        return decode(status)

    def kill(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def decode(status):
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return "signal %d" % os.WTERMSIG(status)


TMP = tempfile.mkdtemp(prefix="nabla-repl.")


def environment(**extra):
    env = {k: v for k, v in os.environ.items() if k != "NABLA_HISTORY"}
    env.update(TERM="dumb", INPUTRC="/dev/null", LC_ALL="C", COLUMNS="100",
               HOME=TMP, XDG_STATE_HOME=os.path.join(TMP, "state"))
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


CASES = []


def case(name, needs_readline=False):
    def register(fn):
        CASES.append((name, needs_readline, fn))
        return fn
    return register


def check(cond, what):
    if not cond:
        raise AssertionError(what)


@case("seeds step by step: :grad f shows -12 and -4, -4, 3")
def seeds(s):
    s.prompt()
    s.line("x = -2; y = 5; z = -4; q = x + y; f = q * z")
    out = s.line(":grad f")
    for want in ("    f = -12", "df/dx = -4", "df/dy = -4", "df/dz = 3"):
        check(want in out, "missing %r in %r" % (want, out))
    check("-12" in s.line("f"), "f is not -12")


@case("a start-up hint; an assignment shows its value unless ';' ends it")
def echo_values(s):
    hint = s.prompt()
    check("nabla " in hint and ":help for commands, Ctrl-D to quit" in hint,
          "no start-up hint: %r" % hint)
    out = s.line("x = -2; y = 5; z = -4").split("\n", 1)[1]
    check("z = -4" in out and "x = -2" not in out and "y = 5" not in out,
          "x = -2; y = 5; z = -4 showed %r" % out)
    out = s.line("f = (x + y) * z")
    check("\nf = -12\n" in out, "f = (x + y) * z showed %r" % out)
    out = s.line("g = f * 2;")
    check("= -24" not in out, "g = f * 2; showed %r" % out)
    out = s.line("h = w + 1")
    check("h =" not in out.split("\n", 1)[1] and "error" not in out,
          "h = w + 1 (w unbound) showed %r" % out)
    check("\n-24\n" in s.line("g"), "g is not -24")


@case("a graph's DOT into a file: :graph NAME > FILE")
def graph_to_file(s):
    s.prompt()
    s.line("x = 2; f = x * x")
    path = os.path.join(TMP, "f.dot")
    out = s.line(":graph f > " + path)
    check("digraph" not in out and os.path.exists(path),
          ":graph f > FILE printed %r" % out)
    with open(path) as f:
        dot = f.read()
    check(dot.startswith("digraph nabla {") and dot.rstrip().endswith("}"),
          "the file holds %r" % dot)


@case("the seeds' circuit: :hessian f and :hvp f, :hes<TAB> completes",
      needs_readline=True)
def seeds_second_order(s):
    s.prompt()
    s.line("x = -2; y = 5; z = -4; f = (x + y) * z")
    s.send(b":hes\t")
    s.expect(rb":hessian")
    out = s.line(" f")
    for want in ("x        -4     0     0     1", "z         3     1     1     0"):
        check(want in out, "missing %r in %r" % (want, out))
    out = s.line(":jvp f x=1 z=2")
    check("grad f . d = 2" in out, ":jvp f is not 2: %r" % out)
    out = s.line(":hvp f x=1,y=2")
    check("z         3  0   3" in out, ":hvp f: %r" % out)


@case("softmax cross-entropy on a terminal: :hessian L is diag(p) - p p.T, "
      ":hvp L with a vector direction gives its column")
def tensor_second_order(s):
    s.prompt()
    s.line("z = [1, 2, 0.5]; L = -log(softmax(z)[1])")
    out = s.line(":hessian L")
    for want in ("z[0]    0.231224    0.177759  -0.145332  -0.0324279",
                 "z[1]   -0.371468   -0.145332    0.23348   -0.088148"):
        check(want in out, "missing %r in %r" % (want, out))
    out = s.line(":hvp L z=[0,1,0]")
    check("H.v for z (3) = [-0.145332,   0.23348, -0.088148]" in out,
          ":hvp L z=[0,1,0]: %r" % out)


@case("a definition is re-evaluated after an input changes")
def reevaluate(s):
    s.prompt()
    s.line("x = 2; y = 3; f = x * y")
    check("\n6\n" in s.line("f"), "f is not 6")
    s.line("x = 10")
    out = s.line("f")
    check("\n30\n" in out, "f is not 30 after x = 10: %r" % out)


@case("completion: sigm<TAB> gives sigmoid(", needs_readline=True)
def complete_function(s):
    s.prompt()
    s.send(b"sigm\t")
    s.expect(rb"sigmoid\(")
    out = s.line("0)")
    check("\n0.5\n" in out, "sigmoid(0) is not 0.5: %r" % out)


@case("completion: sig<TAB><TAB> lists sigmoid( and sign(", needs_readline=True)
def complete_ambiguous(s):
    s.prompt()
    s.send(b"sig\t\t")
    s.expect(rb"sigmoid\(\s+sign\(")
    s.send(b"m\t")
    s.expect(rb"sigmoid\(")
    out = s.line("0)")
    check("\n0.5\n" in out, "sigmoid(0) is not 0.5: %r" % out)


@case("completion: a session name", needs_readline=True)
def complete_name(s):
    s.prompt()
    s.line("alpha_beta = 7")
    s.send(b"alpha_b\t")
    s.expect(rb"alpha_beta")
    out = s.line(" * 2")
    check("\n14\n" in out, "alpha_beta * 2 is not 14: %r" % out)


@case("completion: a command", needs_readline=True)
def complete_command(s):
    s.prompt()
    s.line("w = 5")
    s.send(b":va\t")
    s.expect(rb":vars")
    out = s.line("")
    check("w = 5" in out, ":vars did not list w: %r" % out)


@case("completion: :verify's FILE is a file name", needs_readline=True)
def complete_verify_file(s):
    seeds = os.path.join(os.environ.get("abs_top_srcdir", "."), "tests",
                         "verify")
    s.prompt()
    s.send((":verify " + os.path.join(seeds, "cs231n.p") + "\t").encode())
    s.expect(rb"cs231n\.py")
    out = s.line("")
    check("12 of 12 gradient lines correct" in out, ":verify: %r" % out)


@case("history: written (mode 0600) and read back by the next session",
      needs_readline=True)
def history(s):
    s.prompt()
    s.line("hist_marker = 42")
    s.line("   ")
    s.send(b"\x04")
    check(s.finish() == 0, "Ctrl-D did not exit 0")
    path = os.path.join(TMP, "state", "nabla", "history")
    check(os.path.exists(path), "no history file at " + path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    check(mode == 0o600, "history file mode is %o" % mode)
    with open(path) as f:
        lines = f.read().splitlines()
    check("hist_marker = 42" in lines, "history holds %r" % lines)
    check(all(l.strip() for l in lines), "a blank line was saved: %r" % lines)
    t = Session(environment())
    try:
        t.prompt()
        t.send(b"\x10")          # Ctrl-P: previous history entry
        t.expect(rb"hist_marker = 42")
        t.send(b"\r")
        t.prompt()
        out = t.line("hist_marker + 1")
        check("\n43\n" in out, "recalled line did not run: %r" % out)
    finally:
        t.kill()


@case("history: empty NABLA_HISTORY saves nothing", needs_readline=True)
def no_history(s):
    s.kill()
    state = os.path.join(TMP, "state2")
    t = Session(environment(NABLA_HISTORY="", XDG_STATE_HOME=state))
    try:
        t.prompt()
        t.line("1 + 1")
        t.send(b"\x04")
        check(t.finish() == 0, "Ctrl-D did not exit 0")
        check(not os.path.exists(os.path.join(state, "nabla", "history")),
              "a history file was written")
    finally:
        t.kill()


def old_history(path):
    """A history file of 1200 entries, more than a session keeps."""
    with open(path, "w") as f:
        f.write("".join("old_%d = %d\n" % (i, i) for i in range(1200)))


@case("history: NABLA_HISTORY, then ~/.local/state; stifled at 1000",
      needs_readline=True)
def history_places(s):
    s.kill()
    named = os.path.join(TMP, "named-history")
    old_history(named)
    env = environment(NABLA_HISTORY=named)
    env.pop("XDG_STATE_HOME")
    t = Session(env)
    try:
        t.prompt()
        t.send(b"\x10")          # the newest entry read from the file
        t.expect(rb"old_1199 = 1199")
        t.send(b"\x03")
        t.prompt()
        t.line("newest = 1")
        t.send(b"\x04")
        check(t.finish() == 0, "Ctrl-D did not exit 0")
    finally:
        t.kill()
    with open(named) as f:
        lines = f.read().splitlines()
    check(len(lines) <= 1000, "%d entries kept" % len(lines))
    check(lines[-1] == "newest = 1", "last entry %r" % lines[-1:])
    home = os.path.join(TMP, "home")
    env = environment(HOME=home)
    env.pop("XDG_STATE_HOME")
    t = Session(env)
    try:
        t.prompt()
        t.line("in_home = 1")
        t.send(b"\x04")
        check(t.finish() == 0, "Ctrl-D did not exit 0")
    finally:
        t.kill()
    path = os.path.join(home, ".local", "state", "nabla", "history")
    check(os.path.exists(path), "no history at " + path)
    check(stat.S_IMODE(os.stat(path).st_mode) == 0o600, "mode of " + path)


def refused_history(name, make, why):
    """A session whose NABLA_HISTORY (made by make) is refused: it starts,
    warns once, runs, and leaves the file alone."""
    path = os.path.join(TMP, name)
    make(path)
    t = Session(environment(NABLA_HISTORY=path))
    try:
        out = t.prompt()
        check("history not saved: %s: %s" % (path, why) in out,
              "no warning: %r" % out)
        out = t.line("1 + 1")
        check("\n2\n" in out, "the session did not run: %r" % out)
        t.send(b"\x04")
        check(t.finish() == 0, "Ctrl-D did not exit 0")
    finally:
        t.kill()


@case("history: a symbolic link is refused, its target left untouched",
      needs_readline=True)
def history_symlink(s):
    s.kill()
    target = os.path.join(TMP, "target")
    old_history(target)
    os.chmod(target, 0o644)
    refused_history("link", lambda p: os.symlink(target, p),
                    "a symbolic link")
    with open(target) as f:
        check(len(f.read().splitlines()) == 1200, "the target was trimmed")
    check(stat.S_IMODE(os.stat(target).st_mode) == 0o644,
          "the target was chmod'ed")


@case("history: a FIFO or a device is refused, not waited on",
      needs_readline=True)
def history_fifo(s):
    s.kill()
    refused_history("fifo", os.mkfifo, "not a regular file")
    refused_history("full", lambda p: os.symlink("/dev/full", p),
                    "a symbolic link")
    t = Session(environment(NABLA_HISTORY="/dev/full"))
    try:
        out = t.prompt()
        check("history not saved: /dev/full: not a regular file" in out,
              "no warning: %r" % out)
    finally:
        t.kill()


@case("history: a failed write is reported once", needs_readline=True)
def history_write_fails(s):
    s.kill()
    path = os.path.join(TMP, "big-history")
    with open(path, "w") as f:
        f.write("x\n" * 4096)
    t = Session(environment(NABLA_HISTORY=path), fsize=4096)
    try:
        t.prompt()
        out = t.line("1 + 1") + t.line("2 + 2") + t.line("3 + 3")
        check(out.count("history not saved") == 1,
              "warnings: %r" % out)
        check("File too large" in out, "the reason: %r" % out)
    finally:
        t.kill()


def screen(raw):
    """The lines a terminal shows for raw output: carriage return, line
    feed, backspace and cursor-right moves applied, other control
    sequences dropped."""
    lines, row, col = [[]], 0, 0
    for m in re.finditer(rb"\x1b\[([0-9;?]*)([A-Za-z])|[\s\S]", raw):
        if m.group(2):
            if m.group(2) == b"C":
                col += int(m.group(1) or b"1")
            continue
        ch = m.group(0)
        if ch == b"\r":
            col = 0
        elif ch == b"\n":
            row += 1
            lines.append([])
        elif ch == b"\x08":
            col = max(col - 1, 0)
        else:
            line = lines[row]
            line.extend(b" " * (col + 1 - len(line)))
            line[col:col + 1] = ch
            col += 1
    return [bytes(l).decode("utf-8", "replace") for l in lines]


@case("Ctrl-C discards the current line and leaves it shown, then ^C, "
      "then a clean prompt")
def ctrl_c_line(s):
    s.prompt()
    start = s.out.rindex(b"nabla> ")
    s.send(b"1 + 2\x1b[D\x1b[D")
    time.sleep(0.2)
    s.send(b"\x03")
    s.prompt()
    shown = screen(s.out[start:])
    check(shown[-2:] == ["nabla> 1 + 2^C", "nabla> "],
          "after Ctrl-C the screen shows %r" % shown)
    out = s.line("5")
    check("\n5\n" in out, "after Ctrl-C, 5 printed %r" % out)


@case("Ctrl-C discards a continued input")
def ctrl_c_continuation(s):
    s.prompt()
    s.send(b"(1 +\r")
    s.expect(rb"\.\.\.> ")
    s.send(b"2")
    time.sleep(0.2)
    s.send(b"\x03")
    s.prompt()
    out = s.line("7")
    check("\n7\n" in out and "error" not in out,
          "after Ctrl-C in a continuation, 7 printed %r" % out)


@case("a continued input is joined and parsed once")
def continuation(s):
    s.prompt()
    s.send(b"g = (2 +\r")
    s.expect(rb"\.\.\.> ")
    s.send(b"3) *\r")
    s.expect(rb"\.\.\.> ")
    s.line("4")
    out = s.line("g")
    check("\n20\n" in out, "g is not 20: %r" % out)


@case("Ctrl-D on an empty line exits 0")
def ctrl_d(s):
    s.prompt()
    s.send(b"\x04")
    status = s.finish()
    check(status == 0, "exit status %r" % status)


@case("Ctrl-D in a continued input reports what it lacks, then exits")
def ctrl_d_continued(s):
    s.prompt()
    s.line("y = 2")
    s.send(b"(y +\r")
    s.expect(rb"\.\.\.> ")
    s.send(b"\x04")
    status = s.finish()
    out = ANSI.sub(b"", s.out).decode("utf-8", "replace")
    check("found end of input" in out, "no error for the unfinished input: %r"
          % out)
    check(status == 0, "exit status %r" % status)


@case("quit, exit and :quit end the session with status 0")
def quit_words(s):
    s.prompt()
    s.send(b"quit\r")
    check(s.finish() == 0, "quit")
    for word in ("exit", ":quit"):
        t = Session(environment())
        try:
            t.prompt()
            t.send(word.encode() + b"\r")
            check(t.finish() == 0, word)
        finally:
            t.kill()


@case("an error, then a good statement: the session goes on")
def error_then_good(s):
    s.prompt()
    s.line("a = 2")
    out = s.line("a = foo(1)")
    check("unknown function 'foo'" in out, "no diagnostic: %r" % out)
    out = s.line("a * 3")
    check("\n6\n" in out, "a changed by a failed statement: %r" % out)


@case(":save then :load (and nabla -f saved) give the same numbers")
def save_load(s):
    saved = os.path.join(TMP, "saved.nb")
    s.prompt()
    s.line("w0 = 2; x0 = -1; w1 = -3; x1 = -2; w2 = -3")
    s.line("L = sigmoid(w0*x0 + w1*x1 + w2)")
    s.line(":format csv")
    grad1 = s.line(":grad L")
    s.line(":save " + saved)
    t = Session(environment())
    try:
        t.prompt()
        t.line(":load " + saved)
        t.line(":format csv")
        grad2 = t.line(":grad L")
    finally:
        t.kill()
    rows1 = [l for l in grad1.splitlines() if l[:1].isdigit()]
    rows2 = [l for l in grad2.splitlines() if l[:1].isdigit()]
    check(rows1 and rows1 == rows2, ":load differs: %r vs %r" % (rows1, rows2))
    one = subprocess.run([NABLA, "-o", "csv", "-f", saved], capture_output=True,
                         text=True, env=environment())
    check(one.returncode == 0, "nabla -f saved failed: %r" % one.stderr)
    check(one.stdout.splitlines()[1:] == rows1,
          "nabla -f differs: %r vs %r" % (one.stdout, rows1))


@case("every command: a missing and an extra argument print the usage")
def usage_lines(s):
    s.prompt()
    s.line("f = x")
    table = [(":grad", None, "usage: :grad NAME [WRT...]"),
             (":graph", ":graph f > a b", "usage: :graph NAME [> FILE]"),
             (":check", None, "usage: :check NAME [WRT...]"),
             (":explain", None, "usage: :explain NAME [WRT...]"),
             (None, ":vars x", "usage: :vars"),
             (None, ":defs x", "usage: :defs"),
             (":del", ":del f f", "usage: :del NAME"),
             (":format", ":format csv tsv", "usage: :format FMT"),
             (":precision", ":precision 3 4", "usage: :precision N"),
             (":load", ":load a b", "usage: :load FILE"),
             (":save", ":save a b", "usage: :save FILE"),
             (":verify", ":verify a b", "usage: :verify FILE"),
             (None, ":help grad x", "usage: :help [COMMAND|FUNCTION]"),
             (None, ":quit now", "usage: :quit")]
    for missing, extra, want in table:
        for line in (missing, extra):
            if line:
                out = s.line(line)
                check(want in out, "%r printed %r" % (line, out))


@case(":check and :explain: the seeds' circuit, a kink, and an "
      "inaccurate difference that is no error")
def check_explain(s):
    s.prompt()
    s.line("x = -2; y = 5; z = -4; q = x + y; f = q * z")
    out = s.line(":check f")
    check("check: 3 ok, 0 at a kink, 0 failed" in out,
          ":check f: %r" % out)
    out = s.line(":explain f")
    for want in ("multiply: swaps its inputs",
                 "downstream to q = upstream 1 * local -4 = -4",
                 "add: distributes the gradient",
                 "downstream to x = upstream -4 * local 1 = -4"):
        check(want in out, "missing %r in %r" % (want, out))
    s.line("g = relu(x + 2) * y")
    out = s.line(":check g x")
    check("kink at #" in out, ":check g x: %r" % out)
    s.line("t = tanh(x + 14)")
    out = s.line(":check t")
    check("1 inaccurate, 0 failed" in out and "error:" not in out,
          ":check t: %r" % out)
    check("-12" in s.line("f"), "the session did not go on")


@case(":verify: the seeds' backward pass passes, the notes' bug is named, "
      "and the session goes on")
def verify(s):
    seeds = os.path.join(os.environ.get("abs_top_srcdir", "."), "tests",
                         "verify")
    notes = os.path.join(TMP, "notes.py")
    with open(os.path.join(seeds, "neuron-notes.py")) as f:
        text = f.read()
    with open(notes, "w") as f:
        f.write("w0 = 2; x0 = -1; w1 = -3; x1 = -2; w2 = -3\n" + text)
    s.prompt()
    out = s.line(":verify " + os.path.join(seeds, "cs231n.py"))
    check("12 of 12 gradient lines correct" in out, ":verify: %r" % out)
    out = s.line(":verify " + notes)
    for want in ("notes.py:18:1: wrong: this line computes -0.393224",
                 "grad_x0 = grad_w0 * w0", "^~~~",
                 "why: grad_w0 is not the upstream gradient here",
                 "9 of 10 gradient lines correct; first error at line 18"):
        check(want in out, "missing %r in %r" % (want, out))
    check("12" in s.line("3 * 4"), "the session did not go on")


@case(":symbolic, :emit python and :emit c on the seeds' layer "
      "s = u @ sigmoid(W @ x + b); a vector output is refused, and the session goes on")
def tensor_codegen(s):
    s.prompt()
    s.line("W = [[1, 2], [3, 4]]; x = [0.5, -1]; b = [0.1, 0.2]; u = [1, -1]")
    s.line("s = u @ sigmoid(W @ x + b)")
    out = s.line(":symbolic s")
    for want in ("t1 = W @ x", "df_dW = outer(grad_t2, x)",
                 "df_dx = W.T @ grad_t2", "df_db = grad_t2", "df_du = t3"):
        check(want in out, "missing %r in %r" % (want, out))
    out = s.line(":emit python s")
    for want in ("import numpy as np", "def s(W, x, b, u):",
                 "t1 = W.dot(x)", "grad_x = W.T.dot(grad_t2)",
                 "return s, {"):
        check(want in out, "missing %r in %r" % (want, out))
    s.line("h = W @ x")
    out = s.line(":symbolic h")
    check("h is 2, not a scalar" in out, ":symbolic h: %r" % out)
    out = s.line(":emit c s")
    for want in ("double s(const double W[4], const double x[2], const double b[2], "
                 "const double u[2], double grad_W[4], double grad_x[2], double grad_b[2], "
                 "double grad_u[2])", "return s[0];"):
        check(want in out, "missing %r in %r" % (want, out))
    check("[-1.5, -2.5]" in s.line("h"), "the session did not go on")


@case("prompts go to stderr when stdout is not a terminal")
def prompts_to_stderr(s):
    s.kill()
    path = os.path.join(TMP, "stdout.txt")
    t = Session(environment(), stdout_file=path)
    try:
        t.prompt()
        t.send(b"6 * 7\r")
        t.prompt()
        t.send(b"\x04")
        check(t.finish() == 0, "Ctrl-D did not exit 0")
    finally:
        t.kill()
    with open(path) as f:
        text = f.read()
    check(text == "42\n", "stdout holds %r" % text)


GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden")
NEURON = ["1/(1+exp(-(w0*x0+w1*x1+w2)))", "w0=2", "x0=-1", "w1=-3", "x1=-2",
          "w2=-3"]
CS231N = ["-f", os.path.join(GOLDEN, "cs231n.nb")]


def shown_lines(raw):
    return ANSI.sub(b"", raw).decode("utf-8", "replace").split("\n")


def oneshot_on_tty(args, **env):
    """A one-shot run on a pty: its lines, as shown."""
    winsize = env.pop("winsize", None)
    t = Session(environment(**env), args=args, winsize=winsize)
    status = t.finish()
    check(status == 0, "nabla %s: exit status %r" % (" ".join(args), status))
    return shown_lines(t.out)


def piped(args):
    return subprocess.run([NABLA] + args, stdout=subprocess.PIPE,
                          env=environment(), check=True).stdout


def fits(lines, width, what):
    wide = [l for l in lines if len(l) > width]
    check(not wide, "%s: %d lines over %d columns, e.g. %r"
          % (what, len(wide), width, wide[:1]))


@case("one-shot tables fit an 80-column terminal (COLUMNS), every row kept")
def oneshot_fits(s):
    for args in (NEURON, CS231N):
        lines = oneshot_on_tty(args, COLUMNS="80")
        fits(lines, 80, " ".join(args))
        full = piped(args).decode().split("\n")
        rows = lambda ls: [l.split()[0] for l in ls if l.lstrip().startswith("#")]
        check(rows(lines) == rows(full), "rows differ from the piped table")
        summary = full[full.index("") + 1:]
        check(lines[-len(summary):] == summary,
              "summary %r, piped %r" % (lines[-len(summary):], summary))


@case("the terminal's own width (TIOCGWINSZ) without COLUMNS; room to spare "
      "changes nothing")
def oneshot_winsize(s):
    env = environment()
    env.pop("COLUMNS", None)
    t = Session(env, args=NEURON, winsize=(24, 72))
    check(t.finish() == 0, "nabla failed")
    fits(shown_lines(t.out), 72, "a 72-column terminal")
    wide = oneshot_on_tty(CS231N, COLUMNS="200")
    check("\n".join(wide).encode() == piped(CS231N),
          "a 200-column terminal's table is not the piped one")


@case("the REPL's :grad table fits the terminal")
def repl_grad_fits(s):
    t = Session(environment(COLUMNS="80"))
    try:
        t.prompt()
        t.line("w0 = 2; x0 = -1; w1 = -3; x1 = -2; w2 = -3")
        t.line("f = 1/(1+exp(-(w0*x0+w1*x1+w2)))")
        out = t.line(":grad f")
        check("df/dw0 = -0.196612" in out, "no summary in %r" % out)
        fits(out.split("\n"), 80, ":grad f")
    finally:
        t.kill()


def main():
    print("1..%d" % len(CASES))
    failed = 0
    for n, (name, needs_readline, fn) in enumerate(CASES, 1):
        if needs_readline and not READLINE:
            print("ok %d - %s # SKIP built without readline" % (n, name))
            continue
        s = Session(environment())
        try:
            fn(s)
            print("ok %d - %s" % (n, name))
        except (AssertionError, TimeoutError) as e:
            failed += 1
            print("not ok %d - %s" % (n, name))
            for l in str(e).splitlines():
                print("# " + l)
        finally:
            s.kill()
            shutil.rmtree(os.path.join(TMP, "state"), ignore_errors=True)
        sys.stdout.flush()
    shutil.rmtree(TMP, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
