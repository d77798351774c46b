/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idn.c - libidn2 through dlopen, resolved once per process. */
#include <idn2.h>
#include <pthread.h>
#include <stdlib.h>

#include "lib/dl.h"
#include "lib/err.h"
#include "dns/idn.h"

/* The two libidn2 entry points netkit uses, or NULL if the library could not be loaded. */
static struct {
    int (*to_ascii)(const char *, char **, int); /* idn2_to_ascii_8z */
    const char *(*strerror)(int);                /* idn2_strerror */
    char why[NK_ERRLEN];                         /* why loading failed */
} lib;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void)
{
    static const char *const names[] = {"idn2_to_ascii_8z", "idn2_strerror"};
    void **const slots[] = {(void **)&lib.to_ascii, (void **)&lib.strerror};
    /* The SONAME the headers we built against belong to; on failure both stay NULL. */
    nk_dl_load("libidn2.so.0", names, slots, 2, lib.why);
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
