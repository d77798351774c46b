/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace.c - the --trace engine: down from the root, every server of each zone at once.
 *
 * A step is one zone: the servers it has (from the parent's referral and glue, or the nested
 * lookup of a glueless NS name), each asked three things in parallel on a channel of its own
 * (dns_query_raw, RD clear): the question, the zone's SOA and its NS set. The loop runs until
 * every query is back or, once a usable answer came, until a grace period ends (a silent
 * server is then reported, not waited for); then the step is judged and the next one built.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/vec.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "dns/itrace_judge.h"
#include "dns/itrace.h"

/* A silent server is waited for this long at least once another answered, or 4x the slowest
 * answer, within the query's own timeout. */
#define GRACE_MIN_MS 500
/* The largest root hints file read. */
#define HINTS_MAX (256 * 1024)

/* A channel to one server, made once per address and kept for the run. */
struct chan {
    struct net_addr sa; /* the server */
    struct dns *d;      /* its channel */
};

/* An address seen for a name (glue or a nested lookup's answer): asked again without a lookup. */
struct known {
    char *name;                /* NS name */
    char addr[NET_ADDRSTRLEN]; /* address */
    int family;                /* AF_INET or AF_INET6 */
};

/* A zone's servers as learnt, so a CNAME into a known zone starts there, not at the root. */
struct zone {
    char *zone;            /* name */
    char **ns;             /* NS names */
    size_t nns;            /* count */
    struct itr_glue *glue; /* addresses learnt with it */
    size_t nglue;          /* count */
};

struct eng {
    struct loop *l;            /* the loop */
    const struct itr_opts *o;  /* settings */
    int port;                  /* every server's port (53, or the --root one) */
    struct chan *ch;           /* channels */
    size_t nch, capch;         /* count, room */
    struct known *kn;          /* addresses learnt */
    size_t nkn, capkn;         /* count, room */
    struct zone *zc;           /* zones learnt */
    size_t nzc, capzc;         /* count, room */
    unsigned queries;          /* sent so far */
    uint64_t t0_ms;            /* start */
    bool expired;              /* the whole run's time is up */
    bool interrupted;          /* Ctrl-C */
    size_t outstanding;        /* queries of this step not yet back */
    bool cutting;              /* the grace ended: cancelled queries are "no answer in time" */
    bool useful;               /* a usable answer came in this step */
    double slowest;            /* the slowest usable answer of the step, ms */
    struct loop_timer grace;   /* ends waiting for the silent */
    struct loop_timer overall; /* the whole run's deadline */
    char err[NK_ERRLEN];       /* out of memory and the like */
};

/* Roles of the queries of a step. */
enum role {
    Q_MAIN,
    Q_SOA,
    Q_NS,
    Q_EXTRA
};

/* One query in flight. */
struct q {
    struct eng *e;        /* engine */
    struct itr_server *s; /* whose */
    enum role role;       /* what for */
    const char *qname;    /* asked (lives in the step) */
    const char *zone;     /* the zone (lives in the step) */
    int qtype;            /* asked */
};

static char *xdup(struct eng *e, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        nk_seterr(e->err, "out of memory");
    return d;
}

static bool oom(struct eng *e)
{
    return e->err[0] != '\0';
}

/* ---- result tree ---- */

static void free_trace(struct itr_trace *t);

static void free_step(struct itr_step *s)
{
    free(s->zone);
    free(s->qname);
    for (size_t i = 0; i < s->nsrv; i++) {
        struct itr_server *v = &s->srv[i];
        free(v->name);
        free(v->nsset);
        if (v->have_resp)
            itr_resp_free(&v->resp);
        if (v->have_extra)
            itr_resp_free(&v->extra);
        free_trace(v->lookup);
    }
    free(s->srv);
    free(s->ref_zone);
    for (size_t i = 0; i < s->nref_ns; i++)
        free(s->ref_ns[i]);
    free(s->ref_ns);
    itr_glue_free(s->glue, s->nglue);
    free(s->cname);
    for (size_t i = 0; i < s->nprob; i++) {
        free(s->prob[i].server);
        free(s->prob[i].name);
        free(s->prob[i].detail);
    }
    free(s->prob);
}

static void free_trace(struct itr_trace *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nsteps; i++)
        free_step(&t->steps[i]);
    free(t->steps);
    for (size_t i = 0; i < t->nans; i++)
        free(t->ans[i].name);
    free(t->ans);
    free(t->query);
    free(t);
}

