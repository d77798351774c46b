/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opt.c - the option layer: one table per command drives getopt_long, --help and the checks
 * between options. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/opt.h"
#include "cli/suggest.h"

/* Ids the parser keeps for the common options; command ids must stay below this. */
enum {
    OPT_C_JSON = 10000,
    OPT_C_COLOR,
    OPT_C_HELP
};

const char *const nk_color_names[] = {"auto", "always", "never", NULL};

const struct nk_opt nk_common_opts[] = {
    /* -j only where the command gives the letter no meaning of its own (short_of). */
    NK_OPT_FLAG(OPT_C_JSON, 'j', "json", "print JSON (fields as in the command's man page)"),
    NK_OPT_ENUM(OPT_C_COLOR, 0, "color", "WHEN", nk_color_names,
                "colour: auto (on a terminal), always, never", .what = "colour"),
    NK_OPT_FLAG(OPT_C_HELP, 'h', "help", "show this help and exit"),
    NK_OPT_END,
};

int nk_opt_choice(const char *const *choices, const char *word)
{
    for (int i = 0; choices && word && choices[i]; i++)
        if (strcmp(choices[i], word) == 0)
            return i;
    return -1;
}

int nk_color_parse(const char *word)
{
    return nk_opt_choice(nk_color_names, word);
}

bool nk_color_resolve(int mode)
{
    const char *nc = getenv("NO_COLOR");
    if (mode == NK_COLOR_NEVER || (nc && *nc))
        return false;
    return mode == NK_COLOR_ALWAYS || isatty(STDOUT_FILENO);
}

/* getopt_long returns LONG_BASE + i for the i-th long option, so ids never collide with letters. */
#define LONG_BASE 1000

/* The command's table, then the common one: entry i of the parser's view. */
struct view {
    const struct nk_opt *o[NK_OPT_MAX]; /* the entries */
    int n;                              /* how many */
};

static void view_of(const struct nk_command *cmd, struct view *v)
{
    const struct nk_opt *tabs[2] = {cmd->opts, nk_common_opts};
    v->n = 0;
    for (int t = 0; t < 2; t++)
        for (const struct nk_opt *o = tabs[t]; o && o->id && v->n < NK_OPT_MAX; o++)
            v->o[v->n++] = o;
}

/* The letter of entry o in view v: 0 when an entry before it (the command's own table) has
 * it, so `-j` is --json only where the command leaves it free. */
static char short_of(const struct view *v, const struct nk_opt *o)
{
    for (int i = 0; i < v->n && v->o[i] != o; i++)
        if (o->shortname && v->o[i]->shortname == o->shortname)
            return 0;
    return o->shortname;
}

