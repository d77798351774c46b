/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns.c - c-ares 1.18 on loop.h: the channel, its sockets and timer, lookups and their status.
 */
#include <ares.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib/err.h"
#include "dns/dns.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "dns/hostsfile.h"

/* Receive buffer asked for each UDP socket: a batch with hundreds of answers in flight must not
 * lose them in our own socket (the kernel caps it at rmem_max unless we may force it). */
#define DNS_RCVBUF (4 << 20)
/* The timer never fires more often than this: a late timeout by a few ms costs nothing, and
 * ares_timeout walks every pending query. */
#define DNS_TIMER_MIN_MS 5
/* The UDP buffer size netkit offers with EDNS (resolve -v): dig's default, the DNS flag day
 * 2020 figure. */
#define DNS_EDNS_SIZE 1232

/* One descriptor c-ares opened: its loop handle and the server it talks to. */
struct watch {
    struct loop_io io;    /* registered while c-ares wants events */
    struct dns *d;        /* owner */
    bool active;          /* io is in the loop */
    bool has_peer;        /* peer is valid (connect was called) */
    struct net_addr peer; /* the server this socket is connected to */
};

struct dns {
    struct loop *l;             /* the loop the channel runs on */
    ares_channel ch;            /* DNS channel */
    ares_channel hch;           /* files-only channel for the hosts file; NULL with no_hosts */
    bool no_domains;            /* resolv.conf gave no search list: a name with a dot is
                                   asked as it is, and ares_search would only add its own
                                   bookkeeping to ares_query */
    struct hosts *hosts;        /* the hosts file, read once (hch only for the names c-ares
                                   treats specially: hosts_plain_name) */
    struct dns_opts o;          /* settings (servers pointer not kept) */
    struct loop_timer timer;    /* c-ares retry and timeout processing */
    struct watch **w;           /* per descriptor, indexed by fd; kept until dns_free, so a
                                   pending event for a closed socket never touches freed memory */
    size_t nw;                  /* size of w */
    struct net_addr last_from;  /* who sent the packet read last (raw: formatting it
                                   for every packet cost more than parsing it) */
    struct net_addr shown_from; /* the address last_server was formatted from */
    char last_server[NET_ADDRSTRLEN]; /* shown_from as "ADDR:PORT" */
    size_t pending;                   /* lookups not yet finished */
    uint64_t idle_reads;              /* reads that found nothing waiting */
    bool tcp_hangup;                  /* a TCP server closed a connection on us */
    bool last_tcp;                    /* the packet read last came over TCP */
    struct job *spare;                /* finished jobs for reuse: a batch starts and ends one
                                         per answer, and malloc's slow path for blocks this
                                         size cost more than the rest of a lookup's work */
};

/* One sub-query of a lookup (address mode has two). */
struct sub {
    struct job *j;      /* the lookup */
    int type;           /* what it asks */
    enum dns_status st; /* how it ended */
};

/* One lookup. */
struct job {
    struct dns *d;           /* channel */
    dns_done_fn fn;          /* caller's callback */
    void *arg;               /* its argument */
    int type;                /* 0: address mode */
    int left;                /* sub-queries not yet back */
    int nsub;                /* sub-queries started */
    struct sub sub[2];       /* A and AAAA (or the one type) */
    uint64_t t0_us;          /* start, for time_ms */
    struct dns_result r;     /* being built */
    char name[DNS_NAME_BUF]; /* the name asked */
    struct job *next_spare;  /* in dns.spare */
};

const char *dns_status_name(enum dns_status s)
{
    static const char *const n[] = {"NOERROR", "NXDOMAIN", "NODATA", "SERVFAIL",
                                    "REFUSED", "TIMEOUT",  "ERROR"};
    return (unsigned)s < sizeof(n) / sizeof(n[0]) ? n[s] : "ERROR";
}

