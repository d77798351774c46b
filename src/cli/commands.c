/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands.c - the one table of commands. Each command adds its line under its own marker; the
 * blank lines keep parallel additions from touching the same lines. */
#include <string.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/shell.h"

/* resolve */
extern const struct nk_command nk_cmd_resolve;

/* ifaces */
extern const struct nk_command nk_cmd_ifaces;

/* ports */
extern const struct nk_command nk_cmd_ports;

/* echo-serve */
extern const struct nk_command nk_cmd_echo_serve;

/* echo-connect */
extern const struct nk_command nk_cmd_echo_connect;

const struct nk_command *const nk_commands[] = {
    /* resolve */
    &nk_cmd_resolve,

    /* ifaces */
    &nk_cmd_ifaces,

    /* ports */
    &nk_cmd_ports,

    /* echo-serve */
    &nk_cmd_echo_serve,

    /* echo-connect */
    &nk_cmd_echo_connect,

    NULL,
};

const struct nk_command *nk_command_find(const char *name)
{
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

int nk_run(int argc, char **argv, struct nk_ctx *ctx)
{
    const char *name = argv[0];
    if (strcmp(name, "help") == 0) {
        if (argc < 2) {
            nk_usage_text(stdout);
            return NK_OK;
        }
        const struct nk_command *cmd = nk_command_find(argv[1]);
        if (!cmd)
            return nk_usage(NULL, "'%s': unknown command", argv[1]);
        nk_opt_help(cmd);
        return NK_OK;
    }
    if (strcmp(name, "shell") == 0) {
        if (argc > 1)
            return nk_usage(NULL, "shell: '%s': takes no arguments", argv[1]);
        return nk_shell(ctx);
    }
    const struct nk_command *cmd = nk_command_find(name);
    if (!cmd)
        return nk_usage(NULL, "'%s': unknown command", name);
    return cmd->run(argc, argv, ctx);
}
