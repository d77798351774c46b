/* SPDX-License-Identifier: GPL-3.0-or-later */
/* path.c - hop probes, the connect test and the path MTU on one loop (see path.h).
 *
 * Every TTL gets a socket of its own, so the kernel sorts the answers for us: a router's "time
 * exceeded" lands in the error queue of the socket whose TTL ran out (IP_RECVERR names the
 * router as the offender), the destination's answer (TCP: SYN-ACK or RST; UDP: a reply or "port
 * unreachable") completes that socket. A TCP socket in SYN-SENT queues the ICMP error too, so no
 * raw socket is needed. The sockets go out a window at a time, each twice the last (TTLs 1-4
 * at once, then 5-12 when a router at the edge of what went out answers, or when the window
 * stays quiet for a grace, then 13-28 ...): a short path costs a few packets, not one SYN per
 * TTL up to --max-hops (each SYN that reaches the destination costs it a SYN-ACK and us a
 * reset), and a 30-hop one three round trips. The first TTL that ends other than with "time
 * exceeded" is the end of the path, and the sockets beyond it are closed. */
#include <errno.h>
#include <time.h> /* before errqueue.h, which uses struct timespec */
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/ip_icmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/loop.h"
#include "path/path.h"

/* TTLs sent at once first; each later window is twice the one before, at most PATH_WINDOW_MAX. */
#define PATH_WINDOW     4
#define PATH_WINDOW_MAX 16

/* What a socket is for. */
enum probe_kind {
    PROBE_HOP,
    PROBE_CONN,
    PROBE_PMTU
};

struct run;

/* One socket in flight. */
struct probe {
    struct loop_io io;    /* the socket; fd -1 when closed */
    struct run *run;      /* the run it belongs to */
    enum probe_kind kind; /* what it is for */
    int ttl;              /* PROBE_HOP: its TTL */
    uint64_t sent_us;     /* when it went out */
    bool done;            /* it has its answer (or gave up) */
};

/* One path_run. */
struct run {
    struct loop *l;                   /* the loop */
    const struct path_req *req;       /* what to do */
    struct path_result *res;          /* where results go */
    struct probe hop[PATH_MAX_HOPS];  /* one per TTL */
    struct probe conn;                /* the connect test now in flight */
    struct probe pmtu;                /* the path MTU socket */
    struct loop_timer probe_deadline; /* the hop probes' and path MTU's time is up */
    struct loop_timer conn_deadline;  /* the connect in flight's time is up */
    struct loop_timer window;         /* the window stayed quiet: open the next */
    int launched;                     /* TTLs 1..launched have been sent */
    int next_window;                  /* how many the next window sends */
    int end_ttl;                      /* the first TTL that ended the path, 0 if none yet */
    double max_rtt_ms;                /* the slowest answer a hop gave so far */
    bool probes_done;                 /* every hop probe and the path MTU ended */
    bool conns_done;                  /* every connect ended */
    int nopen;                        /* connects that were open */
    double rtt_sum;                   /* their handshake times */
    struct path_icmp frag[8];         /* "fragmentation needed" errors seen */
    int nfrag;                        /* how many */
    int err;                          /* errno of a failure of our own, 0 if none */
};

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

/* ---- sockets ---- */

static int family_of(const struct run *r)
{
    return r->req->dst.ss.ss_family;
}

/* A non-blocking socket with the error queue on (and a TTL when ttl > 0). -1 with errno. */
static int open_sock(int family, int type, int ttl)
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
static int read_errqueue(int fd, struct path_icmp *ic)
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
static int so_error(int fd)
{
    int e = 0;
    socklen_t el = sizeof(e);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) < 0)
        return errno;
    return e;
}

/* True when the TCP socket fd is connected (its handshake completed). */
static bool tcp_connected(int fd)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    return getpeername(fd, (struct sockaddr *)&ss, &sl) == 0;
}

static bool same_ip(const struct net_addr *a, const struct net_addr *b)
{
    if (a->ss.ss_family != b->ss.ss_family)
        return false;
    if (a->ss.ss_family == AF_INET)
        return ((const struct sockaddr_in *)&a->ss)->sin_addr.s_addr ==
               ((const struct sockaddr_in *)&b->ss)->sin_addr.s_addr;
    return memcmp(&((const struct sockaddr_in6 *)&a->ss)->sin6_addr,
                  &((const struct sockaddr_in6 *)&b->ss)->sin6_addr, 16) == 0;
}

static void probe_close(struct run *r, struct probe *p)
{
    if (p->io.fd >= 0) {
        loop_io_del(r->l, &p->io);
        close(p->io.fd);
        p->io.fd = -1;
    }
    p->done = true;
}

static double since_ms(uint64_t t0)
{
    return (double)(loop_clock_us() - t0) / 1000.0;
}

/* ---- hop probes ---- */

static void check_done(struct run *r);
static void launch_upto(struct run *r, int n);
static void open_window(struct run *r);

