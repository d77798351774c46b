/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dl.c - dlopen and a table of symbols (see dl.h). */
#include <dlfcn.h>
#include <stdio.h>

#include "lib/dl.h"

int nk_dl_load(const char *soname, const char *const names[], void **const slots[], size_t n,
               char why[NK_ERRLEN])
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, NK_ERRLEN, "%s", e ? e : soname);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!(*slots[i] = dlsym(h, names[i]))) {
            snprintf(why, NK_ERRLEN, "%s: no symbol %s", soname, names[i]);
            for (size_t j = 0; j < n; j++)
                *slots[j] = NULL;
            return -1;
        }
    return 0;
}
