/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_conn.c - the echo data path: one connection's reads and writes, and UDP batches.
 *
 * Level-triggered epoll. A connection is registered for EPOLLIN while it has nothing waiting and
 * for EPOLLOUT only while it does: at most ES_PEND_MAX bytes wait, and a connection is not read
 * until they are gone. A client that never reads therefore stalls in TCP flow control, not in
 * the server's memory.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "echo/echo_worker.h"

/* Reads per readiness event before yielding to other connections (each up to ES_PEND_MAX). */
#define READS_PER_EVENT 4

bool es_udp_drop(const struct sockaddr *src)
{
    int port = net_port(src);
    return port == 7 || port == 19 || port == 0;
}

/* ---- -v events (none of this runs unless w->log) ---- */

static void ev_init(struct es_conn *c, struct es_event *e, enum es_ev kind)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    *e = (struct es_event){
        .kind = kind,
        .time_us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u,
        .fd = c->io.fd,
        .listen_fd = -1,
        .worker = c->w->idx,
        .peer = &c->peer.sa,
        .bytes_in = c->bytes_in,
        .bytes_out = c->bytes_in - c->pend_len,
    };
}

static void ev_emit(const struct es_conn *c, const struct es_event *e)
{
    const struct es_config *cfg = &c->w->srv->cfg;
    cfg->event(cfg->event_arg, e);
}

/* A data event for what moved since the last one (data: the bytes just read, for -vv). */
static void log_data(struct es_conn *c, const unsigned char *data, size_t len)
{
    struct es_event e;
    ev_init(c, &e, ES_EV_DATA);
    if (e.bytes_in == c->log_in && e.bytes_out == c->log_out)
        return;
    e.new_in = e.bytes_in - c->log_in;
    e.new_out = e.bytes_out - c->log_out;
    e.data = data;
    e.len = len;
    c->log_in = e.bytes_in;
    c->log_out = e.bytes_out;
    c->log_ms = loop_now_ms(c->w->loop);
    ev_emit(c, &e);
}

void es_conn_log_tick(struct es_worker *w)
{
    for (struct es_conn *c = w->conns; c; c = c->next)
        log_data(c, NULL, 0);
}

/* After a read of n bytes at buf: -vv logs it at once with its bytes; -v at most once a second
 * per connection (the first at once; the worker's tick reports the rest). */
static void log_read(struct es_conn *c, const char *buf, size_t n)
{
    if (c->w->srv->cfg.verbose >= 2)
        log_data(c, (const unsigned char *)buf, n);
    else if (c->log_ms == 0 || loop_now_ms(c->w->loop) - c->log_ms >= 1000)
        log_data(c, NULL, 0);
}

/* The client half-closed: say so once, with what of its data was not echoed yet. */
static void log_eof(struct es_conn *c)
{
    if (c->eof)
        return;
    c->eof = true;
    log_data(c, NULL, 0);
    struct es_event e;
    ev_init(c, &e, ES_EV_EOF);
    int unread = 0;
    if (ioctl(c->io.fd, FIONREAD, &unread) < 0)
        unread = 0;
    e.in_flight = c->pend_len + (uint64_t)unread;
    ev_emit(c, &e);
}

static void conn_log(struct es_conn *c, enum es_end end)
{
    int error = errno; /* a reset's cause, from the call that failed */
    if (!c->w->log)
        return;
    log_data(c, NULL, 0);
    if (end == ES_END_EOF)
        log_eof(c);
    struct es_event e;
    ev_init(c, &e, end == ES_END_RESET ? ES_EV_RESET : ES_EV_CLOSE);
    e.end = end;
    e.client_first = end == ES_END_EOF;
    e.error = end == ES_END_RESET ? error : 0;
    e.duration_ms = loop_now_ms(c->w->loop) - c->start_ms;
    ev_emit(c, &e);
}

/* The events a connection waits for: EPOLLIN or EPOLLOUT, and with -v the peer's half-close
 * until it is seen (so that it is logged when it happens, even while an echo is blocked). */
static uint32_t conn_mask(const struct es_conn *c, uint32_t base)
{
    return c->w->log && !c->eof ? base | EPOLLRDHUP : base;
}

void es_conn_close(struct es_conn *c, enum es_end end)
{
    struct es_worker *w = c->w;
    conn_log(c, end);
    loop_io_del(w->loop, &c->io);
    loop_timer_cancel(w->loop, &c->idle);
    close(c->io.fd);
    if (c->prev)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    w->nconns--;
    free(c->pend);
    free(c);
    es_conn_released(w);
}

