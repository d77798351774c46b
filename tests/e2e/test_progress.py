# SPDX-License-Identifier: GPL-3.0-or-later
"""Progress lines, Ctrl-C outside the shell, and streamed output, on real terminals (pexpect
ptys) and pipes: the scan and `resolve -f` say how far and how long; a message goes above the
progress line; Ctrl-C prints what there is and exits 1 with the line cleared (no "^C" left on
it); `resolve -f -` answers each name as it comes, even into a pipe; columns line up."""
import io
import os
import re
import select
import socket
import subprocess
import sys
import time

import pexpect  # python3-pexpect (packages.txt)
import pytest

from conftest import NETKIT, run, sh
from knot import Knot

HERE = os.path.dirname(os.path.abspath(__file__))
ZONES = os.path.join(os.path.dirname(HERE), "fixtures", "dns")


@pytest.fixture(scope="module")
def knot(tmp_path_factory):
    k = Knot(str(tmp_path_factory.mktemp("knot")),
             {"example.test": os.path.join(ZONES, "example.test.zone")})
    yield k
    k.stop()


@pytest.fixture
def partial(server):
    """dnsfault.py partial: "ok*" names answered at once, "late*" on a retry, others never."""
    s = server(os.path.join(HERE, "dnsfault.py"), "partial", binary=sys.executable)
    return s.lines[0].split()[-1]


def spawn(args, **kw):
    """A pty; everything it shows is kept in child.logfile_read (getvalue())."""
    child = pexpect.spawn(args[0], args[1:], timeout=20, dimensions=(24, 200),
                          env=dict(os.environ, NO_COLOR="1"), **kw)
    child.logfile_read = io.BytesIO()
    return child


def finish(child):
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.signalstatus


def cleared_after_interrupt(out, report):
    """The progress line is gone before the report, and no "^C" is left on the screen."""
    assert b"^C" not in out, out
    i = out.index(report)
    assert out.rfind(b"\r\x1b[K", 0, i) >= 0, out


def test_batch_progress_and_ctrl_c(partial, tmp_path):
    names = tmp_path / "names"
    hang = [f"hang{i}.test" for i in range(40)]
    names.write_text("ok1.test\nok2.test\n# a comment\n\nlate1.test\n"
                     + "\n".join(hang) + "\n")
    total = 3 + len(hang)
    child = spawn([NETKIT, "resolve", "-s", partial, "-t", "A", "--timeout", "1000",
                   "--tries", "10", "-f", str(names)])
    # done/total from the file (blank lines and comments not counted), the rate, the failures,
    # the time left.
    child.expect(rf"3/{total} names \(7%\), \d+/s, 0 failed, about \d+ s left".encode())
    child.sendintr()
    child.expect(rb"interrupted after 3 of 43 names: 3 answered, 0 failed, in [\d.]+ s\r\n")
    assert finish(child) == (1, None)
    out = child.logfile_read.getvalue()
    cleared_after_interrupt(out, b"netkit resolve: interrupted")
    for n in ("ok1.test.", "ok2.test.", "late1.test."):
        assert re.search(rf"{re.escape(n)}\s+A\s+60\s+192\.0\.2\.1\r\n".encode(), out), out


def test_a_message_goes_above_the_progress_line(partial, tmp_path):
    """Names that time out after the progress line is up: each message clears the line, and
    the line is drawn again below it (as apt does)."""
    names = tmp_path / "names"
    names.write_text("ok1.test\n" + "".join(f"hang{i}.test\n" for i in range(3)))
    child = spawn([NETKIT, "resolve", "-s", partial, "-t", "A", "--timeout", "600",
                   "--tries", "1", "-f", str(names)])
    child.expect(rb"\r1/4 names \(25%\), \d+/s, 0 failed, about \d+ s left\x1b\[K")
    for _ in range(3):
        child.expect(rb"\r\x1b\[Knetkit resolve: hang\d\.test: [^\r]*\(TIMEOUT\)\r\n"
                     rb"(\r\d/4 names|\r\x1b\[Knetkit resolve: 4 names)")
    child.expect(rb"4 names: 1 answered, 3 failed")
    assert finish(child) == (1, None)


def test_batch_from_a_pipe_counts_without_a_total(partial):
    child = spawn(["/bin/sh", "-c", f"printf 'ok1.test\\nhang.test\\n' | {NETKIT} resolve "
                   f"-s {partial} -t A --timeout 2000 -f -"])
    child.expect(rb"1 name, \d+/s, 0 failed, 1 in flight")
    child.sendintr()
    child.expect(rb"interrupted after 1 name: 1 answered, 0 failed")
    finish(child)


