# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit ports' socket table beside ss: Recv-Q/Send-Q, every process holding a socket, filters.

Each test runs in a namespace it creates, with sockets opened by processes it starts.
"""
import json
import os
import re
import socket
import subprocess
import sys

import pytest

from conftest import NETKIT, run, run_json, sh

# A pre-forked server: one listener (backlog 7), two children forked after listen() (three
# processes share the socket), and two connections the parent never accepts. A UDP socket and
# an established pair besides. Prints the ports and pids, then waits to be killed.
PREFORK = r"""
import ctypes, os, socket, sys, time
l = socket.socket()
l.bind(("127.0.0.1", int(sys.argv[1])))
l.listen(7)
kids = []
for _ in range(2):
    pid = os.fork()
    if pid == 0:
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG: SIGKILL when the parent dies
        time.sleep(600)
        os._exit(0)
    kids.append(pid)
c1 = socket.create_connection(l.getsockname())
c2 = socket.create_connection(l.getsockname())
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", int(sys.argv[2])))
e = socket.socket()
e.bind(("127.0.0.1", 0))
e.listen(1)
x = socket.create_connection(e.getsockname())
y, _ = e.accept()
x.sendall(b"z" * 5)     # 5 bytes unread in y's receive queue
print("listening on", l.fileno(), u.fileno(), e.getsockname()[1], x.getsockname()[1],
      " ".join(map(str, kids)), flush=True)
try:
    time.sleep(600)
finally:
    for k in kids:
        os.kill(k, 9)
"""


@pytest.fixture
def prefork(netns, server):
    ns = netns()
    s = server("-c", PREFORK, "8181", "5353", binary=sys.executable, netns=ns)
    f = re.search(r"listening on (.*)", s.lines[-1]).group(1).split()
    info = {"ns": ns, "pid": s.proc.pid, "lfd": int(f[0]), "ufd": int(f[1]),
            "eport": int(f[2]), "xport": int(f[3]), "kids": sorted(map(int, f[4:]))}
    return info


def ss(ns, *args):
    r = subprocess.run(["ip", "netns", "exec", ns, "ss", "-H", *args], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_queues_match_ss(prefork):
    ns = prefork["ns"]
    got = run_json("ports", "-t", netns=ns)
    lst = [e for e in got if e["local"]["port"] == 8181]
    assert len(lst) == 1
    # A listener: Recv-Q is its accept queue (two connections), Send-Q its backlog limit.
    assert (lst[0]["recv_q"], lst[0]["send_q"]) == (2, 7)
    f = ss(ns, "-ltn", "sport = :8181").split()
    assert (int(f[1]), int(f[2])) == (2, 7)
    est = run_json("ports", "-t", "--state", "established", "--local",
                   f"127.0.0.1", str(prefork["eport"]), netns=ns)
    # the accepted side holds the 5 unread bytes
    acc = [e for e in est if e["local"]["port"] == prefork["eport"]]
    assert len(acc) == 1 and acc[0]["recv_q"] == 5 and acc[0]["send_q"] == 0


def test_every_process_of_a_shared_listener(prefork):
    ns = prefork["ns"]
    got = run_json("ports", "-t", "-p", "8181", netns=ns)
    lst = [e for e in got if e["state"] == "LISTEN"]
    assert len(lst) == 1
    pids = sorted([prefork["pid"]] + prefork["kids"])
    assert [(p["pid"], p["fd"]) for p in lst[0]["processes"]] == [(p, prefork["lfd"])
                                                                   for p in pids]
    assert lst[0]["pid"] == pids[0]
    # ss lists the same three
    users = ss(ns, "-ltnp", "sport = :8181")
    assert sorted(int(p) for p in re.findall(r"pid=(\d+)", users)) == pids
    assert set(re.findall(r"fd=(\d+)", users)) == {str(prefork["lfd"])}
    # text: PID/NAME:FD, comma separated
    r = run("ports", "-t", "-p", "8181", netns=ns)
    line = next(l for l in r.stdout.splitlines() if "LISTEN" in l)
    assert line.endswith(",".join(f"{p}/python3:{prefork['lfd']}" for p in pids))


def test_port_and_service_filters(prefork):
    ns = prefork["ns"]
    # a port argument with a listing option filters: local or peer port, like ss's sport/dport
    got = run_json("ports", "-a", "-t", "8181", netns=ns)
    assert {e["state"] for e in got} == {"LISTEN", "ESTAB"}
    assert all(8181 in (e["local"]["port"], e["peer"]["port"]) for e in got)
    assert len(got) == 1 + 2 + 2  # the listener, two clients, their two queued peers
    # a service name: mdns is 5353/udp
    got = run_json("ports", "-a", "mdns", netns=ns)
    assert [(e["proto"], e["local"]["port"]) for e in got] == [("udp", 5353)]
    got = run_json("ports", "-l", "8000-8200", netns=ns)
    assert [e["local"]["port"] for e in got] == [8181]


def test_state_local_and_peer_filters(prefork):
    ns = prefork["ns"]
    got = run_json("ports", "--state", "listen", netns=ns)
    assert {e["state"] for e in got} == {"LISTEN", "UNCONN"}
    got = run_json("ports", "--state", "established", netns=ns)  # implies -a
    assert got and {e["state"] for e in got} == {"ESTAB"}
    got = run_json("ports", "--state", "established", "--state", "listen", "-t", netns=ns)
    assert {e["state"] for e in got} == {"ESTAB", "LISTEN"}
    got = run_json("ports", "--peer", f"127.0.0.0/8", "-t", str(prefork["eport"]), netns=ns)
    assert len(got) == 2 and all(e["state"] == "ESTAB" for e in got)
    assert run_json("ports", "--local", "10.0.0.0/8", netns=ns) == []
    assert run_json("ports", "--local", "::1", netns=ns) == []
    assert len(run_json("ports", "--local", "127.0.0.1", "-l", netns=ns)) == 3


@pytest.mark.parametrize("args,msg", [
    (["--local", "db.example"], "--local: 'db.example': not an address or ADDR/LEN"),
    (["--peer", "10.0.0.0/40"], "--peer: '10.0.0.0/40': prefix length out of range (0-32)"),
    (["-a", "no-such-service-x"], "'no-such-service-x': unknown service"),
    (["-l", "70000"], "70000: port out of range (0-65535)"),
    (["--state", "bogus"], "bogus"),
])
def test_bad_filters_are_exit_2(args, msg):
    r = run("ports", *args)
    assert r.returncode == 2, r.stderr
    assert msg in r.stderr and r.stderr.startswith("netkit ports: ")
    assert r.stdout == ""


# ---- --watch ----

def unlistened():
    """A TCP socket bound to a free loopback port, not yet listening (so not listed)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s, s.getsockname()[1]


