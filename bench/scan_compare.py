#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run each port scanner on 127.0.0.1 (1-65535) RUNS times inside network namespace NS, where
exactly the ports in EXPECTED listen; print wall time and whether the findings were exact.

usage: scan_compare.py NS RUNS NETKIT PORT,PORT,...
"""
import re
import shutil
import subprocess
import sys
import time
import json

ns, runs, netkit, expected = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
expected = sorted(int(p) for p in expected.split(","))


def in_ns(cmd):
    return ["ip", "netns", "exec", ns] + cmd


def netkit_open(out):
    return [o["port"] for o in json.loads(out)["open"]]


def nmap_open(out):
    m = re.search(r"Ports: (.*)", out)
    return sorted(int(f.split("/")[0]) for f in m.group(1).split(", ") if "/open/" in f) if m \
        else []


def nc_open(out):
    return sorted(int(m) for m in re.findall(r"Connection to \S+ (\d+) port .* succeeded", out))


tools = [
    ("netkit ports --scan", [netkit, "--json", "ports", "--scan", "127.0.0.1", "--ports",
                             "1-65535"], netkit_open),
    ("nmap -sT -p- -T5", ["nmap", "-n", "-Pn", "-sT", "-p-", "-T5", "-oG", "-", "127.0.0.1"],
     nmap_open),
    ("nmap -sS -p- -T5", ["nmap", "-n", "-Pn", "-sS", "-p-", "-T5", "-oG", "-", "127.0.0.1"],
     nmap_open),
    ("nc -z 1-65535", ["nc", "-z", "-v", "-w", "1", "127.0.0.1", "1-65535"], nc_open),
]

print(f"full scan of 127.0.0.1, 65,535 ports, {len(expected)} listeners: {expected}")
print(f"{'tool':<22} {'runs':>4} {'best s':>8} {'median s':>9} {'exact':>6}  wrong findings")
results = {}
for name, cmd, parse in tools:
    if not shutil.which(cmd[0]) and not cmd[0].startswith("/"):
        print(f"{name:<22} (not installed)")
        continue
    times, exact, wrong = [], 0, set()
    for _ in range(runs):
        t0 = time.monotonic()
        r = subprocess.run(in_ns(cmd), capture_output=True, text=True, timeout=60)
        times.append(time.monotonic() - t0)
        found = parse(r.stdout + r.stderr)
        if found == expected:
            exact += 1
        else:
            wrong |= set(found) ^ set(expected)
    times.sort()
    results[name] = times
    w = ", ".join(f"{p} {'(reported open)' if p not in expected else '(missed)'}"
                  for p in sorted(wrong)) or "-"
    print(f"{name:<22} {runs:>4} {times[0]:>8.3f} {times[len(times) // 2]:>9.3f} "
          f"{exact:>3}/{runs:<2}  {w}")

nk = results.get("netkit ports --scan")
if nk:
    med = nk[len(nk) // 2]
    for name, times in results.items():
        if name != "netkit ports --scan":
            print(f"netkit vs {name}: {times[len(times) // 2] / med:.2f}x faster (median)")
