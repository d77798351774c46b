/* SPDX-License-Identifier: GPL-3.0-or-later */
/* path_conn.c - the connect test of path_run (path.c): one connect at a time, -c of them, and
 * their handshake times; and the path MTU socket, whose don't-fragment datagrams are as large as
 * the MTU the kernel knows, smaller each time a router says "fragmentation needed". */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "path/path_int.h"

const char *path_conn_name(enum path_conn_state s)
{
    switch (s) {
    case PATH_C_OPEN: return "open";
    case PATH_C_REFUSED: return "refused";
    case PATH_C_UNREACHABLE: return "unreachable";
    case PATH_C_TIMEOUT: return "timeout";
    case PATH_C_CLOSED: return "closed";
    case PATH_C_OPENFILTERED: return "open|filtered";
    default: return NULL;
    }
}

/* ---- path MTU ---- */

/* The MTU the kernel holds for the connected socket's destination, 0 if unknown. */
uint32_t path_sock_mtu(int fd, int family)
{
    int mtu = 0;
    socklen_t ml = sizeof(mtu);
    if (getsockopt(fd, family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
                   family == AF_INET6 ? IPV6_MTU : IP_MTU, &mtu, &ml) < 0 ||
        mtu < 0)
        return 0;
    return (uint32_t)mtu;
}

/* Send one don't-fragment datagram as large as the MTU now known; a smaller MTU learnt on the
 * way (EMSGSIZE) is taken at once. */
static void pmtu_send(struct run *r)
{
    static char big[65536];
    int fd = r->pmtu.io.fd, fam = family_of(r);
    size_t hdr = fam == AF_INET6 ? 48 : 28;
    for (int i = 0; i < 16; i++) {
        uint32_t mtu = path_sock_mtu(fd, fam);
        r->res->pmtu = mtu;
        if (mtu <= hdr || mtu - hdr > sizeof(big))
            return;
        if (send(fd, big, mtu - hdr, MSG_DONTWAIT) >= 0 || errno != EMSGSIZE)
            return;
    }
}

static void on_pmtu(struct loop *l, struct loop_io *io, uint32_t events)
{
    (void)l;
    struct probe *p = io->arg;
    struct run *r = p->run;
    struct path_icmp ic;
    if (path_read_errqueue(io->fd, &ic) && ic.has) {
        enum path_icmp_kind k = path_icmp_classify(ic.family, ic.type, ic.code);
        if (k == PATH_ICMP_FRAG) {
            if (r->nfrag < (int)(sizeof(r->frag) / sizeof(r->frag[0])))
                r->frag[r->nfrag++] = ic;
            pmtu_send(r); /* again, at the size the kernel now knows */
            return;
        }
        if (k == PATH_ICMP_TTL)
            return;
        r->res->pmtu = path_sock_mtu(io->fd, family_of(r)); /* it arrived: this size fits */
        path_probe_close(r, p);
    } else if (events & EPOLLIN) {
        char b[512];
        if (recv(io->fd, b, sizeof(b), MSG_DONTWAIT) >= 0) {
            r->res->pmtu = path_sock_mtu(io->fd, family_of(r));
            path_probe_close(r, p);
        }
    }
    path_check_done(r);
}

