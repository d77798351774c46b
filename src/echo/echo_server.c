/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_server.c - sockets, worker threads, accepting, and stopping for `netkit echo-serve`.
 *
 * Why one shared listener with EPOLLEXCLUSIVE rather than SO_REUSEPORT per worker: with
 * SO_REUSEPORT any other process of the same user could bind the same port and silently take a
 * share of the connections (so "address in use" would go undetected), and connections queued on
 * a worker's own listener are reset when it closes. EPOLLEXCLUSIVE wakes one worker per
 * incoming connection, which is what SO_REUSEPORT's balancing buys, without either problem.
 */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/limits.h"
#include "echo/echo_worker.h"

/* Listen backlog: the kernel caps it at net.core.somaxconn. A burst waits here. */
#define ES_BACKLOG 65535
/* Descriptors kept back from --max-conns' default for listeners, loops and eventfds. */
#define ES_FD_RESERVE 64
/* Pause before accepting again after EMFILE/ENFILE (the listener stays open). */
#define ES_EMFILE_PAUSE_MS 100
/* Connections accepted per wake-up before other events get a turn. */
#define ES_ACCEPTS_PER_EVENT 64
/* Attempts at finding a port free on every address when PORT is 0. */
#define ES_PORT_TRIES 32

int es_parse_bind(const char *s, struct net_addr *a, char err[NK_ERRLEN])
{
    char host[NET_ADDRSTRLEN];
    size_t n = strlen(s);
    if (n == 0)
        return nk_seterr(err, "'': empty address");
    if (s[0] == '[') {
        const char *h = net_unbracket(s, host, sizeof(host));
        if (h == s || !*h)
            return nk_seterr(err, "'%.*s%s': not an IP address", 64, s, n > 64 ? "..." : "");
        if (!strchr(h, ':'))
            return nk_seterr(err, "'%s': not an IPv6 address", s);
        s = h;
    }
    return net_parse_ip(s, 0, a, err);
}

/* ---- sockets ---- */

static void close_listeners(struct echo_server *s)
{
    for (int i = 0; i < s->nlis; i++)
        close(s->lis[i].fd);
    s->nlis = 0;
}

/* Why binding failed, in the words a user can act on (lowercase, as every message is). */
static void bind_error(const struct net_addr *a, int e, char err[NK_ERRLEN])
{
    char name[NET_ADDRSTRLEN], why[128];
    net_ntop_port((const struct sockaddr *)&a->ss, name, sizeof(name));
    switch (e) {
    case EADDRINUSE: snprintf(why, sizeof(why), "address already in use"); break;
    case EACCES:
        snprintf(why, sizeof(why), "%s",
                 a->ss.ss_family == AF_UNIX ? "permission denied"
                                            : "permission denied (ports below 1024 need root "
                                              "or CAP_NET_BIND_SERVICE)");
        break;
    case EADDRNOTAVAIL: snprintf(why, sizeof(why), "not an address of this host"); break;
    default:
        snprintf(why, sizeof(why), "%s", nk_strerror(e));
        why[0] = (char)tolower((unsigned char)why[0]);
    }
    nk_seterr(err, "%s: %s", name, why);
}

/* Add one listening socket. Returns 0, or -1 with errno and err. */
static int add_listener(struct echo_server *s, const struct net_addr *a, int type,
                        const char *proto, char err[NK_ERRLEN])
{
    int fd = net_listen(a, type, ES_BACKLOG, false, err);
    if (fd < 0) {
        int e = errno;
        bind_error(a, e, err);
        errno = e;
        return -1;
    }
    struct es_listen *l = &s->lis[s->nlis++];
    l->fd = fd;
    l->type = type;
    l->proto = proto;
    if (net_local_addr(fd, &l->addr) < 0)
        l->addr = *a;
    return 0;
}

