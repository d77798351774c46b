/* SPDX-License-Identifier: GPL-3.0-or-later */
/* links.h - what rtnetlink says about links, addresses, neighbours and routes, as plain structs.
 *
 * The parsers are pure: they take the bytes of a dump (one or more netlink messages, as recvfrom
 * returned them) and append what they find to a struct nk_table, so unit tests replay recorded
 * dumps and fuzzers feed random bytes. rtnl.h does the socket work; nothing here prints.
 * The name tables (flags, operstate, link types, scopes, neighbour states) follow iproute2's
 * spelling, so `--json` carries the values `ip -j` prints.
 */
#ifndef NK_LINKS_H
#define NK_LINKS_H

#include <linux/if.h>
#include <linux/if_link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/nk.h"

/* Longest link-layer address the kernel reports (MAX_ADDR_LEN). */
#define NK_HWADDR_MAX 32
/* Most next hops kept per route (multipath routes may list more; the rest are ignored). */
#define NK_NEXTHOP_MAX 8

/* One link (RTM_NEWLINK). */
struct nk_link {
    int ifindex;                    /* interface index */
    char ifname[IFNAMSIZ];          /* IFLA_IFNAME ("" if absent) */
    unsigned flags;                 /* IFF_* from ifinfomsg */
    unsigned short type;            /* ARPHRD_* */
    bool has_mtu;                   /* IFLA_MTU present */
    uint32_t mtu;                   /* IFLA_MTU */
    int operstate;                  /* IF_OPER_* (IFLA_OPERSTATE), -1 if absent */
    char qdisc[32];                 /* IFLA_QDISC ("" if absent) */
    bool has_txqlen;                /* IFLA_TXQLEN present */
    uint32_t txqlen;                /* IFLA_TXQLEN */
    bool has_group;                 /* IFLA_GROUP present */
    uint32_t group;                 /* IFLA_GROUP */
    uint32_t master;                /* IFLA_MASTER ifindex, 0 if none */
    bool has_link;                  /* IFLA_LINK present (the lower or peer device) */
    uint32_t link;                  /* IFLA_LINK ifindex (0: none) */
    bool has_link_netnsid;          /* IFLA_LINK_NETNSID present: the peer is in another netns */
    int32_t link_netnsid;           /* IFLA_LINK_NETNSID */
    uint8_t addr[NK_HWADDR_MAX];    /* IFLA_ADDRESS */
    uint8_t addr_len;               /* its length, 0 if absent */
    uint8_t brd[NK_HWADDR_MAX];     /* IFLA_BROADCAST */
    uint8_t brd_len;                /* its length, 0 if absent */
    bool has_stats;                 /* IFLA_STATS64 present */
    struct rtnl_link_stats64 stats; /* IFLA_STATS64 (zero-filled beyond what the kernel sent) */
};

/* One address (RTM_NEWADDR), IPv4 or IPv6. */
struct nk_addr {
    int family;             /* AF_INET or AF_INET6 */
    int ifindex;            /* the interface it is on */
    uint8_t prefixlen;      /* prefix length */
    uint8_t scope;          /* RT_SCOPE_* */
    uint32_t flags;         /* IFA_F_* (IFA_FLAGS when present, else ifa_flags) */
    bool has_local;         /* IFA_LOCAL present */
    uint8_t local[16];      /* IFA_LOCAL: the address itself */
    bool has_address;       /* IFA_ADDRESS present */
    uint8_t address[16];    /* IFA_ADDRESS: the peer on point-to-point links, else = local */
    bool has_broadcast;     /* IFA_BROADCAST present */
    uint8_t broadcast[16];  /* IFA_BROADCAST */
    bool has_anycast;       /* IFA_ANYCAST present */
    uint8_t anycast[16];    /* IFA_ANYCAST */
    char label[IFNAMSIZ];   /* IFA_LABEL ("" if absent; IPv4 only) */
    bool has_cacheinfo;     /* IFA_CACHEINFO present */
    uint32_t valid_lft;     /* seconds left, 0xffffffff = forever */
    uint32_t preferred_lft; /* seconds left, 0xffffffff = forever */
};

/* One neighbour cache entry (RTM_NEWNEIGH). */
struct nk_neigh {
    int family;                    /* AF_INET or AF_INET6 */
    int ifindex;                   /* interface */
    uint16_t state;                /* NUD_* bits */
    uint8_t flags;                 /* NTF_* bits */
    bool has_dst;                  /* NDA_DST present */
    uint8_t dst[16];               /* NDA_DST */
    uint8_t lladdr[NK_HWADDR_MAX]; /* NDA_LLADDR */
    uint8_t lladdr_len;            /* its length, 0 if absent */
};

