/* SPDX-License-Identifier: GPL-3.0-or-later */
/* path_hops.c - the hop probes of path_run (path.c).
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
#include <sys/epoll.h>
#include <unistd.h>

#include "path/path_int.h"

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
    if (path_same_ip(from, &r->req->dst))
        dest = true;
    h->dest = dest;
    path_probe_close(r, p);
    if (h->rtt_ms > r->max_rtt_ms)
        r->max_rtt_ms = h->rtt_ms;
    bool ends = dest || !ic || path_icmp_classify(ic->family, ic->type, ic->code) != PATH_ICMP_TTL;
    if (ends && (r->end_ttl == 0 || p->ttl < r->end_ttl)) {
        r->end_ttl = p->ttl;
        for (int i = p->ttl; i < r->req->max_hops; i++)
            path_probe_close(r, &r->hop[i]); /* beyond the end: not needed */
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
    int e = path_so_error(io->fd);
    if (path_read_errqueue(io->fd, &ic) && ic.has) {
        hop_answer(r, p, &ic.from, &ic, false);
    } else if (!r->req->udp) {
        if (e == ECONNREFUSED || (e == 0 && path_tcp_connected(io->fd)))
            hop_answer(r, p, &r->req->dst, NULL, true); /* SYN-ACK or RST: the destination */
        else if (e != 0 || (events & (EPOLLERR | EPOLLHUP)))
            path_probe_close(r, p); /* a local error: nothing more will come */
    } else {
        char b[512];
        if ((events & EPOLLIN) && recv(io->fd, b, sizeof(b), MSG_DONTWAIT) >= 0)
            hop_answer(r, p, &r->req->dst, NULL, true);
        else if (e != 0 || (events & EPOLLERR))
            path_probe_close(r, p); /* a local error: nothing more will come */
    }
    path_check_done(r);
}

/* Start the probe of one TTL. 0, or -1 with errno. */
int path_hop_start(struct run *r, struct probe *p)
{
    int type = r->req->udp ? SOCK_DGRAM : SOCK_STREAM;
    int fd = path_open_sock(family_of(r), type, p->ttl);
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
void path_launch_upto(struct run *r, int n)
{
    if (n > r->req->max_hops)
        n = r->req->max_hops;
    if (n <= r->launched || r->probes_done)
        return;
    for (; r->launched < n; r->launched++) {
        struct probe *p = &r->hop[r->launched];
        if (path_hop_start(r, p) < 0) {
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
    path_launch_upto(r, r->launched + n);
}

void path_on_window(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct run *r = t->arg;
    if (!r->end_ttl)
        open_window(r);
}
