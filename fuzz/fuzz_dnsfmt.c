/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_dnsfmt.c - random bytes as a DNS answer: walk every record and format its data. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dns/dnsfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[1 << 18];
    char err[NK_ERRLEN], small[64];
    struct dns_walk w;
    struct dns_rr rr;
    if (dns_walk_init(&w, data, size, err) < 0)
        return 0;
    int n = 0;
    while (dns_walk_next(&w, &rr, err) > 0 && n++ < 1000) {
        if (dns_rdata_format(data, size, &rr, out, sizeof(out), err) == 0 &&
            memchr(out, '\0', sizeof(out)) == NULL)
            __builtin_trap(); /* the result is always a string */
        /* A buffer too small must fail cleanly, never overflow. */
        dns_rdata_format(data, size, &rr, small, sizeof(small), err);
    }
    char fl[64];
    dns_flags_str(w.hdr.flags, fl, sizeof(fl));
    return 0;
}
