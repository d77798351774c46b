/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench.c - the load generator behind echo-connect --bench (see bench.h).
 *
 * Each worker thread owns a loop, its connections (an array, never freed before the end, so a
 * closed connection's late event is harmless), a pool of random bytes that messages are slices
 * of, and a histogram. A connection keeps a small queue of the messages in flight (their pool
 * offset and send time); echoed bytes are compared as they arrive against the head message, so
 * verification costs one memcmp per read and no copy.
 *
 * The per-message path is kept to what the kernel needs: one recv, one send, one clock read per
 * event. Messages queued together are adjacent slices of the pool, so they are sent straight
 * from it (no copy, no send buffer per connection, whatever the pipeline); timeouts are found by
 * a coarse watchdog rather than a timer per message. UDP runs are in bench_udp.c. */
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "echo/bench.h"
#include "echo/bench_int.h"
#include "echo/echo_client.h"
#include "lib/limits.h"
#include "lib/loop.h"

/* Random bytes per worker that payloads are cut from (at least twice the message size). Small
 * enough to stay in cache between the reads that send and verify it: a 256 KiB pool made the
 * verifying memcmp 1.2% of the CPU time at 1000 connections (cache misses), 16 KiB 0.3%. Any
 * slice of it still differs from its neighbours, so a misplaced or corrupted echo is caught. */
#define POOL_MIN (16 * 1024)
/* How often the watchdog looks for overdue connects and echoes. */
#define WATCH_MS 50
/* Descriptors kept free besides the connections (stdio, loops, eventfds, c-ares). */
#define FD_SPARE 64

const char *const bench_err_names[BENCH_E_KINDS] = {"mismatch", "reset",  "timeout",
                                                    "refused",  "closed", "other"};

static void publish(struct worker *w)
{
    uint64_t e = 0;
    for (int k = 0; k < BENCH_E_KINDS; k++)
        e += w->err_by_kind[k];
    __atomic_store_n(&w->pub_messages, w->messages, __ATOMIC_RELAXED);
    __atomic_store_n(&w->pub_errors, e, __ATOMIC_RELAXED);
    __atomic_store_n(&w->pub_connected, w->connected, __ATOMIC_RELAXED);
}

static void maybe_finish(struct worker *w)
{
    if (w->live == 0 && (w->opened == w->nconns || w->sending_done)) {
        w->end_ns = now_ns();
        publish(w);
        loop_stop(w->loop);
    }
}

void bench_conn_close(struct conn *c)
{
    struct worker *w = c->w;
    if (c->state == C_DONE || c->state == C_IDLE)
        return;
    if (c->state == C_OPEN)
        w->connected--;
    loop_io_del(w->loop, &c->io);
    close(c->io.fd);
    c->io.fd = -1;
    c->state = C_DONE;
    w->live--;
    maybe_finish(w);
}

void bench_conn_fail(struct conn *c, enum bench_err kind, const char *fmt, ...)
{
    struct worker *w = c->w;
    w->err_by_kind[kind]++;
    if (!w->first_error[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->first_error, sizeof(w->first_error), fmt, ap);
        va_end(ap);
        w->first_error_ns = now_ns();
    }
    bench_conn_close(c);
}

void bench_conn_opened(struct conn *c)
{
    struct worker *w = c->w;
    c->state = C_OPEN;
    w->connected++;
    w->established++;
    c->next_due = now_ns();
    if (!w->sched_start_ns || c->next_due < w->sched_start_ns)
        w->sched_start_ns = c->next_due;
}

enum bench_err bench_errno_kind(int e)
{
    switch (e) {
    case ECONNREFUSED: return BENCH_E_REFUSED;
    case ECONNRESET:
    case EPIPE: return BENCH_E_RESET;
    case ETIMEDOUT: return BENCH_E_TIMEOUT;
    default: return BENCH_E_OTHER;
    }
}

void bench_sock_fail(struct conn *c, int e, const char *what)
{
    bench_conn_fail(c, bench_errno_kind(e), "%s: %s", what, nk_strerror(e));
}

/* Queue up to n new messages, sent at t, as adjacent slices of the pool starting at a random
 * offset: together they are one contiguous run of bytes for send. */
static void conn_queue(struct conn *c, unsigned n, uint64_t t, uint64_t step)
{
    struct worker *w = c->w;
    size_t size = w->o->size;
    unsigned k = w->o->pipeline;
    if (n > w->batch_max)
        n = w->batch_max;
    if (c->quota < n)
        n = (unsigned)c->quota;
    /* A uniform start in [0, pool_size - n*size] by multiply-shift (no division): the range
     * is below 2^32. */
    uint64_t range = w->pool_size - (size_t)n * size + 1;
    uint32_t off = (uint32_t)(((xorshift(&w->rng) >> 32) * range) >> 32);
    unsigned slot = c->q_head + c->q_len;
    if (slot >= k)
        slot -= k;
    for (unsigned j = 0; j < n; j++) {
        c->q[slot] = (struct slot){.sent_ns = t + j * step, .off = off + (uint32_t)(j * size)};
        if (++slot == k)
            slot = 0;
    }
    if (c->q_len == 0)
        c->since_ms = (step ? now_ns() : t) / 1000000u;
    c->q_len += n;
    if (c->quota != UINT64_MAX)
        c->quota -= n;
    c->tx = w->pool + off;
    c->tx_left = (size_t)n * size;
}

/* Push queued bytes to the socket, queueing new messages (sent at t) as the pipeline allows
 * whenever the socket has taken everything. */
static void conn_fill_and_send(struct conn *c, uint64_t t)
{
    struct worker *w = c->w;
    unsigned k = w->o->pipeline;
    for (;;) {
        if (c->tx_left == 0) {
            if (c->q_len >= k || w->sending_done || c->quota == 0)
                break;
            if (w->interval_ns) {
                unsigned room = k - c->q_len, n;
                uint64_t first;
                if (room > w->batch_max)
                    room = w->batch_max;
                if (c->quota < room)
                    room = (unsigned)c->quota;
                n = due_now(c, t, room, &first);
                if (n == 0)
                    break;
                conn_queue(c, n, first, w->interval_ns);
            } else {
                conn_queue(c, k - c->q_len, t, 0);
            }
        }
        ssize_t n = send(c->io.fd, c->tx, c->tx_left, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) {
                bench_sock_fail(c, errno, "send");
                return;
            }
            break; /* EPOLLOUT brings us back */
        }
        c->tx += n;
        c->tx_left -= (size_t)n;
        if (c->tx_left > 0 || c->q_len >= k)
            break; /* the socket is full, or the pipeline is */
    }
    /* Nothing in flight and nothing more to send: this one is done. (Open loop: nothing in
     * flight may only mean the next message is not due yet.) */
    if (c->q_len == 0 && (!w->interval_ns || w->sending_done || c->quota == 0)) {
        bench_conn_close(c);
        return;
    }
    loop_io_mod(w->loop, &c->io, c->tx_left ? EPOLLIN | EPOLLOUT : EPOLLIN);
}

