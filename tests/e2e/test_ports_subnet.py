# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit ports --scan of a whole subnet: a /28 of namespace hosts behind a bridge.

The hub namespace holds the bridge (10.70.0.1/28) and runs the scans; each host is a namespace
with a veth into that bridge. 10.70.0.2 and .3 listen on known TCP ports, .4 is firewalled with
nftables (drop, reject with admin-prohibited, reject with a reset, reject with port-unreachable),
the other addresses are down (nothing answers ARP). Findings are compared with nmap -sT.
"""
import json
import re
import subprocess
import sys

import pytest

from conftest import run, sh
from test_ports import LISTENER

PORTS = "22,25,80,443,5432,8080,8443"
FIREWALL = """
table inet nk {
  chain in {
    type filter hook input priority 0;
    tcp dport 22 drop
    tcp dport 80 reject with icmpx type admin-prohibited
    tcp dport 443 reject with tcp reset
    tcp dport 25 reject with icmp type port-unreachable
  }
}
"""
# What netkit must find on the live hosts: {address: {port: (state, reason)}}
LIVE = {
    "10.70.0.2": {22: ("open", "syn-ack"), 80: ("open", "syn-ack")},
    "10.70.0.3": {5432: ("open", "syn-ack"), 8080: ("open", "syn-ack")},
    "10.70.0.4": {22: ("filtered", "timeout"), 80: ("filtered", "admin-prohibited"),
                  443: ("closed", "refused"), 25: ("closed", "port-unreachable"),
                  8443: ("open", "syn-ack")},
}


@pytest.fixture
def subnet(netns, server):
    """The hub namespace, with hosts .2-.4 up and listening."""
    hub = netns()
    br = "nkbr" + hub[-6:]
    sh(["ip", "-n", hub, "link", "add", br, "type", "bridge"])
    sh(["ip", "-n", hub, "addr", "add", "10.70.0.1/28", "dev", br])
    sh(["ip", "-n", hub, "link", "set", br, "up"])
    listen = {"10.70.0.2": [22, 80], "10.70.0.3": [5432, 8080],
              "10.70.0.4": [22, 80, 443, 8443]}
    for i, (addr, ports) in enumerate(listen.items()):
        ns = netns()
        va, vb = f"nkh{hub[-6:]}{i}", f"nkp{hub[-6:]}{i}"
        sh(["ip", "link", "add", va, "type", "veth", "peer", "name", vb])
        sh(["ip", "link", "set", va, "netns", hub])
        sh(["ip", "link", "set", vb, "netns", ns])
        sh(["ip", "-n", hub, "link", "set", va, "master", br, "up"])
        sh(["ip", "-n", ns, "addr", "add", addr + "/28", "dev", vb])
        sh(["ip", "-n", ns, "link", "set", vb, "up"])
        server("-c", LISTENER, *[f"4,0.0.0.0,{p}" for p in ports], binary=sys.executable,
               netns=ns)
        if addr == "10.70.0.4":
            subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], input=FIREWALL,
                           text=True, check=True, timeout=30)
    return hub


def scan(hub, *args):
    r = run("--json", "ports", *args, netns=hub, timeout=120)
    assert r.returncode == 0, r.stderr
    return [json.loads(l) for l in r.stdout.splitlines()]


def findings(objs):
    return {o["address"]: {p["port"]: (p["state"], p["reason"]) for p in o["ports"]}
            for o in objs}


def test_a_subnet_per_host_with_reasons(subnet):
    objs = scan(subnet, "--scan", "10.70.0.0/28", "--ports", PORTS, "--timeout", "700", "-v")
    assert [o["address"] for o in objs] == [f"10.70.0.{i}" for i in range(16)]
    got = findings(objs)
    for addr, want in LIVE.items():
        for port, sr in want.items():
            assert got[addr][port] == sr, (addr, port)
        assert all(s == ("closed", "refused") for p, s in got[addr].items() if p not in want)
    for o in objs:
        assert o["scanned"] == 7 and o["proto"] == "tcp"
        assert o["closed"] + o["filtered"] + len(o["open"]) == 7
        want_open = [p for p, (s, _) in sorted(LIVE.get(o["address"], {}).items()) if s == "open"]
        assert [p["port"] for p in o["open"]] == want_open
    for i in range(5, 15):  # down: nobody answers ARP
        assert {s for s, _ in got[f"10.70.0.{i}"].values()} == {"filtered"}


def test_text_output_per_host_and_a_summary(subnet):
    r = run("ports", "--scan", "10.70.0.2,10.70.0.4", "--scan", "10.70.0.3", "--ports", PORTS,
            "--timeout", "700", netns=subnet, timeout=60)
    assert r.returncode == 0, r.stderr
    blocks = r.stdout.split("\n\n")
    assert [b.splitlines()[0] for b in blocks[:3]] == ["10.70.0.2", "10.70.0.4", "10.70.0.3"]
    assert re.search(r"^80/tcp\s+filtered\s+http\s+admin-prohibited$", blocks[1], re.M)
    assert re.search(r"^25/tcp\s+closed\s+smtp\s+port-unreachable$", blocks[1], re.M)
    assert re.search(r"^3 addresses, 21 ports in [0-9.]+ s: 5 open, 14 closed, 2 filtered$",
                     blocks[3], re.M)


def test_default_ports_find_what_nmap_finds(subnet):
    """1-1024 and every port /etc/services names: 5432 and 8080 (postgresql, http-alt)."""
    objs = scan(subnet, "--scan", "10.70.0.3")
    assert [(p["port"], p["service"]) for p in objs[0]["open"]] == [(5432, "postgresql"),
                                                                      (8080, "http-alt")]
    assert objs[0]["scanned"] > 1024


def test_same_findings_as_nmap(subnet):
    """Open, closed and filtered per port, for every host of the block, as nmap -sT sees them."""
    objs = scan(subnet, "--scan", "10.70.0.0/28", "--ports", PORTS, "--timeout", "700", "-v")
    ours = {a: {p: s for p, (s, _) in v.items()} for a, v in findings(objs).items()}
    r = subprocess.run(["ip", "netns", "exec", subnet, "nmap", "-sT", "-Pn", "-n", "-T4",
                        "--max-retries", "1", "-p", PORTS, "-oG", "-", "10.70.0.1-14"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    theirs = {}
    for line in r.stdout.splitlines():
        m = re.match(r"Host: (\S+) .*Ports: (.*?)(\t|$)", line)
        if m:
            theirs[m.group(1)] = {int(f.split("/")[0]): f.split("/")[1]
                                  for f in m.group(2).split(", ")}
    assert len(theirs) == 14
    for addr, ports in theirs.items():
        assert ours[addr] == ports, addr


@pytest.mark.parametrize("args,msg", [
    (["--scan", "10.0.0.0/15"], "'10.0.0.0/15': 131072 addresses, more than /16: add --force"),
    (["--scan", "fd00::/104"], "'fd00::/104': 16777216 addresses, more than /112: add --force"),
    (["--scan", "10.0.0.0/33"], "'10.0.0.0/33': prefix length out of range (0-32)"),
    (["--scan", "10.0.0.1,,10.0.0.2"], "'10.0.0.1,,10.0.0.2': empty item"),
    (["--scan", "10.0.0.1", "--scan", "db/24"], "'db/24': not an address block"),
])
def test_bad_targets_are_exit_2(args, msg):
    r = run("ports", *args)
    assert r.returncode == 2
    assert f"netkit ports: {msg}\n" in r.stderr
    assert r.stdout == ""


def test_force_allows_a_large_block_and_ports_all_is_every_port(netns):
    ns = netns()
    # /15 is refused without --force; with it, a scan of one port of 127.0.0.0/15 runs.
    r = run("--json", "ports", "--scan", "127.0.0.0/15", "--force", "--ports", "9", netns=ns,
            timeout=120)
    assert r.returncode == 0, r.stderr
    objs = [json.loads(l) for l in r.stdout.splitlines()]
    assert len(objs) == 131072
    assert objs[-1]["address"] == "127.1.255.255"
    got = json.loads(run("--json", "ports", "--scan", "127.0.0.1", "--ports", "all",
                         netns=ns, timeout=120).stdout)
    assert got["scanned"] == 65535 and got["closed"] == 65535


# ---- UDP ----

# A UDP host: echo on 7 (any data back), a DNS-like responder on 53 (answers only a query, as a
# server does: the probe must be protocol-appropriate), a bound but silent port 9 (discard).
UDP_SERVER = r"""
import select, socket
socks = {}
for port in (7, 53, 9):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    socks[s.fileno()] = (port, s)
print("listening on 7 53 9", flush=True)
while True:
    for fd in select.select(list(socks), [], [], 600)[0]:
        port, s = socks[fd]
        data, peer = s.recvfrom(2048)
        if port == 7:
            s.sendto(data, peer)
        elif port == 53 and len(data) >= 12 and data[5] == 1:  # one question: answer it
            s.sendto(data[:2] + b"\x81\x80" + data[4:], peer)
