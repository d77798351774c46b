/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - global options, dispatch through the command table, and the final check that stdout
 * flushed.
 *
 *   netkit [--json] [--color=WHEN] [--dns ADDR[:PORT][,...]] COMMAND [OPTIONS] [ARGS]
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
#include "cli/settings.h"
#include "cli/suggest.h"

#ifndef NETKIT_VERSION
#define NETKIT_VERSION "0.0.0"
#endif

static void print_candidate(const char *cand, void *arg)
{
    (void)arg;
    puts(cand);
}

/* "--jsno: unknown option; did you mean '--json'?" */
static int unknown_global(const char *a)
{
    static const char *const names[] = {"json", "color", "dns", "help", "version"};
    char typed[64], more[128] = "";
    if (a[1] == '-') {
        snprintf(typed, sizeof(typed), "%.*s", (int)strcspn(a + 2, "="), a + 2);
        nk_suggest_text(more, sizeof(more), typed, "--", names, sizeof(names) / sizeof(*names));
    }
    return nk_usage(NULL, "%s: unknown option%s", a, more);
}

int main(int argc, char **argv)
{
    struct nk_ctx ctx = {0};
    ctx.color = nk_color_resolve(NK_COLOR_AUTO);
    /* Sockets report a vanished peer as EPIPE; stdout's EPIPE is handled in nk_finish. */
    signal(SIGPIPE, SIG_IGN);

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { /* the end of the global options, as git has it */
            i++;
            break;
        }
        if (strcmp(a, "--json") == 0 || strcmp(a, "-j") == 0) {
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
        } else if (strcmp(a, "--dns") == 0 || strncmp(a, "--dns=", 6) == 0) {
            /* --dns ADDR[:PORT][,...]: the DNS servers of every command (cli/settings.h) */
            char err[NK_ERRLEN];
            const char *v = a[5] == '=' ? a + 6 : i + 1 < argc ? argv[++i] : NULL;
            if (!v)
                return nk_usage(NULL, "--dns: missing argument");
            if (nk_dns_check(v, err) < 0)
                return nk_usage(NULL, "--dns: %s", err);
            ctx.server = v;
        } else if (strncmp(a, "--color", 7) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (a[7] == '\0' && i + 1 < argc ? argv[++i] : NULL);
            int mode = nk_color_parse(v);
            if (a[7] != '=' && a[7] != '\0')
                return nk_usage(NULL, "%s: unknown option", a);
            if (mode < 0)
                return nk_usage(NULL, "'%s': unknown colour (auto, always, never)", v ? v : "");
            ctx.color_mode = mode;
            ctx.color = nk_color_resolve(mode);
        } else {
            return unknown_global(a);
        }
    }
    if (i == argc) { /* no command: the shell (batch mode when stdin is not a terminal) */
        char shell[] = "shell";
        char *words[] = {shell, NULL};
        return nk_finish(NULL, nk_run(1, words, &ctx));
    }
    return nk_finish(argv[i], nk_run(argc - i, argv + i, &ctx));
}
