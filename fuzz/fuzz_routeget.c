/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_routeget.c - random bytes as a route-get reply: nk_nl_walk with nk_routeget_parse (the
 * route, its gateway or RTA_VIA, source, nested RTA_METRICS), then the names trace prints. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/routeget.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Netlink messages are 4-byte aligned in the kernel's buffers: give the parser the same. */
    uint32_t *buf = malloc(size + 4);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct nk_routeget r = {0};
    char err[NK_ERRLEN], b[128];
    struct nk_nl_walk w = {.what = "netlink", .msg = nk_routeget_parse, .arg = &r};
    nk_nl_walk(&w, buf, size, err);
    nk_route_type_name(r.type);
    nk_route_type_name(nk_routeget_errtype(w.kerr));
    if (r.family == AF_INET || r.family == AF_INET6) {
        nk_ip_str(r.family, r.dst, b, sizeof(b));
        nk_ip_str(r.family, r.src, b, sizeof(b));
    }
    if (r.has_gw)
        nk_ip_str(r.gw_family, r.gw, b, sizeof(b));
    free(buf);
    return 0;
}
