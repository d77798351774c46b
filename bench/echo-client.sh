#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/echo-client.sh - `netkit echo-connect --bench` against an independent epoll load generator
# (bench/echo-loadgen.c), both loading the same tight epoll echo server (bench/epoll_echo.c, also
# the yardstick server of bench/echo.sh), at 10, 100 and 1000 connections with 64-byte messages.
# Server and client are pinned to different CPUs with taskset; both clients run one thread.
# Goal: netkit's msgs/s within 10% of the yardstick's or better, and latency percentiles that
# agree.
#
#   bench/echo-client.sh                 (builds a Release netkit in build-bench/ if NETKIT is unset)
#   NETKIT=path/to/netkit DURATION=5 ROUNDS=2 SERVER_CPU=0 CLIENT_CPU=1 CONNS="10 100 1000" \
#       SIZE=64 PIPELINE=1 bench/echo-client.sh
#
# MODE=open RATE=N: open loop, N messages a second in all (netkit --rate; the reference on the
# same schedule), latency from each message's due time; the goal is then netkit's achieved rate
# equal to the offered one (never the bottleneck) and its percentiles within 10% of the
# reference's. MODE=udp (RATE=0 closed loop, or N): UDP load on the same server's UDP port,
# losses counted by both.
#
#   MODE=open RATE=20000 CONNS="10 100" bench/echo-client.sh
#   MODE=udp PIPELINE=16 CONNS="1 10" bench/echo-client.sh
#
# Bounded: DURATION seconds per run (default 5), 2 x ROUNDS (default 2) runs per connection
# count, about 70 s in all, plus a build when needed.
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
CONNS=${CONNS:-"10 100 1000"}
SIZE=${SIZE:-64}
PIPELINE_SET=${PIPELINE:-}
PIPELINE=${PIPELINE:-1}
ROUNDS=${ROUNDS:-2}
MODE=${MODE:-closed}
RATE=${RATE:-0}
case $MODE in
closed) RATE=0 ;;
open) [ "$RATE" -gt 0 ] || RATE=20000; [ -n "${PIPELINE_SET:-}" ] || PIPELINE=64 ;;
udp) ;;
*) echo "echo-client.sh: MODE must be closed, open or udp" >&2; exit 2 ;;
esac
PROTO=tcp
[ "$MODE" = udp ] && PROTO=udp
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

. "$(dirname "$0")/lib.sh"
nk_netkit
cc -O2 -o "$TMP/server" bench/epoll_echo.c
cc -O2 -o "$TMP/loadgen" bench/echo-loadgen.c

taskset -c "$SERVER_CPU" "$TMP/server" 0 >"$TMP/server.out" &
SERVER_PID=$!
# Wait (at most 5 s) for the server's readiness line.
i=0
while ! grep -q "listening on" "$TMP/server.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 50 ] && { echo "echo-client.sh: the server did not start" >&2; exit 1; }
    sleep 0.1
done
PORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/server.out")

echo "echo server on 127.0.0.1:$PORT (cpu $SERVER_CPU); clients on cpu $CLIENT_CPU, 1 thread," \
     "$SIZE-byte messages, pipeline $PIPELINE, $DURATION s per run, best of $ROUNDS rounds," \
     "mode $MODE$( [ "$RATE" -gt 0 ] && echo ", $RATE msgs/s offered")"
# ROUNDS rounds per connection count, the order alternating (loadgen first, then netkit first),
# so a burst of outside load hurts both alike; the best round of each is reported.
run_loadgen() {
    timeout $((DURATION + 30)) taskset -c "$CLIENT_CPU" "$TMP/loadgen" 127.0.0.1 "$PORT" "$1" \
        "$DURATION" "$SIZE" "$PIPELINE" "$RATE" "$PROTO" >"$TMP/ref.$1.$2.json" || true
}
run_netkit() {
    extra=
    [ "$RATE" -gt 0 ] && extra="--rate $RATE"
    [ "$MODE" = udp ] && extra="$extra -u --timeout 1000"
    # shellcheck disable=SC2086 # extra is a list of options
    timeout $((DURATION + 30)) taskset -c "$CLIENT_CPU" "$NETKIT" --json echo-connect --bench \
        --threads 1 --connections "$1" --connect-rate 1000000 --duration "$DURATION" \
        --size "$SIZE" --pipeline "$PIPELINE" $extra 127.0.0.1 "$PORT" >"$TMP/nk.$1.$2.json" || true
}
for c in $CONNS; do
    r=1
    while [ $r -le "$ROUNDS" ]; do
        if [ $((r % 2)) -eq 1 ]; then
            run_loadgen "$c" "$r"
            run_netkit "$c" "$r"
        else
            run_netkit "$c" "$r"
            run_loadgen "$c" "$r"
        fi
        r=$((r + 1))
    done
done

python3 - "$TMP" "$ROUNDS" "$MODE" "$RATE" $CONNS <<'PY'
import json, sys
tmp, rounds, mode, rate, conns = (sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]),
                                  sys.argv[5:])
def load(prefix):
    """The best round (highest msgs/s) of one client, or None if every round failed."""
    best = None
    for r in range(1, rounds + 1):
        try:
            j = json.load(open(f"{prefix}.{r}.json"))
        except Exception:
            continue
        if best is None or j["msgs_per_s"] > best["msgs_per_s"]:
            best = j
    return best
print()
print("%6s | %12s %12s %6s | %-26s | %-26s | %s" % (
    "conns", "loadgen/s", "netkit/s", "ratio", "loadgen p50/p90/p99 us", "netkit p50/p90/p99 us",
    "errors (loadgen, netkit)"))
print("-" * 125)
ok = True
for c in conns:
    r, n = load(f"{tmp}/ref.{c}"), load(f"{tmp}/nk.{c}")
    if not r or not n:
        print("%6s | a run failed (loadgen %s, netkit %s)" % (c, bool(r), bool(n)))
        ok = False
        continue
    ratio = n["msgs_per_s"] / r["msgs_per_s"] if r["msgs_per_s"] else 0
    lat = lambda j: "%.0f / %.0f / %.0f" % (j["latency_us"]["p50"], j["latency_us"]["p90"],
                                            j["latency_us"]["p99"])
    print("%6s | %12.0f %12.0f %6.2f | %-26s | %-26s | %d, %d" % (
        c, r["msgs_per_s"], n["msgs_per_s"], ratio, lat(r), lat(n), r["errors"], n["errors"]))
    ok = ok and ratio >= 0.9 and r["errors"] == 0 and n["errors"] == 0
    if rate:
        # Open loop: netkit must not be the bottleneck (achieved = offered, within 1%) and its
        # percentiles agree with the reference's within 10%.
        print("%6s | achieved: loadgen %.0f, netkit %.0f of %d offered; behind at most %.1f / %.1f"
              " ms" % (c, r.get("achieved_rate", 0), n.get("achieved_rate", 0), rate,
                       r.get("behind_max_ms", 0), n.get("behind_max_ms", 0)))
        ok = ok and n.get("achieved_rate", 0) >= 0.99 * rate
    if mode == "udp":
        print("%6s | lost: loadgen %d, netkit %d" % (c, r.get("lost", 0), n.get("lost", 0)))
print()
if rate:
    print("goal (netkit achieved rate >= 0.99 x offered, no errors):", "met" if ok else "NOT met")
else:
    print("goal (netkit >= 0.90 x loadgen, no errors):", "met" if ok else "NOT met")
PY
