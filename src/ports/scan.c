/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.c - the connect scanner.
 *
 * Each probe slot owns one socket at a time: socket, non-blocking connect, then either an
 * answer already there (loopback answers inside the connect call) or a wait on the loop for
 * EPOLLOUT with a per-port timer. A finished slot starts the next port at once, so `concurrency`
 * connects stay in flight until the list runs out.
 *
 * Several addresses share the slots: the work is every (address, port) pair, taken port by
 * port across the addresses (port 1 of each, then port 2 ...), so that no one host takes the
 * whole budget at once.
 *
 * Why a port is filtered: the errno of the failed connect says unreachable or prohibited, and
 * the ICMP message itself (IP_RECVERR: TCP queues it on the socket's error queue while it
 * connects, no root needed) tells a firewall's admin-prohibited from a host-unreachable and a
 * port-unreachable from a reset.
 *
 * Large scans run one such loop per CPU (at most SCAN_MAX_THREADS), each with its share of the
 * slots, taking ports from one shared cursor: on loopback the work is the kernel's TCP code in
 * each connect call, and that spreads over the cores.
 *
 * UDP (scan_udp.c) shares the slots and the loop; its pacing and canaries are described there.
 *
 * Self-connections: connecting to a port of this host that lies in the ephemeral range can pick
 * that very port as the source port; TCP's simultaneous open then "connects" the socket to
 * itself and the port looks open. Such a socket's local and peer addresses are equal: it is
 * discarded and the port tried again (the kernel picks another source port). Nothing listened
 * there (a bound port is never chosen as an ephemeral one), so after a few tries it is closed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linux/errqueue.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/limits.h"
#include "lib/loop.h"
#include "ports/scan.h"
#include "ports/scan_int.h"

/* Descriptors kept back from the scan for stdio, the loop, c-ares and the like. */
#define FD_RESERVE 32
/* Tries of a port that keeps connecting to itself before it counts as closed. */
#define SELF_TRIES 3
/* Progress report period. */
#define TICK_MS 100
/* Threads for a large scan, and what counts as large. */
#define SCAN_MAX_THREADS 4
#define PORTS_PER_THREAD 4096

enum scan_verdict scan_verdict(enum scan_state s)
{
    switch (s) {
    case SCAN_OPEN: return SCAN_V_OPEN;
    case SCAN_REFUSED:
    case SCAN_PORT_UNREACH: return SCAN_V_CLOSED;
    case SCAN_TIMEOUT:
    case SCAN_HOST_UNREACH:
    case SCAN_NET_UNREACH:
    case SCAN_PROHIBITED: return SCAN_V_FILTERED;
    case SCAN_REPLY: return SCAN_V_OPEN;
    case SCAN_NO_REPLY: return SCAN_V_OPEN_FILTERED;
    case SCAN_UNTRIED:
    case SCAN_NSTATES: break;
    }
    return SCAN_V_NONE;
}

const char *scan_verdict_name(enum scan_verdict v)
{
    static const char *const names[] = {"", "open", "closed", "filtered", "open|filtered"};
    return names[v];
}

const char *scan_reason_name(enum scan_state s)
{
    static const char *const names[SCAN_NSTATES] = {
        [SCAN_UNTRIED] = "untried",
        [SCAN_OPEN] = "syn-ack",
        [SCAN_REFUSED] = "refused",
        [SCAN_PORT_UNREACH] = "port-unreachable",
        [SCAN_TIMEOUT] = "timeout",
        [SCAN_HOST_UNREACH] = "host-unreachable",
        [SCAN_NET_UNREACH] = "net-unreachable",
        [SCAN_PROHIBITED] = "admin-prohibited",
        [SCAN_REPLY] = "reply",
        [SCAN_NO_REPLY] = "no-reply",
    };
    return (unsigned)s < SCAN_NSTATES ? names[s] : "untried";
}

enum scan_state scan_state_of(const struct scan_result *res, size_t i, int port)
{
    /* The ports are sorted: a binary search. */
    size_t lo = 0, hi = res->nports;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (res->ports[mid] < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == res->nports || res->ports[lo] != port)
        return SCAN_UNTRIED;
    return (enum scan_state)res->state[i * res->nports + lo];
}

void scan_result_free(struct scan_result *res)
{
    free(res->ports);
    free(res->state);
    free(res->host);
    res->ports = NULL;
    res->state = NULL;
    res->host = NULL;
}

/* What a failed connect says about the port; SCAN_UNTRIED for local failures that stop the
 * scan. */
