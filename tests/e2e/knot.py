# SPDX-License-Identifier: GPL-3.0-or-later
"""A real authoritative DNS server (Debian's knotd) for netkit resolve's tests and benchmark.

start_knot() writes a config into a temporary directory, starts knotd on 127.0.0.1 with a port
it picks, and waits (bounded) until the server answers a query. Knot prints no readiness line
on stdout, so readiness is a bounded poll: send a query, wait a little for an answer, retry.
Zones named in `signed` are signed by knotd itself (its keys in the work directory), with NSEC
or NSEC3 (no extra hash iterations, a 4-byte salt).
"""
import os
import random
import socket
import struct
import subprocess

KNOTD = "/usr/sbin/knotd"


def free_port():
    """A port free for both UDP and TCP on 127.0.0.1, below the kernel's ephemeral range: the
    ports other tests' servers get by binding port 0 (and whatever joins them by number) come
    from that range, so a knotd of ours never shares its port with one of them."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 30000)
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            t.bind(("127.0.0.1", port))
            u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            t.close()
            u.close()
    raise RuntimeError("no free port")


def write_zone(path, origin, records):
    """A zone file for origin at path: SOA, NS ns1 (192.0.2.1), then the record lines given
    (an iterable of strings, relative names, without newlines)."""
    with open(path, "w") as f:
        f.write(f"$ORIGIN {origin}.\n$TTL 300\n")
        f.write(f"@ IN SOA ns1.{origin}. h.{origin}. 1 3600 900 604800 300\n@ IN NS ns1\n")
        f.write("ns1 IN A 192.0.2.1\n")
        f.writelines(r + "\n" for r in records)


def query_packet(name, qtype=6, qid=0x1234):
    """A minimal DNS query (RD clear) for name/qtype."""
    q = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)


def reply(port, name="example.test", wait=0.2):
    """The reply a DNS server on 127.0.0.1:port gives to a SOA query within wait seconds (its
    header must carry our ID), or None."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(wait)
        s.sendto(query_packet(name), ("127.0.0.1", port))
        data, _ = s.recvfrom(4096)
        return data if len(data) >= 12 and data[:2] == b"\x12\x34" else None
    except OSError:
        return None
    finally:
        s.close()


def answers(port, name="example.test", wait=0.2):
    """True if a DNS server on 127.0.0.1:port answers a SOA query within wait seconds: a
    response (QR set), not our query echoed by something else that holds the port."""
    data = reply(port, name, wait)
    return data is not None and bool(data[2] & 0x80)


class Knot:
    """knotd serving zones {origin: zonefile} on 127.0.0.1:port, from a config in workdir;
    signed {origin: "nsec" or "nsec3"} names the zones knotd signs (DNSSEC)."""

    def __init__(self, workdir, zones, tries=100, signed=None):
        self.workdir = workdir
        self.signed = signed or {}
        self.proc = None
        for _ in range(3):  # a port taken between free_port() and knotd's bind: pick again
            self.port = free_port()
            self._start(zones)
            if self._ready(tries):
                return
            self.stop()
        raise RuntimeError("knotd did not answer: " + self.log())

    def _start(self, zones):
        conf = os.path.join(self.workdir, "knot.conf")
        with open(conf, "w") as f:
            f.write("server:\n")
            f.write(f"    listen: 127.0.0.1@{self.port}\n")
            f.write(f"    rundir: \"{self.workdir}\"\n")
            f.write("    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n")
            f.write(f"database:\n    storage: \"{self.workdir}\"\n")
            f.write("log:\n  - target: stderr\n    any: warning\n")
            if self.signed:  # keys go to the KASP database under storage (the workdir)
                f.write("policy:\n  - id: nsec\n    algorithm: ecdsap256sha256\n"
                        "  - id: nsec3\n    algorithm: ecdsap256sha256\n    nsec3: on\n"
                        "    nsec3-iterations: 0\n    nsec3-salt-length: 4\n")
            f.write("template:\n  - id: default\n    zonefile-sync: -1\n"
                    "    zonefile-load: whole\n    journal-content: none\n")
            f.write("zone:\n")
            for origin, path in zones.items():
                f.write(f"  - domain: {origin}\n    file: \"{path}\"\n")
                if origin in self.signed:
                    f.write(f"    dnssec-signing: on\n    dnssec-policy: {self.signed[origin]}\n")
        self.logf = open(os.path.join(self.workdir, "knotd.log"), "w+")
        self.proc = subprocess.Popen([KNOTD, "-c", conf], stdin=subprocess.DEVNULL,
                                     stdout=self.logf, stderr=self.logf)

    def _ready(self, tries):
        # Bounded: at most `tries` queries, each waiting up to 0.2 s for the answer.
        for _ in range(tries):
            if self.proc.poll() is not None:
                return False
            data = reply(self.port)
            if data is not None:
                # Our query came back as it went (QR clear): another test's echo server took
                # the port before knotd bound it. Pick another.
                return bool(data[2] & 0x80)
        return False

    def log(self):
        self.logf.seek(0)
        return self.logf.read()

    @property
    def server(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.logf.close()
