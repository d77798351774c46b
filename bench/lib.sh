# SPDX-License-Identifier: GPL-3.0-or-later
# bench/lib.sh - what the bench scripts share; sourced (POSIX sh): . "$(dirname "$0")/lib.sh"

NK_BENCH=$(cd "$(dirname "$0")" && pwd)
NK_SRC=$(dirname "$NK_BENCH")

# NETKIT is the binary measured; without it, a Release build of this tree in build-bench/.
nk_netkit() {
    if [ -z "${NETKIT:-}" ]; then
        echo "building a Release netkit in $NK_SRC/build-bench ..." >&2
        cmake -S "$NK_SRC" -B "$NK_SRC/build-bench" -DCMAKE_BUILD_TYPE=Release \
            -DNETKIT_TESTS=OFF >/dev/null || exit 1
        cmake --build "$NK_SRC/build-bench" -j2 --target netkit >/dev/null || exit 1
        NETKIT=$NK_SRC/build-bench/netkit
    fi
}

# A free TCP port on 127.0.0.1 (the kernel picks it).
nk_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# nk_knotd WORK PORT DOMAIN ZONEFILE NAME ADDR: knotd serving DOMAIN from ZONEFILE on
# 127.0.0.1:PORT, its config, rundir and log in WORK; ready when NAME's A record reads ADDR
# (asked at most 100 times, 0.2 s apart). Sets KNOT_PID; the caller kills it by that PID.
nk_knotd() {
    cat >"$1/knot.conf" <<EOF
server:
    listen: 127.0.0.1@$2
    rundir: "$1"
database:
    storage: "$1"
log:
  - target: stderr
    any: error
template:
  - id: default
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: $3
    file: "$4"
EOF
    knotd -c "$1/knot.conf" 2>"$1/knotd.log" &
    KNOT_PID=$!
    nk_t=0
    until [ "$(kdig +short +time=1 +retry=0 @127.0.0.1 -p "$2" "$5" A 2>/dev/null)" = "$6" ]; do
        nk_t=$((nk_t + 1))
        if [ $nk_t -ge 100 ]; then
            echo "$(basename "$0"): knotd did not answer" >&2
            cat "$1/knotd.log" >&2
            exit 1
        fi
        sleep 0.2
    done
}
