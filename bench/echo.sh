#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/echo.sh - netkit echo-serve side by side with reference echo servers: same run, same
# verifying load generator (bench/loadgen.c), server pinned to one core, generator to another.
#
#   bench/echo.sh [BUILD_DIR]      BUILD_DIR: a netkit build to use (default: builds
#                                  build-bench/ in Release, no sanitizers)
#   SECS=1 REPS=4 REF_REPS=2 SERVER_CPU=0 GEN_CPU=1 SERVERS="netkit epoll thread socat ncat" \
#       bench/echo.sh
#
# Each figure is the best of several SECS-long runs, interleaved across the servers, so that a
# burst of load from elsewhere on the machine (which only ever lowers a figure) falls on all of
# them alike and is then outvoted: REPS runs for netkit and epoll (the goals are ratios between
# these two), REF_REPS for the other servers, whose figures only give context.
#
# Servers: netkit echo-serve; bench/epoll_echo.c (tight single-thread epoll, recvmmsg for UDP);
# bench/thread_echo.c (textbook thread per client); socat TCP-LISTEN:P,fork PIPE (UDP:
# UDP-RECVFROM:P,fork PIPE); ncat -l -k --exec /bin/cat (-m 2000: its default of 100 would turn
# the 1,000-connection runs away).
# Measures: 64-byte ping-pong at 1/10/100/1000 connections (msgs/s); 64 KiB stream at 1 and 10
# connections (MB/s echoed, at most 1 MiB in flight each); UDP 64-byte ping-pong from 100
# sockets (msgs/s); a 1,000-connection burst (how many served within 1 s); RSS per idle
# connection at 10,000 (netkit, epoll, thread). Every echo is verified byte for byte.
# Bounded: under 3 minutes with the defaults.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECS:-1}
SCPU=${SERVER_CPU:-0}
GCPU=${GEN_CPU:-1}
SERVERS=${SERVERS:-"netkit epoll thread socat ncat"}
TMP=$(mktemp -d /tmp/nk-echo-bench.XXXXXX)
trap 'stop_servers; rm -rf "$TMP"' EXIT

[ $# -ge 1 ] && NETKIT=$1/netkit
. "$(dirname "$0")/lib.sh"
nk_netkit
for p in loadgen epoll_echo thread_echo; do
    cc -O2 -Wall -pthread -o "$TMP/$p" "$SRC/bench/$p.c" || exit 1
done
ulimit -n "$(ulimit -Hn)"

# Below the ephemeral range (32768 and up), where the generator's own connections could hold it.
port_base=$((20000 + RANDOM % 12000))
declare -A R # R[server,test] = figure

server_cmd() { # NAME PORT -> the command line
    case $1 in
    netkit) echo "$NETKIT echo-serve -u -b 127.0.0.1 $2" ;;
    epoll) echo "$TMP/epoll_echo $2" ;;
    thread) echo "$TMP/thread_echo $2" ;;
    socat) echo "socat TCP-LISTEN:$2,fork,reuseaddr,bind=127.0.0.1 PIPE" ;;
    ncat) echo "ncat -l -k -m 2000 127.0.0.1 $2 --exec /bin/cat" ;;
    esac
}

declare -A PID PORT # per server: process group leader, port

