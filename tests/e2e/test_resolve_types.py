# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit resolve prints every type dig knows as `dig +short` does, byte for byte.

A knotd on 127.0.0.1 serves two zones it signs itself, one with NSEC and one with NSEC3, so the
DNSKEY, CDS, CDNSKEY, RRSIG, NSEC, NSEC3 and NSEC3PARAM records are real ones. Each type is
asked of it by netkit (text and --json) and by dig, which is the reference.

knotd keeps NSEC3 records out of the names it answers for (a query for one is NXDOMAIN), so
they are taken from its negative answers and served, as answers, by a small responder of the
test's own on 127.0.0.1; netkit and dig ask it alike. The same responder serves A6, HIP, NXT,
RKEY and DSYNC data knotd cannot (compressed names) or dig rejects (netkit must too).
"""
import base64
import hashlib
import json
import os
import select
import socket
import struct
import subprocess
import threading

import pytest

from conftest import FIXTURES, run
from knot import Knot

ZONES = os.path.join(FIXTURES, "dns")


def dig(knot, name, qtype):
    r = subprocess.run(["dig", "+short", "+norec", "+time=2", "+tries=1", "@127.0.0.1",
                        "-p", str(knot.port), name, qtype],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


@pytest.fixture(scope="module")
def knot(tmp_path_factory):
    work = tmp_path_factory.mktemp("knot-signed")
    zones = {z: os.path.join(ZONES, z + ".zone") for z in ("types.test", "types3.test")}
    k = Knot(str(work), zones, signed={"types.test": "nsec", "types3.test": "nsec3"})
    # knotd answers before it has signed: wait (bounded) until both apexes carry a signature.
    for _ in range(100):
        if all(dig(k, z, "RRSIG") for z in zones):
            break
        assert k.proc.poll() is None, k.log()
    else:
        pytest.fail("knotd did not sign the zones: " + k.log())
    yield k
    k.stop()


def data_text(knot, name, qtype):
    """The DATA column of netkit resolve's text lines (NAME  TYPE  TTL  DATA)."""
    r = run("resolve", "-s", knot.server, "-t", qtype, name, env={"NO_COLOR": "1"})
    assert r.returncode == 0, r.stderr
    rows = [line.split("  ", 3) for line in r.stdout.splitlines()]
    assert all(len(f) == 4 and f[1] == qtype for f in rows), r.stdout
    return [f[3] for f in rows]


def data_json(knot, name, qtype):
    r = run("--json", "resolve", "-s", knot.server, "-t", qtype, name)
    assert r.returncode == 0, r.stderr
    [o] = [json.loads(line) for line in r.stdout.splitlines()]
    assert o["status"] == "NOERROR" and o["type"] == qtype
    return [a["data"] for a in o["answers"]]


def same_as_dig(knot, name, qtype):
    want = sorted(dig(knot, name, qtype))
    assert want, f"dig got nothing for {name} {qtype}"
    assert sorted(data_json(knot, name, qtype)) == want
    assert sorted(data_text(knot, name, qtype)) == want