/* One next hop of a route. */
struct nk_nexthop {
    int family;     /* family of gw (may differ from the route's with RTA_VIA), 0 if none */
    uint8_t gw[16]; /* RTA_GATEWAY / RTA_VIA address */
    int oif;        /* output interface, 0 if unknown */
};

/* One route (RTM_NEWROUTE); only what finding gateways needs. */
struct nk_route {
    int family;                           /* AF_INET or AF_INET6 */
    uint8_t dst_len;                      /* prefix length of the destination (0: default route) */
    uint8_t type;                         /* RTN_* */
    uint32_t table;                       /* RTA_TABLE, else rtm_table */
    uint32_t priority;                    /* RTA_PRIORITY (metric), 0 if absent */
    int nnh;                              /* next hops in nh[] */
    struct nk_nexthop nh[NK_NEXTHOP_MAX]; /* single path: nh[0]; multipath: each hop */
};

/* Everything dumps produced, in kernel order. Arrays grow as needed; free with nk_table_free. */
struct nk_table {
    struct nk_link *links;     /* links */
    size_t nlinks, caplinks;   /* count and capacity */
    struct nk_addr *addrs;     /* addresses */
    size_t naddrs, capaddrs;   /* count and capacity */
    struct nk_neigh *neighs;   /* neighbours */
    size_t nneighs, capneighs; /* count and capacity */
    struct nk_route *routes;   /* routes */
    size_t nroutes, caproutes; /* count and capacity */
};

void nk_table_free(struct nk_table *t);

/* Parse one buffer of netlink messages (a dump's datagram, or several concatenated, 4-byte
 * aligned) into t, through nk_nl_walk. RTM_NEWLINK/NEWADDR/NEWNEIGH/NEWROUTE are kept (other
 * families than IPv4/IPv6 skipped for addresses, neighbours and routes); other message types are
 * ignored. seq: when non-zero, messages with another sequence number are an error.
 * Returns 1 when more messages are expected, 0 when NLMSG_DONE was seen, -1 on NLMSG_ERROR,
 * a malformed message or no memory, with the reason ("netlink: ...") in err. */
int nk_parse_dump(const void *buf, size_t len, unsigned seq, struct nk_table *t,
                  char err[NK_ERRLEN]);

struct nlmsghdr;
/* One message of a dump into table (a struct nk_table): nk_parse_dump's per-message step, an
 * nk_nl_msg_fn for nk_nl_talk. 0, or -1 with the reason in err. */
int nk_parse_msg(const struct nlmsghdr *nlh, void *table, char err[NK_ERRLEN]);

struct nlattr;
/* RTA_VIA: a family and an address of that family's size, into *family and gw (4 or 16 bytes).
 * False, leaving both alone, when the attribute is too short or of another family. */
bool nk_attr_via(const struct nlattr *a, int *family, uint8_t gw[16]);

/* The link with this index, or NULL. */
const struct nk_link *nk_table_link(const struct nk_table *t, int ifindex);
/* The link with this name, or NULL. */
const struct nk_link *nk_table_link_by_name(const struct nk_table *t, const char *name);

/* Names as iproute2 prints them. Functions taking buf write there when the name is numeric
 * and return buf; otherwise they return a static string. */
const char *nk_link_type_name(unsigned type, char *buf, size_t len); /* "ether", "[65534]"... */
const char *nk_operstate_name(int state, char *buf, size_t len);     /* "UP", "UNKNOWN" ... */
const char *nk_scope_name(unsigned scope, char *buf, size_t len);    /* "global", "link" ... */
/* Flag names of a link, in `ip` order ("NO-CARRIER" first when up without carrier). Calls
 * emit(name) per flag; an unnamed rest comes as hex. */
void nk_link_flags(unsigned flags, void (*emit)(const char *name, void *arg), void *arg);
/* Flags of an address as `ip` prints them ("secondary", "dynamic", "nodad" ...). */
void nk_addr_flags(const struct nk_addr *a, void (*emit)(const char *name, void *arg), void *arg);
/* Neighbour NUD_* states as names ("REACHABLE", "STALE" ...). */
void nk_neigh_states(unsigned state, void (*emit)(const char *name, void *arg), void *arg);
/* True if `ip neigh` (no nud filter) shows this entry: not NOARP-only, not NONE. */
bool nk_neigh_shown(const struct nk_neigh *n);

/* A link-layer address as `ip` prints it: hex with colons, or dotted / IPv6 for tunnels. */
const char *nk_hwaddr_str(const uint8_t *addr, size_t len, unsigned type, char *buf, size_t buflen);
/* An IPv4 / IPv6 address (16 bytes for IPv6, 4 for IPv4) as text. */
const char *nk_ip_str(int family, const uint8_t *addr, char *buf, size_t buflen);
/* "inet" / "inet6". */
const char *nk_family_name(int family);

#endif
