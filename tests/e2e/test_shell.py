# SPDX-License-Identifier: GPL-3.0-or-later
"""The interactive shell on a real terminal (a pty through pexpect): prompt, help, set,
history file, tab completion, Ctrl-C at the prompt, failing commands, Ctrl-D."""
import os
import re

import pexpect
import pytest

from conftest import NETKIT

PROMPT = "netkit> "


@pytest.fixture
def shell(tmp_path):
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), TERM="xterm", NO_COLOR="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    child = pexpect.spawn(NETKIT, env=env, encoding="utf-8", timeout=15, dimensions=(40, 200))
    child.expect_exact(PROMPT)
    yield child, tmp_path
    if child.isalive():
        child.terminate(force=True)


def test_help_and_exit(shell):
    child, _ = shell
    child.sendline("help")
    child.expect("Shell commands:")
    child.expect_exact(PROMPT)
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0


def test_failing_command_keeps_the_shell(shell):
    child, _ = shell
    child.sendline("frobnicate")
    child.expect("'frobnicate': unknown command")
    child.expect_exact(PROMPT)
    child.sendline("help --bogus-thing")
    child.expect_exact(PROMPT)
    assert child.isalive()


def test_set_lists_and_validates(shell):
    child, _ = shell
    child.sendline("set server 127.0.0.1:5300")
    child.expect_exact(PROMPT)
    child.sendline("set json on")
    child.expect_exact(PROMPT)
    child.sendline("set")
    child.expect(r"server\s+127\.0\.0\.1:5300")
    child.expect(r"json\s+on")
    child.expect_exact(PROMPT)
    child.sendline("set server 300.1.1.1")
    child.expect("netkit set: server: '300.1.1.1': not an IP address")
    child.expect_exact(PROMPT)
    child.sendline("set timeout 70000000")
    child.expect("70000000: timeout out of range")
    child.expect_exact("Try 'help set'.")  # there is no `netkit set --help` to point at
    child.expect_exact(PROMPT)


def test_history_file(shell):
    child, tmp = shell
    child.sendline("help")
    child.expect_exact(PROMPT)
    child.sendline("set json off")
    child.expect_exact(PROMPT)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0
    hist = (tmp / "state" / "netkit" / "history").read_text().splitlines()
    assert hist[-2:] == ["help", "set json off"]


def test_echo_session_keeps_its_own_history(shell, server):
    """A payload line typed in echo-connect's session goes to echo-history, never into the
    shell's history file or under the shell's up-arrow."""
    child, tmp = shell
    srv = server("echo-serve", "-b", "127.0.0.1", 0)
    port = re.search(r"127\.0\.0\.1:(\d+)", srv.lines[-1]).group(1)
    child.sendline(f"echo-connect 127.0.0.1 {port}")
    child.expect_exact(f"127.0.0.1:{port}> ")
    child.sendline("secret payload line")
    child.expect(r"secret payload line  \(\d+\.\d{3} ms\)")
    child.sendeof()
    child.expect_exact(PROMPT)
    child.send("\x1b[A")  # up arrow: the shell's last line, not the payload
    child.expect_exact(f"echo-connect 127.0.0.1 {port}")
    child.send("\x15")  # Ctrl-U
    child.sendline("exit")
    child.expect(pexpect.EOF)
    state = tmp / "state" / "netkit"
    shell_hist = (state / "history").read_text().splitlines()
    assert shell_hist == [f"echo-connect 127.0.0.1 {port}", "exit"]
    assert (state / "echo-history").read_text().splitlines() == ["secret payload line"]


def test_tab_completes_command(shell):
    child, _ = shell
    child.send("hel\t")
    child.expect_exact("help")
    child.send(" --\t\t")  # help takes no options: nothing, but no crash either
    child.send("\x15")     # Ctrl-U: clear the line
    child.send("se\t")
    child.expect_exact("set")
    child.send(" ti\t")
    child.expect_exact("timeout")


def test_ctrl_c_clears_the_line(shell):
    child, _ = shell
    child.send("frobnicate-never-run")
    child.sendintr()
    child.expect_exact(PROMPT)
    child.sendline("help")
    child.expect("Shell commands:")
    child.expect_exact(PROMPT)
    assert "unknown command" not in child.before


def mapped_libs(pid):
    """The base names of the shared objects a process has mapped."""
    with open(f"/proc/{pid}/maps") as f:
        return {os.path.basename(l.split()[-1]) for l in f if ".so" in l}


