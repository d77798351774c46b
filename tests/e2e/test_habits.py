# SPDX-License-Identifier: GPL-3.0-or-later
"""What people bring from git, ss, ip, nmap and traceroute: "did you mean" for a mistyped
command or option, the habit flags that work (ports -tulpn, ifaces -br, -j), the ones that mean
something else here answered with what to type, help words and `--` as git has them."""
import json
import os
import socket

import pytest

from conftest import run


def usage_error(*args):
    r = run(*args)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert r.stdout == ""
    return r.stderr.splitlines()


@pytest.mark.parametrize("typed,meant", [
    ("resolv", "resolve"), ("iface", "ifaces"), ("port", "ports"),
    ("echo-server", "echo-serve"), ("tarce", "trace"),
])
def test_a_mistyped_command_gets_a_suggestion(typed, meant):
    assert usage_error(typed) == [
        f"netkit: '{typed}': unknown command; did you mean '{meant}'?", "Try 'netkit --help'."]


def test_suggestions_name_every_close_command_and_nothing_far():
    assert usage_error("echo")[0] == ("netkit: 'echo': unknown command; did you mean "
                                      "'echo-serve' or 'echo-connect'?")
    assert usage_error("x")[0] == "netkit: 'x': unknown command"
    assert usage_error("help", "prots")[0] == ("netkit: 'prots': unknown command; "
                                               "did you mean 'ports'?")


@pytest.mark.parametrize("cmd,typed,meant", [
    ("ifaces", "--breif", "--brief"), ("ports", "--scna", "--scan"),
    ("resolve", "--timout", "--timeout"), ("trace", "--max-hosp", "--max-hops"),
    ("ports", "--jsno", "--json"),
])
def test_a_mistyped_option_gets_a_suggestion(cmd, typed, meant):
    assert usage_error(cmd, typed, "x")[0] == (
        f"netkit {cmd}: {typed}: unknown option; did you mean '{meant}'?")


def test_an_ambiguous_or_single_dash_option_names_the_candidates():
    assert usage_error("ports", "--t")[0] == ("netkit ports: --t: unknown option; "
                                              "did you mean '--tcp' or '--timeout'?")
    assert usage_error("ports", "-scan", "x")[0] == ("netkit ports: -s: unknown option; "
                                                     "did you mean '--scan'?")


def test_a_mistyped_global_option_gets_a_suggestion():
    assert usage_error("--jsno", "ifaces") == [
        "netkit: --jsno: unknown option; did you mean '--json'?", "Try 'netkit --help'."]


def test_ss_tulpn_lists_listening_sockets_with_processes():
    r = run("ports", "-tulpn")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[0].split()[-1] == "PROCESS"
    assert {l.split()[1] for l in r.stdout.splitlines()[1:]} <= {"LISTEN", "UNCONN"}


def test_ss_4_and_6_keep_one_family():
    v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    try:
        v4.bind(("127.0.0.1", 0))
        v6.bind(("::1", 0))
        v4.listen()
        v6.listen()
        p4, p6 = str(v4.getsockname()[1]), str(v6.getsockname()[1])

        def local(*flags):
            r = run("ports", *flags, p4, p6)
            assert r.returncode == 0, r.stderr
            return sorted(l.split()[4] for l in r.stdout.splitlines()[1:])
        assert local("-tl") == sorted([f"127.0.0.1:{p4}", f"[::1]:{p6}"])
        assert local("-4tln") == [f"127.0.0.1:{p4}"]
        assert local("-6tln") == [f"[::1]:{p6}"]
        assert local("-46tl") == local("-tl")
    finally:
        v4.close()
        v6.close()


def test_ip_br_is_brief():
    r = run("ifaces", "-br", "lo")
    assert r.returncode == 0, r.stderr
    assert r.stdout == run("ifaces", "--brief", "lo").stdout
    assert r.stdout.startswith("lo ")
    assert run("ifaces", "-brief", "lo").stdout == r.stdout


@pytest.mark.parametrize("args", [("ifaces", "lo"), ("ports", "ssh"), ("ports", "22"),
                                  ("ifaces", "-H")])
def test_j_is_json(args):
    r = run(args[0], "-j", *args[1:])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == json.loads(run("--json", *args).stdout)
    assert json.loads(run("-j", *args).stdout) is not None  # before the command too


def test_j_is_listed_where_it_is_free():
    for c in ("resolve", "ifaces", "ports", "echo-serve", "echo-connect", "trace"):
        assert "  -j, --json" in run(c, "--help").stdout, c


@pytest.mark.parametrize("args,hint", [
    (("ports", "--scan", "127.0.0.1", "-p", "22"), "for nmap's -p PORTS, type --ports PORTS"),
    (("ports", "-c", "2"), "type --watch"),
    (("ifaces", "-o"), "type -b"),
    (("trace", "-m", "5", "localhost"), "type --max-hops N"),
    (("echo-connect", "-l", "5000"), "netkit echo-serve PORT"),
])
def test_a_flag_from_another_tool_says_what_to_type(args, hint):
    err = usage_error(*args)
    assert err[0].startswith(f"netkit {args[0]}: ") and err[0].endswith(hint), err


def test_help_words_as_git_has_them():
    r = run("help", "help")
    assert r.returncode == 0 and r.stdout.startswith("Usage: netkit help")
    shell = run("help", "shell")
    assert shell.returncode == 0 and shell.stdout.startswith("Usage: netkit shell")
    assert run("shell", "--help").stdout == shell.stdout
    assert run("help", "ports").stdout == run("ports", "--help").stdout
    assert usage_error("help", "ports", "extra") == [
        "netkit help: 'extra': one COMMAND at most", "Try 'netkit help --help'."]


def test_double_dash_ends_the_global_options():
    r = run("--", "ports", "80")
    assert r.returncode == 0, r.stderr
    assert r.stdout == run("ports", "80").stdout and "http" in r.stdout
    r = run("--json", "--", "ports", "80")
    assert r.returncode == 0 and json.loads(r.stdout)[0]["service"] == "http"
    assert usage_error("--", "--json", "ports")[0] == "netkit: '--json': unknown command"