/* Once the end of the path has answered, a hop before it that is still quiet is a router that
 * sends no "time exceeded": its answer would have come back with the others (all probes went out
 * together). It gets a short grace, three times the slowest answer seen (at least 100 ms),
 * instead of the whole --timeout, so that silent hops are never waited for. */
static uint64_t grace_ms(const struct run *r)
{
    uint64_t grace = (uint64_t)(3.0 * r->max_rtt_ms) + 1;
    return grace < 100 ? 100 : grace;
}

static void silent_grace(struct run *r)
{
    uint64_t grace = grace_ms(r);
    if (r->probe_deadline.slot && loop_now_ms(r->l) + grace < r->probe_deadline.when_ms)
        loop_timer_set(r->l, &r->probe_deadline, grace);
}

/* A hop answered: record it; an answer other than "time exceeded" ends the path there. */
static void hop_answer(struct run *r, struct probe *p, const struct net_addr *from,
                       const struct path_icmp *ic, bool dest)
{
    struct path_hop *h = &r->res->hops[p->ttl - 1];
    h->answered = true;
    h->rtt_ms = since_ms(p->sent_us);
    h->from = *from;
    net_set_port((struct sockaddr *)&h->from.ss, 0);
    if (ic)
        h->icmp = *ic;
    if (same_ip(from, &r->req->dst))
        dest = true;
    h->dest = dest;
    probe_close(r, p);
    if (h->rtt_ms > r->max_rtt_ms)
        r->max_rtt_ms = h->rtt_ms;
    bool ends = dest || !ic || path_icmp_classify(ic->family, ic->type, ic->code) != PATH_ICMP_TTL;
    if (ends && (r->end_ttl == 0 || p->ttl < r->end_ttl)) {
        r->end_ttl = p->ttl;
        for (int i = p->ttl; i < r->req->max_hops; i++)
            probe_close(r, &r->hop[i]); /* beyond the end: not needed */
        loop_timer_cancel(r->l, &r->window);
        silent_grace(r);
    } else if (!ends && !r->end_ttl) {
        if (p->ttl >= r->launched - 1) /* a router at the edge of what went out */
            open_window(r);
    }
}

static void on_hop(struct loop *l, struct loop_io *io, uint32_t events)
{
    (void)l;
    struct probe *p = io->arg;
    struct run *r = p->run;
    struct path_icmp ic;
    int e = so_error(io->fd);
    if (read_errqueue(io->fd, &ic) && ic.has) {
        hop_answer(r, p, &ic.from, &ic, false);
    } else if (!r->req->udp) {
        if (e == ECONNREFUSED || (e == 0 && tcp_connected(io->fd)))
            hop_answer(r, p, &r->req->dst, NULL, true); /* SYN-ACK or RST: the destination */
        else if (e != 0 || (events & (EPOLLERR | EPOLLHUP)))
            probe_close(r, p); /* a local error: nothing more will come */
    } else {
        char b[512];
        if ((events & EPOLLIN) && recv(io->fd, b, sizeof(b), MSG_DONTWAIT) >= 0)
            hop_answer(r, p, &r->req->dst, NULL, true);
        else if (e != 0 || (events & EPOLLERR))
            probe_close(r, p); /* a local error: nothing more will come */
    }
    check_done(r);
}

static const char probe_payload[] = "netkit trace probe";

/* Start the probe of one TTL. 0, or -1 with errno. */
static int hop_start(struct run *r, struct probe *p)
{
    int type = r->req->udp ? SOCK_DGRAM : SOCK_STREAM;
    int fd = open_sock(family_of(r), type, p->ttl);
    if (fd < 0)
        return -1;
    if (!r->req->udp) {
        /* A probe that reaches the destination opens a connection nobody wants: closing it
         * resets it (as ports --scan does), with no FIN exchange and no TIME-WAIT left behind
         * per trace. The connect step closes its own connection the ordinary way. */
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    p->io = (struct loop_io){.fd = fd, .fn = on_hop, .arg = p};
    p->sent_us = loop_clock_us();
    const struct net_addr *d = &r->req->dst;
    if (connect(fd, (const struct sockaddr *)&d->ss, d->len) < 0 && errno != EINPROGRESS) {
        /* Refused at once (no route): the connect test says why; this hop stays silent. */
        close(fd);
        p->io.fd = -1;
        p->done = true;
        return 0;
    }
    if (r->req->udp)
        send(fd, probe_payload, sizeof(probe_payload) - 1, MSG_DONTWAIT);
    return loop_io_add(r->l, &p->io, r->req->udp ? EPOLLIN : EPOLLOUT);
}

/* Send the TTLs up to n (at most --max-hops) not sent yet, and give the window a grace to
 * answer before the next opens. A socket that cannot be had leaves its hop silent. */
static void launch_upto(struct run *r, int n)
{
    if (n > r->req->max_hops)
        n = r->req->max_hops;
    if (n <= r->launched || r->probes_done)
        return;
    for (; r->launched < n; r->launched++) {
        struct probe *p = &r->hop[r->launched];
        if (hop_start(r, p) < 0) {
            if (p->io.fd >= 0)
                close(p->io.fd);
            p->io.fd = -1;
            p->done = true;
        }
    }
    if (r->launched < r->req->max_hops)
        loop_timer_set(r->l, &r->window, grace_ms(r));
}

/* The next window: the TTLs after those sent, twice as many as last time. */
static void open_window(struct run *r)
{
    int n = r->next_window;
    r->next_window = n * 2 < PATH_WINDOW_MAX ? n * 2 : PATH_WINDOW_MAX;
    launch_upto(r, r->launched + n);
}

static void on_window(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct run *r = t->arg;
    if (!r->end_ttl)
        open_window(r);
}

/* ---- path MTU ---- */

/* The MTU the kernel holds for the connected socket's destination, 0 if unknown. */
static uint32_t sock_mtu(int fd, int family)
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
        uint32_t mtu = sock_mtu(fd, fam);
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
    if (read_errqueue(io->fd, &ic) && ic.has) {
        enum path_icmp_kind k = path_icmp_classify(ic.family, ic.type, ic.code);
        if (k == PATH_ICMP_FRAG) {
            if (r->nfrag < (int)(sizeof(r->frag) / sizeof(r->frag[0])))
                r->frag[r->nfrag++] = ic;
            pmtu_send(r); /* again, at the size the kernel now knows */
            return;
        }
        if (k == PATH_ICMP_TTL)
            return;
        r->res->pmtu = sock_mtu(io->fd, family_of(r)); /* it arrived: this size fits */
        probe_close(r, p);
    } else if (events & EPOLLIN) {
        char b[512];
        if (recv(io->fd, b, sizeof(b), MSG_DONTWAIT) >= 0) {
            r->res->pmtu = sock_mtu(io->fd, family_of(r));
            probe_close(r, p);
        }
    }
    check_done(r);
}