const char *dns_status_text(const struct dns_result *r, int type, char buf[DNS_TEXT_BUF])
{
    char tb[DNS_TYPE_BUF];
    switch (r->status) {
    case DNS_S_NOERROR: return "answered (NOERROR)";
    case DNS_S_NXDOMAIN: return "no such name (NXDOMAIN)";
    case DNS_S_NODATA:
        if (type == 0)
            return "no address (NODATA)";
        snprintf(buf, DNS_TEXT_BUF, "no %s record (NODATA)", dns_type_name(type, tb));
        return buf;
    case DNS_S_SERVFAIL: return "server failure (SERVFAIL)";
    case DNS_S_REFUSED: return "query refused (REFUSED)";
    case DNS_S_TIMEOUT: return "no answer in time (TIMEOUT)";
    default: return r->error[0] ? r->error : "lookup failed";
    }
}

static void free_recs(struct dns_answer **v, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < *n; i++)
        free((*v)[i].name); /* data lives in the same block */
    free(*v);
    *v = NULL;
    *n = *cap = 0;
}

void dns_result_free(struct dns_result *r)
{
    free_recs(&r->ans, &r->nans, &r->capans);
    free_recs(&r->auth, &r->nauth, &r->capauth);
    free_recs(&r->addl, &r->naddl, &r->capaddl);
}

/* Append a record to the list v (n used, cap allocated). 0 or -1 (out of memory). */
static int push_rec(struct dns_answer **v, size_t *n, size_t *cap, const char *name, int type,
                    uint32_t ttl, const char *data, bool hosts)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 4;
        struct dns_answer *a = realloc(*v, c * sizeof(*a));
        if (!a)
            return -1;
        *v = a;
        *cap = c;
    }
    struct dns_answer *a = &(*v)[*n];
    /* Name and data in one block: half the allocations of a batch's answers. */
    size_t ln = strlen(name) + 1, ld = strlen(data) + 1;
    a->name = malloc(ln + ld);
    if (!a->name)
        return -1;
    memcpy(a->name, name, ln);
    a->data = memcpy(a->name + ln, data, ld);
    a->type = type;
    a->ttl = ttl;
    a->hosts = hosts;
    (*n)++;
    return 0;
}

static int add_answer(struct dns_result *r, const char *name, int type, uint32_t ttl,
                      const char *data, bool hosts)
{
    return push_rec(&r->ans, &r->nans, &r->capans, name, type, ttl, data, hosts);
}

/* ---- descriptors and the timer ---- */

static struct watch *get_watch(struct dns *d, int fd)
{
    if (fd < 0)
        return NULL;
    if ((size_t)fd >= d->nw) {
        size_t n = d->nw ? d->nw : 64;
        while (n <= (size_t)fd)
            n *= 2;
        struct watch **w = realloc(d->w, n * sizeof(*w));
        if (!w)
            return NULL;
        memset(w + d->nw, 0, (n - d->nw) * sizeof(*w));
        d->w = w;
        d->nw = n;
    }
    if (!d->w[fd]) {
        d->w[fd] = calloc(1, sizeof(struct watch));
        if (!d->w[fd])
            return NULL;
        d->w[fd]->d = d;
    }
    return d->w[fd];
}

static void timer_fn(struct loop *l, struct loop_timer *t);

/* Arm the timer for c-ares' next deadline if it is not armed; cancel it when idle. */
static void arm_timer(struct dns *d)
{
    if (d->pending == 0) {
        loop_timer_cancel(d->l, &d->timer);
        return;
    }
    if (d->timer.slot)
        return;
    struct timeval tv, *tp = ares_timeout(d->ch, NULL, &tv);
    uint64_t ms = 1000;
    if (tp)
        ms = (uint64_t)tp->tv_sec * 1000u + ((uint64_t)tp->tv_usec + 999u) / 1000u;
    if (ms < DNS_TIMER_MIN_MS)
        ms = DNS_TIMER_MIN_MS;
    loop_timer_set(d->l, &d->timer, ms);
}

static void timer_fn(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct dns *d = t->arg;
    ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    arm_timer(d);
}

static void io_fn(struct loop *l, struct loop_io *io, uint32_t ev)
{
    (void)l;
    struct watch *w = io->arg;
    if (!w->active)
        return; /* closed earlier in this batch of events */
    int fd = io->fd;
    ares_socket_t r = (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) ? fd : ARES_SOCKET_BAD;
    ares_socket_t wr = (ev & (EPOLLOUT | EPOLLERR)) ? fd : ARES_SOCKET_BAD;
    ares_process_fd(w->d->ch, r, wr);
    arm_timer(w->d);
}

