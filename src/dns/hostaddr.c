/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostaddr.c - a host argument to addresses, through c-ares on the project's event loop.
 *
 * A and AAAA are asked as two separate ares_getaddrinfo calls: in c-ares 1.18 one failing
 * family fails an AF_UNSPEC lookup whole, and its RFC 6724 sort connect()s a probe socket per
 * answer (ARES_AI_NOSORT avoids that). IPv6 answers are tried first, then IPv4. */
#include <ares.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>

#include "lib/err.h"
#include "dns/hostaddr.h"
#include "lib/loop.h"

/* Most c-ares sockets one lookup uses (UDP and TCP to a few servers). */
#define MAX_SOCKS 16

/* One family's lookup. */
struct fam_q {
    struct lookup *lk;      /* back pointer */
    int family;             /* AF_INET6 or AF_INET */
    int status;             /* ARES_* result; -1 while pending */
    struct net_addr *addrs; /* its answers */
    size_t n;               /* how many */
};

/* The state of one hostaddr_lookup call. */
struct lookup {
    struct loop *loop;            /* drives c-ares */
    ares_channel ch;              /* one channel for both families */
    struct loop_io io[MAX_SOCKS]; /* c-ares' sockets, fd -1 when free */
    struct loop_timer ares_tm;    /* c-ares' own retry timer */
    struct loop_timer deadline;   /* overall deadline: cancels everything */
    int pending;                  /* lookups not yet called back */
    int port;                     /* stored into each address */
    bool timed_out;               /* the deadline fired */
};

static void arm_ares_timer(struct lookup *lk);

static void on_sock(struct loop *l, struct loop_io *io, uint32_t ev)
{
    struct lookup *lk = io->arg;
    (void)l;
    ares_socket_t rfd = ev & (EPOLLIN | EPOLLERR | EPOLLHUP) ? io->fd : ARES_SOCKET_BAD;
    ares_socket_t wfd = ev & EPOLLOUT ? io->fd : ARES_SOCKET_BAD;
    ares_process_fd(lk->ch, rfd, wfd);
    arm_ares_timer(lk);
}

/* c-ares tells which sockets to watch; mirror that into the loop. */
static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
    struct lookup *lk = data;
    struct loop_io *slot = NULL, *free_slot = NULL;
    for (int i = 0; i < MAX_SOCKS; i++) {
        if (lk->io[i].fd == fd)
            slot = &lk->io[i];
        else if (lk->io[i].fd < 0 && !free_slot)
            free_slot = &lk->io[i];
    }
    uint32_t ev = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
    if (!ev) {
        if (slot) {
            loop_io_del(lk->loop, slot);
            slot->fd = -1;
        }
        return;
    }
    if (slot) {
        loop_io_mod(lk->loop, slot, ev);
    } else if (free_slot) {
        *free_slot = (struct loop_io){.fd = fd, .fn = on_sock, .arg = lk};
        if (loop_io_add(lk->loop, free_slot, ev) < 0)
            free_slot->fd = -1;
    }
}

