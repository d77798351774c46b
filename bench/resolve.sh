#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/resolve.sh - netkit resolve against its peers, one local knotd, the same 10,000 names.
#
#   bench/resolve.sh [NETKIT]      (default: a Release build made in build-bench/)
#
# Whole-process wall-clock time (hyperfine, mean of a few runs) for:
#   netkit resolve -f at its default -c and at -c 100 / 300 / 1000 / 10000 (the no-cliff test),
#   a bare c-ares client (bench/cares_ref.c: one channel, ares_query, epoll) at 100 / 300 / 1000,
#   dig -f, and dnsperf (the server's own limit) when installed;
# then one name: netkit resolve against dig. Prints names/s and the ratios the issue asks for.
# First, pinned (knotd on CPU 1, the client on CPU 0, best of 3): --json -t A, text -t A,
# address mode and --json -c 1000 against the bare c-ares client.
# Bounded: about a minute; knotd is started here on a free loopback port and killed by PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
N=10000
RUNS=${RUNS:-5}
WORK=$(mktemp -d /tmp/netkit-bench-resolve.XXXXXX)
KNOT_PID=
cleanup() {
    [ -n "$KNOT_PID" ] && kill "$KNOT_PID" 2>/dev/null && wait "$KNOT_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

for tool in hyperfine knotd kdig dig cc python3; do
    command -v "$tool" >/dev/null || { echo "bench/resolve.sh: $tool: not installed" >&2; exit 2; }
done

[ $# -ge 1 ] && NETKIT=$1
. "$HERE/lib.sh"
nk_netkit
cc -O2 -o "$WORK/cares_ref" "$HERE/cares_ref.c" -lcares

# The zone and the names.
{
    printf '$ORIGIN bulk.test.\n$TTL 300\n'
    printf '@ IN SOA ns1.bulk.test. h.bulk.test. 1 3600 900 604800 300\n@ IN NS ns1\n'
    printf 'ns1 IN A 192.0.2.1\n'
    for ((i = 0; i < N; i++)); do
        printf 'h%d IN A 10.%d.%d.%d\n' $i $((i / 65536)) $((i / 256 % 256)) $((i % 256))
    done
} >"$WORK/bulk.test.zone"
for ((i = 0; i < N; i++)); do printf 'h%d.bulk.test\n' $i; done >"$WORK/names"
sed 's/$/ A/' "$WORK/names" >"$WORK/dnsperf.txt"

PORT=$(nk_free_port)
nk_knotd "$WORK" "$PORT" bulk.test "$WORK/bulk.test.zone" h0.bulk.test 10.0.0.0
S=127.0.0.1:$PORT

# Sanity: every name resolves (exit 0) before anything is timed.
"$NETKIT" resolve -s "$S" -t A -f "$WORK/names" >"$WORK/out" || { echo "netkit failed" >&2; exit 1; }
[ "$(wc -l <"$WORK/out")" -eq $N ] || { echo "netkit: wrong line count" >&2; exit 1; }

# mean seconds of a command line, from hyperfine's JSON
mean() {
    local runs=$1; shift
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$WORK/h.json" "$@" >/dev/null 2>&1 ||
        { echo "nan"; return; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$WORK/h.json"
}
rate() { python3 -c "import sys; m=float(sys.argv[1]); print('%.0f' % ($N/m) if m==m and m>0 else 'nan')" "$1"; }

# best (minimum) seconds of a command line over 3 runs
best3() {
    hyperfine -N --style none --warmup 1 --runs 3 --export-json "$WORK/h.json" "$1" >/dev/null 2>&1 ||
        { echo "nan"; return; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["min"])' "$WORK/h.json"
}

# Pinned, the way a busy host runs it: knotd (all its threads) on CPU 1, the client on CPU 0;
# whole process, best of three. Then knotd may use both CPUs again for the unpinned rows.
declare -A P
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    taskset -a -cp 1 "$KNOT_PID" >/dev/null
    pin="taskset -c 0"
    P[json]=$(rate "$(best3 "$pin $NETKIT --json resolve -s $S -t A -f $WORK/names")")
    P[text]=$(rate "$(best3 "$pin $NETKIT resolve -s $S -t A -f $WORK/names")")
    P[addr]=$(rate "$(best3 "$pin $NETKIT resolve -s $S -f $WORK/names")")
    P[json1000]=$(rate "$(best3 "$pin $NETKIT --json resolve -s $S -t A -c 1000 -f $WORK/names")")
    P[ref]=$(rate "$(best3 "$pin $WORK/cares_ref 127.0.0.1 $PORT 100 $WORK/names")")
    taskset -a -cp 0-$(($(nproc) - 1)) "$KNOT_PID" >/dev/null
fi

declare -A R
nk="$NETKIT resolve -s $S -t A -f $WORK/names"
R[nk_default]=$(rate "$(mean "$RUNS" "$nk")")
for c in 100 300 1000 10000; do
    R[nk_$c]=$(rate "$(mean "$RUNS" "$nk -c $c")")
done
R[ref_100]=$(rate "$(mean "$RUNS" "$WORK/cares_ref 127.0.0.1 $PORT 100 $WORK/names")")
# The reference at 300 and 1000 waits out lost queries' timeouts: one run each.
for c in 300 1000; do
    R[ref_$c]=$(rate "$(mean 1 "$WORK/cares_ref 127.0.0.1 $PORT $c $WORK/names")")
done
R[dig]=$(rate "$(mean 2 "dig @127.0.0.1 -p $PORT +short +time=2 +tries=1 -f $WORK/names")")
if command -v dnsperf >/dev/null; then
    R[dnsperf]=$(dnsperf -s 127.0.0.1 -p "$PORT" -d "$WORK/dnsperf.txt" -n 1 -l 30 2>/dev/null |
        awk '/Queries per second/ {printf "%.0f", $4}')
else
    R[dnsperf]="n/a (not installed)"
fi

one_nk=$(mean 20 "$NETKIT resolve -s $S -t A h0.bulk.test")
one_dig=$(mean 20 "dig @127.0.0.1 -p $PORT +short h0.bulk.test A")

best=0
for c in 100 300 1000 10000 default; do
    v=${R[nk_$c]}
    [ "$v" != nan ] && [ "$v" -gt "$best" ] && best=$v
done

ratio() { python3 -c "import sys; a,b=sys.argv[1:]; print('%.2fx' % (float(a)/float(b)) if a!='nan' and b!='nan' and float(b)>0 else 'n/a')" "$1" "$2"; }

echo "netkit resolve benchmark: $N names, knotd on $S, whole-process times, mean of $RUNS runs"
printf '%-44s %12s %12s %12s\n' "command" "names/s" "vs dig -f" "vs c-ares@100"
row() { printf '%-44s %12s %12s %12s\n' "$1" "$2" "$(ratio "$2" "${R[dig]}")" "$(ratio "$2" "${R[ref_100]}")"; }
row "netkit resolve -f (default -c 500)" "${R[nk_default]}"
for c in 100 300 1000 10000; do row "netkit resolve -f -c $c" "${R[nk_$c]}"; done
for c in 100 300 1000; do row "bare c-ares client, $c in flight" "${R[ref_$c]}"; done
row "dig -f" "${R[dig]}"
printf '%-44s %12s\n' "dnsperf (server limit, qps)" "${R[dnsperf]}"
echo
printf 'one name, whole process: netkit %.2f ms, dig %.2f ms (netkit/dig %s)\n' \
    "$(python3 -c "print($one_nk*1000)")" "$(python3 -c "print($one_dig*1000)")" "$(ratio "$one_nk" "$one_dig")"
echo
if [ -n "${P[ref]:-}" ]; then
    echo "pinned (knotd on CPU 1, client on CPU 0), whole process, best of 3:"
    printf '%-44s %12s %12s\n' "command" "names/s" "vs c-ares@100"
    prow() { printf '%-44s %12s %12s\n' "$1" "$2" "$(ratio "$2" "${P[ref]}")"; }
    prow "netkit --json resolve -t A -f" "${P[json]}"
    prow "netkit resolve -t A -f (text)" "${P[text]}"
    prow "netkit resolve -f (address mode: A and AAAA)" "${P[addr]}"
    prow "netkit --json resolve -t A -c 1000 -f" "${P[json1000]}"
    prow "bare c-ares client, 100 in flight" "${P[ref]}"
    echo
fi
echo "goals:"
echo "  best netkit vs dig -f (>= 15x):            $(ratio "$best" "${R[dig]}")"
echo "  best netkit vs bare c-ares (>= 0.8x):      $(ratio "$best" "${R[ref_100]}")"
worst=$best
for c in 300 1000 10000; do
    v=${R[nk_$c]}
    [ "$v" != nan ] && [ "$v" -lt "$worst" ] && worst=$v
done
echo "  no cliff: worst of -c 300/1000/10000 vs best (>= 0.5x): $(ratio "$worst" "$best")"
echo "  one name vs dig (<= 0.25x):                $(ratio "$one_nk" "$one_dig")"
if [ -n "${P[ref]:-}" ]; then
    echo "  pinned --json -t A vs bare c-ares (>= 0.8x): $(ratio "${P[json]}" "${P[ref]}")"
    echo "  pinned address mode cost vs -t A (<= 2x):    $(ratio "${P[text]}" "${P[addr]}")"
    echo "  pinned --json -c 1000 vs --json (no regression): $(ratio "${P[json1000]}" "${P[json]}")"
fi
