/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opt.c - the option layer: one table per command drives getopt_long, --help and checks. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/opt.h"

/* Ids the parser keeps for the common options; command ids must stay below this. */
enum {
    OPT_C_JSON = 10000,
    OPT_C_COLOR,
    OPT_C_HELP
};

static const char *const color_choices[] = {"auto", "always", "never", NULL};

const struct nk_opt nk_common_opts[] = {
    {OPT_C_JSON, 0, "json", NK_ARG_NONE, NULL, 0, 0, NULL, NULL, NK_COMP_NONE,
     "print JSON (field names as in CLI.md)"},
    {OPT_C_COLOR, 0, "color", NK_ARG_ENUM, "WHEN", 0, 0, "colour", color_choices, NK_COMP_CHOICES,
     "colour: auto (on a terminal), always, never"},
    {OPT_C_HELP, 'h', "help", NK_ARG_NONE, NULL, 0, 0, NULL, NULL, NK_COMP_NONE,
     "show this help and exit"},
    {0},
};

bool nk_color_resolve(int mode)
{
    const char *nc = getenv("NO_COLOR");
    if (mode == 2 || (nc && *nc))
        return false;
    return mode == 1 || isatty(STDOUT_FILENO);
}

/* Most options a command may declare (plus the common ones). */
#define MAX_OPTS 48

/* getopt_long returns LONG_BASE + i for the i-th long option, so ids never collide with letters. */
#define LONG_BASE 1000

/* Append the getopt descriptions of one table; ptrs[i] is the entry behind lo[i]. */
static void add_table(const struct nk_opt *tab, struct option *lo, const struct nk_opt **ptrs,
                      int *nlo, char *so, int *nso)
{
    for (const struct nk_opt *o = tab; o && o->id; o++) {
        if (*nlo >= MAX_OPTS)
            break;
        int has = o->arg == NK_ARG_NONE ? no_argument : required_argument;
        ptrs[*nlo] = o;
        lo[*nlo] = (struct option){o->longname, has, NULL, LONG_BASE + *nlo};
        (*nlo)++;
        if (o->shortname) {
            so[(*nso)++] = o->shortname;
            if (has)
                so[(*nso)++] = ':';
        }
    }
}

void nk_opt_init(struct nk_opt_parser *p, const struct nk_command *cmd, struct nk_ctx *ctx,
                 int argc, char **argv)
{
    memset(p, 0, sizeof(*p));
    p->cmd = cmd;
    p->ctx = ctx;
    p->argc = argc;
    p->argv = argv;
}

/* Check and convert the argument of option o into p->num. */
static int take_arg(struct nk_opt_parser *p, const struct nk_opt *o)
{
    char err[NK_ERRLEN];
    if (o->arg == NK_ARG_INT) {
        const char *what = o->what ? o->what : o->longname;
        if (nk_parse_num(p->arg, o->min, o->max, what, &p->num, err) < 0) {
            p->status = nk_usage(p->cmd->name, "%s", err);
            return -1;
        }
    } else if (o->arg == NK_ARG_ENUM) {
        for (int i = 0; o->choices[i]; i++)
            if (strcmp(o->choices[i], p->arg) == 0) {
                p->num = i;
                return 0;
            }
        char list[256] = "";
        for (int i = 0; o->choices[i]; i++) {
            strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
            strncat(list, o->choices[i], sizeof(list) - strlen(list) - 1);
        }
        p->status = nk_usage(p->cmd->name, "'%s': unknown %s (%s)", p->arg,
                             o->what ? o->what : o->longname, list);
        return -1;
    }
    return 0;
}

