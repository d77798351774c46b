#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hold N established loopback TCP connections (2N sockets: a client process and a server
process own one end each), print "ready N" once they are all up, then wait to be killed (the client
process ends with its parent).
Used by bench/ports.sh inside its own network namespace."""
import os
import resource
import signal
import socket
import sys
import time

n = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
if hard < n + 64:
    sys.exit(f"conns.py: descriptor limit {hard} is below {n + 64}")
lst = socket.socket()
lst.bind(("127.0.0.1", 0))
lst.listen(4096)
addr = lst.getsockname()
r, w = os.pipe()
alive_r, alive_w = os.pipe()  # the parent holds alive_w: its death is the child's EOF
pid = os.fork()
if pid == 0:
    lst.close()
    os.close(r)
    os.close(alive_w)
    clients = [socket.create_connection(addr) for _ in range(n)]
    os.write(w, b"x")
    os.read(alive_r, 1)
    os._exit(0)
os.close(w)
os.close(alive_r)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
accepted = [lst.accept()[0] for _ in range(n)]
os.read(r, 1)
print(f"ready {n} {pid}", flush=True)
time.sleep(600)
