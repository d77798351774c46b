# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit trace across hosts made of network namespaces this test creates.

client (c) -- r1 -- r2 -- server (s): three veth links, IPv4 and IPv6, forwarding on in the
routers. The server runs netkit echo-serve (TCP and UDP, port 0, read from its ready line).
Faults are injected with ip route and nftables in the namespaces; names come from a knotd in
the server's namespace (-s, or the client's /etc/netns/NAME/resolv.conf) or a hosts file
(CARES_HOSTS, or /etc/netns/NAME/hosts). Every verdict is reached at least once
and the JSON is checked against the contract's field names (netkit-trace(1)).
"""
import json
import os
import shutil
import re
import subprocess
import sys

import pytest

from conftest import run, sh
from knot import Knot

HERE = os.path.dirname(os.path.abspath(__file__))

TOP_KEYS = {"host", "port", "proto", "name", "route", "neighbor", "path", "service", "connect",
            "verdict", "reason"}
NAME_KEYS = {"source", "server", "cname", "addresses", "ttl", "time_ms", "status"}
ROUTE_KEYS = {"address", "type", "dev", "src", "gateway", "mtu", "error"}
NEIGH_KEYS = {"address", "lladdr", "vendor", "state", "resolved_now"}
HOP_KEYS = {"ttl", "address", "rtt_ms", "mtu", "icmp"}
CONNECT_KEYS = {"state", "rtt_ms", "local", "peer", "from", "icmp", "count", "lost",
                "rtt_ms_min", "rtt_ms_avg", "rtt_ms_max"}
VERDICTS = {"reachable", "no-name", "dns-error", "no-route", "no-neighbor", "refused",
            "unreachable", "timeout", "closed", "open|filtered"}

# The three links: (left ns index, its v4, v6), (right ns index, its v4, v6).
LINKS = [((0, "10.1.0.2", "fd01::2"), (1, "10.1.0.1", "fd01::1")),
         ((1, "10.2.0.1", "fd02::1"), (2, "10.2.0.2", "fd02::2")),
         ((2, "10.3.0.1", "fd03::1"), (3, "10.3.0.2", "fd03::2"))]
SERVER4, SERVER6 = "10.3.0.2", "fd03::2"


def nsx(ns, *cmd):
    return sh(["ip", "netns", "exec", ns, *cmd])


def nft(ns, script):
    """Load an nftables script into ns (a table of this test's own)."""
    script = script.replace("{ chain", "{\nchain").replace("; tcp", ";\ntcp").replace(
        "; udp", ";\nudp").replace("; icmp", ";\nicmp")
    r = subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=script,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr


class Topo:
    """c, r1, r2, s joined by veth pairs; mtu: the r2-s link's MTU (both ends)."""

    def __init__(self, netns, mtu=None):
        self.ns = [netns() for _ in range(4)]
        self.c, self.r1, self.r2, self.s = self.ns
        for ns in self.ns:  # no duplicate address detection: addresses usable at once
            nsx(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0",
                "net.ipv6.conf.all.accept_dad=0")
        for i, ((a, a4, a6), (b, b4, b6)) in enumerate(LINKS):
            va, vb = f"t{i}a{self.c[-6:]}", f"t{i}b{self.c[-6:]}"
            sh(["ip", "link", "add", va, "netns", self.ns[a], "type", "veth", "peer", "name", vb,
                "netns", self.ns[b]])
            for ns, dev, v4, v6 in ((self.ns[a], va, a4, a6), (self.ns[b], vb, b4, b6)):
                sh(["ip", "-n", ns, "addr", "add", v4 + "/24", "dev", dev])
                sh(["ip", "-n", ns, "addr", "add", v6 + "/64", "dev", dev, "nodad"])
                if mtu and i == 2:
                    sh(["ip", "-n", ns, "link", "set", dev, "mtu", str(mtu)])
                sh(["ip", "-n", ns, "link", "set", dev, "up"])
        for r in (self.r1, self.r2):
            nsx(r, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1")
        routes = [(self.c, "default", "10.1.0.1", "default", "fd01::1"),
                  (self.r1, "10.3.0.0/24", "10.2.0.2", "fd03::/64", "fd02::2"),
                  (self.r2, "10.1.0.0/24", "10.2.0.1", "fd01::/64", "fd02::1"),
                  (self.s, "default", "10.3.0.1", "default", "fd03::1")]
        for ns, d4, g4, d6, g6 in routes:
            sh(["ip", "-n", ns, "route", "add", d4, "via", g4])
            sh(["ip", "-n", ns, "-6", "route", "add", d6, "via", g6])


@pytest.fixture
def topo(netns):
    return Topo(netns)


@pytest.fixture
def echo(topo, server):
    """echo-serve (TCP and UDP) in the server's namespace; returns its port."""
    s = server("echo-serve", "-v", "-u", 0, netns=topo.s, ready=r"listening on tcp 0\.0\.0\.0:")
    m = re.search(r":(\d+)\s*$", s.lines[-1])
    topo.echo = s
    return int(m.group(1))


@pytest.fixture(autouse=True)
def no_hosts(tmp_path, monkeypatch):
    """An empty hosts file: no name test reads the machine's (or the namespace's) /etc/hosts."""
    p = tmp_path / "hosts"
    p.write_text("")
    monkeypatch.setenv("CARES_HOSTS", str(p))
    return p


def trace(topo, *args, timeout_ms=1500, env=None):
    """netkit --json trace ARGS in the client namespace: (CompletedProcess, parsed object)."""
    r = run("--json", "trace", "--timeout", timeout_ms, *args, netns=topo.c, env=env, timeout=60)
    assert r.returncode in (0, 1), r.stderr
    lines = [line for line in r.stdout.splitlines() if line]
    objs = [json.loads(line) for line in lines]
    for o in objs:
        check_shape(o)
    return r, objs[0] if len(objs) == 1 else objs


def check_shape(o):
    """Every field of the contract is there, with nothing else; nulls where a step did not run."""
    assert set(o) == TOP_KEYS, set(o) ^ TOP_KEYS
    assert o["verdict"] in VERDICTS
    assert set(o["name"]) == NAME_KEYS
    if o["route"] is not None:
        assert set(o["route"]) - {"time_ms"} == ROUTE_KEYS
    if o["neighbor"] is not None:
        assert set(o["neighbor"]) - {"time_ms"} == NEIGH_KEYS
    if o["path"] is not None:
        assert set(o["path"]) == {"hops", "reached", "pmtu"}
        for h in o["path"]["hops"]:
            assert set(h) == HOP_KEYS
            if h["icmp"] is not None:
                assert set(h["icmp"]) == {"type", "code"}
    if o["service"] is not None:
        assert set(o["service"]) == {"port", "name", "class"}
    if o["connect"] is not None:
        assert set(o["connect"]) == CONNECT_KEYS


def hop_addrs(o):
    return [h["address"] for h in o["path"]["hops"]]


# ---- all well ----

def test_reachable_tcp_every_step(topo, echo):
    r, o = trace(topo, SERVER4, echo)
    assert r.returncode == 0 and o["verdict"] == "reachable", o
    assert o["name"]["source"] == "literal" and o["name"]["addresses"] == [SERVER4]
    assert o["route"]["gateway"] == "10.1.0.1" and o["route"]["src"] == "10.1.0.2"
    assert o["route"]["type"] == "unicast" and o["route"]["dev"].startswith("t0a")
    assert o["neighbor"]["address"] == "10.1.0.1"
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", o["neighbor"]["lladdr"])
    assert "REACHABLE" in o["neighbor"]["state"] or "STALE" in o["neighbor"]["state"] \
        or "DELAY" in o["neighbor"]["state"]
    assert o["neighbor"]["resolved_now"] is True  # a fresh namespace: ARP ran for us
    assert hop_addrs(o) == ["10.1.0.1", "10.2.0.2", SERVER4]
    assert o["path"]["reached"] is True and o["path"]["pmtu"] == 1500
    c = o["connect"]
    assert c["state"] == "open" and c["rtt_ms"] > 0
    assert c["peer"] == {"address": SERVER4, "port": echo}
    assert c["local"]["address"] == "10.1.0.2" and c["local"]["port"] > 0
    # The server's own -v event line names the same socket pair.
    topo.echo.wait_for(re.escape(f"10.1.0.2:{c['local']['port']}"))
    assert o["service"]["port"] == echo and o["service"]["class"] in ("registered", "dynamic")


def test_text_names_every_step(topo, echo):
    r = run("trace", "--timeout", 1500, SERVER4, echo, netns=topo.c)
    assert r.returncode == 0, r.stderr
    for word in ("name", "route", "neighbor", "path", "port", "connect", "verdict"):
        assert re.search(rf"^{word}\s", r.stdout, re.M), r.stdout
    assert "verdict   reachable" in r.stdout


def test_ipv6_reachable(topo, echo):
    # IPv6 gets 3 s: a fresh namespace's first neighbour discovery can cost a SYN retransmit.
    r, o = trace(topo, SERVER6, echo, timeout_ms=3000)
    assert o["verdict"] == "reachable", o
    assert o["route"]["gateway"] == "fd01::1"
    assert hop_addrs(o) == ["fd01::1", "fd02::2", SERVER6]
    assert o["connect"]["local"]["address"] == "fd01::2"


def test_path_mtu_is_the_smallest_link(netns, server):
    t = Topo(netns, mtu=1280)
    for dst in (SERVER4, SERVER6):
        r, o = trace(t, dst, timeout_ms=3000)
        assert o["path"]["pmtu"] == 1280, o
        # The router that said "fragmentation needed" carries the MTU on its hop.
        mtus = [h["mtu"] for h in o["path"]["hops"]]
        assert mtus[1] == 1280, o["path"]


def test_no_port_is_a_path_trace(topo):
    r, o = trace(topo, SERVER4)
    assert r.returncode == 0 and o["verdict"] == "reachable", o
    assert o["connect"] is None and o["service"] is None and o["port"] is None
    assert hop_addrs(o)[-1] == SERVER4


def test_count_is_a_tcp_ping(topo, echo):
    r, o = trace(topo, "-c", 3, "--no-path", SERVER4, echo)
    c = o["connect"]
    assert c["count"] == 3 and c["lost"] == 0, c
    assert 0 < c["rtt_ms_min"] <= c["rtt_ms_avg"] <= c["rtt_ms_max"]
    assert o["path"] is None  # --no-path and the connect worked


# ---- names ----

ZONE = """$ORIGIN trace.test.
$TTL 300
@    IN SOA ns.trace.test. h.trace.test. 1 3600 900 604800 300
@    IN NS  ns
ns   IN A   10.3.0.2
www  120 IN A 10.3.0.2
www  120 IN AAAA fd03::2
alias IN CNAME www
"""


class NsKnot(Knot):
    """knotd in namespace ns on addr (the server's namespace), readiness polled from there."""

    def __init__(self, workdir, zones, ns, addr, port=None):
        self.ns, self.addr, self.fixed_port = ns, addr, port
        super().__init__(workdir, zones)

    def _start(self, zones):
        super()._start(zones)
        self.proc.kill()  # restart it inside the namespace, listening on addr
        self.proc.wait(timeout=10)
        conf = os.path.join(self.workdir, "knot.conf")
        text = open(conf).read().replace("127.0.0.1@", self.addr + "@")
        if self.fixed_port:  # the namespace is the test's own: any port is free there
            text = text.replace(f"@{self.port}", f"@{self.fixed_port}")
            self.port = self.fixed_port
        open(conf, "w").write(text)
        self.proc = subprocess.Popen(["ip", "netns", "exec", self.ns, "/usr/sbin/knotd", "-c",
                                      conf], stdin=subprocess.DEVNULL, stdout=self.logf,
                                     stderr=self.logf)

    def _ready(self, tries):
        code = (f"import sys; sys.path.insert(0, {HERE!r}); import knot, socket\n"
                f"knot.socket = socket\n"
                f"orig = socket.socket.sendto\n"
                f"for _ in range({tries}):\n"
                f"    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)\n"
                f"    try:\n"
                f"        s.sendto(knot.query_packet('trace.test'), ({self.addr!r}, {self.port}))\n"
                f"        s.recvfrom(4096); sys.exit(0)\n"
                f"    except OSError: pass\n"
                f"sys.exit(1)\n")
        if self.proc.poll() is not None:
            return False
        r = subprocess.run(["ip", "netns", "exec", self.ns, sys.executable, "-c", code],
                           timeout=60)
        return r.returncode == 0

    @property
    def server(self):
        return f"{self.addr}:{self.port}"


@pytest.fixture
def knot(topo, tmp_path):
    z = tmp_path / "trace.test.zone"
    z.write_text(ZONE)
    k = NsKnot(str(tmp_path), {"trace.test": str(z)}, topo.s, SERVER4)
    yield k
    k.stop()


def test_name_from_dns_with_cname(topo, echo, knot):
    r, o = trace(topo, "-s", knot.server, "-4", "alias.trace.test", echo)
    assert o["verdict"] == "reachable", o
    n = o["name"]
    assert n["source"] == "dns" and n["server"] == knot.server
    assert n["cname"] == ["www.trace.test."] and n["addresses"] == [SERVER4]
    assert n["ttl"] == 120 and n["status"] == "NOERROR"


def test_all_addresses(topo, echo, knot):
    r, objs = trace(topo, "-s", knot.server, "-a", "www.trace.test", echo)
    assert [o["route"]["address"] for o in objs] == [SERVER6, SERVER4]
    assert all(o["verdict"] == "reachable" for o in objs)


def test_nxdomain_is_no_name(topo, knot):
    r, o = trace(topo, "-s", knot.server, "nope.trace.test", 80)
    assert r.returncode == 1 and o["verdict"] == "no-name", o
    assert o["name"]["status"] == "NXDOMAIN" and o["route"] is None and o["connect"] is None
    assert "nope.trace.test" in o["reason"]


def test_dns_error(topo):
    # Nothing answers DNS on the server's address (no knotd here): refused at once.
    r, o = trace(topo, "-s", SERVER4 + ":53", "www.trace.test", 80)
    assert r.returncode == 1 and o["verdict"] == "dns-error", o


def test_names_from_the_namespace_files(topo, echo, tmp_path, monkeypatch):
    """No -s: the client namespace's own hosts file and resolv.conf, which `ip netns exec` binds
    over /etc from /etc/netns/NAME/ (a knotd on port 53 of the server's namespace answers)."""
    z = tmp_path / "trace.test.zone"
    z.write_text(ZONE)
    k = NsKnot(str(tmp_path), {"trace.test": str(z)}, topo.s, SERVER4, port=53)
    etc = f"/etc/netns/{topo.c}"
    os.makedirs(etc, exist_ok=True)
    try:
        with open(f"{etc}/hosts", "w") as f:
            f.write(f"{SERVER4} web.netns.test\n")
        with open(f"{etc}/resolv.conf", "w") as f:
            f.write(f"nameserver {SERVER4}\n")
        monkeypatch.delenv("CARES_HOSTS")
        env = {"NETKIT_RESOLV_CONF": ""}  # the namespace's /etc/resolv.conf, not the harness's
        r, o = trace(topo, "web.netns.test", echo, env=env)
        assert o["name"]["source"] == "hosts" and o["verdict"] == "reachable", o
        r, o = trace(topo, "-4", "alias.trace.test", echo, env=env)
        assert o["name"]["source"] == "dns" and o["name"]["server"] == f"{SERVER4}:53", o
        assert o["name"]["cname"] == ["www.trace.test."] and o["verdict"] == "reachable", o
    finally:
        shutil.rmtree(etc, ignore_errors=True)
        k.stop()


def test_name_only_in_hosts_file(topo, echo, no_hosts):
    no_hosts.write_text(f"{SERVER4} web.hosts.test\n")
    r, o = trace(topo, "web.hosts.test", echo)
    assert o["verdict"] == "reachable", o
    assert o["name"]["source"] == "hosts" and o["name"]["addresses"] == [SERVER4]
    assert o["name"]["server"] is None


# ---- route and next hop ----

def test_no_route(topo):
    sh(["ip", "-n", topo.c, "route", "del", "default"])
    r, o = trace(topo, SERVER4, 80)
    assert r.returncode == 1 and o["verdict"] == "no-route", o
    assert o["route"]["error"] and o["route"]["type"] is None
    assert o["reason"] == f"no route to {SERVER4}"
    assert o["neighbor"] is None and o["path"] is None and o["connect"] is None


@pytest.mark.parametrize("kind", ["blackhole", "prohibit", "unreachable"])
def test_refusing_routes(topo, kind):
    sh(["ip", "-n", topo.c, "route", "add", kind, "10.9.0.0/24"])
    r, o = trace(topo, "10.9.0.1", 80)
    assert o["verdict"] == "no-route" and o["route"]["type"] == kind, o
    assert kind in o["reason"]


def test_missing_gateway_is_no_neighbor(topo):
    sh(["ip", "-n", topo.c, "route", "add", "10.7.0.0/24", "via", "10.1.0.99"])
    r, o = trace(topo, "10.7.0.1", 80, timeout_ms=1000)
    assert r.returncode == 1 and o["verdict"] == "no-neighbor", o
    assert o["neighbor"]["address"] == "10.1.0.99" and o["neighbor"]["lladdr"] is None
    assert "10.1.0.99" in o["reason"] and "ARP" in o["reason"]


# ---- the port ----

def test_closed_port_is_refused(topo, echo):
    r, o = trace(topo, SERVER4, echo + 1 if echo < 65535 else echo - 1)
    assert r.returncode == 1 and o["verdict"] == "refused", o
    assert o["connect"]["state"] == "refused" and o["connect"]["from"] == SERVER4
    assert "refused" in o["reason"]


def test_tcp_reset_from_a_firewall_is_refused(topo, echo):
    nft(topo.s, f"table inet nk {{ chain in {{ type filter hook input priority 0; "
                f"tcp dport {echo} reject with tcp reset; }}\n}}\n")
    r, o = trace(topo, "--no-path", SERVER4, echo)
    assert o["verdict"] == "refused", o


@pytest.mark.parametrize("how,code,words", [("admin-prohibited", 13, "administratively prohibited"),
                                            ("host-unreachable", 1, "host unreachable")])
def test_router_rejects_with_icmp(topo, echo, how, code, words):
    nft(topo.r2, f"table inet nk {{ chain fw {{ type filter hook forward priority 0; "
                 f"tcp dport {echo} reject with icmpx type {how}; }}\n}}\n")
    r, o = trace(topo, SERVER4, echo)
    assert r.returncode == 1 and o["verdict"] == "unreachable", o
    c = o["connect"]
    assert c["state"] == "unreachable" and c["from"] == "10.2.0.2"
    assert c["icmp"] == {"type": 3, "code": code}
    assert o["reason"] == f"10.2.0.2 rejects it ({words})"


def test_router_drops_is_timeout_naming_the_last_hop(topo, echo):
    nft(topo.r2, f"table inet nk {{ chain fw {{ type filter hook forward priority 0; "
                 f"tcp dport {echo} drop; }}\n}}\n")
    r, o = trace(topo, SERVER4, echo, timeout_ms=1000)
    assert r.returncode == 1 and o["verdict"] == "timeout", o
    assert o["connect"]["state"] == "timeout"
    assert hop_addrs(o)[:2] == ["10.1.0.1", "10.2.0.2"] and o["path"]["reached"] is False
    assert "up to hop 2 (10.2.0.2)" in o["reason"] and "after hop 3" in o["reason"]


def test_drop_with_no_path_still_finds_the_hops(topo, echo):
    nft(topo.r2, f"table inet nk {{ chain fw {{ type filter hook forward priority 0; "
                 f"tcp dport {echo} drop; }}\n}}\n")
    r, o = trace(topo, "--no-path", SERVER4, echo, timeout_ms=1000)
    assert o["verdict"] == "timeout" and "up to hop 2" in o["reason"], o


def test_silent_router_in_the_middle(topo, echo):
    nft(topo.r1, "table inet nk { chain out { type filter hook output priority 0; "
                 "icmp type time-exceeded drop; icmpv6 type time-exceeded drop; }\n}\n")
    r, o = trace(topo, SERVER4, echo)
    assert o["verdict"] == "reachable", o
    assert hop_addrs(o) == [None, "10.2.0.2", SERVER4]


# ---- UDP ----

def test_udp_open(topo, echo):
    r, o = trace(topo, "-u", SERVER4, echo)
    assert r.returncode == 0 and o["verdict"] == "reachable", o
    assert o["proto"] == "udp" and o["connect"]["state"] == "open"


def test_udp_closed(topo, echo):
    r, o = trace(topo, "-u", SERVER4, echo + 1 if echo < 65535 else echo - 1)
    assert r.returncode == 1 and o["verdict"] == "closed", o
    assert o["connect"]["state"] == "closed" and o["connect"]["from"] == SERVER4


def test_udp_filtered(topo, echo):
    nft(topo.r2, f"table inet nk {{ chain fw {{ type filter hook forward priority 0; "
                 f"udp dport {echo} drop; }}\n}}\n")
    r, o = trace(topo, "-u", SERVER4, echo, timeout_ms=1000)
    assert r.returncode == 1 and o["verdict"] == "open|filtered", o


def test_ipv6_router_rejects(topo, echo):
    nft(topo.r2, f"table inet nk {{ chain fw {{ type filter hook forward priority 0; "
                 f"tcp dport {echo} reject with icmpx type admin-prohibited; }}\n}}\n")
    r, o = trace(topo, SERVER6, echo, timeout_ms=3000)
    assert o["verdict"] == "unreachable" and o["connect"]["from"] == "fd02::2", o
    assert o["connect"]["icmp"] == {"type": 1, "code": 1}


# ---- bad input ----

@pytest.mark.parametrize("args", [[], ["a", "1", "2"], ["10.0.0.1", "0"], ["10.0.0.1", "nosuchsvc"],
                                  ["--max-hops", "0", "10.0.0.1"], ["-c", "2", "10.0.0.1"],
                                  ["-s", "not an address", "x.test"]])
def test_bad_input_exits_2(args):
    r = run("trace", *args)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert r.stderr.startswith("netkit trace: ")


# ---- against tracepath ----

def tracepath_hops(ns, dst):
    """{ttl: address} of the hops `tracepath -n` reports. A line that reports a "pmtu" is the
    router that said "fragmentation needed", printed at the TTL of the probe it refused: not
    that TTL's hop (netkit puts the MTU on that router's own hop)."""
    r = subprocess.run(["ip", "netns", "exec", ns, "tracepath", "-n", "-m", "10", dst],
                       capture_output=True, text=True, timeout=60)
    hops = {}
    for m in re.finditer(r"^\s*(\d+):\s+([0-9a-f.:]+)\s(.*)$", r.stdout, re.M):
        if "pmtu" not in m.group(3):
            hops.setdefault(int(m.group(1)), m.group(2))
    pmtu = re.search(r"pmtu (\d+)", r.stdout.splitlines()[-1])
    return hops, int(pmtu.group(1)) if pmtu else None, r.stdout


@pytest.mark.parametrize("dst", [SERVER4, SERVER6])
def test_hops_equal_tracepath(netns, dst):
    t = Topo(netns, mtu=1280)
    want, pmtu, out = tracepath_hops(t.c, dst)
    r, o = trace(t, dst, timeout_ms=3000)
    got = {h["ttl"]: h["address"] for h in o["path"]["hops"] if h["address"]}
    assert got == want, out
    assert o["path"]["pmtu"] == pmtu == 1280, out


def test_batch_shell_knows_trace(netns):
    ns = netns()  # loopback only: nothing listens on port 1
    r = run(input="trace --no-path 127.0.0.1 1\nhelp trace\n", netns=ns)
    assert "verdict   refused: nothing listens on 127.0.0.1:1 (refused)" in r.stdout, r.stderr
    assert "Usage: netkit trace" in r.stdout or "trace [OPTIONS] HOST" in r.stdout


def test_route_error_says_the_route_type(topo):
    sh(["ip", "-n", topo.c, "route", "add", "blackhole", "10.9.0.0/24"])
    r = run("trace", "10.9.0.1", 80, netns=topo.c)
    assert r.returncode == 1
    assert "route     10.9.0.1 blackhole: blackhole route" in r.stdout, r.stdout
    assert "verdict   no-route: no route to 10.9.0.1 (a blackhole route)" in r.stdout