static void on_ares_timer(struct loop *l, struct loop_timer *t)
{
    struct lookup *lk = t->arg;
    (void)l;
    ares_process_fd(lk->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    arm_ares_timer(lk);
}

static void arm_ares_timer(struct lookup *lk)
{
    struct timeval tv, *tvp = ares_timeout(lk->ch, NULL, &tv);
    if (lk->pending == 0 || !tvp) {
        loop_timer_cancel(lk->loop, &lk->ares_tm);
        return;
    }
    uint64_t ms = (uint64_t)tvp->tv_sec * 1000u + (uint64_t)tvp->tv_usec / 1000u;
    loop_timer_set(lk->loop, &lk->ares_tm, ms ? ms : 1);
}

static void on_deadline(struct loop *l, struct loop_timer *t)
{
    struct lookup *lk = t->arg;
    (void)l;
    lk->timed_out = true;
    ares_cancel(lk->ch); /* calls back every pending lookup with ARES_ECANCELLED */
}

static void on_result(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
    struct fam_q *q = arg;
    (void)timeouts;
    q->status = status;
    size_t n = 0;
    for (struct ares_addrinfo_node *a = res ? res->nodes : NULL; a; a = a->ai_next)
        n++;
    if (status == ARES_SUCCESS && n > 0 && (q->addrs = calloc(n, sizeof(*q->addrs)))) {
        for (struct ares_addrinfo_node *a = res->nodes; a; a = a->ai_next) {
            if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
                a->ai_addrlen > sizeof(q->addrs[0].ss))
                continue;
            struct net_addr *d = &q->addrs[q->n++];
            memcpy(&d->ss, a->ai_addr, a->ai_addrlen);
            d->len = a->ai_addrlen;
            net_set_port((struct sockaddr *)&d->ss, q->lk->port);
        }
    }
    if (res)
        ares_freeaddrinfo(res);
    if (--q->lk->pending == 0) {
        loop_timer_cancel(q->lk->loop, &q->lk->deadline);
        loop_timer_cancel(q->lk->loop, &q->lk->ares_tm);
    }
}

/* A name as DNS allows it: 1-253 bytes, labels of 1-63 bytes, no blanks or control bytes. */
static bool name_ok(const char *s)
{
    size_t len = strlen(s), label = 0;
    if (len == 0 || len > 254 || (len == 254 && s[253] != '.'))
        return false;
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
        if (*p == '.') {
            if (label == 0)
                return false;
            label = 0;
        } else if (++label > 63) {
            return false;
        }
    }
    return true;
}

static int channel_init(struct lookup *lk, const struct hostaddr_req *req, char err[NK_ERRLEN])
{
    struct ares_options o = {0};
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    int total = req->timeout_ms > 0 ? req->timeout_ms : 5000;
    o.sock_state_cb = sock_state;
    o.sock_state_cb_data = lk;
    o.timeout = total / 4 > 0 ? total / 4 : 1; /* c-ares doubles it on each round */
    o.tries = 2;
    const char *rc = getenv("NETKIT_RESOLV_CONF");
    if (rc && *rc) {
        o.resolvconf_path = (char *)rc;
        mask |= ARES_OPT_RESOLVCONF;
    }
    int st = ares_init_options(&lk->ch, &o, mask);
    if (st != ARES_SUCCESS)
        return nk_seterr(err, "%s: resolver: %s", req->host, ares_strerror(st));
    if (req->server && (st = ares_set_servers_ports_csv(lk->ch, req->server)) != ARES_SUCCESS)
        return nk_seterr(err, "'%s': bad DNS server: %s", req->server, ares_strerror(st));
    return 0;
}

static int numeric(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n)
{
    char buf[NET_ADDRSTRLEN], e[NK_ERRLEN];
    const char *h = req->host;
    size_t len = strlen(h);
    if (h[0] == '[' && len > 2 && h[len - 1] == ']' && len - 2 < sizeof(buf)) {
        memcpy(buf, h + 1, len - 2);
        buf[len - 2] = '\0';
        h = buf;
    }
    struct net_addr a;
    if (net_parse_ip(h, req->port, &a, e) < 0)
        return 1; /* not numeric: a name */
    if (req->family != AF_UNSPEC && a.ss.ss_family != req->family)
        return -1;
    if (!(*addrs = malloc(sizeof(a))))
        return -1;
    **addrs = a;
    *n = 1;
    return 0;
}

/* RFC 6761: "localhost" and names under it are the loopback addresses, never asked of DNS.
 * (c-ares 1.18 answers them itself but leaks the name when it does.) */
static bool is_localhost(const char *h)
{
    size_t len = strlen(h);
    if (len && h[len - 1] == '.')
        len--;
    return (len == 9 && strncasecmp(h, "localhost", 9) == 0) ||
           (len > 10 && strncasecmp(h + len - 10, ".localhost", 10) == 0);
}