enum scan_state scan_classify(int e)
{
    switch (e) {
    case ECONNREFUSED:
    case ECONNRESET:
    case ECONNABORTED: return SCAN_REFUSED; /* reset during the handshake */
    case ETIMEDOUT: return SCAN_TIMEOUT;
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case EPROTO:
    case ENOPROTOOPT: return SCAN_HOST_UNREACH;
    case ENETUNREACH:
    case ENETDOWN:
    case ENONET:
    case EINVAL: return SCAN_NET_UNREACH; /* EINVAL: a blackhole route */
    case EACCES:
    case EPERM: return SCAN_PROHIBITED; /* a prohibit route, a local firewall's reject */
    default: return SCAN_UNTRIED;
    }
}

/* The ICMP error queued on fd (IP_RECVERR), as a state; `st` when there is none (or it is not
 * an ICMP destination unreachable). */
enum scan_state scan_icmp_reason(int fd, enum scan_state st)
{
    char cbuf[512];
    struct msghdr m = {.msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
    if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        return st;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
              (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
            continue;
        struct sock_extended_err ee;
        memcpy(&ee, CMSG_DATA(c), sizeof(ee));
        if (ee.ee_origin == SO_EE_ORIGIN_ICMP && ee.ee_type == ICMP_DEST_UNREACH) {
            switch (ee.ee_code) {
            case ICMP_NET_UNREACH:
            case ICMP_NET_UNKNOWN:
            case ICMP_NET_UNR_TOS: return SCAN_NET_UNREACH;
            case ICMP_PORT_UNREACH: return SCAN_PORT_UNREACH;
            case ICMP_NET_ANO:
            case ICMP_HOST_ANO:
            case ICMP_PKT_FILTERED: return SCAN_PROHIBITED;
            default: return SCAN_HOST_UNREACH;
            }
        }
        if (ee.ee_origin == SO_EE_ORIGIN_ICMP6 && ee.ee_type == ICMP6_DST_UNREACH) {
            switch (ee.ee_code) {
            case ICMP6_DST_UNREACH_NOROUTE: return SCAN_NET_UNREACH;
            case ICMP6_DST_UNREACH_NOPORT: return SCAN_PORT_UNREACH;
            case ICMP6_DST_UNREACH_ADMIN:
            case 5: /* source address failed ingress/egress policy */
            case 6: /* reject route to destination */ return SCAN_PROHIBITED;
            default: return SCAN_HOST_UNREACH;
            }
        }
    }
    return st;
}

static void count(size_t *c)
{
    __atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* Count a port's state; returns the ports done, this one included. */
static size_t count_state(struct scan_stats *s, enum scan_state st)
{
    size_t done = __atomic_add_fetch(&s->done, 1, __ATOMIC_RELAXED);
    count(&s->by[st]);
    switch (scan_verdict(st)) {
    case SCAN_V_OPEN: count(&s->open); break;
    case SCAN_V_CLOSED: count(&s->closed); break;
    case SCAN_V_FILTERED:
    case SCAN_V_OPEN_FILTERED: count(&s->filtered); break;
    case SCAN_V_NONE: break;
    }
    return done;
}

void scan_record(struct scanner *sc, const struct probe *p, enum scan_state st)
{
    struct scan_result *res = sc->sh->res;
    res->state[p->host * res->nports + p->pidx] = (uint8_t)st;
    count_state(&sc->stats, st);
    struct scan_stats *h = &res->host[p->host];
    if (count_state(h, st) == h->total) /* atomics: threads share the hosts */
        __atomic_store_n(&h->elapsed_ms, (loop_clock_us() - sc->sh->start_us) / 1000u,
                         __ATOMIC_RELAXED);
}

/* Stop the scan on every thread: the flag for the ports not yet handed out, a wake-up for the
 * loops waiting on connects (each winds down when its loop_run returns). */
static void stop_scan(struct shared *sh)
{
    __atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < sh->nthreads; i++)
        loop_stop(sh->threads[i].loop);
}

void scan_set_fatal(struct scanner *sc, int e, const char *what)
{
    if (!sc->fatal) {
        sc->fatal = e;
        sc->fatal_what = what;
    }
    stop_scan(sc->sh);
}

/* Give the slot its next (address, port); false when there is none. */
bool scan_next_port(struct scanner *sc, struct probe *p)
{
    struct shared *sh = sc->sh;
    /* Loopback ports end inside connect, without the loop: an interrupt must stop these too. */
    if (loop_interrupted()) {
        sc->interrupted = true;
        __atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
    }
    if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
        return false;
    size_t i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);
    if (i >= sh->nwork)
        return false;
    p->host = i % sh->req->naddrs;
    p->pidx = i / sh->req->naddrs;
    p->port = sh->res->ports[p->pidx];
    return true;
}

