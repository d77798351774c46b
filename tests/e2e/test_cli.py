# SPDX-License-Identifier: GPL-3.0-or-later
"""The global command line: help, version, unknown commands and options, batch mode, the
stdout write check, and the completion entry point."""
import re
import subprocess

import pytest

from conftest import NETKIT, run


# netkit's commands (netkit(1)), pinned here: a table that lost a row (or all of them) fails the
# tests below instead of giving them nothing to check.
COMMANDS = ["resolve", "ifaces", "ports", "echo-serve", "echo-connect", "trace"]
FRAME = ["help", "shell"]


def commands():
    """The pinned commands, after checking that the binary registers exactly those."""
    r = run("--complete", "--", "")
    assert r.returncode == 0
    assert r.stdout.split() == COMMANDS + FRAME
    return COMMANDS


def test_the_command_table_is_complete():
    assert commands() == COMMANDS
    help_rows = re.findall(r"^  ([a-z][a-z-]*)  +\S", run("--help").stdout, re.M)
    assert help_rows == COMMANDS + FRAME


def test_version():
    r = run("--version")
    assert r.returncode == 0
    assert re.fullmatch(r"netkit \d+\.\d+\.\d+\n", r.stdout)
    assert run("-V").stdout == r.stdout


def test_help_lists_every_command():
    r = run("--help")
    assert r.returncode == 0
    for c in commands():
        assert re.search(rf"^  {re.escape(c)}\s+\S", r.stdout, re.M), c
    assert run("help").stdout == r.stdout


def test_unknown_command():
    r = run("frobnicate")
    assert r.returncode == 2
    assert r.stderr == "netkit: 'frobnicate': unknown command\nTry 'netkit --help'.\n"
    assert r.stdout == ""


@pytest.mark.parametrize("args,value", [(["--bogus"], "--bogus"),
                                        (["--color=purple", "help"], "'purple'"),
                                        (["help", "nosuch"], "'nosuch'")])
def test_bad_global_usage(args, value):
    r = run(*args)
    assert r.returncode == 2
    assert r.stderr.startswith("netkit: " + value)
    assert "Try 'netkit --help'." in r.stderr


def test_prefix_is_not_a_command():
    """Exact names only: no prefix matching (iproute2 deprecated it)."""
    for c in commands():
        r = run(c[:-1])
        assert r.returncode == 2, c


def test_every_command_has_help_and_rejects_bad_options():
    for c in commands():
        h = run(c, "--help")
        assert h.returncode == 0, c
        assert h.stdout.startswith(f"Usage: netkit {c} "), c
        assert "--json" in h.stdout and "Exit status" in h.stdout
        assert run("help", c).stdout == h.stdout
        bad = run(c, "--definitely-bogus")
        assert bad.returncode == 2, c
        assert bad.stderr.startswith(f"netkit {c}: --definitely-bogus: unknown option\n")
        assert bad.stderr.endswith(f"Try 'netkit {c} --help'.\n")
        assert bad.stdout == ""


def test_stdout_write_error_fails():
    with open("/dev/full", "w") as full:
        r = subprocess.run([NETKIT, "--help"], stdout=full, stderr=subprocess.PIPE, text=True,
                           timeout=30)
    assert r.returncode == 1
    assert "write error" in r.stderr


def test_batch_runs_each_line_and_keeps_last_failure():
    script = "help\n# a comment line\n\nfrobnicate\nhelp\n"
    r = run(input=script)
    assert r.returncode == 2  # the failing line's status, though later lines succeeded
    assert r.stdout.count("Shell commands:") == 2  # help in a batch is the shell's
    assert "'frobnicate': unknown command" in r.stderr


def test_batch_success_and_quotes():
    assert run(input="help\nnetkit help\n").returncode == 0
    r = run(input="help 'unterminated\n")
    assert r.returncode == 2
    assert "unterminated single quote" in r.stderr


def test_complete_commands_and_globals():
    assert "help" in run("--complete", "--", "he").stdout.split()
    assert run("--complete", "--", "--j").stdout.split() == ["--json"]
    for c in commands():
        out = run("--complete", "--", c, "--").stdout.split()
        assert {"--json", "--help", "--color"} <= set(out), c
        out = run("--complete", "--", c, "--color=").stdout.split()
        assert set(out) == {"--color=auto", "--color=always", "--color=never"}, c


def test_colour_only_when_asked_and_never_with_no_color():
    """ifaces colours interface names: never when piped (auto), always with --color=always,
    never with NO_COLOR set or --color=never, and never inside JSON."""
    esc = "\x1b["
    assert esc not in run("ifaces", "lo").stdout
    assert esc in run("--color=always", "ifaces", "lo").stdout
    assert esc in run("ifaces", "--color", "always", "lo").stdout
    assert esc not in run("--color=always", "ifaces", "lo", env={"NO_COLOR": "1"}).stdout
    assert esc not in run("--color=never", "ifaces", "lo").stdout
    assert esc not in run("--color=always", "--json", "ifaces", "lo").stdout


def test_json_before_or_after_the_command():
    import json
    before = json.loads(run("--json", "ifaces", "lo").stdout)
    after = json.loads(run("ifaces", "lo", "--json").stdout)
    assert before == after and before[0]["ifname"] == "lo"
