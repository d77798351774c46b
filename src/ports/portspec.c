/* SPDX-License-Identifier: GPL-3.0-or-later */
/* portspec.c - port lists and lookup arguments. */
#include <string.h>

#include "lib/err.h"
#include "lib/net.h"
#include "ports/portspec.h"

/* Longest item we copy to parse; longer ones cannot be a valid port or range anyway. */
#define ITEM_MAX 64

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

void portspec_add_range(struct portspec *ps, int lo, int hi)
{
    for (int p = lo; p <= hi; p++) {
        uint64_t bit = (uint64_t)1 << (p & 63);
        if (!(ps->bits[p >> 6] & bit)) {
            ps->bits[p >> 6] |= bit;
            ps->count++;
        }
    }
}

int portspec_next(const struct portspec *ps, int from)
{
    if (from < 0)
        from = 0;
    for (int w = from >> 6; w < PORTSPEC_NPORTS / 64; w++) {
        uint64_t v = ps->bits[w];
        if (w == from >> 6)
            v &= ~(uint64_t)0 << (from & 63);
        if (v)
            return w * 64 + __builtin_ctzll(v);
    }
    return -1;
}

enum portspec_kind portspec_item(const char *s, int *lo, int *hi, char err[NK_ERRLEN])
{
    char buf[ITEM_MAX];
    if (!s || !*s) {
        nk_seterr(err, "'': empty port or service");
        return PORTSPEC_BAD;
    }
    if (!is_digit(s[0]))
        return PORTSPEC_NAME;
    size_t n = strlen(s);
    if (n >= sizeof(buf)) {
        nk_seterr(err, "'%.32s...': not a port or range", s);
        return PORTSPEC_BAD;
    }
    memcpy(buf, s, n + 1);
    char *dash = strchr(buf, '-');
    if (dash)
        *dash = '\0';
    if (net_parse_port(buf, lo, err) < 0)
        return PORTSPEC_BAD;
    if (!dash) {
        *hi = *lo;
        return PORTSPEC_PORT;
    }
    if (!is_digit(dash[1])) {
        nk_seterr(err, "'%s': not a port or range", s);
        return PORTSPEC_BAD;
    }
    if (net_parse_port(dash + 1, hi, err) < 0)
        return PORTSPEC_BAD;
    if (*lo > *hi) {
        nk_seterr(err, "%s: empty range (%d > %d)", s, *lo, *hi);
        return PORTSPEC_BAD;
    }
    return PORTSPEC_RANGE;
}

int portspec_parse(const char *s, struct portspec *ps, portspec_name_fn name_fn, void *arg,
                   char err[NK_ERRLEN])
{
    memset(ps, 0, sizeof(*ps));
    if (!s || !*s)
        return nk_seterr(err, "'': empty port list");
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char item[ITEM_MAX];
        if (n == 0)
            return nk_seterr(err, "'%s': empty item", s);
        if (n >= sizeof(item))
            return nk_seterr(err, "'%.*s...': not a port or range", 32, p);
        memcpy(item, p, n);
        item[n] = '\0';
        int lo, hi;
        switch (portspec_item(item, &lo, &hi, err)) {
        case PORTSPEC_BAD: return -1;
        case PORTSPEC_NAME:
            lo = name_fn ? name_fn(item, arg) : -1;
            if (lo < 0)
                return nk_seterr(err, "'%s': unknown service", item);
            hi = lo;
            break;
        case PORTSPEC_PORT:
        case PORTSPEC_RANGE: break;
        }
        portspec_add_range(ps, lo, hi);
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}
