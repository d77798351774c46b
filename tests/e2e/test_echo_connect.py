# SPDX-License-Identifier: GPL-3.0-or-later
"""netkit echo-connect: the exact pipe, UDP, Unix, names, faults, the terminal session and --bench.

The servers are the tests' own (echo_servers.py), each with one known behaviour, so these tests
depend on nothing but the client.
"""
import json
import os
import re
import select
import socket
import subprocess
import sys
import time

import pexpect
import pytest

from conftest import NETKIT, run

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = os.path.join(HERE, "echo_servers.py")


def start(server, *args):
    """Start one of echo_servers.py's servers; returns (Server, port or path, control port)."""
    s = server(SERVERS, *args, binary=sys.executable)
    line = s.lines[-1]
    m = re.search(r"listening on (tcp|udp) \S+:(\d+)(?: control (\d+))?", line)
    if m:
        return s, int(m.group(2)), int(m.group(3)) if m.group(3) else None
    return s, line.split()[-1], None


@pytest.fixture(scope="module")
def blob():
    """5 MiB of random bytes, NULs and newlines included."""
    data = os.urandom(5 * 1024 * 1024) + b"\0\n\0"
    return data


def test_pipe_5mib_binary_exact(server, blob):
    _, port, _ = start(server, "tcp")
    r = run("echo-connect", "127.0.0.1", port, input=blob, binary=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == blob
    assert re.fullmatch(rb"netkit echo-connect: connected to 127\.0\.0\.1:%d from "
                        rb"127\.0\.0\.1:\d+\n" % port, r.stderr), r.stderr


def test_pipe_lines_and_empty_input(server):
    _, port, _ = start(server, "tcp")
    r = run("echo-connect", "127.0.0.1", port, input="one\ntwo\nno newline")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "one\ntwo\nno newline"
    r = run("echo-connect", "127.0.0.1", port, input="")
    assert (r.returncode, r.stdout) == (0, "")


def test_pipe_ipv6(server):
    _, port, _ = start(server, "tcp6")
    r = run("echo-connect", "::1", port, input="over six\n")
    assert (r.returncode, r.stdout) == (0, "over six\n"), r.stderr


def test_server_closes_early(server):
    _, port, _ = start(server, "close-after", 1000)
    r = run("echo-connect", "127.0.0.1", port, input=b"x" * 2000, binary=True)
    assert r.returncode == 1
    # What came back is still written; the message names where the echo stopped.
    assert r.stdout == b"x" * 1000
    assert b"echo cut at offset 1000" in r.stderr


def test_server_resets(server, blob):
    _, port, _ = start(server, "reset-after", 3000)
    r = run("echo-connect", "127.0.0.1", port, input=blob, binary=True)
    assert r.returncode == 1
    assert re.search(rb"echo cut at offset \d+: connection reset by server", r.stderr), r.stderr


def test_server_changes_a_byte(server, blob):
    _, port, _ = start(server, "corrupt", 1234567)
    r = run("echo-connect", "127.0.0.1", port, input=blob, binary=True)
    assert r.returncode == 1
    want = "sent 0x%02x, received 0x%02x" % (blob[1234567], blob[1234567] ^ 0x20)
    assert ("echo differs at offset 1234567: " + want).encode() in r.stderr, r.stderr
    assert r.stdout[:1234567] == blob[:1234567]


def test_silent_server_times_out(server):
    _, port, _ = start(server, "silent")
    t = time.monotonic()
    r = run("echo-connect", "--timeout", 500, "127.0.0.1", port, input="anyone?\n")
    assert r.returncode == 1
    assert "no echo within 500 ms, at offset 0" in r.stderr
    assert time.monotonic() - t < 10


@pytest.fixture
def refused_port():
    """A port bound (so nobody else takes it) but not listening: connects are refused."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    yield s.getsockname()[1]
    s.close()


def test_refused(refused_port):
    r = run("echo-connect", "127.0.0.1", refused_port, input="x\n")
    assert r.returncode == 1
    assert r.stderr == f"netkit echo-connect: 127.0.0.1:{refused_port}: connection refused\n"


def test_unreachable_names_the_address(netns):
    ns = netns()  # loopback only: any other network is unreachable
    r = run("echo-connect", "192.0.2.1", 7, input="x", netns=ns)
    assert r.returncode == 1
    assert r.stderr == "netkit echo-connect: 192.0.2.1:7: network is unreachable\n"


def test_pipe_memory_is_bounded(server):
    """A server that echoes nothing until the end: the client stops reading its input once its
    window is full (it does not swallow the stream), then gives up after the timeout."""
    _, port, _ = start(server, "hold")
    p = subprocess.Popen([NETKIT, "echo-connect", "--timeout", "1500", "127.0.0.1", str(port)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.set_blocking(p.stdin.fileno(), False)
    chunk, written = b"z" * 65536, 0
    deadline = time.monotonic() + 20
    while p.poll() is None and time.monotonic() < deadline:
        if not select.select([], [p.stdin], [], 0.2)[1]:
            continue
        try:
            written += os.write(p.stdin.fileno(), chunk)
        except BlockingIOError:
            continue
        except BrokenPipeError:
            break
    out, err = p.communicate(timeout=20)
    assert p.returncode == 1
    assert b"no echo within 1500 ms, at offset 0" in err
    # 256 KiB window + the pipe's and sockets' buffers: far less than what was offered.
    assert written < 1024 * 1024, written


def test_name_tries_each_address(server, tmp_path):
    """echo.test has an IPv6 and an IPv4 address; only IPv4 listens: the refusal of the first
    is reported by address and the second one carries the echo."""
    _, port, _ = start(server, "tcp")
    hosts = tmp_path / "hosts"
    hosts.write_text("::1 echo.test\n127.0.0.1 echo.test\n")
    env = {"CARES_HOSTS": str(hosts)}
    r = run("echo-connect", "echo.test", port, input="by name\n", env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "by name\n"
    # Which address failed and why, then the socket pair it connected with.
    assert re.fullmatch(rf"netkit echo-connect: \[::1\]:{port}: connection refused\n"
                        rf"netkit echo-connect: connected to 127\.0\.0\.1:{port} from "
                        rf"127\.0\.0\.1:\d+\n", r.stderr), r.stderr
    r = run("echo-connect", "-4", "echo.test", port, input="v4\n", env=env)
    assert (r.returncode, r.stdout) == (0, "v4\n")
    assert r.stderr.startswith(f"netkit echo-connect: connected to 127.0.0.1:{port} from ")
    r = run("echo-connect", "nosuch.test", port, input="x", env=env)
    assert r.returncode == 1
    assert "nosuch.test" in r.stderr


def test_udp(server):
    _, port, _ = start(server, "udp")
    r = run("echo-connect", "-u", "127.0.0.1", port, input="first\nsecond\nlast")
    assert (r.returncode, r.stdout) == (0, "first\nsecond\nlast"), r.stderr


def test_udp_no_server(refused_port):
    # Nothing listens on the UDP port: the ICMP refusal (or the timeout) fails the run.
    r = run("echo-connect", "-u", "--timeout", 1000, "127.0.0.1", refused_port, input="x\n")
    assert r.returncode == 1
    assert "datagram at offset 0" in r.stderr or "no reply within" in r.stderr


def test_unix(server, tmp_path, blob):
    path = str(tmp_path / "echo.sock")
    start(server, "unix", path)
    r = run("echo-connect", "--unix", path, input=blob[:300000], binary=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout == blob[:300000]
    r = run("echo-connect", "--unix", str(tmp_path / "none.sock"), input="x")
    assert r.returncode == 1
    assert "none.sock: no such file or directory" in r.stderr


@pytest.mark.parametrize("args,msg", [
    (["127.0.0.1"], "HOST and PORT expected"),
    (["127.0.0.1", "70000"], "70000: port out of range"),
    (["127.0.0.1", "7", "8"], "'8': too many arguments"),
    (["--unix", "/tmp/x", "127.0.0.1"], "no HOST or PORT with --unix"),
    (["--pipeline", "4", "127.0.0.1", "7"], "need --bench"),
    (["--bench", "--count", "5", "--duration", "1", "127.0.0.1", "7"], "choose one"),
    (["--bench", "--size", "0", "127.0.0.1", "7"], "0: size out of range"),
    (["-u", "--bench", "--size", "70000", "127.0.0.1", "7"], "8-65507 bytes a datagram"),
    (["--bench", "--pipeline", "4096", "--size", "1048576", "127.0.0.1", "7"],
     "bytes in flight per connection"),
    (["--bench", "--connections", "1000", "--pipeline", "64", "--size", "65536", "127.0.0.1",
      "7"], "bytes in flight: more than"),
    (["bad..name", "7"], "bad..name"),
])
def test_bad_usage(args, msg):
    r = run("echo-connect", *args, input="")
    assert r.returncode == 2, r.stderr
    assert msg in r.stderr
    assert r.stderr.startswith("netkit echo-connect: ")


# --- the terminal session ---------------------------------------------------------------------

def spawn(tmp_path, *args):
    """echo-connect on a pty (readline echoes what is typed, as on a real terminal)."""
    env = {"XDG_STATE_HOME": str(tmp_path / "state"), "TERM": "xterm", "NO_COLOR": "1",
           "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    c = pexpect.spawn(NETKIT, ["echo-connect", *map(str, args)], env=env, timeout=10,
                      dimensions=(24, 200))
    return c


RTT = r"  \(\d+\.\d{3} ms\)"


def control(port, text):
    """Make the tcp server send text, unsolicited, to its clients; wait until it has."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as k:
        k.sendall(text.encode() + b"\n")
        assert k.recv(16) == b"sent\n"


def test_tty_session(server, tmp_path):
    _, port, cport = start(server, "tcp")
    c = spawn(tmp_path, "127.0.0.1", port)
    prompt = f"127.0.0.1:{port}> "
    c.expect_exact(prompt)
    c.sendline("hello world")
    c.expect("hello world" + RTT)
    # A server message arrives while a line is half typed: it is printed above the line, and
    # the line (prompt and text) is redrawn intact and still editable.
    c.send("abc")
    c.expect_exact(prompt + "abc")
    control(cport, "NOTICE from the server")
    c.expect_exact("NOTICE from the server\r\n" + prompt + "abc")
    c.send("def\r")
    c.expect("\rabcdef" + RTT)
    # Ctrl-C drops the half-typed line: the next line sent is only what follows.
    c.send("junk")
    c.expect_exact(prompt + "junk")
    c.sendintr()
    c.expect_exact(prompt)
    c.sendline("after")
    c.expect(r"\rafter" + RTT)
    c.expect_exact(prompt)
    # Ctrl-D: half-close, and exit 0 once the echo is complete (no new prompt is drawn).
    c.sendeof()
    c.expect(pexpect.EOF)
    assert prompt not in c.before.decode()
    c.close()
    assert c.exitstatus == 0
    hist = (tmp_path / "state" / "netkit" / "echo-history").read_text()
    assert hist.split("\n")[:3] == ["hello world", "abcdef", "after"]
    assert not (tmp_path / "state" / "netkit" / "history").exists()  # the shell's stays apart


def test_tty_history_recalled(server, tmp_path):
    _, port, _ = start(server, "tcp")
    (tmp_path / "state" / "netkit").mkdir(parents=True)
    (tmp_path / "state" / "netkit" / "echo-history").write_text("from last time\n")
    c = spawn(tmp_path, "127.0.0.1", port)
    c.expect_exact("> ")
    c.send("\x1b[A\r")  # up arrow, enter
    c.expect("\rfrom last time" + RTT)
    c.sendeof()
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0


def test_tty_ctrl_d_waits_for_the_echo(server, tmp_path):
    """The server holds the echo until the client half-closes: Ctrl-D must still show it."""
    _, port, _ = start(server, "hold")
    c = spawn(tmp_path, "127.0.0.1", port)
    c.expect_exact("> ")
    c.sendline("late line")
    c.expect_exact("> ")
    c.sendeof()
    # Ctrl-D says what is still unacknowledged by the server's kernel and unanswered.
    c.expect(r"half-closed: (\d+) bytes? not yet acknowledged, 1 line awaiting echo\r\n")
    assert int(c.match.group(1)) <= len("late line\n")
    c.expect("late line" + RTT)
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0


def test_tty_server_closes(server, tmp_path):
    _, port, _ = start(server, "close-after", 6)
    c = spawn(tmp_path, "127.0.0.1", port)
    c.expect_exact("> ")
    c.sendline("12345")
    c.expect("12345" + RTT)
    c.expect_exact("netkit echo-connect: the server closed its side (half-close) with 0 lines "
                   "unanswered")
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 1


def test_tty_server_resets(server, tmp_path):
    _, port, _ = start(server, "reset-after", 3)
    c = spawn(tmp_path, "127.0.0.1", port)
    c.expect_exact("> ")
    c.sendline("12345")
    c.expect_exact("netkit echo-connect: connection reset by server (1 line unanswered)")
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 1


def test_tty_udp(server, tmp_path):
    _, port, _ = start(server, "udp")
    c = spawn(tmp_path, "-u", "127.0.0.1", port)
    c.expect_exact(f"127.0.0.1:{port}> ")
    c.sendline("datagram")
    c.expect("\rdatagram" + RTT)
    c.sendeof()
    c.expect(pexpect.EOF)
    c.close()
    assert c.exitstatus == 0


# --- --bench ----------------------------------------------------------------------------------

def bench(*args, **kw):
    r = run("--json", "echo-connect", "--bench", *args, **kw)
    return r, (json.loads(r.stdout) if r.stdout.strip() else None)


def test_bench_json_fields_and_sanity(server):
    _, port, _ = start(server, "tcp")
    r, j = bench("--connections", 4, "--count", 400, "--pipeline", 3, "--size", 100,
                 "--threads", 2, "127.0.0.1", port)
    assert r.returncode == 0, r.stderr
    for k in ("connections", "messages", "errors", "msgs_per_s", "mb_per_s", "latency_us"):
        assert k in j
    lat = j["latency_us"]
    for k in ("min", "p50", "p90", "p99", "max"):
        assert isinstance(lat[k], (int, float))
    assert (j["connections"], j["messages"], j["errors"]) == (4, 400, 0)
    assert 0 < lat["min"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]
    assert j["msgs_per_s"] > 0
    # MB/s is the payload rate: messages * size / elapsed.
    assert abs(j["mb_per_s"] - j["msgs_per_s"] * 100 / 1e6) < 0.01 * j["mb_per_s"] + 1e-9
    assert set(j["errors_by_kind"]) == {"mismatch", "reset", "timeout", "refused", "closed",
                                        "other"}


def test_bench_large_messages_partial_sends(server):
    # 4 MiB in flight per connection: more than a socket takes at once, and more than the
    # payload pool holds side by side, so sends are partial and queued in several runs.
    _, port, _ = start(server, "tcp")
    r, j = bench("--connections", 2, "--count", 16, "--pipeline", 4, "--size", 1048576,
                 "127.0.0.1", port)
    assert r.returncode == 0, r.stderr
    assert (j["messages"], j["errors"]) == (16, 0)


def test_bench_text_and_duration(server):
    _, port, _ = start(server, "tcp")
    r = run("echo-connect", "--bench", "--connections", 2, "--duration", 1, "127.0.0.1", port)
    assert r.returncode == 0, r.stderr
    m = re.search(r"^messages\s+(\d+)", r.stdout, re.M)
    assert m and int(m.group(1)) > 0
    assert re.search(r"^latency us\s+min [\d.]+\s+p50 [\d.]+", r.stdout, re.M)


def test_bench_ctrl_c_reports_what_was_measured(server, tmp_path):
    """Outside the shell, Ctrl-C ends an hour-long bench at once: the report, then exit 1."""
    _, port, _ = start(server, "tcp")
    env = dict(os.environ, NO_COLOR="1")
    c = pexpect.spawn(NETKIT, ["echo-connect", "--bench", "--connections", "2", "--duration",
                               "3600", "127.0.0.1", str(port)], env=env, timeout=20,
                      encoding="utf-8", dimensions=(24, 200))
    c.expect(r" [1-9]\d* messages[, ]")  # the progress line: echoes are being measured
    t0 = time.monotonic()
    c.sendintr()
    c.expect(r"connections  2")
    c.expect(r"messages     [1-9]\d*")
    c.expect(pexpect.EOF)
    c.close()
    assert time.monotonic() - t0 < 5
    assert c.exitstatus == 1 and c.signalstatus is None


def test_bench_unix(server, tmp_path):
    path = str(tmp_path / "b.sock")
    start(server, "unix", path)
    r, j = bench("--connections", 3, "--count", 300, "--unix", path)
    assert r.returncode == 0, r.stderr
    assert (j["messages"], j["errors"]) == (300, 0)


def test_bench_corrupting_server_fails(server):
    _, port, _ = start(server, "corrupt", 200)
    r, j = bench("--connections", 2, "--count", 200, "127.0.0.1", port)
    assert r.returncode == 1
    assert j["errors"] > 0 and j["errors_by_kind"]["mismatch"] == j["errors"]
    assert j["messages"] < 200
    assert "echo differs at byte 8 of a message" in r.stderr


def test_bench_refused(refused_port):
    r, j = bench("--connections", 3, "--count", 30, "127.0.0.1", refused_port)
    assert r.returncode == 1
    assert j["errors_by_kind"]["refused"] == 3 and j["messages"] == 0
    assert "connection refused" in r.stderr


def test_bench_timeout(server):
    _, port, _ = start(server, "silent")
    r, j = bench("--connections", 2, "--count", 10, "--timeout", 300, "127.0.0.1", port)
    assert r.returncode == 1
    assert j["errors_by_kind"]["timeout"] == 2
    assert "no echo within 300 ms" in r.stderr


def _limit_fds(soft, hard=None):
    import resource
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard or soft))


