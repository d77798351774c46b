# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit ifaces -s --watch: per-interface rates, driven by the test's own traffic in a
namespace it creates (its loopback: idle until the test pings it)."""
import json
import subprocess

from conftest import NETKIT


def test_rates_follow_the_traffic(netns, server):
    ns = netns()
    w = server("--json", "ifaces", "-s", "--watch", "lo", netns=ns, ready=None)
    first = json.loads(w.wait_for(r'"ifname":"lo"').string)
    assert first["rx_packets_per_s"] == 0 and first["tx_bytes_per_s"] == 0  # idle
    ping = subprocess.Popen(["ip", "netns", "exec", ns, "ping", "-q", "-i", "0.2", "-c", "40",
                             "127.0.0.1"], stdout=subprocess.DEVNULL)
    try:
        for _ in range(5):  # within a few samples the pings show
            ev = json.loads(w.wait_for(r'"ifname":"lo"').string)
            if ev["rx_packets_per_s"] > 0:
                break
        assert 2 <= ev["rx_packets_per_s"] <= 20  # 5 echo requests and 5 replies a second
        assert ev["rx_bytes_per_s"] >= 84 * ev["rx_packets_per_s"] * 0.9
        assert ev["errors_per_s"] == 0
    finally:
        ping.kill()
        ping.wait(timeout=10)
    status, err = w.stop(sig=2)  # Ctrl-C ends a watch, status 0
    assert status == 0, err


def test_watch_on_a_terminal_redraws(netns):
    import pexpect  # python3-pexpect (packages.txt)
    ns = netns()
    child = pexpect.spawn("ip", ["netns", "exec", ns, NETKIT, "--color", "never", "ifaces", "-s",
                                 "--watch=1", "lo"], timeout=20, encoding="utf-8")
    child.expect(r"\x1b\[H\x1b\[2J")
    child.expect(r"every 1 s\r\nIFACE\s+RX B/s\s+RX pkt/s\s+TX B/s\s+TX pkt/s\s+ERRORS\s+DROPPED")
    child.expect(r"lo\s+0\s+0\s+0\s+0\s+0\s+0")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_watch_requires_stats():
    r = subprocess.run([NETKIT, "ifaces", "--watch"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "--stats" in r.stderr
