# SPDX-License-Identifier: GPL-3.0-or-later
"""A small DNS hierarchy of real knotd servers in a network namespace, for resolve --trace.

Every server listens on port 53 of its own loopback address inside the namespace:

  127.0.0.2  a.root-servers.nk.   the root zone "."
  127.0.0.3  ns1.test.            "test."
  127.0.0.4  ns1.example.test.    "example.test." and "glueless.test."
  127.0.0.5  ns2.example.test.    lame: delegated example.test. but serves only "lame.nk."
  127.0.0.6  ns1.serial.test.     "serial.test." with serial 1
  127.0.0.7  ns2.serial.test.     "serial.test." with serial 2 (and another www address)
  127.0.0.8  ns3.example.test.    with silent=True only: delegated, nothing answers (the
                                  caller drops its packets, e.g. with nft)

glueless.test. is served by dns.example.test., a name with no glue in test. (its address lives
in example.test.); pair.test. by two glueless names, dns.example.test. and dns.serial.test.
(127.0.0.4 and 127.0.0.6 serve it); broken.test.'s only server is the lame one;
alias.example.test. is a CNAME to host.glueless.test. and dn.example.test. a DNAME to
glueless.test. (both cross zones: host.dn.example.test. is host.glueless.test.).
With silent=True, twins.test. is served by a.mute.test. and b.mute.test., glueless names in
mute.test., whose only server is the silent one: their lookups each wait out the timeout.
Readiness: one process in the namespace asks every server for its zone's SOA until each answers
authoritatively (bounded), no sleeps.

Run as a program (the benchmark): `dnstree.py NETNS WORKDIR [--silent]` starts the servers,
prints "ready", and stops them when stdin closes.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KNOTD = "/usr/sbin/knotd"

ROOT = "127.0.0.2"
TLD = "127.0.0.3"
EX1 = "127.0.0.4"
EX2 = "127.0.0.5"
SER1 = "127.0.0.6"
SER2 = "127.0.0.7"
SILENT = "127.0.0.8"

SERIAL_EXAMPLE = 2026120101
SOA = "@ 3600 SOA {ns} hostmaster.{zone} {serial} 3600 600 86400 300\n"


def zones(silent=False):
    """{instance address: {zone origin: zone text}}."""
    root = ("$ORIGIN .\n" + SOA.format(ns="a.root-servers.nk.", zone="nk.", serial=1) +
            ". 3600 NS a.root-servers.nk.\n"
            f"a.root-servers.nk. 3600 A {ROOT}\n"
            "test. 3600 NS ns1.test.\n"
            f"ns1.test. 3600 A {TLD}\n")
    extra_ns = "example 3600 NS ns3.example.test.\n" if silent else ""
    extra_glue = f"ns3.example 3600 A {SILENT}\n" if silent else ""
    mute = ("mute 3600 NS ns.mute.test.\n"
            f"ns.mute 3600 A {SILENT}\n"
            "twins 3600 NS a.mute.test.\n"
            "twins 3600 NS b.mute.test.\n") if silent else ""
    tld = ("$ORIGIN test.\n" + SOA.format(ns="ns1.test.", zone="test.", serial=1) +
           "@ 3600 NS ns1.test.\n"
           f"ns1 3600 A {TLD}\n"
           "example 3600 NS ns1.example.test.\n"
           "example 3600 NS ns2.example.test.\n" + extra_ns +
           f"ns1.example 3600 A {EX1}\n"
           f"ns2.example 3600 A {EX2}\n" + extra_glue +
           "serial 3600 NS ns1.serial.test.\n"
           "serial 3600 NS ns2.serial.test.\n"
           f"ns1.serial 3600 A {SER1}\n"
           f"ns2.serial 3600 A {SER2}\n"
           "glueless 3600 NS dns.example.test.\n"
           "pair 3600 NS dns.example.test.\n"
           "pair 3600 NS dns.serial.test.\n"
           "broken 3600 NS ns2.example.test.\n" + mute)
    example = ("$ORIGIN example.test.\n" +
               SOA.format(ns="ns1.example.test.", zone="example.test.", serial=SERIAL_EXAMPLE) +
               "@ 3600 NS ns1.example.test.\n"
               "@ 3600 NS ns2.example.test.\n" +
               ("@ 3600 NS ns3.example.test.\n" if silent else "") +
               f"ns1 3600 A {EX1}\n"
               f"ns2 3600 A {EX2}\n" +
               (f"ns3 3600 A {SILENT}\n" if silent else "") +
               f"dns 3600 A {EX1}\n"
               "www 300 A 192.0.2.10\n"
               "www 300 AAAA 2001:db8::10\n"
               "v4only 300 A 192.0.2.11\n"
               "mail 300 MX 10 mx.example.test.\n"
               "alias 300 CNAME host.glueless.test.\n"
               "dn 300 DNAME glueless.test.\n")
    glueless = ("$ORIGIN glueless.test.\n" +
                SOA.format(ns="dns.example.test.", zone="glueless.test.", serial=7) +
                "@ 3600 NS dns.example.test.\n"
                "host 300 A 192.0.2.77\n")
    pair = ("$ORIGIN pair.test.\n" +
            SOA.format(ns="dns.example.test.", zone="pair.test.", serial=3) +
            "@ 3600 NS dns.example.test.\n"
            "@ 3600 NS dns.serial.test.\n"
            "host 300 A 192.0.2.88\n")

    def serial(n, addr):
        return ("$ORIGIN serial.test.\n" +
                SOA.format(ns="ns1.serial.test.", zone="serial.test.", serial=n) +
                "@ 3600 NS ns1.serial.test.\n"
                "@ 3600 NS ns2.serial.test.\n"
                f"ns1 3600 A {SER1}\n"
                f"ns2 3600 A {SER2}\n"
                f"dns 3600 A {SER1}\n"
                f"www 300 A {addr}\n"
                "same 300 A 192.0.2.30\n")
    lame = "$ORIGIN lame.nk.\n" + SOA.format(ns="x.lame.nk.", zone="lame.nk.", serial=1) + \
        "@ 3600 NS x.lame.nk.\n"
    return {ROOT: {".": root}, TLD: {"test.": tld},
            EX1: {"example.test.": example, "glueless.test.": glueless, "pair.test.": pair},
            EX2: {"lame.nk.": lame},
            SER1: {"serial.test.": serial(1, "192.0.2.20"), "pair.test.": pair},
            SER2: {"serial.test.": serial(2, "192.0.2.21")}}


READY = r"""
import socket, struct, sys
todo = [tuple(a.split('/')) for a in sys.argv[2:]]
for _ in range(int(sys.argv[1])):
    left = []
    for addr, zone in todo:
        q = struct.pack('>HHHHHH', 0x4242, 0, 1, 0, 0, 0)
        for label in [l for l in zone.split('.') if l]:
            q += bytes([len(label)]) + label.encode()
        q += b'\0' + struct.pack('>HH', 6, 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.2)
        try:
            s.sendto(q, (addr, 53))
            r = s.recv(4096)
            if not (len(r) >= 12 and r[:2] == b'\x42\x42' and r[2] & 4 and r[3] & 15 == 0):
                left.append((addr, zone))
        except OSError:
            left.append((addr, zone))
        finally:
            s.close()
    todo = left
    if not todo:
        sys.exit(0)