/* Send what waits in pend. 0 (all or some sent, or would block), -1 on a socket error. */
static int conn_flush(struct es_conn *c)
{
    while (c->pend_len > 0) {
        ssize_t m = send(c->io.fd, c->pend + c->pend_off, c->pend_len, MSG_NOSIGNAL);
        if (m < 0) {
            if (errno == EINTR)
                continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        c->pend_off += (uint32_t)m;
        c->pend_len -= (uint32_t)m;
        c->w->n_bytes += (uint64_t)m;
        c->last_ms = loop_now_ms(c->w->loop);
    }
    free(c->pend);
    c->pend = NULL;
    c->pend_off = 0;
    return 0;
}

/* Echo data (n bytes in the worker buffer) now; keep what the socket would not take. 0, -1 on a
 * socket error, 1 when some is kept (the connection then waits for EPOLLOUT). */
static int conn_echo(struct es_conn *c, const char *data, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t m = send(c->io.fd, data + done, n - done, MSG_NOSIGNAL);
        if (m < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                c->w->n_bytes += done;
                return -1;
            }
            break;
        }
        done += (size_t)m;
    }
    c->w->n_bytes += done;
    if (done == n)
        return 0;
    /* n <= ES_PEND_MAX, so this is the bound on what one connection holds. */
    c->pend = malloc(n - done);
    if (!c->pend)
        return -1;
    memcpy(c->pend, data + done, n - done);
    c->pend_off = 0;
    c->pend_len = (uint32_t)(n - done);
    return 1;
}

void es_conn_shutdown(struct es_conn *c)
{
    conn_flush(c);
    es_conn_close(c, ES_END_SHUTDOWN);
}

static void conn_event(struct loop *l, struct loop_io *io, uint32_t events)
{
    struct es_conn *c = (struct es_conn *)io;
    struct es_worker *w = c->w;
    /* errors and hang-ups surface as the result of the read or write below */
    if ((events & EPOLLRDHUP) && w->log) {
        log_eof(c);
        if (loop_io_mod(l, io, conn_mask(c, c->pend_len ? EPOLLOUT : EPOLLIN)) < 0)
            return es_conn_close(c, ES_END_RESET);
    }

    if (c->pend_len > 0) {
        if (conn_flush(c) < 0)
            return es_conn_close(c, ES_END_RESET);
        if (c->pend_len > 0)
            return; /* still blocked: stay on EPOLLOUT */
        if (w->stopping)
            return es_conn_close(c, ES_END_SHUTDOWN);
        if (loop_io_mod(l, io, conn_mask(c, EPOLLIN)) < 0)
            return es_conn_close(c, ES_END_RESET);
        /* Drained: read now rather than wait for another epoll round. */
    }
    for (int i = 0; i < READS_PER_EVENT; i++) {
        ssize_t n = recv(io->fd, w->buf, ES_PEND_MAX, 0);
        if (n > 0) {
            c->bytes_in += (uint64_t)n;
            w->n_in += (uint64_t)n;
            c->last_ms = loop_now_ms(l);
            int r = conn_echo(c, w->buf, (size_t)n);
            if (w->log) {
                int e = errno;
                log_read(c, w->buf, (size_t)n);
                errno = e;
            }
            if (r < 0)
                return es_conn_close(c, ES_END_RESET);
            if (r > 0) {
                /* Backpressure: stop reading until the peer takes its echo. */
                if (loop_io_mod(l, io, conn_mask(c, EPOLLOUT)) < 0)
                    return es_conn_close(c, ES_END_RESET);
                return;
            }
            /* A short read emptied the socket; level-triggered epoll reports any more. */
            if (n < ES_PEND_MAX)
                return;
            continue;
        }
        if (n == 0) /* half-close, with the whole echo already sent */
            return es_conn_close(c, ES_END_EOF);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return;
        return es_conn_close(c, ES_END_RESET);
    }
}

static void idle_fire(struct loop *l, struct loop_timer *t)
{
    struct es_conn *c = t->arg;
    uint64_t limit = (uint64_t)c->w->srv->cfg.idle_timeout_s * 1000u;
    uint64_t quiet = loop_now_ms(l) - c->last_ms;
    if (quiet >= limit)
        return es_conn_close(c, ES_END_IDLE);
    /* Traffic moved since the timer was armed: check again when the quiet period could end.
     * (Re-arming on every read would cost a heap update per message.) */
    loop_timer_set(l, t, limit - quiet);
}

