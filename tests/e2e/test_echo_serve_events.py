# SPDX-License-Identifier: GPL-3.0-or-later
"""echo-serve -v / -vv / --json -v: the events of a connection as they happen, checked against
the kernel's own view of the descriptors (/proc) and the bytes the test sent."""
import fcntl
import json
import os
import re
import socket
import struct
import termios
import time

import pexpect

from conftest import NETKIT

STAMP = r"\d\d:\d\d:\d\d\.\d{6}"


def spawn_server(*args):
    """echo-serve on a pty (its stdout is a terminal, as when a user watches it)."""
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    p = pexpect.spawn(NETKIT, ["echo-serve", "-b", "127.0.0.1", *map(str, args), "0"], env=env,
                      timeout=15, dimensions=(24, 400), encoding="utf-8", codec_errors="replace")
    p.expect(r"listening on tcp 127\.0\.0\.1:(\d+)\r\n")
    return p, int(p.match.group(1))


def socket_fds(pid):
    """{inode: fd} of the process's sockets."""
    out = {}
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", link)
        if m:
            out[int(m.group(1))] = int(fd)
    return out


def tcp_inode(local_port, remote_port=None, state="0A"):
    """The inode of the IPv4 TCP socket with this local port (and remote port) and state."""
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            lport = int(fields[1].split(":")[1], 16)
            rport = int(fields[2].split(":")[1], 16)
            if lport == local_port and fields[3] == state and \
                    (remote_port is None or rport == remote_port):
                return int(fields[9])
    raise AssertionError(f"no socket {local_port} {remote_port} {state}")


