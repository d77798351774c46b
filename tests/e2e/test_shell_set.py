# SPDX-License-Identifier: GPL-3.0-or-later
"""The shell's language on a real terminal (pexpect) and in batch mode (`netkit < FILE`): help
in the shell's words, `set` and the settings file, `exit`/`quit`, `history` and history files
that cannot be written, pipes and redirections, completion of `set` values."""
import os
import re

import pexpect
import pytest

from conftest import NETKIT, run

PROMPT = "netkit> "


def spawn(tmp_path, **env):
    full = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"),
                XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path / "home"),
                TERM="dumb", NO_COLOR="1")
    full.update(env)
    child = pexpect.spawn(NETKIT, env=full, encoding="utf-8", timeout=15, dimensions=(40, 200))
    return child


@pytest.fixture
def shell(tmp_path):
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    yield child
    if child.isalive():
        child.terminate(force=True)


def say(child, line):
    """Type line; return what it printed before the next prompt (the line's echo left out)."""
    child.sendline(line)
    child.expect_exact(line)  # the terminal's echo of it
    child.expect_exact(PROMPT)
    return child.before.replace("\r\n", "\n").removeprefix("\n")


def leave(child):
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.wait()
    return child.exitstatus


def test_help_speaks_the_shell_language(shell):
    out = say(shell, "help")
    for word in ("set [NAME [VALUE]]", "history", "exit [N], quit", "help [COMMAND]", "resolve"):
        assert word in out
    assert "netkit < FILE" not in out and "Global options" not in out
    assert "Usage: set [NAME [VALUE]]" in say(shell, "help set")
    assert "json on|off" in say(shell, "help set")
    assert "Leave the shell" in say(shell, "help exit")
    assert "Leave the shell" in say(shell, "help quit")
    assert "Usage: history [N]" in say(shell, "help history")
    assert "Usage: help [COMMAND]" in say(shell, "help help")
    assert "Usage: netkit ports" in say(shell, "help ports")
    # What a hint says to type works: --help at the prompt is the shell's help, not a loop.
    assert "Shell commands:" in say(shell, "--help")
    assert "Shell commands:" in say(shell, "netkit --help")
    assert "Shell commands:" in say(shell, "-h")


def test_errors_hint_at_what_the_shell_takes(shell):
    out = say(shell, "frobnicate")
    assert "'frobnicate': unknown command" in out
    assert "Try 'help'." in out and "netkit --help" not in out
    out = say(shell, "ports --bogus")
    assert "Try 'help ports'." in out
    out = say(shell, "set json maybe")
    assert "netkit set: json: 'maybe': expected on or off" in out and "Try 'help set'." in out
    assert "Usage: netkit ports" in say(shell, "ports --help")


def test_set_shows_and_never_resets(shell, tmp_path):
    out = say(shell, "set")
    for name in ("server", "json", "color", "timeout"):
        assert re.search(rf"^{name}\s", out, re.M), out
    assert str(tmp_path / "config" / "netkit" / "config") in out
    say(shell, "set server 127.0.0.1:5300,[::1]:53")
    # `set server` alone shows the setting; it used to reset it to the system's.
    assert re.search(r"^server\s+127\.0\.0\.1:5300,\[::1\]:53\s*$", say(shell, "set server"), re.M)
    assert re.search(r"^server\s+127\.0\.0\.1:5300", say(shell, "set"), re.M)
    assert re.search(r"^server\s+system", say(shell, "set server system ") + say(shell, "set server"),
                     re.M)
    for line, said in (("set json yes", "'yes'"), ("set color blue", "'blue'"),
                       ("set timeout 1ms", "'1ms'"), ("set server 1.2.3", "'1.2.3'"),
                       ("set sever 1.1.1.1", "'sever': unknown setting"),
                       ("set json on off", "'off'")):
        assert said in say(shell, line), line
    assert re.search(r"^json\s+off", say(shell, "set json"), re.M)