void itr_free(struct itr_trace *t)
{
    free_trace(t);
}

static int add_answer(struct itr_trace *t, const struct itr_rec *a)
{
    for (size_t i = 0; i < t->nans; i++)
        if (t->ans[i].type == a->type && strcasecmp(t->ans[i].name, a->name) == 0 &&
            strcmp(t->ans[i].data, a->data) == 0)
            return 0;
    struct itr_rec *r = nk_grow((void **)&t->ans, &t->nans, &t->capans, sizeof(*r));
    if (!r)
        return -1;
    size_t ln = strlen(a->name) + 1, ld = strlen(a->data) + 1;
    if (!(r->name = malloc(ln + ld))) {
        t->nans--;
        return -1;
    }
    memcpy(r->name, a->name, ln);
    r->data = memcpy(r->name + ln, a->data, ld);
    r->type = a->type;
    r->ttl = a->ttl;
    return 0;
}

/* ---- channels and the waiting ---- */

static struct dns *chan_for(struct eng *e, const struct net_addr *sa)
{
    for (size_t i = 0; i < e->nch; i++)
        if (e->ch[i].sa.len == sa->len && memcmp(&e->ch[i].sa.ss, &sa->ss, sa->len) == 0)
            return e->ch[i].d;
    struct dns_opts o = {.servers = sa,
                         .nservers = 1,
                         .timeout_ms = e->o->timeout_ms,
                         .tries = e->o->tries,
                         .tcp = e->o->tcp,
                         .no_search = true,
                         .no_hosts = true};
    struct dns *d = dns_new(e->l, &o, e->err);
    if (!d)
        return NULL;
    struct chan *c = nk_grow((void **)&e->ch, &e->nch, &e->capch, sizeof(*c));
    if (!c) {
        dns_free(d);
        nk_seterr(e->err, "out of memory");
        return NULL;
    }
    c->sa = *sa;
    c->d = d;
    return d;
}

static void cancel_all(struct eng *e)
{
    for (size_t i = 0; i < e->nch; i++)
        if (dns_pending(e->ch[i].d))
            dns_cancel_all(e->ch[i].d);
}

static void grace_fn(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct eng *e = t->arg;
    e->cutting = true;
    cancel_all(e);
    e->cutting = false;
}

static void overall_fn(struct loop *l, struct loop_timer *t)
{
    (void)l;
    struct eng *e = t->arg;
    e->expired = true;
    e->cutting = true;
    cancel_all(e);
    e->cutting = false;
}