def test_bench_preflight_descriptors():
    r = subprocess.run([NETKIT, "echo-connect", "--bench", "--connections", "500", "127.0.0.1",
                        "7"], capture_output=True, text=True, timeout=30,
                       preexec_fn=_limit_fds(256))
    assert r.returncode == 1
    assert "500 connections need about 564 file descriptors, but the limit is 256" in r.stderr


def test_bench_preflight_ports():
    lo, hi = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
    n = hi - lo + 2
    r = subprocess.run([NETKIT, "echo-connect", "--bench", "--connections", str(n), "127.0.0.1",
                        "7"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert f"ephemeral range {lo}-{hi} has {hi - lo + 1}" in r.stderr


def test_bench_raises_soft_limit(server):
    """300 connections with a soft limit of 100: the soft limit is raised to the hard one."""
    _, port, _ = start(server, "tcp")
    r = subprocess.run([NETKIT, "--json", "echo-connect", "--bench", "--connections", "300",
                        "--count", "600", "127.0.0.1", str(port)], capture_output=True,
                       text=True, timeout=60, preexec_fn=_limit_fds(100, 1024))
    assert r.returncode == 0, r.stderr
    j = json.loads(r.stdout)
    assert (j["connections"], j["messages"], j["errors"]) == (300, 600, 0)
