# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit ifaces against iproute2 on this host and in namespaces the tests build.

Every network change happens inside namespaces created here (conftest's `netns` factory); the
only traffic is a ping between two of them over a veth pair.
"""
import json
import os
import socket
import subprocess

import pytest

from conftest import FIXTURES, run, run_json, sh

OUI_SAMPLE = os.path.join(FIXTURES, "oui-sample.txt")
MAC0 = "00:16:3e:12:34:56"  # universally administered: the Xen OUI has a vendor
MAC1 = "02:00:00:00:00:02"  # locally administered: never a vendor


@pytest.fixture(autouse=True)
def oui_cache(tmp_path, monkeypatch):
    """Each test's own OUI index cache, never the user's."""
    path = tmp_path / "cache" / "oui.idx"
    monkeypatch.setenv("NETKIT_OUI_CACHE", str(path))
    return path


def ip_json(*args, netns=None):
    pre = ["-n", netns] if netns else []
    return json.loads(sh(["ip", *pre, "-j", *args]) or "[]")


def by_name(items):
    return {i["ifname"]: i for i in items}


LINK_KEYS = ("ifindex", "ifname", "flags", "mtu", "qdisc", "operstate", "group", "txqlen",
             "link_type", "address", "broadcast", "link", "link_index", "link_netnsid", "master")


def assert_same_links(mine, theirs):
    """Every field ip prints for links and addresses is there with ip's value."""
    assert [i["ifname"] for i in mine] == [i["ifname"] for i in theirs]
    for m, t in zip(mine, theirs):
        for k in LINK_KEYS:
            assert m.get(k) == t.get(k), (m["ifname"], k)
        assert len(m["addr_info"]) == len(t["addr_info"]), m["ifname"]
        for ma, ta in zip(m["addr_info"], t["addr_info"]):
            for k in set(ma) | set(ta):
                if k.endswith("_life_time") and ta.get(k) != 4294967295:
                    assert abs(ma[k] - ta[k]) <= 5, (m["ifname"], k)  # counts down
                elif k == "tentative":
                    pass  # duplicate address detection may end between the two dumps
                else:
                    assert ma.get(k) == ta.get(k), (m["ifname"], k)


@pytest.fixture
def pair(netns):
    """Namespaces a and b joined by veth v0 (in a) - v1 (in b), both MTU 1400, up, addressed."""
    a, b = netns(), netns()
    sh(["ip", "-n", a, "link", "add", "v0", "address", MAC0, "mtu", "1400", "type", "veth",
        "peer", "name", "v1", "netns", b, "address", MAC1, "mtu", "1400"])
    for cmd in (["-n", a, "addr", "add", "10.77.0.1/24", "brd", "+", "dev", "v0"],
                ["-n", a, "addr", "add", "10.77.0.2/24", "dev", "v0"],
                ["-n", a, "addr", "add", "fd00:77::1/64", "dev", "v0", "nodad"],
                ["-n", b, "addr", "add", "10.77.0.9/24", "dev", "v1"],
                ["-n", b, "addr", "add", "fd00:77::9/64", "dev", "v1", "nodad"],
                ["-n", a, "link", "set", "v0", "up"],
                ["-n", b, "link", "set", "v1", "up"]):
        sh(["ip", *cmd])
    return a, b


def test_json_equals_ip_addr_on_this_host():
    # Other work on this host may add or drop interfaces between the two dumps: retry a little.
    for attempt in range(3):
        theirs = ip_json("addr")
        mine = run_json("ifaces")
        if [i["ifindex"] for i in mine] == [i["ifindex"] for i in theirs] or attempt == 2:
            break
    assert_same_links(mine, theirs)


def test_veth_pair_seen_exactly(pair):
    a, _ = pair
    mine = run_json("ifaces", netns=a, env={"NETKIT_OUI_FILE": OUI_SAMPLE})
    assert_same_links(mine, ip_json("addr", netns=a))
    v0 = by_name(mine)["v0"]
    assert v0["mtu"] == 1400
    assert v0["address"] == MAC0
    assert v0["vendor"] == "Xensource, Inc."
    assert v0["link_type"] == "ether"
    assert v0["operstate"] == "UP"
    assert v0["flags"] == ["BROADCAST", "MULTICAST", "UP", "LOWER_UP"]
    assert "link_index" in v0 and "link_netnsid" in v0  # the peer lives in another namespace
    addrs = [(x["family"], x["local"], x["prefixlen"]) for x in v0["addr_info"]]
    assert addrs[:3] == [("inet", "10.77.0.1", 24), ("inet", "10.77.0.2", 24),
                         ("inet6", "fd00:77::1", 64)]
    first, second, v6 = v0["addr_info"][:3]
    assert first["broadcast"] == "10.77.0.255" and first["scope"] == "global"
    assert first["label"] == "v0" and "secondary" not in first
    assert second["secondary"] is True
    assert v6["nodad"] is True and v6["scope"] == "global" and "label" not in v6
    lo = by_name(mine)["lo"]
    assert lo["link_type"] == "loopback" and "vendor" not in lo


def test_text_output(pair):
    a, _ = pair
    r = run("ifaces", netns=a, env={"NETKIT_OUI_FILE": OUI_SAMPLE})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    head = next(line for line in lines if " v0@if" in line)
    assert "UP" in head and "mtu 1400" in head and "<BROADCAST,MULTICAST,UP,LOWER_UP>" in head
    assert any(MAC0 in line and "(Xensource, Inc.)" in line for line in lines)
    inet = [line.split() for line in lines if line.strip().startswith("inet ")]
    assert ["inet", "10.77.0.1/24", "scope", "global", "brd", "10.77.0.255"] in inet
    assert ["inet", "10.77.0.2/24", "scope", "global", "secondary"] in inet
    # Addresses line up in columns.
    cols = {line.index("scope") for line in lines if line.strip().startswith("inet")}
    assert len(cols) == 1
    assert "\033[" not in r.stdout  # not a terminal: no colour
    r = run("--color=always", "ifaces", netns=a)
    assert "\033[" in r.stdout


def test_vendor_file_missing_is_not_an_error(pair):
    a, _ = pair
    r = run("--json", "ifaces", "v0", netns=a, env={"NETKIT_OUI_FILE": "/nonexistent/oui.txt"})
    assert r.returncode == 0 and r.stderr == ""
    assert "vendor" not in json.loads(r.stdout)[0]


def test_vendor_from_the_real_registry(pair, oui_cache):
    assert os.path.exists("/usr/share/ieee-data/oui.txt"), "ieee-data (packages.txt): missing"
    a, _ = pair
    (v0,) = run_json("ifaces", "v0", netns=a)  # builds the index
    assert v0["vendor"] == "Xensource, Inc."
    assert oui_cache.stat().st_size > 100000
    (v0,) = run_json("ifaces", "v0", netns=a)  # reads it
    assert v0["vendor"] == "Xensource, Inc."
    (v0,) = run_json("ifaces", "v0", netns=a, env={"NETKIT_OUI_CACHE": ""})  # direct search
    assert v0["vendor"] == "Xensource, Inc."


def test_neighbours_after_ping(pair):
    a, b = pair
    sh(["ip", "netns", "exec", a, "ping", "-c", "1", "-W", "5", "10.77.0.9"])
    mine = run_json("ifaces", "-n", netns=a)
    assert mine == ip_json("neigh", netns=a)
    entry = next(n for n in mine if n["dst"] == "10.77.0.9")
    assert entry["dev"] == "v0" and entry["lladdr"] == MAC1
    assert entry["state"] == ["REACHABLE"]
    # Filters: the interface, and the family.
    assert run_json("ifaces", "-n", "v0", netns=a) == mine
    assert run_json("ifaces", "-n", "-6", netns=a) == [n for n in mine if ":" in n["dst"]]
    r = run("ifaces", "-n", netns=a)
    assert r.returncode == 0
    row = next(line.split() for line in r.stdout.splitlines() if line.startswith("10.77.0.9"))
    assert row == ["10.77.0.9", MAC1, "v0", "REACHABLE"]
    assert r.stdout.splitlines()[0].split()[:4] == ["ADDRESS", "MAC", "INTERFACE", "STATE"]


def test_stats_against_ip_link(pair):
    a, _ = pair
    sh(["ip", "netns", "exec", a, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.77.0.9"])
    before = by_name(ip_json("-s", "link", netns=a))
    mine = by_name(run_json("ifaces", "-s", netns=a))
    after = by_name(ip_json("-s", "link", netns=a))
    assert mine["v0"]["stats64"]["tx"]["packets"] >= 2
    for name, link in mine.items():
        for d in ("rx", "tx"):
            assert set(link["stats64"][d]) == set(before[name]["stats64"][d])
            for k, v in link["stats64"][d].items():
                assert before[name]["stats64"][d][k] <= v <= after[name]["stats64"][d][k]
    # Text shows the counters under each interface.
    r = run("ifaces", "-s", "lo", netns=a)
    assert "RX" in r.stdout and "TX" in r.stdout and "dropped" in r.stdout
    assert "stats64" not in run_json("ifaces", netns=a)[0]


def test_brief(pair):
    a, _ = pair
    mine = run_json("ifaces", "-b", netns=a)
    theirs = ip_json("-br", "addr", netns=a)
    for m, t in zip(mine, theirs):
        assert m["ifname"] == t["ifname"] and m["operstate"] == t["operstate"]
        assert m["addr_info"] == t["addr_info"]
    r = run("ifaces", "-b", netns=a)
    lines = r.stdout.splitlines()
    assert len(lines) == 2
    v0 = lines[1].split()
    assert v0[0].startswith("v0@") and v0[1] == "UP" and v0[2] == MAC0
    assert v0[3:6] == ["10.77.0.1/24", "10.77.0.2/24", "fd00:77::1/64"]
    # With -s the counters follow each line; JSON adds stats64.
    r = run("ifaces", "-b", "-s", "v0", netns=a)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("v0@") and lines[1].split()[:2] == ["RX", "bytes"]
    assert "stats64" in run_json("ifaces", "-b", "-s", netns=a)[0]


def test_family_filters(pair):
    a, _ = pair
    for flag, fam in (("-4", "inet"), ("-6", "inet6")):
        mine = run_json("ifaces", flag, netns=a)
        theirs = ip_json(flag, "addr", netns=a)
        assert [i["ifname"] for i in mine] == [i["ifname"] for i in theirs]
        for i in mine:
            assert i["addr_info"] and all(x["family"] == fam for x in i["addr_info"])
    # -4 -6 means both families. The link-local address may finish duplicate address detection
    # between the two runs, so its "tentative" flag is not compared.
    def settled(ifaces):
        for i in ifaces:
            for x in i.get("addr_info", []):
                x.pop("tentative", None)
        return ifaces

    assert settled(run_json("ifaces", "-4", "-6", netns=a)) == settled(run_json("ifaces", netns=a))


def test_ifname_filter_and_unknown(pair):
    a, _ = pair
    assert [i["ifname"] for i in run_json("ifaces", "v0", "lo", netns=a)] == ["v0", "lo"]
    assert [i["ifname"] for i in run_json("ifaces", "lo", "lo", netns=a)] == ["lo"]
    r = run("--json", "ifaces", "lo", "nosuch0", netns=a)
    assert r.returncode == 1
    assert r.stderr.strip() == "netkit ifaces: nosuch0: no such interface"
    assert [i["ifname"] for i in json.loads(r.stdout)] == ["lo"]  # the known one still shown
    r = run("ifaces", "nosuch0")
    assert r.returncode == 1 and "nosuch0" in r.stderr and r.stdout == ""
    r = run("ifaces", "-n", "nosuch0")
    assert r.returncode == 1 and "nosuch0" in r.stderr


@pytest.mark.parametrize("args", [
    ["--bogus"], ["-x"], ["-n", "-H"], ["-H", "lo"], ["-b", "-n"], ["-s", "-H"],
    ["--brief=yes"],
])
def test_bad_usage(args):
    r = run("ifaces", *args)
    assert r.returncode == 2, r
    assert r.stderr.startswith("netkit ifaces: ") and "Try 'netkit ifaces --help'" in r.stderr
    assert r.stdout == ""


def test_help_lists_every_option():
    r = run("ifaces", "--help")
    assert r.returncode == 0
    for opt in ("--brief", "--stats", "--ipv4", "--ipv6", "--neighbors", "--host", "--json"):
        assert opt in r.stdout
    assert run("help", "ifaces").stdout == r.stdout


def test_write_error_is_reported():
    with open("/dev/full", "w") as full:
        p = subprocess.run([os.environ.get("NETKIT", "netkit"), "ifaces"], stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=30)
    assert p.returncode == 1
    assert "netkit ifaces: write error" in p.stderr


def test_host(pair, tmp_path):
    a, _ = pair
    sh(["ip", "-n", a, "route", "add", "default", "via", "10.77.0.254", "dev", "v0"])
    sh(["ip", "-n", a, "-6", "route", "add", "default", "via", "fd00:77::fe", "dev", "v0"])
    conf = tmp_path / "resolv.conf"
    conf.write_text("# test\nnameserver 192.0.2.53\nnameserver 2001:db8::53\n"
                    "search one.test two.test\noptions ndots:1\n")
    env = {"NETKIT_RESOLV_CONF": str(conf)}
    host = run_json("ifaces", "-H", netns=a, env=env)
    assert host["hostname"] == socket.gethostname()
    assert host["gateways"] == [
        {"family": "inet", "gateway": "10.77.0.254", "dev": "v0"},
        {"family": "inet6", "gateway": "fd00:77::fe", "dev": "v0", "metric": 1024},
    ]
    assert host["dns"] == {"servers": ["192.0.2.53", "2001:db8::53"],
                           "search": ["one.test", "two.test"]}
    four = run_json("ifaces", "-H", "-4", netns=a, env=env)
    assert [g["family"] for g in four["gateways"]] == ["inet"]
    assert four["dns"]["servers"] == ["192.0.2.53"]
    r = run("ifaces", "-H", netns=a, env=env)
    assert r.returncode == 0
    text = {line[:16].strip(): line[16:].split() for line in r.stdout.splitlines()}
    assert text["IPv4 gateway"] == ["10.77.0.254", "dev", "v0"]
    assert text["DNS servers"] == ["192.0.2.53"]
    assert text["Search domains"] == ["one.test", "two.test"]
    assert "2001:db8::53" in r.stdout
    # No gateway, no resolv.conf: empty lists, still success.
    sh(["ip", "-n", a, "route", "del", "default"])
    sh(["ip", "-n", a, "-6", "route", "del", "default"])
    empty = run_json("ifaces", "-H", netns=a, env={"NETKIT_RESOLV_CONF": str(tmp_path / "no")})
    assert empty["gateways"] == [] and empty["dns"] == {"servers": [], "search": []}


def test_fresh_namespace_only_loopback(netns):
    ns = netns()
    (lo,) = run_json("ifaces", "-s", netns=ns)
    assert lo["ifname"] == "lo" and lo["operstate"] == "UNKNOWN"
    assert lo["stats64"]["rx"]["bytes"] == lo["stats64"]["tx"]["bytes"]
    assert run_json("ifaces", "-n", netns=ns) == []


def test_man_page():
    page = os.path.join(os.path.dirname(FIXTURES), "..", "man", "netkit-ifaces.1")
    text = open(page).read()
    longs = [w for w in run("--complete", "--", "ifaces", "--").stdout.split()
             if w.startswith("--")]
    assert "--brief" in longs
    for opt in longs:
        assert "Fl -" + opt[2:].split("=")[0] in text, opt
    lint = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", page], capture_output=True,
                          text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