/* Close the slot's socket (with a reset for an established one: no TIME-WAIT, no lingering
 * connection at the target). watched: the socket is registered with the loop. */
void scan_probe_close(struct scanner *sc, struct probe *p, bool watched, bool established)
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
    if (p->cfd >= 0) {
        close(p->cfd);
        p->cfd = -1;
    }
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
            count(&sc->stats.self);
            count(&sc->sh->res->host[p->host].self);
            scan_probe_close(sc, p, watched, true);
            if (++p->tries < SELF_TRIES)
                return false;
            scan_record(sc, p, SCAN_REFUSED);
            return true;
        }
        scan_probe_close(sc, p, watched, true);
        scan_record(sc, p, SCAN_OPEN);
        return true;
    }
    enum scan_state st = scan_classify(e);
    if (e == ECONNREFUSED && !watched) {
        /* The failed connect reset the socket: keep it for the next port. */
        scan_record(sc, p, st);
        return true;
    }
    if (st != SCAN_UNTRIED && st != SCAN_TIMEOUT)
        st = scan_icmp_reason(p->io.fd, st);
    scan_probe_close(sc, p, watched, false);
    if (st == SCAN_UNTRIED) {
        /* A local failure (no free source port, out of memory): stop rather than lie. */
        scan_set_fatal(sc, e, "connect");
        return true;
    }
    scan_record(sc, p, st);
    return true;
}

/* The last connect ended: end loop_run now (the progress tick would keep it going). */
void scan_finish_if_done(struct scanner *sc)
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
    struct net_addr t = sc->sh->req->addrs[p->host];
    net_set_port((struct sockaddr *)&t.ss, p->port);
    if (connect(p->io.fd, (const struct sockaddr *)&t.ss, t.len) < 0)
        return errno;
    return 0;
}

/* Keep the slot busy: run connects until one has to wait or the ports run out. Loopback
 * answers within the connect call, so most ports end here without touching the loop. */
static void probe_fill(struct scanner *sc, struct probe *p)
{
    for (;;) {
        if (p->port < 0) {
            p->tries = 0;
            if (!scan_next_port(sc, p)) {
                p->port = -1;
                break;
            }
        }
        int family = sc->sh->req->addrs[p->host].ss.ss_family;
        if (p->io.fd >= 0 && p->family != family) { /* kept from a host of the other family */
            close(p->io.fd);
            p->io.fd = -1;
        }
        if (p->io.fd < 0) {
            int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                scan_set_fatal(sc, errno, "socket");
                p->port = -1;
                break;
            }
            /* ICMP errors on the error queue: the REASON of a filtered port. */
            int one = 1;
            if (family == AF_INET6)
                setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof(one));
            else
                setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof(one));
            p->io.fd = fd;
            p->family = family;
        }
        int e = try_connect(sc, p);
        if (e == EINPROGRESS)
            e = try_connect(sc, p); /* the answer, if it came during the first call */
        if (e == EINPROGRESS || e == EALREADY) {
            if (loop_io_add(sc->loop, &p->io, EPOLLOUT) < 0) {
                e = errno;
                close(p->io.fd);
                p->io.fd = -1;
                scan_set_fatal(sc, e, "epoll");
                p->port = -1;
                break;
            }
            /* Our clock may lag when many ports ended synchronously: read it now. */
            loop_update_time(sc->loop);
            loop_timer_set(sc->loop, &p->timer, (uint64_t)sc->sh->req->timeout_ms);
            sc->active++;
            break;
        }
        if (conclude(sc, p, e, false))
            p->port = -1;
    }
}

/* Judge a TCP probe by what connect now says (e): a connect still in progress is decided by
 * an ICMP error on the socket's queue, else it is `pending` (SCAN_UNTRIED: keep waiting, the
 * probe stays). Then the next port goes out in the probe's place. */
static void settle(struct scanner *sc, struct probe *p, int e, enum scan_state pending)
{
    if (e == EALREADY || e == EINPROGRESS) {
        enum scan_state st = scan_icmp_reason(p->io.fd, pending);
        if (st == SCAN_UNTRIED)
            return;
        scan_probe_close(sc, p, true, false);
        scan_record(sc, p, st);
        p->port = -1;
    } else if (conclude(sc, p, e, true)) {
        p->port = -1;
    }
    probe_fill(sc, p);
    scan_finish_if_done(sc);
}