/* A Unix socket, replacing a stale socket file (one nobody accepts on) but never a live one. */
static int open_unix(struct echo_server *s, char err[NK_ERRLEN])
{
    struct net_addr a = {0};
    struct sockaddr_un *un = (struct sockaddr_un *)&a.ss;
    size_t n = strlen(s->cfg.unix_path);
    if (n == 0 || n >= sizeof(un->sun_path)) {
        nk_seterr(err, "'%s': socket path must be 1-%zu bytes", s->cfg.unix_path,
                  sizeof(un->sun_path) - 1);
        return NK_USAGE;
    }
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path, s->cfg.unix_path, n + 1);
    a.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    if (add_listener(s, &a, SOCK_STREAM, "unix", err) == 0)
        goto ok;
    struct stat st;
    if (errno != EADDRINUSE || lstat(s->cfg.unix_path, &st) < 0)
        return NK_FAIL;
    if (!S_ISSOCK(st.st_mode)) { /* say what is there: it is not ours to replace */
        const char *what = S_ISREG(st.st_mode)    ? "a regular file"
                           : S_ISDIR(st.st_mode)  ? "a directory"
                           : S_ISFIFO(st.st_mode) ? "a FIFO"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISLNK(st.st_mode)  ? "a symbolic link"
                                                  : "a file that is not a socket";
        nk_seterr(err, "'%s': %s is there (left alone)", s->cfg.unix_path, what);
        return NK_FAIL;
    }
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int live =
        probe >= 0 && (connect(probe, (struct sockaddr *)un, a.len) == 0 || errno != ECONNREFUSED);
    if (probe >= 0)
        close(probe);
    if (live) {
        nk_seterr(err, "%s: address already in use", s->cfg.unix_path);
        return NK_FAIL;
    }
    unlink(s->cfg.unix_path);
    if (add_listener(s, &a, SOCK_STREAM, "unix", err) < 0)
        return NK_FAIL;
ok:
    memcpy(s->unix_path, s->cfg.unix_path, n + 1);
    return NK_OK;
}

/* TCP (and UDP) on every address, all on one port. -1 with errno and err on failure. */
static int open_inet_once(struct echo_server *s, const struct net_addr *addrs, int naddrs,
                          bool defaults, char err[NK_ERRLEN])
{
    int port = s->cfg.port;
    for (int pass = 0; pass < (s->cfg.udp ? 2 : 1); pass++) {
        int type = pass ? SOCK_DGRAM : SOCK_STREAM;
        for (int i = 0; i < naddrs; i++) {
            struct net_addr a = addrs[i];
            net_set_port((struct sockaddr *)&a.ss, port);
            if (add_listener(s, &a, type, pass ? "udp" : "tcp", err) < 0) {
                /* The default [::] is optional: a host without IPv6 still serves IPv4. */
                if (defaults && a.ss.ss_family == AF_INET6 && errno == EAFNOSUPPORT)
                    continue;
                return -1;
            }
            if (port == 0)
                port = net_port((struct sockaddr *)&s->lis[s->nlis - 1].addr.ss);
        }
    }
    return 0;
}

static int open_inet(struct echo_server *s, char err[NK_ERRLEN])
{
    struct net_addr addrs[ES_MAX_BINDS];
    int n = s->cfg.nbinds;
    bool defaults = n == 0;
    if (defaults) {
        net_parse_ip("0.0.0.0", 0, &addrs[0], err);
        net_parse_ip("::", 0, &addrs[1], err);
        n = 2;
    } else {
        memcpy(addrs, s->cfg.binds, sizeof(addrs[0]) * (size_t)n);
    }
    for (int tries = 0;; tries++) {
        if (open_inet_once(s, addrs, n, defaults, err) == 0)
            return NK_OK;
        int e = errno;
        close_listeners(s);
        /* PORT 0: the port picked for the first socket was taken on another; pick again. */
        if (e == EADDRINUSE && s->cfg.port == 0 && tries < ES_PORT_TRIES)
            continue;
        return NK_FAIL;
    }
}

