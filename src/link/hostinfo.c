/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostinfo.c - resolv.conf parsing and default-gateway selection (see hostinfo.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/err.h"
#include "link/hostinfo.h"

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Next word of [*p, end) into w (cut to NK_RESOLV_NAMELEN-1); false if none is left. */
static bool next_word(const char **p, const char *end, char *w)
{
    const char *s = *p;
    while (s < end && blank(*s))
        s++;
    if (s == end)
        return false;
    const char *e = s;
    while (e < end && !blank(*e))
        e++;
    size_t n = (size_t)(e - s);
    if (n > NK_RESOLV_NAMELEN - 1)
        n = NK_RESOLV_NAMELEN - 1;
    memcpy(w, s, n);
    w[n] = '\0';
    *p = e;
    return true;
}

void nk_resolv_parse(const char *buf, size_t len, struct nk_resolv *r)
{
    memset(r, 0, sizeof(*r));
    const char *p = buf, *end = buf + len;
    char word[NK_RESOLV_NAMELEN];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        /* Comments: a line whose first character is '#' or ';' (resolv.conf(5)); glibc also
         * ends a line at a later '#' or ';'. */
        const char *c = p;
        while (c < eol && *c != '#' && *c != ';')
            c++;
        const char *q = p;
        if (next_word(&q, c, word)) {
            if (strcmp(word, "nameserver") == 0) {
                if (r->nservers < NK_RESOLV_MAX && next_word(&q, c, word))
                    strcpy(r->servers[r->nservers++], word);
            } else if (strcmp(word, "search") == 0 || strcmp(word, "domain") == 0) {
                bool domain = word[0] == 'd';
                r->nsearch = 0; /* the last search or domain line wins */
                while (r->nsearch < NK_RESOLV_MAX && next_word(&q, c, word)) {
                    strcpy(r->search[r->nsearch++], word);
                    if (domain)
                        break;
                }
            }
        }
        p = nl ? nl + 1 : end;
    }
}

int nk_resolv_read(const char *path, struct nk_resolv *r, char err[NK_ERRLEN])
{
    if (!path) {
        path = getenv("NETKIT_RESOLV_CONF");
        if (!path || !*path)
            path = NK_RESOLV_CONF;
    }
    memset(r, 0, sizeof(*r));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return nk_seterr(err, "%s: %s", path, nk_strerror(errno));
    }
    /* resolv.conf is small; 64 KiB is far beyond any real one (the rest is ignored). */
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return nk_seterr(err, "%s: out of memory", path);
    }
    while (len < cap) {
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return nk_seterr(err, "%s: %s", path, nk_strerror(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    nk_resolv_parse(buf, len, r);
    free(buf);
    return 0;
}

int nk_hostname(char *buf, size_t len, char err[NK_ERRLEN])
{
    if (gethostname(buf, len) < 0)
        return nk_seterr(err, "host name: %s", nk_strerror(errno));
    buf[len - 1] = '\0';
    return 0;
}

static int gw_cmp(const void *a, const void *b)
{
    const struct nk_gateway *x = a, *y = b;
    if (x->family != y->family)
        return x->family == AF_INET ? -1 : 1;
    return x->metric < y->metric ? -1 : x->metric > y->metric;
}

size_t nk_gateways(const struct nk_table *t, struct nk_gateway *gw, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nroutes; i++) {
        const struct nk_route *r = &t->routes[i];
        if (r->dst_len != 0 || r->table != RT_TABLE_MAIN || r->type != RTN_UNICAST)
            continue;
        for (int h = 0; h < r->nnh && n < max; h++) {
            if (!r->nh[h].family)
                continue;
            gw[n].family = r->nh[h].family;
            memcpy(gw[n].addr, r->nh[h].gw, sizeof(gw[n].addr));
            gw[n].oif = r->nh[h].oif;
            gw[n].metric = r->priority;
            n++;
        }
    }
    qsort(gw, n, sizeof(*gw), gw_cmp);
    return n;
}