static int view_find(const struct view *v, int id)
{
    for (int i = 0; i < v->n; i++)
        if (v->o[i]->id == id)
            return i;
    return -1;
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

bool nk_opt_seen(const struct nk_opt_parser *p, int id)
{
    struct view v;
    view_of(p->cmd, &v);
    int i = view_find(&v, id);
    return i >= 0 && (p->seen >> i & 1);
}

int nk_opt_family(const struct nk_opt_parser *p, int id4, int id6)
{
    bool v4 = nk_opt_seen(p, id4), v6 = nk_opt_seen(p, id6);
    return v4 == v6 ? AF_UNSPEC : v4 ? AF_INET : AF_INET6;
}

/* Check and convert the argument of option o into p->num. */
static int take_arg(struct nk_opt_parser *p, const struct nk_opt *o)
{
    char err[NK_ERRLEN];
    const char *what = o->what ? o->what : o->longname;
    if (o->optional && !p->arg)
        return 0;
    if (o->arg == NK_ARG_INT) {
        if (nk_parse_num(p->arg, o->min, o->max, what, &p->num, err) < 0) {
            p->status = nk_usage(p->cmd->name, "%s", err);
            return -1;
        }
    } else if (o->arg == NK_ARG_ENUM) {
        int i = nk_opt_choice(o->choices, p->arg);
        if (i >= 0) {
            p->num = i;
            return 0;
        }
        char list[256] = "";
        for (i = 0; o->choices[i]; i++) {
            strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
            strncat(list, o->choices[i], sizeof(list) - strlen(list) - 1);
        }
        p->status = nk_usage(p->cmd->name, "'%s': unknown %s (%s)", p->arg, what, list);
        return -1;
    }
    return 0;
}

/* "-u" or "--udp": how entry i was written on the command line (or, if not given, its long
 * form). */
static const char *spelled(const struct nk_opt_parser *p, const struct view *v, int i, char *buf,
                           size_t len)
{
    if ((p->by_short >> i & 1) && v->o[i]->shortname)
        snprintf(buf, len, "-%c", v->o[i]->shortname);
    else
        snprintf(buf, len, "--%s", v->o[i]->longname);
    return buf;
}

static bool excludes(const struct nk_opt *a, int id)
{
    for (int k = 0; k < NK_OPT_MAX_EXCLUDES && a->excludes[k]; k++)
        if (a->excludes[k] == id)
            return true;
    return false;
}

/* The hint of the command's habit for word ("-p"), as "; HINT" into buf; else dflt. */
static const char *with_hint(const struct nk_command *cmd, const char *word, const char *dflt,
                             char *buf, size_t len)
{
    for (const struct nk_habit *h = cmd->habits; h && h->word; h++)
        if (h->hint && strcmp(h->word, word) == 0) {
            snprintf(buf, len, "; %s", h->hint);
            return buf;
        }
    return dflt;
}

/* What follows "WORD: unknown option": a habit's hint, or the options the word resembles
 * ("--breif": did you mean '--brief'?; "-scan": '--scan'). */
static const char *unknown_more(struct nk_opt_parser *p, const struct view *v, const char *word,
                                const char *name, char *buf, size_t len)
{
    /* One dash and a whole option name (`-scan`): the long option, as ip and find spell it. */
    for (int i = 0; word[0] == '-' && word[1] != '-' && word[1] && word[2] && i < v->n; i++)
        if (strcmp(word + 1, v->o[i]->longname) == 0) {
            snprintf(buf, len, "; did you mean '--%s'?", v->o[i]->longname);
            return buf;
        }
    const char *h = with_hint(p->cmd, name, NULL, buf, len);
    if (h)
        return h;
    const char *names[NK_OPT_MAX];
    char typed[64];
    for (int i = 0; i < v->n; i++)
        names[i] = v->o[i]->longname;
    if (word[0] == '-' && word[1] == '-') {
        snprintf(typed, sizeof(typed), "%.*s", (int)strcspn(word + 2, "="), word + 2);
        return nk_suggest_text(buf, len, typed, "--", names, (size_t)v->n);
    }
    return "";
}

/* Words of the command line that are habits with a meaning here (`-br`) become the option
 * they mean, before getopt sees them (up to a `--`; a word after an option that takes a value
 * is that value). */
static bool takes_value(const struct view *v, const char *w)
{
    for (int i = 0; w[0] == '-' && i < v->n; i++) {
        const struct nk_opt *o = v->o[i];
        if (o->arg == NK_ARG_NONE || o->optional)
            continue;
        if ((w[1] == '-' && strcmp(w + 2, o->longname) == 0) ||
            (o->shortname && w[1] == o->shortname && w[2] == '\0'))
            return true;
    }
    return false;
}

static void take_habits(struct nk_opt_parser *p, const struct view *v)
{
    const struct nk_command *cmd = p->cmd;
    for (int k = 1; cmd->habits && k < p->argc; k++) {
        const char *w = p->argv[k];
        if (strcmp(w, "--") == 0)
            return;
        if (k > 1 && takes_value(v, p->argv[k - 1]))
            continue;
        for (const struct nk_habit *h = cmd->habits; h->word; h++)
            if (h->as && strcmp(w, h->word) == 0)
                p->argv[k] = (char *)h->as; /* getopt only reads the words */
    }
}

/* Entry i was just given: an error if an option given before it excludes it, or it them. */
static int check_excludes(struct nk_opt_parser *p, const struct view *v, int i)
{
    for (int k = 0; k < v->n; k++) {
        if (!(p->seen >> k & 1) || k == i)
            continue;
        const struct nk_opt *by = excludes(v->o[i], v->o[k]->id)   ? v->o[i]
                                  : excludes(v->o[k], v->o[i]->id) ? v->o[k]
                                                                   : NULL;
        if (!by)
            continue;
        char a[64], b[64];
        char more[256];
        spelled(p, v, k, a, sizeof(a));
        spelled(p, v, i, b, sizeof(b));
        const char *h = with_hint(p->cmd, b, "", more, sizeof(more));
        p->status = nk_usage(p->cmd->name, "'%s' and '%s' cannot be combined: %s%s", a, b,
                             by->why ? by->why : "choose one",
                             *h ? h : with_hint(p->cmd, a, "", more, sizeof(more)));
        return -1;
    }
    return 0;
}

/* The options are done: an error if one was given without the option it requires. The message
 * names every option that needs the same one, so one mistake shows the whole rule. */
static int check_requires(struct nk_opt_parser *p, const struct view *v)
{
    for (int i = 0; i < v->n; i++) {
        const struct nk_opt *o = v->o[i];
        int r = o->requires ? view_find(v, o->requires) : -1;
        if (!(p->seen >> i & 1) || r < 0 || (p->seen >> r & 1))
            continue;
        char a[64], b[64], list[512] = "";
        const char *names[NK_OPT_MAX];
        int total = 0;
        for (int k = 0; k < v->n; k++)
            if (v->o[k]->requires == o->requires)
                names[total++] = v->o[k]->longname;
        for (int k = 0; k < total && total > 1; k++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof(list) - l, "%s--%s",
                     k == 0           ? ": "
                     : k == total - 1 ? " and "
                                      : ", ",
                     names[k]);
        }
        if (total > 1) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof(list) - l, " need --%s", v->o[r]->longname);
        }
        char more[256];
        spelled(p, v, i, a, sizeof(a));
        p->status =
            nk_usage(p->cmd->name, "'%s' requires '%s'%s%s", a, spelled(p, v, r, b, sizeof(b)),
                     list, with_hint(p->cmd, a, "", more, sizeof(more)));
        return -1;
    }
    return 0;
}