static void on_raw(void *arg, const struct dns_raw *r)
{
    struct q *q = arg;
    struct eng *e = q->e;
    struct itr_server *s = q->s;
    char err[NK_ERRLEN] = "";
    struct itr_resp resp;
    bool have = false;
    if (r->status == DNS_S_NOERROR) {
        if (itr_parse_response(r->pkt, r->len, q->qname, q->qtype, q->zone, &resp, err) == 0)
            have = true;
    } else if (r->status == DNS_S_TIMEOUT) {
        if (e->cutting && !e->expired)
            nk_seterr(err, "no answer within %.0f ms (the others had answered)", r->rtt_ms);
        else
            nk_seterr(err, "no answer in time (TIMEOUT)");
    } else {
        nk_seterr(err, "%s", r->error);
    }
    switch (q->role) {
    case Q_MAIN:
        if (have) {
            s->resp = resp;
            s->have_resp = true;
            s->rtt_ms = r->rtt_ms;
            s->rcode = resp.rcode;
            s->aa = resp.aa;
            if (resp.kind != ITR_RCODE && resp.kind != ITR_LAME &&
                (resp.aa || resp.kind == ITR_REFERRAL)) {
                e->useful = true;
                if (r->rtt_ms > e->slowest)
                    e->slowest = r->rtt_ms;
            }
        } else {
            snprintf(s->error, sizeof(s->error), "%s", err);
        }
        break;
    case Q_EXTRA:
        if (have) {
            s->extra = resp;
            s->have_extra = true;
            if (resp.aa && resp.kind != ITR_RCODE && resp.kind != ITR_LAME)
                e->useful = true;
        }
        break;
    case Q_SOA:
        if (have && resp.aa && resp.have_serial) {
            s->have_serial = true;
            s->serial = resp.serial;
        } else if (have && !resp.aa && resp.rcode == DNS_RC_NOERROR) {
            s->soa_noaa = true;
        }
        if (have)
            itr_resp_free(&resp);
        break;
    case Q_NS:
        if (have && resp.aa && resp.kind == ITR_ANSWER) {
            char set[2048] = "";
            size_t used = 0;
            /* The answer's NS names, sorted: a set to compare as a string. */
            struct itr_resp tmp;
            memset(&tmp, 0, sizeof(tmp));
            for (size_t i = 0; i < resp.nans; i++)
                if (resp.ans[i].type == DNS_T_NS && strcasecmp(resp.ans[i].name, q->zone) == 0)
                    for (size_t k = 0; k <= tmp.nns; k++) {
                        int c = k < tmp.nns ? strcasecmp(tmp.ns[k], resp.ans[i].data) : 1;
                        if (c == 0)
                            break;
                        if (c > 0 && tmp.nns < 64) {
                            char **slot =
                                nk_grow((void **)&tmp.ns, &tmp.nns, &tmp.capns, sizeof(char *));
                            if (!slot)
                                break;
                            memmove(&tmp.ns[k + 1], &tmp.ns[k], (tmp.nns - 1 - k) * sizeof(char *));
                            tmp.ns[k] = resp.ans[i].data; /* borrowed */
                            break;
                        }
                    }
            for (size_t k = 0; k < tmp.nns; k++) {
                int w = snprintf(set + used, sizeof(set) - used, "%s%s", k ? " " : "", tmp.ns[k]);
                if (w < 0 || (size_t)w >= sizeof(set) - used)
                    break;
                used += (size_t)w;
            }
            free(tmp.ns);
            if (tmp.nns)
                s->nsset = xdup(e, set);
        }
        if (have)
            itr_resp_free(&resp);
        break;
    }
    free(q);
    if (--e->outstanding == 0) {
        loop_timer_cancel(e->l, &e->grace);
        loop_stop(e->l);
    } else if (e->useful && !e->grace.slot && !e->cutting) {
        double g = 4 * e->slowest;
        if (g < GRACE_MIN_MS)
            g = GRACE_MIN_MS;
        loop_timer_set(e->l, &e->grace, (uint64_t)g);
    }
}

static void send_q(struct eng *e, struct itr_server *s, enum role role, const char *qname,
                   const char *zone, int qtype)
{
    if (e->queries >= ITR_MAX_QUERIES || e->expired || oom(e))
        return;
    struct dns *d = chan_for(e, &s->sa);
    struct q *q = d ? malloc(sizeof(*q)) : NULL;
    if (!q) {
        if (!oom(e))
            nk_seterr(e->err, "out of memory");
        return;
    }
    *q = (struct q){e, s, role, qname, zone, qtype};
    e->queries++;
    e->outstanding++;
    char err[NK_ERRLEN];
    if (dns_query_raw(d, qname, qtype, false, on_raw, q, err) < 0) {
        e->outstanding--;
        free(q);
        if (role == Q_MAIN)
            snprintf(s->error, sizeof(s->error), "%s", err);
    }
}

/* Run the loop until every query of the step is back (or cut). */
static void wait_step(struct eng *e)
{
    e->useful = false;
    e->slowest = 0;
    if (e->outstanding == 0)
        return;
    if (loop_run(e->l) < 0 && errno == EINTR) {
        e->interrupted = true;
        e->expired = true;
        e->cutting = true;
        cancel_all(e);
        e->cutting = false;
    }
    loop_timer_cancel(e->l, &e->grace);
}

/* ---- servers of a zone ---- */

static void learn(struct eng *e, const char *name, const char *addr, int family)
{
    for (size_t i = 0; i < e->nkn; i++)
        if (strcasecmp(e->kn[i].name, name) == 0 && strcmp(e->kn[i].addr, addr) == 0)
            return;
    struct known *k = nk_grow((void **)&e->kn, &e->nkn, &e->capkn, sizeof(*k));
    if (!k || !(k->name = strdup(name))) {
        if (k)
            e->nkn--;
        nk_seterr(e->err, "out of memory");
        return;
    }
    snprintf(k->addr, sizeof(k->addr), "%s", addr);
    k->family = family;
}

