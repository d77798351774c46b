/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.c - the connect scanner.
 *
 * Each probe slot owns one socket at a time: socket, non-blocking connect, then either an
 * answer already there (loopback answers inside the connect call) or a wait on the loop for
 * EPOLLOUT with a per-port timer. A finished slot starts the next port at once, so `concurrency`
 * connects stay in flight until the list runs out.
 *
 * Self-connections: connecting to a port of this host that lies in the ephemeral range can pick
 * that very port as the source port; TCP's simultaneous open then "connects" the socket to
 * itself and the port looks open. Such a socket's local and peer addresses are equal: it is
 * discarded and the port tried again (the kernel picks another source port). Nothing listened
 * there (a bound port is never chosen as an ephemeral one), so after a few tries it is closed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "loop.h"
#include "scan.h"

/* Descriptors kept back from the scan for stdio, the loop, c-ares and the like. */
#define FD_RESERVE 32
/* Tries of a port that keeps connecting to itself before it counts as closed. */
#define SELF_TRIES 3
/* Progress and interrupt check period. */
#define TICK_MS 100

struct scanner;

/* One connect in flight. */
struct probe {
    struct loop_io io;       /* the socket being connected (fd -1 when idle) */
    struct loop_timer timer; /* its per-port timeout */
    struct scanner *sc;      /* back pointer */
    int port;                /* port being tried, -1 when idle */
    int tries;               /* attempts at this port (self-connections retry) */
};

/* The state of one scan. */
struct scanner {
    struct loop *loop;          /* the event loop */
    const struct scan_req *req; /* what to do */
    struct scan_result *res;    /* where results go */
    struct probe *probes;       /* the slots */
    int nprobes;                /* how many */
    int next;                   /* where to look for the next port in req->ports */
    int active;                 /* slots with a connect in flight */
    struct loop_timer tick;     /* progress and interrupt checks */
    uint64_t start_us;          /* when the scan started */
    int fatal;                  /* errno of an error that stops the scan, 0 if none */
    const char *fatal_what;     /* which call failed */
};

long scan_raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl); /* on failure the old limit stays; read it back */
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur > 1 << 20 ? 1 << 20 : (long)rl.rlim_cur;
}

const char *scan_state_name(enum scan_state s)
{
    switch (s) {
    case SCAN_OPEN: return "open";
    case SCAN_REFUSED: return "refused";
    case SCAN_TIMEOUT: return "timeout";
    case SCAN_UNREACH: return "unreachable";
    case SCAN_UNTRIED: break;
    }
    return "untried";
}

/* What a failed connect says about the port; SCAN_UNTRIED for local failures that stop the
 * scan. */
static enum scan_state classify(int e)
{
    switch (e) {
    case ECONNREFUSED:
    case ECONNRESET: return SCAN_REFUSED;
    case ETIMEDOUT: return SCAN_TIMEOUT;
    case ENETUNREACH:
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case ENONET:
    case EACCES:
    case EPERM:  /* a firewall's reject, a prohibit route */
    case EINVAL: /* a blackhole route */
    case EPROTO:
    case ENOPROTOOPT: return SCAN_UNREACH;
    default: return SCAN_UNTRIED;
    }
}

static void record(struct scanner *sc, int port, enum scan_state st)
{
    struct scan_stats *s = &sc->res->stats;
    sc->res->state[port] = (uint8_t)st;
    s->done++;
    switch (st) {
    case SCAN_OPEN: s->open++; break;
    case SCAN_REFUSED: s->refused++; break;
    case SCAN_TIMEOUT: s->timeout++; break;
    case SCAN_UNREACH: s->unreach++; break;
    case SCAN_UNTRIED: break;
    }
}

static int next_port(struct scanner *sc)
{
    if (sc->fatal || sc->next > 65535)
        return -1;
    int p = portspec_next(sc->req->ports, sc->next);
    sc->next = p < 0 ? 65536 : p + 1;
    return p;
}

/* Close the slot's socket (with a reset for an established one: no TIME-WAIT, no lingering
 * connection at the target). watched: the socket is registered with the loop. */
