#!/bin/sh
# tests/scaleout.sh -- batch mode across machines with GNU parallel, as TAP.
#
# The README and the man page (PIPELINES) shard a stream across machines
# with `parallel --pipe --header : --keep-order --sshlogin ...`.  This
# test starts an OpenSSH server of its own on a free loopback port (a
# throwaway host key, key authentication for the current user, all in a
# temporary directory), names it twice in an ssh configuration file, and
# runs parallel with the two --sshlogin entries:
#  1  CSV: the same rows in the same order as one process (the repeated
#     headers dropped, as the man page does), jobs on both logins
#  2  JSON Lines: byte for byte those of one process
# It skips when parallel, sshd, ssh or ssh-keygen is missing, or when the
# server does not come up; the server is stopped however the test ends.
#
# Environment: NABLA (an absolute path: the remote shell runs it).

LC_ALL=C
export LC_ALL
: "${NABLA:=$(pwd)/src/nabla}"

skip_all() {
    echo "1..0 # SKIP $1"
    exit 0
}

sshd=$(command -v sshd || echo /usr/sbin/sshd)
for tool in parallel ssh ssh-keygen "$sshd"; do
    command -v "$tool" >/dev/null 2>&1 || skip_all "no $tool"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nabla-scaleout.XXXXXX") || exit 99
pid=
cleanup() {
    test -n "$pid" && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# A free port on loopback (the kernel picks it), else a random one.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
       awk 'BEGIN { srand(); print 20000 + int(rand() * 40000) }')
user=$(id -un)

ssh-keygen -q -t ed25519 -N '' -f "$tmp/host_key" || exit 99
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id" || exit 99
cp "$tmp/id.pub" "$tmp/authorized_keys"
cat >"$tmp/sshd_config" <<EOC
ListenAddress 127.0.0.1
Port $port
HostKey $tmp/host_key
PidFile $tmp/sshd.pid
AuthorizedKeysFile $tmp/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $user
StrictModes no
UsePAM no
EOC
echo "[127.0.0.1]:$port $(cat "$tmp/host_key.pub")" >"$tmp/known_hosts"
cat >"$tmp/ssh_config" <<EOC
Host nabla-a nabla-b
    HostName 127.0.0.1
    Port $port
    User $user
    IdentityFile $tmp/id
    IdentitiesOnly yes
    UserKnownHostsFile $tmp/known_hosts
    StrictHostKeyChecking yes
    BatchMode yes
    LogLevel ERROR
EOC

# sshd as root wants its privilege separation directory, which only the
# service's start-up makes.
if test "$(id -u)" -eq 0 && test ! -d /run/sshd; then
    mkdir -p /run/sshd && chmod 755 /run/sshd
fi
"$sshd" -D -e -f "$tmp/sshd_config" 2>"$tmp/sshd.log" &
pid=$!
ssh="ssh -F $tmp/ssh_config"
up=0
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    if $ssh nabla-a true 2>"$tmp/ssh.err"; then up=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
done
if test "$up" -ne 1; then
    echo "# sshd: $(tail -3 "$tmp/sshd.log" | tr '\n' ' ')"
    echo "# ssh: $(tail -3 "$tmp/ssh.err" | tr '\n' ' ')"
    skip_all "no OpenSSH server on loopback"
fi

echo "1..2"
n=0
ok() {
    n=$((n + 1))
    if test "$1" -eq 0; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

awk 'BEGIN { print "id,w0,x0,w1,x1,w2"
             for (i = 1; i <= 3000; i++)
                 printf "%d,%.3f,%.3f,%.3f,%.3f,%.3f\n", i, i / 997,
                        -i / 1499, 1 - i / 1009, i % 7 - 3, i % 11 / 4 }' \
    >"$tmp/in.csv"
neuron='1/(1 + exp(-(w0*x0 + w1*x1 + w2)))'

# shard ARGS...: nabla --batch ARGS on the stream in.csv, in blocks of
# 16 KiB, over both logins.
shard() {
    parallel --will-cite --pipe --header : --keep-order --block 16k \
        --ssh "$ssh" --sshlogin nabla-a,nabla-b --joblog "$tmp/joblog" \
        "$NABLA" --batch "$@" <"$tmp/in.csv"
}

# Both logins ran jobs: the job log's Host column names each.
both_logins() {
    awk -F'\t' 'NR > 1 { host[$2] = 1 } END { exit !(host["nabla-a"] && host["nabla-b"]) }' \
        "$tmp/joblog"
}

"$NABLA" --batch "$neuron" <"$tmp/in.csv" >"$tmp/one.csv" 2>&1
# parallel hands the command to a remote shell: quote the program once.
shard "'$neuron'" 2>"$tmp/err" |
    awk 'NR == 1 { h = $0; print; next } $0 != h' >"$tmp/many.csv"
cmp "$tmp/one.csv" "$tmp/many.csv" && test "$(wc -l <"$tmp/many.csv")" -eq 3001 &&
    both_logins
st=$?
test $st -eq 0 || echo "# $(head -3 "$tmp/err" | tr '\n' ' ') $(wc -l <"$tmp/many.csv") lines"
ok $st "CSV over two ssh logins: the rows of one process, in order"

"$NABLA" --batch -o jsonl "$neuron" <"$tmp/in.csv" >"$tmp/one.jsonl" 2>&1
shard -o jsonl "'$neuron'" >"$tmp/many.jsonl" 2>"$tmp/err" &&
    cmp "$tmp/one.jsonl" "$tmp/many.jsonl" && both_logins
ok $? "JSON Lines over two ssh logins: byte for byte one process's"