static int pmtu_start(struct run *r)
{
    int fam = family_of(r);
    int fd = open_sock(fam, SOCK_DGRAM, 0);
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

static int conn_start(struct run *r);

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
    probe_close(r, p);
    if (c->count < r->req->count && !loop_interrupted()) {
        p->done = false;
        if (conn_start(r) < 0) {
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
    int e = so_error(io->fd);
    bool got = read_errqueue(io->fd, &ic) && ic.has;
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
        else if (tcp_connected(io->fd))
            conn_end(r, PATH_C_OPEN, 0, NULL);
        else if (events & (EPOLLERR | EPOLLHUP))
            conn_end(r, PATH_C_UNREACHABLE, EHOSTUNREACH, NULL);
    }
    check_done(r);
}

static void on_conn_deadline(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct run *r = t->arg;
    conn_end(r, r->req->udp ? PATH_C_OPENFILTERED : PATH_C_TIMEOUT, ETIMEDOUT, NULL);
    check_done(r);
}

static int conn_start(struct run *r)
{
    struct probe *p = &r->conn;
    int fd = open_sock(family_of(r), r->req->udp ? SOCK_DGRAM : SOCK_STREAM, 0);
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

/* ---- the run ---- */

static void probes_end(struct run *r)
{
    for (int i = 0; i < r->req->max_hops; i++)
        probe_close(r, &r->hop[i]);
    if (r->pmtu.io.fd >= 0) {
        r->res->pmtu = sock_mtu(r->pmtu.io.fd, family_of(r));
        probe_close(r, &r->pmtu);
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
    check_done(r);
}

static void check_done(struct run *r)
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
    r->conn_deadline = (struct loop_timer){.fn = on_conn_deadline, .arg = r};
    r->window = (struct loop_timer){.fn = on_window, .arg = r};
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
    if (req->connect && conn_start(r) < 0) {
        nk_seterr(err, "path: connect socket: %s", nk_strerror(errno));
        goto out;
    }
    if (req->probes) {
        loop_timer_set(r->l, &r->probe_deadline, (uint64_t)req->timeout_ms);
        if (hop_start(r, &r->hop[0]) < 0) {
            nk_seterr(err, "path: probe socket: %s", nk_strerror(errno));
            goto out;
        }
        r->launched = 1;
        r->next_window = 2 * PATH_WINDOW;
        launch_upto(r, PATH_WINDOW);
        if (pmtu_start(r) < 0) {
            nk_seterr(err, "path: MTU socket: %s", nk_strerror(errno));
            goto out;
        }
    }
    check_done(r);
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
            if (res->hops[i].answered && same_ip(&res->hops[i].from, &r->frag[k].from))
                res->hops[i].mtu = r->frag[k].info;
    rc = 0;
out:
    if (r->l) {
        for (int i = 0; i < PATH_MAX_HOPS; i++)
            probe_close(r, &r->hop[i]);
        probe_close(r, &r->pmtu);
        probe_close(r, &r->conn);
        loop_timer_cancel(r->l, &r->probe_deadline);
        loop_timer_cancel(r->l, &r->conn_deadline);
        loop_timer_cancel(r->l, &r->window);
        loop_free(r->l);
    }
    free(r);
    return rc;
}
