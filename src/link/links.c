/* SPDX-License-Identifier: GPL-3.0-or-later */
/* links.c - pure parsers of rtnetlink dumps into plain structs, and iproute2's names for what
 * they hold. Every length is checked before it is read: the input may be any bytes. */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/nl.h"
#include "lib/vec.h"
#include "link/links.h"

void nk_table_free(struct nk_table *t)
{
    free(t->links);
    free(t->addrs);
    free(t->neighs);
    free(t->routes);
    memset(t, 0, sizeof(*t));
}

/* Copy a string attribute into dst (always terminated, cut at the first NUL or at dstlen-1). */
static void attr_str(const struct nlattr *a, char *dst, size_t dstlen)
{
    size_t n = mnl_attr_get_payload_len(a);
    const char *s = mnl_attr_get_payload(a);
    if (n >= dstlen)
        n = dstlen - 1;
    size_t i = 0;
    while (i < n && s[i])
        i++;
    memcpy(dst, s, i);
    dst[i] = '\0';
}

/* A u32 attribute: true and *v set when its payload is at least 4 bytes. */
static bool attr_u32(const struct nlattr *a, uint32_t *v)
{
    if (mnl_attr_get_payload_len(a) < sizeof(uint32_t))
        return false;
    memcpy(v, mnl_attr_get_payload(a), sizeof(*v));
    return true;
}

/* An address attribute of exactly alen bytes into dst; false if its size is wrong. */
static bool attr_ip(const struct nlattr *a, size_t alen, uint8_t *dst)
{
    if (mnl_attr_get_payload_len(a) != alen)
        return false;
    memcpy(dst, mnl_attr_get_payload(a), alen);
    return true;
}

/* A link-layer address attribute (up to NK_HWADDR_MAX bytes). */
static uint8_t attr_hw(const struct nlattr *a, uint8_t *dst)
{
    size_t n = mnl_attr_get_payload_len(a);
    if (n > NK_HWADDR_MAX)
        n = NK_HWADDR_MAX;
    memcpy(dst, mnl_attr_get_payload(a), n);
    return (uint8_t)n;
}

static size_t family_len(int family)
{
    return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* ---- links ---- */

static int link_attr(const struct nlattr *a, void *data)
{
    struct nk_link *l = data;
    uint32_t v;
    switch (mnl_attr_get_type(a)) {
    case IFLA_IFNAME: attr_str(a, l->ifname, sizeof(l->ifname)); break;
    case IFLA_MTU: l->has_mtu = attr_u32(a, &l->mtu); break;
    case IFLA_OPERSTATE:
        if (mnl_attr_get_payload_len(a) >= 1)
            l->operstate = mnl_attr_get_u8(a);
        break;
    case IFLA_QDISC: attr_str(a, l->qdisc, sizeof(l->qdisc)); break;
    case IFLA_TXQLEN: l->has_txqlen = attr_u32(a, &l->txqlen); break;
    case IFLA_GROUP: l->has_group = attr_u32(a, &l->group); break;
    case IFLA_MASTER:
        if (attr_u32(a, &v))
            l->master = v;
        break;
    case IFLA_LINK: l->has_link = attr_u32(a, &l->link); break;
    case IFLA_LINK_NETNSID:
        if (attr_u32(a, &v)) {
            l->has_link_netnsid = true;
            l->link_netnsid = (int32_t)v;
        }
        break;
    case IFLA_ADDRESS: l->addr_len = attr_hw(a, l->addr); break;
    case IFLA_BROADCAST: l->brd_len = attr_hw(a, l->brd); break;
    case IFLA_STATS64: {
        size_t n = mnl_attr_get_payload_len(a);
        if (n > sizeof(l->stats))
            n = sizeof(l->stats);
        memcpy(&l->stats, mnl_attr_get_payload(a), n);
        l->has_stats = true;
        break;
    }
    default: break;
    }
    return MNL_CB_OK;
}

static int parse_link(const struct nlmsghdr *nlh, struct nk_table *t, char *err)
{
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifinfomsg))
        return nk_seterr(err, "netlink: truncated link message");
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    struct nk_link *l = nk_grow((void **)&t->links, &t->nlinks, &t->caplinks, sizeof(*l));
    if (!l)
        return nk_seterr(err, "netlink: out of memory");
    l->ifindex = ifi->ifi_index;
    l->flags = ifi->ifi_flags;
    l->type = ifi->ifi_type;
    l->operstate = -1;
    mnl_attr_parse(nlh, sizeof(*ifi), link_attr, l);
    return 0;
}

