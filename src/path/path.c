/* SPDX-License-Identifier: GPL-3.0-or-later */
/* path.c - hop probes, the connect test and the path MTU on one loop (see path.h): the run
 * (path_run, the probes' deadline, the end), the sockets' helpers the three share and the words
 * of ICMP errors. The hop probes are path_hops.c; the connect test and the path MTU are
 * path_conn.c. */
#include <errno.h>
#include <time.h> /* before errqueue.h, which uses struct timespec */
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "path/path_int.h"

enum path_icmp_kind path_icmp_classify(int family, int type, int code)
{
    if (family == AF_INET6) {
        switch (type) {
        case ICMP6_TIME_EXCEEDED: return PATH_ICMP_TTL;
        case ICMP6_PACKET_TOO_BIG: return PATH_ICMP_FRAG;
        case ICMP6_DST_UNREACH:
            return code == ICMP6_DST_UNREACH_NOPORT ? PATH_ICMP_PORT : PATH_ICMP_UNREACH;
        default: return PATH_ICMP_OTHER;
        }
    }
    switch (type) {
    case ICMP_TIME_EXCEEDED: return PATH_ICMP_TTL;
    case ICMP_DEST_UNREACH:
        return code == ICMP_PORT_UNREACH  ? PATH_ICMP_PORT
               : code == ICMP_FRAG_NEEDED ? PATH_ICMP_FRAG
                                          : PATH_ICMP_UNREACH;
    default: return PATH_ICMP_OTHER;
    }
}

const char *path_icmp_text(int family, int type, int code, char *buf, size_t len)
{
    static const char *const unreach4[] = {"network unreachable",
                                           "host unreachable",
                                           "protocol unreachable",
                                           "port unreachable",
                                           "fragmentation needed",
                                           "source route failed",
                                           "network unknown",
                                           "host unknown",
                                           "source host isolated",
                                           "network administratively prohibited",
                                           "host administratively prohibited",
                                           "network unreachable for TOS",
                                           "host unreachable for TOS",
                                           "administratively prohibited",
                                           "host precedence violation",
                                           "precedence cutoff"};
    static const char *const unreach6[] = {"no route to destination",
                                           "administratively prohibited",
                                           "beyond scope of source address",
                                           "address unreachable",
                                           "port unreachable",
                                           "source address failed policy",
                                           "reject route to destination"};
    if (family == AF_INET6) {
        if (type == ICMP6_DST_UNREACH && code >= 0 &&
            (size_t)code < sizeof(unreach6) / sizeof(unreach6[0]))
            return unreach6[code];
        if (type == ICMP6_TIME_EXCEEDED)
            return "time exceeded";
        if (type == ICMP6_PACKET_TOO_BIG)
            return "packet too big";
    } else {
        if (type == ICMP_DEST_UNREACH && code >= 0 &&
            (size_t)code < sizeof(unreach4) / sizeof(unreach4[0]))
            return unreach4[code];
        if (type == ICMP_TIME_EXCEEDED)
            return "time exceeded";
    }
    snprintf(buf, len, "ICMP%s type %d code %d", family == AF_INET6 ? "v6" : "", type, code);
    return buf;
}

/* ---- sockets ---- */

/* A non-blocking socket with the error queue on (and a TTL when ttl > 0). -1 with errno. */
int path_open_sock(int family, int type, int ttl)
{
    int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    int lvl = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
    int recverr = family == AF_INET6 ? IPV6_RECVERR : IP_RECVERR;
    if (setsockopt(fd, lvl, recverr, &on, sizeof(on)) < 0 ||
        (ttl > 0 && setsockopt(fd, lvl, family == AF_INET6 ? IPV6_UNICAST_HOPS : IP_TTL, &ttl,
                               sizeof(ttl)) < 0)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Read one entry of fd's error queue into *ic (has: it was an ICMP error). 1 read, 0 empty. */
int path_read_errqueue(int fd, struct path_icmp *ic)
{
    char data[64], cbuf[512];
    struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        return 0;
    memset(ic, 0, sizeof(*ic));
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
              (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
            continue;
        struct sock_extended_err ee;
        memcpy(&ee, CMSG_DATA(c), sizeof(ee));
        if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
            continue;
        ic->has = true;
        ic->family = ee.ee_origin == SO_EE_ORIGIN_ICMP6 ? AF_INET6 : AF_INET;
        ic->type = ee.ee_type;
        ic->code = ee.ee_code;
        ic->info = ee.ee_info;
        /* The offender follows the structure inside the same control message. */
        const struct sockaddr *off = SO_EE_OFFENDER((struct sock_extended_err *)CMSG_DATA(c));
        size_t room = c->cmsg_len - CMSG_LEN(sizeof(ee));
        size_t sl = off->sa_family == AF_INET6  ? sizeof(struct sockaddr_in6)
                    : off->sa_family == AF_INET ? sizeof(struct sockaddr_in)
                                                : 0;
        if (sl && sl <= room) {
            memcpy(&ic->from.ss, off, sl);
            ic->from.len = (socklen_t)sl;
        }
    }
    return 1;
}

/* The pending error of fd (SO_ERROR, which reading it clears). Read it before the error queue:
 * dequeuing an ICMP error resets it too. */
int path_so_error(int fd)
{
    int e = 0;
    socklen_t el = sizeof(e);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
        return errno;
    return e;
}

/* True when the TCP socket fd is connected (its handshake completed). */
bool path_tcp_connected(int fd)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    return getpeername(fd, (struct sockaddr *)&ss, &sl) == 0;
}

bool path_same_ip(const struct net_addr *a, const struct net_addr *b)
{
    if (a->ss.ss_family != b->ss.ss_family)
        return false;
    if (a->ss.ss_family == AF_INET)
        return ((const struct sockaddr_in *)&a->ss)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)&b->ss)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
                  &((const struct sockaddr_in6 *)&b->ss)->sin6_addr, 16) == 0;
}

