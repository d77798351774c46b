# SPDX-License-Identifier: GPL-3.0-or-later
# fish completion for netkit: a thin wrapper over `netkit --complete -- WORDS...`.

function __netkit_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -e tokens[1]
    for c in (netkit --complete -- $tokens "$cur" 2>/dev/null)
        if test "$c" = __files__
            __fish_complete_path "$cur"
        else
            echo $c
        end
    end
end

complete -c netkit -f -a '(__netkit_complete)'