/* ---- addresses ---- */

static int addr_attr(const struct nlattr *a, void *data)
{
    struct nk_addr *ad = data;
    size_t alen = family_len(ad->family);
    uint32_t v;
    switch (mnl_attr_get_type(a)) {
    case IFA_LOCAL: ad->has_local = attr_ip(a, alen, ad->local); break;
    case IFA_ADDRESS: ad->has_address = attr_ip(a, alen, ad->address); break;
    case IFA_BROADCAST: ad->has_broadcast = attr_ip(a, alen, ad->broadcast); break;
    case IFA_ANYCAST: ad->has_anycast = attr_ip(a, alen, ad->anycast); break;
    case IFA_LABEL: attr_str(a, ad->label, sizeof(ad->label)); break;
    case IFA_FLAGS:
        if (attr_u32(a, &v))
            ad->flags = v;
        break;
    case IFA_CACHEINFO:
        if (mnl_attr_get_payload_len(a) >= sizeof(struct ifa_cacheinfo)) {
            struct ifa_cacheinfo ci;
            memcpy(&ci, mnl_attr_get_payload(a), sizeof(ci));
            ad->has_cacheinfo = true;
            ad->valid_lft = ci.ifa_valid;
            ad->preferred_lft = ci.ifa_prefered;
        }
        break;
    default: break;
    }
    return MNL_CB_OK;
}

static int parse_addr(const struct nlmsghdr *nlh, struct nk_table *t, char *err)
{
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ifaddrmsg))
        return nk_seterr(err, "netlink: truncated address message");
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
        return 0;
    struct nk_addr *a = nk_grow((void **)&t->addrs, &t->naddrs, &t->capaddrs, sizeof(*a));
    if (!a)
        return nk_seterr(err, "netlink: out of memory");
    a->family = ifa->ifa_family;
    a->ifindex = (int)ifa->ifa_index;
    a->prefixlen = ifa->ifa_prefixlen;
    a->scope = ifa->ifa_scope;
    a->flags = ifa->ifa_flags; /* IFA_FLAGS, when present, replaces it with all 32 bits */
    mnl_attr_parse(nlh, sizeof(*ifa), addr_attr, a);
    /* As ip does: an address with only one of LOCAL/ADDRESS uses it for both. */
    if (!a->has_local && a->has_address) {
        memcpy(a->local, a->address, sizeof(a->local));
        a->has_local = true;
    } else if (a->has_local && !a->has_address) {
        memcpy(a->address, a->local, sizeof(a->address));
        a->has_address = true;
    }
    if (!a->has_local)
        t->naddrs--; /* nothing to show */
    return 0;
}

/* ---- neighbours ---- */

static int neigh_attr(const struct nlattr *a, void *data)
{
    struct nk_neigh *n = data;
    switch (mnl_attr_get_type(a)) {
    case NDA_DST: n->has_dst = attr_ip(a, family_len(n->family), n->dst); break;
    case NDA_LLADDR: n->lladdr_len = attr_hw(a, n->lladdr); break;
    default: break;
    }
    return MNL_CB_OK;
}

static int parse_neigh(const struct nlmsghdr *nlh, struct nk_table *t, char *err)
{
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct ndmsg))
        return nk_seterr(err, "netlink: truncated neighbour message");
    const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
    if (ndm->ndm_family != AF_INET && ndm->ndm_family != AF_INET6)
        return 0;
    struct nk_neigh *n = nk_grow((void **)&t->neighs, &t->nneighs, &t->capneighs, sizeof(*n));
    if (!n)
        return nk_seterr(err, "netlink: out of memory");
    n->family = ndm->ndm_family;
    n->ifindex = ndm->ndm_ifindex;
    n->state = ndm->ndm_state;
    n->flags = ndm->ndm_flags;
    mnl_attr_parse(nlh, sizeof(*ndm), neigh_attr, n);
    return 0;
}

/* ---- routes ---- */