static void remember_zone(struct eng *e, const char *zone, char **ns, size_t nns)
{
    for (size_t i = 0; i < e->nzc; i++)
        if (strcasecmp(e->zc[i].zone, zone) == 0)
            return;
    struct zone *z = nk_grow((void **)&e->zc, &e->nzc, &e->capzc, sizeof(*z));
    if (!z) {
        nk_seterr(e->err, "out of memory");
        return;
    }
    z->zone = xdup(e, zone);
    z->ns = calloc(nns ? nns : 1, sizeof(char *));
    if (!z->ns) {
        nk_seterr(e->err, "out of memory");
        return;
    }
    for (size_t i = 0; i < nns; i++)
        z->ns[z->nns++] = xdup(e, ns[i]);
}

static struct itr_trace *trace(struct eng *e, const char *name, int type, int depth,
                               const char *parent);

/* Add a server (name, address text) to the step, if room. */
static struct itr_server *add_server(struct eng *e, struct itr_step *st, const char *name,
                                     const char *addr)
{
    if (st->nsrv >= ITR_MAX_SERVERS)
        return NULL;
    struct itr_server *s = nk_grow((void **)&st->srv, &st->nsrv, &st->capsrv, sizeof(*s));
    if (!s) {
        nk_seterr(e->err, "out of memory");
        return NULL;
    }
    s->name = name ? xdup(e, name) : NULL;
    s->rtt_ms = -1;
    s->rcode = -1;
    if (addr) {
        char err[NK_ERRLEN];
        if (net_parse_ip(addr, e->port, &s->sa, err) < 0) {
            snprintf(s->error, sizeof(s->error), "%s", err);
        } else if (e->port != 53) {
            net_ntop_port((struct sockaddr *)&s->sa.ss, s->addr, sizeof(s->addr));
        } else {
            snprintf(s->addr, sizeof(s->addr), "%s", addr);
        }
    }
    return s;
}

/* The addresses known for name in the family wanted: IPv4 first; IPv6 only without IPv4 unless
 * -6. Adds a server per address; returns how many. */
static int add_known(struct eng *e, struct itr_step *st, const char *name)
{
    int fam = e->o->family;
    int added = 0;
    for (int pass = 0; pass < 2 && added == 0; pass++) {
        int want =
            pass == 0 ? (fam == AF_INET6 ? AF_INET6 : AF_INET) : (fam == AF_UNSPEC ? AF_INET6 : 0);
        if (!want)
            break;
        for (size_t i = 0; i < e->nkn; i++)
            if (e->kn[i].family == want && strcasecmp(e->kn[i].name, name) == 0 &&
                add_server(e, st, name, e->kn[i].addr))
                added++;
    }
    return added;
}

/* The step's servers: the NS names with their addresses, a nested trace for those without. */
static void build_servers(struct eng *e, struct itr_step *st, char **ns, size_t nns, int depth)
{
    for (size_t i = 0; i < nns && !oom(e) && !e->expired; i++) {
        if (add_known(e, st, ns[i]) > 0)
            continue;
        struct itr_server *s = add_server(e, st, ns[i], NULL);
        if (!s)
            return;
        if (itr_in_zone(ns[i], st->zone)) {
            nk_seterr(s->error, "no glue for a name inside the zone it serves");
            continue;
        }
        if (depth >= ITR_MAX_NEST) {
            nk_seterr(s->error, "no glue, and lookups nested %d deep already", depth);
            continue;
        }
        int type = e->o->family == AF_INET6 ? DNS_T_AAAA : DNS_T_A;
        size_t idx = (size_t)(s - st->srv);
        struct itr_trace *sub = trace(e, ns[i], type, depth + 1, st->zone);
        s = &st->srv[idx];
        s->lookup = sub;
        if (!sub)
            return;
        for (size_t k = 0; k < sub->nans; k++)
            if ((sub->ans[k].type == DNS_T_A || sub->ans[k].type == DNS_T_AAAA) &&
                strcasecmp(sub->ans[k].name, sub->ans[sub->nans - 1].name) == 0)
                learn(e, ns[i], sub->ans[k].data, sub->ans[k].type == DNS_T_A ? AF_INET : AF_INET6);
        /* The first address goes on this entry (it carries the lookup), others after it. */
        bool first = true;
        for (size_t k = 0; k < e->nkn; k++) {
            if (strcasecmp(e->kn[k].name, ns[i]) != 0)
                continue;
            if (first) {
                char err[NK_ERRLEN];
                struct itr_server *v = &st->srv[idx];
                if (net_parse_ip(e->kn[k].addr, e->port, &v->sa, err) == 0) {
                    if (e->port != 53)
                        net_ntop_port((struct sockaddr *)&v->sa.ss, v->addr, sizeof(v->addr));
                    else
                        snprintf(v->addr, sizeof(v->addr), "%s", e->kn[k].addr);
                    first = false;
                }
            } else if (st->nsrv < ITR_MAX_SERVERS) {
                add_server(e, st, ns[i], e->kn[k].addr);
            }
        }
        if (first)
            nk_seterr(st->srv[idx].error, "no glue, and its own lookup found no address");
    }
}

