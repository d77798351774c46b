#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A UDP relay that loses datagrams: the tests' own lossy network in front of a DNS server.

    lossrelay.py UPSTREAM_HOST:PORT LOSS [--seed N] [--die-after N]

Listens on 127.0.0.1 (a free port), prints "listening on 127.0.0.1:PORT" when ready, and
forwards each datagram from a client to UPSTREAM, dropping it with probability LOSS (0..1);
answers come back unharmed, each to the client that asked (one upstream socket per client
socket, as a NAT does). The drops come from a seeded generator: the same seed, the same
pattern. --die-after N: after N forwarded queries, drop everything (a server that stopped
answering in the middle of a batch). Runs until killed; stops by PID like every test server.
"""
import argparse
import random
import selectors
import socket


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("upstream")
    ap.add_argument("loss", type=float)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--die-after", type=int, default=-1)
    a = ap.parse_args()
    host, port = a.upstream.rsplit(":", 1)
    up = (host.strip("[]"), int(port))
    rng = random.Random(a.seed)
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", 0))
    front.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    front.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(front, selectors.EVENT_READ, None)
    back = {}  # client address -> its upstream socket
    forwarded = 0
    print(f"listening on 127.0.0.1:{front.getsockname()[1]}", flush=True)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            # Drain what is queued: one select per datagram would be the relay's own limit.
            for _ in range(256):
                try:
                    data, peer = s.recvfrom(65536)
                except BlockingIOError:
                    break
                if key.data is None:  # a query
                    if rng.random() < a.loss or 0 <= a.die_after <= forwarded:
                        continue
                    b = back.get(peer)
                    if b is None:
                        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        b.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
                        b.setblocking(False)
                        b.connect(up)
                        back[peer] = b
                        sel.register(b, selectors.EVENT_READ, peer)
                    forwarded += 1
                    try:
                        b.send(data)
                    except OSError:
                        pass  # upstream's buffer is full: one more loss
                else:  # an answer, back to the client that asked
                    try:
                        front.sendto(data, key.data)
                    except OSError:
                        pass


if __name__ == "__main__":
    main()
