/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands.h - the one table of commands (git.c commands[] style). Each cmd_<name>.c defines its
 * struct nk_command; commands.c lists them. Exact names only, no prefix matching. */
#ifndef NK_COMMANDS_H
#define NK_COMMANDS_H

#include <stdio.h>

#include "cli/opt.h"

struct nk_command {
    const char *name;                                      /* "ifaces" */
    int (*run)(int argc, char **argv, struct nk_ctx *ctx); /* argv[0] is the command name */
    const struct nk_opt *opts;                             /* its option table */
    const char *args;                                      /* positional synopsis "[IFNAME...]" */
    enum nk_comp args_comp;                                /* how to complete positionals */
    const char *summary;                                   /* one line, for `netkit help` */
    const char *details;                                   /* paragraph after the usage, or NULL */
};

/* NULL-terminated list of every registered command, in the order `netkit help` shows them. */
extern const struct nk_command *const nk_commands[];

/* The command named exactly `name`, or NULL. */
const struct nk_command *nk_command_find(const char *name);

/* Run one command line: argv[0] is a command name, `help` or `shell`. Returns its exit status.
 * Used by main, batch mode and the interactive shell. */
int nk_run(int argc, char **argv, struct nk_ctx *ctx);

/* The top-level usage text (`netkit --help`), defined in main.c. */
void nk_usage_text(FILE *fp);

#endif
