/* SPDX-License-Identifier: GPL-3.0-or-later */
/* words.c - shell-like word splitting without expansion. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "cli/words.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A redirection operator at p ("<", ">", ">>", ">&2", "2>", "2>>", "2>&1", "<<", ...): its
 * length, 0 if there is none. Digits count only when an operator follows them at once. */
static size_t op_len(const char *p)
{
    size_t n = 0;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (p[n] != '<' && p[n] != '>')
        return 0;
    n++;
    if (p[n] == '>' || p[n] == '<' || p[n] == '|')
        n++;
    else if (p[n] == '&') {
        n++;
        while (isdigit((unsigned char)p[n]) || p[n] == '-')
            n++;
    }
    return n;
}

int words_split(const char *line, struct words *w, char err[NK_ERRLEN])
{
    size_t n = strlen(line);
    memset(w, 0, sizeof(*w));
    /* With operators ("a>b"), a line of n bytes has at most n words, each with its NUL. */
    w->buf = malloc(2 * n + 1);
    w->argv = malloc((n + 2) * sizeof(char *));
    w->op = calloc(n + 2, 1);
    if (!w->buf || !w->argv || !w->op) {
        words_free(w);
        return nk_seterr(err, "out of memory");
    }
    char *out = w->buf;
    const char *p = line;
    for (;;) {
        while (is_blank(*p))
            p++;
        if (!*p || *p == '#')
            break;
        if (*p == '|') {
            w->rest = p + 1;
            break;
        }
        size_t ol = op_len(p);
        if (ol) {
            w->op[w->argc] = 1;
            w->argv[w->argc++] = out;
            memcpy(out, p, ol);
            out += ol;
            *out++ = '\0';
            p += ol;
            continue;
        }
        w->argv[w->argc++] = out;
        char quote = 0;
        for (; *p && (quote || (!is_blank(*p) && *p != '|' && *p != '<' && *p != '>')); p++) {
            if (quote == '\'') {
                if (*p == '\'')
                    quote = 0;
                else
                    *out++ = *p;
            } else if (*p == '\\' && p[1] && (!quote || strchr("\"\\$`", p[1]))) {
                *out++ = *++p;
            } else if (quote == '"') {
                if (*p == '"')
                    quote = 0;
                else
                    *out++ = *p;
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
            } else {
                *out++ = *p;
            }
        }
        if (quote) {
            words_free(w);
            return nk_seterr(err, "unterminated %s quote", quote == '"' ? "double" : "single");
        }
        *out++ = '\0';
    }
    w->argv[w->argc] = NULL;
    return 0;
}

void words_free(struct words *w)
{
    free(w->buf);
    free(w->argv);
    free(w->op);
    memset(w, 0, sizeof(*w));
}