TYPED = [
    ("loc", "LOC"), ("loc2", "LOC"), ("cert", "CERT"), ("openpgpkey", "OPENPGPKEY"),
    ("_25._tcp", "SMIMEA"), ("zonemd", "ZONEMD"), ("csync", "CSYNC"), ("csync2", "CSYNC"),
    ("eui48", "EUI48"), ("eui64", "EUI64"), ("rp", "RP"), ("afsdb", "AFSDB"), ("kx", "KX"),
    ("ipseckey", "IPSECKEY"), ("dhcid", "DHCID"), ("dhcid2", "DHCID"), ("apl", "APL"),
    ("minfo", "MINFO"), ("rt", "RT"), ("nid", "NID"), ("l32", "L32"), ("l64", "L64"),
    ("lp", "LP"), ("sub", "DS"), ("_443._tcp", "TLSA"), ("sshfp", "SSHFP"), ("svc", "HTTPS"),
    ("svc", "SVCB"), ("uri", "URI"), ("hinfo", "HINFO"), ("caa", "CAA"), ("naptr", "NAPTR"),
    ("unknown", "TYPE65280"), ("ta", "TA"), ("dlv", "DLV"), ("key", "KEY"), ("sig", "SIG"),
    ("mb", "MB"), ("talink", "TALINK"), ("px", "PX"), ("ninfo", "NINFO"), ("avc", "AVC"),
    ("x25", "X25"), ("isdn", "ISDN"), ("gpos", "GPOS"),
    ("wks", "WKS"), ("nsap", "NSAP"), ("eid", "EID"), ("nimloc", "NIMLOC"), ("atma", "ATMA"),
    ("sink", "SINK"), ("amtrelay", "AMTRELAY"), ("doa", "DOA"), ("hhit", "HHIT"), ("brid", "BRID"),
    ("a6", "A6"), ("hip", "HIP"), ("nxt", "NXT"), ("rkey", "RKEY"), ("dsync", "DSYNC"),
    # made by knotd's signer
    ("@", "DNSKEY"), ("@", "CDS"), ("@", "CDNSKEY"), ("@", "RRSIG"), ("@", "NSEC"),
    ("loc", "RRSIG"), ("ipseckey", "NSEC"), ("naptr", "NSEC"), ("unknown", "NSEC"),
    ("svc", "RRSIG"), ("a6", "NSEC"), ("hip", "NSEC"), ("nxt", "NSEC"), ("rkey", "NSEC"),
    ("dsync", "NSEC"),
]


@pytest.mark.parametrize("name,qtype", TYPED, ids=[f"{n}-{t}" for n, t in TYPED])
def test_type_matches_dig_short(knot, name, qtype):
    same_as_dig(knot, "types.test" if name == "@" else name + ".types.test", qtype)


def test_empty_apl_is_an_empty_line(knot):
    """An APL without items: dig prints an empty line, so does netkit."""
    assert dig(knot, "apl2.types.test", "APL") == [""]
    assert data_json(knot, "apl2.types.test", "APL") == [""]


def read_name(pkt, off):
    """The name at off (compression followed) in lowercase, and the offset after it."""
    labels, end = [], None
    for _ in range(128):
        n = pkt[off]
        if n >= 0xc0:
            end = end or off + 2
            off = ((n & 0x3f) << 8) | pkt[off + 1]
        elif n == 0:
            return ".".join(labels).lower(), end or off + 1
        else:
            labels.append(pkt[off + 1:off + 1 + n].decode())
            off += 1 + n
    raise ValueError("name loop")


def records(pkt):
    """(owner, type, ttl, rdata) of every record after the question of a DNS message."""
    qd, an, ns, ar = struct.unpack(">4H", pkt[4:12])
    off = 12
    for _ in range(qd):
        off = read_name(pkt, off)[1] + 4
    for _ in range(an + ns + ar):
        owner, off = read_name(pkt, off)
        rtype, _, ttl, rdlen = struct.unpack(">HHIH", pkt[off:off + 10])
        yield owner, rtype, ttl, pkt[off + 10:off + 10 + rdlen]
        off += 10 + rdlen


def ask(port, name, qtype):
    """knotd's answer to name/qtype with the DO bit (so it adds NSEC3 and RRSIG records)."""
    q = struct.pack(">6H", 0x5151, 0, 1, 0, 0, 1)
    q += b"".join(bytes([len(x)]) + x.encode() for x in name.split(".")) + b"\0"
    q += struct.pack(">HH", qtype, 1) + b"\0" + struct.pack(">HHIH", 41, 4096, 0x8000, 0)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(5)
        s.sendto(q, ("127.0.0.1", port))
        return s.recvfrom(65535)[0]
    finally:
        s.close()