static void sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
    struct dns *d = data;
    struct watch *w = get_watch(d, fd);
    if (!w)
        return; /* out of memory: the query will time out rather than crash */
    uint32_t ev = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0);
    if (ev && !w->active) {
        w->io.fd = fd;
        w->io.fn = io_fn;
        w->io.arg = w;
        if (loop_io_add(d->l, &w->io, ev) == 0)
            w->active = true;
    } else if (ev) {
        loop_io_mod(d->l, &w->io, ev);
    } else if (w->active) {
        loop_io_del(d->l, &w->io);
        w->active = false;
    }
}

/* ---- socket functions: plain system calls, recording the server each socket talks to ---- */

/* c-ares 1.18 leaves a socket from user functions as it is: it must be non-blocking here, or
 * a read after a spurious wake-up would block the whole loop. */
static ares_socket_t w_socket(int af, int type, int proto, void *ud)
{
    (void)ud;
    int fd = socket(af, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
    if (fd >= 0 && type == SOCK_DGRAM) {
        int sz = DNS_RCVBUF;
        if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
    }
    return fd;
}

static int w_close(ares_socket_t fd, void *ud)
{
    struct dns *d = ud;
    if (fd >= 0 && (size_t)fd < d->nw && d->w[fd]) {
        struct watch *w = d->w[fd];
        if (w->active) { /* never leave a closed descriptor counted in the loop */
            loop_io_del(d->l, &w->io);
            w->active = false;
        }
        w->has_peer = false;
    }
    return close(fd);
}

static int w_connect(ares_socket_t fd, const struct sockaddr *sa, ares_socklen_t len, void *ud)
{
    struct dns *d = ud;
    int rc = connect(fd, sa, len);
    int e = errno;
    struct watch *w = get_watch(d, fd);
    if (w && len <= sizeof(w->peer.ss)) {
        memcpy(&w->peer.ss, sa, len);
        w->peer.len = len;
        w->has_peer = true;
    }
    errno = e;
    return rc;
}

static ares_ssize_t w_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags,
                               struct sockaddr *from, ares_socklen_t *fromlen, void *ud)
{
    struct dns *d = ud;
    ssize_t n = recvfrom(fd, buf, len, flags, from, fromlen);
    /* c-ares reads a UDP socket until EAGAIN: then every answer had been read. It reads TCP
     * (no from) once per event, which tells nothing: such reads never hold the window back. */
    if (!from || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)))
        d->idle_reads++;
    if (!from && (n == 0 || (n < 0 && errno == ECONNRESET)))
        d->tcp_hangup = true; /* c-ares reports it as ECONNREFUSED: query_cb says what it was */
    if (n > 0) {
        d->last_tcp = !from;
        if (from && fromlen && *fromlen > 0 && *fromlen <= sizeof(d->last_from.ss)) {
            memcpy(&d->last_from.ss, from, *fromlen);
            d->last_from.len = *fromlen;
        } else if ((size_t)fd < d->nw && d->w[fd] && d->w[fd]->has_peer) {
            d->last_from = d->w[fd]->peer;
        }
    }
    return n;
}

/* The server that sent the packet read last, as text: formatted again only when it changes. */
static const char *last_server(struct dns *d)
{
    if (d->last_from.len == 0)
        return "";
    if (d->shown_from.len != d->last_from.len ||
        memcmp(&d->shown_from.ss, &d->last_from.ss, d->last_from.len) != 0) {
        net_ntop_port((struct sockaddr *)&d->last_from.ss, d->last_server, sizeof(d->last_server));
        d->shown_from = d->last_from;
    }
    return d->last_server;
}

/* A send on a connected UDP socket fails with ECONNREFUSED when the ICMP "port unreachable"
 * of an EARLIER datagram is pending: the error belongs to the queries already waiting, not to
 * this one. c-ares 1.18 fails only the query being sent and the error is then gone, so the
 * queries waiting on the socket never hear of it and end as TIMEOUT (address mode's A and AAAA
 * with --tries 1). Sending again delivers this datagram; its own refusal then reaches the next
 * read, where c-ares fails every query of the socket at once. Bounded: each refused send
 * consumes one pending error. */
#define DNS_REFUSED_RESENDS 4

