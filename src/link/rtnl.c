/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rtnl.c - the dump request of each kind; lib/nl.c walks the reply, links.c parses it. */
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <sys/socket.h>

#include "lib/err.h"
#include "link/rtnl.h"

int nk_rtnl_open(struct nk_rtnl *r, char err[NK_ERRLEN])
{
    return nk_nl_open(&r->nl, NETLINK_ROUTE, "netlink", err);
}

void nk_rtnl_close(struct nk_rtnl *r)
{
    nk_nl_close(&r->nl);
}

/* Build the dump request for type in buf; returns its header. */
static struct nlmsghdr *request(char *buf, int type, int family, bool stats)
{
    size_t hdrlen = type == RTM_GETLINK    ? sizeof(struct ifinfomsg)
                    : type == RTM_GETADDR  ? sizeof(struct ifaddrmsg)
                    : type == RTM_GETNEIGH ? sizeof(struct ndmsg)
                                           : sizeof(struct rtmsg);
    void *fh;
    struct nlmsghdr *nlh = nk_nl_request(buf, (uint16_t)type, NLM_F_DUMP, hdrlen, &fh);
    /* Every one of those headers starts with its family byte (ifi_, ifa_, ndm_, rtm_family). */
    *(unsigned char *)fh = (unsigned char)family;
    /* Like ip: leave the counters out of a link dump unless they are wanted (smaller, faster). */
    if (type == RTM_GETLINK)
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, stats ? 0 : RTEXT_FILTER_SKIP_STATS);
    return nlh;
}

/* A dump into a table, and how long its arrays were before it (to start over from). */
struct dump {
    struct nk_table *t;                      /* where the messages go */
    size_t nlinks, naddrs, nneighs, nroutes; /* counts before the dump */
};

static int dump_msg(const struct nlmsghdr *nlh, void *arg, char err[NK_ERRLEN])
{
    return nk_parse_msg(nlh, ((struct dump *)arg)->t, err);
}

/* The kernel interrupted the dump: forget its part of the table before it runs again. */
static void dump_restart(void *arg)
{
    struct dump *d = arg;
    d->t->nlinks = d->nlinks;
    d->t->naddrs = d->naddrs;
    d->t->nneighs = d->nneighs;
    d->t->nroutes = d->nroutes;
}

int nk_rtnl_dump(struct nk_rtnl *r, int type, int family, bool stats, struct nk_table *t,
                 char err[NK_ERRLEN])
{
    char req[NK_NL_REQSIZE] __attribute__((aligned(4)));
    struct nlmsghdr *nlh = request(req, type, family, stats);
    struct dump d = {t, t->nlinks, t->naddrs, t->nneighs, t->nroutes};
    return nk_nl_talk(&r->nl, nlh, dump_msg, dump_restart, &d, err);
}
