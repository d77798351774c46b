#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""bench/delayline.py - a cable with a delay: two TAP devices, every frame that enters one leaves
the other DELAY_MS later, in order. The kernel here has no netem (CONFIG_NET_SCH_NETEM), so the
WAN case of bench/trace.sh puts one of these on each link: the routers stay the kernel's own,
only the wire between them is slow.

usage: delayline.py TAP_A TAP_B DELAY_MS
Creates both taps (root namespace) and prints "ready" once they exist; the caller moves them into
its namespaces (ip link set TAP netns NS) and gives them addresses. Ends on SIGTERM."""
import fcntl
import heapq
import os
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000


def tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def main():
    a, b = tap(sys.argv[1]), tap(sys.argv[2])
    delay = float(sys.argv[3]) / 1000.0
    peer = {a: b, b: a}
    due = []  # (when, seq, fd, frame): frames in flight, earliest first
    seq = 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while True:
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, fd, frame = heapq.heappop(due)
            try:
                os.write(fd, frame)
            except OSError:
                pass  # the device is down or gone: the frame is lost, as on a cable
        wait = max(0.0, due[0][0] - now) if due else None
        ready, _, _ = select.select([a, b], [], [], wait)
        for fd in ready:
            for _ in range(64):
                try:
                    frame = os.read(fd, 65536)
                except BlockingIOError:
                    break
                seq += 1
                heapq.heappush(due, (time.monotonic() + delay, seq, peer[fd], frame))


if __name__ == "__main__":
    main()
