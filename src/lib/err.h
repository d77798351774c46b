/* SPDX-License-Identifier: GPL-3.0-or-later */
/* err.h - the error text every module writes: "WHAT: WHY" in a caller's buffer, and the
 * system's error strings in netkit's message style (lowercase, no full stop). */
#ifndef NK_ERR_H
#define NK_ERR_H

#include "lib/nk.h"

/* Fill buf (NK_ERRLEN bytes) with a formatted message; returns -1 so `return nk_seterr(...)`
 * reads as the failure it reports. */
int nk_seterr(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* msg into dst (cap bytes) so that its reason survives: when it is too long, the longest value
 * in it (a 'quoted' one, or the VALUE of "VALUE: WHY") is shortened, ending in "…". nk_seterr
 * and the messages of cli/msg.c go through it. */
void nk_fit(char *dst, size_t cap, const char *msg);

/* errno e as netkit words it: strerror's text with a lowercase first letter, and the connection
 * errors users meet most in their short form ("connection refused"). The text lives in a
 * per-thread buffer, valid until this thread's next call. */
const char *nk_strerror(int e);

#endif