bool nk_attr_via(const struct nlattr *a, int *family, uint8_t gw[16])
{
    size_t n = mnl_attr_get_payload_len(a);
    const uint8_t *p = mnl_attr_get_payload(a);
    unsigned short fam;
    if (n < sizeof(fam))
        return false;
    memcpy(&fam, p, sizeof(fam));
    size_t alen = family_len(fam);
    if (!alen || n < sizeof(fam) + alen)
        return false;
    *family = fam;
    memcpy(gw, p + sizeof(fam), alen);
    return true;
}

static void route_via(const struct nlattr *a, struct nk_nexthop *nh)
{
    nk_attr_via(a, &nh->family, nh->gw);
}

/* State for parsing one route's attributes. */
struct route_ctx {
    struct nk_route *r;    /* the route being filled */
    struct nk_nexthop *nh; /* the next hop RTA_GATEWAY/RTA_OIF/RTA_VIA go to */
};

static int route_attr(const struct nlattr *a, void *data);

/* RTA_MULTIPATH: struct rtnexthop records, each followed by its own attributes. */
static void route_multipath(const struct nlattr *a, struct nk_route *r)
{
    const uint8_t *p = mnl_attr_get_payload(a);
    size_t left = mnl_attr_get_payload_len(a);
    r->nnh = 0;
    while (left >= sizeof(struct rtnexthop) && r->nnh < NK_NEXTHOP_MAX) {
        struct rtnexthop rtnh;
        memcpy(&rtnh, p, sizeof(rtnh));
        if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > left)
            break;
        struct nk_nexthop *nh = &r->nh[r->nnh++];
        memset(nh, 0, sizeof(*nh));
        nh->oif = rtnh.rtnh_ifindex;
        /* The hop's attributes: walk them with the same bounds checks as libmnl. */
        const uint8_t *ap = p + RTNH_ALIGN(sizeof(rtnh));
        size_t alen =
            rtnh.rtnh_len > RTNH_ALIGN(sizeof(rtnh)) ? rtnh.rtnh_len - RTNH_ALIGN(sizeof(rtnh)) : 0;
        while (alen >= sizeof(struct nlattr)) {
            struct nlattr na;
            memcpy(&na, ap, sizeof(na));
            if (na.nla_len < sizeof(na) || na.nla_len > alen)
                break;
            size_t plen = na.nla_len - sizeof(na);
            const uint8_t *pl = ap + sizeof(na);
            int type = na.nla_type & NLA_TYPE_MASK;
            if (type == RTA_GATEWAY && plen == family_len(r->family)) {
                nh->family = r->family;
                memcpy(nh->gw, pl, plen);
            } else if (type == RTA_VIA && plen >= 2) {
                unsigned short fam;
                memcpy(&fam, pl, sizeof(fam));
                size_t fl = family_len(fam);
                if (fl && plen >= 2 + fl) {
                    nh->family = fam;
                    memcpy(nh->gw, pl + 2, fl);
                }
            }
            size_t step = MNL_ALIGN(na.nla_len);
            if (step >= alen)
                break;
            ap += step;
            alen -= step;
        }
        size_t step = RTNH_ALIGN(rtnh.rtnh_len);
        if (step >= left)
            break;
        p += step;
        left -= step;
    }
}

static int route_attr(const struct nlattr *a, void *data)
{
    struct route_ctx *c = data;
    uint32_t v;
    switch (mnl_attr_get_type(a)) {
    case RTA_TABLE:
        if (attr_u32(a, &v))
            c->r->table = v;
        break;
    case RTA_PRIORITY:
        if (attr_u32(a, &v))
            c->r->priority = v;
        break;
    case RTA_OIF:
        if (attr_u32(a, &v))
            c->nh->oif = (int)v;
        break;
    case RTA_GATEWAY:
        if (attr_ip(a, family_len(c->r->family), c->nh->gw))
            c->nh->family = c->r->family;
        break;
    case RTA_VIA: route_via(a, c->nh); break;
    case RTA_MULTIPATH: route_multipath(a, c->r); break;
    default: break;
    }
    return MNL_CB_OK;
}