print('not ready:', todo, file=sys.stderr)
sys.exit(1)
"""


class Tree:
    """The hierarchy's knotd processes in namespace ns, configs and logs under workdir."""

    def __init__(self, ns, workdir, silent=False, tries=150):
        self.ns, self.workdir, self.procs, self.logs = ns, workdir, [], []
        checks = []
        try:
            for addr, zs in zones(silent).items():
                self._start(addr, zs)
                checks += [f"{addr}/{z}" for z in zs]
            r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c", READY,
                                str(tries), *checks], capture_output=True, text=True, timeout=90)
            if r.returncode != 0:
                raise RuntimeError("knotd did not answer: " + r.stderr + self.log())
        except BaseException:
            self.stop()
            raise

    def _start(self, addr, zs):
        d = os.path.join(self.workdir, addr)
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "knot.conf")
        with open(conf, "w") as f:
            f.write(f"server:\n    listen: {addr}@53\n    rundir: \"{d}\"\n")
            f.write("    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n")
            f.write(f"database:\n    storage: \"{d}\"\n")
            f.write("log:\n  - target: stderr\n    any: warning\n")
            f.write("template:\n  - id: default\n    zonefile-sync: -1\n"
                    "    zonefile-load: whole\n    journal-content: none\n")
            f.write("zone:\n")
            for origin, text in zs.items():
                path = os.path.join(d, (origin.strip(".") or "root") + ".zone")
                with open(path, "w") as z:
                    z.write("$TTL 3600\n" + text)
                f.write(f"  - domain: \"{origin}\"\n    file: \"{path}\"\n")
        log = open(os.path.join(d, "knotd.log"), "w+")
        self.logs.append(log)
        self.procs.append(subprocess.Popen(["ip", "netns", "exec", self.ns, KNOTD, "-c", conf],
                                           stdin=subprocess.DEVNULL, stdout=log, stderr=log))

    def log(self):
        text = ""
        for f in self.logs:
            f.seek(0)
            text += f.read()
        return text

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)
        for f in self.logs:
            f.close()
        self.procs, self.logs = [], []


if __name__ == "__main__":
    tree = Tree(sys.argv[1], sys.argv[2], silent="--silent" in sys.argv[3:])
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        tree.stop()
