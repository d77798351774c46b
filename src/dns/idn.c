/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idn.c - libidn2 through dlopen, resolved once per process. */
#include <dlfcn.h>
#include <idn2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/err.h"
#include "dns/idn.h"

/* The three libidn2 entry points netkit uses, or NULL if the library could not be loaded. */
static struct {
    int (*to_ascii)(const char *, char **, int); /* idn2_to_ascii_8z */
    const char *(*strerror)(int);                /* idn2_strerror */
    char why[160];                               /* dlerror() when loading failed */
} lib;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    /* The SONAME the headers we built against belong to. */
    void *h = dlopen("libidn2.so.0", RTLD_NOW | RTLD_LOCAL);
    if (h) {
        *(void **)&lib.to_ascii = dlsym(h, "idn2_to_ascii_8z");
        *(void **)&lib.strerror = dlsym(h, "idn2_strerror");
    }
    if (!h || !lib.to_ascii || !lib.strerror) {
        const char *e = dlerror();
        snprintf(lib.why, sizeof(lib.why), "%s", e ? e : "libidn2.so.0: symbols missing");
        lib.to_ascii = NULL;
    }
}

int idn_to_ascii(const char *name, char **out, char err[NK_ERRLEN])
{
    pthread_once(&once, load);
    *out = NULL;
    if (!lib.to_ascii)
        return nk_seterr(err, "international names need libidn2: %s", lib.why);
    int rc = lib.to_ascii(name, out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
        /* Names that fail the strict rules (symbols, emoji) still get the transitional try
         * that browsers make, before giving up. */
        free(*out);
        *out = NULL;
        rc = lib.to_ascii(name, out, IDN2_TRANSITIONAL | IDN2_NFC_INPUT);
    }
    if (rc != IDN2_OK) {
        free(*out);
        *out = NULL;
        return nk_seterr(err, "%s", lib.strerror(rc));
    }
    return 0;
}
