/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rl.c - GNU readline through dlopen, resolved once per process (see rl.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "lib/err.h"
#include "lib/rl.h"

static struct nk_rl lib;
static const struct nk_rl *loaded;
static char why[NK_ERRLEN];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* The SONAME of the readline whose headers we built against; it brings libtinfo. */
    const char *soname = "libreadline.so." NK_STR(RL_VERSION_MAJOR);
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, sizeof(why), "%s", e ? e : soname);
        return;
    }
#define NK_RL_RESOLVE(name)                                                                        \
    if (!(*(void **)&lib.name = dlsym(h, #name))) {                                                \
        snprintf(why, sizeof(why), "%s: no symbol %s", soname, #name);                             \
        return;                                                                                    \
    }
    NK_RL_SYMBOLS(NK_RL_RESOLVE)
#undef NK_RL_RESOLVE
    loaded = &lib;
}

const struct nk_rl *nk_rl_load(char err[NK_ERRLEN])
{
    pthread_once(&once, load);
    if (!loaded)
        nk_seterr(err, "line editing needs GNU readline: %s", why);
    return loaded;
}