static bool refused_udp(int fd)
{
    int type = 0;
    socklen_t l = sizeof(type);
    return errno == ECONNREFUSED && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &l) == 0 &&
           type == SOCK_DGRAM;
}

static ares_ssize_t w_sendv(ares_socket_t fd, const struct iovec *iov, int n, void *ud)
{
    (void)ud;
    ssize_t r;
    int k = 0;
    do {
        /* A UDP query is one buffer: send() skips writev's file-layer work (c-ares' default) */
        if (n == 1) {
            r = send(fd, iov[0].iov_base, iov[0].iov_len, MSG_NOSIGNAL);
        } else {
            struct msghdr m = {.msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)n};
            r = sendmsg(fd, &m, MSG_NOSIGNAL);
        }
    } while (r < 0 && ++k <= DNS_REFUSED_RESENDS && refused_udp(fd));
    return r;
}

static const struct ares_socket_functions sock_funcs = {w_socket, w_close, w_connect, w_recvfrom,
                                                        w_sendv};

/* ---- channel ---- */

/* ares_library_init's outcome: it runs once per process, whatever number of channels come and
 * go (the shell makes one per command). It is never undone: ares_library_cleanup while another
 * thread still had a channel would pull the library from under it, and on Linux the library
 * holds nothing to give back. */
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int lib_status;

static void lib_init(void)
{
    lib_status = ares_library_init(ARES_LIB_INIT_ALL);
}

struct dns *dns_new(struct loop *l, const struct dns_opts *o, char err[NK_ERRLEN])
{
    pthread_once(&lib_once, lib_init);
    if (lib_status != ARES_SUCCESS)
        return nk_seterr(err, "c-ares: %s", ares_strerror(lib_status)), NULL;
    struct dns *d = calloc(1, sizeof(*d));
    if (!d)
        return nk_seterr(err, "out of memory"), NULL;
    d->l = l;
    d->o = *o;
    d->o.servers = NULL;
    const char *rc_path = o->resolvconf ? o->resolvconf : getenv("NETKIT_RESOLV_CONF");
    if (rc_path && !*rc_path)
        rc_path = NULL;
    d->timer.fn = timer_fn;
    d->timer.arg = d;

    struct ares_options ao;
    memset(&ao, 0, sizeof(ao));
    int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB |
               ARES_OPT_LOOKUPS;
    ao.flags = ARES_FLAG_NOCHECKRESP | (o->tcp ? ARES_FLAG_USEVC : 0) |
               (o->no_search ? ARES_FLAG_NOSEARCH : 0) | (o->sections ? ARES_FLAG_EDNS : 0);
    if (o->sections) {
        mask |= ARES_OPT_EDNSPSZ;
        ao.ednspsz = DNS_EDNS_SIZE;
    }
    ao.timeout = o->timeout_ms;
    ao.tries = o->tries;
    ao.sock_state_cb = sock_state_cb;
    ao.sock_state_cb_data = d;
    ao.lookups = (char *)"b";
    if (rc_path) {
        mask |= ARES_OPT_RESOLVCONF;
        ao.resolvconf_path = (char *)rc_path;
    }
    int rc = ares_init_options(&d->ch, &ao, mask);
    if (rc != ARES_SUCCESS) {
        nk_seterr(err, "c-ares: %s", ares_strerror(rc));
        free(d);
        return NULL;
    }
    ares_set_socket_functions(d->ch, &sock_funcs, d);
    if (o->nservers > 0) {
        char csv[DNS_MAX_SERVERS * NET_ADDRSTRLEN];
        if (dns_servers_csv(o->servers, o->nservers, csv, sizeof(csv)) < 0 ||
            (rc = ares_set_servers_ports_csv(d->ch, csv)) != ARES_SUCCESS) {
            nk_seterr(err, "servers: %s", ares_strerror(rc));
            dns_free(d);
            return NULL;
        }
    }
    struct ares_options so;
    int smask = 0;
    if (ares_save_options(d->ch, &so, &smask) == ARES_SUCCESS) {
        d->no_domains = so.ndomains == 0;
        ares_destroy_options(&so);
    }
    if (!o->no_hosts) {
        /* Files only: this channel never sends a packet, it only reads the hosts file. */
        struct ares_options ho;
        memset(&ho, 0, sizeof(ho));
        ho.lookups = (char *)"f";
        ho.flags = ARES_FLAG_NOSEARCH;
        int hmask = ARES_OPT_LOOKUPS | ARES_OPT_FLAGS;
        if (rc_path) {
            hmask |= ARES_OPT_RESOLVCONF;
            ho.resolvconf_path = (char *)rc_path;
        }
        rc = ares_init_options(&d->hch, &ho, hmask);
        if (rc != ARES_SUCCESS) {
            nk_seterr(err, "c-ares: %s", ares_strerror(rc));
            dns_free(d);
            return NULL;
        }
        /* The file ares_getaddrinfo reads with ARES_AI_ENVHOSTS. */
        const char *hp = getenv("CARES_HOSTS");
        d->hosts = hosts_load(hp ? hp : "/etc/hosts");
        if (!d->hosts) {
            nk_seterr(err, "out of memory");
            dns_free(d);
            return NULL;
        }
    }
    return d;
}

