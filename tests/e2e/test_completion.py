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