def test_watch_on_a_terminal_redraws_and_marks_changes():
    import pexpect  # python3-pexpect (packages.txt)
    s, port = unlistened()
    try:
        child = pexpect.spawn(NETKIT, ["--color", "never", "ports", "--watch", "-t", str(port)],
                              timeout=20,
                              encoding="utf-8")
        child.expect(r"every 1 s: 0 sockets")
        s.listen()
        child.expect(r"\x1b\[H\x1b\[2J")  # redrawn in place
        child.expect(r"1 socket, 1 LISTEN \(1 new, 0 gone\)")
        child.expect(r"\+tcp\s+LISTEN\s+0\s+\d+\s+127\.0\.0\.1:%d " % port)
        s.close()
        child.expect(r"0 sockets \(0 new, 1 gone\)")
        child.expect(r"-tcp\s+LISTEN\s+0\s+\d+\s+127\.0\.0\.1:%d " % port)
        child.sendintr()
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        s.close()


def test_watch_text_blocks_and_json_events(server):
    s, port = unlistened()
    try:
        w = server("ports", "--watch=1", "-t", str(port), ready=r"every 1 s: 0 sockets")
        j = server("--json", "ports", "--watch", "-t", str(port), ready=None)
        s.listen()
        w.wait_for(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*  every 1 s: 1 socket, 1 LISTEN "
                   r"\(1 new, 0 gone\)$")
        w.wait_for(r"^\+tcp\s+LISTEN")
        ev = json.loads(j.wait_for(r'"event":"opened"').string)
        assert ev["local"] == {"address": "127.0.0.1", "port": port}
        assert ev["state"] == "LISTEN" and re.match(r"\d{4}-\d\d-\d\dT", ev["time"])
        s.close()
        w.wait_for(r"\(0 new, 1 gone\)$")
        w.wait_for(r"^-tcp\s+LISTEN")
        ev = json.loads(j.wait_for(r'"event":"closed"').string)
        assert ev["local"]["port"] == port
        for p in (w, j):  # Ctrl-C ends a watch, status 0
            status, err = p.stop(sig=2)
            assert status == 0, err
    finally:
        s.close()