void dns_free(struct dns *d)
{
    if (!d)
        return;
    if (d->ch) {
        ares_cancel(d->ch);
        ares_destroy(d->ch); /* closes its sockets through sock_state_cb and w_close */
    }
    if (d->hch)
        ares_destroy(d->hch);
    hosts_free(d->hosts);
    loop_timer_cancel(d->l, &d->timer);
    for (size_t i = 0; i < d->nw; i++)
        free(d->w[i]);
    free(d->w);
    while (d->spare) {
        struct job *j = d->spare;
        d->spare = j->next_spare;
        free(j);
    }
    free(d);
}

void dns_cancel_all(struct dns *d)
{
    ares_cancel(d->ch);
    arm_timer(d);
}

size_t dns_pending(const struct dns *d)
{
    return d->pending;
}

uint64_t dns_idle_reads(const struct dns *d)
{
    return d->idle_reads;
}

/* ---- lookups ---- */

/* c-ares status (with NOCHECKRESP, so rcodes arrive as themselves) to ours. */
static enum dns_status map_status(int st, char err[NK_ERRLEN])
{
    switch (st) {
    case ARES_SUCCESS: return DNS_S_NOERROR;
    case ARES_ENODATA: return DNS_S_NODATA;
    case ARES_ENOTFOUND: return DNS_S_NXDOMAIN;
    case ARES_ESERVFAIL: return DNS_S_SERVFAIL;
    case ARES_EREFUSED: return DNS_S_REFUSED;
    case ARES_ETIMEOUT:
    case ARES_ECANCELLED:
    case ARES_EDESTRUCTION: return DNS_S_TIMEOUT;
    case ARES_ENOTIMP: nk_seterr(err, "server does not implement it (NOTIMP)"); break;
    case ARES_EFORMERR: nk_seterr(err, "server reports a format error (FORMERR)"); break;
    case ARES_ECONNREFUSED: nk_seterr(err, "connection refused"); break;
    case ARES_EBADRESP: nk_seterr(err, "malformed answer"); break;
    case ARES_EBADNAME: nk_seterr(err, "bad name"); break;
    default: nk_seterr(err, "%s", ares_strerror(st)); break;
    }
    return DNS_S_ERROR;
}

/* Order of answers in address mode: the CNAME chain, then A, then AAAA. */
static int rank(int type)
{
    return type == DNS_T_CNAME ? 0 : type == DNS_T_A ? 1 : 2;
}

