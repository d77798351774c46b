/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rtnl.h - rtnetlink dumps into a struct nk_table: the request for each kind, walked by lib/nl.h
 * and parsed by links.h. One socket serves several dumps in turn; nothing here prints. */
#ifndef NK_RTNL_H
#define NK_RTNL_H

#include <stdbool.h>

#include "lib/nl.h"
#include "link/links.h"

/* An open NETLINK_ROUTE socket. */
struct nk_rtnl {
    struct nk_nl nl; /* the socket, its sequence numbers and receive buffer */
};

/* 0, or -1 with "netlink: WHY" in err. */
int nk_rtnl_open(struct nk_rtnl *r, char err[NK_ERRLEN]);
void nk_rtnl_close(struct nk_rtnl *r);

/* Dump RTM_GETLINK (with stats64 only if stats), RTM_GETADDR, RTM_GETNEIGH or RTM_GETROUTE for
 * family (AF_UNSPEC for all) into t; a dump the kernel interrupts runs again (nk_nl_talk). 0, or
 * -1 with the reason in err; after a failure, close the socket. */
int nk_rtnl_dump(struct nk_rtnl *r, int type, int family, bool stats, struct nk_table *t,
                 char err[NK_ERRLEN]);

#endif
