/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num.c - strict range-checked decimal numbers. */
#include <errno.h>
#include <stdlib.h>

#include "lib/err.h"
#include "lib/num.h"

int nk_parse_num(const char *s, long long min, long long max, const char *what, long long *out,
                 char err[NK_ERRLEN])
{
    char *end;
    if (!what)
        what = "value";
    /* strtoll accepts leading space and '+': a strict parser does not. */
    if (!s || !*s || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
        return nk_seterr(err, "'%s': %s is not a number", s ? s : "", what);
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || end == s || (s[0] == '-' && end == s + 1))
        return nk_seterr(err, "'%s': %s is not a number", s, what);
    if (errno == ERANGE || v < min || v > max)
        return nk_seterr(err, "%s: %s out of range (%lld-%lld)", s, what, min, max);
    *out = v;
    return 0;
}

double nk_round2(double v)
{
    double a = v < 0 ? -v : v;
    if (!(a < 9e13)) /* NaN, infinities, and where a * 100 + 0.5 is no longer exact enough */
        return v;
    double k = (double)(unsigned long long)(a * 100 + 0.5);
    return (v < 0 ? -k : k) / 100;
}