/* ---- the walk ---- */

static char *join(char **v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, v[i]);
    }
    return s;
}

/* The deepest zone learnt that holds name (the root is always there). */
static const struct zone *deepest(const struct eng *e, const char *name)
{
    const struct zone *z = NULL;
    for (size_t i = 0; i < e->nzc; i++)
        if (itr_in_zone(name, e->zc[i].zone) && (!z || strlen(e->zc[i].zone) > strlen(z->zone)))
            z = &e->zc[i];
    return z;
}

/* Ask every server of the step: the question, the zone's SOA and its NS set. */
static void ask(struct eng *e, struct itr_step *st, const char *zone)
{
    for (size_t i = 0; i < st->nsrv; i++) {
        struct itr_server *s = &st->srv[i];
        if (!s->addr[0])
            continue;
        send_q(e, s, Q_MAIN, st->qname, zone, st->qtype);
        send_q(e, s, Q_SOA, zone, zone, DNS_T_SOA);
        send_q(e, s, Q_NS, zone, zone, DNS_T_NS);
    }
    wait_step(e);
}

/* Address mode's second type at the final zone: its records join the answer. */
static void ask_extra(struct eng *e, struct itr_trace *t, struct itr_step *st, int type)
{
    for (size_t i = 0; i < st->nsrv; i++)
        if (!st->srv[i].lame && st->srv[i].addr[0])
            send_q(e, &st->srv[i], Q_EXTRA, st->qname, st->zone, type);
    wait_step(e);
    for (size_t i = 0; i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        if (!s->have_extra || !s->extra.aa || s->extra.kind != ITR_ANSWER)
            continue;
        for (size_t k = 0; k < s->extra.nans; k++)
            if (s->extra.ans[k].type == type && strcasecmp(s->extra.ans[k].name, st->qname) == 0 &&
                add_answer(t, &s->extra.ans[k]) < 0)
                nk_seterr(e->err, "out of memory");
        return;
    }
}

