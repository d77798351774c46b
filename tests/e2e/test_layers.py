# SPDX-License-Identifier: GPL-3.0-or-later
"""The layers of src/ hold (README.md, Layout): main -> cli -> cmd -> domains -> lib.

Only the frame (src/cli/), the commands (src/cmd/) and src/main.c write to stdout or stderr
(or end the process);
nothing in src/lib/ or a domain folder (dns, link, ports, echo) includes a header from src/cli/
or src/cmd/, and src/lib/ includes no domain. Pure Python over $NETKIT_SOURCE: comments and
string literals are blanked first, so "printf" in a comment or a message is no call.
"""
import glob
import os
import re

import pytest

from conftest import SOURCE

SRC = os.path.join(SOURCE, "src")
FRAME = {"cli", "cmd"}                     # may print; nothing below includes them
DOMAINS = {"dns", "link", "ports", "echo", "path"}  # may include each other and lib
LIB = "lib"                                 # includes only lib

# Calls that write to stdout or stderr whatever their arguments.
PRINT_CALLS = re.compile(
    r"(?<![\w.>])(printf|vprintf|puts|putchar|putchar_unlocked|perror|psignal|psiginfo|herror|"
    r"err|errx|verr|verrx|warn|warnx|vwarn|vwarnx|error|error_at_line)\s*\(")
# Naming the standard streams at all: fprintf(stderr, ...), fputs(s, stdout), fileno(stdout).
STREAMS = re.compile(r"(?<![\w.>])(stdout|stderr|STDOUT_FILENO|STDERR_FILENO)\b")
# Writing to descriptor 1 or 2 by number.
FD_WRITES = re.compile(r"(?<![\w.>])(write|writev|dprintf|vdprintf|send|pwrite)\s*\(\s*[12]\s*,")
# Ending the process is the frame's decision too (modules return a status).
EXITS = re.compile(r"(?<![\w.>])(exit|_exit|_Exit|quick_exit|abort)\s*\(")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)


def blank_comments_and_strings(text):
    """text with comments and the insides of string and character literals replaced by
    spaces; newlines stay, so line numbers stay."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def print_violations(rel, text):
    """['file:line: what'] for every write to stdout or stderr, and every exit, in text."""
    code = blank_comments_and_strings(text)
    out = []
    for rx, what in ((PRINT_CALLS, "prints"), (STREAMS, "uses"), (FD_WRITES, "writes to fd"),
                     (EXITS, "calls")):
        for m in rx.finditer(code):
            out.append((m.start(), f"{rel}:{line_of(code, m.start())}: {what} {m.group(1)}"))
    return [msg for _, msg in sorted(out)]


def layer(rel):
    """The layer of a path relative to src/: 'main', 'cli', 'cmd', 'lib', a domain, or None."""
    parts = rel.split("/")
    if parts == ["main.c"]:
        return "main"
    return parts[0] if len(parts) > 1 else None


def include_violations(rel, text):
    """['file:line: why'] for every include of rel that points up (or names no folder)."""
    code = blank_comments_and_strings(text)
    me = layer(rel)
    out = []
    for m in INCLUDE.finditer(code):
        start = m.start(1)
        target = text[start:start + len(m.group(1))]  # the literal was blanked in code
        where = f"{rel}:{line_of(code, m.start())}"
        if "/" not in target:
            out.append(f'{where}: #include "{target}" names no folder (as "lib/loop.h" does)')
            continue
        to = target.split("/")[0]
        if me in DOMAINS | {LIB} and to in FRAME:
            out.append(f'{where}: #include "{target}": {me}/ must not include {to}/')
        elif me == LIB and to in DOMAINS:
            out.append(f'{where}: #include "{target}": lib/ must not include a domain')
    return out


def sources():
    """(path relative to src/, text) of every .c and .h under src/."""
    for path in sorted(glob.glob(os.path.join(SRC, "**", "*.[ch]"), recursive=True)):
        rel = os.path.relpath(path, SRC)
        with open(path, encoding="utf-8", errors="replace") as f:
            yield rel, f.read()


def test_the_tree_has_the_layers():
    found = {layer(rel) for rel, _ in sources()}
    assert {"main", "cli", "cmd", "lib"} | DOMAINS <= found, found
    unknown = sorted(rel for rel, _ in sources()
                     if layer(rel) not in {"main", LIB} | FRAME | DOMAINS)
    assert not unknown, f"files outside the known layers (add the folder here): {unknown}"


def test_only_the_frame_and_commands_print_or_exit():
    bad = []
    for rel, text in sources():
        if layer(rel) not in FRAME | {"main"}:
            bad += print_violations(rel, text)
    assert not bad, "modules must not print or exit (fill err and return -1 instead):\n" + \
        "\n".join(bad)


def test_includes_point_down():
    bad = []
    for rel, text in sources():
        bad += include_violations(rel, text)
    assert not bad, "\n".join(bad)


# ---- the checker catches what it claims to ----

SNIPPET = r'''/* printf("in a comment"); fprintf(stderr, "x"); */
// puts("line comment"); write(2, "x", 1);
static const char *m = "printf(stdout) and stderr in a string";
static const char q = '"';
static void f(int fd, char err[64])
{
    snprintf(err, 64, "fine: %s", "stdout");
    nk_printf(err);
    write(fd, err, 1);
    o->printf(err);
    printf("%d\n", 1);
    fprintf(stderr, "x");
    fputs("y", stdout);
    write(2, "z", 1);
    dprintf( 1, "w");
    perror("p");
    int e = STDERR_FILENO;
    puts("s"); putchar('c');
    atexit(f); my_exit(1); c->exit(2);
    exit(1);
}
'''


def test_print_checker_self_test():
    got = [v.split(": ", 1)[1] for v in print_violations("dns/x.c", SNIPPET)]
    lines = [int(v.split(":")[1]) for v in print_violations("dns/x.c", SNIPPET)]
    assert got == ["prints printf", "uses stderr", "uses stdout", "writes to fd write",
                   "writes to fd dprintf", "prints perror", "uses STDERR_FILENO", "prints puts",
                   "prints putchar", "calls exit"], got
    assert lines == [11, 12, 13, 14, 15, 16, 17, 18, 18, 20]


def test_include_checker_self_test():
    text = ('#include <stdio.h>\n#include "lib/loop.h"\n#include "dns/dns.h"\n'
            '#include "cli/out.h"\n/* #include "cmd/x.h" */\n#include "cmd/commands.h"\n'
            '#include "local.h"\n')
    assert include_violations("cmd/cmd_x.c", text) == [
        'cmd/cmd_x.c:7: #include "local.h" names no folder (as "lib/loop.h" does)']
    assert include_violations("echo/x.c", text) == [
        'echo/x.c:4: #include "cli/out.h": echo/ must not include cli/',
        'echo/x.c:6: #include "cmd/commands.h": echo/ must not include cmd/',
        'echo/x.c:7: #include "local.h" names no folder (as "lib/loop.h" does)']
    assert include_violations("lib/x.c", text)[:2] == [
        'lib/x.c:3: #include "dns/dns.h": lib/ must not include a domain',
        'lib/x.c:4: #include "cli/out.h": lib/ must not include cli/']
    assert include_violations("main.c", text) == [
        'main.c:7: #include "local.h" names no folder (as "lib/loop.h" does)']


@pytest.mark.parametrize("rel", ["lib/x.c", "echo/x.h", "ports/scan.c"])
def test_a_module_that_prints_fails(rel):
    assert print_violations(rel, 'void f(void) { fprintf(stderr, "x"); }\n') == [
        f"{rel}:1: uses stderr"]
