# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for netkit's end-to-end tests.

Every test runs the real binary ($NETKIT, set by ctest) against real sockets, netlink, DNS
servers and terminals. Servers announce their address on stdout; tests wait for that line
(never a sleep). Every wait is bounded.
"""
import json
import os
import queue
import re
import subprocess
import threading
import time
import uuid

import pytest

import programs

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("NETKIT_SOURCE", os.path.abspath(os.path.join(HERE, "..", "..")))
NETKIT = os.environ.get("NETKIT", os.path.join(SOURCE, "build", "netkit"))
FIXTURES = os.path.join(SOURCE, "tests", "fixtures")

# No test may ask the system resolver (/etc/resolv.conf) about anything: unless a test names
# its own DNS server (-s, or its own NETKIT_RESOLV_CONF), netkit reads this file, whose only
# server is on loopback (nothing listens there: a lookup is refused at once).
_RESOLV_DIR = os.path.join(os.environ.get("NETKIT_BUILD", "/tmp"), "e2e-resolv")
os.makedirs(_RESOLV_DIR, exist_ok=True)
LOOPBACK_RESOLV_CONF = os.path.join(_RESOLV_DIR, "resolv.conf")
with open(LOOPBACK_RESOLV_CONF, "w") as _f:
    _f.write("# netkit e2e tests: loopback only\nnameserver 127.0.0.1\n")
os.environ.setdefault("NETKIT_RESOLV_CONF", LOOPBACK_RESOLV_CONF)


def pytest_configure(config):
    """Record every program this run starts (programs.py), in a file named after the test file."""
    files = [a for a in config.args if a.endswith(".py")]
    name = os.path.splitext(os.path.basename(files[0]))[0] if len(files) == 1 else "pytest"
    programs.install(name)


def run(*args, input=None, timeout=60, env=None, binary=False, netns=None):
    """Run netkit with args; returns CompletedProcess (text unless binary=True)."""
    cmd = [NETKIT, *map(str, args)]
    if netns:
        cmd = ["ip", "netns", "exec", netns, *cmd]
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    if env:
        full_env.update(env)
    return subprocess.run(cmd, input=input, capture_output=True, timeout=timeout,
                          env=full_env, text=not binary)


def run_json(*args, **kw):
    """Run with --json, assert success, and return the parsed JSON."""
    r = run("--json", *args, **kw)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def sh(cmd, check=True):
    """Run a system command (ip, ...) and return its stdout."""
    r = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise RuntimeError(f"{cmd}: {r.returncode}: {r.stderr}")
    return r.stdout


class Server:
    """A process started by a test, stopped by PID at the end.

    Two threads drain its stdout (lines, for wait_for) and stderr (kept for stop() and for
    diagnostics) while it runs: a pipe nobody reads fills up and blocks the server."""

    def __init__(self, args, ready=r"listening on", timeout=15, netns=None, env=None,
                 binary=None):
        cmd = [binary or NETKIT, *map(str, args)]
        if netns:
            cmd = ["ip", "netns", "exec", netns, *cmd]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.lines = []                  # stdout lines wait_for has consumed
        self._queue = queue.Queue()      # stdout lines not yet consumed; None at EOF
        self._err = []                   # stderr chunks so far
        self._readers = [threading.Thread(target=self._read_stdout, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for t in self._readers:
            t.start()
        if ready:
            try:
                self.wait_for(ready, timeout)
            except BaseException:
                # The factory never sees a server that failed to start: stop it here, by PID.
                self.proc.kill()
                self.proc.wait(timeout=10)
                raise

    def _read_stdout(self):
        for line in self.proc.stdout:
            self._queue.put(line.decode(errors="replace"))
        self._queue.put(None)

    def _read_stderr(self):
        while True:
            chunk = self.proc.stderr.read1(65536)
            if not chunk:
                return
            self._err.append(chunk)

    @property
    def stderr(self):
        """What the server wrote to stderr so far."""
        return b"".join(self._err).decode(errors="replace")

    def wait_for(self, pattern, timeout=15):
        """Read stdout lines until one matches pattern; return the match."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise queue.Empty
                line = self._queue.get(timeout=left)
            except queue.Empty:
                raise AssertionError(f"no line matching '{pattern}' within {timeout}s; "
                                     f"stderr so far: {self.stderr}") from None
            if line is None:
                self._queue.put(None)  # EOF stays visible to the next wait_for
                self._readers[1].join(timeout=10)  # the rest of stderr, for the message
                raise AssertionError(f"server closed its output before '{pattern}' "
                                     f"(status {self.proc.poll()}): {self.stderr}")
            self.lines.append(line)
            m = rx.search(line)
            if m:
                return m

    def stop(self, sig=15, timeout=10):
        """Signal the server, wait for it, and return (status, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("server did not stop within %ss; stderr: %s"
                                 % (timeout, self.stderr))
        for t in self._readers:
            t.join(timeout=10)
        return self.proc.returncode, self.stderr


@pytest.fixture
def server():
    """Factory: server(args...) -> Server; every server is stopped (by PID) at teardown."""
    started = []

    def start(*args, **kw):
        s = Server(args, **kw)
        started.append(s)
        return s

    yield start
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait(timeout=10)


@pytest.fixture
def netns():
    """Factory: netns() -> a new network namespace name (loopback up), deleted at teardown."""
    made = []

    def make():
        name = "nk" + uuid.uuid4().hex[:10]
        sh(["ip", "netns", "add", name])
        made.append(name)
        sh(["ip", "-n", name, "link", "set", "lo", "up"])
        return name

    yield make
    for name in made:
        sh(["ip", "netns", "del", name], check=False)