class Responder:
    """Answers queries for {(owner, type): [(ttl, rdata)]} on 127.0.0.1:port; NXDOMAIN else."""

    def __init__(self, rrsets):
        self.rrsets = rrsets
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = f"127.0.0.1:{self.port}"
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.done.is_set():
            if not select.select([self.sock], [], [], 0.1)[0]:
                continue
            q, peer = self.sock.recvfrom(65535)
            name, off = read_name(q, 12)
            qtype = struct.unpack(">H", q[off:off + 2])[0]
            rrs = self.rrsets.get((name, qtype), [])
            a = q[:2] + struct.pack(">5H", 0x8400 if rrs else 0x8403, 1, len(rrs), 0, 0)
            a += q[12:off + 4]
            for ttl, rd in rrs:
                a += struct.pack(">HHHIH", 0xc00c, qtype, 1, ttl, len(rd)) + rd
            self.sock.sendto(a, peer)

    def stop(self):
        self.done.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture(scope="module")
def nsec3(knot):
    """The signed NSEC3 zone's NSEC3 records and their signatures, served as answers."""
    rrsets = {}
    for name, qtype in [("zz.types3.test", 1), ("types3.test", 16), ("c.types3.test", 1),
                        ("b.c.types3.test", 1), ("x.a.b.c.types3.test", 1),
                        ("www.types3.test", 16), ("a.b.c.types3.test", 16)]:
        for owner, rtype, ttl, rd in records(ask(knot.port, name, qtype)):
            if rtype == 50 or (rtype == 46 and rd[:2] == b"\0\x32"):
                rrset = rrsets.setdefault((owner, rtype), [])
                if (ttl, rd) not in rrset:
                    rrset.append((ttl, rd))
    r = Responder(rrsets)
    yield r
    r.stop()


def nsec3_owner(name, zone, salt):
    """The NSEC3 owner of name (SHA-1, no extra iterations) in zone."""
    wire = b"".join(bytes([len(label)]) + label.encode()
                    for label in name.lower().rstrip(".").split(".")) + b"\0"
    h = hashlib.sha1(wire + bytes.fromhex(salt)).digest()
    return base64.b32hexencode(h).decode().rstrip("=").lower() + "." + zone


@pytest.mark.parametrize("name", ["types3.test", "www.types3.test", "a.b.c.types3.test",
                                  "c.types3.test", "b.c.types3.test"])
def test_nsec3_matches_dig_short(knot, nsec3, name):
    """NSEC3 of names with types and of empty non-terminals (no type bitmap at all); the salt
    comes from the zone's NSEC3PARAM, which must match dig too."""
    same_as_dig(knot, "types3.test", "NSEC3PARAM")
    [param] = dig(knot, "types3.test", "NSEC3PARAM")
    alg, flags, iterations, salt = param.split()
    assert (alg, iterations) == ("1", "0") and len(salt) == 8
    owner = nsec3_owner(name, "types3.test", salt)
    same_as_dig(nsec3, owner, "NSEC3")
    same_as_dig(nsec3, owner, "RRSIG")
    if name in ("c.types3.test", "b.c.types3.test"):  # an empty non-terminal: no types
        [rd] = data_json(nsec3, owner, "NSEC3")
        assert len(rd.split()) == 5, rd


def test_type_names_in_bitmaps_and_type_column(knot):
    """The NSEC bitmap names each type as dig does, and the TYPE column says LOC, not TYPE29."""
    [nsec] = data_json(knot, "loc.types.test", "NSEC")
    assert nsec.endswith(" LOC RRSIG NSEC")
    r = run("resolve", "-s", knot.server, "-t", "loc", "loc2.types.test", env={"NO_COLOR": "1"})
    assert r.returncode == 0 and r.stdout.split()[1] == "LOC"


def wire(name):
    """name in wire form, uncompressed."""
    return b"".join(bytes([len(x)]) + x.encode() for x in name.split(".") if x) + b"\0"


RARE_NAMES = {38: "A6", 55: "HIP", 30: "NXT", 57: "RKEY", 66: "DSYNC", 47: "NSEC",
              48: "DNSKEY", 25: "KEY"}