"""
UDP_FIREWALL = """
table inet nk {
  chain in {
    type filter hook input priority 0;
    udp dport 69 drop
    udp dport 70 reject with icmpx type admin-prohibited
  }
}
"""
UDP_PORTS = "1-12,53,69,70"
UDP_WANT = {7: ("open", "reply"), 53: ("open", "reply"), 9: ("open|filtered", "no-reply"),
            69: ("open|filtered", "no-reply"), 70: ("filtered", "admin-prohibited")}


@pytest.fixture
def udp_host(netns, server):
    """(scanner namespace, target address, target namespace): a veth between two namespaces; the target runs
    UDP_SERVER behind UDP_FIREWALL, with the kernel's default ICMP rate limit."""
    a, b = netns(), netns()
    va, vb = "nku" + a[-6:], "nkv" + a[-6:]
    sh(["ip", "link", "add", va, "type", "veth", "peer", "name", vb])
    sh(["ip", "link", "set", va, "netns", a])
    sh(["ip", "link", "set", vb, "netns", b])
    sh(["ip", "-n", a, "addr", "add", "10.71.0.1/24", "dev", va])
    sh(["ip", "-n", b, "addr", "add", "10.71.0.2/24", "dev", vb])
    sh(["ip", "-n", a, "link", "set", va, "up"])
    sh(["ip", "-n", b, "link", "set", vb, "up"])
    server("-c", UDP_SERVER, binary=sys.executable, netns=b)
    subprocess.run(["ip", "netns", "exec", b, "nft", "-f", "-"], input=UDP_FIREWALL,
                   text=True, check=True, timeout=30)
    return a, "10.71.0.2", b


