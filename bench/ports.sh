#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/ports.sh - netkit ports against its peers. Needs root (network namespaces).
#
#  1. A full 65,535-port TCP scan of 127.0.0.1 with ten listeners, inside a namespace of the
#     script's own (so nothing else listens): netkit --scan, nmap -sT -T5, nmap -sS -T5, nc -z;
#     wall time, and whether each found exactly the ten listeners (every run).
#  2. Listing 10,000 established loopback connections (20,000 sockets) with processes:
#     netkit ports -a -p -t against ss -tanp (hyperfine when installed).
#
# usage: bench/ports.sh [RUNS]      (NETKIT=path/to/netkit to skip the release build)
# Bounded: about a minute on a quiet two-core machine.
set -eu
RUNS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
if [ -z "${NETKIT:-}" ]; then
    cmake -S "$SRC" -B "$SRC/build-bench" -DCMAKE_BUILD_TYPE=Release -DNETKIT_TESTS=OFF >/dev/null
    cmake --build "$SRC/build-bench" -j2 --target netkit >/dev/null
    NETKIT=$SRC/build-bench/netkit
fi
[ "$(id -u)" = 0 ] || { echo "bench/ports.sh: needs root for network namespaces" >&2; exit 2; }

NS1=nkbench$$a
NS2=nkbench$$b
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    ip netns del "$NS1" 2>/dev/null || true
    ip netns del "$NS2" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# Wait (at most 60 s) for a line matching $2 in file $1.
wait_line() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le 600 ] || { echo "bench/ports.sh: timed out waiting for '$2'" >&2; exit 1; }
        sleep 0.1
    done
}

echo "== 1. full TCP scan of 127.0.0.1 =="
ip netns add "$NS1"
ip -n "$NS1" link set lo up
# Ten listeners: low ports, registered ones, and four inside the ephemeral range
# (32768-60999), where a scanner that ignores self-connections reports extra open ports.
LISTEN=22,80,443,3306,5432,8080,33000,40000,50000,60999
OUT1=$(mktemp)
ip netns exec "$NS1" python3 -c '
import socket, sys, time
socks = []
for p in sys.argv[1].split(","):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(p)))
    s.listen(64)
    socks.append(s)
print("ready", flush=True)
time.sleep(600)
' "$LISTEN" >"$OUT1" &
PIDS="$PIDS $!"
wait_line "$OUT1" ready
python3 "$HERE/scan_compare.py" "$NS1" "$RUNS" "$NETKIT" "$LISTEN"

echo
echo "== 2. 10,000 established loopback connections: netkit ports -a -p -t vs ss -tanp =="
ip netns add "$NS2"
ip -n "$NS2" link set lo up
OUT2=$(mktemp)
ip netns exec "$NS2" python3 "$HERE/conns.py" 10000 >"$OUT2" &
PIDS="$PIDS $!"
wait_line "$OUT2" ready
n=$(ip netns exec "$NS2" "$NETKIT" ports -a -t | grep -c ESTAB)
m=$(ip netns exec "$NS2" ss -tan | grep -c ESTAB)
echo "established sockets seen: netkit $n, ss $m"
if command -v hyperfine >/dev/null; then
    for pair in "ports -a -p -t|ss -tanp" "ports -a -t|ss -tan"; do
        ip netns exec "$NS2" hyperfine -N -w 2 -r 10 "$NETKIT ${pair%%|*}" "${pair#*|}" 2>&1 |
            grep -E "Benchmark|Time|faster|±"
    done
else
    for c in "$NETKIT ports -a -p -t" "ss -tanp"; do
        t0=$(date +%s.%N)
        for _ in 1 2 3 4 5; do ip netns exec "$NS2" $c >/dev/null; done
        t1=$(date +%s.%N)
        echo "$c: $(echo "($t1 - $t0) / 5" | bc -l | cut -c1-6) s per run"
    done
fi
rm -f "$OUT1" "$OUT2"