static void finish(struct job *j)
{
    struct dns *d = j->d;
    struct dns_result *r = &j->r;
    if (j->type == 0) {
        bool any = false;
        for (size_t i = 0; i < r->nans; i++)
            if (r->ans[i].type != DNS_T_CNAME)
                any = true;
        /* Best first: an address; the name exists; a failure; no such name. */
        enum dns_status st = DNS_S_NXDOMAIN;
        for (int i = 0; i < j->nsub; i++) {
            enum dns_status s = j->sub[i].st;
            if (s == DNS_S_NODATA || (s == DNS_S_NOERROR && st != DNS_S_NODATA))
                st = DNS_S_NODATA;
            else if (s != DNS_S_NXDOMAIN && s != DNS_S_NOERROR && st == DNS_S_NXDOMAIN)
                st = s;
        }
        r->status = any ? DNS_S_NOERROR : st;
        /* A stable insertion sort: a handful of records. */
        for (size_t i = 1; i < r->nans; i++) {
            struct dns_answer a = r->ans[i];
            size_t k = i;
            for (; k > 0 && rank(r->ans[k - 1].type) > rank(a.type); k--)
                r->ans[k] = r->ans[k - 1];
            r->ans[k] = a;
        }
    } else {
        r->status = j->sub[0].st;
        if (r->status == DNS_S_NOERROR && r->nans == 0)
            r->status = DNS_S_NODATA;
    }
    r->time_ms = (double)(loop_clock_us() - j->t0_us) / 1000.0;
    d->pending--;
    j->fn(j->arg, r); /* the callee owns the result now */
    j->next_spare = d->spare;
    d->spare = j;
}

/* Is there already a record with this name, type and data in v[0..n-1]? */
static bool have_rec(const struct dns_answer *v, size_t n, const char *name, int type,
                     const char *data)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].type == type && strcmp(v[i].name, name) == 0 && strcmp(v[i].data, data) == 0)
            return true;
    return false;
}

/* ... among the answers (the CNAME chain comes twice)? */
static bool have(const struct dns_result *r, const char *name, int type, const char *data)
{
    return have_rec(r->ans, r->nans, name, type, data);
}

/* -v: the authority and additional sections after the answers (w stands past them), each
 * record once (address mode's two answers repeat them); the OPT record gives the EDNS size.
 * Also the response's transport and size. 0, or -1 with err. */
static int take_sections(struct job *j, struct dns_walk *w, size_t alen, char *data, size_t cap,
                         char err[NK_ERRLEN])
{
    struct dns_result *r = &j->r;
    struct dns_rr rr;
    int rc = 0;
    r->nresp++;
    r->size += alen;
    r->tcp = r->tcp || j->d->last_tcp;
    for (int sec = 0; sec < 2 && rc == 0; sec++) {
        struct dns_answer **v = sec ? &r->addl : &r->auth;
        size_t *n = sec ? &r->naddl : &r->nauth, *c = sec ? &r->capaddl : &r->capauth;
        w->left = sec ? w->hdr.arcount : w->hdr.nscount;
        while ((rc = dns_walk_next(w, &rr, err)) > 0) {
            if (rr.type == DNS_T_OPT) {
                r->has_edns = true;
                r->edns = rr.rclass;
                continue;
            }
            if (dns_rdata_format(w->pkt, w->len, &rr, data, cap, err) < 0)
                return -1;
            if (!have_rec(*v, *n, rr.name, rr.type, data) &&
                push_rec(v, n, c, rr.name, rr.type, rr.ttl, data, false) < 0)
                return nk_seterr(err, "out of memory");
        }
    }
    return rc;
}

/* Walk one answer into the result: every record in type mode; CNAME/A/AAAA in address mode. */
static int take_packet(struct job *j, const unsigned char *abuf, int alen, char err[NK_ERRLEN])
{
    struct dns_walk w;
    struct dns_rr rr;
    /* Room for any 64 KiB record's presentation form; static as one loop runs per thread. */
    static char data[1 << 18];
    int rc;
    if (dns_walk_init(&w, abuf, (size_t)alen, err) < 0)
        return -1;
    j->r.have_hdr = true;
    j->r.rcode = w.hdr.rcode;
    j->r.flags = w.hdr.flags;
    while ((rc = dns_walk_next(&w, &rr, err)) > 0) {
        if (j->type == 0 && rr.type != DNS_T_CNAME && rr.type != j->sub[0].type &&
            (j->nsub < 2 || rr.type != j->sub[1].type))
            continue;
        if (dns_rdata_format(w.pkt, w.len, &rr, data, sizeof(data), err) < 0)
            return -1;
        if (j->type == 0 && rr.type == DNS_T_CNAME && have(&j->r, rr.name, rr.type, data))
            continue;
        if (add_answer(&j->r, rr.name, rr.type, rr.ttl, data, false) < 0)
            return nk_seterr(err, "out of memory");
    }
    if (rc == 0 && j->d->o.sections)
        rc = take_sections(j, &w, (size_t)alen, data, sizeof(data), err);
    return rc;
}

