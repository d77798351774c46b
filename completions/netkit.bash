# bash completion for netkit -*- shell-script -*-
# SPDX-License-Identifier: GPL-3.0-or-later
# A thin wrapper: `netkit --complete -- WORDS...` knows every command, option, option value,
# interface and service name from the binary's own tables.

_netkit()
{
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    # Split on blanks only, so --opt=value and [v6]:port stay one word for netkit.
    read -r -a words <<<"$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    ((${#words[@]} == 0)) && words=("")
    local cur=${words[${#words[@]} - 1]}
    local IFS=$'\n'
    local -a cands
    cands=($("${words[0]}" --complete -- "${words[@]:1}" 2>/dev/null))
    COMPREPLY=()
    local c
    for c in "${cands[@]}"; do
        if [[ $c == __files__ ]]; then
            COMPREPLY+=($(compgen -f -- "$cur"))
        else
            COMPREPLY+=("$c")
        fi
    done
    # Readline replaces only what follows the last word-break character ('=', ':' ...) of the
    # word: drop what comes before it (and the break itself) from each candidate.
    local k strip=
    for ((k = ${#cur} - 1; k >= 0; k--)); do
        if [[ $COMP_WORDBREAKS == *"${cur:k:1}"* && ${cur:k:1} != [\"\'] ]]; then
            strip=${cur:0:k+1}
            break
        fi
    done
    if [[ -n $strip ]]; then
        COMPREPLY=("${COMPREPLY[@]#"$strip"}")
    fi
}
complete -F _netkit netkit