def outq(sock):
    """Bytes the socket has not had acknowledged yet."""
    return struct.unpack("i", fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0" * 4))[0]


def rx_queue(local_port, remote_port):
    """Bytes received and not read yet by the server's socket of this connection."""
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == local_port and \
                    int(fields[2].split(":")[1], 16) == remote_port:
                return int(fields[4].split(":")[1], 16)
    return 0


def recv_exact(c, n):
    buf = b""
    while len(buf) < n:
        d = c.recv(n - len(buf))
        assert d, "closed early"
        buf += d
    return buf


def session(port):
    """Connect, send, half-close, read the rest, close. Returns the client's port."""
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    cport = c.getsockname()[1]
    c.sendall(b"hello")
    assert recv_exact(c, 5) == b"hello"
    c.sendall(b"abc")
    assert recv_exact(c, 3) == b"abc"
    c.shutdown(socket.SHUT_WR)
    assert c.recv(10) == b""
    c.close()
    return cport


def test_verbose_events_in_order_with_right_fds(tmp_path):
    p, port = spawn_server("-v", "-t", "2")
    try:
        lfd = socket_fds(p.pid)[tcp_inode(port)]
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        cport = c.getsockname()[1]
        p.expect(rf"({STAMP}) accept fd (\d+) from listening fd (\d+): 127\.0\.0\.1:{port} <- "
                 rf"127\.0\.0\.1:{cport}, worker ([01])\r\n")
        fd, listen_fd = int(p.match.group(2)), int(p.match.group(3))
        assert listen_fd == lfd
        # The connected descriptor is the server's end of this very connection.
        assert socket_fds(p.pid)[tcp_inode(port, cport, "01")] == fd
        peer = rf"fd {fd} 127\.0\.0\.1:{cport}"
        c.sendall(b"hello")
        assert recv_exact(c, 5) == b"hello"
        # The first data of a connection is logged at once.
        p.expect(rf"{STAMP} data {peer}: 5 bytes in, 5 out \(total 5 in, 5 out\)\r\n")
        c.sendall(b"abc")
        assert recv_exact(c, 3) == b"abc"
        c.shutdown(socket.SHUT_WR)
        assert c.recv(10) == b""
        c.close()
        # Within a second of the last line: reported with the half-close, not before.
        p.expect(rf"{STAMP} data {peer}: 3 bytes in, 3 out \(total 8 in, 8 out\)\r\n")
        p.expect(rf"{STAMP} eof {peer}: client half-closed, 0 bytes still in flight "
                 rf"\(total 8 in, 8 out\)\r\n")
        p.expect(rf"{STAMP} close {peer}: client closed first; 8 bytes in, 8 out, "
                 rf"\d+\.\d{{3}} s\r\n")
        # A half-close with data the server has not echoed yet: in flight, counted. The client
        # does not read, so the server's echo stalls and it stops reading; the client sends
        # until bytes wait, unread, in the server's socket (its rx queue in /proc/net/tcp) while
        # none wait in its own (so the FIN is not queued behind them), then half-closes.
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: a small window
        c.connect(("127.0.0.1", port))
        cport = c.getsockname()[1]
        big = os.urandom(16 << 20)
        sent = 0
        deadline = time.monotonic() + 30
        while True:
            assert time.monotonic() < deadline and sent < len(big)
            sent += c.send(big[sent:sent + 4096])
            t = time.monotonic()
            while outq(c) and time.monotonic() - t < 0.5:
                time.sleep(0.01)
            if outq(c):
                raise AssertionError("the server's window closed before its queue held data")
            if rx_queue(port, cport):
                time.sleep(0.2)
                if rx_queue(port, cport) and not outq(c):
                    break
        c.shutdown(socket.SHUT_WR)
        p.expect(rf"{STAMP} eof fd \d+ 127\.0\.0\.1:{cport}: client half-closed, (\d+) bytes "
                 rf"still in flight")
        assert int(p.match.group(1)) > 0
        c.settimeout(10)
        got = b""
        while True:
            d = c.recv(65536)
            if not d:
                break
            got += d
        assert got == big[:sent]
        c.close()
        p.expect(rf"close fd \d+ 127\.0\.0\.1:{cport}: client closed first; {sent} bytes in, "
                 rf"{sent} out")
    finally:
        p.kill(15)
        p.expect(pexpect.EOF)
        p.wait()


def test_vv_dumps_exactly_the_bytes():
    p, port = spawn_server("-vv", "-t", "1")
    try:
        data = bytes(range(256)) + b"plain text | with bars\n\x00\xff"
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        c.sendall(data)
        assert recv_exact(c, len(data)) == data
        c.shutdown(socket.SHUT_WR)
        assert c.recv(10) == b""
        c.close()
        p.expect(r" close fd \d+ ")
        dumped = b""
        for line in p.before.splitlines():
            m = re.match(r"  ([0-9a-f]{4}) (.{49})  \|(.*)\|$", line)
            if not m:
                continue
            assert int(m.group(1), 16) % 16 == 0
            chunk = bytes.fromhex(m.group(2).replace(" ", ""))
            assert len(chunk) <= 16  # bounded per line
            assert m.group(3) == "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
            dumped += chunk
        assert dumped == data
    finally:
        p.kill(15)
        p.expect(pexpect.EOF)
        p.wait()


def test_json_events(server):
    s = server("--json", "echo-serve", "-v", "-b", "127.0.0.1", 0, ready=r'"listening"')
    port = json.loads(s.lines[-1])["port"]
    cport = session(port)
    s.wait_for(r'"event": ?"close"')
    status, _ = s.stop()
    assert status == 0
    events = [json.loads(line) for line in s.lines[1:]]
    assert [e["event"] for e in events] == ["accept", "data", "data", "eof", "close"]
    acc = events[0]
    assert acc["local"] == {"address": "127.0.0.1", "port": port}
    assert acc["peer"] == {"address": "127.0.0.1", "port": cport}
    assert isinstance(acc["listen_fd"], int) and acc["fd"] != acc["listen_fd"]
    assert all(e["fd"] == acc["fd"] and e["peer"]["port"] == cport for e in events)
    assert all(isinstance(e["time"], (int, float)) for e in events)
    assert [(e["new_in"], e["bytes_in"]) for e in events[1:3]] == [(5, 5), (3, 8)]
    assert events[3]["in_flight"] == 0 and events[3]["bytes_out"] == 8
    assert events[4]["closed_first"] == "client" and events[4]["bytes_in"] == 8


def test_json_vv_hex(server):
    s = server("--json", "echo-serve", "-vv", "-t", "1", "-b", "127.0.0.1", 0,
               ready=r'"listening"')
    port = json.loads(s.lines[-1])["port"]
    session(port)
    s.wait_for(r'"event": ?"close"')
    s.stop()
    hexes = [json.loads(line).get("data_hex", "") for line in s.lines[1:]]
    assert bytes.fromhex("".join(hexes)) == b"helloabc"


def test_no_events_without_v(server):
    s = server("echo-serve", "-b", "127.0.0.1", 0)
    port = int(s.lines[-1].rsplit(":", 1)[1])
    session(port)
    status, err = s.stop()
    assert status == 0 and len(s.lines) == 1 and "\r" not in err  # no status line off a tty


def test_status_line_on_a_terminal():
    """Without -v, on a terminal: a live status line (connections now, accepted, rates)."""
    p, port = spawn_server("-t", "1")
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        c.sendall(b"x" * 1000)
        assert recv_exact(c, 1000) == b"x" * 1000
        p.expect(r"\r1 connection now, 1 accepted, in [\d.]+ [KMG]?B/s, out [\d.]+ [KMG]?B/s")
        c.close()
        p.expect(r"\r0 connections now, 1 accepted")
    finally:
        p.kill(15)
        p.expect(pexpect.EOF)
        p.wait()
    assert p.exitstatus == 0 and "1 connection, 1000 bytes echoed" in p.before
