/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands.h - the one table of commands (git.c commands[] style). Each command file defines its
 * struct nk_command; commands.c lists them, with `help` and `shell` as rows like the others, so
 * `netkit help`, completion and the usage text all come from the table. Exact names only, no
 * prefix matching. */
#ifndef NK_COMMANDS_H
#define NK_COMMANDS_H

#include <stdio.h>

#include "cli/opt.h"

struct nk_command {
    const char *name;                                      /* "ifaces" */
    int (*run)(int argc, char **argv, struct nk_ctx *ctx); /* argv[0] is the command name */
    const struct nk_opt *opts;                             /* its option table, or NULL */
    const char *args;                                      /* positional synopsis "[IFNAME...]" */
    enum nk_comp args_comp;                                /* how to complete positionals */
    enum nk_comp args_comp2; /* the second and later ones, when not as the first (NONE: same) */
    const char *const *args_then; /* NULL, or words also offered after a first positional
                                     (resolve's type words: `resolve example.org MX`) */
    const char *summary;          /* one line, for `netkit help` */
    const char *details;          /* paragraph after the usage, or NULL */
    const char *page; /* its man page if not netkit-NAME ("netkit" for help and shell) */
    const struct nk_habit *habits; /* spellings from other tools (ss, ip, nmap), or NULL */
};

/* NULL-terminated list of every registered command, in the order `netkit help` shows them. */
extern const struct nk_command *const nk_commands[];

/* The command named exactly `name`, or NULL. */
const struct nk_command *nk_command_find(const char *name);

/* Run one command line: argv[0] is a command name (`help` and `shell` included). Returns its
 * exit status. Used by main, batch mode and the interactive shell. */
int nk_run(int argc, char **argv, struct nk_ctx *ctx);

/* "'WORD': unknown command; did you mean 'resolve'?" as a usage error of cmd (NULL: netkit
 * itself); returns NK_USAGE. */
int nk_unknown_command(const char *cmd, const char *word);

/* The top-level usage text (`netkit --help`, `netkit help`): the commands from the table. */
void nk_usage_text(FILE *fp);

#endif
