#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Small echo servers for echo-connect's tests, each with a known behaviour.

    echo_servers.py MODE [ARG]

Every server prints "listening on PROTO ADDRESS" (and flushes) once it accepts connections.
Modes:
  tcp              a correct echo server on 127.0.0.1:0; also "control PORT": each line sent to
                   the control port is forwarded, unsolicited, to every echo client
  tcp6             a correct echo server on [::1]:0
  close-after N    echoes the first N bytes of a connection, then closes it
  reset-after N    echoes the first N bytes, then resets the connection (RST)
  corrupt N        echoes everything, but byte N of each connection's stream is changed
  silent           accepts, reads, never answers
  hold             echoes nothing until the client half-closes, then everything at once
  udp              a correct UDP echo server on 127.0.0.1:0
  unix PATH        a correct echo server on a Unix-domain stream socket
"""
import os
import socket
import struct
import sys
import threading

clients = []
clients_lock = threading.Lock()


def serve_conn(conn, mode, arg):
    seen = 0
    held = []
    with clients_lock:
        clients.append(conn)
    try:
        while True:
            data = conn.recv(65536)
            if not data and mode == "silent":
                threading.Event().wait()  # never answer, never close
            if not data:
                conn.sendall(b"".join(held))
                break
            if mode in ("silent", "hold"):
                held.append(data)
                continue
            if mode in ("close-after", "reset-after") and seen + len(data) >= arg:
                conn.sendall(data[: arg - seen])
                if mode == "reset-after":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
                return
            if mode == "corrupt" and seen <= arg < seen + len(data):
                b = bytearray(data)
                b[arg - seen] ^= 0x20
                data = bytes(b)
            seen += len(data)
            conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        with clients_lock:
            if conn in clients:
                clients.remove(conn)
        conn.close()


def accept_loop(lsock, mode, arg):
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=serve_conn, args=(conn, mode, arg), daemon=True).start()


def control_loop(csock):
    """Forward each line from a control connection to every echo client."""
    while True:
        conn, _ = csock.accept()
        f = conn.makefile("rb")
        for line in f:
            with clients_lock:
                for c in clients:
                    try:
                        c.sendall(line)
                    except OSError:
                        pass
            conn.sendall(b"sent\n")
        conn.close()


def main():
    mode = sys.argv[1]
    arg = sys.argv[2] if len(sys.argv) > 2 else None
    if mode == "udp":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.0.0.1", 0))
        print("listening on udp 127.0.0.1:%d" % s.getsockname()[1], flush=True)
        while True:
            data, peer = s.recvfrom(65536)
            s.sendto(data, peer)
    if mode == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(arg):
            os.unlink(arg)
        s.bind(arg)
        s.listen(64)
        print("listening on unix %s" % arg, flush=True)
        accept_loop(s, "tcp", None)
    if mode == "tcp6":
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        s.bind(("::1", 0))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
    s.listen(128)
    port = s.getsockname()[1]
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.bind(("127.0.0.1", 0))
    c.listen(4)
    threading.Thread(target=control_loop, args=(c,), daemon=True).start()
    host = "[::1]" if mode == "tcp6" else "127.0.0.1"
    print("listening on tcp %s:%d control %d" % (host, port, c.getsockname()[1]), flush=True)
    accept_loop(s, mode, int(arg) if arg else None)


if __name__ == "__main__":
    main()