static int cpu_count(void)
{
    cpu_set_t set;
    /* The CPUs we may run on (taskset), not every CPU of the machine. */
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int es_open(struct echo_server **out, const struct es_config *cfg, char err[NK_ERRLEN])
{
    *out = NULL;
    struct echo_server *s = calloc(1, sizeof(*s));
    if (!s)
        return nk_seterr(err, "out of memory"), NK_FAIL;
    s->cfg = *cfg;
    s->donefd = -1; /* es_start makes it */
    if (s->cfg.nbinds > ES_MAX_BINDS) {
        free(s);
        nk_seterr(err, "at most %d addresses", ES_MAX_BINDS);
        return NK_USAGE;
    }
    if (s->cfg.threads <= 0)
        s->cfg.threads = cpu_count();
    if (s->cfg.grace_ms <= 0)
        s->cfg.grace_ms = 1000;
    long fds = nk_raise_nofile();
    long room = fds > 2 * ES_FD_RESERVE ? fds - ES_FD_RESERVE : fds / 2;
    s->max_conns = s->cfg.max_conns > 0 ? s->cfg.max_conns : (int)room;
    int st = s->cfg.unix_path ? open_unix(s, err) : open_inet(s, err);
    if (st != NK_OK) {
        free(s);
        return st;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    *out = s;
    return NK_OK;
}

int es_listener_count(const struct echo_server *s)
{
    return s->nlis;
}

void es_listener(const struct echo_server *s, int i, const char **proto,
                 const struct net_addr **addr)
{
    *proto = s->lis[i].proto;
    *addr = &s->lis[i].addr;
}

int es_threads(const struct echo_server *s)
{
    return s->cfg.threads;
}

int es_max_conns(const struct echo_server *s)
{
    return s->max_conns;
}

/* ---- accepting ---- */

static void set_accepting(struct es_worker *w, bool on)
{
    if (w->accepting == on)
        return;
    for (int i = 0; i < w->srv->nlis; i++) {
        if (w->srv->lis[i].type != SOCK_STREAM)
            continue;
        if (on)
            loop_io_add(w->loop, &w->lio[i], EPOLLIN | EPOLLEXCLUSIVE);
        else
            loop_io_del(w->loop, &w->lio[i]);
    }
    w->accepting = on;
}

/* Take a slot under --max-conns; false (and this worker paused) when none is free. */
static bool take_slot(struct es_worker *w)
{
    struct echo_server *s = w->srv;
    if (atomic_fetch_add(&s->nconns, 1) < s->max_conns)
        return true;
    atomic_fetch_sub(&s->nconns, 1);
    set_accepting(w, false);
    atomic_store(&w->paused, true);
    /* A slot may have been freed between the check and setting paused; whoever freed it may have
     * looked at paused before it was set. Check again so that no wake-up is lost. */
    if (atomic_load(&s->nconns) < s->max_conns && atomic_exchange(&w->paused, false))
        set_accepting(w, true);
    return false;
}

void es_conn_released(struct es_worker *w)
{
    struct echo_server *s = w->srv;
    atomic_fetch_sub(&s->nconns, 1);
    for (int i = 0; i < s->nw; i++) {
        struct es_worker *x = &s->w[i];
        if (!atomic_load(&x->paused) || !atomic_exchange(&x->paused, false))
            continue;
        if (x == w) {
            if (!w->stopping)
                set_accepting(w, true);
        } else {
            eventfd_write(x->wakefd, 1);
        }
    }
    if (w->stopping && w->nconns == 0)
        loop_stop(w->loop);
}

static void retry_fire(struct loop *l, struct loop_timer *t)
{
    struct es_worker *w = t->arg;
    (void)l;
    if (!w->stopping && !atomic_load(&w->paused))
        set_accepting(w, true);
}

static void accept_event(struct loop *l, struct loop_io *io, uint32_t events)
{
    struct es_worker *w = io->arg;
    (void)events;
    for (int i = 0; i < ES_ACCEPTS_PER_EVENT && w->accepting; i++) {
        if (!take_slot(w))
            return; /* the rest wait in the backlog */
        struct sockaddr_storage peer;
        socklen_t plen = sizeof(peer);
        int fd = accept4(io->fd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            es_conn_accepted(w, fd, io->fd, (struct sockaddr *)&peer, plen);
            continue;
        }
        int e = errno;
        atomic_fetch_sub(&w->srv->nconns, 1);
        if (e == EINTR || e == ECONNABORTED || e == EPROTO)
            continue;
        if (e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM) {
            /* Level-triggered, the listener would wake us at once, forever: step back from it
             * for a moment (it stays open; connections wait in its backlog). */
            w->n_pause++;
            set_accepting(w, false);
            loop_timer_set(l, &w->retry, ES_EMFILE_PAUSE_MS);
        }
        return; /* EAGAIN: another worker took it, or the backlog is empty */
    }
}

/* ---- stopping ---- */

static void grace_fire(struct loop *l, struct loop_timer *t)
{
    struct es_worker *w = t->arg;
    while (w->conns)
        es_conn_close(w->conns, ES_END_SHUTDOWN);
    loop_stop(l);
}

/* Runs from a timer, not the I/O batch, because it frees other connections' handles. */
static void stop_fire(struct loop *l, struct loop_timer *t)
{
    struct es_worker *w = t->arg;
    set_accepting(w, false);
    for (int i = 0; i < w->srv->nlis; i++)
        if (w->srv->lis[i].type == SOCK_DGRAM)
            loop_io_del(l, &w->lio[i]);
    loop_timer_cancel(l, &w->retry);
    /* Close what holds nothing; what still owes an echo gets the grace period to deliver it. */
    struct es_conn *next;
    for (struct es_conn *c = w->conns; c; c = next) {
        next = c->next;
        if (c->pend_len == 0)
            es_conn_close(c, ES_END_SHUTDOWN);
    }
    if (w->nconns == 0)
        loop_stop(l);
    else
        loop_timer_set(l, &w->grace, (uint64_t)w->srv->cfg.grace_ms);
}

static void wake_event(struct loop *l, struct loop_io *io, uint32_t events)
{
    struct es_worker *w = io->arg;
    eventfd_t v;
    (void)events;
    eventfd_read(io->fd, &v);
    if (atomic_load(&w->srv->stop)) {
        if (!w->stopping) {
            w->stopping = true;
            loop_timer_set(l, &w->stop_t, 0);
        }
        return;
    }
    if (!atomic_load(&w->paused) && !w->retry.slot)
        set_accepting(w, true);
}

/* ---- workers ---- */

static void log_fire(struct loop *l, struct loop_timer *t)
{
    struct es_worker *w = t->arg;
    es_conn_log_tick(w);
    loop_timer_set(l, t, 1000);
}

static void publish(struct es_worker *w)
{
    atomic_store_explicit(&w->pub_open, w->nconns, memory_order_relaxed);
    atomic_store_explicit(&w->pub_accepted, w->n_conns, memory_order_relaxed);
    atomic_store_explicit(&w->pub_in, w->n_in, memory_order_relaxed);
    atomic_store_explicit(&w->pub_out, w->n_bytes, memory_order_relaxed);
}

static void pub_fire(struct loop *l, struct loop_timer *t)
{
    publish(t->arg);
    loop_timer_set(l, t, 250);
}

void es_publish(struct echo_server *s, bool on)
{
    s->publish = on;
}

void es_counters(const struct echo_server *s, struct es_live *l)
{
    memset(l, 0, sizeof(*l));
    for (int i = 0; i < s->nw; i++) {
        struct es_worker *w = &s->w[i];
        l->open += atomic_load_explicit(&w->pub_open, memory_order_relaxed);
        l->accepted += atomic_load_explicit(&w->pub_accepted, memory_order_relaxed);
        l->bytes_in += atomic_load_explicit(&w->pub_in, memory_order_relaxed);
        l->bytes_out += atomic_load_explicit(&w->pub_out, memory_order_relaxed);
    }
}

bool es_wait(struct echo_server *s, int ms)
{
    struct timespec ts = loop_deadline_ts(ms);
    pthread_mutex_lock(&s->mu);
    while (s->running > 0)
        if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT)
            break;
    bool done = s->running == 0;
    pthread_mutex_unlock(&s->mu);
    return done;
}

static void *worker_main(void *arg)
{
    struct es_worker *w = arg;
    set_accepting(w, true);
    for (int i = 0; i < w->srv->nlis; i++)
        if (w->srv->lis[i].type == SOCK_DGRAM)
            loop_io_add(w->loop, &w->lio[i], EPOLLIN | EPOLLEXCLUSIVE);
    if (w->log)
        loop_timer_set(w->loop, &w->log_tm, 1000);
    if (w->srv->publish)
        loop_timer_set(w->loop, &w->pub_tm, 250);
    if (loop_run(w->loop) < 0) {
        /* EINTR: a signal (SIGINT, SIGTERM) woke every loop through loop_interrupt_all, and the
         * server stops. Anything else is this worker's failure: the others stop too. */
        if (errno != EINTR) {
            atomic_store(&w->srv->failed, true);
            es_stop(w->srv);
        }
        /* Our connections go now (outside the loop, so it is safe), each with the echo it
         * still owes if the socket takes it at once. */
        while (w->conns)
            es_conn_shutdown(w->conns);
    }
    publish(w);
    struct echo_server *s = w->srv;
    pthread_mutex_lock(&s->mu);
    s->running--;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
    eventfd_write(s->donefd, 1); /* es_join counts the workers that ended */
    return NULL;
}

static int worker_init(struct echo_server *s, struct es_worker *w, char err[NK_ERRLEN])
{
    w->srv = s;
    w->idx = (int)(w - s->w);
    w->log = s->cfg.event != NULL;
    w->log_tm = (struct loop_timer){.fn = log_fire, .arg = w};
    w->pub_tm = (struct loop_timer){.fn = pub_fire, .arg = w};
    w->loop = loop_new();
    w->buf = malloc(ES_PEND_MAX);
    w->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (!w->loop || !w->buf || w->wakefd < 0 || (s->cfg.udp && es_udp_init(w) < 0))
        return nk_seterr(err, "worker: %s", nk_strerror(errno ? errno : ENOMEM));
    w->wake_io = (struct loop_io){.fd = w->wakefd, .fn = wake_event, .arg = w};
    if (loop_io_add(w->loop, &w->wake_io, EPOLLIN) < 0)
        return nk_seterr(err, "worker: %s", nk_strerror(errno));
    for (int i = 0; i < s->nlis; i++)
        w->lio[i] = (struct loop_io){
            .fd = s->lis[i].fd,
            .fn = s->lis[i].type == SOCK_STREAM ? accept_event : es_udp_event,
            .arg = w,
        };
    w->retry = (struct loop_timer){.fn = retry_fire, .arg = w};
    w->stop_t = (struct loop_timer){.fn = stop_fire, .arg = w};
    w->grace = (struct loop_timer){.fn = grace_fire, .arg = w};
    return 0;
}

int es_start(struct echo_server *s, char err[NK_ERRLEN])
{
    s->w = calloc((size_t)s->cfg.threads, sizeof(*s->w));
    if (!s->w)
        return nk_seterr(err, "out of memory"), NK_FAIL;
    s->nw = s->cfg.threads;
    for (int i = 0; i < s->nw; i++)
        s->w[i].wakefd = -1; /* so that es_free closes only what was opened */
    s->donefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->donefd < 0)
        return nk_seterr(err, "worker: %s", nk_strerror(errno)), NK_FAIL;
    for (int i = 0; i < s->nw; i++)
        if (worker_init(s, &s->w[i], err) < 0)
            return NK_FAIL;
    /* Workers take no signals: the caller waits for them on its own thread. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = NK_OK;
    for (int i = 0; i < s->nw; i++) {
        pthread_mutex_lock(&s->mu);
        s->running++;
        pthread_mutex_unlock(&s->mu);
        int e = pthread_create(&s->w[i].thread, NULL, worker_main, &s->w[i]);
        if (e) {
            pthread_mutex_lock(&s->mu);
            s->running--;
            pthread_mutex_unlock(&s->mu);
            nk_seterr(err, "worker thread: %s", nk_strerror(e));
            rc = NK_FAIL;
            break;
        }
        s->w[i].started = true;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void es_stop(struct echo_server *s)
{
    atomic_store(&s->stop, true);
    for (int i = 0; i < s->nw; i++)
        if (s->w[i].wakefd >= 0)
            eventfd_write(s->w[i].wakefd, 1);
}

bool es_failed(const struct echo_server *s)
{
    return atomic_load(&s->failed);
}

/* The joining thread's loop: counts the workers that ended; all of them stops it. */
struct join_wait {
    struct loop_io io; /* the server's donefd */
    int left;          /* workers still running */
};

static void done_event(struct loop *l, struct loop_io *io, uint32_t events)
{
    (void)events;
    struct join_wait *jw = (struct join_wait *)io;
    eventfd_t n = 0;
    if (eventfd_read(io->fd, &n) == 0)
        jw->left -= (int)n;
    if (jw->left <= 0)
        loop_stop(l);
}

void es_join(struct echo_server *s, struct es_stats *st)
{
    /* Wait in an event loop of this thread rather than in pthread_join: a signal then finds
     * this thread in epoll_wait, and the one interrupt path (lib/sig.h) wakes this loop with
     * the workers'. (ThreadSanitizer's runtime can deadlock on a signal that lands inside
     * pthread_join.) The joins below then return at once. */
    struct join_wait jw = {.io = {.fd = s->donefd, .fn = done_event}};
    for (int i = 0; i < s->nw; i++)
        jw.left += s->w[i].started;
    struct loop *ml = jw.left > 0 && s->donefd >= 0 ? loop_new() : NULL;
    if (ml && loop_io_add(ml, &jw.io, EPOLLIN) == 0)
        loop_run(ml); /* until every worker ended, or an interrupt (they end too) */
    loop_free(ml);
    memset(st, 0, sizeof(*st));
    for (int i = 0; i < s->nw; i++) {
        struct es_worker *w = &s->w[i];
        if (w->started) {
            pthread_join(w->thread, NULL);
            w->started = false;
        }
        st->conns += w->n_conns;
        st->bytes += w->n_bytes;
        st->datagrams += w->n_dgrams;
        st->dropped += w->n_dropped;
        st->accept_pause += w->n_pause;
    }
}

void es_free(struct echo_server *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nw; i++) {
        struct es_worker *w = &s->w[i];
        if (w->started) /* es_join was not called: stop and wait here */
            es_stop(s), pthread_join(w->thread, NULL);
        while (w->conns) /* only a worker that never ran can still hold some */
            es_conn_close(w->conns, ES_END_SHUTDOWN);
        loop_free(w->loop);
        if (w->wakefd >= 0)
            close(w->wakefd);
        free(w->buf);
        es_udp_free(w);
    }
    free(s->w);
    if (s->donefd >= 0)
        close(s->donefd);
    close_listeners(s);
    if (s->unix_path[0])
        unlink(s->unix_path);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s);
}
