/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostsfile.c - the hosts file read once: every name of every line, sorted for lookups. */
#include <ares.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/hostsfile.h"

/* Largest hosts file read: beyond it, the rest is ignored (ad-block lists are a few MB). */
#define HOSTS_MAX_BYTES (64u << 20)

struct hosts {
    char *text;            /* the file, split into NUL-terminated words */
    struct hosts_entry *e; /* the entries, by name (case ignored), then line */
    size_t n, cap;         /* used and allocated */
};

static bool space(char c)
{
    return isspace((unsigned char)c) != 0;
}

static int push(struct hosts *h, const char *name, unsigned line, int family, const void *bin)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 16;
        struct hosts_entry *e = realloc(h->e, cap * sizeof(*e));
        if (!e)
            return -1;
        h->e = e;
        h->cap = cap;
    }
    struct hosts_entry *e = &h->e[h->n++];
    e->name = name;
    e->line = line;
    e->family = family;
    if (!inet_ntop(family, bin, e->addr, sizeof(e->addr)))
        h->n--;
    return 0;
}

/* One line (NUL-terminated, writable): its entries. 0, or -1 when out of memory. */
static int parse_line(struct hosts *h, char *s, unsigned line)
{
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    int nw = 0; /* words so far: the address, then the names */
    struct in_addr a4;
    struct ares_in6_addr a6;
    bool v4 = false, v6 = false;
    for (char *p = s; *p;) {
        while (*p && space(*p))
            p++;
        if (!*p)
            break;
        char *w = p;
        while (*p && !space(*p))
            p++;
        if (*p)
            *p++ = '\0';
        if (nw == 0) {
            nw++;
            /* ares_inet_pton writes only the bytes it read ("10.1": two): the rest is 0.
             * (c-ares 1.18 itself leaves there what the previous matching line had.) */
            memset(&a4, 0, sizeof(a4));
            memset(&a6, 0, sizeof(a6));
            v4 = ares_inet_pton(AF_INET, w, &a4) == 1;
            v6 = ares_inet_pton(AF_INET6, w, &a6) == 1;
            continue;
        }
        if ((v4 && push(h, w, line, AF_INET, &a4) < 0) ||
            (v6 && push(h, w, line, AF_INET6, &a6) < 0))
            return -1;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    const struct hosts_entry *x = a, *y = b;
    int c = strcasecmp(x->name, y->name);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return x->family - y->family; /* AF_INET before AF_INET6, as c-ares adds them */
}

struct hosts *hosts_parse(const char *text, size_t len)
{
    struct hosts *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->text = malloc(len + 1);
    if (!h->text) {
        free(h);
        return NULL;
    }
    memcpy(h->text, text, len);
    h->text[len] = '\0';
    unsigned line = 0;
    for (char *s = h->text; s < h->text + len; line++) {
        char *nl = memchr(s, '\n', (size_t)(h->text + len - s));
        char *next = nl ? nl + 1 : h->text + len;
        if (nl)
            *nl = '\0';
        if (parse_line(h, s, line) < 0) {
            hosts_free(h);
            return NULL;
        }
        s = next;
    }
    if (h->n)
        qsort(h->e, h->n, sizeof(*h->e), by_name);
    /* A name twice on one line is one match (c-ares looks at each line once). */
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++)
        if (k == 0 || by_name(&h->e[k - 1], &h->e[i]) != 0)
            h->e[k++] = h->e[i];
    h->n = k;
    return h;
}

struct hosts *hosts_load(const char *path)
{
    FILE *fp = fopen(path, "re");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (fp) {
        for (;;) {
            if (len == cap) {
                size_t c = cap ? 2 * cap : 8192;
                char *b = c <= HOSTS_MAX_BYTES ? realloc(buf, c) : NULL;
                if (!b)
                    break;
                buf = b;
                cap = c;
            }
            size_t n = fread(buf + len, 1, cap - len, fp);
            len += n;
            if (n == 0)
                break;
        }
        fclose(fp);
    }
    struct hosts *h = hosts_parse(buf ? buf : "", len);
    free(buf);
    return h;
}

void hosts_free(struct hosts *h)
{
    if (!h)
        return;
    free(h->e);
    free(h->text);
    free(h);
}

size_t hosts_find(const struct hosts *h, const char *name, const struct hosts_entry **v)
{
    size_t lo = 0, hi = h->n; /* the first entry not below name */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcasecmp(h->e[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < h->n && strcasecmp(h->e[end].name, name) == 0)
        end++;
    /* Sorted by line within the name: file order. */
    *v = h->e + lo;
    return end - lo;
}

/* Does s (n bytes) end with suffix, ASCII case ignored? */
static bool ends_with(const char *s, size_t n, const char *suffix, size_t k)
{
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

bool hosts_onion_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || ((name[n - 1] | 0x20) != 'n' && name[n - 1] != '.'))
        return false; /* the usual name: no compare */
    return ends_with(name, n, ".onion", 6) || ends_with(name, n, ".onion.", 7);
}

bool hosts_plain_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || strchr(name, ':') || strspn(name, "0123456789.") == n)
        return false;
    for (size_t i = 0; i + 9 <= n; i++)
        if ((name[i] | 0x20) == 'l' && (name[i + 1] | 0x20) == 'o' &&
            strncasecmp(name + i, "localhost", 9) == 0)
            return false;
    return !hosts_onion_name(name);
}
