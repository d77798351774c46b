# SPDX-License-Identifier: GPL-3.0-or-later
"""Every external program the tests and CI run comes from a package packages.txt installs.

ctest runs this after every other end-to-end test (FIXTURES_CLEANUP). It reads what each of
them recorded (programs.py, under $NETKIT_BUILD/e2e-programs), and the commands .ci/run runs,
maps each program to its Debian package with dpkg -S and fails naming any program whose package
is neither in packages.txt nor on every Debian system already (Priority required, or
Essential). The binary under test and Python itself need no package.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

import programs
from conftest import SOURCE

SELF = "test_programs"  # this run's own record: dpkg and dpkg-query, checked by hand below


def usr_merge_forms(path):
    """path as dpkg may know it: Debian 12 merged /bin into /usr/bin, but packages still list
    whichever of the two they were built with."""
    forms = [path]
    for short in ("/bin/", "/sbin/", "/lib/", "/lib64/"):
        if path.startswith(short):
            forms.append("/usr" + path)
        elif path.startswith("/usr" + short):
            forms.append(path[4:])
    return forms


def candidates(path):
    """The paths to ask dpkg about, most specific first: as found, then symlinks resolved."""
    out = []
    for p in (path, os.path.realpath(path)):
        for f in usr_merge_forms(p):
            if f not in out:
                out.append(f)
    return out


def dpkg_owners(paths):
    """{path: {package, ...}} for the paths some installed package ships (one dpkg -S)."""
    r = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True, timeout=120)
    owners = {}
    for line in r.stdout.splitlines():
        if line.startswith(("diversion by", "local diversion")) or ": " not in line:
            continue
        pkgs, path = line.split(": ", 1)
        owners.setdefault(path, set()).update(p.strip().split(":")[0] for p in pkgs.split(","))
    return owners


def on_every_system(pkgs):
    """The packages of pkgs that every Debian system has: Priority required, or Essential."""
    if not pkgs:
        return set()
    r = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Priority} ${Essential}\n",
                        *sorted(pkgs)], capture_output=True, text=True, timeout=60)
    base = set()
    for line in r.stdout.splitlines():
        name, priority, essential = (line.split() + ["", "", ""])[:3]
        if priority == "required" or essential == "yes":
            base.add(name)
    return base


def exempt(path):
    """The binary under test (any build or install of it) and Python itself."""
    real = os.path.realpath(path)
    return (os.path.basename(path) == "netkit"
            or real == os.path.realpath(sys.executable)
            or re.fullmatch(r"python3(\.\d+)?", os.path.basename(real)) is not None)


def problems(used):
    """used: {program: (resolved path or None, where it was used)}; one line per problem."""
    wanted = programs.packages_txt()
    found = {p: w for p, (w, _) in used.items() if w and not exempt(w)}
    asked = sorted({c for w in found.values() for c in candidates(w)})
    owners = dpkg_owners(asked) if asked else {}
    pkg_of = {}
    for prog, where in found.items():
        pkg_of[prog] = next((owners[c] for c in candidates(where) if c in owners), set())
    base = on_every_system({p for pkgs in pkg_of.values() for p in pkgs} - wanted)
    out = []
    for prog, (where, users) in sorted(used.items()):
        if where is None:
            out.append(f"{programs.missing_message(os.path.basename(prog))} (used by {users})")
        elif prog in pkg_of and not pkg_of[prog]:
            out.append(f"{prog} ({where}, used by {users}) belongs to no Debian package")
        elif prog in pkg_of and not pkg_of[prog] & (wanted | base):
            out.append(f"{prog} ({where}, used by {users}) comes from "
                       f"{', '.join(sorted(pkg_of[prog]))}, which packages.txt does not list")
    return out


def recorded():
    """{program: (path, 'test_x, test_y')} from every end-to-end run's record."""
    used = {}
    if not os.path.isdir(programs.RECORDS):
        return used
    for name in sorted(os.listdir(programs.RECORDS)):
        if not name.endswith(".txt") or name == SELF + ".txt":
            continue
        with open(os.path.join(programs.RECORDS, name)) as f:
            for line in f:
                prog, where = line.rstrip("\n").split("\t")
                path = None if where == "-" else where
                if prog in used:  # not installed for any one run: not installed
                    old_path, old_users = used[prog]
                    path = path and old_path
                    users = old_users + ", " + name[:-4]
                else:
                    users = name[:-4]
                used[prog] = (path, users)
    return used


def test_every_program_the_tests_ran_is_installed_by_packages_txt():
    used = recorded()
    assert used, f"no records in {programs.RECORDS}: did the end-to-end tests run?"
    bad = problems(used)
    assert not bad, "\n".join(bad)


# ---- .ci/run's own tools ----

BUILTINS = {"set", "cd", "export", "echo", "printf", "exit", "local", "return", "true", "false",
            "test", "[", "[[", "read", "shift", "source", ".", "eval", "wait", "trap", "unset",
            "readonly", "declare", "break", "continue", ":", "exec", "command", "pushd", "popd"}
KEYWORDS_THEN_COMMAND = {"if", "then", "else", "elif", "while", "until", "do", "!", "{", "time"}
KEYWORDS = KEYWORDS_THEN_COMMAND | {"fi", "done", "esac", "}", "in", "for", "case", "function"}
OPERATORS_THEN_COMMAND = {"&&", "||", "|", ";", "&", "(", ")", ";;", "|&"}