static void probe_close(struct scanner *sc, struct probe *p, bool watched, bool established)
{
    if (watched) {
        loop_io_del(sc->loop, &p->io);
        loop_timer_cancel(sc->loop, &p->timer);
        sc->active--;
    }
    if (established) {
        struct linger lg = {.l_onoff = 1, .l_linger = 0};
        setsockopt(p->io.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    close(p->io.fd);
    p->io.fd = -1;
}

static bool same_addr(const struct net_addr *a, const struct net_addr *b)
{
    if (a->ss.ss_family != b->ss.ss_family)
        return false;
    if (a->ss.ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)&a->ss, *y = (const void *)&b->ss;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)&a->ss, *y = (const void *)&b->ss;
    return x->sin6_port == y->sin6_port &&
           memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
}

/* A connected socket whose local address is its peer's: TCP simultaneous open with itself. */
static bool self_connected(int fd)
{
    struct net_addr local, peer;
    peer.len = sizeof(peer.ss);
    if (net_local_addr(fd, &local) < 0 ||
        getpeername(fd, (struct sockaddr *)&peer.ss, &peer.len) < 0)
        return false;
    return same_addr(&local, &peer);
}

/* The slot's connect ended with error e (0: connected). Returns true when the port is done,
 * false when it must be tried again. */
static bool conclude(struct scanner *sc, struct probe *p, int e, bool watched)
{
    if (e == 0) {
        if (self_connected(p->io.fd)) {
            sc->res->stats.self++;
            probe_close(sc, p, watched, true);
            if (++p->tries < SELF_TRIES)
                return false;
            record(sc, p->port, SCAN_REFUSED);
            return true;
        }
        probe_close(sc, p, watched, true);
        record(sc, p->port, SCAN_OPEN);
        return true;
    }
    enum scan_state st = classify(e);
    if (e == ECONNREFUSED && !watched) {
        /* The failed connect reset the socket: keep it for the next port. */
        record(sc, p->port, st);
        return true;
    }
    probe_close(sc, p, watched, false);
    if (st == SCAN_UNTRIED) {
        /* A local failure (no free source port, out of memory): stop rather than lie. */
        if (!sc->fatal) {
            sc->fatal = e;
            sc->fatal_what = "connect";
        }
        return true;
    }
    record(sc, p->port, st);
    return true;
}

/* The last connect ended: end loop_run now rather than at the next tick. */
static void finish_if_done(struct scanner *sc)
{
    if (sc->active == 0) {
        loop_timer_cancel(sc->loop, &sc->tick);
        loop_stop(sc->loop);
    }
}

/* Connect the slot's socket to its port; returns 0 (connected), EINPROGRESS/EALREADY (still
 * waiting) or the error. A second connect on a socket already connecting does not start a new
 * attempt: it reports how the first one went (and resets a failed socket for reuse), which
 * costs one system call where getsockopt plus a new socket would cost three. */
static int try_connect(struct scanner *sc, struct probe *p)
{
    struct net_addr t = sc->req->addr;
    net_set_port((struct sockaddr *)&t.ss, p->port);
    if (connect(p->io.fd, (const struct sockaddr *)&t.ss, t.len) < 0)
        return errno;
    return 0;
}

/* Keep the slot busy: run connects until one has to wait or the ports run out. Loopback
 * answers within the connect call, so most ports end here without touching the loop. */
static void probe_fill(struct scanner *sc, struct probe *p)
{
    const struct net_addr *a = &sc->req->addr;
    for (;;) {
        if (p->port < 0) {
            p->port = next_port(sc);
            p->tries = 0;
            if (p->port < 0)
                break;
        }
        if (p->io.fd < 0) {
            int fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                if (!sc->fatal) {
                    sc->fatal = errno;
                    sc->fatal_what = "socket";
                }
                p->port = -1;
                break;
            }
            p->io.fd = fd;
        }
        int e = try_connect(sc, p);
        if (e == EINPROGRESS)
            e = try_connect(sc, p); /* the answer, if it came during the first call */
        if (e == EINPROGRESS || e == EALREADY) {
            if (loop_io_add(sc->loop, &p->io, EPOLLOUT) < 0) {
                e = errno;
                close(p->io.fd);
                p->io.fd = -1;
                if (!sc->fatal) {
                    sc->fatal = e;
                    sc->fatal_what = "epoll";
                }
                p->port = -1;
                break;
            }
            /* Our clock may lag when many ports ended synchronously: read it now. */
            loop_update_time(sc->loop);
            loop_timer_set(sc->loop, &p->timer, (uint64_t)sc->req->timeout_ms);
            sc->active++;
            break;
        }
        if (conclude(sc, p, e, false))
            p->port = -1;
    }
}

