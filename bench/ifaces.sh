#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/ifaces.sh - whole-process time and peak memory of `netkit ifaces` against `ip addr` and
# `ifconfig -a`: the median of many interleaved runs of each, and the ratios.
# Goal (issue 2): no slower than `ip addr`, peak RSS within 1.5x of it.
#
#   bench/ifaces.sh                 build a Release netkit in build-release/ and measure
#   NETKIT=path bench/ifaces.sh     measure that binary (use an optimised one, not ASan)
#   RUNS=1000 bench/ifaces.sh       runs per command (default 500)
#
# As root it also measures the vendor lookup, in a scratch network namespace with a veth whose
# MAC has a registered OUI and one whose OUI is not registered: the first run (which indexes the
# registry and caches the index), then runs that use the cache, then runs with no cache
# (NETKIT_OUI_CACHE=, the registry searched directly). The cache lives in a temporary directory.
# Bounded: a few seconds of runs per scenario (plus the build, once).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${RUNS:-500}
warm=20
tmp=$(mktemp -d)
ns=""
cleanup() {
    [ -n "$ns" ] && ip netns del "$ns" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

. "$(dirname "$0")/lib.sh"
nk_netkit
cc -O2 -o "$tmp/runmany" "$here/runmany.c"
export NETKIT_OUI_CACHE="$tmp/oui.idx"

has_ifconfig=1
command -v ifconfig >/dev/null 2>&1 || has_ifconfig=0

# measure TITLE [ip netns exec NS]: prints the table and the ratios.
measure() {
    title=$1
    shift
    set -- "$@" "$tmp/runmany" "$runs" "$warm" -- "$NETKIT" ifaces -- ip addr -- true
    [ "$has_ifconfig" = 1 ] && set -- "$@" -- ifconfig -a
    "$@" >"$tmp/out"
    echo
    echo "$title ($runs interleaved runs each, stdout to /dev/null)"
    awk -v ifc="$has_ifconfig" '
        BEGIN { name[1] = "netkit ifaces"; name[2] = "ip addr"; name[3] = "true (bare process)";
                name[4] = "ifconfig -a" }
        { med[NR] = $1; p90[NR] = $2; min[NR] = $3; rss[NR] = $4 }
        END {
            printf "  %-22s %10s %10s %10s %12s\n", "command", "median", "p90", "min", "peak RSS"
            for (i = 1; i <= NR; i++)
                printf "  %-22s %7.3f ms %7.3f ms %7.3f ms %9d KB\n", name[i], med[i] / 1000,
                       p90[i] / 1000, min[i] / 1000, rss[i]
            printf "  netkit / ip addr:      time %.2fx   peak RSS %.2fx   (goal: <= 1.00x, <= 1.50x)\n",
                   med[1] / med[2], rss[1] / rss[2]
            if (ifc == 1)
                printf "  netkit / ifconfig -a:  time %.2fx   peak RSS %.2fx\n",
                       med[1] / med[4], rss[1] / rss[4]
            printf "  over a bare process:   netkit +%.3f ms, ip addr +%.3f ms\n",
                   (med[1] - med[3]) / 1000, (med[2] - med[3]) / 1000
        }' "$tmp/out"
}

echo "netkit: $NETKIT"
echo "host: $(uname -sr), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "this host's interfaces"

if [ "$(id -u)" = 0 ] && [ -r /usr/share/ieee-data/oui.txt ]; then
    ns="nkbench$$"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    # 00:16:3e is registered (Xensource); 04:fe:ff is not, so its lookup reads the whole registry.
    ip -n "$ns" link add v0 address 00:16:3e:00:00:01 type veth peer name v1 address 04:fe:ff:00:00:01
    ip -n "$ns" addr add 10.99.0.1/24 dev v0
    cold=$(ip netns exec "$ns" "$tmp/runmany" 1 0 -- "$NETKIT" ifaces | cut -d' ' -f1)
    echo
    echo "vendor lookups: first run, indexing the registry: $(awk -v t="$cold" 'BEGIN { printf "%.3f ms", t / 1000 }')"
    measure "vendor lookups: a registered and an unregistered OUI, cached index" \
        ip netns exec "$ns"
    NETKIT_OUI_CACHE=
    measure "vendor lookups: the same with no cache (NETKIT_OUI_CACHE=)" ip netns exec "$ns"
fi
