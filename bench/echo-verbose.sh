#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/echo-verbose.sh - what `netkit echo-serve -v` costs: throughput at 100 connections with
# the event log going to a file, against the same server without -v. The load is the
# independent generator bench/echo-loadgen.c (closed loop, 64-byte messages), pinned apart
# from the server. Goal: with -v, at least 0.90 x the msgs/s without.
#
#   bench/echo-verbose.sh          (builds a Release netkit in build-bench/ if NETKIT is unset)
#   NETKIT=path/to/netkit DURATION=5 ROUNDS=3 CONNS=100 THREADS=1 SERVER_CPU=0 CLIENT_CPU=1 \
#       bench/echo-verbose.sh
#
# Bounded: 2 x ROUNDS runs of DURATION seconds (default 3 x 5 s: about 35 s).
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-100}
THREADS=${THREADS:-1}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
TMP=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

. "$(dirname "$0")/lib.sh"
nk_netkit
cc -O2 -o "$TMP/loadgen" bench/echo-loadgen.c

# One run: start the server (with the extra options), load it, stop it; prints msgs/s.
run() {
    : >"$TMP/log"
    # shellcheck disable=SC2086 # $1 is a list of options
    taskset -c "$SERVER_CPU" "$NETKIT" echo-serve -t "$THREADS" $1 -b 127.0.0.1 0 \
        >"$TMP/log" 2>/dev/null &
    SERVER_PID=$!
    i=0
    while ! grep -q "listening on" "$TMP/log" 2>/dev/null; do
        i=$((i + 1))
        [ $i -gt 50 ] && { echo "echo-verbose.sh: the server did not start" >&2; exit 1; }
        sleep 0.1
    done
    port=$(sed -n 's/^listening on tcp 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$TMP/log")
    timeout $((DURATION + 30)) taskset -c "$CLIENT_CPU" "$TMP/loadgen" 127.0.0.1 "$port" \
        "$CONNS" "$DURATION" 64 1 >"$TMP/res.json" || true
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["msgs_per_s"])' \
        "$TMP/res.json" 2>/dev/null || echo 0
    echo "$(wc -l <"$TMP/log") log lines" >&2
}

echo "echo-serve -t $THREADS on cpu $SERVER_CPU, $CONNS connections from cpu $CLIENT_CPU," \
     "$DURATION s per run, best of $ROUNDS"
best_plain=0
best_v=0
r=1
while [ "$r" -le "$ROUNDS" ]; do
    p=$(run "")
    v=$(run "-v")
    echo "round $r: without -v $p msgs/s, with -v (log to a file) $v msgs/s"
    best_plain=$(python3 -c "print(max($best_plain, $p))")
    best_v=$(python3 -c "print(max($best_v, $v))")
    r=$((r + 1))
done
python3 - "$best_plain" "$best_v" <<'PY'
import sys
plain, v = float(sys.argv[1]), float(sys.argv[2])
ratio = v / plain if plain else 0
print(f"\nbest: without -v {plain:.0f} msgs/s, with -v {v:.0f} msgs/s: {ratio:.2f}x")
print("goal (-v >= 0.90 x without):", "met" if ratio >= 0.9 else "NOT met")
PY