static int parse_route(const struct nlmsghdr *nlh, struct nk_table *t, char *err)
{
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
        return nk_seterr(err, "netlink: truncated route message");
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
        return 0;
    struct nk_route *r = nk_grow((void **)&t->routes, &t->nroutes, &t->caproutes, sizeof(*r));
    if (!r)
        return nk_seterr(err, "netlink: out of memory");
    r->family = rtm->rtm_family;
    r->dst_len = rtm->rtm_dst_len;
    r->type = rtm->rtm_type;
    r->table = rtm->rtm_table;
    r->nnh = 1; /* single path until RTA_MULTIPATH says otherwise */
    struct route_ctx c = {r, &r->nh[0]};
    mnl_attr_parse(nlh, sizeof(*rtm), route_attr, &c);
    if (r->nnh == 1 && r->nh[0].family == 0 && r->nh[0].oif == 0)
        r->nnh = 0;
    return 0;
}

/* ---- the dump ---- */

int nk_parse_msg(const struct nlmsghdr *nlh, void *table, char err[NK_ERRLEN])
{
    struct nk_table *t = table;
    switch (nlh->nlmsg_type) {
    case RTM_NEWLINK: return parse_link(nlh, t, err);
    case RTM_NEWADDR: return parse_addr(nlh, t, err);
    case RTM_NEWNEIGH: return parse_neigh(nlh, t, err);
    case RTM_NEWROUTE: return parse_route(nlh, t, err);
    default: return 0;
    }
}

int nk_parse_dump(const void *buf, size_t len, unsigned seq, struct nk_table *t,
                  char err[NK_ERRLEN])
{
    struct nk_nl_walk w = {.what = "netlink", .seq = seq, .msg = nk_parse_msg, .arg = t};
    return nk_nl_walk(&w, buf, len, err);
}

const struct nk_link *nk_table_link(const struct nk_table *t, int ifindex)
{
    for (size_t i = 0; i < t->nlinks; i++)
        if (t->links[i].ifindex == ifindex)
            return &t->links[i];
    return NULL;
}

const struct nk_link *nk_table_link_by_name(const struct nk_table *t, const char *name)
{
    for (size_t i = 0; i < t->nlinks; i++)
        if (strcmp(t->links[i].ifname, name) == 0)
            return &t->links[i];
    return NULL;
}

/* ---- names, as iproute2 spells them ---- */

