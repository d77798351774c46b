/* SPDX-License-Identifier: GPL-3.0-or-later */
/* commands.c - the one table of commands, the usage text made from it, and `help`. Each command
 * adds its line under its own marker; the blank lines keep parallel additions from touching the
 * same lines. */
#include <string.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/suggest.h"

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

/* trace */
extern const struct nk_command nk_cmd_trace;

/* help (below) */
static const struct nk_command nk_cmd_help;

/* shell (cli/shell.c) */
extern const struct nk_command nk_cmd_shell;

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

    /* trace */
    &nk_cmd_trace,

    /* help */
    &nk_cmd_help,

    /* shell */
    &nk_cmd_shell,

    NULL,
};

const struct nk_command *nk_command_find(const char *name)
{
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

void nk_usage_text(FILE *fp)
{
    fprintf(fp, "Usage: netkit [--json] [--color=auto|always|never] [--dns ADDR[:PORT][,...]]\n"
                "              COMMAND [OPTIONS] [ARGS]\n"
                "       netkit help [COMMAND]\n"
                "       netkit              the interactive shell (on a terminal)\n"
                "       netkit < FILE       run one command per line\n\n"
                "Network diagnostics: names, addresses, interfaces, ports and the socket echo "
                "pair.\n\nCommands:\n");
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        fprintf(fp, "  %-14s%s\n", (*c)->name, (*c)->summary);
    fprintf(fp, "\nGlobal options:\n"
                "  -j, --json          print JSON\n"
                "  --color=WHEN        auto (on a terminal), always, never; NO_COLOR disables\n"
                "  --dns ADDR[:PORT][,...]\n"
                "                      the DNS servers every command asks (resolve -s wins)\n"
                "  -h, --help          show this help\n"
                "  -V, --version       show the version\n"
                "  --                  end of the global options: the command comes next\n"
                "\nSee netkit(1) and netkit-COMMAND(1).\n");
}

int nk_unknown_command(const char *cmd, const char *word)
{
    const char *names[32];
    size_t n = 0;
    char more[128];
    for (const struct nk_command *const *c = nk_commands; *c && n < 32; c++)
        names[n++] = (*c)->name;
    return nk_usage(cmd, "'%s': unknown command%s", word,
                    nk_suggest_text(more, sizeof(more), word, NULL, names, n));
}

int nk_run(int argc, char **argv, struct nk_ctx *ctx)
{
    const struct nk_command *cmd = nk_command_find(argv[0]);
    if (!cmd)
        return nk_unknown_command(NULL, argv[0]);
    return cmd->run(argc, argv, ctx);
}

/* `help [COMMAND]`: the usage text, or the command's --help. */
static int run_help(int argc, char **argv, struct nk_ctx *ctx)
{
    struct nk_opt_parser p;
    int id;
    nk_opt_init(&p, &nk_cmd_help, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0)
        ; /* only the common options */
    if (id < 0)
        return p.status;
    if (p.argc == 0) {
        nk_usage_text(stdout);
        return NK_OK;
    }
    if (p.argc > 1) /* as git: `help ports extra` is a mistake, not the help of ports */
        return nk_usage("help", "'%s': one COMMAND at most", p.argv[1]);
    const struct nk_command *cmd = nk_command_find(p.argv[0]);
    if (!cmd)
        return nk_unknown_command(NULL, p.argv[0]);
    nk_opt_help(cmd);
    return NK_OK;
}

static const struct nk_command nk_cmd_help = {
    .name = "help",
    .run = run_help,
    .args = "[COMMAND]",
    .args_comp = NK_COMP_COMMAND,
    .summary = "show help for netkit or a command",
    .details = "Without COMMAND: the commands and global options. With one: the same text as\n"
               "netkit COMMAND --help.",
    .page = "netkit",
};
