# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit ports: service lookups, the host's sockets, connect scans.

Lookups are checked against `getent services`; sockets are ones this test opens (so the pid is
ours); scans run inside network namespaces the test creates, where nothing else listens.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest

from conftest import NETKIT, SOURCE, run, run_json, sh

# A listener process for namespaces: binds every port given (tcp), prints one line, then waits
# to be killed by the server fixture (at most 10 minutes, should the test runner die). Runs with `ip netns exec NS python3 -c LISTENER PORT...`.
LISTENER = r"""
import socket, sys, time
socks = []
for spec in sys.argv[1:]:
    fam, host, port = spec.split(",")
    s = socket.socket(socket.AF_INET6 if fam == "6" else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port)))
    s.listen(16)
    socks.append(s)
print("listening on", " ".join(str(s.getsockname()[1]) for s in socks), flush=True)
time.sleep(600)
"""


def getent(key):
    """`getent services KEY` -> list of (name, port, proto, aliases)."""
    r = subprocess.run(["getent", "services", key], capture_output=True, text=True)
    out = []
    for line in r.stdout.splitlines():
        f = line.split()
        port, proto = f[1].split("/")
        out.append((f[0], int(port), proto, f[2:]))
    return out


@pytest.fixture
def listeners(server):
    """Factory: listeners(netns, [(family, host, port), ...]) -> the listener Server."""

    def start(ns, specs):
        args = ["-c", LISTENER] + [f"{f},{h},{p}" for f, h, p in specs]
        s = server(*args, binary=sys.executable, netns=ns)
        return s

    return start


# ---- lookups ----

@pytest.mark.parametrize("name", ["ssh", "http", "domain", "smtp", "www", "ntp"])
def test_lookup_name_matches_getent(name):
    want = {(n, p, proto) for pr in ("tcp", "udp")
            for n, p, proto, _ in getent(f"{name}/{pr}")}
    assert want, f"netbase lacks {name}"
    got = run_json("ports", name)
    assert {(e["service"], e["port"], e["proto"]) for e in got} == want
    for e in got:
        assert e["class"] == "well-known"


@pytest.mark.parametrize("port", [22, 53, 80, 443, 3306])
def test_lookup_port_matches_getent(port):
    got = run_json("ports", port)
    assert {e["proto"] for e in got} == {"tcp", "udp"}
    for e in got:
        want = getent(f"{port}/{e['proto']}")
        if want:
            assert e["service"] == want[0][0]
            assert e["aliases"] == want[0][3]
        else:
            assert e["service"] is None and e["aliases"] == []
        assert e["port"] == port


def test_lookup_range_lists_known_services():
    got = run_json("ports", "-t", "20-25")
    want = []
    for p in range(20, 26):
        want += [(p, n) for n, _, _, _ in getent(f"{p}/tcp")]
    assert [(e["port"], e["service"]) for e in got] == want
    assert all(e["proto"] == "tcp" for e in got)


def test_lookup_of_every_port_matches_getent():
    want = set()
    for line in subprocess.run(["getent", "services"], capture_output=True,
                               text=True).stdout.splitlines():
        port, proto = line.split()[1].split("/")
        if proto in ("tcp", "udp") and int(port) > 0:
            want.add((int(port), proto))
    t0 = time.monotonic()
    got = run_json("ports", "1-65535")
    assert time.monotonic() - t0 < 10  # one pass over the database, not one per port
    assert {(e["port"], e["proto"]) for e in got} == want
    assert all(e["service"] for e in got)


def test_lookup_udp_filter_and_text():
    r = run("ports", "-u", "domain", "ssh")
    # ssh has no udp entry in netbase: unknown as udp -> exit 1, domain still answered
    assert r.returncode == 1
    assert "'ssh': unknown service" in r.stderr
    assert re.search(r"^53\s+udp\s+domain\s", r.stdout, re.M)
    assert "tcp" not in r.stdout