def test_udp_scan_states_and_reasons(udp_host):
    ns, addr, _ = udp_host
    objs = scan(ns, "-u", "--scan", addr, "--ports", UDP_PORTS, "-v")
    o = objs[0]
    assert o["proto"] == "udp" and o["scanned"] == 15
    got = {p["port"]: (p["state"], p["reason"]) for p in o["ports"]}
    for port, sr in UDP_WANT.items():
        assert got[port] == sr, port
    # every other port closed, port unreachable: more than the target's burst of ICMP errors
    # (6), so this holds only because the retries are paced
    assert {got[p] for p in got if p not in UDP_WANT} == {("closed", "port-unreachable")}
    assert [(p["port"], p["service"]) for p in o["open"]] == [(7, "echo"), (53, "domain")]
    assert o["closed"] == 10 and o["filtered"] == 3


def test_udp_text_output(udp_host):
    ns, addr, _ = udp_host
    r = run("ports", "-u", "--scan", addr, "--ports", "7,9,11", netns=ns, timeout=60)
    assert r.returncode == 0, r.stderr
    assert re.search(r"^7/udp\s+open\s+echo\s+reply$", r.stdout, re.M)
    assert re.search(r"^9/udp\s+open\|filtered\s+discard\s+no-reply$", r.stdout, re.M)
    assert re.search(r"^11/udp\s+closed\s+\S+\s+port-unreachable$", r.stdout, re.M)
    assert "3 ports" in r.stdout and "1 open, 1 closed, 1 filtered" in r.stdout


def test_udp_same_findings_as_nmap(udp_host):
    """nmap paced to the target's ICMP rate limit (--scan-delay 1s: left to itself, nmap -sU
    reports some closed ports of a Linux host as open|filtered, their ICMP errors suppressed);
    netkit paces its retries by itself."""
    ns, addr, _ = udp_host
    r = subprocess.run(["ip", "netns", "exec", ns, "nmap", "-sU", "-Pn", "-n", "--scan-delay", "1s",
                        "-p", UDP_PORTS,
                        "-oG", "-", addr], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    m = re.search(r"Ports: (.*?)(\t|$)", r.stdout, re.M)
    theirs = {int(f.split("/")[0]): f.split("/")[1] for f in m.group(1).split(", ")}
    ours = {p["port"]: p["state"]
            for p in scan(ns, "-u", "--scan", addr, "--ports", UDP_PORTS, "-v")[0]["ports"]}
    assert ours == theirs


def test_udp_canaries_tell_silence_from_a_suppressed_icmp(udp_host):
    """With the target's per-peer ICMP limit off, 57 closed ports answer within its global
    burst only in part (net.ipv4.icmp_msgs_burst): the retries' canaries show the target
    answering, so the dropped port is open|filtered and every closed port is found closed."""
    ns, addr, target = udp_host
    sh(["ip", "netns", "exec", target, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0"])
    o = scan(ns, "-u", "--scan", addr, "--ports", "1-60,69,70", "-v")[0]
    got = {p["port"]: p["state"] for p in o["ports"]}
    assert got[69] == "open|filtered" and got[70] == "filtered"
    assert got[7] == got[53] == "open" and got[9] == "open|filtered"
    assert {got[p] for p in range(1, 61) if p not in (7, 9, 53)} == {"closed"}
    assert o["closed"] == 57


def test_udp_and_tcp_together_is_exit_2():
    r = run("ports", "-u", "-t", "--scan", "127.0.0.1")
    assert r.returncode == 2
    assert "one protocol per scan" in r.stderr
