/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.h - jansson, loaded with dlopen the first time a value needs it. netkit writes its JSON
 * itself (cli/out.c) and hands jansson only strings that need escaping and reals that are not
 * whole hundredths, so most runs, --json or not, start without mapping the library. */
#ifndef NK_JSON_H
#define NK_JSON_H

#include <jansson.h>

#include "lib/nk.h"

/* The jansson functions netkit calls, with jansson's own types. */
struct nk_json {
    __typeof__(&json_stringn) json_stringn;
    __typeof__(&json_real) json_real;
    __typeof__(&json_dumpb) json_dumpb;
    __typeof__(&json_delete) json_delete; /* what json_decref calls for the last reference */
};

/* jansson, loaded on the first call; NULL with err set ("JSON output needs jansson: DLERROR")
 * when it cannot be. Later calls return the same table or fail the same. */
const struct nk_json *nk_json_load(char err[NK_ERRLEN]);

#endif