start_server() { # NAME PORT: own process group (forking servers), pinned
    # shellcheck disable=SC2046
    setsid taskset -c "$SCPU" $(server_cmd "$1" "$2") >/dev/null 2>&1 &
    PID[$1]=$!
    PORT[$1]=$2
    if [ "$1" = socat ]; then # socat serves UDP with a second process, same port
        setsid taskset -c "$SCPU" socat "UDP-RECVFROM:$2,fork,reuseaddr,bind=127.0.0.1" PIPE \
            >/dev/null 2>&1 &
        PID[socat-udp]=$!
    fi
    for _ in $(seq 100); do # up to 5 s for the port to accept
        (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "echo.sh: $1 did not start" >&2
    return 1
}

stop_servers() {
    local p
    for p in "${PID[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
    for p in "${PID[@]}"; do wait "$p" 2>/dev/null; done
    PID=()
}

gen() { # loadgen arguments...; prints its result line
    timeout 40 taskset -c "$GCPU" "$TMP/loadgen" "$@" 2>&1 | tail -1
}

field() { # LINE KEY -> value
    sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"
}

rate() { # LINE KEY: the figure, or "ERR"/"stall" when it did not verify
    local v
    v=$(field "$1" "$2")
    if [ -z "$v" ] || [ "$(field "$1" errors)" != 0 ]; then
        echo ERR
    elif [[ $1 == stalled* ]]; then
        echo "stall"
    else
        echo "$v"
    fi
}

rss_kib() { # NAME: RSS summed over the server's process group
    local t=0 p
    for p in $(pgrep -g "${PID[$1]}"); do
        t=$((t + $(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
    done
    echo "$t"
}

idle_rss() { # NAME: bytes of server RSS per idle connection at 10,000
    local before after lg
    before=$(rss_kib "$1")
    taskset -c "$GCPU" "$TMP/loadgen" idle 127.0.0.1 "${PORT[$1]}" 10000 >"$TMP/idle" 2>&1 &
    lg=$!
    for _ in $(seq 600); do # up to 30 s
        grep -q ready "$TMP/idle" && break
        kill -0 "$lg" 2>/dev/null || break
        sleep 0.05
    done
    after=$(rss_kib "$1")
    if grep -q "ready conns=10000 " "$TMP/idle"; then
        echo $(((after - before) * 1024 / 10000))
    else
        echo "ERR"
    fi
    kill "$lg" 2>/dev/null
    wait "$lg" 2>/dev/null
}

t_start=$(date +%s)
echo "echo-serve benchmark: server on CPU $SCPU, generator on CPU $GCPU, best of" \
    "${REPS:-4} (netkit, epoll) or ${REF_REPS:-2} (others) runs of ${SECS}s per figure"
echo "netkit: $NETKIT ($("$NETKIT" --version))"
i=0
for s in $SERVERS; do
    start_server "$s" $((port_base + i)) || exit 1
    echo "$s: $(server_cmd "$s" $((port_base + i)))"
    i=$((i + 1))
done

best() { # KEY FIGURE: keep the larger (a shared machine only ever makes figures lower)
    local old=${R[$1]:-}
    if [ -z "$old" ] || [ "$old" = ERR ] || [ "$old" = stall ] ||
        { [ "$2" != ERR ] && [ "$2" != stall ] && awk -v a="$2" -v b="$old" 'BEGIN{exit !(a>b)}'; }; then
        R[$1]=$2
    fi
}

# Timed figures: every server in turn for each figure, best kept (see the top). netkit and epoll
# alternate which goes first, so that neither always runs just after the other's load.
REPS=${REPS:-4}
REF_REPS=${REF_REPS:-2}
order() { # REP -> the servers to run in this repetition, in order
    local s first=netkit second=epoll
    [ $(($1 % 2)) = 0 ] && first=epoll second=netkit
    if [ "$1" -le "$REPS" ]; then
        for s in $first $second; do [[ " $SERVERS " == *" $s "* ]] && echo "$s"; done
    fi
    if [ "$1" -le "$REF_REPS" ]; then
        for s in $SERVERS; do [ "$s" = netkit ] || [ "$s" = epoll ] || echo "$s"; done
    fi
}
for rep in $(seq "$(( REPS > REF_REPS ? REPS : REF_REPS ))"); do
    for t in pp1 pp10 pp100 pp1000 st1 st10 udp; do
        for s in $(order "$rep"); do
            p=${PORT[$s]}
            case $t in
            pp*) best "$s,$t" "$(rate "$(gen pingpong 127.0.0.1 "$p" "${t#pp}" "$SECS")" rate)" ;;
            st*) best "$s,$t" "$(rate "$(gen stream 127.0.0.1 "$p" "${t#st}" "$SECS")" mbps)" ;;
            udp) case $s in netkit | epoll | socat)
                best "$s,$t" "$(rate "$(gen udp 127.0.0.1 "$p" 100 "$SECS")" rate)" ;;
                esac ;;
            esac
        done
    done
done
for s in $SERVERS; do
    b=$(gen burst 127.0.0.1 "${PORT[$s]}" 1000)
    R[$s,burst]=$(field "$b" within1s)
    [ "$(field "$b" errors)" = 0 ] || R[$s,burst]=ERR
done
for s in $SERVERS; do
    case $s in netkit | epoll | thread) R[$s,idle]=$(idle_rss "$s") ;; esac
done
stop_servers

ratio() { # A B -> "A/B" to 2 places, or -
    awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2fx", a/b; else print "-" }'
}

row() { # LABEL KEY
    printf "%-28s" "$1"
    for s in $SERVERS; do printf "%10s" "${R[$s,$2]:--}"; done
    for s in $SERVERS; do
        [ "$s" = netkit ] && continue
        if [ "$2" = idle ]; then # lower is better: how many times smaller netkit is
            printf "%10s" "$(ratio "${R[$s,$2]:-}" "${R[netkit,$2]:-}")"
        else
            printf "%10s" "$(ratio "${R[netkit,$2]:-}" "${R[$s,$2]:-}")"
        fi
    done
    echo
}

echo
printf "%-28s" ""
for s in $SERVERS; do printf "%10s" "$s"; done
for s in $SERVERS; do [ "$s" = netkit ] || printf "%10s" "nk/$s"; done
echo
row "ping-pong 64 B, 1 conn/s" pp1
row "ping-pong 64 B, 10 conns" pp10
row "ping-pong 64 B, 100 conns" pp100
row "ping-pong 64 B, 1000 conns" pp1000
row "stream 64 KiB, 1 conn MB/s" st1
row "stream 64 KiB, 10 conns MB/s" st10
row "UDP 64 B, 100 peers msgs/s" udp
row "burst 1000: served in 1 s" burst
row "idle RSS bytes/conn @10k" idle
echo
echo "ping-pong and UDP in messages/s; ratios are netkit/other (idle: other/netkit, so"
echo "higher is better everywhere). ERR: an echo did not match; stall: no progress for 3 s."
echo "Goals: >= 1.0x epoll at 100 and 1000 conns and UDP, >= 0.9x stream, <= 256 B/idle conn,"
echo "all 1000 of the burst within 1 s. Took $(($(date +%s) - t_start)) s."