/* Check received bytes against the in-flight messages; false after a failure. */
static bool conn_verify(struct conn *c, const unsigned char *d, size_t n, uint64_t t)
{
    struct worker *w = c->w;
    size_t size = w->o->size;
    unsigned k = w->o->pipeline;
    while (n > 0) {
        if (c->q_len == 0) {
            bench_conn_fail(c, BENCH_E_MISMATCH, "the server sent %zu bytes more than it was sent",
                            n);
            return false;
        }
        struct slot *head = &c->q[c->q_head];
        const unsigned char *want = w->pool + head->off + c->rx_pos;
        size_t m = size - c->rx_pos < n ? size - c->rx_pos : n;
        if (memcmp(want, d, m) != 0) {
            size_t i = 0;
            while (want[i] == d[i])
                i++;
            bench_conn_fail(c, BENCH_E_MISMATCH,
                            "echo differs at byte %zu of a message: sent 0x%02x, received 0x%02x",
                            c->rx_pos + i, want[i], d[i]);
            return false;
        }
        c->rx_pos += m;
        d += m;
        n -= m;
        if (c->rx_pos == size) {
            hist_record(w->hist, t - head->sent_ns);
            w->messages++;
            w->bytes += size;
            c->rx_pos = 0;
            if (++c->q_head == k)
                c->q_head = 0;
            c->q_len--;
            c->since_ms = t / 1000000u;
        }
    }
    return true;
}