int path_pmtu_start(struct run *r)
{
    int fam = family_of(r);
    int fd = path_open_sock(fam, SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    int pmtu = fam == AF_INET6 ? IPV6_PMTUDISC_DO : IP_PMTUDISC_DO;
    setsockopt(fd, fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
               fam == AF_INET6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER, &pmtu, sizeof(pmtu));
    struct net_addr d = r->req->dst;
    if (net_port((struct sockaddr *)&d.ss) == 0)
        net_set_port((struct sockaddr *)&d.ss, 33434); /* traceroute's first port */
    r->pmtu.io = (struct loop_io){.fd = fd, .fn = on_pmtu, .arg = &r->pmtu};
    if (connect(fd, (const struct sockaddr *)&d.ss, d.len) < 0) {
        close(fd);
        r->pmtu.io.fd = -1;
        r->pmtu.done = true;
        return 0;
    }
    pmtu_send(r);
    return loop_io_add(r->l, &r->pmtu.io, EPOLLIN);
}

/* ---- the connect test ---- */

/* The connect in flight ended as state. */
static void conn_end(struct run *r, enum path_conn_state state, int err, const struct path_icmp *ic)
{
    struct probe *p = &r->conn;
    struct path_conn *c = &r->res->conn;
    double rtt = since_ms(p->sent_us);
    loop_timer_cancel(r->l, &r->conn_deadline);
    bool first = c->count == 0;
    c->count++;
    if (state == PATH_C_OPEN) {
        c->rtt_min = r->nopen == 0 || rtt < c->rtt_min ? rtt : c->rtt_min;
        c->rtt_max = rtt > c->rtt_max ? rtt : c->rtt_max;
        r->rtt_sum += rtt;
        r->nopen++;
        c->rtt_avg = r->rtt_sum / r->nopen;
    } else {
        c->lost++;
    }
    /* The first connect tells the story, unless a later one got through (-c). */
    if (first || (state == PATH_C_OPEN && c->state != PATH_C_OPEN)) {
        c->state = state;
        c->rtt_ms = rtt;
        c->err = err;
        memset(&c->icmp, 0, sizeof(c->icmp));
        if (ic)
            c->icmp = *ic;
        net_local_addr(p->io.fd, &c->local);
        c->peer = r->req->dst;
    }
    path_probe_close(r, p);
    if (c->count < r->req->count && !loop_interrupted()) {
        p->done = false;
        if (path_conn_start(r) < 0) {
            r->err = errno;
            r->conns_done = true;
        }
    } else {
        r->conns_done = true;
    }
}

static void on_conn(struct loop *l, struct loop_io *io, uint32_t events)
{
    (void)l;
    struct run *r = ((struct probe *)io->arg)->run;
    struct path_icmp ic;
    int e = path_so_error(io->fd);
    bool got = path_read_errqueue(io->fd, &ic) && ic.has;
    enum path_icmp_kind k = got ? path_icmp_classify(ic.family, ic.type, ic.code) : PATH_ICMP_NONE;
    if (k == PATH_ICMP_TTL || k == PATH_ICMP_FRAG)
        got = false; /* not an answer about the port */
    if (r->req->udp) {
        char b[512];
        if (got)
            conn_end(r, k == PATH_ICMP_PORT ? PATH_C_CLOSED : PATH_C_UNREACHABLE,
                     k == PATH_ICMP_PORT ? ECONNREFUSED : EHOSTUNREACH, &ic);
        else if ((events & EPOLLIN) && recv(io->fd, b, sizeof(b), MSG_DONTWAIT) >= 0)
            conn_end(r, PATH_C_OPEN, 0, NULL);
        else if (e)
            conn_end(r, e == ECONNREFUSED ? PATH_C_CLOSED : PATH_C_UNREACHABLE, e, NULL);
    } else {
        if (got)
            conn_end(r, PATH_C_UNREACHABLE, e ? e : EHOSTUNREACH, &ic);
        else if (e == ECONNREFUSED)
            conn_end(r, PATH_C_REFUSED, e, NULL);
        else if (e)
            conn_end(r, PATH_C_UNREACHABLE, e, NULL);
        else if (path_tcp_connected(io->fd))
            conn_end(r, PATH_C_OPEN, 0, NULL);
        else if (events & (EPOLLERR | EPOLLHUP))
            conn_end(r, PATH_C_UNREACHABLE, EHOSTUNREACH, NULL);
    }
    path_check_done(r);
}

void path_on_conn_deadline(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct run *r = t->arg;
    conn_end(r, r->req->udp ? PATH_C_OPENFILTERED : PATH_C_TIMEOUT, ETIMEDOUT, NULL);
    path_check_done(r);
}

int path_conn_start(struct run *r)
{
    struct probe *p = &r->conn;
    int fd = path_open_sock(family_of(r), r->req->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    p->io = (struct loop_io){.fd = fd, .fn = on_conn, .arg = p};
    p->sent_us = loop_clock_us();
    const struct net_addr *d = &r->req->dst;
    loop_update_time(r->l);
    loop_timer_set(r->l, &r->conn_deadline, (uint64_t)r->req->timeout_ms);
    if (connect(fd, (const struct sockaddr *)&d->ss, d->len) < 0 && errno != EINPROGRESS) {
        /* The kernel said no at once (no route, or the route refuses): an unreachable. */
        conn_end(r, PATH_C_UNREACHABLE, errno, NULL);
        return 0;
    }
    if (r->req->udp && send(fd, probe_payload, sizeof(probe_payload) - 1, MSG_DONTWAIT) < 0 &&
        errno != EAGAIN) {
        conn_end(r, errno == ECONNREFUSED ? PATH_C_CLOSED : PATH_C_UNREACHABLE, errno, NULL);
        return 0;
    }
    return loop_io_add(r->l, &p->io, r->req->udp ? EPOLLIN : EPOLLOUT);
}
