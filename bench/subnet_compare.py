#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scans of namespace hosts, netkit against nmap, RUNS times each; prints best and median wall
time and whether each run found exactly the expected open ports (per host); for UDP, also the
number of closed ports (every scanned port that is not open is closed on the bench's hosts: a
port reported open|filtered there is a closed port whose ICMP answer went missing).

usage: subnet_compare.py tcp NS RUNS NETKIT TARGET PORTS EXPECTED_JSON
       subnet_compare.py udp NS RUNS NETKIT TARGET PORTS EXPECTED_JSON
EXPECTED_JSON: {"address": [open ports], ...}. Run from the scanner's namespace NS.
"""
import json
import re
import shutil
import subprocess
import sys
import time

mode, ns, runs, netkit, target, ports, expected = sys.argv[1:8]
runs = int(runs)
scanned = set()
for item in ports.split(","):
    lo, _, hi = item.partition("-")
    scanned.update(range(int(lo), int(hi or lo) + 1))
expected = {a: sorted(x for x in p if x in scanned) for a, p in json.loads(expected).items()}
if mode == "udp":
    expected = {a: (p, len(scanned) - len(p)) for a, p in expected.items()}


def in_ns(cmd):
    return ["ip", "netns", "exec", ns] + cmd


def netkit_open(out):
    found = {}
    for line in out.splitlines():
        if line.startswith("{"):
            o = json.loads(line)
            found[o["address"]] = sorted(p["port"] for p in o["open"])
            if mode == "udp":
                found[o["address"]] = (found[o["address"]], o["closed"])
    return found


def nmap_open(out):
    found = {}
    for line in out.splitlines():
        m = re.match(r"Host: (\S+) .*Ports: (.*?)(\t|$)", line)
        if m:
            fields = [f.split("/") for f in m.group(2).split(", ")]
            found[m.group(1)] = sorted(int(f[0]) for f in fields if f[1] == "open")
            if mode == "udp":
                closed = sum(1 for f in fields if f[1] == "closed")
                ign = re.search(r"Ignored State: closed \((\d+)\)", line)
                found[m.group(1)] = (found[m.group(1)], closed + int(ign.group(1) if ign else 0))
    return found


if mode == "tcp":
    tools = [
        ("netkit ports --scan", [netkit, "--json", "ports", "--scan", target, "--ports", ports],
         netkit_open),
        ("nmap -sT -T5", ["nmap", "-n", "-Pn", "-sT", "-T5", "-p", ports, "-oG", "-", target],
         nmap_open),
        ("nmap -sS -T5", ["nmap", "-n", "-Pn", "-sS", "-T5", "-p", ports, "-oG", "-", target],
         nmap_open),
    ]
else:
    tools = [
        ("netkit ports -u --scan", [netkit, "--json", "ports", "-u", "--scan", target,
                                    "--ports", ports], netkit_open),
        ("nmap -sU -T5", ["nmap", "-n", "-Pn", "-sU", "-T5", "-p", ports, "-oG", "-", target],
         nmap_open),
    ]

print(f"{mode} scan of {target}, ports {ports}; expected open: "
      f"{sum(len(v) for v in expected.values())} on {len(expected)} hosts")
print(f"{'tool':<24} {'runs':>4} {'best s':>8} {'median s':>9} {'exact':>6}  differences")
results = {}
for name, cmd, parse in tools:
    if not shutil.which(cmd[0]) and not cmd[0].startswith("/"):
        print(f"{name:<24} (not installed)")
        continue
    times, exact, diffs = [], 0, set()
    for _ in range(runs):
        t0 = time.monotonic()
        r = subprocess.run(in_ns(cmd), capture_output=True, text=True, timeout=1800)
        times.append(time.monotonic() - t0)
        found = parse(r.stdout)
        got = {a: found.get(a, ([], 0) if mode == "udp" else []) for a in expected}
        if got == expected:
            exact += 1
        else:
            for a in expected:
                g, e = (got[a][0], expected[a][0]) if mode == "udp" else (got[a], expected[a])
                for p in set(g) ^ set(e):
                    diffs.add(f"{a}:{p} {'reported open' if p in g else 'missed'}")
                if mode == "udp" and got[a][1] != expected[a][1]:
                    diffs.add(f"{a}: {expected[a][1] - got[a][1]} closed ports not found")
    times.sort()
    results[name] = times
    print(f"{name:<24} {runs:>4} {times[0]:>8.3f} {times[len(times) // 2]:>9.3f} "
          f"{exact:>3}/{runs:<2}  {', '.join(sorted(diffs)[:6]) or '-'}")

nk = results.get(tools[0][0])
if nk:
    med = nk[len(nk) // 2]
    for name, times in results.items():
        if name != tools[0][0]:
            print(f"netkit vs {name}: {times[len(times) // 2] / med:.2f}x faster (median)")
