/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idn.h - Unicode host names to their ASCII (punycode) form through libidn2, which is loaded on
 * first use: most runs never see a non-ASCII name, and loading libidn2 with libunistring costs
 * every process start about a third of a millisecond (as systemd does, for the same reason). */
#ifndef NK_IDN_H
#define NK_IDN_H

#include "lib/nk.h"

/* The ASCII form of a UTF-8 name: *out is malloc'd (free() it). IDNA 2008 non-transitional
 * first, then transitional (what browsers accept). 0, or -1 with the reason in err. */
int idn_to_ascii(const char *name, char **out, char err[NK_ERRLEN]);

#endif
