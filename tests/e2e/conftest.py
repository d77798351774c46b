# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for netkit's end-to-end tests.

Every test runs the real binary ($NETKIT, set by ctest) against real sockets, netlink, DNS
servers and terminals. Servers announce their address on stdout; tests wait for that line
(never a sleep). Every wait is bounded.
"""
import json
import os
import re
import select
import subprocess
import time
import uuid

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("NETKIT_SOURCE", os.path.abspath(os.path.join(HERE, "..", "..")))
NETKIT = os.environ.get("NETKIT", os.path.join(SOURCE, "build", "netkit"))
FIXTURES = os.path.join(SOURCE, "tests", "fixtures")


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
    """A process started by a test, stopped by PID at the end."""

    def __init__(self, args, ready=r"listening on", timeout=15, netns=None, env=None,
                 binary=None):
        cmd = [binary or NETKIT, *map(str, args)]
        if netns:
            cmd = ["ip", "netns", "exec", netns, *cmd]
        # Unbuffered stdout: a buffered reader would swallow several ready lines in one read,
        # and select() would then wait for lines that are already in Python's buffer.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, bufsize=0)
        self.lines = []
        if ready:
            try:
                self.wait_for(ready, timeout)
            except BaseException:
                # The factory never sees a server that failed to start: stop it here, by PID.
                self.proc.kill()
                self.proc.wait(timeout=10)
                raise

    def wait_for(self, pattern, timeout=15):
        """Read stdout lines until one matches pattern; return the match."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], deadline - time.monotonic())
            if not r:
                break
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read().decode(errors="replace")
                raise AssertionError(f"server exited before '{pattern}': {err}")
            line = line.decode(errors="replace")
            self.lines.append(line)
            m = rx.search(line)
            if m:
                return m
        raise AssertionError(f"no line matching '{pattern}' within {timeout}s")

    def stop(self, sig=15, timeout=10):
        """Signal the server, wait for it, and return (status, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate()
            raise AssertionError("server did not stop within %ss" % timeout)
        return self.proc.returncode, err.decode(errors="replace")


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