static void on_io(struct loop *l, struct loop_io *io, uint32_t events)
{
    (void)l;
    (void)events;
    struct probe *p = io->arg;
    struct scanner *sc = p->sc;
    int e = try_connect(sc, p);
    if (e == EALREADY || e == EINPROGRESS)
        return; /* woken without an answer: keep waiting */
    if (conclude(sc, p, e, true))
        p->port = -1;
    probe_fill(sc, p);
    finish_if_done(sc);
}

static void on_timeout(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct probe *p = t->arg;
    struct scanner *sc = p->sc;
    /* The answer may have arrived while the loop was busy elsewhere: ask before judging. */
    int e = try_connect(sc, p);
    if (e == EALREADY || e == EINPROGRESS) {
        probe_close(sc, p, true, false);
        record(sc, p->port, SCAN_TIMEOUT);
        p->port = -1;
    } else if (conclude(sc, p, e, true)) {
        p->port = -1;
    }
    probe_fill(sc, p);
    finish_if_done(sc);
}

static void stop_all(struct scanner *sc)
{
    for (int i = 0; i < sc->nprobes; i++) {
        struct probe *p = &sc->probes[i];
        if (p->io.fd >= 0)
            probe_close(sc, p, true, false);
        p->port = -1;
    }
    sc->next = 65536;
}

static void on_tick(struct loop *l, struct loop_timer *t)
{
    struct scanner *sc = t->arg;
    sc->res->stats.elapsed_ms = (loop_clock_us() - sc->start_us) / 1000u;
    if (sc->req->interrupt && *sc->req->interrupt) {
        sc->res->interrupted = true;
        stop_all(sc);
    }
    if (sc->active == 0) {
        loop_stop(l);
        return;
    }
    if (sc->req->progress)
        sc->req->progress(&sc->res->stats, sc->req->progress_arg);
    loop_timer_set(l, t, TICK_MS);
}

int scan_run(const struct scan_req *req, struct scan_result *res, char err[NK_ERRLEN])
{
    memset(res, 0, sizeof(*res));
    res->stats.total = req->ports->count;
    long limit = scan_raise_nofile() - FD_RESERVE;
    long c = req->concurrency;
    if (c > limit)
        c = limit;
    if (c > (long)req->ports->count)
        c = (long)req->ports->count;
    if (c < 1)
        c = 1;
    res->concurrency = (int)c;

    struct scanner sc = {.req = req, .res = res, .nprobes = (int)c};
    sc.loop = loop_new();
    sc.probes = calloc((size_t)c, sizeof(*sc.probes));
    if (!sc.loop || !sc.probes) {
        loop_free(sc.loop);
        free(sc.probes);
        return nk_seterr(err, "scan: %s", strerror(errno ? errno : ENOMEM));
    }
    sc.start_us = loop_clock_us();
    for (int i = 0; i < sc.nprobes; i++) {
        struct probe *p = &sc.probes[i];
        p->sc = &sc;
        p->port = -1;
        p->io.fd = -1;
        p->io.fn = on_io;
        p->io.arg = p;
        p->timer.fn = on_timeout;
        p->timer.arg = p;
    }
    sc.tick.fn = on_tick;
    sc.tick.arg = &sc;
    for (int i = 0; i < sc.nprobes && !sc.fatal; i++)
        probe_fill(&sc, &sc.probes[i]);
    if (sc.active > 0 && !sc.fatal) {
        loop_timer_set(sc.loop, &sc.tick, TICK_MS);
        while (sc.active > 0 && !sc.fatal && !res->interrupted) {
            if (loop_run(sc.loop) < 0) {
                sc.fatal = errno;
                sc.fatal_what = "epoll";
            }
        }
    }
    if (sc.fatal)
        stop_all(&sc);
    loop_timer_cancel(sc.loop, &sc.tick);
    res->stats.elapsed_ms = (loop_clock_us() - sc.start_us) / 1000u;
    loop_free(sc.loop);
    free(sc.probes);
    if (sc.fatal)
        return nk_seterr(err, "scan: %s: %s", sc.fatal_what, strerror(sc.fatal));
    return 0;
}