void es_conn_accepted(struct es_worker *w, int fd, int listen_fd, const struct sockaddr *peer,
                      socklen_t plen)
{
    struct es_conn *c = calloc(1, sizeof(*c));
    if (!c) {
        close(fd);
        es_conn_released(w);
        return;
    }
    c->w = w;
    c->io.fd = fd;
    c->io.fn = conn_event;
    c->io.arg = c;
    c->idle.fn = idle_fire;
    c->idle.arg = c;
    c->start_ms = c->last_ms = loop_now_ms(w->loop);
    if (peer->sa_family == AF_INET || peer->sa_family == AF_INET6) {
        memcpy(&c->peer, peer, plen < sizeof(c->peer) ? plen : sizeof(c->peer));
        int one = 1; /* echoes are small and answer a request: never hold them back */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    } else {
        c->peer.sa.sa_family = AF_UNIX;
    }
    if (loop_io_add(w->loop, &c->io, conn_mask(c, EPOLLIN)) < 0) {
        close(fd);
        free(c);
        es_conn_released(w);
        return;
    }
    c->next = w->conns;
    if (w->conns)
        w->conns->prev = c;
    w->conns = c;
    w->nconns++;
    w->n_conns++;
    if (w->srv->cfg.idle_timeout_s > 0)
        loop_timer_set(w->loop, &c->idle, (uint64_t)w->srv->cfg.idle_timeout_s * 1000u);
    if (w->log) {
        struct es_event e;
        struct sockaddr_storage local;
        socklen_t llen = sizeof(local);
        ev_init(c, &e, ES_EV_ACCEPT);
        e.listen_fd = listen_fd;
        if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
            e.local = (struct sockaddr *)&local;
        ev_emit(c, &e);
    }
}

/* ---- UDP ---- */

int es_udp_init(struct es_worker *w)
{
    w->msgs = calloc(ES_UDP_BATCH, sizeof(*w->msgs));
    w->iov = calloc(ES_UDP_BATCH, sizeof(*w->iov));
    w->names = calloc(ES_UDP_BATCH, sizeof(*w->names));
    /* Untouched pages cost no RSS: small datagrams only ever touch each slot's first page. */
    w->ubuf = malloc((size_t)ES_UDP_BATCH * ES_UDP_SLOT);
    if (!w->msgs || !w->iov || !w->names || !w->ubuf)
        return -1;
    return 0;
}

void es_udp_free(struct es_worker *w)
{
    free(w->msgs);
    free(w->iov);
    free(w->names);
    free(w->ubuf);
}

/* Echo one batch of datagrams received on fd. Returns how many were received, -1 on error. */
static int udp_batch(struct es_worker *w, int fd)
{
    for (int i = 0; i < ES_UDP_BATCH; i++) {
        w->iov[i] = (struct iovec){w->ubuf + (size_t)i * ES_UDP_SLOT, ES_UDP_SLOT};
        w->msgs[i].msg_hdr = (struct msghdr){
            .msg_name = &w->names[i],
            .msg_namelen = sizeof(w->names[i]),
            .msg_iov = &w->iov[i],
            .msg_iovlen = 1,
        };
    }
    int n = recvmmsg(fd, w->msgs, ES_UDP_BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0)
        return n;
    /* Compact the ones to answer to the front, each iov trimmed to the datagram's size. */
    int k = 0;
    for (int i = 0; i < n; i++) {
        struct msghdr *h = &w->msgs[i].msg_hdr;
        if (es_udp_drop(h->msg_name) || (h->msg_flags & MSG_TRUNC)) {
            w->n_dropped++;
            continue;
        }
        w->iov[i].iov_len = w->msgs[i].msg_len;
        if (k != i)
            w->msgs[k] = w->msgs[i];
        k++;
    }
    int sent = 0;
    while (sent < k) {
        int m = sendmmsg(fd, w->msgs + sent, (unsigned)(k - sent), MSG_DONTWAIT);
        if (m < 0) {
            if (errno == EINTR)
                continue;
            /* A full send buffer or an unreachable peer: UDP may lose it; skip that one. */
            sent++;
            continue;
        }
        for (int i = sent; i < sent + m; i++) {
            w->n_bytes += w->msgs[i].msg_len;
            w->n_dgrams++;
        }
        sent += m;
    }
    return n;
}

void es_udp_event(struct loop *l, struct loop_io *io, uint32_t events)
{
    struct es_worker *w = io->arg;
    (void)l;
    (void)events;
    /* A few batches, then let TCP connections have their turn. */
    for (int i = 0; i < 4; i++)
        if (udp_batch(w, io->fd) < ES_UDP_BATCH)
            break;
}