static struct itr_trace *trace(struct eng *e, const char *name, int type, int depth,
                               const char *parent)
{
    (void)parent;
    struct itr_trace *t = calloc(1, sizeof(*t));
    if (!t || !(t->query = strdup(name))) {
        free(t);
        nk_seterr(e->err, "out of memory");
        return NULL;
    }
    t->type = type;
    t->status = DNS_S_ERROR;
    uint64_t t0 = loop_clock_us();
    unsigned q0 = e->queries;
    char cur[DNS_PNAME_MAX];
    size_t nl = strlen(name);
    snprintf(cur, sizeof(cur), "%s%s", name, nl && name[nl - 1] == '.' ? "" : ".");
    int qtype = type ? type : (e->o->family == AF_INET6 ? DNS_T_AAAA : DNS_T_A);
    int extra = type == 0 && e->o->family == AF_UNSPEC ? DNS_T_AAAA : 0;
    char *zone = NULL, *parent_zone = NULL, *parent_set = NULL;
    char **ns = NULL;
    size_t nns = 0;
    int chain = 0;
    const struct zone *z = deepest(e, cur);
    if (z) {
        zone = xdup(e, z->zone);
        ns = calloc(z->nns + 1, sizeof(char *));
        for (size_t i = 0; ns && i < z->nns; i++)
            ns[nns++] = xdup(e, z->ns[i]);
    }
    while (!oom(e) && zone && ns) {
        if (e->expired || t->nsteps >= ITR_MAX_STEPS || e->queries >= ITR_MAX_QUERIES) {
            snprintf(t->reason, sizeof(t->reason), "%.255s: gave up at %.255s: %s", cur, zone,
                     e->interrupted               ? "interrupted"
                     : e->expired                 ? "out of time"
                     : t->nsteps >= ITR_MAX_STEPS ? "too many steps"
                                                  : "too many queries");
            t->status = DNS_S_TIMEOUT;
            break;
        }
        struct itr_step *st = nk_grow((void **)&t->steps, &t->nsteps, &t->capsteps, sizeof(*st));
        if (!st) {
            nk_seterr(e->err, "out of memory");
            break;
        }
        st->zone = xdup(e, zone);
        st->qname = xdup(e, cur);
        st->qtype = qtype;
        if (strcmp(zone, ".") == 0 && e->o->nroots > 0) {
            for (int i = 0; i < e->o->nroots; i++) {
                char a[NET_ADDRSTRLEN];
                net_ntop((const struct sockaddr *)&e->o->roots[i].ss, a, sizeof(a));
                add_server(e, st, NULL, a);
            }
        } else {
            build_servers(e, st, ns, nns, depth);
            st = &t->steps[t->nsteps - 1]; /* nested traces leave t->steps alone, but be sure */
        }
        if (oom(e))
            break;
        ask(e, st, zone);
        if (oom(e))
            break;
        int pick = itr_judge(st, parent_zone, parent_set, e->err);
        if (pick < 0) {
            itr_broken(t, st);
            break;
        }
        const struct itr_resp *r = &st->srv[pick].resp;
        if (r->kind == ITR_REFERRAL) {
            st->ref_zone = xdup(e, r->child);
            st->ref_ns = calloc(r->nns + 1, sizeof(char *));
            for (size_t i = 0; st->ref_ns && i < r->nns; i++)
                st->ref_ns[st->nref_ns++] = xdup(e, r->ns[i]);
            st->glue = calloc(r->nglue + 1, sizeof(*st->glue));
            for (size_t i = 0; st->glue && i < r->nglue; i++) {
                st->glue[st->nglue] = r->glue[i];
                st->glue[st->nglue++].name = xdup(e, r->glue[i].name);
                learn(e, r->glue[i].name, r->glue[i].addr, r->glue[i].family);
            }
            remember_zone(e, r->child, r->ns, r->nns);
            free(parent_zone);
            parent_zone = zone;
            zone = xdup(e, r->child);
            free(parent_set);
            parent_set = join(r->ns, r->nns);
            for (size_t i = 0; i < nns; i++)
                free(ns[i]);
            free(ns);
            nns = 0;
            ns = calloc(r->nns + 1, sizeof(char *));
            for (size_t i = 0; ns && i < r->nns; i++)
                ns[nns++] = xdup(e, r->ns[i]);
            continue;
        }
        for (size_t i = 0; i < r->nans; i++)
            if (add_answer(t, &r->ans[i]) < 0)
                nk_seterr(e->err, "out of memory");
        if (r->cname) {
            st->cname = xdup(e, r->cname);
            st->dname = r->dname;
            st->leaves = !itr_in_zone(r->cname, zone);
            bool loop = strcasecmp(r->cname, t->query) == 0;
            for (size_t i = 0; i + 1 < t->nsteps && !loop; i++)
                loop = t->steps[i].cname && strcasecmp(t->steps[i].cname, r->cname) == 0;
            if (loop || ++chain > ITR_MAX_CHAIN) {
                snprintf(t->reason, sizeof(t->reason), "%.255s: %s", cur,
                         loop ? "the CNAME chain loops" : "the CNAME chain is too long");
                t->status = DNS_S_SERVFAIL;
                break;
            }
            if (r->kind == ITR_NXDOMAIN) { /* the target does not exist, the zone says */
                t->status = DNS_S_NXDOMAIN;
                t->ok = true;
                break;
            }
            snprintf(cur, sizeof(cur), "%s", r->cname);
            /* On in the zone that holds the target, as far down as is known. */
            const struct zone *nz = deepest(e, cur);
            free(zone);
            zone = xdup(e, nz->zone);
            for (size_t i = 0; i < nns; i++)
                free(ns[i]);
            free(ns);
            nns = 0;
            ns = calloc(nz->nns + 1, sizeof(char *));
            for (size_t i = 0; ns && i < nz->nns; i++)
                ns[nns++] = xdup(e, nz->ns[i]);
            free(parent_set);
            free(parent_zone);
            parent_set = parent_zone = NULL;
            continue;
        }
        t->status = r->kind == ITR_ANSWER     ? DNS_S_NOERROR
                    : r->kind == ITR_NXDOMAIN ? DNS_S_NXDOMAIN
                                              : DNS_S_NODATA;
        if (extra && r->kind != ITR_NXDOMAIN) {
            size_t before = t->nans;
            ask_extra(e, t, st, extra);
            if (t->nans > before)
                t->status = DNS_S_NOERROR;
        }
        if (t->status == DNS_S_NOERROR) { /* a chain's end without data of the type */
            bool data = false;
            for (size_t i = 0; i < t->nans; i++)
                data = data || t->ans[i].type != DNS_T_CNAME || qtype == DNS_T_CNAME;
            if (!data)
                t->status = DNS_S_NODATA;
        }
        t->ok = true;
        break;
    }
    if (oom(e) && !t->reason[0])
        snprintf(t->reason, sizeof(t->reason), "%s", e->err);
    for (size_t i = 0; i < nns; i++)
        free(ns[i]);
    free(ns);
    free(zone);
    free(parent_zone);
    free(parent_set);
    t->queries = e->queries - q0;
    t->time_ms = (double)(loop_clock_us() - t0) / 1000.0;
    return t;
}

