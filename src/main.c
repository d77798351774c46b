/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - global options, command lookup, batch mode, and the final check that stdout flushed.
 *
 *   netkit [--json] [--color=WHEN] COMMAND [OPTIONS] [ARGS]
 *   netkit help [COMMAND] | --help | --version | --complete -- WORDS...
 *   netkit                    the interactive shell (stdin a terminal)
 *   netkit < FILE             one command per line
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/complete.h"
#include "cli/msg.h"
#include "cli/shell.h"

#ifndef NETKIT_VERSION
#define NETKIT_VERSION "0.0.0"
#endif

void nk_usage_text(FILE *fp)
{
    fprintf(fp, "Usage: netkit [--json] [--color=auto|always|never] COMMAND [OPTIONS] [ARGS]\n"
                "       netkit help [COMMAND]\n"
                "       netkit              the interactive shell (on a terminal)\n"
                "       netkit < FILE       run one command per line\n\n"
                "Network diagnostics: names, addresses, interfaces, ports and the socket echo "
                "pair.\n\nCommands:\n");
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        fprintf(fp, "  %-14s%s\n", (*c)->name, (*c)->summary);
    fprintf(fp, "  %-14s%s\n", "help", "show help for netkit or a command");
    fprintf(fp, "  %-14s%s\n", "shell", "the interactive shell: history, completion, set");
    fprintf(fp, "\nGlobal options:\n"
                "  --json              print JSON\n"
                "  --color=WHEN        auto (on a terminal), always, never; NO_COLOR disables\n"
                "  -h, --help          show this help\n"
                "  -V, --version       show the version\n"
                "\nSee netkit(1) and netkit-COMMAND(1).\n");
}

static void print_candidate(const char *cand, void *arg)
{
    (void)arg;
    puts(cand);
}

int main(int argc, char **argv)
{
    struct nk_ctx ctx = {0};
    ctx.color = nk_color_resolve(0);
    /* Sockets report a vanished peer as EPIPE; stdout's EPIPE is handled in check_stdout. */
    signal(SIGPIPE, SIG_IGN);

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0) {
            ctx.json = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            nk_usage_text(stdout);
            return nk_finish(NULL, NK_OK);
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("netkit %s\n", NETKIT_VERSION);
            return nk_finish(NULL, NK_OK);
        } else if (strcmp(a, "--complete") == 0) {
            /* netkit --complete [--] WORD... : candidates for the last word, one per line. */
            int k = i + 1;
            if (k < argc && strcmp(argv[k], "--") == 0)
                k++;
            char empty[] = "";
            char *none[] = {empty};
            int fs = k < argc ? nk_complete(argc - k, argv + k, print_candidate, NULL)
                              : nk_complete(1, none, print_candidate, NULL);
            if (fs)
                puts("__files__");
            return nk_finish(NULL, NK_OK);
        } else if (strncmp(a, "--color", 7) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (a[7] == '\0' && i + 1 < argc ? argv[++i] : NULL);
            int mode = !v                     ? -1
                       : !strcmp(v, "auto")   ? 0
                       : !strcmp(v, "always") ? 1
                       : !strcmp(v, "never")  ? 2
                                              : -1;
            if (a[7] != '=' && a[7] != '\0')
                return nk_usage(NULL, "%s: unknown option", a);
            if (mode < 0)
                return nk_usage(NULL, "'%s': unknown colour (auto, always, never)", v ? v : "");
            ctx.color_mode = mode;
            ctx.color = nk_color_resolve(mode);
        } else {
            return nk_usage(NULL, "%s: unknown option", a);
        }
    }
    if (i == argc) {
        return nk_finish(NULL, nk_shell(&ctx));
    }
    return nk_finish(argv[i], nk_run(argc - i, argv + i, &ctx));
}
