/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_sockdiag.c - the sock_diag reply parser on arbitrary buffers (seed it with
 * tests/fixtures/sockdiag/). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "ports/sockdiag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A copy of exactly size bytes, so ASan sees any read past the end. */
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct sockvec v = {0};
    char err[NK_ERRLEN];
    int r = sockdiag_parse(buf, size, size & 1 ? IPPROTO_UDP : IPPROTO_TCP, 0, &v, err);
    if (r < -1 || r > 1)
        abort();
    for (size_t i = 0; i < v.n; i++) {
        sockdiag_listening(&v.v[i]);
        if (!sockdiag_state_name(&v.v[i]))
            abort();
    }
    sockdiag_sort(&v);
    sockdiag_free(&v);
    free(buf);
    return 0;
}
