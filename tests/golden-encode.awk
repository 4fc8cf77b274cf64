# tests/golden-encode.awk -- writes bytes as one section of a golden case
# file (the format is described in tests/golden.sh).
#
#   od -An -v -tu1 FILE | awk -v name=stdout -f golden-encode.awk
#
# od gives the bytes as decimal numbers.  The section is plain text when
# the bytes are printable UTF-8 (tabs and newlines allowed), else it is
# 'escaped': \\ for a backslash, \xHH for any byte other than a tab, a
# newline or printable ASCII.  A last line without a newline gets one,
# and the flag 'noeol' says it is not part of the content.  Run it with
# LC_ALL=C, so that bytes are bytes.

BEGIN {
    for (i = 0; i < 256; i++)
        chr[i] = sprintf("%c", i)
}

{
    for (i = 1; i <= NF; i++)
        b[++n] = $i + 0
}

END {
    escaped = !printable()
    flags = (escaped ? " escaped" : "") (n > 0 && b[n] != 10 ? " noeol" : "")
    print "%% " name flags
    line = ""
    for (i = 1; i <= n; i++) {
        c = b[i]
        if (c == 10) {
            put(line)
            line = ""
        } else if (!escaped || c == 9 || (c >= 32 && c < 127 && c != 92)) {
            line = line chr[c]
        } else if (c == 92) {
            line = line "\\\\"
        } else {
            line = line sprintf("\\x%02x", c)
        }
    }
    if (n > 0 && b[n] != 10)
        put(line)
}

# A line that could pass for a header gets one more backslash in front.
function put(text) {
    if (text ~ /^\\*%%/)
        text = "\\" text
    print text
}

# Valid UTF-8 with no control characters (C0 but tab and newline, DEL,
# C1) and no byte order mark: text that survives an editor unchanged.
function printable(   i, j, c, lo, hi, k) {
    for (i = 1; i <= n; i++) {
        c = b[i]
        if (c < 128) {
            if ((c < 32 && c != 9 && c != 10) || c == 127)
                return 0
            continue
        }
        lo = 128; hi = 191
        if (c >= 194 && c <= 223) k = 1
        else if (c >= 224 && c <= 239) k = 2
        else if (c >= 240 && c <= 244) k = 3
        else return 0
        if (c == 194) lo = 160                  # C1 controls
        else if (c == 224) lo = 160             # overlong
        else if (c == 237) hi = 159             # surrogates
        else if (c == 240) lo = 144             # overlong
        else if (c == 244) hi = 143             # beyond U+10FFFF
        if (c == 239 && b[i + 1] == 187 && b[i + 2] == 191)
            return 0                            # U+FEFF
        if (i + k > n || b[i + 1] < lo || b[i + 1] > hi)
            return 0
        for (j = 2; j <= k; j++)
            if (b[i + j] < 128 || b[i + j] > 191)
                return 0
        i += k
    }
    return 1
}
