/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_udp.c - echo-connect -u --bench: the UDP side of the load generator (see bench.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "echo/bench_int.h"
#include "lib/err.h"
#include "lib/hist.h"
#include "lib/net.h"

/* ---- UDP: a connected datagram socket per connection ----
 *
 * A datagram is a 4-byte sequence number then size - 4 bytes of the pool. Its slot is
 * seq % pipeline; an echo must match that slot's sequence number and bytes. A slot unanswered
 * for timeout_ms is a lost datagram (counted, not an error); a late echo of one is ignored. */

static void udp_record(struct conn *c, struct slot *sl, uint64_t t)
{
    struct worker *w = c->w;
    hist_record(w->hist, t > sl->sent_ns ? t - sl->sent_ns : 0);
    w->messages++;
    w->bytes += w->o->size;
    sl->seq = 0;
    c->q_len--;
}

static void udp_done_check(struct conn *c)
{
    if (c->state == C_OPEN && c->q_len == 0 && (c->quota == 0 || c->w->sending_done))
        bench_conn_close(c);
}

/* Send the datagrams the pipeline (and, open loop, the schedule) allows. */
void bench_udp_fill(struct conn *c, uint64_t t)
{
    struct worker *w = c->w;
    unsigned k = w->o->pipeline;
    size_t size = w->o->size;
    while (c->state == C_OPEN && !w->sending_done && c->quota > 0 && c->q_len < k) {
        uint32_t seq = c->next_seq ? c->next_seq : 1;
        struct slot *sl = &c->q[seq % k];
        if (sl->seq)
            break; /* an older datagram still holds this slot: wait for its echo or its loss */
        uint64_t due = t;
        if (w->interval_ns && due_now(c, t, 1, &due) == 0)
            break;
        uint32_t off = (uint32_t)(((xorshift(&w->rng) >> 32) * (w->pool_size - size + 1)) >> 32);
        unsigned char hdr[4];
        memcpy(hdr, &seq, 4);
        struct iovec iov[2] = {{hdr, 4}, {w->pool + off, size - 4}};
        struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 2};
        if (sendmsg(c->io.fd, &mh, MSG_DONTWAIT) < 0) {
            if (w->interval_ns)
                c->next_due -= w->interval_ns; /* not sent: still due */
            if (errno == EAGAIN || errno == ENOBUFS) {
                loop_io_mod(w->loop, &c->io, EPOLLIN | EPOLLOUT);
                return;
            }
            if (errno == ECONNREFUSED) {
                bench_conn_fail(c, BENCH_E_REFUSED, "port unreachable (no UDP echo server there)");
                return;
            }
            bench_sock_fail(c, errno, "send");
            return;
        }
        *sl = (struct slot){.sent_ns = due, .off = off, .seq = seq};
        c->next_seq = seq + 1 ? seq + 1 : 1;
        c->q_len++;
        if (c->quota != UINT64_MAX)
            c->quota--;
    }
    if (c->state == C_OPEN)
        loop_io_mod(w->loop, &c->io, EPOLLIN);
    udp_done_check(c);
}

static void on_udp(struct loop *l, struct loop_io *io, uint32_t ev)
{
    struct conn *c = io->arg;
    struct worker *w = c->w;
    size_t size = w->o->size;
    (void)l;
    (void)ev;
    if (c->state != C_OPEN)
        return;
    uint64_t t = 0;
    for (int i = 0; i < 64; i++) {
        ssize_t n = recv(io->fd, w->rx, RX_BUF, MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                break;
            if (errno == ECONNREFUSED) {
                bench_conn_fail(c, BENCH_E_REFUSED, "port unreachable (no UDP echo server there)");
                return;
            }
            bench_sock_fail(c, errno, "receive");
            return;
        }
        if (!t)
            t = now_ns();
        uint32_t seq;
        if ((size_t)n < 4)
            goto bad;
        memcpy(&seq, w->rx, 4);
        struct slot *sl = &c->q[seq % w->o->pipeline];
        if (!seq || sl->seq != seq)
            continue; /* the echo of a datagram already counted lost, or a duplicate */
        if ((size_t)n != size || memcmp(w->pool + sl->off, w->rx + 4, size - 4) != 0)
            goto bad;
        udp_record(c, sl, t);
        c->since_ms = t / 1000000u;
    }
    bench_udp_fill(c, t ? t : now_ns());
    return;
bad:
    bench_conn_fail(c, BENCH_E_MISMATCH, "an echoed datagram differs from the one sent");
}

/* Datagrams unanswered for timeout_ms are lost: count them and free their slots. */
void bench_udp_expire(struct conn *c, uint64_t now)
{
    struct worker *w = c->w;
    uint64_t limit = (uint64_t)w->o->timeout_ms * 1000000u;
    bool freed = false;
    for (unsigned i = 0; i < w->o->pipeline && c->q_len; i++) {
        struct slot *sl = &c->q[i];
        if (sl->seq && sl->sent_ns + limit <= now) {
            sl->seq = 0;
            c->q_len--;
            w->lost++;
            freed = true;
        }
    }
    if (freed)
        bench_udp_fill(c, now);
    else
        udp_done_check(c);
}

void bench_udp_open(struct worker *w, struct conn *c)
{
    char err[NK_ERRLEN];
    w->live++;
    int fd = net_connect_nb(&w->o->addr, SOCK_DGRAM, err);
    c->io = (struct loop_io){.fd = fd, .fn = on_udp, .arg = c};
    if (fd < 0 || loop_io_add(w->loop, &c->io, EPOLLIN) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        c->state = C_DONE;
        w->live--;
        w->err_by_kind[bench_errno_kind(e)]++;
        if (!w->first_error[0]) {
            snprintf(w->first_error, sizeof(w->first_error), "socket: %s", nk_strerror(e));
            w->first_error_ns = now_ns();
        }
        return;
    }
    bench_conn_opened(c);
    bench_udp_fill(c, c->next_due);
}