def test_summary_only_on_a_terminal_or_with_v(knot):
    r = run("resolve", "-s", knot.server, "--no-hosts", "-f", "-", input="www.example.test\n")
    assert r.returncode == 0 and r.stderr == ""
    r = run("resolve", "-s", knot.server, "--no-hosts", "-v", "-f", "-",
            input="www.example.test\nnope.example.test\n")
    assert r.returncode == 1
    assert re.search(r"netkit resolve: 2 names: 1 answered, 1 failed, in [\d.]+ s \(\d+/s, "
                     r"\d+ retried, window \d+\)\n$", r.stderr), r.stderr
    child = spawn([NETKIT, "resolve", "-s", knot.server, "--no-hosts", "-f", "/dev/stdin"],
                  )
    child.sendline("www.example.test")
    child.sendeof()
    child.expect(rb"netkit resolve: 1 name: 1 answered, 0 failed, in [\d.]+ s\r\n")
    assert finish(child) == (0, None)


def test_streamed_through_a_pipe_one_name_at_a_time(knot):
    """Each answer comes back before the next name is sent: a coprocess can talk to it."""
    p = subprocess.Popen([NETKIT, "resolve", "-s", knot.server, "--no-hosts", "-t", "A", "-f",
                          "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        for name, addr in (("www", "192.0.2.10"), ("mail", "192.0.2.25"),
                           ("ns1", "192.0.2.1")):
            p.stdin.write(f"{name}.example.test\n".encode())
            p.stdin.flush()
            ready, _, _ = select.select([p.stdout], [], [], 10)
            assert ready, f"no answer for {name} while the input stays open"
            line = p.stdout.readline().decode()
            assert line.split() == [f"{name}.example.test.", "A", "300", addr], line
        p.stdin.close()
        assert p.wait(timeout=10) == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_answers_line_up_within_a_query(knot):
    r = run("resolve", "-s", knot.server, "--no-hosts", "alias.example.test")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 4, lines  # two CNAMEs, A, AAAA
    for col in (1, 2, 3):  # TYPE, TTL and DATA start at the same column on every line
        starts = {m.start() for m in (list(re.finditer(r"\S+", l))[col] for l in lines)}
        assert len(starts) == 1, lines


@pytest.fixture
def dropping(netns):
    """A namespace whose loopback drops every TCP SYN: every scanned port times out."""
    ns = netns()
    sh(["ip", "netns", "exec", ns, "nft", "add table inet t; add chain inet t in "
        "{ type filter hook input priority 0; policy accept; }; "
        "add rule inet t in tcp flags syn tcp dport 1-1000 drop"])
    return ns


def test_scan_progress_and_ctrl_c(dropping):
    child = spawn(["ip", "netns", "exec", dropping, NETKIT, "ports", "--scan", "127.0.0.1",
                   "--ports", "1-400", "-c", "8", "--timeout", "300"])
    child.expect(rb"scanning 127\.0\.0\.1: [1-9]\d*/400 ports \(\d+%\), \d+ ports/s, 0 open, "
                 rb"about \d+ s left")
    child.sendintr()
    child.expect(rb"scanned \d+ ports in [\d.]+ s: 0 open, 0 closed, \d+ filtered "
                 rb"\(interrupted\)\r\n")
    assert finish(child) == (1, None)
    out = child.logfile_read.getvalue()
    cleared_after_interrupt(out, b"127.0.0.1\r\nPORT")


def test_bench_time_left_and_ctrl_c(server):
    s = server("echo-serve", "-b", "127.0.0.1", 0)
    port = re.search(r":(\d+)$", s.lines[-1].strip()).group(1)
    child = spawn([NETKIT, "echo-connect", "--bench", "--duration", "60", "127.0.0.1", port])
    child.expect(rb"\d+\.\d s \(\d+%\), about \d+ s left, \d+ messages")
    child.sendintr()
    child.expect(rb"msgs/s +\d+")
    assert finish(child)[0] == 1
    out = child.logfile_read.getvalue()
    cleared_after_interrupt(out, b"connections")


def test_trace_live_line_on_a_terminal_only():
    """While the probes are out, trace says so on the progress line, and clears it before the
    report; into a pipe it says nothing."""
    with socket.socket() as lst:
        lst.bind(("127.0.0.1", 0))
        lst.listen()
        port = str(lst.getsockname()[1])
        child = spawn([NETKIT, "trace", "127.0.0.1", port])
        assert finish(child) == (0, None)
        out = child.logfile_read.getvalue()
        i = out.index(b"tracing 127.0.0.1: hop probes and the connect out, up to 3.0 s ...")
        assert i < out.find(b"\r\x1b[K", i) < out.index(b"trace 127.0.0.1 port " + port.encode())
        r = run("trace", "127.0.0.1", port)
        assert r.returncode == 0 and r.stderr == "", r.stderr


def test_ifaces_link_line_reads_the_same_alone_and_with_others(netns):
    ns = netns()
    sh(["ip", "-n", ns, "link", "add", "nkd0", "type", "veth", "peer", "name", "nkd1"])
    full = run("ifaces", netns=ns)
    one = run("ifaces", "nkd0", netns=ns)
    assert full.returncode == 0 and one.returncode == 0, full.stderr + one.stderr
    hw = [l for l in one.stdout.splitlines() if "link/ether" in l]
    assert len(hw) == 1 and hw[0].startswith("    link/ether ") and "  " not in hw[0][14:32]
    assert hw[0] in full.stdout.splitlines()
    assert "    link/loopback 00:00:00:00:00:00" in full.stdout
