# SPDX-License-Identifier: GPL-3.0-or-later
"""What dig users reach for, in netkit resolve: -v sections, transport, size and EDNS; --short;
@SERVER, ADDR#PORT, -x and a type word after a name; a closed port refused at once.

Everything against a real knotd on 127.0.0.1 (a port it picks) and Debian's dig asking the same
server; no query leaves the machine (a loopback-only resolv.conf, and -s or @ on every call).
"""
import json
import os
import re
import subprocess
import time

import pytest

from conftest import FIXTURES, run
from knot import Knot, free_port

ZONE = """$ORIGIN dig.test.
$TTL 300
@       3600 IN SOA ns1.dig.test. hostmaster.dig.test. 7 3600 900 604800 60
@            IN NS  ns1
@            IN NS  ns2
@            IN MX  10 mail
@            IN MX  20 mail2
@            IN TXT "dig habits" "two strings"
ns1          IN A    192.0.2.1
ns2          IN A    192.0.2.2
ns2          IN AAAA 2001:db8::2
mail         IN A    192.0.2.25
mail         IN AAAA 2001:db8::25
mail2        IN A    192.0.2.26
www          IN A    192.0.2.10
www          IN AAAA 2001:db8::10
mx           IN A    192.0.2.77
multi        IN A    192.0.2.31
multi        IN A    192.0.2.32
alias        IN CNAME alias2
alias2       IN CNAME www
"""


@pytest.fixture(scope="module")
def knot(tmp_path_factory):
    work = tmp_path_factory.mktemp("knotdig")
    zone = work / "dig.test.zone"
    zone.write_text(ZONE)
    rev = "2.0.192.in-addr.arpa"
    k = Knot(str(work), {"dig.test": str(zone),
                         rev: os.path.join(FIXTURES, "dns", rev + ".zone")})
    yield k
    k.stop()


@pytest.fixture(scope="module", autouse=True)
def hermetic_resolver(tmp_path_factory):
    """A loopback-only resolv.conf without a search list, and no CARES_HOSTS of the caller's."""
    p = tmp_path_factory.mktemp("rcdig") / "resolv.conf"
    p.write_text("nameserver 127.0.0.1\n")
    saved = {k: os.environ.pop(k, None) for k in ("LOCALDOMAIN", "RES_OPTIONS", "CARES_HOSTS",
                                                   "NETKIT_RESOLV_CONF")}
    os.environ["NETKIT_RESOLV_CONF"] = str(p)
    yield
    del os.environ["NETKIT_RESOLV_CONF"]
    os.environ.update({k: v for k, v in saved.items() if v is not None})


def jres(*args, **kw):
    r = run("--json", "resolve", *args, **kw)
    return r, [json.loads(line) for line in r.stdout.splitlines()]