static void on_conn(struct loop *l, struct loop_io *io, uint32_t ev)
{
    struct conn *c = io->arg;
    struct worker *w = c->w;
    (void)l;
    if (c->state == C_CONNECTING) {
        int soerr = 0;
        socklen_t sl = sizeof(soerr);
        if (getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
            soerr = errno;
        if (soerr) {
            bench_sock_fail(c, soerr, "connect");
            return;
        }
        if (!(ev & EPOLLOUT))
            return;
        bench_conn_opened(c);
        if (w->o->addr.ss.ss_family != AF_UNIX) {
            int one = 1; /* small messages go out now, not after an ACK (Nagle) */
            setsockopt(io->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        }
        conn_fill_and_send(c, now_ns());
        return;
    }
    if (c->state != C_OPEN)
        return;
    /* One clock read per event: it times the echoes just read and the messages sent in
     * their place a few hundred nanoseconds later. */
    uint64_t t = 0;
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        ssize_t n = recv(io->fd, w->rx, RX_BUF, 0);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR)
                bench_sock_fail(c, errno, "receive");
            return;
        }
        if (n == 0) {
            if (c->q_len > 0)
                bench_conn_fail(c, BENCH_E_CLOSED,
                                "the server closed the connection with %u "
                                "messages in flight",
                                c->q_len);
            else
                bench_conn_close(c);
            return;
        }
        t = now_ns();
        if (!conn_verify(c, w->rx, (size_t)n, t))
            return;
    }
    conn_fill_and_send(c, t ? t : now_ns());
}

static void conn_open(struct worker *w, struct conn *c)
{
    if (w->o->udp)
        return bench_udp_open(w, c);
    char err[NK_ERRLEN];
    w->live++;
    c->since_ms = loop_now_ms(w->loop);
    int fd = net_connect_nb(&w->o->addr, SOCK_STREAM, err);
    c->io = (struct loop_io){.fd = fd, .fn = on_conn, .arg = c};
    c->state = C_CONNECTING;
    if (fd < 0) { /* refused at once (Unix sockets), or no local port left */
        int e = errno;
        c->state = C_DONE;
        w->live--;
        w->err_by_kind[bench_errno_kind(e)]++;
        if (!w->first_error[0]) {
            snprintf(w->first_error, sizeof(w->first_error), "connect: %.200s", err);
            w->first_error_ns = now_ns();
        }
        return;
    }
    if (loop_io_add(w->loop, &c->io, EPOLLOUT) < 0) {
        int e = errno;
        close(fd);
        c->state = C_DONE;
        w->live--;
        w->err_by_kind[BENCH_E_OTHER]++;
        if (!w->first_error[0])
            snprintf(w->first_error, sizeof(w->first_error), "epoll: %s", nk_strerror(e));
    }
}

/* Open the connections the rate allows by now. */
static void on_open_timer(struct loop *l, struct loop_timer *t)
{
    struct worker *w = t->arg;
    uint64_t elapsed = loop_now_ms(l) - w->start_ms;
    double allowed = 1.0 + w->rate * (double)elapsed;
    unsigned want = allowed >= w->nconns ? w->nconns : (unsigned)allowed;
    while (w->opened < want && !w->sending_done)
        conn_open(w, &w->conns[w->opened++]);
    if (w->opened < w->nconns && !w->sending_done)
        loop_timer_set(l, t, 1);
    else
        maybe_finish(w);
}

/* Overdue connects and echoes fail as timeouts. */
static void on_watch_timer(struct loop *l, struct loop_timer *t)
{
    struct worker *w = t->arg;
    uint64_t now = loop_now_ms(l);
    int timeout = w->o->timeout_ms;
    for (unsigned i = 0; i < w->opened; i++) {
        struct conn *c = &w->conns[i];
        /* since_ms may be a little ahead of the loop's cached clock: compare without wrapping */
        bool overdue = c->since_ms + (uint64_t)timeout <= now;
        if (c->state == C_CONNECTING && overdue)
            bench_conn_fail(c, BENCH_E_TIMEOUT, "connect: no answer within %d ms", timeout);
        else if (c->state == C_OPEN && w->o->udp)
            bench_udp_expire(c, now_ns());
        else if (c->state == C_OPEN && c->q_len > 0 && overdue)
            bench_conn_fail(c, BENCH_E_TIMEOUT, "no echo within %d ms", timeout);
        else if (c->state == C_OPEN && c->q_len == 0 && w->sending_done)
            bench_conn_close(c);
    }
    publish(w);
    maybe_finish(w);
    loop_timer_set(l, t, WATCH_MS);
}

