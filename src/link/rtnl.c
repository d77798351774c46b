/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rtnl.c - send a dump request, read datagrams until NLMSG_DONE, parse each with links.c. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "lib/err.h"
#include "link/rtnl.h"

int nk_rtnl_open(struct nk_rtnl *r, char err[NK_ERRLEN])
{
    memset(r, 0, sizeof(*r));
    r->buf = malloc(NK_RTNL_BUFSIZE);
    if (!r->buf)
        return nk_seterr(err, "netlink: out of memory");
    r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!r->nl) {
        nk_seterr(err, "netlink: %s", nk_strerror(errno));
        nk_rtnl_close(r);
        return -1;
    }
    if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        nk_seterr(err, "netlink: %s", nk_strerror(errno));
        nk_rtnl_close(r);
        return -1;
    }
    r->portid = mnl_socket_get_portid(r->nl);
    r->seq = (unsigned)time(NULL);
    return 0;
}

void nk_rtnl_close(struct nk_rtnl *r)
{
    if (r->nl)
        mnl_socket_close(r->nl);
    free(r->buf);
    memset(r, 0, sizeof(*r));
}

/* Build the dump request for type in buf; returns its header. */
static struct nlmsghdr *request(char *buf, int type, int family, bool stats, unsigned seq)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = (unsigned short)type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq;
    switch (type) {
    case RTM_GETLINK: {
        struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
        ifi->ifi_family = (unsigned char)family;
        /* Like ip: leave the counters out of the dump unless they are wanted (smaller, faster). */
        mnl_attr_put_u32(nlh, IFLA_EXT_MASK, stats ? 0 : RTEXT_FILTER_SKIP_STATS);
        break;
    }
    case RTM_GETADDR: {
        struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
        ifa->ifa_family = (unsigned char)family;
        break;
    }
    case RTM_GETNEIGH: {
        struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
        ndm->ndm_family = (unsigned char)family;
        break;
    }
    default: {
        struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
        rtm->rtm_family = (unsigned char)family;
        break;
    }
    }
    return nlh;
}

int nk_rtnl_dump(struct nk_rtnl *r, int type, int family, bool stats, struct nk_table *t,
                 char err[NK_ERRLEN])
{
    char req[256] __attribute__((aligned(4)));
    struct nlmsghdr *nlh = request(req, type, family, stats, ++r->seq);
    if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
        return nk_seterr(err, "netlink: %s", nk_strerror(errno));
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(r->nl, r->buf, NK_RTNL_BUFSIZE);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return nk_seterr(err, "netlink: %s", nk_strerror(errno));
        }
        if (n == 0)
            return nk_seterr(err, "netlink: dump ended early");
        int rc = nk_parse_dump(r->buf, (size_t)n, r->seq, t, err);
        if (rc <= 0)
            return rc;
    }
}
