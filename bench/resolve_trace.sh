#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/resolve_trace.sh - netkit resolve --trace against dig +trace on the tests' hierarchy.
#
#   bench/resolve_trace.sh [RUNS]     (NETKIT=path/to/netkit to skip the release build)
#
# The hierarchy of tests/e2e/dnstree.py (knotd servers for ".", "test." and "example.test." on
# loopback addresses of a namespace made here), with a third example.test. server, 127.0.0.8,
# that is delegated to but silent: nftables drops every packet to it. dig +trace asks one
# server per zone, picked at random, and waits out a silent one; netkit asks every server at
# once and gives the silent one a grace period once the others have answered. Both pinned to
# CPU 0 (taskset). Prints each tool's mean wall-clock time (hyperfine) and the ratio.
# Needs root (namespaces, nft). Bounded: each dig run waits 2 s at most per server (+time=2).
set -euo pipefail

RUNS=${1:-20}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
[ "$(id -u)" = 0 ] || { echo "bench/resolve_trace.sh: needs root for network namespaces" >&2; exit 2; }
for tool in hyperfine knotd dig nft taskset python3; do
    command -v "$tool" >/dev/null || { echo "bench/resolve_trace.sh: $tool: not installed" >&2; exit 2; }
done
. "$HERE/lib.sh"
nk_netkit

NS=nkbt$$
WORK=$(mktemp -d /tmp/netkit-bench-trace.XXXXXX)
TREE_PID=
cleanup() {
    if [ -n "$TREE_PID" ]; then
        exec {TREE[1]}>&- 2>/dev/null || true # stdin closed: dnstree.py stops its servers
        wait "$TREE_PID" 2>/dev/null || true
    fi
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "/etc/netns/$NS" "$WORK"
}
trap cleanup EXIT INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
# dig +trace looks NS names up through the system's resolver: the namespace's files answer.
mkdir -p "/etc/netns/$NS"
echo "nameserver 127.0.0.2" >"/etc/netns/$NS/resolv.conf"
cat >"/etc/netns/$NS/hosts" <<EOF
127.0.0.2 a.root-servers.nk
127.0.0.3 ns1.test
127.0.0.4 ns1.example.test
127.0.0.5 ns2.example.test
127.0.0.8 ns3.example.test
EOF
ip netns exec "$NS" nft -f - <<EOF
table inet nkbench {
    chain in { type filter hook input priority 0; ip daddr 127.0.0.8 drop; }
}
EOF

coproc TREE { exec python3 "$SRC/tests/e2e/dnstree.py" "$NS" "$WORK" --silent 2>&1; }
TREE_PID=$TREE_PID
line=
read -r -t 60 line <&"${TREE[0]}" || true
[ "$line" = ready ] || { echo "bench/resolve_trace.sh: the hierarchy did not start: $line" >&2; exit 1; }

NK="ip netns exec $NS taskset -c 0 $NETKIT resolve --trace --root 127.0.0.2 -t A www.example.test"
DIG="ip netns exec $NS taskset -c 0 dig @127.0.0.2 +trace +time=2 +tries=1 www.example.test A"
echo "netkit: $($NK | tail -1)"
$NK | grep -F '! ' || true
hyperfine -N -i --runs "$RUNS" --export-json "$WORK/h.json" -n netkit "$NK" -n dig "$DIG" >/dev/null
python3 - "$WORK/h.json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
nk, dig = r["netkit"]["mean"] * 1000, r["dig"]["mean"] * 1000
print(f"resolve --trace, one of three example.test. servers silent, one lame ({len(r['netkit']['times'])} runs):")
print(f"  netkit resolve --trace  {nk:9.1f} ms  (min {r['netkit']['min'] * 1000:.1f}, max {r['netkit']['max'] * 1000:.1f})")
slow = sum(1 for t in r["dig"]["times"] if t > 1.0)
print(f"  dig +trace              {dig:9.1f} ms  (min {r['dig']['min'] * 1000:.1f}, max {r['dig']['max'] * 1000:.1f};"
      f" {slow} of {len(r['dig']['times'])} runs asked the silent server and waited)")
print(f"  ratio netkit/dig        {nk / dig:9.2f}x")
EOF
