#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/resolve-loss.sh - netkit resolve -f through a lossy network: names/s and memory.
#
#   bench/resolve-loss.sh [NETKIT]      (default: a Release build made in build-bench/)
#   N=1000 LOSSES="0.1" bench/resolve-loss.sh   (a smoke run)
#
# A local knotd with N names (default 100,000) behind the tests' own loss relay
# (tests/e2e/lossrelay.py: drops each query with probability LOSS, seeded), then one
# `netkit resolve -f` at the default settings per loss rate (default 0, 0.1 and 0.5). Prints
# per rate: wall seconds, names/s, names answered, names with a status, and the largest
# resident set (GNU time), for "memory flat" compare it with a run at a smaller N.
# Goals (issue 14): >= 10,000 names/s at 10 % loss, >= 1,000 names/s at 50 %, every name
# with a status. knotd and the relay are started here on free loopback ports and killed by PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
N=${N:-100000}
LOSSES=${LOSSES:-0 0.1 0.5}
WORK=$(mktemp -d /tmp/netkit-bench-loss.XXXXXX)
KNOT_PID=
RELAY_PID=
cleanup() {
    [ -n "$RELAY_PID" ] && kill "$RELAY_PID" 2>/dev/null && wait "$RELAY_PID" 2>/dev/null
    [ -n "$KNOT_PID" ] && kill "$KNOT_PID" 2>/dev/null && wait "$KNOT_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in knotd kdig python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench/resolve-loss.sh: $tool: not installed" >&2; exit 2; }
done

[ $# -ge 1 ] && NETKIT=$1
. "$HERE/lib.sh"
nk_netkit

python3 - "$N" "$WORK" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(f"{work}/loss.test.zone", "w") as f:
    f.write("$ORIGIN loss.test.\n$TTL 300\n@ IN SOA ns1.loss.test. h.loss.test. 1 3600 900 604800 300\n")
    f.write("@ IN NS ns1\nns1 IN A 192.0.2.1\n")
    f.writelines(f"h{i} IN A 10.{i // 65536}.{i // 256 % 256}.{i % 256}\n" for i in range(n))
with open(f"{work}/names", "w") as f:
    f.writelines(f"h{i}.loss.test\n" for i in range(n))
PY

PORT=$(nk_free_port)
nk_knotd "$WORK" "$PORT" loss.test "$WORK/loss.test.zone" h0.loss.test 10.0.0.0

printf '%-6s %9s %10s %9s %9s %9s\n' loss seconds names/s answered status maxrss_kB
for loss in $LOSSES; do
    python3 -u "$SRC/tests/e2e/lossrelay.py" "127.0.0.1:$PORT" "$loss" >"$WORK/relay.out" &
    RELAY_PID=$!
    for ((t = 0; t < 100; t++)); do
        grep -q '^listening on' "$WORK/relay.out" && break
        [ $t -eq 99 ] && { echo "bench/resolve-loss.sh: the relay did not start" >&2; exit 1; }
        sleep 0.1
    done
    RELAY=$(awk '/^listening on/ {print $3}' "$WORK/relay.out")
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$WORK/rss" "$NETKIT" --json resolve -s "$RELAY" -t A -f "$WORK/names" \
        >"$WORK/out" 2>/dev/null || true
    t1=$(date +%s.%N)
    kill "$RELAY_PID" && wait "$RELAY_PID" 2>/dev/null || true
    RELAY_PID=
    python3 - "$WORK/out" "$N" "$loss" "$t0" "$t1" "$(tail -1 "$WORK/rss")" <<'PY'
import json, sys
out, n, loss, t0, t1, rss = sys.argv[1:]
recs = [json.loads(l) for l in open(out)]
ok = sum(r["status"] == "NOERROR" for r in recs)
secs = float(t1) - float(t0)
print(f"{loss:<6} {secs:9.2f} {int(n) / secs:10.0f} {ok:9d} {len(recs):9d} {rss:>9}")
PY
done