/* ARPHRD_* names from `ip link` (lib/ll_types.c): what `link_type` carries. */
static const struct {
    unsigned short type; /* ARPHRD_* */
    const char *name;    /* ip's name */
} hw_names[] = {
    {0, "generic"},
    {ARPHRD_ETHER, "ether"},
    {ARPHRD_EETHER, "eether"},
    {ARPHRD_AX25, "ax25"},
    {ARPHRD_PRONET, "pronet"},
    {ARPHRD_CHAOS, "chaos"},
    {ARPHRD_IEEE802, "ieee802"},
    {ARPHRD_ARCNET, "arcnet"},
    {ARPHRD_APPLETLK, "atalk"},
    {ARPHRD_DLCI, "dlci"},
    {ARPHRD_ATM, "atm"},
    {ARPHRD_METRICOM, "metricom"},
    {ARPHRD_IEEE1394, "ieee1394"},
    {ARPHRD_INFINIBAND, "infiniband"},
    {ARPHRD_SLIP, "slip"},
    {ARPHRD_CSLIP, "cslip"},
    {ARPHRD_SLIP6, "slip6"},
    {ARPHRD_CSLIP6, "cslip6"},
    {ARPHRD_RSRVD, "rsrvd"},
    {ARPHRD_ADAPT, "adapt"},
    {ARPHRD_ROSE, "rose"},
    {ARPHRD_X25, "x25"},
    {ARPHRD_HWX25, "hwx25"},
    {ARPHRD_CAN, "can"},
    {ARPHRD_PPP, "ppp"},
    {ARPHRD_HDLC, "hdlc"},
    {ARPHRD_LAPB, "lapb"},
    {ARPHRD_DDCMP, "ddcmp"},
    {ARPHRD_RAWHDLC, "rawhdlc"},
    {ARPHRD_TUNNEL, "ipip"},
    {ARPHRD_TUNNEL6, "tunnel6"},
    {ARPHRD_FRAD, "frad"},
    {ARPHRD_SKIP, "skip"},
    {ARPHRD_LOOPBACK, "loopback"},
    {ARPHRD_LOCALTLK, "ltalk"},
    {ARPHRD_FDDI, "fddi"},
    {ARPHRD_BIF, "bif"},
    {ARPHRD_SIT, "sit"},
    {ARPHRD_IPDDP, "ip/ddp"},
    {ARPHRD_IPGRE, "gre"},
    {ARPHRD_PIMREG, "pimreg"},
    {ARPHRD_HIPPI, "hippi"},
    {ARPHRD_ASH, "ash"},
    {ARPHRD_ECONET, "econet"},
    {ARPHRD_IRDA, "irda"},
    {ARPHRD_FCPP, "fcpp"},
    {ARPHRD_FCAL, "fcal"},
    {ARPHRD_FCPL, "fcpl"},
    {ARPHRD_FCFABRIC, "fcfb0"},
    {ARPHRD_IEEE802_TR, "tr"},
    {ARPHRD_IEEE80211, "ieee802.11"},
    {ARPHRD_IEEE80211_PRISM, "ieee802.11/prism"},
    {ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap"},
    {ARPHRD_IEEE802154, "ieee802.15.4"},
    {ARPHRD_IEEE802154_MONITOR, "ieee802.15.4/monitor"},
    {ARPHRD_PHONET, "phonet"},
    {ARPHRD_PHONET_PIPE, "phonet_pipe"},
    {ARPHRD_CAIF, "caif"},
    {ARPHRD_IP6GRE, "gre6"},
    {ARPHRD_NETLINK, "netlink"},
    {ARPHRD_6LOWPAN, "6lowpan"},
    {ARPHRD_NONE, "none"},
    {ARPHRD_VOID, "void"},
};

const char *nk_link_type_name(unsigned type, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof(hw_names) / sizeof(hw_names[0]); i++)
        if (hw_names[i].type == type)
            return hw_names[i].name;
    if (type > ARPHRD_FCFABRIC && type <= ARPHRD_FCFABRIC + 12) {
        snprintf(buf, len, "fcfb%u", type - ARPHRD_FCFABRIC);
        return buf;
    }
    snprintf(buf, len, "[%u]", type);
    return buf;
}

static const char *const oper_names[] = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
                                         "TESTING", "DORMANT",    "UP"};

const char *nk_operstate_name(int state, char *buf, size_t len)
{
    if (state >= 0 && (size_t)state < sizeof(oper_names) / sizeof(oper_names[0]))
        return oper_names[state];
    snprintf(buf, len, "%#x", (unsigned)state);
    return buf;
}

const char *nk_scope_name(unsigned scope, char *buf, size_t len)
{
    switch (scope) {
    case RT_SCOPE_UNIVERSE: return "global";
    case RT_SCOPE_SITE: return "site";
    case RT_SCOPE_LINK: return "link";
    case RT_SCOPE_HOST: return "host";
    case RT_SCOPE_NOWHERE: return "nowhere";
    default: snprintf(buf, len, "%u", scope); return buf;
    }
}

void nk_link_flags(unsigned flags, void (*emit)(const char *name, void *arg), void *arg)
{
    static const struct {
        unsigned bit;     /* IFF_* */
        const char *name; /* as ip prints it */
    } names[] = {
        {IFF_LOOPBACK, "LOOPBACK"},
        {IFF_BROADCAST, "BROADCAST"},
        {IFF_POINTOPOINT, "POINTOPOINT"},
        {IFF_MULTICAST, "MULTICAST"},
        {IFF_NOARP, "NOARP"},
        {IFF_ALLMULTI, "ALLMULTI"},
        {IFF_PROMISC, "PROMISC"},
        {IFF_MASTER, "MASTER"},
        {IFF_SLAVE, "SLAVE"},
        {IFF_DEBUG, "DEBUG"},
        {IFF_DYNAMIC, "DYNAMIC"},
        {IFF_AUTOMEDIA, "AUTOMEDIA"},
        {IFF_PORTSEL, "PORTSEL"},
        {IFF_NOTRAILERS, "NOTRAILERS"},
        {IFF_UP, "UP"},
        {IFF_LOWER_UP, "LOWER_UP"},
        {IFF_DORMANT, "DORMANT"},
        {IFF_ECHO, "ECHO"},
    };
    if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
        emit("NO-CARRIER", arg);
    flags &= ~(unsigned)IFF_RUNNING;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].bit) {
            flags &= ~names[i].bit;
            emit(names[i].name, arg);
        }
    if (flags) {
        char hex[16];
        snprintf(hex, sizeof(hex), "%x", flags);
        emit(hex, arg);
    }
}