static void query_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct sub *s = arg;
    struct job *j = s->j;
    char err[NK_ERRLEN] = "";
    s->st = map_status(status, err);
    if (status == ARES_ECONNREFUSED && j->d->tcp_hangup)
        nk_seterr(err, "the server closed the connection without an answer");
    if (abuf && alen > 0) {
        const char *srv = last_server(j->d);
        memcpy(j->r.server, srv, strlen(srv) + 1); /* both NET_ADDRSTRLEN */
        if (take_packet(j, abuf, alen, err) < 0) {
            s->st = DNS_S_ERROR;
        } else if (j->r.rcode > 5 && s->st != DNS_S_ERROR) {
            /* c-ares passes rcodes it does not know (6-15) as success: never NODATA. */
            char rb[16];
            s->st = DNS_S_ERROR;
            nk_seterr(err, "server answered rcode %s", dns_rcode_name(j->r.rcode, rb));
        }
    }
    if (s->st == DNS_S_ERROR && !j->r.error[0])
        snprintf(j->r.error, sizeof(j->r.error), "%s", err);
    if (--j->left == 0)
        finish(j);
}

static void start_dns(struct job *j)
{
    struct dns *d = j->d;
    size_t l = strlen(j->name);
    bool as_is = d->o.no_search || (l > 0 && j->name[l - 1] == '.') ||
                 (d->no_domains && strchr(j->name, '.') && !hosts_onion_name(j->name));
    /* One reference more than the queries: a query that fails at once (out of memory, a name
     * c-ares cannot encode) calls back before ares_query returns, and must not free j yet. */
    j->left = j->nsub + 1;
    for (int i = 0; i < j->nsub; i++) {
        /* ares_search applies the search list and ndots; an absolute name needs none, nor
         * does any name with a dot without a search list (ares_search rejects .onion names
         * and reads HOSTALIASES for names without a dot: those still go through it). */
        if (as_is)
            ares_query(d->ch, j->name, 1 /* IN */, j->sub[i].type, query_cb, &j->sub[i]);
        else
            ares_search(d->ch, j->name, 1, j->sub[i].type, query_cb, &j->sub[i]);
    }
    if (--j->left == 0)
        finish(j);
    arm_timer(d);
}

/* The owner name of a hosts-file answer: the name asked, with its final dot. */
static void hosts_owner(const struct job *j, char owner[DNS_NAME_BUF + 1])
{
    size_t l = strlen(j->name);
    snprintf(owner, DNS_NAME_BUF + 1, "%s%s", j->name, l && j->name[l - 1] == '.' ? "" : ".");
}

static void hosts_add(struct job *j, const char *owner, int family, const char *host)
{
    int type = family == AF_INET ? DNS_T_A : DNS_T_AAAA;
    if ((j->d->o.family == AF_INET && type != DNS_T_A) ||
        (j->d->o.family == AF_INET6 && type != DNS_T_AAAA))
        return;
    if (!have(&j->r, owner, type, host))
        add_answer(&j->r, owner, type, 0, host, true);
}

/* The hosts file said its piece: done if it had addresses, else ask DNS. */
static void hosts_done(struct job *j)
{
    if (j->r.nans > 0) {
        j->sub[0].st = DNS_S_NOERROR;
        j->nsub = 1;
        finish(j);
    } else {
        start_dns(j);
    }
}

static void hosts_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
    (void)timeouts;
    struct job *j = arg;
    if (status == ARES_SUCCESS && res) {
        char host[NET_ADDRSTRLEN], owner[DNS_NAME_BUF + 1];
        hosts_owner(j, owner);
        for (struct ares_addrinfo_node *n = res->nodes; n; n = n->ai_next)
            hosts_add(j, owner, n->ai_family, net_ntop(n->ai_addr, host, sizeof(host)));
    }
    if (res)
        ares_freeaddrinfo(res);
    hosts_done(j);
}