def dig(knot, *args):
    r = subprocess.run(["dig", "+time=2", "+tries=1", "@127.0.0.1", "-p", str(knot.port),
                        *args], capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    return r.stdout


def dig_records(text):
    """(name, type, ttl, data) of dig's record lines (comments and blanks skipped)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith(";"):
            continue
        name, ttl, _cls, typ, data = line.split(None, 4)
        out.append((name, typ, int(ttl), data))
    return out


def recs(objs):
    return [(a["name"], a["type"], a["ttl"], a["data"]) for a in objs]


# ---- -v: sections, transport, size, EDNS ----

NEG_SOA = ("dig.test.", "SOA", 60,
           "ns1.dig.test. hostmaster.dig.test. 7 3600 900 604800 60")


@pytest.mark.parametrize("args,status", [(["-t", "A", "nope.dig.test"], "NXDOMAIN"),
                                         (["-t", "MX", "www.dig.test"], "NODATA")])
def test_verbose_negative_answer_has_soa(knot, args, status):
    """The SOA of a negative answer, with its negative-caching TTL: the smaller of the SOA's
    TTL (3600) and its MINIMUM (60)."""
    r, [o] = jres("-v", "-s", knot.server, *args)
    assert r.returncode == 1
    assert o["status"] == status
    assert o["answers"] == [] and o["additional"] == []
    assert recs(o["authority"]) == [NEG_SOA]
    assert o["negative_ttl"] == 60
    # The same SOA dig shows in its authority section.
    want = dig_records(dig(knot, "+nocookie", "+noall", "+authority", *args[1:][::-1]))
    assert recs(o["authority"]) == [(n, t, ttl, d) for n, t, ttl, d in want]
    t = run("resolve", "-v", "-s", knot.server, *args)
    lines = t.stdout.splitlines()
    assert lines[1].endswith(", negative TTL 60 s")
    i = lines.index("; authority section")
    assert lines[i + 1] == "  ".join(map(str, NEG_SOA))


def test_verbose_mx_glue_in_additional(knot):
    r, [o] = jres("-v", "-s", knot.server, "dig.test", "MX")
    assert r.returncode == 0, r.stderr
    assert [a["data"] for a in o["answers"]] == ["10 mail.dig.test.", "20 mail2.dig.test."]
    got = sorted(recs(o["additional"]))
    assert ("mail.dig.test.", "A", 300, "192.0.2.25") in got
    assert ("mail.dig.test.", "AAAA", 300, "2001:db8::25") in got
    want = sorted(dig_records(dig(knot, "+nocookie", "+noall", "+additional", "dig.test", "MX")))
    assert got == want
    t = run("resolve", "-v", "-s", knot.server, "dig.test", "MX").stdout.splitlines()
    i = t.index("; additional section")
    # the section's columns line up (two spaces at least between fields)
    assert sorted(re.split(r"  +", line) for line in t[i + 1:]) == sorted(
        [str(f) for f in x] for x in want)


def test_verbose_ns_glue(knot):
    r, [o] = jres("-v", "-s", knot.server, "-t", "NS", "dig.test")
    assert {a["data"] for a in o["additional"]} == {"192.0.2.1", "192.0.2.2", "2001:db8::2"}


def test_verbose_transport_size_edns_as_dig(knot):
    out = dig(knot, "+nocookie", "+bufsize=1232", "dig.test", "MX")
    size = int(re.search(r"MSG SIZE\s+rcvd: (\d+)", out).group(1))
    edns = int(re.search(r"; EDNS: version: 0, flags:.*; udp: (\d+)", out).group(1))
    r, [o] = jres("-v", "-s", knot.server, "dig.test", "MX")
    assert (o["transport"], o["size"], o["edns"]) == ("udp", size, edns)
    r, [o] = jres("-v", "--tcp", "-s", knot.server, "dig.test", "MX")
    assert (o["transport"], o["size"], o["edns"]) == ("tcp", size, edns)
    t = run("resolve", "-v", "--tcp", "-s", knot.server, "dig.test", "MX")
    assert t.stdout.splitlines()[1] == f"; tcp, {size} bytes, EDNS {edns}"


def test_verbose_address_mode_and_hosts_file(knot, tmp_path):
    r, [o] = jres("-v", "--no-hosts", "-s", knot.server, "www.dig.test")
    assert r.returncode == 0 and o["type"] == "ADDR" and o["transport"] == "udp"
    assert o["size"] > 0 and o["negative_ttl"] is None
    hosts = tmp_path / "hosts"
    hosts.write_text("192.0.2.200 www.dig.test\n")
    r, [o] = jres("-v", "-s", knot.server, "www.dig.test", env={"CARES_HOSTS": str(hosts)})
    assert r.returncode == 0 and o["answers"][0]["source"] == "hosts"
    assert (o["transport"], o["size"], o["edns"]) == (None, None, None)
    assert o["authority"] == [] and o["additional"] == []


def test_plain_output_has_no_sections(knot):
    r, [o] = jres("-s", knot.server, "dig.test", "MX")
    assert "additional" not in o and "transport" not in o


# ---- --short ----

SHORT = [["alias.dig.test", "A"], ["alias.dig.test", "AAAA"], ["dig.test", "MX"],
         ["dig.test", "TXT"], ["dig.test", "SOA"], ["dig.test", "NS"], ["multi.dig.test", "A"],
         ["www.dig.test", "AAAA"], ["-x", "192.0.2.10"], ["nope.dig.test", "A"]]


@pytest.mark.parametrize("words", SHORT)
def test_short_matches_dig_short_byte_for_byte(knot, words):
    want = dig(knot, "+short", *words)
    r = run("resolve", "--short", "-s", knot.server, *words)
    assert r.stdout == want
    if words[0] == "nope.dig.test":
        assert r.returncode == 1 and "NXDOMAIN" in r.stderr
    else:
        assert r.returncode == 0 and want, r.stderr


def test_short_cname_chain_then_addresses(knot):
    r = run("resolve", "--short", "-s", knot.server, "alias.dig.test", "A")
    assert r.stdout == "alias2.dig.test.\nwww.dig.test.\n192.0.2.10\n"


def test_short_is_text_data_only():
    r = run("--json", "resolve", "--short", "-s", "127.0.0.1:9", "x.dig.test")
    assert r.returncode == 2 and "--short and --json" in r.stderr
    r = run("resolve", "--short", "-v", "-s", "127.0.0.1:9", "x.dig.test")
    assert r.returncode == 2 and "--short prints only the data" in r.stderr


# ---- dig's spellings ----

@pytest.mark.parametrize("form", ["@{a}#{p}", "@{a}:{p}", "-s{a}#{p}", "@[{a}]#{p}"])
def test_server_spellings(knot, form):
    spec = form.format(a="127.0.0.1", p=knot.port)
    args = spec.split("-s", 1)
    words = ["-s", args[1]] if spec.startswith("-s") else [spec]
    r, [o] = jres(*words, "-t", "A", "www.dig.test")
    assert r.returncode == 0, r.stderr
    assert o["server"] == knot.server and o["answers"][0]["data"] == "192.0.2.10"


def test_server_word_anywhere(knot):
    r, objs = jres("www.dig.test", "A", f"@127.0.0.1#{knot.port}", "mail.dig.test", "A")
    assert r.returncode == 0, r.stderr
    assert [(o["query"], o["type"], o["server"]) for o in objs] == \
        [("www.dig.test", "A", knot.server), ("mail.dig.test", "A", knot.server)]


def test_reverse_option(knot):
    r, [o] = jres("-s", knot.server, "-t", "A", "-x", "192.0.2.10")
    assert r.returncode == 0, r.stderr
    assert (o["query"], o["type"]) == ("192.0.2.10", "PTR")
    assert [a["data"] for a in o["answers"]] == ["www.example.test."]
    assert o["answers"][0]["name"] == "10.2.0.192.in-addr.arpa."


def test_reverse_keeps_its_place_among_names(knot):
    r, objs = jres("-s", knot.server, "www.dig.test", "A", "-x", "192.0.2.25",
                   "--no-hosts", "mail.dig.test", "MX", "-x192.0.2.10")
    assert r.returncode == 1  # mail.dig.test has no MX
    assert [(o["query"], o["type"]) for o in objs] == [
        ("www.dig.test", "A"), ("192.0.2.25", "PTR"), ("mail.dig.test", "MX"),
        ("192.0.2.10", "PTR")]
    assert objs[1]["answers"][0]["data"] == "mail.example.test."


@pytest.mark.parametrize("word", ["MX", "mx", "Mx", "TYPE15"])
def test_type_word_after_name(knot, word):
    r, [o] = jres("-s", knot.server, "dig.test", word)
    assert r.returncode == 0, r.stderr
    assert o["type"] == "MX" and [a["data"] for a in o["answers"]] == \
        ["10 mail.dig.test.", "20 mail2.dig.test."]


def test_type_words_and_class(knot):
    r, objs = jres("-s", knot.server, "dig.test", "IN", "MX", "txt")
    assert r.returncode == 0, r.stderr
    assert [(o["query"], o["type"]) for o in objs] == [("dig.test", "MX"), ("dig.test", "TXT")]


def test_type_word_belongs_to_the_name_before_it(knot):
    """`a MX b`: MX for a only; b gets the default (address mode, or -t), as dig does."""
    r, objs = jres("-s", knot.server, "--no-hosts", "dig.test", "MX", "www.dig.test")
    assert r.returncode == 0, r.stderr
    assert [(o["query"], o["type"]) for o in objs] == [("dig.test", "MX"),
                                                       ("www.dig.test", "ADDR")]
    r, objs = jres("-s", knot.server, "-t", "TXT", "dig.test", "MX", "dig.test")
    assert [(o["query"], o["type"]) for o in objs] == [("dig.test", "MX"), ("dig.test", "TXT")]


def test_type_word_first_is_a_name(knot, tmp_path):
    """`resolve mx` looks up the host mx (here from the hosts file), never the type MX."""
    hosts = tmp_path / "hosts"
    hosts.write_text("192.0.2.77 mx\n")
    r, [o] = jres("-s", knot.server, "mx", env={"CARES_HOSTS": str(hosts)})
    assert r.returncode == 0, r.stderr
    assert (o["query"], o["type"]) == ("mx", "ADDR")
    assert [a["data"] for a in o["answers"]] == ["192.0.2.77"]
    # ... and through DNS with the search list: mx.dig.test.
    rc = tmp_path / "resolv.conf"
    rc.write_text("nameserver 127.0.0.1\nsearch dig.test\n")
    r, [o] = jres("-s", knot.server, "--no-hosts", "-4", "mx",
                  env={"NETKIT_RESOLV_CONF": str(rc)})
    assert r.returncode == 0, r.stderr
    assert recs(o["answers"]) == [("mx.dig.test.", "A", 300, "192.0.2.77")]


def test_bare_number_after_name_is_a_name(knot):
    r, objs = jres("-s", knot.server, "-t", "A", "www.dig.test", "15")
    assert [o["query"] for o in objs] == ["www.dig.test", "15"]


@pytest.mark.parametrize("args,shown", [
    (["@", "x.dig.test"], "'@': missing server"),
    (["@999.1.1.1", "x.dig.test"], "'999.1.1.1': not an IP address"),
    (["-x", "notanaddr"], "-x 'notanaddr': not an IP address"),
    (["@127.0.0.1#", "x.dig.test"], "'127.0.0.1#': missing port after '#'"),
    (["-s", "127.0.0.1#0", "x.dig.test"], "port out of range (1-65535)"),
    (["-s", "127.0.0.1#99999", "x.dig.test"], "99999: port out of range"),
    (["@1.2.3.4:53#54", "x.dig.test"], "'1.2.3.4:53#54': not an IP address"),
    (["-x", "192.0.2.1", "-f", "-"], "names and --file together"),
    (["-x"], "-x: missing argument"),
    (["version.bind", "CH", "TXT"], "'CH': only class IN is asked"),
    (["+short", "a.dig.test"], "'+short': dig's +options are not taken"),
])
def test_bad_values_exit_2(args, shown):
    r = run("resolve", *args, input="")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert shown in r.stderr and r.stderr.startswith("netkit resolve: ")


# ---- a closed port is refused at once, whatever --tries ----

@pytest.mark.parametrize("args", [["--tries", "1", "--no-hosts"], ["--tries", "1", "-t", "A"],
                                  ["--no-hosts"], ["--tries", "1", "--no-hosts", "-x",
                                                   "192.0.2.10"]])
def test_closed_port_refused_at_once(args):
    port = free_port()
    t0 = time.monotonic()
    r, objs = jres("-s", f"127.0.0.1:{port}", *args, "x.dig.test", timeout=20)
    elapsed = time.monotonic() - t0
    assert r.returncode == 1
    assert objs and all(o["status"] == "ERROR" and o["error"] == "connection refused"
                        for o in objs), objs
    assert "connection refused" in r.stderr and "TIMEOUT" not in r.stderr
    assert elapsed < 1.0


# ---- completion ----

def test_completion_offers_type_words_after_a_name():
    assert "MX" in run("--complete", "--", "resolve", "example.org", "M").stdout.split()
    assert "MX" in run("--complete", "--", "resolve", "-s", "127.0.0.1", "a.test",
                       "M").stdout.split()
    # Before any name (a server or an option's value is none), a word is a name.
    assert "MX" not in run("--complete", "--", "resolve", "M").stdout.split()
    assert "MX" not in run("--complete", "--", "resolve", "-s", "127.0.0.1", "M").stdout.split()
    assert "MX" not in run("--complete", "--", "resolve", "@127.0.0.1", "M").stdout.split()
    assert "--short" in run("--complete", "--", "resolve", "--sh").stdout.split()