static void on_io(struct loop *l, struct loop_io *io, uint32_t events)
{
    (void)l;
    (void)events;
    struct probe *p = io->arg;
    struct scanner *sc = p->sc;
    if (sc->sh->req->proto == IPPROTO_UDP) {
        scan_udp_on_io(sc, p);
        return;
    }
    /* An ICMP error that reached the socket while it was busy in a system call does not end
     * the connect (TCP keeps it as a soft error), but it is on the error queue, and that woke
     * us (EPOLLERR): it is the answer. Woken without one, the probe keeps waiting. */
    settle(sc, p, try_connect(sc, p), SCAN_UNTRIED);
}

static void on_timeout(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct probe *p = t->arg;
    struct scanner *sc = p->sc;
    if (sc->sh->req->proto == IPPROTO_UDP) {
        scan_udp_on_timeout(sc, p);
        return;
    }
    /* The answer may have arrived while the loop was busy elsewhere: ask before judging. */
    settle(sc, p, try_connect(sc, p), SCAN_TIMEOUT);
}

static void stop_all(struct scanner *sc)
{
    for (int i = 0; i < sc->nprobes; i++) {
        struct probe *p = &sc->probes[i];
        if (p->waiting) {
            loop_timer_cancel(sc->loop, &p->timer);
            p->waiting = false;
            sc->active--;
        }
        if (p->io.fd >= 0)
            scan_probe_close(sc, p, true, false);
        p->port = -1;
    }
}

/* The counts of every thread so far. */
static void sum_stats(const struct shared *sh, struct scan_stats *out)
{
    size_t total = out->total;
    memset(out, 0, sizeof(*out));
    out->total = total;
    for (int i = 0; i < sh->nthreads; i++) {
        const struct scan_stats *s = &sh->threads[i].stats;
        out->done += __atomic_load_n(&s->done, __ATOMIC_RELAXED);
        out->open += __atomic_load_n(&s->open, __ATOMIC_RELAXED);
        out->closed += __atomic_load_n(&s->closed, __ATOMIC_RELAXED);
        out->filtered += __atomic_load_n(&s->filtered, __ATOMIC_RELAXED);
        for (int k = 0; k < SCAN_NSTATES; k++)
            out->by[k] += __atomic_load_n(&s->by[k], __ATOMIC_RELAXED);
        out->self += __atomic_load_n(&s->self, __ATOMIC_RELAXED);
    }
    out->elapsed_ms = (loop_clock_us() - sh->start_us) / 1000u;
}

/* The leader's progress report (armed only when the caller wants one). */
static void on_tick(struct loop *l, struct loop_timer *t)
{
    struct scanner *sc = t->arg;
    struct shared *sh = sc->sh;
    struct scan_stats st = {.total = sh->nwork};
    sum_stats(sh, &st);
    sh->req->progress(&st, sh->req->progress_arg);
    loop_timer_set(l, t, TICK_MS);
}

/* One thread's scan: fill the slots, then run the loop until none is in flight. */
static void *run_scanner(void *arg)
{
    struct scanner *sc = arg;
    struct shared *sh = sc->sh;
    for (int i = 0; i < sc->nprobes; i++) {
        if (sh->req->proto == IPPROTO_UDP)
            scan_udp_fill(sc, &sc->probes[i]);
        else
            probe_fill(sc, &sc->probes[i]);
    }
    if (sc->active > 0 && sc->leader && sh->req->progress)
        loop_timer_set(sc->loop, &sc->tick, TICK_MS);
    while (sc->active > 0) {
        if (loop_run(sc->loop) < 0) {
            if (errno == EINTR) { /* Ctrl-C: loop_interrupt_all stopped every loop */
                sc->interrupted = true;
                __atomic_store_n(&sh->stop, 1, __ATOMIC_RELAXED);
            } else {
                scan_set_fatal(sc, errno, "epoll");
            }
            stop_all(sc);
        } else if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
            stop_all(sc); /* another thread's fatal error woke this loop */
        }
    }
    loop_timer_cancel(sc->loop, &sc->tick);
    return NULL;
}

/* Threads for this scan: one per CPU for a large one, else one. */
static int thread_count(size_t nports, long concurrency)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long n = (long)(nports / PORTS_PER_THREAD);
    if (n > cpus)
        n = cpus;
    if (n > SCAN_MAX_THREADS)
        n = SCAN_MAX_THREADS;
    if (n > concurrency)
        n = concurrency;
    return n < 1 ? 1 : (int)n;
}

