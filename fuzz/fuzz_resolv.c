/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_resolv.c - random resolv.conf text through nk_resolv_parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/hostinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct nk_resolv r;
    nk_resolv_parse(buf, size, &r);
    if (r.nservers > NK_RESOLV_MAX || r.nsearch > NK_RESOLV_MAX)
        abort();
    for (int i = 0; i < r.nservers; i++)
        if (strlen(r.servers[i]) >= NK_RESOLV_NAMELEN)
            abort();
    free(buf);
    return 0;
}
