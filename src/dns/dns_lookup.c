/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns_lookup.c - lookups on the channel: the hosts file, then DNS; their answers and status. */
#include <ares.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/err.h"
#include "dns/dns.h"
#include "dns/dns_int.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "dns/hostsfile.h"

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

/* ---- lookups ---- */

enum dns_status dns_map_status(int st, char err[NK_ERRLEN])
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
    s->st = dns_map_status(status, err);
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
    dns_arm_timer(d);
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

void dns_free_spares(struct dns *d)
{
    while (d->spare) {
        struct job *j = d->spare;
        d->spare = j->next_spare;
        free(j);
    }
}
