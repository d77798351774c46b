/* SPDX-License-Identifier: GPL-3.0-or-later */
/* complete.c - candidates for a partial command line, from the command table (help and shell
 * included) and each command's option table. */
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/complete.h"

/* Words offered before any command. */
static const char *const global_words[] = {"--json", "--color=", "--help", "--version", NULL};

struct sink {
    const char *prefix; /* the word being completed */
    size_t plen;        /* its length */
    nk_emit_fn emit;    /* where candidates go */
    void *arg;          /* emit's argument */
};

static void offer(struct sink *s, const char *cand)
{
    if (strncmp(cand, s->prefix, s->plen) == 0)
        s->emit(cand, s->arg);
}

static void offer_commands(struct sink *s)
{
    for (const struct nk_command *const *c = nk_commands; *c; c++)
        offer(s, (*c)->name);
}

static void offer_ifaces(struct sink *s)
{
    struct if_nameindex *ni = if_nameindex();
    for (struct if_nameindex *p = ni; p && p->if_index; p++)
        offer(s, p->if_name);
    if (ni)
        if_freenameindex(ni);
}

static void offer_services(struct sink *s)
{
    /* /etc/services lists most names twice (tcp and udp): offer each once. */
    char last[64] = "";
    setservent(0);
    for (struct servent *se; (se = getservent());) {
        if (strcmp(se->s_name, last) != 0)
            offer(s, se->s_name);
        snprintf(last, sizeof(last), "%s", se->s_name);
    }
    endservent();
}

static void offer_hosts(struct sink *s)
{
    FILE *f = fopen("/etc/hosts", "re");
    char line[512];
    if (!f)
        return;
    while (fgets(line, sizeof(line), f)) {
        char *save, *tok = strtok_r(line, " \t\r\n", &save);
        if (!tok || *tok == '#')
            continue;
        while ((tok = strtok_r(NULL, " \t\r\n", &save)) && *tok != '#')
            offer(s, tok);
    }
    fclose(f);
}

static int offer_kind(struct sink *s, enum nk_comp kind, const char *const *choices)
{
    switch (kind) {
    case NK_COMP_CHOICES:
        for (int i = 0; choices && choices[i]; i++)
            offer(s, choices[i]);
        return 0;
    case NK_COMP_FILE: return 1;
    case NK_COMP_IFACE: offer_ifaces(s); return 0;
    case NK_COMP_SERVICE: offer_services(s); return 0;
    case NK_COMP_HOST: offer_hosts(s); return 0;
    case NK_COMP_COMMAND: offer_commands(s); return 0;
    case NK_COMP_NONE: return 0;
    }
    return 0;
}

/* The option of tab (or the common table) that `word` names, if it takes an argument. */
static const struct nk_opt *opt_taking_arg(const struct nk_opt *tab, const char *word)
{
    const struct nk_opt *tabs[2] = {tab, nk_common_opts};
    for (int t = 0; t < 2; t++)
        for (const struct nk_opt *o = tabs[t]; o && o->id; o++) {
            if (o->arg == NK_ARG_NONE || o->optional) /* an optional value is never a word */
                continue;
            if (word[0] == '-' && word[1] == '-' && strcmp(word + 2, o->longname) == 0)
                return o;
            if (word[0] == '-' && word[1] == o->shortname && word[2] == '\0' && o->shortname)
                return o;
        }
    return NULL;
}

static void offer_options(struct sink *s, const struct nk_opt *tab)
{
    char buf[64];
    const struct nk_opt *tabs[2] = {tab, nk_common_opts};
    for (int t = 0; t < 2; t++)
        for (const struct nk_opt *o = tabs[t]; o && o->id; o++) {
            snprintf(buf, sizeof(buf), "--%s", o->longname);
            offer(s, buf);
        }
}

int nk_complete(int n, char **words, nk_emit_fn emit, void *arg)
{
    if (n <= 0)
        return 0;
    struct sink s = {words[n - 1], strlen(words[n - 1]), emit, arg};
    /* Find the command word, skipping global options (and --color's value). */
    int i = 0;
    for (; i < n - 1; i++) {
        if (strcmp(words[i], "--color") == 0)
            i++;
        else if (words[i][0] != '-')
            break;
    }
    if (i >= n - 1) {
        if (i == n && strcmp(words[n - 2], "--color") == 0)
            return offer_kind(&s, NK_COMP_CHOICES, nk_color_names);
        if (s.prefix[0] == '-') {
            for (int k = 0; global_words[k]; k++)
                offer(&s, global_words[k]);
            return 0;
        }
        offer_commands(&s);
        return 0;
    }
    const struct nk_command *cmd = nk_command_find(words[i]);
    if (!cmd)
        return 0;
    if (n - 1 > i + 1) {
        const struct nk_opt *o = opt_taking_arg(cmd->opts, words[n - 2]);
        if (o)
            return offer_kind(&s, o->comp, o->choices);
    }
    /* --opt=VALUE */
    if (strncmp(s.prefix, "--", 2) == 0 && strchr(s.prefix, '=')) {
        char name_buf[64];
        const char *eq = strchr(s.prefix, '=');
        snprintf(name_buf, sizeof(name_buf), "%.*s", (int)(eq - s.prefix), s.prefix);
        const struct nk_opt *o = opt_taking_arg(cmd->opts, name_buf);
        if (o && o->comp == NK_COMP_CHOICES) {
            char full[128];
            for (int k = 0; o->choices[k]; k++) {
                snprintf(full, sizeof(full), "%s=%s", name_buf, o->choices[k]);
                offer(&s, full);
            }
        }
        return 0;
    }
    if (s.prefix[0] == '-') {
        offer_options(&s, cmd->opts);
        return 0;
    }
    /* A positional word before this one (not an option, not an option's value): then the
     * command's args_then words too. */
    for (int k = i + 1; cmd->args_then && k < n - 1; k++) {
        if (words[k][0] == '-') {
            if (opt_taking_arg(cmd->opts, words[k]))
                k++;
            continue;
        }
        if (words[k][0] != '@') {
            offer_kind(&s, NK_COMP_CHOICES, cmd->args_then);
            break;
        }
    }
    return offer_kind(&s, cmd->args_comp, NULL);
}
