/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands.c - the one table of commands. Each command adds its line under its own marker; the
 * blank lines keep parallel additions from touching the same lines. */
#include <string.h>

#include "commands.h"

/* resolve */
extern const struct nk_command nk_cmd_resolve;

/* ifaces */

/* ports */

/* echo-serve */

/* echo-connect */

const struct nk_command *const nk_commands[] = {
    /* resolve */
    &nk_cmd_resolve,

    /* ifaces */

    /* ports */

    /* echo-serve */

    /* echo-connect */

    NULL,
};

const struct nk_command *nk_command_find(const char *name)
{
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}
