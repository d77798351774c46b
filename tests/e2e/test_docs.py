# SPDX-License-Identifier: GPL-3.0-or-later
"""Documentation stays true: man pages lint clean, every option of every command's table is
in its page and every option in a page exists, the README's test command is CI's."""
import glob
import os
import re
import subprocess

import pytest

from conftest import SOURCE, run

MAN = os.path.join(SOURCE, "man")


# The commands with a page each, pinned (as in test_cli.py): an empty table must not leave
# the checks below with nothing to check.
COMMANDS = ["resolve", "ifaces", "ports", "echo-serve", "echo-connect"]


def commands():
    listed = run("--complete", "--", "").stdout.split()
    assert listed == COMMANDS + ["help", "shell"], listed
    return COMMANDS


def table_options(cmd):
    return set(run("--complete", "--", cmd, "--").stdout.split())


@pytest.mark.parametrize("page", sorted(glob.glob(os.path.join(MAN, "*.1"))))
def test_mandoc_lint(page):
    r = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", page], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_command_has_a_page():
    for c in commands():
        assert os.path.exists(os.path.join(MAN, f"netkit-{c}.1")), c
        assert re.search(rf"\.Xr netkit-{re.escape(c)} 1", open(os.path.join(MAN, "netkit.1")).read())


def page_options(page, section_only):
    text = open(page).read()
    if section_only:
        m = re.search(r"^\.Sh OPTIONS\n(.*?)(?=^\.Sh )", text, re.M | re.S)
        text = m.group(1) if m else ""
    return {"--" + o for o in re.findall(r"Fl -([a-z0-9][a-z0-9-]*)", text)}


def test_table_options_are_in_the_page():
    for c in commands():
        page = os.path.join(MAN, f"netkit-{c}.1")
        missing = table_options(c) - page_options(page, False)
        assert not missing, f"netkit-{c}.1 lacks {sorted(missing)}"


def test_page_options_exist():
    for c in commands():
        page = os.path.join(MAN, f"netkit-{c}.1")
        extra = page_options(page, True) - table_options(c)
        assert not extra, f"netkit-{c}.1 documents options netkit {c} lacks: {sorted(extra)}"


def readme_blocks():
    text = open(os.path.join(SOURCE, "README.md")).read()
    return re.findall(r"```sh\n(.*?)\n```", text, re.S)


def test_readme_opens_with_the_two_commands():
    blocks = readme_blocks()
    assert len(blocks) >= 2
    install, test = blocks[0], blocks[1]
    assert "apt-get install" in install and "netkit ifaces" in install
    assert "ctest" in test
    ci = open(os.path.join(SOURCE, ".ci", "run")).read().strip().splitlines()
    assert ci[-1] == test, "CI must run exactly the README's test command"


def test_packages_named_in_design_are_installed_by_ci():
    pkgs = set(l.strip() for l in open(os.path.join(SOURCE, "packages.txt"))
               if l.strip() and not l.startswith("#"))
    for p in ["libc-ares-dev", "libreadline-dev", "libmnl-dev", "libjansson-dev", "libcmocka-dev",
              "python3-pytest", "python3-pexpect", "ieee-data", "netbase"]:
        assert p in pkgs, p
