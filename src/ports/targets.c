/* SPDX-License-Identifier: GPL-3.0-or-later */
/* targets.c - scan target lists. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "ports/targets.h"

static int push(struct targets *t, const struct target *x, char err[NK_ERRLEN])
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        struct target *v = realloc(t->v, cap * sizeof(*v));
        if (!v)
            return nk_seterr(err, "out of memory");
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n++] = *x;
    return 0;
}

/* Clear the host bits of a raw address of `bytes` bytes beyond prefix. */
static void mask(uint8_t *a, int bytes, int prefix)
{
    for (int i = 0; i < bytes; i++) {
        int keep = prefix - i * 8;
        if (keep >= 8)
            continue;
        a[i] &= keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
    }
}

static uint8_t *raw_of(struct net_addr *a, int *bytes)
{
    if (a->ss.ss_family == AF_INET) {
        *bytes = 4;
        return (uint8_t *)&((struct sockaddr_in *)&a->ss)->sin_addr;
    }
    *bytes = 16;
    return (uint8_t *)&((struct sockaddr_in6 *)&a->ss)->sin6_addr;
}

/* ADDR/LEN into x, without the size checks. */
static int parse_prefix(const char *item, char *addr, const char *len, struct target *x,
                        char err[NK_ERRLEN])
{
    char e2[NK_ERRLEN];
    if (strchr(addr, '%') || net_parse_ip(addr, 0, &x->base, e2) < 0)
        return nk_seterr(err, "'%s': not an address block", item);
    int bytes;
    uint8_t *a = raw_of(&x->base, &bytes);
    int bits = bytes * 8, n = 0;
    size_t k = 0;
    for (; len[k] >= '0' && len[k] <= '9' && k < 4; k++)
        n = n * 10 + (len[k] - '0');
    if (!k || len[k] || n > bits)
        return nk_seterr(err, "'%s': prefix length out of range (0-%d)", item, bits);
    x->kind = TARGET_CIDR;
    x->prefix = n;
    mask(a, bytes, n);
    return 0;
}

/* ADDR/LEN into x, a block to scan. */
static int parse_block(const char *item, char *addr, const char *len, struct target *x, bool force,
                       char err[NK_ERRLEN])
{
    if (parse_prefix(item, addr, len, x, err) < 0)
        return -1;
    int bits = x->base.ss.ss_family == AF_INET ? 32 : 128, n = x->prefix;
    uint64_t size = target_size(x);
    int min = bits == 32 ? TARGETS_MIN_PREFIX4 : TARGETS_MIN_PREFIX6;
    if (bits - n > 24 || size > TARGETS_MAX_BLOCK)
        return nk_seterr(err, "'%s': more than %llu addresses: too large to scan", item,
                         (unsigned long long)TARGETS_MAX_BLOCK);
    if (n < min && !force)
        return nk_seterr(err, "'%s': %llu addresses, more than /%d: add --force", item,
                         (unsigned long long)size, min);
    return 0;
}

static int parse_item(const char *item, bool force, struct targets *t, char err[NK_ERRLEN])
{
    struct target x;
    memset(&x, 0, sizeof(x));
    size_t n = strlen(item);
    if (n >= sizeof(x.text))
        return nk_seterr(err, "'%.40s...': target too long", item);
    char buf[TARGETS_ITEM_MAX];
    memcpy(buf, item, n + 1);
    /* "[V6]" and "[V6]/LEN": drop the brackets. */
    char *slash = strrchr(buf, '/');
    if (buf[0] == '[') {
        char *close = strchr(buf, ']');
        if (!close || (close[1] && close[1] != '/'))
            return nk_seterr(err, "'%s': unbalanced brackets", item);
        memmove(close, close + 1, strlen(close + 1) + 1);
        memmove(buf, buf + 1, strlen(buf));
        slash = strrchr(buf, '/');
    }
    if (slash) {
        *slash = '\0';
        if (parse_block(item, buf, slash + 1, &x, force, err) < 0)
            return -1;
        snprintf(x.text, sizeof(x.text), "%s/%s", buf, slash + 1);
        return push(t, &x, err);
    }
    memcpy(x.text, buf, strlen(buf) + 1);
    char e2[NK_ERRLEN];
    if (net_parse_ip(buf, 0, &x.base, e2) == 0) {
        x.kind = TARGET_ADDR;
        x.prefix = x.base.ss.ss_family == AF_INET ? 32 : 128;
    } else if (strchr(buf, ':') || strchr(buf, '[') || strchr(buf, ']')) {
        return nk_seterr(err, "'%s': not an IP address", item); /* no name has these */
    } else {
        x.kind = TARGET_NAME;
    }
    return push(t, &x, err);
}