def substitutions(line):
    """(line with each $(...) replaced by a word, [the text inside each])."""
    inner, out, i = [], "", 0
    while i < len(line):
        if line.startswith("$(", i):
            depth, j, quote = 1, i + 2, None
            while j < len(line) and depth:
                c = line[j]
                if quote:
                    quote = None if c == quote else quote
                elif c == "'":
                    quote = c
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                j += 1
            inner.append(line[i + 2:j - 1])
            out += "SUBST"
            i = j
        else:
            out += line[i]
            i += 1
    return out, inner


def shell_commands(text):
    """[(line number, program)] for every command a shell script runs by name: a heuristic
    that knows what .ci/run uses (pipelines, lists, subshells, groups, if/for, functions,
    assignments before a command, $(...)); commands named by a variable are skipped."""
    found, functions, todo = [], set(), []
    for n, line in enumerate(text.split("\n"), 1):
        if n == 1 and line.startswith("#!"):
            found += [(1, w) for w in line[2:].split()[:2] if not w.startswith("-")]
        elif todo and todo[-1][1].endswith("\\"):  # a continuation: one logical line
            todo[-1] = (todo[-1][0], todo[-1][1][:-1] + " " + line)
        else:
            todo.append((n, line))
    while todo:
        n, line = todo.pop(0)
        line, inner = substitutions(line)
        todo += [(n, s) for s in inner]
        lex = shlex.shlex(line, posix=True, punctuation_chars=True)
        lex.whitespace_split = True
        lex.commenters = "#"
        try:
            words = list(lex)
        except ValueError:  # an unterminated quote: the statement goes on; judge what we have
            words = line.split()
        at_command, skip_to_do = True, False
        for k, w in enumerate(words):
            if skip_to_do:
                skip_to_do = w != "do"
                continue
            if w in OPERATORS_THEN_COMMAND or w in KEYWORDS_THEN_COMMAND:
                at_command = True
                continue
            if not at_command:
                continue
            if w in ("for", "case", "select"):
                skip_to_do = True
                continue
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w):
                continue  # an assignment before the command
            at_command = False
            if words[k + 1:k + 2] == ["()"] or words[k + 1:k + 3] == ["(", ")"]:
                functions.add(w)
                continue
            if w in KEYWORDS or w in BUILTINS or "$" in w or w.startswith(("<", ">")):
                continue
            if re.fullmatch(r"\d*[<>].*", w):
                continue
            found.append((n, w))
    return [(n, w) for n, w in found if w not in functions]


def test_shell_parser_finds_every_command():
    script = """#!/usr/bin/env bash
set -euo pipefail
helper() { tool0 "$@"; }
A=1 B=2 tool1 --opt $(tool2 -x "$(tool3 'a)b')") | tool4 && ! tool5 || { tool6; exit 1; }
for x in a b; do tool7 "$x" >/dev/null 2>&1; done
"$var" arg; ${v} arg; ../$name run
if tool8 -q; then tool9 \\
    --long; fi  # tool10 in a comment
echo "tool11 in a string" 'tool12' && helper
(cd dir && tool13 "$(tool14)")
"""
    got = [w for _, w in shell_commands(script)]
    assert sorted(got) == sorted(["/usr/bin/env", "bash"] + [f"tool{i}" for i in range(10) if i]
                                 + ["tool0", "tool13", "tool14"])


def test_ci_tools_are_installed_by_packages_txt():
    path = os.path.join(SOURCE, ".ci", "run")
    with open(path) as f:
        cmds = shell_commands(f.read())
    names = {w for _, w in cmds}
    assert {"apt-get", "clang-format", "cmake", "ctest", "grep"} <= names, names
    used = {}
    for n, w in cmds:
        where = shutil.which(w)
        old = used.get(w, (where, ""))
        used[w] = (where, (old[1] + "," if old[1] else ".ci/run line ") + str(n))
    bad = problems(used)
    assert not bad, "\n".join(bad)


# ---- the checker itself ----

def test_checker_names_what_packages_txt_lacks():
    """A program from a package packages.txt lacks, one from no package, one not installed;
    and no complaint about Essential, required (through alternatives) or listed packages."""
    used = {"dpkg-deb": (shutil.which("dpkg-deb"), "t1"),  # dpkg: Essential
            "cmake": (shutil.which("cmake"), "t2"),         # packages.txt
            "nawk": (shutil.which("nawk"), "t3"),           # mawk: Priority required
            "ip": (shutil.which("ip"), "t4"),               # dpkg knows it as /bin/ip
            "ld": (shutil.which("ld"), "t5"),               # binutils: only a dependency of gcc
            "nk-nowhere": (os.path.abspath(__file__), "t6"),
            "dig": (None, "t7")}
    out = problems(used)
    assert len(out) == 3, out
    assert any(p.startswith("ld (") and "binutils" in p and "t5" in p for p in out), out
    assert any(p.startswith("nk-nowhere") and "no Debian package" in p for p in out), out
    assert any("dig: not installed" in p and "bind9-dnsutils" in p and "t7" in p for p in out)


def test_missing_program_fails_at_once_naming_its_package(tmp_path, monkeypatch):
    rec = programs.Recorder(str(tmp_path / "r.txt"))
    monkeypatch.setattr(programs, "_recorder", rec)
    empty = dict(os.environ, PATH=str(tmp_path))
    with pytest.raises(programs.MissingProgram, match="bind9-dnsutils"):
        subprocess.run(["dig", "+short", "example.test"], env=empty)
    with pytest.raises(programs.MissingProgram, match="knot"):
        subprocess.run(["ip", "netns", "exec", "x", "knotd"], env=dict(os.environ, PATH="/bin"))
    assert open(tmp_path / "r.txt").read().splitlines() == ["dig\t-", "ip\t/bin/ip", "knotd\t-"]
