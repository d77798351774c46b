# SPDX-License-Identifier: GPL-3.0-or-later
"""The global --dns ADDR[:PORT][,...] (and the shell's `set server`, in a batch): every command
that looks a name up asks those servers. The name is one only the test's knotd knows; without
--dns the lookup goes to the loopback-only resolv.conf the tests use, and fails."""
import json
import re

import pytest

from conftest import Server, run
from knot import Knot, write_zone

NAME = "echo.dnsopt.test"


@pytest.fixture(scope="module")
def knot(tmp_path_factory):
    work = tmp_path_factory.mktemp("knot")
    zone = work / "dnsopt.test.zone"
    write_zone(zone, "dnsopt.test", ["echo IN A 127.0.0.1"])
    k = Knot(str(work), {"dnsopt.test": str(zone)})
    yield k
    k.stop()


@pytest.fixture(scope="module")
def echo_port():
    """One echo server for the module (conftest's `server` factory is per test)."""
    s = Server(["echo-serve", "-b", "127.0.0.1", 0])
    yield int(re.search(r"127\.0\.0\.1:(\d+)", s.lines[-1]).group(1))
    s.proc.kill()
    s.proc.wait(timeout=10)


def test_echo_connect(knot, echo_port):
    r = run("--dns", knot.server, "echo-connect", NAME, echo_port, input="by --dns\n")
    assert (r.returncode, r.stdout) == (0, "by --dns\n"), r.stderr
    r = run("echo-connect", NAME, echo_port, input="x\n")
    assert r.returncode == 1 and NAME in r.stderr


def test_ports_scan(knot, echo_port):
    r = run("--json", f"--dns={knot.server}", "ports", "--scan", NAME, "--ports", echo_port)
    assert r.returncode == 0, r.stderr
    scan = json.loads(r.stdout)
    assert (scan["address"], [p["port"] for p in scan["open"]]) == ("127.0.0.1", [echo_port])
    assert run("ports", "--scan", NAME, "--ports", echo_port).returncode != 0


def test_trace(knot, echo_port):
    r = run("--json", "--dns", knot.server, "trace", "--timeout", 2000, NAME, echo_port)
    assert r.returncode == 0, r.stderr
    t = json.loads(r.stdout)
    assert t["name"]["source"] == "dns" and t["name"]["server"] == knot.server
    assert t["connect"]["state"] == "open"
    r = run("--json", "trace", "--timeout", 2000, NAME, echo_port)
    assert r.returncode == 1
    assert json.loads(r.stdout)["verdict"] in ("no-name", "dns-error")


def test_resolve_and_its_own_server_wins(knot):
    r = run("--dns", knot.server, "resolve", NAME)
    assert r.returncode == 0 and "127.0.0.1" in r.stdout, r.stderr
    # resolve -s names the server for that command: --dns does not override it.
    r = run("--dns", knot.server, "resolve", "-s", "127.0.0.1:9", "--timeout", 200, "--tries", 1,
            NAME)
    assert r.returncode == 1


def test_set_server_in_a_batch(knot, echo_port):
    """`set server` in a batch reaches every later command; `set server system` goes back."""
    script = (f"set server {knot.server}\n"
              f"resolve {NAME}\n"
              f"ports --scan {NAME} --ports {echo_port}\n"
              f"trace --timeout 2000 {NAME} {echo_port}\n")
    r = run(input=script)
    assert r.returncode == 0, r.stderr
    assert f"{NAME}.  A  300  127.0.0.1" in r.stdout
    assert re.search(rf"^{echo_port}/tcp\s+open", r.stdout, re.M), r.stdout
    r = run(input=script + f"set server system\nresolve {NAME}\n")
    assert r.returncode == 1  # the last line failed: the system resolver knows no such name


def test_bad_dns_values():
    for bad, said in (("300.1.1.1", "'300.1.1.1'"), ("127.0.0.1:0", "127.0.0.1:0"),
                      ("127.0.0.1,,::1", "empty server"), ("", "''")):
        r = run("--dns", bad, "ifaces", "lo")
        assert r.returncode == 2, bad
        assert r.stderr.startswith("netkit: --dns: ") and said in r.stderr, r.stderr
        assert r.stdout == ""
    r = run("--dns")
    assert r.returncode == 2 and "--dns: missing argument" in r.stderr
