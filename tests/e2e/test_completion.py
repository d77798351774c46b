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