int targets_parse(const char *s, bool force, struct targets *t, char err[NK_ERRLEN])
{
    if (!s || !*s)
        return nk_seterr(err, "'': empty target");
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 0)
            return nk_seterr(err, "'%s': empty item", s);
        if (n >= TARGETS_ITEM_MAX)
            return nk_seterr(err, "'%.40s...': target too long", p);
        char item[TARGETS_ITEM_MAX];
        memcpy(item, p, n);
        item[n] = '\0';
        if (parse_item(item, force, t, err) < 0)
            return -1;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

uint64_t target_size(const struct target *t)
{
    if (t->kind == TARGET_NAME)
        return 0;
    int bits = t->base.ss.ss_family == AF_INET ? 32 : 128;
    int host = bits - t->prefix;
    return host >= 64 ? UINT64_MAX : (uint64_t)1 << host;
}

void target_addr(const struct target *t, uint64_t i, struct net_addr *a)
{
    *a = t->base;
    int bytes;
    uint8_t *r = raw_of(a, &bytes);
    /* Add i to the address, from its last byte up (host bits are clear: no carry past them). */
    for (int k = bytes - 1; k >= 0 && i; k--) {
        unsigned v = r[k] + (unsigned)(i & 0xff);
        r[k] = (uint8_t)v;
        i = (i >> 8) + (v >> 8);
    }
}

int target_prefix_parse(const char *s, struct target *t, char err[NK_ERRLEN])
{
    memset(t, 0, sizeof(*t));
    size_t n = strlen(s);
    char buf[TARGETS_ITEM_MAX];
    if (n == 0 || n >= sizeof(buf))
        return nk_seterr(err, "'%.64s': not an address or ADDR/LEN", s);
    memcpy(buf, s, n + 1);
    memcpy(t->text, s, n + 1);
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        char *a = buf;
        size_t al = strlen(a);
        if (al >= 2 && a[0] == '[' && a[al - 1] == ']') { /* [V6]/LEN */
            a[al - 1] = '\0';
            a++;
        }
        return parse_prefix(s, a, slash + 1, t, err);
    }
    char e2[NK_ERRLEN], ub[TARGETS_ITEM_MAX];
    if (net_parse_ip(net_unbracket(s, ub, sizeof(ub)), 0, &t->base, e2) < 0)
        return nk_seterr(err, "'%s': not an address or ADDR/LEN", s);
    t->kind = TARGET_ADDR;
    t->prefix = t->base.ss.ss_family == AF_INET ? 32 : 128;
    return 0;
}

bool target_match(const struct target *t, int family, const uint8_t *raw)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    struct net_addr copy = t->base;
    int bytes;
    const uint8_t *b = raw_of(&copy, &bytes);
    if (t->base.ss.ss_family == AF_INET && family == AF_INET6 && !memcmp(raw, mapped, 12))
        raw += 12;
    else if (t->base.ss.ss_family != family)
        return false;
    int full = t->prefix / 8, rest = t->prefix % 8;
    if (memcmp(b, raw, (size_t)full) != 0)
        return false;
    return !rest || ((b[full] ^ raw[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

void targets_free(struct targets *t)
{
    free(t->v);
    memset(t, 0, sizeof(*t));
}