def test_readline_is_loaded_only_for_a_terminal_session(shell, server):
    """readline (and libtinfo) are dlopen'd by the shell and echo-connect's session; a command
    run without a terminal starts without them."""
    child, _ = shell
    libs = mapped_libs(child.pid)
    assert any(l.startswith("libreadline.so.") for l in libs), libs
    assert any(l.startswith("libtinfo.so.") for l in libs), libs
    srv = server("echo-serve", "-b", "127.0.0.1", 0)
    libs = mapped_libs(srv.proc.pid)
    assert "libc.so.6" in libs, libs
    assert not any(l.startswith(("libreadline.so.", "libtinfo.so.")) for l in libs), libs


def shell_stats(pid):
    """(open descriptors, resident KiB) of the shell process."""
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    rss = next(int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS:"))
    return fds, rss


def run_many(child, line, n):
    for _ in range(n):
        child.sendline(line)
        child.expect_exact(PROMPT)


@pytest.fixture
def lean_shell(tmp_path):
    """A shell whose allocator returns memory (no ASan quarantine), so RSS means something."""
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"), TERM="dumb", NO_COLOR="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"), ASAN_OPTIONS="quarantine_size_mb=0:detect_leaks=1")
    child = pexpect.spawn(NETKIT, env=env, encoding="utf-8", timeout=30, dimensions=(40, 200))
    child.expect_exact(PROMPT)
    yield child
    if child.isalive():
        child.terminate(force=True)


COMMANDS = [
    "ifaces",
    "ifaces -s -b",
    "ifaces -n",
    "ifaces -H",
    "--json ifaces lo",
    "ports 22 80 https 8000-8010",
    "ports -a -p",
    "ports --scan 127.0.0.1 --ports 1-200 -c 50",
    "echo-connect 127.0.0.1 9 --timeout 200",
    "echo-connect --bench --count 20 --connections 2 127.0.0.1 9 --timeout 200",
    "resolve -s 127.0.0.1:9 --timeout 100 --tries 1 a.test",
    "resolve -s 127.0.0.1:9 --timeout 100 --tries 1 -t MX,TXT a.test 192.0.2.1",
    "help ports",
    "nosuchcommand",
]


@pytest.mark.parametrize("line", COMMANDS)
def test_commands_leak_nothing_in_process(lean_shell, line):
    """The shell runs commands in-process: 50 more runs of a command leave the descriptor count
    unchanged and RSS flat (within allocator noise)."""
    child = lean_shell
    run_many(child, line, 10)  # warm-up: caches, first-use allocations
    fds0, rss0 = shell_stats(child.pid)
    run_many(child, line, 50)
    fds1, rss1 = shell_stats(child.pid)
    assert fds1 == fds0, f"{line}: descriptors {fds0} -> {fds1}"
    assert rss1 - rss0 < 1024, f"{line}: RSS {rss0} -> {rss1} KiB"
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0  # under ASan, LeakSanitizer makes a leak at exit fail this


def test_ctrl_c_stops_a_server_and_returns_to_the_prompt(shell):
    child, _ = shell
    child.sendline("echo-serve -b 127.0.0.1 0")
    child.expect(r"listening on tcp 127\.0\.0\.1:(\d+)")
    child.sendintr()
    child.expect(r"netkit echo-serve: \d+ connections, \d+ bytes echoed")
    child.expect_exact(PROMPT)
    child.sendline("help")
    child.expect("Shell commands:")
    child.expect_exact(PROMPT)


def test_servers_started_and_stopped_leak_nothing(lean_shell):
    """echo-serve, started and stopped with Ctrl-C twenty times, gives back every descriptor
    (listeners, epoll, workers' loops, signal handling)."""
    child = lean_shell
    def cycle():
        child.sendline("echo-serve -u -b 127.0.0.1 0")
        child.expect(r"listening on udp 127\.0\.0\.1:\d+")
        child.sendintr()
        child.expect(r"netkit echo-serve: \d+ connections")
        child.expect_exact(PROMPT)
    for _ in range(3):
        cycle()
    fds0, rss0 = shell_stats(child.pid)
    for _ in range(20):
        cycle()
    fds1, rss1 = shell_stats(child.pid)
    assert fds1 == fds0
    assert rss1 - rss0 < 2048
