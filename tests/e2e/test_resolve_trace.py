# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit resolve --trace against a real hierarchy of knotd servers (dnstree.py) in a network
namespace of the test's own: a root, a TLD, a zone with a lame server, a zone whose servers have
different SOA serials (and one different answer), NS names without glue (two for one zone,
looked up at once), a CNAME and a DNAME that cross zones; and, in a second namespace, the same
hierarchy with a server nftables makes silent. Results are checked against the zone data, and final answers against `dig +trace` on the
same hierarchy. Every query goes to a server in the namespace (--root, or dig's @ROOT with the
namespace's own resolv.conf and hosts file)."""
import json
import os
import re
import shutil
import subprocess
import uuid

import pytest

import dnstree
from conftest import run, sh
from dnstree import EX1, EX2, ROOT, SER1, SER2, SILENT, TLD

HOSTS = {"a.root-servers.nk": ROOT, "ns1.test": TLD, "ns1.example.test": EX1,
         "ns2.example.test": EX2, "dns.example.test": EX1, "ns1.serial.test": SER1,
         "ns2.serial.test": SER2}


def hierarchy(tmp_path_factory, silent):
    ns = "nk" + uuid.uuid4().hex[:10]
    sh(["ip", "netns", "add", ns])
    etc = f"/etc/netns/{ns}"
    t = None
    try:
        sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        if silent:  # truly silent: every packet to it is dropped, whatever the machine's speed
            sh(["ip", "netns", "exec", ns, "nft", "add table inet nktest; "
                "add chain inet nktest in { type filter hook input priority 0; }; "
                f"add rule inet nktest in ip daddr {SILENT} drop"])
        # dig +trace looks NS names up through the system's resolver: the namespace's own
        # files answer it (and nothing leaves the namespace anyway).
        os.makedirs(etc, exist_ok=True)
        with open(f"{etc}/resolv.conf", "w") as f:
            f.write(f"nameserver {ROOT}\n")
        with open(f"{etc}/hosts", "w") as f:
            f.writelines(f"{a} {n}\n" for n, a in HOSTS.items())
        t = dnstree.Tree(ns, str(tmp_path_factory.mktemp("tree")), silent=silent)
        yield ns
    finally:
        if t:
            t.stop()
        shutil.rmtree(etc, ignore_errors=True)
        sh(["ip", "netns", "del", ns], check=False)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    yield from hierarchy(tmp_path_factory, False)


@pytest.fixture(scope="module")
def silent_tree(tmp_path_factory):
    yield from hierarchy(tmp_path_factory, True)


def trace(ns, *args):
    # Every server of this hierarchy answers: a long grace keeps a server that a loaded machine
    # schedules late from being cut as silent (the timeout still bounds it).
    return run("resolve", "--trace", "--root", ROOT, "--timeout", "500", "--grace", "2000",
               *args, netns=ns)


def trace_json(ns, *args, rc=0):
    r = trace(ns, "--json", *args)
    assert r.returncode == rc, r.stderr + r.stdout
    return json.loads(r.stdout)


def step(o, zone, name=None):
    for s in o["steps"]:
        if s["zone"] == zone and (name is None or s["name"] == name):
            return s
    raise AssertionError(f"no step for {zone}: {[s['zone'] for s in o['steps']]}")


def server(s, addr):
    return next(v for v in s["servers"] if v["address"] == addr)


def kinds(s):
    return sorted((p["kind"], p["server"]) for p in s["problems"])


def answers(o):
    return sorted((a["name"], a["type"], a["data"]) for a in o["answers"])


def dig_trace(ns, name, qtype, tries=16):
    """The final answer of dig +trace from our root: (name, type, data) of the last section that
    came from an example.test.-level server. dig asks one server per zone, picked at random, and
    gives up at the lame one: asked again (bounded) until it lands on a good one."""
    for _ in range(tries):
        out = subprocess.run(["ip", "netns", "exec", ns, "dig", f"@{ROOT}", "+trace", "+tries=1",
                              "+time=1", name, qtype], capture_output=True, text=True,
                             timeout=30).stdout
        recs = [line.split() for line in out.splitlines() if line and not line.startswith(";")]
        final = [(r[0], r[3], " ".join(r[4:])) for r in recs
                 if len(r) >= 5 and r[0].rstrip(".") == name and r[3] in (qtype, "CNAME")]
        if final:
            return sorted(final)
    raise AssertionError("dig +trace never got an answer")


def test_answer_through_a_lame_server(tree):
    o = trace_json(tree, "www.example.test")
    assert o["query"] == "www.example.test" and o["type"] == "ADDR"
    assert [s["zone"] for s in o["steps"]] == [".", "test.", "example.test."]
    root = step(o, ".")
    assert root["referral"]["zone"] == "test." and root["referral"]["ns"] == ["ns1.test."]
    assert root["referral"]["glue"] == [{"name": "ns1.test.", "address": TLD}]
    tld = step(o, "test.")
    assert tld["servers"][0]["name"] is None or tld["servers"][0]["name"] == "ns1.test."
    assert tld["referral"]["ns"] == ["ns1.example.test.", "ns2.example.test."]
    assert sorted(g["address"] for g in tld["referral"]["glue"]) == [EX1, EX2]
    ex = step(o, "example.test.")
    good, lame = server(ex, EX1), server(ex, EX2)
    assert good["aa"] and good["rcode"] == "NOERROR" and good["serial"] == dnstree.SERIAL_EXAMPLE
    assert good["rtt_ms"] > 0 and good["error"] is None
    assert lame["rcode"] == "REFUSED" and not lame["aa"]
    assert kinds(ex) == [("lame", EX2)]
    assert ex["problems"][0]["name"] == "ns2.example.test."
    assert "REFUSED" in ex["problems"][0]["detail"]
    assert o["status"] == "NOERROR" and o["reason"] is None
    assert answers(o) == [("www.example.test.", "A", "192.0.2.10"),
                          ("www.example.test.", "AAAA", "2001:db8::10")]
    assert all(not s["problems"] for s in o["steps"][:2])


def test_text(tree):
    r = trace(tree, "www.example.test")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    heads = [line.split()[0] for line in lines if line and not line.startswith((" ", ";"))
             and "server" in line]
    assert heads == [".", "test.", "example.test."], r.stdout
    assert any(line.split()[:3] == ["ns1.example.test.", EX1, line.split()[2]]
               and "NOERROR aa" in line for line in lines), r.stdout
    assert any(line.split()[:2] == ["ns2.example.test.", EX2] and "REFUSED" in line
               for line in lines), r.stdout
    assert f"! lame ns2.example.test. ({EX2}): answered REFUSED" in r.stdout
    assert "-> example.test.  NS ns1.example.test. ns2.example.test." in r.stdout
    assert "www.example.test.  A  300  192.0.2.10" in lines
    assert lines[-1].startswith("; NOERROR (3 zones")


def test_serials_and_answers_differ(tree):
    o = trace_json(tree, "-t", "A", "www.serial.test")
    s = step(o, "serial.test.")
    assert server(s, SER1)["serial"] == 1 and server(s, SER2)["serial"] == 2
    k = kinds(s)
    assert ("serial-mismatch", SER1) in k and ("answer-mismatch", SER2) in k or \
        ("answer-mismatch", SER1) in k, k
    assert o["status"] == "NOERROR" and len(o["answers"]) == 1
    assert o["answers"][0]["data"] in ("192.0.2.20", "192.0.2.21")
    # The same data on both: only the serials differ.
    o = trace_json(tree, "-t", "A", "same.serial.test")
    assert kinds(step(o, "serial.test.")) == [("serial-mismatch", SER1)]
    assert answers(o) == [("same.serial.test.", "A", "192.0.2.30")]


def test_glueless_ns_and_cname_across_zones(tree):
    o = trace_json(tree, "alias.example.test")
    ex = step(o, "example.test.", "alias.example.test.")
    assert ex["chain"] == {"type": "CNAME", "target": "host.glueless.test.", "leaves_zone": True}
    tld = step(o, "test.", "host.glueless.test.")
    assert tld["referral"]["ns"] == ["dns.example.test."] and tld["referral"]["glue"] == []
    gl = step(o, "glueless.test.")
    srv = gl["servers"][0]
    assert srv["name"] == "dns.example.test." and srv["address"] == EX1 and srv["aa"]
    sub = srv["lookup"]
    assert sub["query"] == "dns.example.test." and sub["status"] == "NOERROR"
    assert [a["data"] for a in sub["answers"]] == [EX1]
    assert sub["steps"][-1]["zone"] == "example.test."
    assert answers(o) == [("alias.example.test.", "CNAME", "host.glueless.test."),
                          ("host.glueless.test.", "A", "192.0.2.77")]
    r = trace(tree, "alias.example.test")
    assert r.returncode == 0
    assert "-> CNAME host.glueless.test., leaving example.test." in r.stdout
    assert "    ; lookup of dns.example.test. A" in r.stdout
    assert "host.glueless.test.  A  300  192.0.2.77" in r.stdout


def test_nxdomain_and_nodata_are_answers(tree):
    o = trace_json(tree, "nope.example.test")
    assert o["status"] == "NXDOMAIN" and o["answers"] == [] and o["reason"] is None
    o = trace_json(tree, "-t", "MX", "www.example.test")
    assert o["status"] == "NODATA" and o["type"] == "MX"
    o = trace_json(tree, "-t", "MX", "mail.example.test")
    assert answers(o) == [("mail.example.test.", "MX", "10 mx.example.test.")]
    o = trace_json(tree, "v4only.example.test")
    assert answers(o) == [("v4only.example.test.", "A", "192.0.2.11")]


def test_broken_chain(tree):
    o = trace_json(tree, "www.broken.test", rc=1)
    s = o["steps"][-1]
    assert s["zone"] == "broken.test." and kinds(s) == [("lame", EX2)]
    assert o["status"] == "REFUSED" and o["answers"] == []
    assert "broken.test." in o["reason"] and EX2 in o["reason"]
    r = trace(tree, "www.broken.test")
    assert r.returncode == 1 and "no server of broken.test. gave a usable answer" in r.stderr
    # Nothing listens at the root given: refused at once.
    r = run("resolve", "--trace", "--root", "127.0.0.9", "--json", "www.example.test",
            netns=tree)
    o = json.loads(r.stdout)
    assert r.returncode == 1 and o["steps"][0]["zone"] == "." and "127.0.0.9" in o["reason"]


def test_same_answer_as_dig_trace(tree):
    for name, qtype in (("www.example.test", "A"), ("mail.example.test", "MX"),
                        ("same.serial.test", "A"), ("alias.example.test", "A")):
        want = dig_trace(tree, name, qtype)
        o = trace_json(tree, "-t", qtype, name)
        got = sorted((a["name"], a["type"], a["data"]) for a in o["answers"])
        assert set(want) <= set(got), (name, want, got)
        if qtype != "A" or name != "alias.example.test":
            assert want == got, (name, want, got)


def test_options(tree):
    r = run("resolve", "--root", ROOT, "www.example.test", netns=tree)
    assert r.returncode == 2 and "--root" in r.stderr and "--trace" in r.stderr
    r = run("resolve", "--trace", "-f", "-", input="x\n", netns=tree)
    assert r.returncode == 2 and "--trace" in r.stderr
    r = run("resolve", "--trace", "--root", "not-an-address", "x.test", netns=tree)
    assert r.returncode == 2 and "not-an-address" in r.stderr
    o = trace_json(tree, "--root", f"{ROOT}#53", "www.example.test")  # dig's ADDR#PORT
    assert o["status"] == "NOERROR"
    r = run("resolve", "--grace", "100", "www.example.test", netns=tree)
    assert r.returncode == 2 and "--grace" in r.stderr and "--trace" in r.stderr
    r = run("resolve", "--trace", "--grace", "0", "www.example.test", netns=tree)
    assert r.returncode == 2 and "grace out of range" in r.stderr


def test_dname_across_zones(tree):
    o = trace_json(tree, "-t", "A", "host.dn.example.test")
    ex = step(o, "example.test.", "host.dn.example.test.")
    assert ex["chain"] == {"type": "DNAME", "target": "host.glueless.test.", "leaves_zone": True}
    assert [s["zone"] for s in o["steps"]][-1] == "glueless.test."
    # The zone data: the DNAME, the CNAME it makes, and the target's address.
    assert answers(o) == [("dn.example.test.", "DNAME", "glueless.test."),
                          ("host.dn.example.test.", "CNAME", "host.glueless.test."),
                          ("host.glueless.test.", "A", "192.0.2.77")]
    assert o["status"] == "NOERROR" and o["reason"] is None
    # dig +trace stops at the synthesised CNAME: everything it shows, netkit shows too.
    want = dig_trace(tree, "host.dn.example.test", "A")
    assert ("host.dn.example.test.", "CNAME", "host.glueless.test.") in want
    assert set(want) <= set(answers(o)), want
    r = trace(tree, "-t", "A", "host.dn.example.test")
    assert r.returncode == 0, r.stderr
    assert "-> DNAME host.glueless.test., leaving example.test." in r.stdout
    assert "host.glueless.test.  A  300  192.0.2.77" in r.stdout


def test_two_glueless_names_in_ns_order(tree):
    for _ in range(3):  # the order is the NS set's, not the order the lookups end in
        o = trace_json(tree, "-t", "A", "host.pair.test")
        p = step(o, "pair.test.")
        names = [(v["name"], v["address"]) for v in p["servers"]]
        assert names == [("dns.example.test.", EX1), ("dns.serial.test.", SER1)], names
        for v in p["servers"]:
            assert v["aa"] and v["lookup"]["query"] == v["name"]
            assert [a["data"] for a in v["lookup"]["answers"]] == [v["address"]]
        assert answers(o) == [("host.pair.test.", "A", "192.0.2.88")]
    r = trace(tree, "-t", "A", "host.pair.test")
    lookups = [line.split()[3] for line in r.stdout.splitlines() if "; lookup of" in line]
    assert lookups == ["dns.example.test.", "dns.serial.test."], r.stdout


def test_silent_server_gets_a_grace_not_the_timeout(silent_tree):
    r = run("resolve", "--trace", "--root", ROOT, "--timeout", "8000", "--tries", "1", "--json",
            "www.example.test", netns=silent_tree)
    assert r.returncode == 0, r.stderr
    o = json.loads(r.stdout)
    ex = step(o, "example.test.")
    assert kinds(ex) == [("lame", EX2), ("lame", SILENT)]
    assert server(ex, EX1)["aa"]
    detail = next(p["detail"] for p in ex["problems"] if p["server"] == SILENT)
    m = re.fullmatch(r"did not answer within (\d+) ms \(the others had answered\)", detail)
    assert m and int(m.group(1)) >= 200, detail
    # Waiting out the timeout would take 8 s: the grace (4x the slowest answer, at least
    # 200 ms) ends it long before, however slow the machine's answers.
    assert o["time_ms"] < 8000, o["time_ms"]
    assert answers(o) == [("www.example.test.", "A", "192.0.2.10"),
                          ("www.example.test.", "AAAA", "2001:db8::10")]
    # --grace sets the least wait.
    r = run("resolve", "--trace", "--root", ROOT, "--timeout", "8000", "--tries", "1",
            "--grace", "700", "--json", "-t", "A", "www.example.test", netns=silent_tree)
    o = json.loads(r.stdout)
    detail = next(p["detail"] for p in step(o, "example.test.")["problems"]
                  if p["server"] == SILENT)
    m = re.fullmatch(r"did not answer within (\d+) ms \(the others had answered\)", detail)
    assert r.returncode == 0 and m and int(m.group(1)) >= 700, detail
    assert o["time_ms"] < 8000, o["time_ms"]


def test_glueless_lookups_run_at_once(silent_tree):
    # twins.test.'s two NS names live in a zone whose only server is silent: each lookup waits
    # out the whole timeout. One after the other, the trace would take their sum at least.
    r = run("resolve", "--trace", "--root", ROOT, "--timeout", "1500", "--tries", "1", "--json",
            "-t", "A", "host.twins.test", netns=silent_tree)
    assert r.returncode == 1, r.stderr
    o = json.loads(r.stdout)
    tw = o["steps"][-1]
    assert tw["zone"] == "twins.test."
    assert [v["name"] for v in tw["servers"]] == ["a.mute.test.", "b.mute.test."]
    subs = [v["lookup"] for v in tw["servers"]]
    assert all(s["status"] == "TIMEOUT" and s["time_ms"] >= 1400 for s in subs), subs
    assert o["time_ms"] < subs[0]["time_ms"] + subs[1]["time_ms"], o["time_ms"]
    assert "no server of twins.test. gave a usable answer" in o["reason"]


def test_server_primes_the_root_ns_set_as_dig_does(tree):
    # dig @SERVER +trace asks SERVER for the root's NS set, then walks down from those servers.
    for spelling in ([f"@{ROOT}"], ["-s", ROOT]):
        r = run("resolve", "--trace", "--grace", "2000", "--json", *spelling,
                "www.example.test", netns=tree)
        assert r.returncode == 0, r.stderr
        o = json.loads(r.stdout)
        assert o["root_from"] == f"{ROOT}:53"
        root = step(o, ".")
        assert [(v["name"], v["address"]) for v in root["servers"]] == \
            [("a.root-servers.nk.", ROOT)]
        assert [s["zone"] for s in o["steps"]] == [".", "test.", "example.test."]
        assert answers(o) == [("www.example.test.", "A", "192.0.2.10"),
                              ("www.example.test.", "AAAA", "2001:db8::10")]
    r = run("resolve", "--trace", "--grace", "2000", f"@{ROOT}", "-t", "A", "www.example.test",
            netns=tree)
    assert r.returncode == 0 and r.stdout.startswith(f"; the root's NS set from {ROOT}:53\n")
    # Nothing listens there: the trace cannot start, and says why.
    r = run("resolve", "--trace", "--timeout", "500", "@127.0.0.9", "www.example.test",
            netns=tree)
    assert r.returncode == 1 and "root's NS set" in r.stderr and "127.0.0.9" in r.stderr


def test_server_and_root_conflict_and_global_dns_is_not_for_trace(tree):
    for spelling in ([f"@{ROOT}"], ["-s", ROOT]):
        r = run("resolve", "--trace", "--root", ROOT, *spelling, "www.example.test", netns=tree)
        assert r.returncode == 2 and "--root" in r.stderr and "NS set" in r.stderr, r.stderr
    # The global --dns (the shell's `set server`) names recursive servers: --trace asks none,
    # so a dead one there changes nothing.
    r = run("--dns", "127.0.0.9", "resolve", "--trace", "--root", ROOT, "--grace", "2000", "--json",
            "www.example.test", netns=tree)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["root_from"] is None