PTR = b"\xc0\x0c"  # a compression pointer to the question's name, at offset 12
# Record data knotd cannot serve (compressed names) or dig rejects: (owner, type, data).
RARE_GOOD = [
    ("a6c.t", 38, b"\x40" + bytes(8) + PTR),
    ("a6c.t", 38, b"\x80" + PTR),
    ("a6c.t", 38, b"\x78\xff" + wire("a")),
    ("a6c.t", 38, b"\x7f\x01" + wire("a")),
    ("hipc.t", 55, b"\x01\x02\x00\x01ab" + PTR + wire("")),
    ("nxtc.t", 30, PTR + b"\x40"),
    ("nxtc.t", 30, wire("")),
    ("dsyncc.t", 66, b"\x00\x3b\x01\x14\x51" + PTR),
    ("rkeyc.t", 57, b"\x00\x00\x03\x05" + bytes(range(256))),
    # a PRIVATEDNS key starts with a name, which dig prints uncompressed
    ("key253.t", 48, b"\x01\x01\x03\xfd" + PTR + bytes(range(1, 20))),
    ("key253.t", 57, b"\x00\x00\x03\xfd\x01a" + PTR + bytes(range(1, 20))),
    # every type name dig knows, and how it names the others: types 0-263, 32768-32769 and
    # 65280-65535 in an NSEC bitmap
    ("all.t", 47, wire("n") + b"\0\x20" + b"\xff" * 32 + b"\x01\x01\xff\x80\x01\xc0\xff\x20"
     + b"\xff" * 32),
]
RARE_BAD = [
    ("a6bad.t", 38, b"\x81" + wire("a")),                         # a prefix over 128 bits
    ("a6bad2.t", 38, b"\x09" + b"\xff" * 15 + wire("a")),         # prefix bits in the suffix
    ("a6bad3.t", 38, b"\x40" + bytes(8) + wire("a") + b"\0"),     # a byte after the name
    ("hipbad.t", 55, b"\x00\x02\x00\x03abc"),                     # no HIT
    ("hipbad2.t", 55, b"\x01\x02\x00\x02ab"),                     # the key runs past the end
    ("nxtbad.t", 30, wire("n") + b"\x40" * 17),                   # a bitmap over 16 octets
    ("nxtbad2.t", 30, wire("n") + b"\x80"),                       # the extended format's bit
    ("rkeybad.t", 57, b"\x00\x01\x03\x05\x01\x02\x03"),           # a flag set
    ("key253bad.t", 48, b"\x01\x01\x03\xfd\x40"),                 # its name a bad label
    ("keybad.t", 25, b"\xc0\x00\x03\x05\x01"),                    # "no key", yet a key
    ("dsyncbad.t", 66, b"\x00\x3b\x01\x14\x51" + wire("n") + b"\0"),
]


@pytest.fixture(scope="module")
def rare():
    rrsets = {}
    for owner, rtype, rd in RARE_GOOD + RARE_BAD:
        rrsets.setdefault((owner, rtype), []).append((60, rd))
    r = Responder(rrsets)
    yield r
    r.stop()


def test_rare_types_compressed_and_edges_match_dig(rare):
    """Compressed names in A6, HIP, NXT and DSYNC, A6 suffixes of one octet, a long RKEY,
    PRIVATEDNS keys, and every type's name in a bitmap."""
    for owner, rtype in sorted({(o, t) for o, t, _ in RARE_GOOD}):
        same_as_dig(rare, owner, RARE_NAMES[rtype])


@pytest.mark.parametrize("owner,rtype", [(o, t) for o, t, _ in RARE_BAD],
                         ids=[o for o, _, _ in RARE_BAD])
def test_rare_types_dig_rejects_are_malformed(rare, owner, rtype):
    """What dig calls a bad packet, netkit calls a malformed answer (exit 1)."""
    name = RARE_NAMES[rtype]
    assert "Got bad packet" in "\n".join(dig(rare, owner, name))
    r = run("--json", "resolve", "-s", rare.server, "-t", name, owner)
    assert r.returncode == 1 and "malformed" in r.stderr, r.stderr
