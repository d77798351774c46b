/* SPDX-License-Identifier: GPL-3.0-or-later */
/* err.c - error buffers and lowercase strerror. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

/* The part of msg to shorten: the longest 'quoted' value, or the "VALUE" of "VALUE: WHY" when
 * no quoted one is longer. *len gets its length. */
static const char *longest_value(const char *msg, size_t *len)
{
    const char *best = NULL, *colon = strstr(msg, ": ");
    *len = 0;
    if (colon && msg[0] != '\'') {
        best = msg;
        *len = (size_t)(colon - msg);
    }
    for (const char *q = strchr(msg, '\''); q; q = strchr(q, '\'')) {
        const char *e = strchr(q + 1, '\'');
        if (!e)
            break;
        /* The closing quote is the last one before ": " or the end (a value may hold quotes). */
        const char *c = strstr(e, "': ");
        if (c)
            e = c;
        if ((size_t)(e - q - 1) > *len) {
            best = q + 1;
            *len = (size_t)(e - q - 1);
        }
        q = e + 1;
    }
    return best;
}

void nk_fit(char *dst, size_t cap, const char *msg)
{
    static const char ell[] = "\xe2\x80\xa6"; /* "…" */
    size_t n = strlen(msg), vlen;
    if (cap == 0)
        return;
    const char *v = n < cap ? NULL : longest_value(msg, &vlen);
    size_t over = n - (cap - 1) + (sizeof(ell) - 1); /* bytes to take out of the value */
    if (!v || vlen < over + 8) {                     /* nothing to shorten: cut the end */
        snprintf(dst, cap, "%s", msg);
        return;
    }
    size_t keep = vlen - over, head = (size_t)(v - msg);
    while (keep > 0 && ((unsigned char)v[keep] & 0xc0) == 0x80)
        keep--; /* never half a UTF-8 character */
    snprintf(dst, cap, "%.*s%s%s", (int)(head + keep), msg, ell, v + vlen);
}

int nk_seterr(char *buf, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_start(ap, fmt);
        vsnprintf(buf, NK_ERRLEN, fmt, ap);
        va_end(ap);
        return -1;
    }
    nk_fit(buf, NK_ERRLEN, msg);
    free(msg);
    return -1;
}

const char *nk_strerror(int e)
{
    static __thread char buf[128];
    switch (e) {
    case ECONNREFUSED: return "connection refused";
    case ECONNRESET: return "connection reset by peer";
    case ETIMEDOUT: return "connection timed out";
    case EADDRINUSE: return "address already in use";
    default: break;
    }
    /* strerror_r (GNU) may return a static string instead of filling buf. */
    const char *s = strerror_r(e, buf, sizeof(buf));
    if (s != buf)
        snprintf(buf, sizeof(buf), "%s", s);
    if (buf[0] && !(buf[0] == 'I' && buf[1] == '/'))
        buf[0] = (char)tolower((unsigned char)buf[0]);
    return buf;
}
