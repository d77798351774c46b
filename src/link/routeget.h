/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routeget.h - the kernel's own answer to "how would you send this?" (RTM_GETROUTE for one
 * destination, as `ip route get` asks it) and the neighbour entry of one address (RTM_GETNEIGH
 * with NDA_DST, as `ip neigh get`). The requests go through lib/nl.h's walker; the reply parser
 * is pure, so unit tests replay recorded replies and a fuzzer feeds random bytes. Nothing here
 * prints. */
#ifndef NK_ROUTEGET_H
#define NK_ROUTEGET_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/net.h"
#include "lib/nk.h"
#include "link/links.h"
#include "link/rtnl.h"

/* The route the kernel picked for one destination. */
struct nk_routeget {
    int family;         /* AF_INET or AF_INET6 */
    uint8_t type;       /* RTN_* (RTN_UNICAST, RTN_LOCAL ...); the error types when err != 0 */
    int err;            /* 0, or the kernel's errno when it has no usable route (ENETUNREACH ...) */
    uint8_t dst[16];    /* RTA_DST: the destination asked about */
    int oif;            /* RTA_OIF: outgoing interface index, 0 if none */
    bool has_src;       /* RTA_PREFSRC present */
    uint8_t src[16];    /* RTA_PREFSRC: the source address the kernel would use */
    bool has_gw;        /* RTA_GATEWAY (or RTA_VIA) present: through a gateway, else on-link */
    int gw_family;      /* family of gw (RTA_VIA may differ from the route's) */
    uint8_t gw[16];     /* the gateway */
    uint32_t mtu;       /* RTAX_MTU of RTA_METRICS (a route or PMTU exception), 0 if none */
    uint32_t table;     /* RTA_TABLE, else rtm_table */
    char dev[IFNAMSIZ]; /* nk_routeget: the name of oif ("" if unknown) */
    uint32_t dev_mtu;   /* nk_routeget: the MTU of oif, 0 if unknown */
};

/* Parse one message of a route-get reply (RTM_NEWROUTE) into *r; any other message type is
 * ignored. An nk_nl_msg_fn: 0, or -1 with "netlink: WHY" for a truncated message. */
int nk_routeget_parse(const struct nlmsghdr *nlh, void *r, char err[NK_ERRLEN]);

/* The route type the kernel's errno stands for when it has no route to give: ENETUNREACH no
 * route at all (RTN_UNSPEC), EHOSTUNREACH an unreachable route, EACCES prohibit, EINVAL
 * blackhole, EAGAIN throw; RTN_UNSPEC for anything else. */
uint8_t nk_routeget_errtype(int kerr);
/* "unicast", "local", "blackhole", "unreachable", "prohibit", "throw" ... (iproute2's names);
 * NULL for RTN_UNSPEC. */
const char *nk_route_type_name(uint8_t type);

/* Ask the kernel for the route to dst (its address; the port is ignored), and for the name and
 * MTU of the outgoing interface (RTM_GETLINK for oif). 0 with *r filled,
 * r->err set (and r->type from it) when the kernel has no usable route; -1 with "netlink: WHY"
 * when the request itself failed. */
int nk_routeget(struct nk_rtnl *rt, const struct net_addr *dst, struct nk_routeget *r,
                char err[NK_ERRLEN]);

/* The neighbour entry for addr (family's 4 or 16 bytes) on ifindex: 1 with *n filled, 0 when
 * the table has none, -1 with "netlink: WHY". */
int nk_neigh_get(struct nk_rtnl *rt, int family, const uint8_t *addr, int ifindex,
                 struct nk_neigh *n, char err[NK_ERRLEN]);

#endif