void path_probe_close(struct run *r, struct probe *p)
{
    if (p->io.fd >= 0) {
        loop_io_del(r->l, &p->io);
        close(p->io.fd);
        p->io.fd = -1;
    }
    p->done = true;
}

/* ---- the run ---- */

static void probes_end(struct run *r)
{
    for (int i = 0; i < r->req->max_hops; i++)
        path_probe_close(r, &r->hop[i]);
    if (r->pmtu.io.fd >= 0) {
        r->res->pmtu = path_sock_mtu(r->pmtu.io.fd, family_of(r));
        path_probe_close(r, &r->pmtu);
    }
    r->probes_done = true;
    loop_timer_cancel(r->l, &r->probe_deadline);
    loop_timer_cancel(r->l, &r->window);
}

static void on_probe_deadline(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct run *r = t->arg;
    probes_end(r); /* whatever has not answered is silent */
    path_check_done(r);
}

void path_check_done(struct run *r)
{
    if (!r->probes_done) {
        int upto = r->end_ttl ? r->end_ttl : r->req->max_hops;
        bool all = r->pmtu.done;
        for (int i = 0; i < upto && all; i++)
            all = r->hop[i].done;
        if (all)
            probes_end(r);
    }
    if (r->probes_done && r->conns_done)
        loop_stop(r->l);
}

int path_run(const struct path_req *req, struct path_result *res, char err[NK_ERRLEN])
{
    memset(res, 0, sizeof(*res));
    struct run *r = calloc(1, sizeof(*r));
    if (!r)
        return nk_seterr(err, "path: out of memory");
    r->req = req;
    r->res = res;
    r->probe_deadline = (struct loop_timer){.fn = on_probe_deadline, .arg = r};
    r->conn_deadline = (struct loop_timer){.fn = path_on_conn_deadline, .arg = r};
    r->window = (struct loop_timer){.fn = path_on_window, .arg = r};
    r->conn.io.fd = r->pmtu.io.fd = -1;
    r->conn.run = r->pmtu.run = r;
    r->conn.kind = PROBE_CONN;
    r->pmtu.kind = PROBE_PMTU;
    for (int i = 0; i < PATH_MAX_HOPS; i++)
        r->hop[i] = (struct probe){.io = {.fd = -1}, .run = r, .kind = PROBE_HOP, .ttl = i + 1};
    int rc = -1;
    if (!(r->l = loop_new())) {
        nk_seterr(err, "path: event loop: %s", nk_strerror(errno));
        goto out;
    }
    r->probes_done = !req->probes;
    r->conns_done = !req->connect;
    /* The connect goes first: a host or router limits the ICMP errors it sends to one peer
     * (6 at once, then one a second), and the probes beyond the end of the path would use
     * them up before the connect's own answer. */
    if (req->connect && path_conn_start(r) < 0) {
        nk_seterr(err, "path: connect socket: %s", nk_strerror(errno));
        goto out;
    }
    if (req->probes) {
        loop_timer_set(r->l, &r->probe_deadline, (uint64_t)req->timeout_ms);
        if (path_hop_start(r, &r->hop[0]) < 0) {
            nk_seterr(err, "path: probe socket: %s", nk_strerror(errno));
            goto out;
        }
        r->launched = 1;
        r->next_window = 2 * PATH_WINDOW;
        path_launch_upto(r, PATH_WINDOW);
        if (path_pmtu_start(r) < 0) {
            nk_seterr(err, "path: MTU socket: %s", nk_strerror(errno));
            goto out;
        }
    }
    path_check_done(r);
    while (!(r->probes_done && r->conns_done)) {
        if (loop_run(r->l) < 0) {
            if (errno != EINTR) {
                nk_seterr(err, "path: %s", nk_strerror(errno));
                goto out;
            }
            res->interrupted = true;
            break;
        }
        if (r->err) {
            nk_seterr(err, "path: connect socket: %s", nk_strerror(r->err));
            goto out;
        }
    }
    /* The hops: up to the end of the path, or every TTL probed. */
    res->nhops = r->end_ttl ? r->end_ttl : (req->probes ? req->max_hops : 0);
    for (int i = 0; i < res->nhops; i++) {
        res->hops[i].ttl = i + 1;
        if (res->hops[i].answered)
            res->last_answer = i + 1;
    }
    /* Trailing silent hops past the last answer say nothing more than one of them would. */
    if (!r->end_ttl && res->nhops > res->last_answer + 1)
        res->nhops = res->last_answer + 1;
    res->reached = res->nhops > 0 && res->hops[res->nhops - 1].dest;
    for (int k = 0; k < r->nfrag; k++)
        for (int i = 0; i < res->nhops; i++)
            if (res->hops[i].answered && path_same_ip(&res->hops[i].from, &r->frag[k].from))
                res->hops[i].mtu = r->frag[k].info;
    rc = 0;
out:
    if (r->l) {
        for (int i = 0; i < PATH_MAX_HOPS; i++)
            path_probe_close(r, &r->hop[i]);
        path_probe_close(r, &r->pmtu);
        path_probe_close(r, &r->conn);
        loop_timer_cancel(r->l, &r->probe_deadline);
        loop_timer_cancel(r->l, &r->conn_deadline);
        loop_timer_cancel(r->l, &r->window);
        loop_free(r->l);
    }
    free(r);
    return rc;
}
