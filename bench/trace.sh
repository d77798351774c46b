#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/trace.sh - netkit trace against tracepath, traceroute -T and mtr on the same paths.
# Needs root (network namespaces) and, for the peers, bench/packages.txt (traceroute, mtr-tiny,
# hyperfine; tracepath is in packages.txt). A peer that is not installed is reported and skipped.
#
# The topology of tests/e2e/test_trace.py: client -- r1 -- r2 -- server, veth pairs, IPv4,
# a TCP listener on the server. The routers' and server's ICMP rate limits are off, so one
# tool's run does not starve the next of answers. The listener runs on CPU 1 and every tool on
# CPU 0 (taskset): on one CPU, each connection a TCP tool opens wakes the listener, which then
# preempts the tool, and the tool is charged for the listener's accept.
#   clean    3 hops, the port open: hyperfine in the client's namespace, ROUNDS rounds of 100
#            runs with the commands interleaved (a busy moment hits them all); per command the
#            median of the round medians and the spread (lowest - highest round median). mtr
#            (6 s a run) is timed RUNS times instead.
#   silent   r1 sends no "time exceeded" (a silent hop in the middle)
#   dropped  r2 drops the port (nftables): how long until each tool ends, and what it says
#   wan      the clean path again, every link a delay line of WAN_MS (default 2) ms each way
#            (bench/delayline.py: this kernel has no netem); hyperfine, ROUNDS rounds of 20 runs
# silent and dropped are timed RUNS times each through `ip netns exec` (median, ms).
#
# usage: bench/trace.sh [RUNS [ROUNDS]]  (defaults 5 and 7; NETKIT=path/to/netkit skips the build)
#        BENCH_SMOKE=1 bench/trace.sh 1 1   only the clean case, netkit and tracepath (a check)
set -eu
RUNS=${1:-5}
ROUNDS=${2:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
. "$HERE/lib.sh"
nk_netkit
[ "$(id -u)" = 0 ] || { echo "bench/trace.sh: needs root for network namespaces" >&2; exit 2; }

PORT=8080
WAN_MS=${WAN_MS:-2}
PIDS=
NSS=
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null || true; done
    for n in $NSS; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# The listener and the delay lines on one CPU, the tools on another (when there are two).
if [ "$(nproc)" -ge 2 ]; then
    SRVCPU="taskset -c 1"
    TOOLCPU="taskset -c 0"
else
    SRVCPU=
    TOOLCPU=
fi

# wait_ready FILE WHAT: until FILE says "ready" (100 looks, 0.1 s apart).
wait_ready() {
    i=0
    while ! grep -q ready "$1"; do
        i=$((i + 1))
        [ $i -le 100 ] || { echo "bench/trace.sh: $2 did not start" >&2; exit 1; }
        sleep 0.1
    done
}

veth() { # veth NS_A ADDR_A NS_B ADDR_B INDEX: a veth pair
    ip link add "tb$5a$$" netns "$1" type veth peer name "tb$5b$$" netns "$3"
    ip -n "$1" addr add "$2/24" dev "tb$5a$$"
    ip -n "$3" addr add "$4/24" dev "tb$5b$$"
    ip -n "$1" link set "tb$5a$$" up
    ip -n "$3" link set "tb$5b$$" up
}

wire() { # wire NS_A ADDR_A NS_B ADDR_B INDEX: two taps joined by a delay line of WAN_MS each way
    w=$(mktemp)
    $SRVCPU python3 "$HERE/delayline.py" "tw$5a$$" "tw$5b$$" "$WAN_MS" >"$w" &
    PIDS="$PIDS $!"
    wait_ready "$w" "the delay line"
    ip link set "tw$5a$$" netns "$1"
    ip link set "tw$5b$$" netns "$3"
    ip -n "$1" addr add "$2/24" dev "tw$5a$$"
    ip -n "$3" addr add "$4/24" dev "tw$5b$$"
    ip -n "$1" link set "tw$5a$$" up
    ip -n "$3" link set "tw$5b$$" up
}

# topology PREFIX LINK: client -- r1 -- r2 -- server joined by LINK (veth or wire), routed, with
# the listener on the server; C, R1, R2 and S name its namespaces.
topology() {
    C=$1c R1=$1r1 R2=$1r2 S=$1s
    for n in $C $R1 $R2 $S; do
        ip netns add "$n"
        NSS="$NSS $n"
        ip -n "$n" link set lo up
        ip netns exec "$n" sysctl -qw net.ipv4.icmp_ratelimit=0
    done
    $2 "$C" 10.1.0.2 "$R1" 10.1.0.1 0
    $2 "$R1" 10.2.0.1 "$R2" 10.2.0.2 1
    $2 "$R2" 10.3.0.1 "$S" 10.3.0.2 2
    ip netns exec "$R1" sysctl -qw net.ipv4.ip_forward=1
    ip netns exec "$R2" sysctl -qw net.ipv4.ip_forward=1
    ip -n "$C" route add default via 10.1.0.1
    ip -n "$R1" route add 10.3.0.0/24 via 10.2.0.2
    ip -n "$R2" route add 10.1.0.0/24 via 10.2.0.1
    ip -n "$S" route add default via 10.3.0.1
    ready=$(mktemp)
    ip netns exec "$S" $SRVCPU python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.3.0.2", int(sys.argv[1])))
s.listen(128)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.close()
' "$PORT" >"$ready" &
    PIDS="$PIDS $!"
    wait_ready "$ready" "the listener"
}

topology "nktb$$" veth

now_ns() { date +%s%N; }
# time_ms CMD...: the median wall time of RUNS runs, in ms; the last run's output in $LAST.
LAST=$(mktemp)
time_ms() {
    t=""
    r=0
    while [ $r -lt "$RUNS" ]; do
        a=$(now_ns)
        ip netns exec "$C" $TOOLCPU "$@" >"$LAST" 2>&1 || true
        b=$(now_ns)
        t="$t $(((b - a) / 1000000))"
        r=$((r + 1))
    done
    echo $t | tr ' ' '\n' | sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'
}
have() { command -v "$1" >/dev/null 2>&1; }

run_case() {
    echo "== $1 =="
    printf '%-34s %8s ms   %s\n' "netkit trace 10.3.0.2 $PORT" "$(time_ms "$NETKIT" trace 10.3.0.2 $PORT)" \
        "$(grep '^verdict' "$LAST")"
    printf '%-34s %8s ms\n' "tracepath -n" "$(time_ms tracepath -n 10.3.0.2)"
    if have traceroute; then
        printf '%-34s %8s ms\n' "traceroute -n -T -p $PORT" "$(time_ms traceroute -n -T -p $PORT 10.3.0.2)"
    else
        echo "traceroute: not installed (bench/packages.txt)"
    fi
    mtr_row
}

mtr_row() {
    if have mtr; then
        printf '%-34s %8s ms\n' "mtr -n -r -c 1 -T -P $PORT" "$(time_ms mtr -n -r -c 1 -T -P $PORT 10.3.0.2)"
    else
        echo "mtr: not installed (bench/packages.txt)"
    fi
}

# The clean path under hyperfine: ROUNDS rounds, the commands interleaved (every other round in
# reverse order); each command's median of round medians, its spread, and its ratio to tracepath.
clean_case() { # clean_case TITLE RUNS-PER-ROUND
    echo "== $1 (hyperfine: $ROUNDS rounds x $2 runs; tools on CPU 0, listener on CPU 1) =="
    runs=$2
    ip netns exec "$C" "$NETKIT" trace 10.3.0.2 $PORT | grep '^verdict'
    set -- "$NETKIT trace 10.3.0.2 $PORT" "$NETKIT trace 10.3.0.2" "tracepath -n 10.3.0.2"
    [ -n "${BENCH_SMOKE:-}" ] || ! have traceroute || set -- "$@" "traceroute -n -T -p $PORT 10.3.0.2"
    python3 - "$ROUNDS" "$runs" "$NETKIT" "ip netns exec $C $TOOLCPU" "$@" <<'PY'
import json, os, statistics, subprocess, sys, tempfile
rounds, runs, netkit = int(sys.argv[1]), sys.argv[2], sys.argv[3]
prefix, cmds = sys.argv[4].split(), sys.argv[5:]
times = {c: [] for c in cmds}
with tempfile.TemporaryDirectory() as d:
    out = os.path.join(d, "round.json")
    for r in range(rounds):
        order = cmds if r % 2 == 0 else cmds[::-1]
        subprocess.run(prefix + ["hyperfine", "-N", "-w", "3", "-r", runs, "--export-json", out]
                       + order, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for res in json.load(open(out))["results"]:
            times[res["command"]].append(statistics.median(res["times"]) * 1e3)
base = statistics.median(times[cmds[2]])
for c in cmds:
    m = statistics.median(times[c])
    print("%-40s %6.2f ms  (rounds %.2f - %.2f)  %.2fx tracepath"
          % (c.replace(netkit, "netkit"), m, min(times[c]), max(times[c]), m / base))
PY
    [ -n "${BENCH_SMOKE:-}" ] || mtr_row
}

if have hyperfine; then
    clean_case "clean: 3 hops, port open" 100
else
    echo "hyperfine: not installed (bench/packages.txt); the clean path through ip netns exec:"
    run_case "clean: 3 hops, port open"
fi
[ -n "${BENCH_SMOKE:-}" ] && exit 0
printf 'table inet nkb {\nchain out { type filter hook output priority 0;\nicmp type time-exceeded drop; }\n}\n' |
    ip netns exec "$R1" nft -f -
run_case "silent: r1 sends no time-exceeded"
ip netns exec "$R1" nft delete table inet nkb
printf 'table inet nkb {\nchain fw { type filter hook forward priority 0;\ntcp dport %s drop; }\n}\n' "$PORT" |
    ip netns exec "$R2" nft -f -
run_case "dropped: r2 drops the port"

# The same path with every link a delay line of WAN_MS ms each way (bench/delayline.py; this
# kernel has no netem): a round trip to hop k takes 2 * k * WAN_MS ms, plus the lines' own tenths
# of a millisecond. Here a tool pays for how it waits for answers, not for its start-up.
topology "nktw$$" wire
if have hyperfine; then
    clean_case "wan: 3 hops over delay lines of $WAN_MS ms each way, port open" 20
else
    run_case "wan: 3 hops over delay lines of $WAN_MS ms each way, port open"
fi