int nk_opt_next(struct nk_opt_parser *p)
{
    struct view v;
    struct option lo[NK_OPT_MAX + 1];
    char so[2 * NK_OPT_MAX + 2];
    int nso = 0;
    view_of(p->cmd, &v);
    so[nso++] = ':'; /* report a missing argument as ':' */
    for (int i = 0; i < v.n; i++) {
        int has = v.o[i]->arg == NK_ARG_NONE ? no_argument
                  : v.o[i]->optional         ? optional_argument
                                             : required_argument;
        lo[i] = (struct option){v.o[i]->longname, has, NULL, LONG_BASE + i};
        if (short_of(&v, v.o[i])) {
            so[nso++] = v.o[i]->shortname;
            if (has)
                so[nso++] = ':';
            if (has == optional_argument)
                so[nso++] = ':';
        }
    }
    lo[v.n] = (struct option){0};
    so[nso] = '\0';

    if (!p->started) {
        optind = 0; /* glibc: full re-initialisation, so the shell can parse again */
        opterr = 0;
        p->started = true;
        take_habits(p, &v);
    }
    for (;;) {
        int prev = optind ? optind : 1;
        int c = getopt_long(p->argc, p->argv, so, lo, NULL);
        if (c == -1) {
            p->argc -= optind;
            p->argv += optind;
            return check_requires(p, &v);
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
            char more[256];
            if (c == ':')
                p->status = nk_usage(p->cmd->name, "%s: missing argument%s", name,
                                     with_hint(p->cmd, name, "", more, sizeof(more)));
            else if (!optopt && strchr(word, '='))
                p->status =
                    nk_usage(p->cmd->name, "%s: unknown option or it takes no argument", word);
            else
                p->status = nk_usage(p->cmd->name, "%s: unknown option%s", name,
                                     unknown_more(p, &v, word, name, more, sizeof(more)));
            return -1;
        }
        /* Short options come back as their letter: map them to the table entry. */
        int i = c >= LONG_BASE && c < LONG_BASE + v.n ? c - LONG_BASE : -1;
        bool by_short = i < 0;
        for (int k = 0; k < v.n && i < 0; k++)
            if (v.o[k]->shortname == c)
                i = k;
        if (i < 0) {
            p->status = nk_usage(p->cmd->name, "internal: option %d not in table", c);
            return -1;
        }
        const struct nk_opt *o = v.o[i];
        p->arg = optarg;
        p->num = 0;
        if (by_short) /* the last spelling used, for messages */
            p->by_short |= 1ull << i;
        else
            p->by_short &= ~(1ull << i);
        if (take_arg(p, o) < 0 || check_excludes(p, &v, i) < 0)
            return -1;
        p->seen |= 1ull << i;
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

/* "  -t, --type TYPE" into buf (letter: the option's, or 0 when another has it). */
static void opt_left(const struct nk_opt *o, char letter, char *buf, size_t len)
{
    int n;
    if (letter)
        n = snprintf(buf, len, "  -%c, --%s", letter, o->longname);
    else
        n = snprintf(buf, len, "      --%s", o->longname);
    if (o->arg != NK_ARG_NONE && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, o->optional ? "[=%s]" : " %s",
                 o->metavar ? o->metavar : "ARG");
}

/* The rules of entry o in view v, under its help line: "requires --scan", "not with --udp".
 * Exclusion is mutual, so it shows on both sides. */
static void help_rules(const struct view *v, const struct nk_opt *o)
{
    if (o->requires) {
        int r = view_find(v, o->requires);
        if (r >= 0)
            printf("%28srequires --%s\n", "", v->o[r]->longname);
    }
    int n = 0;
    for (int k = 0; k < v->n; k++)
        if (v->o[k] != o && (excludes(o, v->o[k]->id) || excludes(v->o[k], o->id)))
            printf("%s--%s", n++ ? ", " : "                            not with ",
                   v->o[k]->longname);
    if (n)
        putchar('\n');
}

static void help_table(const struct view *v, const struct nk_opt *tab)
{
    char left[64];
    for (const struct nk_opt *o = tab; o && o->id; o++) {
        opt_left(o, short_of(v, o), left, sizeof(left));
        if (strlen(left) > 26)
            printf("%s\n%28s%s", left, "", o->help);
        else
            printf("%-28s%s", left, o->help);
        if (o->arg == NK_ARG_INT && o->min != o->max)
            printf(" (%lld-%lld)", o->min, o->max);
        putchar('\n');
        help_rules(v, o);
    }
}

void nk_opt_help(const struct nk_command *cmd)
{
    struct view v;
    view_of(cmd, &v);
    printf("Usage: netkit %s [OPTIONS]%s%s\n", cmd->name, cmd->args && *cmd->args ? " " : "",
           cmd->args ? cmd->args : "");
    printf("%s\n", cmd->summary);
    if (cmd->details)
        printf("\n%s\n", cmd->details);
    printf("\nOptions:\n");
    help_table(&v, cmd->opts);
    help_table(&v, nk_common_opts);
    printf("\nExit status: 0 success, 1 the work failed, 2 bad usage or input.\n");
    if (cmd->page)
        printf("See %s(1).\n", cmd->page);
    else
        printf("See netkit-%s(1).\n", cmd->name);
}