/* The root's servers from the hints file, learnt as any referral's glue. */
static int load_hints(struct eng *e)
{
    const char *path = e->o->hints_path ? e->o->hints_path : ITR_HINTS_PATH;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return nk_seterr(e->err, "%s: %s (install dns-root-data, or give --root)", path,
                         nk_strerror(errno));
    char *buf = malloc(HINTS_MAX);
    size_t len = 0;
    ssize_t n = 0;
    while (buf && len < HINTS_MAX && (n = read(fd, buf + len, HINTS_MAX - len)) > 0)
        len += (size_t)n;
    close(fd);
    if (!buf)
        return nk_seterr(e->err, "out of memory");
    if (n < 0) {
        free(buf);
        return nk_seterr(e->err, "%s: %s", path, nk_strerror(errno));
    }
    struct itr_glue *g;
    size_t ng;
    char err[NK_ERRLEN];
    int rc = itr_hints_parse(buf, len, 0, &g, &ng, err);
    free(buf);
    if (rc < 0)
        return nk_seterr(e->err, "%s: %s", path, err);
    char **ns = calloc(ng + 1, sizeof(char *));
    size_t nns = 0;
    for (size_t i = 0; ns && i < ng; i++) {
        learn(e, g[i].name, g[i].addr, g[i].family);
        if (nns == 0 || strcmp(ns[nns - 1], g[i].name) != 0)
            ns[nns++] = g[i].name;
    }
    if (ns)
        remember_zone(e, ".", ns, nns);
    free(ns);
    itr_glue_free(g, ng);
    return oom(e) ? -1 : 0;
}

struct itr_trace *itr_run(struct loop *l, const struct itr_opts *o, const char *name, int type,
                          char err[NK_ERRLEN])
{
    struct eng e;
    memset(&e, 0, sizeof(e));
    e.l = l;
    e.o = o;
    e.port = o->nroots > 0 ? net_port((const struct sockaddr *)&o->roots[0].ss) : 53;
    e.grace.fn = grace_fn;
    e.grace.arg = &e;
    e.overall.fn = overall_fn;
    e.overall.arg = &e;
    struct itr_trace *t = NULL;
    if (o->nroots > 0)
        remember_zone(&e, ".", NULL, 0);
    else
        load_hints(&e);
    if (!oom(&e)) {
        loop_timer_set(l, &e.overall, (uint64_t)(o->max_ms > 0 ? o->max_ms : ITR_DEF_MAX_MS));
        t = trace(&e, name, type, 0, NULL);
        loop_timer_cancel(l, &e.overall);
    }
    if (!t)
        snprintf(err, NK_ERRLEN, "%s", e.err);
    for (size_t i = 0; i < e.nch; i++)
        dns_free(e.ch[i].d);
    free(e.ch);
    for (size_t i = 0; i < e.nkn; i++)
        free(e.kn[i].name);
    free(e.kn);
    for (size_t i = 0; i < e.nzc; i++) {
        free(e.zc[i].zone);
        for (size_t k = 0; k < e.zc[i].nns; k++)
            free(e.zc[i].ns[k]);
        free(e.zc[i].ns);
        itr_glue_free(e.zc[i].glue, e.zc[i].nglue);
    }
    free(e.zc);
    return t;
}
