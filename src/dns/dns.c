/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns.c - c-ares 1.18 on loop.h: the channel, its descriptors and timer. */
#include <ares.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "lib/err.h"
#include "dns/dns.h"
#include "dns/dns_int.h"
#include "dns/dnsname.h"
#include "dns/hostsfile.h"

/* The timer never fires more often than this: a late timeout by a few ms costs nothing, and
 * ares_timeout walks every pending query. */
#define DNS_TIMER_MIN_MS 5
/* The UDP buffer size netkit offers with EDNS (resolve -v): dig's default, the DNS flag day
 * 2020 figure. */
#define DNS_EDNS_SIZE 1232

/* ---- descriptors and the timer ---- */

struct watch *dns_get_watch(struct dns *d, int fd)
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

/* Arm the timer for c-ares' next deadline if it is not armed; cancel it when idle. */
void dns_arm_timer(struct dns *d)
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
    dns_arm_timer(d);
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
    dns_arm_timer(w->d);
}

static void sock_state_cb(void *data, ares_socket_t fd, int readable, int writable)
{
    struct dns *d = data;
    struct watch *w = dns_get_watch(d, fd);
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
    ares_set_socket_functions(d->ch, &dns_sock_funcs, d);
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
    dns_free_spares(d);
    free(d);
}

void dns_cancel_all(struct dns *d)
{
    ares_cancel(d->ch);
    dns_arm_timer(d);
}

size_t dns_pending(const struct dns *d)
{
    return d->pending;
}

uint64_t dns_idle_reads(const struct dns *d)
{
    return d->idle_reads;
}
