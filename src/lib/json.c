/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c - jansson through dlopen, resolved once per process (see json.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "lib/err.h"
#include "lib/json.h"

static struct nk_json lib;
static const struct nk_json *loaded;
static char why[NK_ERRLEN];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* The SONAME of the jansson whose headers we built against. */
    const char *soname = "libjansson.so.4";
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (h) {
        *(void **)&lib.json_stringn = dlsym(h, "json_stringn");
        *(void **)&lib.json_real = dlsym(h, "json_real");
        *(void **)&lib.json_dumpb = dlsym(h, "json_dumpb");
        *(void **)&lib.json_delete = dlsym(h, "json_delete");
    }
    if (!h || !lib.json_stringn || !lib.json_real || !lib.json_dumpb || !lib.json_delete) {
        const char *e = dlerror();
        snprintf(why, sizeof(why), "%s", e ? e : soname);
        return;
    }
    loaded = &lib;
}

const struct nk_json *nk_json_load(char err[NK_ERRLEN])
{
    pthread_once(&once, load);
    if (!loaded)
        nk_seterr(err, "JSON output needs jansson: %s", why);
    return loaded;
}
