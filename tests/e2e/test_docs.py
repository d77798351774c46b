# SPDX-License-Identifier: GPL-3.0-or-later
"""Documentation stays true: man pages lint clean, every option of every command's table is
in its page and every option in a page exists, the rules between options are stated, the
README's test command is CI's."""
import glob
import os
import re
import subprocess

import pytest

from conftest import SOURCE, run

MAN = os.path.join(SOURCE, "man")


# The commands with a page each, pinned (as in test_cli.py): an empty table must not leave
# the checks below with nothing to check.
COMMANDS = ["resolve", "ifaces", "ports", "echo-serve", "echo-connect", "trace"]


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


@pytest.mark.parametrize("page", sorted(glob.glob(os.path.join(MAN, "*.1"))))
def test_man_renders_at_80_columns(page):
    """man formats every page for an 80-column terminal without "can't break line": long
    literals (JSON field lists) carry break points."""
    env = dict(os.environ, MANWIDTH="80")
    r = subprocess.run(["man", "-l", page], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0 and r.stdout, r.stderr
    assert r.stderr == "", r.stderr


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


def help_rules(cmd):
    """The rules `netkit CMD --help` shows under each option: (option, kind, [others]), kind
    "requires" or "not with", and the option's letter for each long name."""
    rules, letters, cur = [], {}, None
    for line in run(cmd, "--help").stdout.splitlines():
        m = re.match(r"  (?:-(\w), )?\s*--([a-z0-9-]+)", line)
        if m:
            cur = m.group(2)
            letters[cur] = m.group(1)
            continue
        m = re.match(r" {28}(requires|not with) (.*)", line)
        if m and cur:
            rules.append((cur, m.group(1), [w.strip()[2:] for w in m.group(2).split(",")]))
    return rules, letters


def page_entries(page):
    """Each option's entry in the OPTIONS section of a page: long name -> its text."""
    text = open(page).read()
    m = re.search(r"^\.Sh OPTIONS\n(.*?)(?=^\.Sh )", text, re.M | re.S)
    entries = {}
    for item in re.split(r"^\.It ", m.group(1) if m else "", flags=re.M)[1:]:
        head = item.split("\n", 1)[0]
        for name in re.findall(r"Fl -([a-z0-9][a-z0-9-]*)", head):
            entries[name] = item
    return entries


def names(text, opt, letter):
    return f"Fl -{opt}" in text or bool(letter and re.search(rf"Fl {letter}\b", text))


def test_page_states_the_option_rules():
    """The rules between options come from the table: the parser's error, the --help line and
    here, the page: an option that requires another names it in its entry, and of two that
    exclude each other, at least one entry names the other."""
    for c in commands():
        rules, letters = help_rules(c)
        entries = page_entries(os.path.join(MAN, f"netkit-{c}.1"))
        for opt, kind, others in rules:
            for other in others:
                here = names(entries.get(opt, ""), other, letters.get(other))
                there = names(entries.get(other, ""), opt, letters.get(opt))
                assert here or (kind == "not with" and there), \
                    f"netkit-{c}.1: --{opt} {kind} --{other}, and the page does not say so"


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


def test_nothing_cites_a_file_outside_the_repository():
    """Help, man pages, completions, sources and tests point at what ships here (the man pages
    document the contract), never at design notes that are not in the repository."""
    outside = re.compile(r"\b(CLI|DESIGN|CARES-NOTES)\.md\b")
    bad = []
    for top in ("src", "man", "completions", "tests", "bench", "fuzz", "pkg", ".ci"):
        for root, _, files in os.walk(os.path.join(SOURCE, top)):
            for f in files:
                path = os.path.join(root, f)
                try:
                    text = open(path, encoding="utf-8", errors="replace").read()
                except OSError:
                    continue
                for n, line in enumerate(text.splitlines(), 1):
                    if outside.search(line):
                        bad.append(f"{os.path.relpath(path, SOURCE)}:{n}: {line.strip()}")
    for doc in ("README.md", "CONTRIBUTING.md"):
        for n, line in enumerate(open(os.path.join(SOURCE, doc)).read().splitlines(), 1):
            if outside.search(line):
                bad.append(f"{doc}:{n}: {line.strip()}")
    assert not bad, "\n".join(bad)
    help_text = run("--help").stdout + "".join(run(c, "--help").stdout for c in COMMANDS)
    assert not outside.search(help_text)
