/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suggest.c - the names closest to a mistyped word (see suggest.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/suggest.h"

/* Words longer than this get no suggestion (the table below is on the stack). */
#define WORD_MAX 64
/* git's SIMILARITY_FLOOR: scores from here on are not similar. */
#define FLOOR 7
/* Edit costs, turning the typed word into the name. */
#define C_SWAP 1 /* two neighbours swapped: "breif" */
#define C_SUB  2 /* a wrong letter */
#define C_INS  1 /* a letter the word lacks: "resolv" */
#define C_DEL  3 /* a letter too many: "echo-server" */

static int min2(int a, int b)
{
    return a < b ? a : b;
}

/* Optimal string alignment distance of a (typed) to b (name), weighted as above. */
static int distance(const char *a, size_t la, const char *b, size_t lb)
{
    int d[WORD_MAX + 1][WORD_MAX + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i * C_DEL;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j * C_INS;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : C_SUB);
            v = min2(v, d[i - 1][j] + C_DEL);
            v = min2(v, d[i][j - 1] + C_INS);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                a[i - 1] != a[i - 2])
                v = min2(v, d[i - 2][j - 2] + C_SWAP);
            d[i][j] = v;
        }
    return d[la][lb];
}

int nk_suggest_score(const char *word, const char *name)
{
    size_t lw = strlen(word), ln = strlen(name);
    if (lw == 0 || lw > WORD_MAX || ln > WORD_MAX || strcmp(word, name) == 0)
        return -1;
    if (strncmp(word, name, lw) == 0)
        return 0;
    int s = distance(word, lw, name, ln) + 1;
    return s < FLOOR && (size_t)s <= lw + 1 ? s : -1;
}

int nk_suggest(const char *word, const char *const *names, size_t n,
               const char *out[NK_SUGGEST_MAX])
{
    int best = -1, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        int s = nk_suggest_score(word, names[i]);
        if (s < 0 || (best >= 0 && s > best))
            continue;
        bool dup = false;
        for (int j = 0; j < k && s == best; j++)
            dup |= strcmp(out[j], names[i]) == 0;
        if (dup)
            continue;
        if (s < best || best < 0) {
            best = s;
            k = 0;
        }
        if (k < NK_SUGGEST_MAX)
            out[k++] = names[i];
    }
    return k;
}

char *nk_suggest_text(char *buf, size_t len, const char *word, const char *prefix,
                      const char *const *names, size_t n)
{
    const char *s[NK_SUGGEST_MAX];
    int k = nk_suggest(word, names, n, s);
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (int i = 0; i < k && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s'%s%s'",
                         i == 0       ? "; did you mean "
                         : i == k - 1 ? " or "
                                      : ", ",
                         prefix ? prefix : "", s[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (k && used < len)
        snprintf(buf + used, len - used, "?");
    return buf;
}