/* Open loop: send what is due on every connection that waits for its schedule, then sleep
 * until the next due time (the timer's millisecond granularity makes a message up to a
 * millisecond late at worst; its latency counts that). */
static void on_sched_timer(struct loop *l, struct loop_timer *t)
{
    struct worker *w = t->arg;
    if (w->sending_done)
        return;
    uint64_t now = now_ns(), next = UINT64_MAX;
    for (unsigned i = 0; i < w->opened; i++) {
        struct conn *c = &w->conns[i];
        if (c->state != C_OPEN || c->quota == 0)
            continue;
        if (c->tx_left == 0 && c->q_len < w->o->pipeline && c->next_due <= now) {
            if (w->o->udp)
                bench_udp_fill(c, now);
            else
                conn_fill_and_send(c, now);
        }
        if (c->state == C_OPEN && c->quota && c->next_due < next)
            next = c->next_due;
    }
    uint64_t ms = 1;
    if (next != UINT64_MAX && next > now)
        ms = (next - now + 999999u) / 1000000u;
    if (w->opened < w->nconns || w->live > 0) /* connecting ones will need it too */
        loop_timer_set(l, t, ms);
}

/* --duration is over: no new messages; in-flight ones still count. */
static void on_end_timer(struct loop *l, struct loop_timer *t)
{
    struct worker *w = t->arg;
    (void)l;
    w->sending_done = true;
    for (unsigned i = 0; i < w->opened; i++)
        if (w->conns[i].state == C_OPEN && w->conns[i].q_len == 0)
            bench_conn_close(&w->conns[i]);
    maybe_finish(w);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    loop_update_time(w->loop);
    w->start_ms = loop_now_ms(w->loop);
    w->open_tm = (struct loop_timer){.fn = on_open_timer, .arg = w};
    w->watch_tm = (struct loop_timer){.fn = on_watch_timer, .arg = w};
    w->end_tm = (struct loop_timer){.fn = on_end_timer, .arg = w};
    w->sched_tm = (struct loop_timer){.fn = on_sched_timer, .arg = w};
    if (w->interval_ns)
        loop_timer_set(w->loop, &w->sched_tm, 1);
    loop_timer_set(w->loop, &w->open_tm, 0);
    loop_timer_set(w->loop, &w->watch_tm, WATCH_MS);
    if (w->o->duration_ms)
        loop_timer_set(w->loop, &w->end_tm, w->o->duration_ms);
    /* It returns when the work is done, on bench_stop, or with EINTR on an interrupt (Ctrl-C:
     * loop_interrupt_all wakes every worker's loop). */
    if (loop_run(w->loop) < 0 && errno == EINTR)
        __atomic_store_n(&w->b->interrupted, 1, __ATOMIC_RELAXED);
    /* Whatever is still open (stopped early) is closed now, counted as nothing. */
    for (unsigned i = 0; i < w->opened; i++)
        if (w->conns[i].state == C_CONNECTING || w->conns[i].state == C_OPEN)
            bench_conn_close(&w->conns[i]);
    if (!w->end_ns)
        w->end_ns = now_ns();
    publish(w);
    struct bench *b = w->b;
    pthread_mutex_lock(&b->mu);
    b->running--;
    pthread_cond_signal(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static int worker_init(struct worker *w, struct bench *b, unsigned idx, char err[NK_ERRLEN])
{
    const struct bench_opts *o = &b->o;
    w->b = b;
    w->o = o;
    w->nconns = o->connections / b->nw + (idx < o->connections % b->nw);
    w->rate = (double)o->connect_rate / 1000.0 / b->nw;
    if (o->rate) /* every connection sends rate / connections messages a second */
        w->interval_ns = (uint64_t)((double)o->connections * 1e9 / (double)o->rate);
    if (o->rate && w->interval_ns == 0)
        w->interval_ns = 1;
    /* --count is shared out: each worker, then each of its connections, gets an equal part. */
    uint64_t share = o->count / b->nw + (idx < o->count % b->nw);
    w->pool_size = o->size * 2 > POOL_MIN ? o->size * 2 : POOL_MIN;
    w->batch_max = (unsigned)(w->pool_size / o->size);
    w->rng = (o->seed ? o->seed : now_ns()) * 2654435761u + idx * 0x9e3779b97f4a7c15u + 1;
    w->loop = loop_new();
    w->conns = calloc(w->nconns, sizeof(*w->conns));
    w->pool = malloc(w->pool_size);
    w->rx = malloc(RX_BUF);
    w->hist = malloc(sizeof(*w->hist));
    w->slots = calloc((size_t)w->nconns * o->pipeline, sizeof(*w->slots));
    if (!w->loop || !w->conns || !w->pool || !w->rx || !w->hist || !w->slots)
        return nk_seterr(err, "out of memory for %u connections", o->connections);
    hist_init(w->hist);
    /* Eight bytes per step: this runs before every bench, however short. */
    for (size_t i = 0; i < w->pool_size; i += 8) {
        uint64_t r = xorshift(&w->rng);
        size_t m = w->pool_size - i < 8 ? w->pool_size - i : 8;
        memcpy(w->pool + i, &r, m);
    }
    for (unsigned i = 0; i < w->nconns; i++) {
        struct conn *c = &w->conns[i];
        c->w = w;
        c->io.fd = -1;
        c->quota = o->count ? share / w->nconns + (i < share % w->nconns) : UINT64_MAX;
        if (o->count && o->rate) { /* open loop: every connection sends at the same rate, so
                                      each gets the same share of the count */
            uint64_t g = (uint64_t)idx * (o->connections / b->nw) +
                         (idx < o->connections % b->nw ? idx : o->connections % b->nw) + i;
            c->quota = o->count / o->connections + (g < o->count % o->connections);
        }
        c->q = w->slots + (size_t)i * o->pipeline;
    }
    return 0;
}

static void worker_free(struct worker *w)
{
    free(w->slots);
    free(w->conns);
    free(w->pool);
    free(w->rx);
    free(w->hist);
    loop_free(w->loop);
}

static void bench_free(struct bench *b)
{
    for (unsigned i = 0; i < b->nw; i++)
        worker_free(&b->w[i]);
    free(b->w);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}

struct bench *bench_start(const struct bench_opts *o, char err[NK_ERRLEN])
{
    struct bench *b = calloc(1, sizeof(*b));
    if (!b) {
        nk_seterr(err, "out of memory");
        return NULL;
    }
    b->o = *o;
    if (b->o.pipeline == 0)
        b->o.pipeline = 1;
    b->nw = o->threads ? o->threads : 1;
    if (b->nw > o->connections)
        b->nw = o->connections;
    pthread_mutex_init(&b->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&b->cv, &ca);
    pthread_condattr_destroy(&ca);
    b->w = calloc(b->nw, sizeof(*b->w));
    if (!b->w) {
        nk_seterr(err, "out of memory");
        bench_free(b);
        return NULL;
    }
    for (unsigned i = 0; i < b->nw; i++)
        if (worker_init(&b->w[i], b, i, err) < 0) {
            b->nw = i + 1;
            bench_free(b);
            return NULL;
        }
    b->start_ns = now_ns();
    b->running = b->nw;
    for (unsigned i = 0; i < b->nw; i++) {
        int e = pthread_create(&b->w[i].th, NULL, worker_main, &b->w[i]);
        if (e) {
            nk_seterr(err, "thread: %s", nk_strerror(e));
            pthread_mutex_lock(&b->mu);
            b->running -= b->nw - i;
            pthread_mutex_unlock(&b->mu);
            bench_stop(b);
            break;
        }
        b->started++;
    }
    if (b->started < b->nw) {
        for (unsigned i = 0; i < b->started; i++)
            pthread_join(b->w[i].th, NULL);
        bench_free(b);
        return NULL;
    }
    return b;
}

bool bench_wait(struct bench *b, int ms)
{
    if (ms < 0) {
        pthread_mutex_lock(&b->mu);
        while (b->running > 0)
            pthread_cond_wait(&b->cv, &b->mu);
        pthread_mutex_unlock(&b->mu);
        return true;
    }
    struct timespec ts = loop_deadline_ts(ms);
    pthread_mutex_lock(&b->mu);
    while (b->running > 0)
        if (pthread_cond_timedwait(&b->cv, &b->mu, &ts) == ETIMEDOUT)
            break;
    bool done = b->running == 0;
    pthread_mutex_unlock(&b->mu);
    return done;
}

void bench_progress(struct bench *b, struct bench_progress *p)
{
    memset(p, 0, sizeof(*p));
    for (unsigned i = 0; i < b->nw; i++) {
        p->messages += __atomic_load_n(&b->w[i].pub_messages, __ATOMIC_RELAXED);
        p->errors += __atomic_load_n(&b->w[i].pub_errors, __ATOMIC_RELAXED);
        p->connected += __atomic_load_n(&b->w[i].pub_connected, __ATOMIC_RELAXED);
    }
}

void bench_stop(struct bench *b)
{
    for (unsigned i = 0; i < b->nw; i++)
        if (b->w[i].loop)
            loop_stop(b->w[i].loop);
}

void bench_finish(struct bench *b, struct bench_result *r)
{
    memset(r, 0, sizeof(*r));
    r->latency = malloc(sizeof(*r->latency));
    if (r->latency)
        hist_init(r->latency);
    uint64_t end = b->start_ns, first_ns = UINT64_MAX, sched = 0;
    for (unsigned i = 0; i < b->nw; i++) {
        struct worker *w = &b->w[i];
        pthread_join(w->th, NULL);
        r->connections += w->established;
        r->messages += w->messages;
        r->bytes += w->bytes;
        for (int k = 0; k < BENCH_E_KINDS; k++) {
            r->err_by_kind[k] += w->err_by_kind[k];
            r->errors += w->err_by_kind[k];
        }
        if (r->latency)
            hist_merge(r->latency, w->hist);
        if (w->end_ns > end)
            end = w->end_ns;
        if (w->sched_start_ns && (!sched || w->sched_start_ns < sched))
            sched = w->sched_start_ns;
        if (w->behind_max_ns / 1000u > r->behind_max_us)
            r->behind_max_us = w->behind_max_ns / 1000u;
        r->late += w->late;
        r->lost += w->lost;
        if (w->first_error[0] && w->first_error_ns < first_ns) {
            first_ns = w->first_error_ns;
            snprintf(r->first_error, sizeof(r->first_error), "%s", w->first_error);
        }
    }
    r->elapsed_s = (double)(end - b->start_ns) / 1e9;
    uint64_t from = sched ? sched : b->start_ns;
    r->achieved_rate = end > from ? (double)r->messages / ((double)(end - from) / 1e9) : 0;
    r->interrupted = __atomic_load_n(&b->interrupted, __ATOMIC_RELAXED) != 0;
    bench_free(b);
}

void bench_result_free(struct bench_result *r)
{
    free(r->latency);
    r->latency = NULL;
}

/* Every connection to one address and port needs its own local port. */
static int ports_check(const struct bench_opts *o, char err[NK_ERRLEN])
{
    int lo, hi;
    char e2[NK_ERRLEN];
    if (net_ephemeral_range(NET_RANGE_FILE, &lo, &hi, e2) < 0)
        return 0; /* an unreadable range is the kernel's business; connect will tell */
    unsigned ports = (unsigned)(hi - lo + 1);
    if (o->connections > ports)
        return nk_seterr(err,
                         "%u connections to one address need as many local ports, but the "
                         "ephemeral range %d-%d has %u (sysctl net.ipv4.ip_local_port_range)",
                         o->connections, lo, hi, ports);
    return 0;
}

int bench_preflight(const struct bench_opts *o, char err[NK_ERRLEN])
{
    if (o->addr.ss.ss_family != AF_UNIX && ports_check(o, err) < 0)
        return -1;
    long limit = nk_raise_nofile();
    if ((long)o->connections + FD_SPARE > limit)
        return nk_seterr(err,
                         "%u connections need about %u file descriptors, but the limit is %ld "
                         "(raise the hard limit: ulimit -Hn, limits.conf)",
                         o->connections, o->connections + FD_SPARE, limit);
    return 0;
}