def test_lookup_class_and_ephemeral(netns):
    ns = netns()
    sh(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40100"])
    got = run_json("ports", "-t", "1023", "1024", "39999", "40000", "40100", "40101", "49152",
                   netns=ns)
    cls = {e["port"]: (e["class"], e["ephemeral"]) for e in got}
    assert cls == {
        1023: ("well-known", False), 1024: ("registered", False),
        39999: ("registered", False), 40000: ("registered", True),
        40100: ("registered", True), 40101: ("registered", False),
        49152: ("dynamic", False),
    }


def test_unknown_service_is_exit_1():
    r = run("ports", "ssh", "no-such-service-here")
    assert r.returncode == 1
    assert r.stderr.strip() == "netkit ports: 'no-such-service-here': unknown service"
    assert "ssh" in r.stdout


@pytest.mark.parametrize("arg,msg", [
    ("70000", "70000: port out of range (0-65535)"),
    ("0-70000", "70000: port out of range (0-65535)"),
    ("10-5", "10-5: empty range (10 > 5)"),
    ("", "'': empty port or service"),
    ("1x", "'1x': port is not a number"),
    ("10-", "'10-': not a port or range"),
])
def test_malformed_lookup_is_exit_2(arg, msg):
    r = run("ports", "ssh", arg)
    assert r.returncode == 2
    assert f"netkit ports: {msg}\n" in r.stderr
    assert "Try 'netkit ports --help'." in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("spec,msg", [
    ("0-70000", "70000: port out of range (0-65535)"),
    ("abc", "'abc': unknown service"),
    ("10-5", "10-5: empty range (10 > 5)"),
    ("", "'': empty port list"),
    ("22,,80", "'22,,80': empty item"),
    ("22,", "'22,': empty item"),
])
def test_bad_port_spec_is_exit_2(spec, msg):
    r = run("ports", "--scan", "127.0.0.1", "--ports", spec)
    assert r.returncode == 2, r.stderr
    assert f"netkit ports: {msg}\n" in r.stderr
    assert r.stdout == ""


@pytest.mark.parametrize("args", [
    ["--ports", "22"],
    ["--timeout", "100"],
    ["--scan", "127.0.0.1", "22"],
    ["--scan", "127.0.0.1", "-u", "-t"],
    ["--scan", ""],
    ["--scan", "not an address"],
    ["--scan", "a..b"],
    ["-a", "no-such-service-x"],
    ["--timeout", "0", "--scan", "127.0.0.1"],
    ["-c", "0", "--scan", "127.0.0.1"],
    ["--bogus"],
])
def test_usage_errors(args):
    r = run("ports", *args)
    assert r.returncode == 2
    assert r.stderr.startswith("netkit ports: ")
    assert r.stdout == ""


# ---- sockets ----

def my_comm():
    with open("/proc/self/comm") as f:
        return f.read().strip()


def find(entries, proto, port, state=None):
    return [e for e in entries if e["proto"] == proto and e["local"]["port"] == port
            and (state is None or e["state"] == state)]


def test_listening_sockets_with_our_pid():
    tl = socket.socket()
    tl.bind(("127.0.0.1", 0))
    tl.listen()
    ta = socket.socket()
    ta.bind(("0.0.0.0", 0))
    ta.listen()
    t6 = socket.socket(socket.AF_INET6)
    t6.bind(("::1", 0))
    t6.listen()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    ua = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ua.bind(("0.0.0.0", 0))
    socks = [tl, ta, t6, u, ua]
    try:
        got = run_json("ports", "-p")
        for s, proto, addr, exposed, state in [
            (tl, "tcp", "127.0.0.1", False, "LISTEN"), (ta, "tcp", "0.0.0.0", True, "LISTEN"),
            (t6, "tcp", "::1", False, "LISTEN"), (u, "udp", "127.0.0.1", False, "UNCONN"),
            (ua, "udp", "0.0.0.0", True, "UNCONN")]:
            port = s.getsockname()[1]
            m = find(got, proto, port)
            assert len(m) == 1, (proto, port, m)
            e = m[0]
            assert e["local"]["address"] == addr
            assert e["state"] == state
            assert e["exposed"] is exposed
            assert e["pid"] == os.getpid()
            assert e["process"] == my_comm()
            assert e["uid"] == os.getuid()
            assert e["inode"] == os.fstat(s.fileno()).st_ino
            assert e["processes"] == [{"pid": os.getpid(), "process": my_comm(),
                                       "fd": s.fileno()}]
        # Text: one aligned line per socket, header first.
        r = run("ports", "-p")
        assert r.returncode == 0
        lines = r.stdout.splitlines()
        assert lines[0].split() == ["PROTO", "STATE", "RECV-Q", "SEND-Q", "LOCAL", "PEER",
                                    "SERVICE", "EXPOSED", "PROCESS"]
        line = next(l for l in lines if f"0.0.0.0:{ta.getsockname()[1]} " in l)
        assert re.search(r"\bexposed\s+%d/%s:%d$" % (os.getpid(), re.escape(my_comm()),
                                                     ta.fileno()), line)
        starts = {len(re.match(r"\S+\s+\S+\s+\S+\s+\S+\s+", l).group(0)) for l in lines}
        assert len(starts) == 1, "LOCAL column not aligned"
    finally:
        for s in socks:
            s.close()


def test_listening_excludes_connections_all_includes_them():
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen()
    c = socket.create_connection(lst.getsockname())
    a, _ = lst.accept()
    uc = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    uc.connect(("127.0.0.1", 9))  # connected UDP: not listening
    try:
        lport, cport = lst.getsockname()[1], c.getsockname()[1]
        got = run_json("ports")
        assert not find(got, "tcp", cport)
        assert not find(got, "udp", uc.getsockname()[1])
        assert len(find(got, "tcp", lport)) == 1
        got = run_json("ports", "-a", "-p")
        client = find(got, "tcp", cport, "ESTAB")
        assert len(client) == 1
        assert client[0]["peer"] == {"address": "127.0.0.1", "port": lport}
        assert client[0]["pid"] == os.getpid()
        acc = [e for e in find(got, "tcp", lport, "ESTAB") if e["peer"]["port"] == cport]
        assert len(acc) == 1 and acc[0]["inode"] == os.fstat(a.fileno()).st_ino
        assert acc[0]["exposed"] is False
        ud = find(got, "udp", uc.getsockname()[1], "ESTAB")
        assert len(ud) == 1 and ud[0]["peer"]["port"] == 9
        # sorted: tcp before udp, then by local address and port
        keys = [(e["proto"], e["local"]["port"]) for e in got if e["local"]["address"] ==
                "127.0.0.1"]
        assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    finally:
        for s in (lst, c, a, uc):
            s.close()


def test_tcp_and_udp_filters():
    t = socket.socket()
    t.bind(("127.0.0.1", 0))
    t.listen()
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    try:
        got = run_json("ports", "-t")
        assert {e["proto"] for e in got} == {"tcp"}
        assert find(got, "tcp", t.getsockname()[1])
        got = run_json("ports", "-u")
        assert {e["proto"] for e in got} == {"udp"}
        assert find(got, "udp", u.getsockname()[1])
    finally:
        t.close()
        u.close()


def test_service_name_and_namespace_listing(netns, listeners):
    ns = netns()
    listeners(ns, [("4", "127.0.0.1", 22), ("6", "::", 80)])
    got = run_json("ports", "-t", netns=ns)
    assert [(e["local"]["address"], e["local"]["port"], e["service"], e["exposed"])
            for e in got] == [("127.0.0.1", 22, "ssh", False), ("::", 80, "http", True)]


def test_processes_of_other_users_reported(tmp_path):
    if os.getuid() != 0:  # setpriv: util-linux, on every Debian system
        pytest.skip("needs root to run as another user")
    t = socket.socket()
    t.bind(("127.0.0.1", 0))
    t.listen()
    try:
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            NETKIT, "--json", "ports", "-t", "-p"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert "cannot be inspected without root" in r.stderr
        e = find(json.loads(r.stdout), "tcp", t.getsockname()[1])[0]
        assert e["pid"] is None and e["process"] is None
    finally:
        t.close()


# ---- scans ----

def test_full_scan_finds_exactly_the_listeners(netns, listeners):
    ns = netns()
    # low, registered, and ports inside the ephemeral range (where self-connections happen)
    ports = [22, 80, 8080, 33000, 40000, 50000, 60999, 65535]
    listeners(ns, [("4", "127.0.0.1", p) for p in ports])
    for _ in range(2):
        got = run_json("ports", "--scan", "127.0.0.1", "--ports", "1-65535", netns=ns,
                       timeout=120)
        assert [o["port"] for o in got["open"]] == ports
        assert got["scanned"] == 65535
        assert got["closed"] == 65535 - len(ports)
        assert got["filtered"] == 0
        assert got["host"] == got["address"] == "127.0.0.1"
        assert {o["port"]: o["service"] for o in got["open"]}[22] == "ssh"


def test_self_connections_are_discarded(netns):
    ns = netns()
    # One ephemeral port: every connect to it from this host connects to itself.
    sh(["ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40000"])
    got = run_json("ports", "--scan", "127.0.0.1", "--ports", "39999-40001", netns=ns)
    assert got["open"] == []
    assert got["closed"] == 3
    assert got["self_connections"] >= 1


def test_scan_ipv6_and_text_output(netns, listeners):
    ns = netns()
    listeners(ns, [("6", "::1", 2222), ("6", "::1", 443)])
    r = run("ports", "--scan", "[::1]", "--ports", "440-450,2222", netns=ns)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "::1"
    assert lines[1].split() == ["PORT", "STATE", "SERVICE", "REASON"]
    assert re.search(r"^443/tcp\s+open\s+https\s+syn-ack$", r.stdout, re.M)
    assert re.search(r"^2222/tcp\s+open\s+", r.stdout, re.M)
    assert re.search(r"^441/tcp\s+closed\s+\S+\s+refused$", r.stdout, re.M)  # few: listed
    assert re.search(r"^scanned 12 ports in [0-9.]+ s: 2 open, 10 closed, 0 filtered$",
                     r.stdout, re.M)


def test_scan_a_name_scans_each_address(netns, listeners, tmp_path):
    ns = netns()
    listeners(ns, [("4", "127.0.0.1", 2222), ("6", "::1", 2223)])
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 scan-target.netkit.test\n::1 scan-target.netkit.test\n")
    r = run("--json", "ports", "--scan", "scan-target.netkit.test", "--ports", "2220-2225",
            netns=ns, env={"CARES_HOSTS": str(hosts)})
    assert r.returncode == 0, r.stderr
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    # every address the name has, IPv6 first; each finds only its own family's listener
    assert [(o["host"], o["address"], [p["port"] for p in o["open"]]) for o in objs] == [
        ("scan-target.netkit.test", "::1", [2223]),
        ("scan-target.netkit.test", "127.0.0.1", [2222])]


def test_scan_summarises_many_closed_ports(netns):
    ns = netns()
    r = run("ports", "--scan", "127.0.0.1", "--ports", "1000-1099", netns=ns)
    assert r.returncode == 0
    assert "not shown: 100 closed ports (refused)" in r.stdout
    assert "scanned 100 ports" in r.stdout


def veth_pair(netns):
    """Two namespaces joined by a veth; returns (scanner ns, address that drops, peer mac)."""
    a, b = netns(), netns()
    va, vb = "nka" + a[-6:], "nkb" + a[-6:]
    sh(["ip", "link", "add", va, "type", "veth", "peer", "name", vb])
    sh(["ip", "link", "set", va, "netns", a])
    sh(["ip", "link", "set", vb, "netns", b])
    sh(["ip", "-n", a, "addr", "add", "10.66.0.1/24", "dev", va])
    sh(["ip", "-n", a, "link", "set", va, "up"])
    sh(["ip", "-n", b, "link", "set", vb, "up"])
    mac = json.loads(sh(["ip", "-n", b, "-j", "link", "show", vb]))[0]["address"]
    # 10.66.0.2 resolves to b's interface, but b does not own that address and does not
    # forward: every SYN is silently dropped, as a DROP rule would.
    sh(["ip", "-n", a, "neigh", "add", "10.66.0.2", "lladdr", mac, "dev", va, "nud",
        "permanent"])
    return a


def test_dropped_ports_are_filtered_within_the_timeout(netns):
    ns = veth_pair(netns)
    t0 = time.monotonic()
    got = run_json("ports", "--scan", "10.66.0.2", "--ports", "22,80,443,8000-8009",
                   "--timeout", "400", "-v", netns=ns)
    elapsed = time.monotonic() - t0
    assert got["open"] == [] and got["closed"] == 0
    assert got["filtered"] == 13
    assert {(f["state"], f["reason"]) for f in got["ports"]} == {("filtered", "timeout")}
    assert [f["port"] for f in got["ports"]] == [22, 80, 443] + list(range(8000, 8010))
    assert 390 <= got["elapsed_ms"] < 1400
    assert elapsed < 10


def test_progress_line_only_on_a_terminal(netns):
    import pexpect  # python3-pexpect (packages.txt): missing, the test fails
    ns = veth_pair(netns)
    args = ["ports", "--scan", "10.66.0.2", "--ports", "1-20", "--timeout", "700"]
    r = run(*args, netns=ns)
    assert r.returncode == 0 and "scanning" not in r.stderr
    child = pexpect.spawn("ip", ["netns", "exec", ns, NETKIT] + args, timeout=20,
                          encoding="utf-8")
    child.expect(r"scanning 10\.66\.0\.2: 0/20 ports \(0%\), 0 ports/s, 0 open")
    child.expect(r"scanned 20 ports in [0-9.]+ s: 0 open, 0 closed, 20 filtered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_in_the_shell_stops_a_scan(netns):
    import pexpect  # python3-pexpect (packages.txt): missing, the test fails
    ns = veth_pair(netns)
    child = pexpect.spawn("ip", ["netns", "exec", ns, NETKIT], timeout=20, encoding="utf-8",
                          env={**os.environ, "XDG_STATE_HOME": "/nonexistent-nk-state"})
    child.expect("netkit> ")
    child.sendline("ports --scan 10.66.0.2 --ports 1-5000 --timeout 10000 -c 8")
    child.expect(r"scanning 10\.66\.0\.2: 0/5000 ports")  # would take over an hour
    t0 = time.monotonic()
    child.sendintr()
    child.expect("netkit ports: interrupted")
    child.expect("netkit> ")
    assert time.monotonic() - t0 < 5
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_ctrl_c_outside_the_shell_shows_what_it_has(netns):
    """Outside the shell, Ctrl-C ends a scan with its report so far, and exit status 1."""
    pexpect = pytest.importorskip("pexpect")
    ns = veth_pair(netns)
    child = pexpect.spawn("ip", ["netns", "exec", ns, NETKIT, "ports", "--scan", "10.66.0.2",
                                 "--ports", "1-5000", "--timeout", "10000", "-c", "8"],
                          timeout=20, encoding="utf-8")
    child.expect(r"scanning 10\.66\.0\.2: 0/5000 ports")  # would take over an hour
    t0 = time.monotonic()
    child.sendintr()
    child.expect(r"scanned 0 ports in [0-9.]+ s: 0 open, 0 closed, 0 filtered \(interrupted\)")
    child.expect(pexpect.EOF)
    child.close()
    assert time.monotonic() - t0 < 5
    assert child.exitstatus == 1 and child.signalstatus is None
    assert "interrupted" not in child.before  # the report and the status say it


@pytest.mark.parametrize("kind,reason", [("blackhole", "net-unreachable"),
                                         ("unreachable", "host-unreachable"),
                                         ("prohibit", "admin-prohibited")])
def test_unreachable_routes_are_filtered(netns, kind, reason):
    ns = netns()
    sh(["ip", "-n", ns, "route", "add", kind, "10.67.0.0/16"])
    got = run_json("ports", "--scan", "10.67.0.1", "--ports", "80,81", "--timeout", "2000",
                   "-v", netns=ns)
    assert got["filtered"] == 2
    assert {(f["state"], f["reason"]) for f in got["ports"]} == {("filtered", reason)}
    assert "ports" not in run_json("ports", "--scan", "10.67.0.1", "--ports", "80", netns=ns)
    assert got["elapsed_ms"] < 1000  # known at once, not by waiting for the timeout


def test_scan_text_lists_filtered_reason(netns):
    ns = netns()
    sh(["ip", "-n", ns, "route", "add", "unreachable", "10.68.0.0/16"])
    r = run("ports", "--scan", "10.68.0.1", "--ports", "25", netns=ns)
    assert r.returncode == 0
    assert re.search(r"^25/tcp\s+filtered\s+smtp\s+host-unreachable$", r.stdout, re.M)
    assert "0 open, 0 closed, 1 filtered" in r.stdout


def test_scan_service_names_in_port_list(netns, listeners):
    ns = netns()
    listeners(ns, [("4", "127.0.0.1", 22)])
    got = run_json("ports", "--scan", "127.0.0.1", "--ports", "ssh,http", netns=ns)
    assert got["open"] == [{"port": 22, "service": "ssh", "reason": "syn-ack"}]
    assert got["closed"] == 1


# ---- manual ----

def test_man_page_mentions_every_option():
    page = os.path.join(SOURCE, "man", "netkit-ports.1")
    text = open(page).read()
    r = subprocess.run([NETKIT, "--complete", "--", "ports", "--"], capture_output=True,
                       text=True)
    longs = [w for w in r.stdout.split() if w.startswith("--")]
    assert "--scan" in longs
    for opt in longs:
        if opt in ("--json", "--color", "--help"):
            continue
        assert f"Fl -{opt[2:]}" in text, opt
    lint = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", page],
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
