# tests/golden-case.awk -- reads one golden case file (the format is
# described in tests/golden.sh) and decodes its sections.
#
#   awk -v dir=DIR -f golden-case.awk CASE    writes each section present
#       to DIR/command, DIR/stdin, DIR/stdout, DIR/stderr, DIR/status,
#       DIR/requires (one word a line), and DIR/kept: the case file as
#       written minus its stdout, stderr and status, which is what
#       UPDATE_GOLDEN keeps before appending the new results
#   awk -v only=SECTION -f golden-case.awk CASE...    prints that section
#       of each case, decoded, to standard output
#
# Run it with LC_ALL=C, so that bytes are bytes.  A malformed file is an
# error (FILE:LINE: message on stderr, exit status 2), never a guess.

BEGIN {
    hex = "0123456789abcdef"
    content["command"] = content["stdin"] = 1
    content["stdout"] = content["stderr"] = 1
}

FNR == 1 { finish(); delete seen; sec = "" }

/^%%/ { header(); next }

{
    line = $0
    # A content line that starts with %% was written with one more
    # backslash in front, so that it cannot pass for a header.
    if (line ~ /^\\+%%/)
        line = substr(line, 2)
    if (sec == "") {
        keep($0)
        next
    }
    if (!(sec in content))
        fail("text after the one-line header '%% " sec "'")
    if (sec != "stdout" && sec != "stderr")
        keep($0)
    if (held)
        emit(pending "\n")
    pending = line
    held = 1
}

END {
    if (!failed)
        finish()
    exit failed
}

function header(   i, flag) {
    finish()
    sec = $2
    if ($1 != "%%" || !(sec in content || sec == "status" || sec == "requires"))
        fail("unknown section header '" $0 "' (a content line starting with %% needs a \\ in front)")
    if (sec in seen)
        fail("a second '%% " sec "' section")
    seen[sec] = 1
    escaped = noeol = held = 0
    if (sec in content) {
        for (i = 3; i <= NF; i++) {
            flag = $i
            if (flag == "escaped") escaped = 1
            else if (flag == "noeol") noeol = 1
            else fail("unknown flag '" flag "' (known: escaped, noeol)")
        }
    } else if (sec == "status") {
        if (NF != 3 || $3 !~ /^[0-9]+$/ || $3 + 0 > 255)
            fail("'%% status' wants one exit status, 0 to 255")
    } else if (NF < 3) {
        fail("'%% requires' wants at least one prerequisite")
    }
    if (sec != "stdout" && sec != "stderr" && sec != "status")
        keep($0)
    if (dir != "" && sec != "") {
        out = dir "/" sec
        printf "" > out
        if (sec == "status")
            print $3 > out
        for (i = 3; sec == "requires" && i <= NF; i++)
            print $i > out
    }
}

# Ends the current section: its last line gets its newline back unless
# the header said noeol.
function finish() {
    if (held)
        emit(noeol ? pending : pending "\n")
    else if (noeol)
        fail("'noeol' on an empty section")
    held = noeol = 0
    if (out != "")
        close(out)
    out = ""
}

function emit(text) {
    if (escaped)
        text = unescape(text)
    if (dir != "")
        printf "%s", text > out
    else if (sec == only)
        printf "%s", text
}

# \\ is a backslash, \xHH the byte HH; nothing else follows a backslash.
function unescape(s,   r, i, c) {
    r = ""
    while ((i = index(s, "\\")) > 0) {
        r = r substr(s, 1, i - 1)
        c = substr(s, i + 1, 1)
        if (c == "\\") {
            r = r "\\"
            s = substr(s, i + 2)
        } else if (c == "x" && tolower(substr(s, i + 2, 2)) ~ /^[0-9a-f][0-9a-f]$/) {
            r = r sprintf("%c", hexbyte(tolower(substr(s, i + 2, 2))))
            s = substr(s, i + 4)
        } else {
            fail("bad escape '\\" c "' in an escaped section (use \\\\ or \\xHH)")
            return r
        }
    }
    return r s
}

function hexbyte(h) {
    return (index(hex, substr(h, 1, 1)) - 1) * 16 + index(hex, substr(h, 2, 1)) - 1
}

function keep(text) {
    if (dir != "")
        print text > (dir "/kept")
}

function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    failed = 2
    exit 2
}