int dns_lookup(struct dns *d, const char *ascii_name, int type, dns_done_fn fn, void *arg,
               char err[NK_ERRLEN])
{
    struct job *j = d->spare;
    if (j) {
        d->spare = j->next_spare;
        memset(j, 0, sizeof(*j));
    } else if (!(j = calloc(1, sizeof(*j)))) {
        return nk_seterr(err, "out of memory");
    }
    j->d = d;
    j->fn = fn;
    j->arg = arg;
    j->type = type;
    j->t0_us = loop_clock_us();
    size_t nl = strnlen(ascii_name, sizeof(j->name) - 1);
    memcpy(j->name, ascii_name, nl);
    j->name[nl] = '\0';
    if (type) {
        j->sub[j->nsub++] = (struct sub){j, type, DNS_S_TIMEOUT};
    } else {
        if (d->o.family != AF_INET6)
            j->sub[j->nsub++] = (struct sub){j, DNS_T_A, DNS_S_TIMEOUT};
        if (d->o.family != AF_INET)
            j->sub[j->nsub++] = (struct sub){j, DNS_T_AAAA, DNS_S_TIMEOUT};
    }
    d->pending++;
    if (type == 0 && d->hch && hosts_plain_name(ascii_name)) {
        /* What ares_getaddrinfo would find in the file, without reading it again. */
        const struct hosts_entry *e;
        size_t n = hosts_find(d->hosts, ascii_name, &e);
        if (n) {
            char owner[DNS_NAME_BUF + 1];
            hosts_owner(j, owner);
            for (size_t i = 0; i < n; i++)
                hosts_add(j, owner, e[i].family, e[i].addr);
        }
        hosts_done(j);
        return 0;
    }
    if (type == 0 && d->hch) {
        struct ares_addrinfo_hints h;
        memset(&h, 0, sizeof(h));
        h.ai_family = d->o.family;
        h.ai_flags = ARES_AI_ENVHOSTS | ARES_AI_NOSORT;
        /* Files only: answers (or fails) before returning, then DNS starts from hosts_cb. */
        ares_getaddrinfo(d->hch, ascii_name, NULL, &h, hosts_cb, j);
        return 0;
    }
    start_dns(j);
    return 0;
}

/* ---- raw queries ---- */

/* One raw query in flight. */
struct raw_job {
    struct dns *d;  /* channel */
    dns_raw_fn fn;  /* caller's callback */
    void *arg;      /* its argument */
    uint64_t t0_us; /* sent */
};

static void raw_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct raw_job *j = arg;
    struct dns_raw r = {.status = DNS_S_NOERROR};
    r.rtt_ms = (double)(loop_clock_us() - j->t0_us) / 1000.0;
    if (status == ARES_SUCCESS && abuf && alen > 0) {
        r.pkt = abuf;
        r.len = (size_t)alen;
    } else {
        r.status = map_status(status, r.error);
        if (r.status == DNS_S_NOERROR || r.status == DNS_S_NODATA || r.status == DNS_S_NXDOMAIN ||
            r.status == DNS_S_SERVFAIL || r.status == DNS_S_REFUSED) {
            r.status = DNS_S_ERROR; /* a status without the packet that says it */
            nk_seterr(r.error, "%s", ares_strerror(status));
        }
        if (status == ARES_ECONNREFUSED && j->d->tcp_hangup)
            nk_seterr(r.error, "the server closed the connection without an answer");
    }
    j->d->pending--;
    j->fn(j->arg, &r);
    free(j);
}

int dns_query_raw(struct dns *d, const char *ascii_name, int type, bool rd, dns_raw_fn fn,
                  void *arg, char err[NK_ERRLEN])
{
    unsigned char *q = NULL;
    int qlen = 0;
    /* The id is replaced by ares_send; 1232 bytes is the EDNS buffer DNS Flag Day 2020 set. */
    int rc = ares_create_query(ascii_name, 1 /* IN */, type, 0, rd ? 1 : 0, &q, &qlen, 1232);
    if (rc != ARES_SUCCESS)
        return nk_seterr(err, "%s: %s", ascii_name, ares_strerror(rc));
    struct raw_job *j = malloc(sizeof(*j));
    if (!j) {
        ares_free_string(q);
        return nk_seterr(err, "out of memory");
    }
    *j = (struct raw_job){d, fn, arg, loop_clock_us()};
    d->pending++;
    ares_send(d->ch, q, qlen, raw_cb, j);
    ares_free_string(q);
    arm_timer(d);
    return 0;
}
