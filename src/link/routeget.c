/* SPDX-License-Identifier: GPL-3.0-or-later */
/* routeget.c - RTM_GETROUTE for one destination and RTM_GETNEIGH for one address. */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "link/routeget.h"

static size_t alen_of(int family)
{
    return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* Copy an address attribute of exactly alen bytes. */
static bool get_ip(const struct nlattr *a, size_t alen, uint8_t *dst)
{
    if (alen == 0 || mnl_attr_get_payload_len(a) != alen)
        return false;
    memcpy(dst, mnl_attr_get_payload(a), alen);
    return true;
}

static bool get_u32(const struct nlattr *a, uint32_t *v)
{
    if (mnl_attr_get_payload_len(a) < sizeof(*v))
        return false;
    memcpy(v, mnl_attr_get_payload(a), sizeof(*v));
    return true;
}

/* RTA_METRICS holds nested attributes: RTAX_MTU is the one wanted. */
static int metric_attr(const struct nlattr *a, void *data)
{
    uint32_t v;
    if (mnl_attr_get_type(a) == RTAX_MTU && get_u32(a, &v))
        *(uint32_t *)data = v;
    return MNL_CB_OK;
}

static int route_attr(const struct nlattr *a, void *data)
{
    struct nk_routeget *r = data;
    size_t alen = alen_of(r->family);
    uint32_t v;
    switch (mnl_attr_get_type(a)) {
    case RTA_DST: get_ip(a, alen, r->dst); break;
    case RTA_OIF:
        if (get_u32(a, &v))
            r->oif = (int)v;
        break;
    case RTA_PREFSRC: r->has_src = get_ip(a, alen, r->src); break;
    case RTA_GATEWAY:
        if ((r->has_gw = get_ip(a, alen, r->gw)))
            r->gw_family = r->family;
        break;
    case RTA_VIA:
        if (nk_attr_via(a, &r->gw_family, r->gw))
            r->has_gw = true;
        break;
    case RTA_TABLE:
        if (get_u32(a, &v))
            r->table = v;
        break;
    case RTA_METRICS:
        /* Nested: walk it only when its payload holds whole attributes (libmnl checks each). */
        mnl_attr_parse_nested(a, metric_attr, &r->mtu);
        break;
    default: break;
    }
    return MNL_CB_OK;
}

int nk_routeget_parse(const struct nlmsghdr *nlh, void *arg, char err[NK_ERRLEN])
{
    struct nk_routeget *r = arg;
    if (nlh->nlmsg_type != RTM_NEWROUTE)
        return 0;
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
        return nk_seterr(err, "netlink: truncated route message");
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
        return 0;
    memset(r, 0, sizeof(*r));
    r->family = rtm->rtm_family;
    r->type = rtm->rtm_type;
    r->table = rtm->rtm_table;
    mnl_attr_parse(nlh, sizeof(*rtm), route_attr, r);
    return 0;
}

uint8_t nk_routeget_errtype(int kerr)
{
    switch (kerr) {
    case EHOSTUNREACH: return RTN_UNREACHABLE;
    case EACCES: return RTN_PROHIBIT;
    case EINVAL: return RTN_BLACKHOLE;
    case EAGAIN: return RTN_THROW;
    default: return RTN_UNSPEC;
    }
}

const char *nk_route_type_name(uint8_t type)
{
    static const char *const names[] = {
        [RTN_UNICAST] = "unicast",
        [RTN_LOCAL] = "local",
        [RTN_BROADCAST] = "broadcast",
        [RTN_ANYCAST] = "anycast",
        [RTN_MULTICAST] = "multicast",
        [RTN_BLACKHOLE] = "blackhole",
        [RTN_UNREACHABLE] = "unreachable",
        [RTN_PROHIBIT] = "prohibit",
        [RTN_THROW] = "throw",
        [RTN_NAT] = "nat",
        [RTN_XRESOLVE] = "xresolve",
    };
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

/* The name and MTU of r->oif; left empty when the link cannot be read (it may just have gone). */
static void link_of(struct nk_rtnl *rt, struct nk_routeget *r)
{
    char req[NK_NL_REQSIZE] __attribute__((aligned(4))), e[NK_ERRLEN];
    void *fh;
    struct nlmsghdr *nlh = nk_nl_request(req, RTM_GETLINK, 0, sizeof(struct ifinfomsg), &fh);
    ((struct ifinfomsg *)fh)->ifi_index = r->oif;
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    struct nk_table t = {0};
    if (nk_nl_talk(&rt->nl, nlh, nk_parse_msg, NULL, &t, e) == 0 && t.nlinks > 0) {
        snprintf(r->dev, sizeof(r->dev), "%s", t.links[0].ifname);
        r->dev_mtu = t.links[0].has_mtu ? t.links[0].mtu : 0;
    }
    nk_table_free(&t);
}

int nk_routeget(struct nk_rtnl *rt, const struct net_addr *dst, struct nk_routeget *r,
                char err[NK_ERRLEN])
{
    int family = dst->ss.ss_family;
    const void *ip = family == AF_INET
                         ? (const void *)&((const struct sockaddr_in *)&dst->ss)->sin_addr
                         : (const void *)&((const struct sockaddr_in6 *)&dst->ss)->sin6_addr;
    size_t alen = alen_of(family);
    if (!alen)
        return nk_seterr(err, "netlink: not an IP address");
    char req[NK_NL_REQSIZE] __attribute__((aligned(4)));
    void *fh;
    struct nlmsghdr *nlh = nk_nl_request(req, RTM_GETROUTE, 0, sizeof(struct rtmsg), &fh);
    struct rtmsg *rtm = fh;
    rtm->rtm_family = (unsigned char)family;
    rtm->rtm_dst_len = (unsigned char)(alen * 8);
    mnl_attr_put(nlh, RTA_DST, alen, ip);
    if (family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&dst->ss;
        if (s6->sin6_scope_id)
            mnl_attr_put_u32(nlh, RTA_OIF, s6->sin6_scope_id);
    }
    memset(r, 0, sizeof(*r));
    r->family = family;
    memcpy(r->dst, ip, alen);
    if (nk_nl_talk(&rt->nl, nlh, nk_routeget_parse, NULL, r, err) < 0) {
        int kerr = rt->nl.kerr;
        if (!kerr)
            return -1;
        /* No usable route: the errno tells which kind (no route at all, or a route whose type
         * refuses: unreachable, prohibit, blackhole, throw). */
        memset(r, 0, sizeof(*r));
        r->family = family;
        memcpy(r->dst, ip, alen);
        r->err = kerr;
        r->type = nk_routeget_errtype(kerr);
        return 0;
    }
    if (r->oif > 0)
        link_of(rt, r);
    return 0;
}

int nk_neigh_get(struct nk_rtnl *rt, int family, const uint8_t *addr, int ifindex,
                 struct nk_neigh *n, char err[NK_ERRLEN])
{
    size_t alen = alen_of(family);
    if (!alen)
        return nk_seterr(err, "netlink: not an IP address");
    char req[NK_NL_REQSIZE] __attribute__((aligned(4)));
    void *fh;
    struct nlmsghdr *nlh = nk_nl_request(req, RTM_GETNEIGH, 0, sizeof(struct ndmsg), &fh);
    struct ndmsg *ndm = fh;
    ndm->ndm_family = (unsigned char)family;
    ndm->ndm_ifindex = ifindex;
    mnl_attr_put(nlh, NDA_DST, alen, addr);
    struct nk_table t = {0};
    int rc;
    if (nk_nl_talk(&rt->nl, nlh, nk_parse_msg, NULL, &t, err) < 0)
        rc = rt->nl.kerr == ENOENT ? 0 : -1;
    else if (t.nneighs == 0)
        rc = 0;
    else {
        *n = t.neighs[0];
        rc = 1;
    }
    nk_table_free(&t);
    return rc;
}
