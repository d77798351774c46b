/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostaddr.c - a host argument to addresses: a thin user of dns.h's address mode.
 *
 * A name is checked and converted as `resolve` does it (dns_name_to_ascii), then looked up on
 * a loop of its own with one dns_lookup of type 0: the hosts file first, then A and AAAA from
 * DNS as two queries (in c-ares 1.18 one failing family would fail an AF_UNSPEC lookup whole).
 * The answers become addresses with the IPv6 ones first, as RFC 6724 would mostly order them,
 * without the probe connect() per answer that c-ares' own sort makes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/dns.h"
#include "dns/dnsname.h"
#include "dns/hostaddr.h"
#include "lib/err.h"
#include "lib/loop.h"

/* Tries per server: the first try gets a quarter of the deadline and c-ares doubles it for the
 * second, so both fit in the deadline with room for the answer. */
#define HOSTADDR_TRIES 2

/* One hostaddr_lookup in flight. */
struct wait {
    struct dns *d;         /* the channel */
    struct loop *l;        /* its loop */
    struct loop_timer tm;  /* the overall deadline */
    bool done;             /* the lookup called back */
    struct dns_result res; /* what it returned (ours to free) */
};

static void on_done(void *arg, struct dns_result *r)
{
    struct wait *w = arg;
    w->res = *r; /* the answers move here */
    w->done = true;
    loop_timer_cancel(w->l, &w->tm);
    loop_stop(w->l); /* c-ares may keep a socket registered a little longer */
}

static void on_deadline(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct wait *w = t->arg;
    dns_cancel_all(w->d); /* the lookup calls back with DNS_S_TIMEOUT */
}

static int numeric(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                   char err[NK_ERRLEN])
{
    char buf[NET_ADDRSTRLEN];
    const char *h = net_unbracket(req->host, buf, sizeof(buf));
    struct net_addr a;
    if (net_parse_ip(h, req->port, &a, err) < 0) {
        /* A ':' or a bracket can only be an address (a broken one: "[::1", "1::2::3",
         * "fe80::1%nonexist", "127.0.0.1:22"): bad input, never a name to look up. */
        return strchr(req->host, ':') || req->host[0] == '[' ? -2 : 1;
    }
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

/* The AAAA answers, then the A answers, as addresses with the port. */
static int to_addrs(const struct dns_result *r, int port, struct net_addr **addrs, size_t *n)
{
    if (!(*addrs = calloc(r->nans ? r->nans : 1, sizeof(**addrs))))
        return -1;
    static const int order[] = {DNS_T_AAAA, DNS_T_A};
    char e[NK_ERRLEN];
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < r->nans; i++)
            if (r->ans[i].type == order[k] &&
                net_parse_ip(r->ans[i].data, port, &(*addrs)[*n], e) == 0)
                (*n)++;
    return 0;
}

/* Look the name up on a loop of our own: 0 with the result in *res, or -1 with err. */
static int lookup(const struct hostaddr_req *req, const char *ascii, struct dns_result *res,
                  char err[NK_ERRLEN])
{
    struct net_addr srv[DNS_MAX_SERVERS];
    int nsrv = 0;
    char e[NK_ERRLEN];
    if (req->server && dns_servers_parse(req->server, srv, DNS_MAX_SERVERS, &nsrv, e) < 0)
        return nk_seterr(err, "server: %s", e);
    int total = req->timeout_ms > 0 ? req->timeout_ms : NK_TIMEOUT_MS;
    struct dns_opts o = {.servers = srv,
                         .nservers = nsrv,
                         .timeout_ms = total / 4 > 0 ? total / 4 : 1,
                         .tries = HOSTADDR_TRIES,
                         .family = req->family};
    struct wait w = {.tm = {.fn = on_deadline, .arg = &w}};
    if (!(w.l = loop_new()))
        return nk_seterr(err, "%s: event loop: %s", req->host, nk_strerror(errno));
    int rc = -1;
    if (!(w.d = dns_new(w.l, &o, e))) {
        nk_seterr(err, "%s: %s", req->host, e);
        goto out;
    }
    loop_timer_set(w.l, &w.tm, (uint64_t)total);
    if (dns_lookup(w.d, ascii, 0, on_done, &w, e) < 0) {
        nk_seterr(err, "%s: %s", req->host, e);
        goto out;
    }
    while (!w.done) {
        if (loop_run(w.l) < 0) {
            int saved = errno;
            dns_cancel_all(w.d); /* ends the lookup (on_done) before the channel goes */
            dns_result_free(&w.res);
            nk_seterr(err, "%s: %s", req->host,
                      saved == EINTR ? "interrupted" : nk_strerror(saved));
            goto out;
        }
    }
    *res = w.res;
    rc = 0;
out:
    loop_timer_cancel(w.l, &w.tm);
    dns_free(w.d);
    loop_free(w.l);
    return rc;
}

int hostaddr_lookup_result(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                           struct dns_result *out, char err[NK_ERRLEN])
{
    *addrs = NULL;
    *n = 0;
    memset(out, 0, sizeof(*out));
    int r = numeric(req, addrs, n, err);
    if (r == 0 || r == -2)
        return r;
    if (r < 0)
        return nk_seterr(err, "%s: not an address of the family asked for", req->host);
    char ascii[DNS_NAME_BUF];
    if (dns_name_to_ascii(req->host, ascii, err) < 0)
        return -2;
    if (is_localhost(ascii))
        return localhost(req, addrs, n, err);

    struct dns_result res = {0};
    if (lookup(req, ascii, &res, err) < 0)
        return -1;
    int rc = 0;
    if (to_addrs(&res, req->port, addrs, n) < 0) {
        rc = nk_seterr(err, "%s: out of memory", req->host);
    } else if (*n == 0) {
        char tb[DNS_TEXT_BUF];
        free(*addrs);
        *addrs = NULL;
        rc = nk_seterr(err, "%s: %s", req->host, dns_status_text(&res, 0, tb));
    }
    *out = res; /* the caller frees it */
    return rc;
}

int hostaddr_lookup(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                    char err[NK_ERRLEN])
{
    struct dns_result res;
    int rc = hostaddr_lookup_result(req, addrs, n, &res, err);
    dns_result_free(&res);
    return rc;
}