static int localhost(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                     char err[NK_ERRLEN])
{
    static const char *const loop[] = {"::1", "127.0.0.1"};
    if (!(*addrs = calloc(2, sizeof(**addrs))))
        return nk_seterr(err, "%s: out of memory", req->host);
    for (int i = 0; i < 2; i++) {
        int fam = i == 0 ? AF_INET6 : AF_INET;
        if (req->family == AF_UNSPEC || req->family == fam)
            net_parse_ip(loop[i], req->port, &(*addrs)[(*n)++], err);
    }
    return 0;
}

int hostaddr_lookup(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                    char err[NK_ERRLEN])
{
    *addrs = NULL;
    *n = 0;
    int r = numeric(req, addrs, n);
    if (r == 0)
        return 0;
    if (r < 0)
        return nk_seterr(err, "%s: not an address of the family asked for", req->host);
    if (!name_ok(req->host)) {
        nk_seterr(err, "'%s': not a valid host name", req->host);
        return -2;
    }
    if (is_localhost(req->host))
        return localhost(req, addrs, n, err);

    struct lookup lk = {.port = req->port};
    struct fam_q qs[2] = {{&lk, AF_INET6, -1, NULL, 0}, {&lk, AF_INET, -1, NULL, 0}};
    for (int i = 0; i < MAX_SOCKS; i++)
        lk.io[i].fd = -1;
    ares_library_init(ARES_LIB_INIT_ALL);
    int rc = -1;
    if (!(lk.loop = loop_new())) {
        nk_seterr(err, "%s: %s", req->host, nk_strerror(errno));
        goto out;
    }
    if (channel_init(&lk, req, err) < 0)
        goto out;
    lk.ares_tm = (struct loop_timer){.fn = on_ares_timer, .arg = &lk};
    lk.deadline = (struct loop_timer){.fn = on_deadline, .arg = &lk};
    loop_timer_set(lk.loop, &lk.deadline, req->timeout_ms > 0 ? (uint64_t)req->timeout_ms : 5000);
    struct ares_addrinfo_hints h = {.ai_flags = ARES_AI_NOSORT | ARES_AI_ENVHOSTS};
    for (int i = 0; i < 2; i++) {
        if (req->family != AF_UNSPEC && req->family != qs[i].family) {
            qs[i].status = ARES_ENODATA;
            continue;
        }
        h.ai_family = qs[i].family;
        lk.pending++;
        ares_getaddrinfo(lk.ch, req->host, NULL, &h, on_result, &qs[i]);
    }
    arm_ares_timer(&lk);
    while (lk.pending > 0)
        if (loop_run(lk.loop) < 0)
            break;

    size_t total = qs[0].n + qs[1].n;
    if (total > 0 && (*addrs = malloc(total * sizeof(**addrs)))) {
        for (size_t i = 0; i < qs[0].n; i++)
            (*addrs)[i] = qs[0].addrs[i];
        for (size_t i = 0; i < qs[1].n; i++)
            (*addrs)[qs[0].n + i] = qs[1].addrs[i];
        *n = total;
        rc = 0;
    } else if (lk.timed_out || qs[0].status == ARES_ETIMEOUT || qs[1].status == ARES_ETIMEOUT) {
        nk_seterr(err, "%s: lookup timed out", req->host);
    } else if (qs[0].status == ARES_ENOTFOUND || qs[1].status == ARES_ENOTFOUND) {
        nk_seterr(err, "%s: no such name (NXDOMAIN)", req->host);
    } else if (qs[0].status == ARES_ENODATA || qs[1].status == ARES_ENODATA) {
        nk_seterr(err, "%s: no address (NODATA)", req->host);
    } else {
        int st = qs[0].status > 0 ? qs[0].status : qs[1].status;
        nk_seterr(err, "%s: lookup failed: %s", req->host, ares_strerror(st));
    }
out:
    if (lk.ch)
        ares_destroy(lk.ch); /* closes its sockets through sock_state */
    for (int i = 0; i < MAX_SOCKS; i++)
        if (lk.io[i].fd >= 0)
            loop_io_del(lk.loop, &lk.io[i]);
    loop_free(lk.loop);
    free(qs[0].addrs);
    free(qs[1].addrs);
    ares_library_cleanup();
    return rc;
}
