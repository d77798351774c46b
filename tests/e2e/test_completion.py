# SPDX-License-Identifier: GPL-3.0-or-later
"""The bash completion script, run for real: COMP_WORDS/COMP_CWORD/COMP_LINE set as bash sets
them, the real _netkit function, COMPREPLY read back."""
import os
import subprocess

from conftest import NETKIT, SOURCE

SCRIPT = os.path.join(SOURCE, "completions", "netkit.bash")


def bash_complete(line):
    """COMPREPLY for the command line `line` (cursor at its end), split as bash would."""
    prog = f"""
source {SCRIPT}
COMP_LINE={line!r}
COMP_POINT=${{#COMP_LINE}}
COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'
read -r -a COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
# bash splits words at '=' too: emulate for the current word.
last=${{COMP_WORDS[-1]}}
if [[ $last == *=* ]]; then unset 'COMP_WORDS[-1]'; COMP_WORDS+=("${{last%%=*}}" "=" "${{last#*=}}"); fi
COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
_netkit
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = dict(os.environ, PATH=os.path.dirname(NETKIT) + ":" + os.environ["PATH"])
    r = subprocess.run(["bash", "--norc", "-c", prog], capture_output=True, text=True, env=env,
                       timeout=30)
    assert r.returncode == 0, r.stderr
    return [l for l in r.stdout.splitlines() if l]


def test_commands():
    assert "help" in bash_complete("netkit he")


def test_global_option():
    assert bash_complete("netkit --js") == ["--json"]


def commands():
    out = subprocess.run([NETKIT, "--complete", "--", ""], capture_output=True, text=True).stdout
    return [c for c in out.split() if c not in ("help", "shell")]


def test_help_completes_commands():
    assert set(commands()) <= set(bash_complete("netkit help "))


def test_option_value_after_equals():
    """bash splits --color=al at '='; the reply must be what follows the '='."""
    for c in commands():
        assert bash_complete(f"netkit {c} --color=al") == ["always"], c
        assert "--json" in bash_complete(f"netkit {c} --")


def env_with_netkit():
    return dict(os.environ, PATH=os.path.dirname(NETKIT) + ":" + os.environ["PATH"])


def zsh_complete(line):
    """Run completions/_netkit in zsh (compinit loaded) for `line`; compadd and _files record
    what they are given instead of drawing a menu (they only work inside a live widget)."""
    prog = f"""
autoload -U compinit && compinit -u -D
source {os.path.join(SOURCE, "completions", "_netkit")!s} 2>/dev/null || true
compadd() {{ while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; print -rl -- "$@" }}
_files() {{ print -r -- __FILES__ }}
words=(${{(z)${{:-{line}}}}})
[[ {line!r} == *' ' ]] && words+=('')
CURRENT=${{#words}}
_netkit
"""
    r = subprocess.run(["zsh", "-f", "-c", prog], capture_output=True, text=True,
                       env=env_with_netkit(), timeout=30)
    assert r.returncode == 0, r.stderr
    return [l for l in r.stdout.splitlines() if l]


def fish_complete(line):
    script = os.path.join(SOURCE, "completions", "netkit.fish")
    r = subprocess.run(["fish", "--no-config", "-c", f"source {script}; complete -C {line!r}"],
                       capture_output=True, text=True, env=env_with_netkit(), timeout=30)
    assert r.returncode == 0, r.stderr
    return [l.split("\t")[0] for l in r.stdout.splitlines() if l]


def test_zsh_commands_and_options():
    assert "help" in zsh_complete("netkit he")
    assert zsh_complete("netkit --js") == ["--json"]
    for c in commands():
        assert "--json" in zsh_complete(f"netkit {c} --")
        assert zsh_complete(f"netkit {c} --color=al") == ["--color=always"]


def test_fish_commands_and_options():
    assert "help" in fish_complete("netkit he")
    assert fish_complete("netkit --js") == ["--json"]
    for c in commands():
        assert "--json" in fish_complete(f"netkit {c} --")


def bash_tab(line):
    """The command line after typing `line` and Tab in a real interactive bash (readline and
    all) with completions/netkit.bash loaded; a key bound with `bind -x` prints the line."""
    import pexpect
    env = dict(env_with_netkit(), PS1="$ ", TERM="dumb", INPUTRC="/dev/null")
    child = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], env=env, encoding="utf-8",
                          timeout=15)
    try:
        child.expect_exact("$ ")
        child.sendline(f"source {SCRIPT}; "
                       "bind -x '\"\\C-t\": printf \"<<%s>>\\n\" \"$READLINE_LINE\"'")
        child.expect_exact("$ ")
        child.send(line + "\t\x14")  # Tab, then Ctrl-T prints the line
        child.expect(r"<<(.*)>>")
        return child.match.group(1)
    finally:
        child.terminate(force=True)


def test_real_bash_values_after_equals():
    """bash hands the '=' to readline as a word break: the reply must not repeat it
    (`--color=<Tab>` became `--color==`)."""
    assert bash_tab("netkit --color=") == "netkit --color="
    assert bash_tab("netkit --color=n") == "netkit --color=never "
    assert bash_tab("netkit ports --color=") == "netkit ports --color="
    assert bash_tab("netkit ports --color=al") == "netkit ports --color=always "
    assert bash_tab("netkit --dn") == "netkit --dns "


def test_real_bash_ports_and_services():
    """A port after the host, service names in a --ports list (the items before kept)."""
    assert bash_tab("netkit echo-connect localhost ech") == "netkit echo-connect localhost echo "
    assert bash_tab("netkit trace localhost domai").startswith("netkit trace localhost domain")
    assert bash_tab("netkit ports --scan h --ports 22,domai").startswith(
        "netkit ports --scan h --ports 22,domain")


def test_local_addresses_for_bind():
    out = subprocess.run([NETKIT, "--complete", "--", "echo-serve", "-b", ""],
                         capture_output=True, text=True).stdout.split()
    assert {"127.0.0.1", "::1", "0.0.0.0", "::"} <= set(out)
    assert "localhost" not in out


def test_zsh_fish_global_values():
    assert zsh_complete("netkit --color=n") == ["--color=never"]
    assert fish_complete("netkit --color=n") == ["--color=never"]
    assert zsh_complete("netkit --dn") == ["--dns"]
    assert fish_complete("netkit --dn") == ["--dns"]
    assert "echo" in fish_complete("netkit echo-connect localhost ech")
