/* SPDX-License-Identifier: GPL-3.0-or-later */
/* num.h - strict decimal numbers in a range (OpenBSD strtonum in spirit), for option values and
 * for every parser that reads a number (ports, server specs, /proc files). */
#ifndef NK_NUM_H
#define NK_NUM_H

#include "lib/nk.h"

/* Strict decimal integer in [min, max]: no space, no '+', no trailing text. Returns 0, or -1
 * with "S: WHAT out of range (MIN-MAX)" or "'S': WHAT is not a number" in err (WHAT NULL:
 * "value"). */
int nk_parse_num(const char *s, long long min, long long max, const char *what, long long *out,
                 char err[NK_ERRLEN]);

/* "s" after a count other than 1, "" after 1: "1 connection", "2 connections". */
/* v rounded to the nearest hundredth, halves away from zero (times in ms for output); NaN,
 * infinities and magnitudes beyond 2^53 / 100 come back as they are. libm's round() would make
 * every netkit command map libm for this one use. */
double nk_round2(double v);

static inline const char *nk_s(unsigned long long n)
{
    return n == 1 ? "" : "s";
}

#endif