static void free_scan(struct shared *sh)
{
    for (int i = 0; sh->threads && i < sh->nthreads; i++) {
        struct scanner *sc = &sh->threads[i];
        /* A slot keeps its socket after a refused connect, for the next port: close those. */
        for (int k = 0; sc->probes && k < sc->nprobes; k++)
            if (sc->probes[k].io.fd >= 0)
                close(sc->probes[k].io.fd);
        loop_free(sc->loop);
        free(sc->probes);
    }
    free(sh->threads);
    free(sh->uh);
}

int scan_run(const struct scan_req *req, struct scan_result *res, char err[NK_ERRLEN])
{
    memset(res, 0, sizeof(*res));
    size_t nwork = req->ports->count * req->naddrs;
    res->stats.total = nwork;
    res->naddrs = req->naddrs;
    res->nports = req->ports->count;
    long limit = nk_raise_nofile() - FD_RESERVE;
    long c = req->concurrency;
    if (c > limit)
        c = limit;
    if ((size_t)c > nwork)
        c = (long)nwork;
    if (c < 1)
        c = 1;
    res->concurrency = (int)c;

    struct shared sh = {.req = req, .res = res, .nwork = nwork};
    /* UDP: one thread (its pacing clocks are per host, unshared), however large. */
    sh.nthreads = req->proto == IPPROTO_UDP ? 1 : thread_count(nwork, c);
    sh.uh = calloc(req->naddrs ? req->naddrs : 1, sizeof(*sh.uh));
    if (sh.uh)
        scan_udp_init(sh.uh, req->naddrs);
    res->threads = sh.nthreads;
    res->ports = malloc((res->nports ? res->nports : 1) * sizeof(*res->ports));
    res->state = calloc(nwork ? nwork : 1, 1);
    res->host = calloc(req->naddrs ? req->naddrs : 1, sizeof(*res->host));
    sh.threads = calloc((size_t)sh.nthreads, sizeof(*sh.threads));
    if (!res->ports || !res->state || !res->host || !sh.threads || !sh.uh) {
        free_scan(&sh);
        scan_result_free(res);
        return nk_seterr(err, "scan: out of memory");
    }
    size_t k = 0;
    for (int p = portspec_next(req->ports, 0); p >= 0; p = portspec_next(req->ports, p + 1))
        res->ports[k++] = p;
    for (size_t i = 0; i < req->naddrs; i++)
        res->host[i].total = res->nports;
    for (int t = 0; t < sh.nthreads; t++) {
        struct scanner *sc = &sh.threads[t];
        /* The slots split evenly; the first threads take the remainder. */
        sc->nprobes = (int)(c / sh.nthreads + (t < c % sh.nthreads));
        sc->sh = &sh;
        sc->leader = t == 0;
        sc->loop = loop_new();
        sc->probes = calloc((size_t)sc->nprobes, sizeof(*sc->probes));
        for (int i = 0; sc->probes && i < sc->nprobes; i++)
            sc->probes[i].io.fd = -1;
        if (!sc->loop || !sc->probes) {
            free_scan(&sh);
            scan_result_free(res);
            return nk_seterr(err, "scan: %s", nk_strerror(errno ? errno : ENOMEM));
        }
        for (int i = 0; i < sc->nprobes; i++) {
            struct probe *p = &sc->probes[i];
            p->sc = sc;
            p->port = -1;
            p->io.fd = -1;
            p->cfd = -1;
            p->io.fn = on_io;
            p->io.arg = p;
            p->timer.fn = on_timeout;
            p->timer.arg = p;
        }
        sc->tick.fn = on_tick;
        sc->tick.arg = sc;
    }
    sh.start_us = loop_clock_us();
    /* A thread that cannot start leaves its ports to the others: they share one cursor. */
    for (int t = 1; t < sh.nthreads; t++)
        sh.threads[t].started =
            pthread_create(&sh.threads[t].tid, NULL, run_scanner, &sh.threads[t]) == 0;
    run_scanner(&sh.threads[0]);
    const struct scanner *failed = NULL;
    for (int t = 0; t < sh.nthreads; t++) {
        struct scanner *sc = &sh.threads[t];
        if (sc->started)
            pthread_join(sc->tid, NULL);
        if (sc->interrupted)
            res->interrupted = true;
        if (sc->fatal && !failed)
            failed = sc;
    }
    sum_stats(&sh, &res->stats);
    for (size_t i = 0; i < req->naddrs; i++)
        if (res->host[i].done < res->host[i].total) /* interrupted */
            res->host[i].elapsed_ms = res->stats.elapsed_ms;
    if (failed)
        nk_seterr(err, "scan: %s: %s", failed->fatal_what, nk_strerror(failed->fatal));
    free_scan(&sh);
    return failed ? -1 : 0;
}