int nk_opt_next(struct nk_opt_parser *p)
{
    struct option lo[MAX_OPTS + 1];
    const struct nk_opt *ptrs[MAX_OPTS];
    char so[2 * MAX_OPTS + 2];
    int nlo = 0, nso = 0;
    so[nso++] = ':'; /* report a missing argument as ':' */
    add_table(p->cmd->opts, lo, ptrs, &nlo, so, &nso);
    add_table(nk_common_opts, lo, ptrs, &nlo, so, &nso);
    lo[nlo] = (struct option){0};
    so[nso] = '\0';

    if (!p->started) {
        optind = 0; /* glibc: full re-initialisation, so the shell can parse again */
        opterr = 0;
        p->started = true;
    }
    for (;;) {
        int prev = optind ? optind : 1;
        int c = getopt_long(p->argc, p->argv, so, lo, NULL);
        if (c == -1) {
            p->argc -= optind;
            p->argv += optind;
            return 0;
        }
        if (c == '?' || c == ':') {
            const char *word = prev < p->argc ? p->argv[prev] : "";
            /* glibc sets optopt to a long option's val (LONG_BASE + i) when it rejects it: only
             * values below LONG_BASE are short option letters. */
            if (optopt >= LONG_BASE)
                optopt = 0;
            char shortopt[3] = {'-', (char)optopt, 0};
            const char *name = optopt ? shortopt : word;
            if (c == ':' && !optopt) /* a long option missing its argument */
                name = word;
            if (c == ':')
                p->status = nk_usage(p->cmd->name, "%s: missing argument", name);
            else if (!optopt && strchr(word, '='))
                p->status =
                    nk_usage(p->cmd->name, "%s: unknown option or it takes no argument", word);
            else
                p->status = nk_usage(p->cmd->name, "%s: unknown option", name);
            return -1;
        }
        /* Short options come back as their letter: map them to the table id. */
        const struct nk_opt *o = NULL;
        if (c >= LONG_BASE && c < LONG_BASE + nlo)
            o = ptrs[c - LONG_BASE];
        for (int i = 0; i < nlo && !o; i++)
            if (ptrs[i]->shortname == c)
                o = ptrs[i];
        if (!o) {
            p->status = nk_usage(p->cmd->name, "internal: option %d not in table", c);
            return -1;
        }
        p->arg = optarg;
        p->num = 0;
        if (take_arg(p, o) < 0)
            return -1;
        switch (o->id) {
        case OPT_C_JSON: p->ctx->json = true; continue;
        case OPT_C_COLOR:
            p->ctx->color_mode = (int)p->num;
            p->ctx->color = nk_color_resolve(p->ctx->color_mode);
            continue;
        case OPT_C_HELP:
            nk_opt_help(p->cmd);
            p->status = NK_OK;
            return -1;
        default: return o->id;
        }
    }
}

/* "  -t, --type TYPE" into buf. */
static void opt_left(const struct nk_opt *o, char *buf, size_t len)
{
    int n;
    if (o->shortname)
        n = snprintf(buf, len, "  -%c, --%s", o->shortname, o->longname);
    else
        n = snprintf(buf, len, "      --%s", o->longname);
    if (o->arg != NK_ARG_NONE && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " %s", o->metavar ? o->metavar : "ARG");
}

static void help_table(const struct nk_opt *tab)
{
    char left[64];
    for (const struct nk_opt *o = tab; o && o->id; o++) {
        opt_left(o, left, sizeof(left));
        if (strlen(left) > 26)
            printf("%s\n%28s%s", left, "", o->help);
        else
            printf("%-28s%s", left, o->help);
        if (o->arg == NK_ARG_INT && o->min != o->max)
            printf(" (%lld-%lld)", o->min, o->max);
        putchar('\n');
    }
}

void nk_opt_help(const struct nk_command *cmd)
{
    printf("Usage: netkit %s [OPTIONS]%s%s\n", cmd->name, cmd->args && *cmd->args ? " " : "",
           cmd->args ? cmd->args : "");
    printf("%s\n", cmd->summary);
    if (cmd->details)
        printf("\n%s\n", cmd->details);
    printf("\nOptions:\n");
    help_table(cmd->opts);
    help_table(nk_common_opts);
    printf("\nExit status: 0 success, 1 the work failed, 2 bad usage or input.\n"
           "See netkit-%s(1).\n",
           cmd->name);
}
