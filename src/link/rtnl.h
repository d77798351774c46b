/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rtnl.h - rtnetlink dumps over libmnl into a struct nk_table (links.h parses the bytes).
 * One socket serves several dumps in turn; nothing here prints. */
#ifndef NK_RTNL_H
#define NK_RTNL_H

#include <stdbool.h>

#include "link/links.h"

struct mnl_socket;

/* An open NETLINK_ROUTE socket. */
struct nk_rtnl {
    struct mnl_socket *nl; /* the socket */
    unsigned portid;       /* our netlink port id */
    unsigned seq;          /* sequence number of the last request */
    char *buf;             /* receive buffer (NK_RTNL_BUFSIZE bytes) */
};

/* Dump datagrams are at most this big (the kernel's dump skb limit). */
#define NK_RTNL_BUFSIZE 32768

/* 0, or -1 with "netlink: WHY" in err. */
int nk_rtnl_open(struct nk_rtnl *r, char err[NK_ERRLEN]);
void nk_rtnl_close(struct nk_rtnl *r);

/* Dump RTM_GETLINK (with stats64 only if stats), RTM_GETADDR, RTM_GETNEIGH or RTM_GETROUTE for
 * family (AF_UNSPEC for all) into t. 0, or -1 with the reason in err. */
int nk_rtnl_dump(struct nk_rtnl *r, int type, int family, bool stats, struct nk_table *t,
                 char err[NK_ERRLEN]);

#endif
