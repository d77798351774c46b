#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/ports.sh - netkit ports against its peers. Needs root (network namespaces).
#
#  1. A full 65,535-port TCP scan of 127.0.0.1 with ten listeners, inside a namespace of the
#     script's own (so nothing else listens): netkit --scan, nmap -sT -T5, nmap -sS -T5, nc -z;
#     wall time, and whether each found exactly the ten listeners (every run).
#  2. Listing 10,000 established loopback connections (20,000 sockets) with processes:
#     netkit ports -a -p -t against ss -tanp (hyperfine when installed).
#  3. A /28 of namespace hosts (16 hosts, each a veth into a bridge), 1,000 ports each:
#     netkit --scan 10.72.1.0/28 against nmap -sT -T5 and nmap -sS -T5; findings per host.
#  4. UDP, 100 ports of one of those hosts (echo on 7, DNS on 53, the rest closed): netkit -u
#     --scan against nmap -sU -T5, findings (open ports and the count of closed ones), first
#     with the host's per-peer ICMP rate limit off, then with Linux's default (UDP_RUNS runs,
#     default 1: about 100 s for a scanner that waits for the limit).
#
# usage: bench/ports.sh [RUNS [SECTIONS]]   (NETKIT=path/to/netkit to skip the release build)
#        SECTIONS: which to run, e.g. "34"; default "1234". TCP_PORTS (1-1000) and UDP_PORTS
#        (1-100) change the port sets of 3 and 4 (small ones for a smoke test).
# Bounded: a few minutes on a quiet two-core machine (section 4's second half waits for the ICMP
# rate limit: about 100 s per run).
set -eu
RUNS=${1:-5}
SECTIONS=${2:-1234}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
. "$HERE/lib.sh"
nk_netkit
[ "$(id -u)" = 0 ] || { echo "bench/ports.sh: needs root for network namespaces" >&2; exit 2; }

NS1=nkbench$$a
NS2=nkbench$$b
HUB=nkbench$$h
PIDS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    ip netns del "$NS1" 2>/dev/null || true
    ip netns del "$NS2" 2>/dev/null || true
    ip netns del "$HUB" 2>/dev/null || true
    for h in $(seq 0 15); do ip netns del "$HUB$h" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# Wait (at most 60 s) for a line matching $2 in file $1. (Uses $i: loop with another name.)
wait_line() {
    i=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le 600 ] || { echo "bench/ports.sh: timed out waiting for '$2'" >&2; exit 1; }
        sleep 0.1
    done
}

case $SECTIONS in *1*) ;; *) SKIP1=1 ;; esac
case $SECTIONS in *2*) ;; *) SKIP2=1 ;; esac
if [ -z "${SKIP1:-}" ]; then
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
fi

if [ -z "${SKIP2:-}" ]; then
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
fi

case $SECTIONS in *3* | *4*) ;; *) exit 0 ;; esac
echo
echo "== 3./4. a /28 of namespace hosts =="
# The hub holds the bridge (10.72.0.1/16); hosts 10.72.1.0-15 (/16: all ordinary unicast).
ip netns add "$HUB"
ip -n "$HUB" link set lo up
ip -n "$HUB" link add nkbr type bridge
ip -n "$HUB" addr add 10.72.0.1/16 dev nkbr
ip -n "$HUB" link set nkbr up
EXPECT="{"
for h in $(seq 0 15); do
    ns=$HUB$h
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "nkbh$$x$h" type veth peer name "nkbp$$x$h"
    ip link set "nkbh$$x$h" netns "$HUB"
    ip link set "nkbp$$x$h" netns "$ns"
    ip -n "$HUB" link set "nkbh$$x$h" master nkbr up
    ip -n "$ns" addr add "10.72.1.$h/16" dev "nkbp$$x$h"
    ip -n "$ns" link set "nkbp$$x$h" up
    ports="22,80,443,$((100 + h))"
    out=$(mktemp)
    ip netns exec "$ns" python3 -c '
import select, socket, sys, time
socks = []
for p in sys.argv[1].split(","):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(p)))
    s.listen(64)
    socks.append(s)
u = {}
for p in (7, 53):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", p))
    u[s.fileno()] = s
print("ready", flush=True)
end = time.monotonic() + 3600
while time.monotonic() < end:
    for fd in select.select(list(u), [], [], 10)[0]:
        d, a = u[fd].recvfrom(2048)
        u[fd].sendto(d, a)
' "$ports" >"$out" &
    PIDS="$PIDS $!"
    wait_line "$out" ready
    rm -f "$out"
    EXPECT="$EXPECT${SEP:-}\"10.72.1.$h\": [$ports]"
    SEP=,
done
EXPECT="$EXPECT}"
case $SECTIONS in *3*)
    python3 "$HERE/subnet_compare.py" tcp "$HUB" "$RUNS" "$NETKIT" 10.72.1.0/28 "${TCP_PORTS:-1-1000}" "$EXPECT"
    ;;
esac
case $SECTIONS in *4*)
    echo
    # Twice: with the host's ICMP rate limit off (how fast the scanners are, same findings
    # expected of both), then with Linux's default (one ICMP error a second after a burst of
    # six: which scanner still finds every closed port; about 100 s for the one that does).
    echo "-- the host's net.ipv4.icmp_ratelimit=0 (no per-peer limit)"
    ip netns exec "${HUB}1" sysctl -qw net.ipv4.icmp_ratelimit=0
    python3 "$HERE/subnet_compare.py" udp "$HUB" "$RUNS" "$NETKIT" 10.72.1.1 "${UDP_PORTS:-1-100}" \
        '{"10.72.1.1": [7, 53]}'
    echo "-- the host's net.ipv4.icmp_ratelimit=1000 (Linux's default)"
    ip netns exec "${HUB}1" sysctl -qw net.ipv4.icmp_ratelimit=1000
    python3 "$HERE/subnet_compare.py" udp "$HUB" "${UDP_RUNS:-1}" "$NETKIT" 10.72.1.1 "${UDP_PORTS:-1-100}" \
        '{"10.72.1.1": [7, 53]}'
    ;;
esac
rm -f "${OUT1:-}" "${OUT2:-}"
