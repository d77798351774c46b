/* SPDX-License-Identifier: GPL-3.0-or-later */
/* err.c - error buffers and lowercase strerror. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"

int nk_seterr(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, NK_ERRLEN, fmt, ap);
    va_end(ap);
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
