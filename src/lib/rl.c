/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rl.c - GNU readline through dlopen, resolved once per process (see rl.h). */
#include <pthread.h>

#include "lib/dl.h"
#include "lib/err.h"
#include "lib/rl.h"

static struct nk_rl lib;
static const struct nk_rl *loaded;
static char why[NK_ERRLEN];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
#define NK_RL_NAME(name) #name,
#define NK_RL_SLOT(name) (void **)&lib.name,
    static const char *const names[] = {NK_RL_SYMBOLS(NK_RL_NAME)};
    void **const slots[] = {NK_RL_SYMBOLS(NK_RL_SLOT)};
#undef NK_RL_NAME
#undef NK_RL_SLOT
    /* The SONAME of the readline whose headers we built against; it brings libtinfo. */
    if (nk_dl_load("libreadline.so." NK_STR(RL_VERSION_MAJOR), names, slots,
                   sizeof(names) / sizeof(names[0]), why) == 0)
        loaded = &lib;
}

const struct nk_rl *nk_rl_load(char err[NK_ERRLEN])
{
    pthread_once(&once, load);
    if (!loaded)
        nk_seterr(err, "line editing needs GNU readline: %s", why);
    return loaded;
}
