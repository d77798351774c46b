/* SPDX-License-Identifier: GPL-3.0-or-later */
/* words.c - shell-like word splitting without expansion. */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "cli/words.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int words_split(const char *line, struct words *w, char err[NK_ERRLEN])
{
    size_t n = strlen(line);
    memset(w, 0, sizeof(*w));
    /* Words never outgrow the line; a line of n bytes has at most n/2 + 1 words. */
    w->buf = malloc(n + 1);
    w->argv = malloc((n / 2 + 2) * sizeof(char *));
    if (!w->buf || !w->argv) {
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
        w->argv[w->argc++] = out;
        char quote = 0;
        for (; *p && (quote || !is_blank(*p)); p++) {
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
    memset(w, 0, sizeof(*w));
}
