/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_rtnl.c - random bytes as a netlink dump buffer: nk_parse_dump and the attribute parsers
 * behind it (links, addresses, neighbours, routes with multipath next hops), then everything the
 * command does with what it parsed (names, flags, addresses as text, gateway selection). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/hostinfo.h"
#include "link/links.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(const char *name, void *arg)
{
    (void)name;
    (void)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Netlink messages are 4-byte aligned in the kernel's buffers: give the parser the same. */
    uint32_t *buf = malloc(size + 4);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct nk_table t = {0};
    char err[NK_ERRLEN], b[128];
    nk_parse_dump(buf, size, 0, &t, err);
    for (size_t i = 0; i < t.nlinks; i++) {
        const struct nk_link *l = &t.links[i];
        nk_link_flags(l->flags, sink, NULL);
        nk_link_type_name(l->type, b, sizeof(b));
        nk_operstate_name(l->operstate, b, sizeof(b));
        nk_hwaddr_str(l->addr, l->addr_len, l->type, b, sizeof(b));
        nk_hwaddr_str(l->brd, l->brd_len, l->type, b, sizeof(b));
        nk_table_link_by_name(&t, l->ifname);
    }
    for (size_t i = 0; i < t.naddrs; i++) {
        nk_addr_flags(&t.addrs[i], sink, NULL);
        nk_scope_name(t.addrs[i].scope, b, sizeof(b));
        nk_ip_str(t.addrs[i].family, t.addrs[i].local, b, sizeof(b));
    }
    for (size_t i = 0; i < t.nneighs; i++) {
        nk_neigh_states(t.neighs[i].state, sink, NULL);
        nk_neigh_shown(&t.neighs[i]);
        nk_hwaddr_str(t.neighs[i].lladdr, t.neighs[i].lladdr_len, 1, b, sizeof(b));
    }
    struct nk_gateway gw[8];
    size_t n = nk_gateways(&t, gw, 8);
    for (size_t i = 0; i < n; i++)
        nk_ip_str(gw[i].family, gw[i].addr, b, sizeof(b));
    nk_table_free(&t);
    free(buf);
    return 0;
}
