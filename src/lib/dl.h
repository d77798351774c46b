/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dl.h - a shared library loaded with dlopen when a command first needs it (readline: lib/rl.h,
 * jansson: lib/json.h, libidn2: dns/idn.c), so that the commands that never do start without
 * mapping it. Each user calls this once (pthread_once) and keeps the table it filled. */
#ifndef NK_DL_H
#define NK_DL_H

#include <stddef.h>

#include "lib/nk.h"

/* Open soname and resolve names[i] into *slots[i], i < n. 0; or -1 with why set (dlerror's text,
 * or "SONAME: no symbol NAME") and every slot NULL. The library stays for the process's life. */
int nk_dl_load(const char *soname, const char *const names[], void **const slots[], size_t n,
               char why[NK_ERRLEN]);

#endif
