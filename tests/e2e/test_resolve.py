# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit resolve against a real knotd on 127.0.0.1 and a misbehaving server of our own.

Every query goes to a loopback server the test started (-s), never to the machine's resolver;
search-list tests use a test resolv.conf through NETKIT_RESOLV_CONF together with -s.
"""
import json
import os
import random
import re
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, NETKIT, run
from knot import Knot, write_zone

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES = os.path.join(FIXTURES, "dns")
BULK = 10000


@pytest.fixture(scope="module")
def knot(tmp_path_factory):
    work = tmp_path_factory.mktemp("knot")
    bulk = work / "bulk.test.zone"
    write_zone(bulk, "bulk.test",
               (f"h{i} IN A 10.{i // 65536}.{(i // 256) % 256}.{i % 256}" for i in range(BULK)))
    zones = {z: os.path.join(ZONES, z + ".zone") for z in
             ("example.test", "2.0.192.in-addr.arpa", "8.b.d.0.1.0.0.2.ip6.arpa", "search.test")}
    zones["bulk.test"] = str(bulk)
    k = Knot(str(work), zones)
    yield k
    k.stop()


@pytest.fixture(scope="module", autouse=True)
def hermetic_resolver(tmp_path_factory):
    """No test reads the machine's resolv.conf: its search list would send names elsewhere
    (and a server that refuses them would change the status). The nameserver is loopback."""
    p = tmp_path_factory.mktemp("rc") / "resolv.conf"
    p.write_text("nameserver 127.0.0.1\n")
    saved = {k: os.environ.pop(k, None) for k in ("LOCALDOMAIN", "RES_OPTIONS", "CARES_HOSTS")}
    os.environ["NETKIT_RESOLV_CONF"] = str(p)
    yield
    del os.environ["NETKIT_RESOLV_CONF"]
    os.environ.update({k: v for k, v in saved.items() if v is not None})


def res(knot, *args, **kw):
    """netkit resolve -s KNOT ARGS..., hosts file off unless the test wants it."""
    return run("resolve", "-s", knot.server, *args, **kw)


def jres(knot, *args, **kw):
    """The NDJSON objects of netkit --json resolve -s KNOT ARGS..."""
    r = run("--json", "resolve", "-s", knot.server, *args, **kw)
    return r, [json.loads(line) for line in r.stdout.splitlines()]


def dig_short(knot, name, qtype):
    r = subprocess.run(["dig", "+short", "+norec", "+time=2", "+tries=1", "@127.0.0.1",
                        "-p", str(knot.port), name, qtype],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


# ---- address mode ----

def test_address_mode_a_and_aaaa(knot):
    r = res(knot, "--no-hosts", "www.example.test")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["www.example.test.  A     300  192.0.2.10",
                                     "www.example.test.  AAAA  300  2001:db8::10"]
    assert r.stderr == ""


def test_cname_chain_shown_once(knot):
    r, [o] = jres(knot, "--no-hosts", "alias.example.test")
    assert r.returncode == 0
    assert o["query"] == "alias.example.test" and o["type"] == "ADDR"
    assert o["status"] == "NOERROR" and o["server"] == knot.server
    got = [(a["name"], a["type"], a["data"]) for a in o["answers"]]
    assert got == [("alias.example.test.", "CNAME", "alias2.example.test."),
                   ("alias2.example.test.", "CNAME", "www.example.test."),
                   ("www.example.test.", "A", "192.0.2.10"),
                   ("www.example.test.", "AAAA", "2001:db8::10")]


@pytest.mark.parametrize("flag,types", [("-4", {"A"}), ("-6", {"AAAA"})])
def test_family_filter(knot, flag, types):
    r, [o] = jres(knot, "--no-hosts", flag, "dual.example.test")
    assert r.returncode == 0
    assert {a["type"] for a in o["answers"]} == types
    assert all(a["ttl"] == 60 for a in o["answers"])


def test_nodata_when_name_has_no_address(knot):
    r, [o] = jres(knot, "--no-hosts", "textonly.example.test")
    assert r.returncode == 1
    assert o["status"] == "NODATA" and o["answers"] == []
    assert "textonly.example.test: no address (NODATA)" in r.stderr


def test_one_family_missing_is_still_an_answer(knot):
    r, [o] = jres(knot, "--no-hosts", "v6only.example.test")
    assert r.returncode == 0 and o["status"] == "NOERROR"
    assert [a["data"] for a in o["answers"]] == ["2001:db8::60"]


def test_nxdomain_exits_1_with_message(knot):
    r = res(knot, "--no-hosts", "nope.example.test", "www.example.test")
    assert r.returncode == 1
    assert "netkit resolve: nope.example.test: no such name (NXDOMAIN)" in r.stderr
    assert "192.0.2.10" in r.stdout  # the other name still resolved


@pytest.mark.parametrize("addr,name", [("192.0.2.10", "www.example.test."),
                                       ("2001:db8::10", "www.example.test.")])
def test_address_argument_gives_ptr(knot, addr, name):
    r, [o] = jres(knot, addr)
    assert r.returncode == 0
    assert o["type"] == "PTR" and o["query"] == addr
    assert [a["data"] for a in o["answers"]] == [name]


def test_idn_name_is_punycoded(knot):
    r, [o] = jres(knot, "--no-hosts", "-4", "bücher.example.test")
    assert r.returncode == 0, r.stderr
    assert o["answers"][0]["name"] == "xn--bcher-kva.example.test."
    assert o["answers"][0]["data"] == "192.0.2.81"


# ---- every type, exactly as dig +short prints it ----

TYPED = [
    ("example.test", "SOA"), ("example.test", "NS"), ("example.test", "MX"),
    ("example.test", "TXT"), ("example.test", "CAA"), ("txt.example.test", "TXT"),
    ("_sip._tcp.example.test", "SRV"), ("naptr.example.test", "NAPTR"),
    ("hinfo.example.test", "HINFO"), ("uri.example.test", "URI"),
    ("sshfp.example.test", "SSHFP"), ("_443._tcp.www.example.test", "TLSA"),
    ("sub.example.test", "DS"), ("key.example.test", "DNSKEY"),
    ("dname.example.test", "DNAME"), ("spf.example.test", "SPF"),
    ("alias.example.test", "A"), ("alias.example.test", "CNAME"),
    ("www.example.test", "AAAA"), ("10.2.0.192.in-addr.arpa", "PTR"),
    ("unknown.example.test", "TYPE65280"), ("unknown2.example.test", "TYPE65280"),
    ("empty-unknown.example.test", "TYPE65281"), ("x.wild.example.test", "A"),
    ("svc.example.test", "HTTPS"), ("svc2.example.test", "HTTPS"), ("svc3.example.test", "SVCB"),
    ("svc4.example.test", "SVCB"), ("svc5.example.test", "SVCB"),
]


@pytest.mark.parametrize("name,qtype", TYPED)
def test_type_data_matches_dig_short(knot, name, qtype):
    want = dig_short(knot, name, qtype)
    r, [o] = jres(knot, "-t", qtype, name)
    assert r.returncode == 0, r.stderr
    assert o["type"] == qtype and o["status"] == "NOERROR"
    assert sorted(a["data"] for a in o["answers"]) == sorted(want)


def test_text_lines_name_type_ttl_data(knot):
    r = res(knot, "-t", "MX", "example.test")
    assert r.returncode == 0
    assert r.stdout.splitlines() == ["example.test.  MX  300  10 mail.example.test.",
                                     "example.test.  MX  300  20 mail2.example.test."]


@pytest.mark.parametrize("name,qtype", TYPED + [("longtxt.example.test", "TXT")])
def test_text_plain_colour_and_json_agree(knot, name, qtype):
    """Plain text has a printer of its own (no printf per field); it must print what the
    coloured text and the JSON say, for every type and for a record too long for it."""
    _, [o] = jres(knot, "-t", qtype, name)
    want = sorted((a["name"], a["type"], str(a["ttl"]), a["data"]) for a in o["answers"])
    plain = res(knot, "-t", qtype, name)
    colour = run("--color=always", "resolve", "-s", knot.server, "-t", qtype, name)
    assert plain.returncode == 0 and colour.returncode == 0

    def fields(text):  # NAME TYPE TTL DATA, the columns padded to line up
        return sorted(tuple(line.split(None, 3)) for line in text.splitlines())
    assert fields(plain.stdout) == want
    assert "\x1b[" in colour.stdout
    assert fields(re.sub(r"\x1b\[[0-9;]*m", "", colour.stdout)) == want


def test_ctrl_c_ends_a_batch_with_what_it_has(knot):
    """Outside the shell, Ctrl-C ends a batch that reads names from a terminal: the answers
    already printed stay, and the exit status is 1."""
    pexpect = pytest.importorskip("pexpect")
    c = pexpect.spawn(NETKIT, ["resolve", "-s", knot.server, "-t", "A", "-f", "-"],
                      env=dict(os.environ, NO_COLOR="1"), timeout=20, encoding="utf-8")
    c.sendline("www.example.test")
    c.expect(r"www\.example\.test\.?\s+A\s+\d+\s+192\.0\.2\.\d+")
    t0 = time.monotonic()
    c.sendintr()
    c.expect(pexpect.EOF)
    c.close()
    assert time.monotonic() - t0 < 5
    assert c.exitstatus == 1 and c.signalstatus is None
    # No error message: the summary says it was interrupted, and the status says it failed.
    assert "netkit resolve: interrupted\r" not in c.before and "event loop" not in c.before
    assert re.search(r"netkit resolve: interrupted after 1 name: 1 answered, 0 failed",
                     c.before)


def test_several_types_in_order(knot):
    r, objs = jres(knot, "-t", "MX,SOA", "-t", "ns", "example.test")
    assert r.returncode == 0
    assert [o["type"] for o in objs] == ["MX", "SOA", "NS"]


def test_unknown_type_by_number_prints_rfc3597(knot):
    r = res(knot, "-t", "TYPE65280", "unknown.example.test")
    assert r.returncode == 0
    assert r.stdout.strip().endswith("TYPE65280  300  \\# 4 0A000001")


def test_nodata_for_type(knot):
    r, [o] = jres(knot, "-t", "MX", "www.example.test")
    assert r.returncode == 1 and o["status"] == "NODATA"
    assert "www.example.test: no MX record (NODATA)" in r.stderr


def test_tcp(knot):
    r, [o] = jres(knot, "--tcp", "-t", "TXT", "txt.example.test")
    assert r.returncode == 0 and len(o["answers"]) == 3


def test_verbose_shows_server_rcode_flags(knot):
    r = res(knot, "-v", "-t", "A", "www.example.test")
    assert r.returncode == 0
    first = r.stdout.splitlines()[0]
    assert first.startswith("; www.example.test A: NOERROR from " + knot.server)
    assert re.search(r"in \d+\.\d\d ms, rcode NOERROR, flags: qr aa rd$", first)
    r, [o] = jres(knot, "-v", "-t", "A", "nope.example.test")
    assert o["rcode"] == "NXDOMAIN" and "aa" in o["flags"] and o["status"] == "NXDOMAIN"


def test_second_server_answers_when_first_is_silent(knot, fault):
    silent = fault("silent")
    r = run("--json", "resolve", "-s", f"{silent},{knot.server}", "--timeout", "200",
            "--tries", "1", "-t", "A", "www.example.test")
    o = json.loads(r.stdout)
    assert r.returncode == 0, r.stderr
    assert o["status"] == "NOERROR" and o["server"] == knot.server


# ---- hosts file and search list ----

def test_hosts_file_first(knot, tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("192.0.2.200 www.example.test\n2001:db8::200 www.example.test\n")
    env = {"CARES_HOSTS": str(hosts)}
    r, [o] = jres(knot, "www.example.test", env=env)
    assert r.returncode == 0
    assert [(a["data"], a["source"], a["ttl"]) for a in o["answers"]] == \
        [("192.0.2.200", "hosts", None), ("2001:db8::200", "hosts", None)]
    assert o["server"] is None
    r = res(knot, "www.example.test", env=env)
    assert r.stdout.splitlines()[0] == "www.example.test.  A     hosts  192.0.2.200"
    # --no-hosts asks DNS, and -t always does.
    r, [o] = jres(knot, "--no-hosts", "www.example.test", env=env)
    assert [a["data"] for a in o["answers"]] == ["192.0.2.10", "2001:db8::10"]
    r, [o] = jres(knot, "-t", "A", "www.example.test", env=env)
    assert [a["data"] for a in o["answers"]] == ["192.0.2.10"]


def test_hosts_only_name(knot, tmp_path):
    hosts = tmp_path / "hosts"
    hosts.write_text("192.0.2.201 onlyhere.example.test\n")
    r, [o] = jres(knot, "onlyhere.example.test", env={"CARES_HOSTS": str(hosts)})
    assert r.returncode == 0 and o["answers"][0]["data"] == "192.0.2.201"
    r, [o] = jres(knot, "--no-hosts", "onlyhere.example.test",
                  env={"CARES_HOSTS": str(hosts)})
    assert r.returncode == 1 and o["status"] == "NXDOMAIN"


@pytest.fixture
def resolvconf(tmp_path):
    # The nameserver line is loopback (c-ares 1.18 reads no port there): -s names the knot.
    p = tmp_path / "resolv.conf"
    p.write_text("nameserver 127.0.0.1\nsearch search.test example.test\noptions ndots:2\n")
    return {"NETKIT_RESOLV_CONF": str(p)}


def test_search_list(knot, resolvconf):
    r, [o] = jres(knot, "--no-hosts", "-4", "host", env=resolvconf)
    assert r.returncode == 0, r.stderr
    assert o["answers"] == [{"name": "host.search.test.", "type": "A", "ttl": 300,
                             "data": "198.51.100.7"}]
    # The second search domain, for a name with fewer dots than ndots.
    r, [o] = jres(knot, "--no-hosts", "-t", "A", "www", env=resolvconf)
    assert o["answers"][0]["name"] == "www.example.test."


def test_no_search(knot, resolvconf):
    r, [o] = jres(knot, "--no-hosts", "--no-search", "-4", "host", env=resolvconf)
    assert r.returncode == 1 and o["answers"] == []


# ---- bad input ----

@pytest.mark.parametrize("args,shown", [
    (["a..b.example"], "'a..b.example': empty label"),
    ([".leading"], "empty label"),
    (["x" * 64 + ".example"], "label longer than 63 bytes"),
    ([".".join(["a" * 60] * 5)], "name longer than 253 bytes"),
    (["-t", "BOGUS", "x.example"], "'BOGUS': unknown record type"),
    (["-t", "TYPE70000", "x.example"], "'TYPE70000': unknown record type"),
    (["-s", "1.2.3", "x.example"], "'1.2.3'"),
    (["-s", "127.0.0.1:70000", "x.example"], "70000: port out of range"),
    (["-s", "[::1", "x.example"], "missing ']'"),
    (["-s", "127.0.0.1,", "x.example"], "empty server"),
    (["-c", "0", "-f", "-"], "0: concurrency out of range"),
    (["-c", "many", "-f", "-"], "'many': concurrency is not a number"),
    (["--timeout", "0", "x.example"], "0: timeout out of range"),
    ([], "missing NAME"),
    (["-f", "-", "x.example"], "names and --file together"),
])
def test_bad_input_exits_2(args, shown):
    r = run("resolve", "-s", "127.0.0.1:9", *args, input="")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert shown in r.stderr
    assert r.stderr.startswith("netkit resolve: ")
    assert "Try 'netkit resolve --help'." in r.stderr


def test_underscore_names_are_valid(knot):
    r = res(knot, "-t", "SRV", "_sip._tcp.example.test")
    assert r.returncode == 0 and "5060 sipserver.example.test." in r.stdout


# ---- faults ----

@pytest.fixture
def fault(server):
    def start(mode):
        s = server(os.path.join(HERE, "dnsfault.py"), mode, binary=sys.executable)
        return s.lines[0].split()[-1]
    return start


@pytest.mark.parametrize("mode,status,msg", [
    ("silent", "TIMEOUT", "no answer in time (TIMEOUT)"),
    ("servfail", "SERVFAIL", "server failure (SERVFAIL)"),
    ("refused", "REFUSED", "query refused (REFUSED)"),
    ("garbage", "TIMEOUT", "(TIMEOUT)"),
    ("badrr", "ERROR", "malformed answer"),
])
def test_fault_status(fault, mode, status, msg):
    addr = fault(mode)
    t0 = time.monotonic()
    r = run("--json", "resolve", "-s", addr, "--timeout", "200", "--tries", "2", "-t", "A",
            "www.example.test", timeout=20)
    elapsed = time.monotonic() - t0
    assert r.returncode == 1, r.stderr
    o = json.loads(r.stdout)
    assert o["status"] == status
    assert msg in r.stderr
    assert elapsed < 5
    if status == "ERROR":
        assert "malformed" in o["error"]


def test_truncated_udp_falls_back_to_tcp(fault):
    addr = fault("truncate")
    r = run("--json", "resolve", "-s", addr, "--timeout", "500", "-t", "A", "www.example.test")
    assert r.returncode == 0, r.stderr
    assert [a["data"] for a in json.loads(r.stdout)["answers"]] == ["192.0.2.99"]


def test_tcp_flag_uses_tcp(fault):
    addr = fault("split")
    r = run("resolve", "-s", addr, "-t", "A", "x.example")
    assert r.returncode == 0 and r.stdout.split()[-1] == "192.0.2.1"
    r = run("resolve", "--tcp", "-s", addr, "-t", "A", "x.example")
    assert r.returncode == 0 and r.stdout.split()[-1] == "192.0.2.2"


def test_repeated_server_option(knot, fault):
    silent = fault("silent")
    r = run("--json", "resolve", "-s", silent, "-s", knot.server, "--timeout", "200",
            "--tries", "1", "-t", "A", "www.example.test")
    assert r.returncode == 0 and json.loads(r.stdout)["server"] == knot.server


def test_overall_deadline(fault):
    # c-ares alone would wait 300 + 600 + 1200 ms; the deadline is timeout x tries.
    addr = fault("silent")
    t0 = time.monotonic()
    r = run("resolve", "-s", addr, "--timeout", "300", "--tries", "3", "-t", "A", "a.example",
            "b.example", timeout=20)
    elapsed = time.monotonic() - t0
    assert r.returncode == 1
    assert r.stderr.count("(TIMEOUT)") == 2
    assert elapsed < 1.9


# ---- batches ----

def test_batch_10000_in_input_order(knot, tmp_path):
    idx = list(range(BULK))
    random.Random(7).shuffle(idx)
    names = [f"h{i}.bulk.test" for i in idx]
    names[100] = "missing.bulk.test"
    path = tmp_path / "names"
    path.write_text("# a comment\n\n" + "\n".join(names) + "\n")
    r = run("--json", "resolve", "-s", knot.server, "-t", "A", "-f", str(path), timeout=120)
    assert r.returncode == 1  # one name does not exist
    objs = [json.loads(line) for line in r.stdout.splitlines()]
    assert [o["query"] for o in objs] == names
    for o, i in zip(objs, idx):
        if o["query"] == "missing.bulk.test":
            assert o["status"] == "NXDOMAIN"
            continue
        assert o["status"] == "NOERROR"
        assert o["answers"][0]["data"] == f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}"
    assert r.stderr.count("NXDOMAIN") == 1


def max_rss_kb(args, input_text, tmp_path):
    """Run netkit with input_text on stdin; return (exit status, stdout lines, max RSS in KiB)."""
    env = dict(os.environ)
    # ASan keeps freed memory in quarantine: keep it small so RSS tracks live memory.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1"
    out = tmp_path / "out"
    with open(out, "w") as fo:
        p = subprocess.Popen([NETKIT, *args], stdin=subprocess.PIPE, stdout=fo,
                             stderr=subprocess.DEVNULL, env=env, text=True)
        p.stdin.write(input_text)
        p.stdin.close()
        # wait4 gives this child's own peak RSS (bounded: the names are all local answers).
        deadline = time.monotonic() + 120
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            assert time.monotonic() < deadline, "netkit did not finish"
            time.sleep(0.05)
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(out) as f:
        lines = sum(1 for _ in f)
    return p.returncode, lines, ru.ru_maxrss


def test_batch_memory_is_flat(knot, tmp_path):
    args = ["resolve", "-s", knot.server, "-t", "A", "-c", "200", "-f", "-"]
    small = "".join(f"h{i}.bulk.test\n" for i in range(1000))
    big = "".join(f"h{i % BULK}.bulk.test\n" for i in range(30000))
    rc1, n1, rss1 = max_rss_kb(args, small, tmp_path)
    rc2, n2, rss2 = max_rss_kb(args, big, tmp_path)
    assert (rc1, n1) == (0, 1000) and (rc2, n2) == (0, 30000)
    # 30x the names may not cost more than a small constant on top (no per-name growth).
    assert rss2 < rss1 + 8 * 1024, (rss1, rss2)


def test_batch_from_stdin_with_bad_line(knot):
    r = run("resolve", "-s", knot.server, "-f", "-", "--no-hosts", "-4",
            input="www.example.test\nbad..name\n192.0.2.25\n")
    assert r.returncode == 2
    assert r.stdout.splitlines() == ["www.example.test.  A  300  192.0.2.10",
                                     "25.2.0.192.in-addr.arpa.  PTR  300  mail.example.test."]
    assert "netkit resolve: 'bad..name': empty label" in r.stderr


def test_batch_unreadable_file():
    r = run("resolve", "-s", "127.0.0.1:9", "-f", "/nonexistent/names")
    assert r.returncode == 1
    assert r.stderr.startswith("netkit resolve: /nonexistent/names: no such file")


@pytest.mark.parametrize("conc", ["1", "300", "10000"])
def test_batch_any_concurrency_resolves_everything(knot, tmp_path, conc):
    path = tmp_path / "names"
    path.write_text("".join(f"h{i}.bulk.test\n" for i in range(3000)))
    r = run("--json", "resolve", "-s", knot.server, "-t", "A", "-c", conc, "-f", str(path),
            timeout=120)
    assert r.returncode == 0, r.stderr[-500:]
    assert sum(1 for line in r.stdout.splitlines()
               if json.loads(line)["status"] == "NOERROR") == 3000


# ---- documentation ----

def test_man_page_mentions_every_option():
    page = open(os.path.join(FIXTURES, "..", "..", "man", "netkit-resolve.1")).read()
    opts = run("--complete", "--", "resolve", "--").stdout.split()
    assert opts
    for o in opts:
        assert "Fl -" + o[2:] in page, o


def test_help_and_completion_know_types():
    r = run("resolve", "--help")
    assert r.returncode == 0 and "--concurrency" in r.stdout
    c = run("--complete", "--", "resolve", "-t", "NA").stdout.split()
    assert c == ["NAPTR"]


def test_progress_line_on_a_terminal(fault, tmp_path):
    import pexpect
    addr = fault("silent")
    path = tmp_path / "names"
    path.write_text("a.example\nb.example\n")
    child = pexpect.spawn(NETKIT, ["resolve", "-s", addr, "-c", "1", "--timeout", "400",
                                   "--tries", "1", "-t", "A", "-f", str(path)],
                          timeout=20, encoding="utf-8")
    child.expect(r"0/2 names \(0%\), 0/s, 0 failed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    # Without a terminal there is no progress line at all.
    r = run("resolve", "-s", addr, "-c", "1", "--timeout", "200", "--tries", "1", "-t", "A",
            "-f", str(path))
    assert "in flight" not in r.stderr and r.stderr.count("(TIMEOUT)") == 2
