/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c - jansson through dlopen, resolved once per process (see json.h). */
#include <pthread.h>

#include "lib/dl.h"
#include "lib/err.h"
#include "lib/json.h"

static struct nk_json lib;
static const struct nk_json *loaded;
static char why[NK_ERRLEN];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    static const char *const names[] = {"json_stringn", "json_real", "json_dumpb", "json_delete"};
    void **const slots[] = {(void **)&lib.json_stringn, (void **)&lib.json_real,
                            (void **)&lib.json_dumpb, (void **)&lib.json_delete};
    /* The SONAME of the jansson whose headers we built against. */
    if (nk_dl_load("libjansson.so.4", names, slots, sizeof(names) / sizeof(names[0]), why) == 0)
        loaded = &lib;
}

const struct nk_json *nk_json_load(char err[NK_ERRLEN])
{
    pthread_once(&once, load);
    if (!loaded)
        nk_seterr(err, "JSON output needs jansson: %s", why);
    return loaded;
}