def test_settings_persist_across_sessions(tmp_path):
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    say(child, "set json on")
    say(child, "set timeout 700")
    say(child, "set color never")
    assert leave(child) == 0
    path = tmp_path / "config" / "netkit" / "config"
    text = path.read_text()
    assert "json = on" in text and "timeout = 700" in text and "color = never" in text
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    out = say(child, "set")
    assert re.search(r"^json\s+on", out, re.M) and re.search(r"^timeout\s+700 ms", out, re.M)
    assert say(child, "ifaces lo").lstrip().startswith("[")  # JSON, from the file
    leave(child)
    # Batch mode and one-off commands never read it.
    r = run(input="set\nifaces lo\n", env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert re.search(r"^json\s+off", r.stdout, re.M) and "link/" in r.stdout
    assert not run("ifaces", "lo", env={"XDG_CONFIG_HOME": str(tmp_path / "config")}
                   ).stdout.startswith("[")


def test_bad_config_lines_warn_and_the_rest_applies(tmp_path):
    path = tmp_path / "config" / "netkit" / "config"
    path.parent.mkdir(parents=True)
    path.write_text("# mine\njson = on\ncolour = never\ntimeout = soon\nserver = 127.0.0.1:5300\n")
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    warnings = child.before
    assert f"{path}:3: 'colour': unknown setting" in warnings
    assert f"{path}:4: 'soon': timeout is not a number" in warnings
    out = say(child, "set")
    assert re.search(r"^json\s+on", out, re.M) and "127.0.0.1:5300" in out
    leave(child)


def test_relative_xdg_config_home_is_ignored(tmp_path):
    child = spawn(tmp_path, XDG_CONFIG_HOME="relative/config")
    child.expect_exact(PROMPT)
    out = say(child, "set")
    assert str(tmp_path / "home" / ".config" / "netkit" / "config") in out
    say(child, "set json on")
    leave(child)
    assert (tmp_path / "home" / ".config" / "netkit" / "config").exists()
    assert not os.path.exists("relative")


def test_set_values_complete(shell):
    shell.send("set col\t")
    shell.expect_exact("set color ")
    shell.send("ne\t")
    shell.expect_exact("never")
    shell.send("\x15")  # Ctrl-U
    shell.send("set json o\t\t")
    shell.expect(r"off\s+on|on\s+off")
    shell.send("\x15set json of\t")
    shell.expect_exact("off ")
    shell.send("\x15echo-connect localhost ech\t")
    shell.expect_exact("echo ")
    shell.send("\x15")
    assert "Shell commands:" in say(shell, "help")


def test_exit_status_and_quit(tmp_path):
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    assert "exit status" in say(child, "exit 256")  # out of range: the shell stays
    child.sendline("exit 3")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 3
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0


def test_history_command_numbers_lines(shell):
    say(shell, "help")
    say(shell, "set json")
    out = say(shell, "history")
    assert re.fullmatch(r"\s+1  help\n\s+2  set json\n\s+3  history\n", out), out
    assert re.fullmatch(r"\s+4  history 1\n", say(shell, "history 1"))
    assert "'x': line count is not a number" in say(shell, "history x")


@pytest.mark.parametrize("kind", ["directory", "parent-file", "dev-full"])
def test_unwritable_history_warns_once(tmp_path, kind):
    state = tmp_path / "state"
    hist = state / "netkit" / "history"
    if kind == "directory":
        hist.mkdir(parents=True)
    elif kind == "parent-file":
        state.mkdir()
        (state / "netkit").write_text("a file where the directory should be\n")
    else:
        hist.parent.mkdir(parents=True)
        hist.symlink_to("/dev/full")
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    seen = child.before
    for line in ("set json", "set color", "set timeout", "help set"):
        seen += say(child, line)
    assert leave(child) == 0
    seen += child.before
    assert seen.count("history not saved") == 1, seen
    assert f"history {hist}" in seen


def test_relative_xdg_state_home_is_ignored(tmp_path):
    child = spawn(tmp_path, XDG_STATE_HOME="relative/state")
    child.expect_exact(PROMPT)
    say(child, "set json")
    leave(child)
    hist = tmp_path / "home" / ".local" / "state" / "netkit" / "history"
    assert hist.read_text().splitlines() == ["set json", "exit"]
    assert not os.path.exists("relative")


def test_pipes_and_redirections(shell, tmp_path):
    """`|` and `>` are never arguments: the output goes through sh -c or into the file."""
    assert say(shell, "ports 22 | grep -c ssh").split() == ["1"]
    out = tmp_path / "out.txt"
    assert say(shell, f"ports 22 > {out}").strip() == ""
    assert "ssh" in out.read_text()
    say(shell, f"ports 80 >> {out}")
    text = out.read_text()
    assert "ssh" in text and "http" in text
    say(shell, f"ports bogus-service-name 2> {out}")
    assert "bogus-service-name" in out.read_text()
    assert say(shell, "ports bogus-service-name 2>&1 | wc -l").split() == ["1"]
    # `| head` leaves early: no write error, the shell goes on.
    out = say(shell, "ports 1-2000 | head -n 1")
    assert len(out.strip().splitlines()) == 1 and "error" not in out
    # Quoted, they are arguments.
    assert "'|': unknown service" in say(shell, "ports '|'")
    # Input redirection is refused, with the way to read a file.
    assert "resolve -f FILE" in say(shell, "resolve -f - < names.txt")
    assert "missing file name" in say(shell, "ports 22 >")
    assert "missing the program" in say(shell, "ports 22 |")
    assert "no command before it" in say(shell, "| grep x")
    assert not os.path.exists("names.txt")


def test_batch_runs_the_same_language(tmp_path):
    cfg = tmp_path / "config" / "netkit" / "config"
    cfg.parent.mkdir(parents=True)
    cfg.write_text("json = on\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    # set lasts until the batch ends; exit stops it; help is the shell's.
    r = run(input="set json on\nifaces lo\nset json off\nifaces lo\nhelp set\nexit\nifaces -x\n",
            env=env)
    assert r.returncode == 0, r.stderr
    first, rest = r.stdout.split("\n", 1)
    assert first.startswith("[") and "link/" in rest and "Usage: set [NAME [VALUE]]" in rest
    assert "batch ends" in rest
    assert cfg.read_text() == "json = on\n"  # never written by a batch
    # exit's status: N, or that of the last line that failed.
    assert run(input="exit 4\nifaces\n").returncode == 4
    assert run(input="frobnicate\nquit\nifaces -x\n").returncode == 2
    r = run(input="# a comment\nifaces lo # and another\n")
    assert r.returncode == 0 and "lo" in r.stdout
    # A NUL byte: the line is rejected, the others run.
    r = run(input=b"ifaces lo\nifaces\x00 lo\nset json\n", binary=True)
    assert r.returncode == 2 and b"line 2: contains a NUL byte" in r.stderr
    assert b"json     off" in r.stdout
    # Pipes in a batch too; a pipeline's status is its last program's.
    r = run(input="ports 22 | tr a-z A-Z\n")
    assert "SSH" in r.stdout and r.returncode == 0
    assert run(input="ports 22 | grep -q nothing-like-this\n").returncode == 1
    assert run(input="ports bogus-service-name 2>/dev/null | cat\n").returncode == 0
    # history has nothing to show in a batch; set alone says where settings live.
    r = run(input="history\n")
    assert r.returncode == 1 and "a batch keeps no history" in r.stderr


def test_unwritable_echo_history_warns_once(tmp_path, server):
    """echo-connect's session history (its own file) warns once too, and the echo goes on."""
    (tmp_path / "state" / "netkit" / "echo-history").mkdir(parents=True)
    srv = server("echo-serve", "-b", "127.0.0.1", 0)
    port = re.search(r"127\.0\.0\.1:(\d+)", srv.lines[-1]).group(1)
    child = spawn(tmp_path)
    child.expect_exact(PROMPT)
    child.sendline(f"echo-connect 127.0.0.1 {port}")
    child.expect_exact(f"127.0.0.1:{port}> ")
    seen = child.before
    for payload in ("first line", "second line"):
        child.sendline(payload)
        child.expect(rf"{payload}  \(\d+\.\d{{3}} ms\)")
        seen += child.before
    child.sendeof()
    child.expect_exact(PROMPT)
    seen += child.before
    assert seen.count("history not saved") == 1, seen
    assert "netkit echo-connect: history " in seen
    assert leave(child) == 0