void nk_addr_flags(const struct nk_addr *a, void (*emit)(const char *name, void *arg), void *arg)
{
    static const struct {
        uint32_t bit;     /* IFA_F_* */
        const char *name; /* as ip prints it */
    } names[] = {
        {IFA_F_SECONDARY, "secondary"},       {IFA_F_NODAD, "nodad"},
        {IFA_F_OPTIMISTIC, "optimistic"},     {IFA_F_DADFAILED, "dadfailed"},
        {IFA_F_HOMEADDRESS, "home"},          {IFA_F_DEPRECATED, "deprecated"},
        {IFA_F_TENTATIVE, "tentative"},       {IFA_F_PERMANENT, "permanent"},
        {IFA_F_MANAGETEMPADDR, "mngtmpaddr"}, {IFA_F_NOPREFIXROUTE, "noprefixroute"},
        {IFA_F_MCAUTOJOIN, "autojoin"},       {IFA_F_STABLE_PRIVACY, "stable-privacy"},
    };
    uint32_t flags = a->flags;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        uint32_t bit = names[i].bit;
        if (bit == IFA_F_PERMANENT) {
            /* ip says what is unusual: an address without PERMANENT is "dynamic". */
            if (!(flags & bit))
                emit("dynamic", arg);
        } else if (flags & bit) {
            /* IPv6 reuses the secondary bit for privacy (temporary) addresses. */
            emit(bit == IFA_F_SECONDARY && a->family == AF_INET6 ? "temporary" : names[i].name,
                 arg);
        }
        flags &= ~bit;
    }
}

void nk_neigh_states(unsigned state, void (*emit)(const char *name, void *arg), void *arg)
{
    static const struct {
        unsigned bit;     /* NUD_* */
        const char *name; /* as ip prints it */
    } names[] = {
        {NUD_INCOMPLETE, "INCOMPLETE"}, {NUD_REACHABLE, "REACHABLE"}, {NUD_STALE, "STALE"},
        {NUD_DELAY, "DELAY"},           {NUD_PROBE, "PROBE"},         {NUD_FAILED, "FAILED"},
        {NUD_NOARP, "NOARP"},           {NUD_PERMANENT, "PERMANENT"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (state & names[i].bit)
            emit(names[i].name, arg);
}

bool nk_neigh_shown(const struct nk_neigh *n)
{
    /* `ip neigh show` filters on 0xff & ~NUD_NOARP, but keeps proxy and externally learned. */
    return (n->state & (0xffu & ~(unsigned)NUD_NOARP)) ||
           (n->flags & (NTF_PROXY | NTF_EXT_LEARNED));
}

const char *nk_hwaddr_str(const uint8_t *addr, size_t len, unsigned type, char *buf, size_t buflen)
{
    if (len == 4 && (type == ARPHRD_TUNNEL || type == ARPHRD_SIT || type == ARPHRD_IPGRE))
        return inet_ntop(AF_INET, addr, buf, (socklen_t)buflen) ? buf : "";
    if (len == 16 && (type == ARPHRD_TUNNEL6 || type == ARPHRD_IP6GRE))
        return inet_ntop(AF_INET6, addr, buf, (socklen_t)buflen) ? buf : "";
    size_t o = 0;
    if (buflen)
        buf[0] = '\0';
    for (size_t i = 0; i < len && o + 3 < buflen; i++)
        o += (size_t)snprintf(buf + o, buflen - o, i ? ":%02x" : "%02x", addr[i]);
    return buf;
}

const char *nk_ip_str(int family, const uint8_t *addr, char *buf, size_t buflen)
{
    if (!inet_ntop(family, addr, buf, (socklen_t)buflen))
        snprintf(buf, buflen, "?");
    return buf;
}

const char *nk_family_name(int family)
{
    return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "unknown";
}
