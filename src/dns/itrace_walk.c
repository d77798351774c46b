/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace_walk.c - the --trace walk: zone by zone down the delegations from the root (hints or
 * --root), each zone's servers asked and judged, referrals, CNAME/DNAME chains across zones,
 * address mode's second type at the end; and the run that sets it up and tears it down. */
#include <errno.h>
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
#include "dns/itrace_eng.h"
#include "dns/itrace_judge.h"

/* The largest root hints file read. */
#define HINTS_MAX (256 * 1024)

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

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The walk goes on at zone, with its NS names (copied). */
static void go_to(struct walk *w, const char *zone, char **ns, size_t nns)
{
    struct eng *e = w->e;
    free(w->zone);
    w->zone = eng_dup(e, zone);
    free_names(w->ns, w->nns);
    w->nns = 0;
    w->ns = calloc(nns + 1, sizeof(char *));
    if (!w->ns)
        nk_seterr(e->err, "out of memory");
    for (size_t i = 0; w->ns && i < nns; i++)
        w->ns[w->nns++] = eng_dup(e, ns[i]);
}

void eng_walk_init(struct walk *w, struct eng *e, const char *name, int type, int depth)
{
    memset(w, 0, sizeof(*w));
    w->e = e;
    w->depth = depth;
    w->grace.fn = eng_grace_fn;
    w->grace.arg = w;
    w->t0 = loop_clock_us();
    struct itr_trace *t = calloc(1, sizeof(*t));
    if (!t || !(t->query = strdup(name))) {
        free(t);
        nk_seterr(e->err, "out of memory");
        w->phase = PH_DONE;
        return;
    }
    w->t = t;
    t->type = type;
    t->status = DNS_S_ERROR;
    size_t nl = strlen(name);
    snprintf(w->cur, sizeof(w->cur), "%s%s", name, nl && name[nl - 1] == '.' ? "" : ".");
    w->qtype = type ? type : (e->o->family == AF_INET6 ? DNS_T_AAAA : DNS_T_A);
    w->extra = type == 0 && e->o->family == AF_UNSPEC ? DNS_T_AAAA : 0;
    const struct zone *z = deepest(e, w->cur);
    if (z)
        go_to(w, z->zone, z->ns, z->nns);
    else
        w->phase = PH_DONE;
}

/* The next step: its zone and servers (nested lookups of glueless NS names run here). */
static void walk_build(struct walk *w)
{
    struct eng *e = w->e;
    struct itr_trace *t = w->t;
    if (w->phase != PH_STEP)
        return;
    if (eng_oom(e) || !w->zone || !w->ns) {
        w->phase = PH_DONE;
        return;
    }
    if (e->expired || t->nsteps >= ITR_MAX_STEPS || e->queries >= ITR_MAX_QUERIES) {
        snprintf(t->reason, sizeof(t->reason), "%.255s: gave up at %.255s: %s", w->cur, w->zone,
                 e->interrupted               ? "interrupted"
                 : e->expired                 ? "out of time"
                 : t->nsteps >= ITR_MAX_STEPS ? "too many steps"
                                              : "too many queries");
        t->status = DNS_S_TIMEOUT;
        w->phase = PH_DONE;
        return;
    }
    struct itr_step *st = nk_grow((void **)&t->steps, &t->nsteps, &t->capsteps, sizeof(*st));
    if (!st) {
        nk_seterr(e->err, "out of memory");
        w->phase = PH_DONE;
        return;
    }
    st->zone = eng_dup(e, w->zone);
    st->qname = eng_dup(e, w->cur);
    st->qtype = w->qtype;
    if (strcmp(w->zone, ".") == 0 && e->o->nroots > 0) {
        for (int i = 0; i < e->o->nroots; i++) {
            char a[NET_ADDRSTRLEN];
            net_ntop((const struct sockaddr *)&e->o->roots[i].ss, a, sizeof(a));
            eng_add_server(e, st, NULL, a);
        }
    } else {
        eng_build_servers(w, st, w->ns, w->nns); /* nested walks leave t->steps alone */
    }
    if (eng_oom(e))
        w->phase = PH_DONE;
}

/* The round's queries: every server of the step asked the question, the zone's SOA and its NS
 * set; or, address mode's extra round, the second type of the servers not found lame. */
static void walk_send(struct walk *w)
{
    struct itr_step *st = &w->t->steps[w->t->nsteps - 1];
    w->useful = false;
    w->slowest = 0;
    for (size_t i = 0; i < st->nsrv; i++) {
        struct itr_server *s = &st->srv[i];
        if (!s->addr[0])
            continue;
        if (w->phase == PH_EXTRA) {
            if (!s->lame)
                eng_send(w, s, Q_EXTRA, st->qname, st->zone, w->extra);
            continue;
        }
        eng_send(w, s, Q_MAIN, st->qname, st->zone, st->qtype);
        eng_send(w, s, Q_SOA, st->zone, st->zone, DNS_T_SOA);
        eng_send(w, s, Q_NS, st->zone, st->zone, DNS_T_NS);
    }
}

/* The trace ended with an answer (or an authoritative NXDOMAIN/NODATA). */
static void walk_answered(struct walk *w)
{
    struct itr_trace *t = w->t;
    if (t->status == DNS_S_NOERROR) { /* a chain's end without data of the type */
        bool data = false;
        for (size_t i = 0; i < t->nans; i++)
            data = data || t->ans[i].type != DNS_T_CNAME || w->qtype == DNS_T_CNAME;
        if (!data)
            t->status = DNS_S_NODATA;
    }
    t->ok = true;
    w->phase = PH_DONE;
}

/* Address mode's second type at the final zone: its records join the answer. */
static void walk_extra_done(struct walk *w)
{
    struct itr_trace *t = w->t;
    const struct itr_step *st = &t->steps[t->nsteps - 1];
    for (size_t i = 0; i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        if (!s->have_extra || !s->extra.aa || s->extra.kind != ITR_ANSWER)
            continue;
        for (size_t k = 0; k < s->extra.nans; k++)
            if (s->extra.ans[k].type == w->extra &&
                strcasecmp(s->extra.ans[k].name, st->qname) == 0 &&
                eng_add_answer(t, &s->extra.ans[k]) < 0)
                nk_seterr(w->e->err, "out of memory");
        break;
    }
    if (t->nans > w->before)
        t->status = DNS_S_NOERROR;
    walk_answered(w);
}

/* What the round's answers say: the step judged, then a referral followed, a chain followed,
 * or the end. */
static void walk_judge(struct walk *w)
{
    struct eng *e = w->e;
    struct itr_trace *t = w->t;
    struct itr_step *st = &t->steps[t->nsteps - 1];
    if (eng_oom(e)) {
        w->phase = PH_DONE;
        return;
    }
    if (w->phase == PH_EXTRA) {
        walk_extra_done(w);
        return;
    }
    int pick = itr_judge(st, w->parent_zone, w->parent_set, e->err);
    if (pick < 0) {
        itr_broken(t, st);
        w->phase = PH_DONE;
        return;
    }
    const struct itr_resp *r = &st->srv[pick].resp;
    if (r->kind == ITR_REFERRAL) {
        st->ref_zone = eng_dup(e, r->child);
        st->ref_ns = calloc(r->nns + 1, sizeof(char *));
        for (size_t i = 0; st->ref_ns && i < r->nns; i++)
            st->ref_ns[st->nref_ns++] = eng_dup(e, r->ns[i]);
        st->glue = calloc(r->nglue + 1, sizeof(*st->glue));
        for (size_t i = 0; st->glue && i < r->nglue; i++) {
            st->glue[st->nglue] = r->glue[i];
            st->glue[st->nglue++].name = eng_dup(e, r->glue[i].name);
            eng_learn(e, r->glue[i].name, r->glue[i].addr, r->glue[i].family);
        }
        eng_remember_zone(e, r->child, r->ns, r->nns);
        free(w->parent_zone);
        w->parent_zone = w->zone;
        w->zone = NULL;
        free(w->parent_set);
        w->parent_set = join(r->ns, r->nns);
        go_to(w, r->child, r->ns, r->nns);
        return;
    }
    for (size_t i = 0; i < r->nans; i++)
        if (eng_add_answer(t, &r->ans[i]) < 0)
            nk_seterr(e->err, "out of memory");
    if (r->cname) {
        st->cname = eng_dup(e, r->cname);
        st->dname = r->dname;
        st->leaves = !itr_in_zone(r->cname, w->zone);
        bool loop = strcasecmp(r->cname, t->query) == 0;
        for (size_t i = 0; i + 1 < t->nsteps && !loop; i++)
            loop = t->steps[i].cname && strcasecmp(t->steps[i].cname, r->cname) == 0;
        if (loop || ++w->chain > ITR_MAX_CHAIN) {
            snprintf(t->reason, sizeof(t->reason), "%.255s: %s", w->cur,
                     loop ? "the CNAME chain loops" : "the CNAME chain is too long");
            t->status = DNS_S_SERVFAIL;
            w->phase = PH_DONE;
            return;
        }
        if (r->kind == ITR_NXDOMAIN) { /* the target does not exist, the zone says */
            t->status = DNS_S_NXDOMAIN;
            t->ok = true;
            w->phase = PH_DONE;
            return;
        }
        snprintf(w->cur, sizeof(w->cur), "%s", r->cname);
        /* On in the zone that holds the target, as far down as is known. */
        const struct zone *nz = deepest(e, w->cur);
        go_to(w, nz->zone, nz->ns, nz->nns);
        free(w->parent_set);
        free(w->parent_zone);
        w->parent_set = w->parent_zone = NULL;
        return;
    }
    t->status = r->kind == ITR_ANSWER     ? DNS_S_NOERROR
                : r->kind == ITR_NXDOMAIN ? DNS_S_NXDOMAIN
                                          : DNS_S_NODATA;
    if (w->extra && r->kind != ITR_NXDOMAIN) {
        w->before = t->nans;
        w->phase = PH_EXTRA;
        return;
    }
    walk_answered(w);
}

void eng_walk_group(struct eng *e, struct walk **ws, size_t n)
{
    for (;;) { /* each round is a step of every walk left: bounded by ITR_MAX_STEPS */
        bool any = false;
        for (size_t i = 0; i < n; i++)
            walk_build(ws[i]);
        for (size_t i = 0; i < n; i++)
            if (ws[i]->phase != PH_DONE) {
                walk_send(ws[i]);
                any = true;
            }
        if (!any)
            return;
        eng_wait(e, ws, n);
        for (size_t i = 0; i < n; i++)
            if (ws[i]->phase != PH_DONE)
                walk_judge(ws[i]);
    }
}

struct itr_trace *eng_walk_end(struct walk *w)
{
    struct eng *e = w->e;
    struct itr_trace *t = w->t;
    eng_close_walk(w);
    if (t && eng_oom(e) && !t->reason[0])
        snprintf(t->reason, sizeof(t->reason), "%s", e->err);
    free_names(w->ns, w->nns);
    free(w->zone);
    free(w->parent_zone);
    free(w->parent_set);
    if (t) {
        t->queries = w->queries;
        t->time_ms = (double)(loop_clock_us() - w->t0) / 1000.0;
    }
    memset(w, 0, sizeof(*w));
    return t;
}

/* The root's servers from the hints file, learnt as any referral's glue; with remember, the
 * root's NS set too (else only the addresses, for a primed NS set that lacks some). */
static int load_hints(struct eng *e, bool remember)
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
        eng_learn(e, g[i].name, g[i].addr, g[i].family);
        if (nns == 0 || strcmp(ns[nns - 1], g[i].name) != 0)
            ns[nns++] = g[i].name;
    }
    if (ns && remember)
        eng_remember_zone(e, ".", ns, nns);
    free(ns);
    itr_glue_free(g, ng);
    return eng_oom(e) ? -1 : 0;
}

/* A priming query's answer. */
struct prime {
    struct loop *l;       /* stopped when the answer came */
    bool done;            /* the callback ran */
    bool have;            /* resp is valid */
    struct itr_resp resp; /* the answer */
    char why[NK_ERRLEN];  /* otherwise why not */
};

static void on_prime(void *arg, const struct dns_raw *r)
{
    struct prime *p = arg;
    p->done = true;
    loop_stop(p->l);
    if (r->status != DNS_S_NOERROR)
        snprintf(p->why, sizeof(p->why), "%s", r->error);
    else if (itr_parse_response(r->pkt, r->len, ".", DNS_T_NS, ".", &p->resp, p->why) == 0)
        p->have = true;
}

/* The root's NS set from the first of the servers given that answers it (RD set, as dig
 * @SERVER +trace); its additional section's addresses, and the hints file's for the names it
 * left out. 0, or -1 with e->err naming the servers and why. */
static int prime_roots(struct eng *e, char *from, size_t fromlen)
{
    char why[NK_ERRLEN] = "";
    char a[NET_ADDRSTRLEN + 8] = "";
    for (int i = 0; i < e->o->nprime && !e->expired; i++) {
        net_ntop_port((const struct sockaddr *)&e->o->prime[i].ss, a, sizeof(a));
        struct dns *d = eng_channel(e, &e->o->prime[i]);
        if (!d)
            return -1;
        struct prime p;
        memset(&p, 0, sizeof(p));
        p.l = e->l;
        if (dns_query_raw(d, ".", DNS_T_NS, true, on_prime, &p, p.why) == 0) {
            e->queries++;
            while (!p.done && !e->expired) /* bounded by the run's deadline */
                if (loop_run(e->l) < 0 && errno == EINTR)
                    e->interrupted = e->expired = true;
        } else {
            p.done = true;
        }
        dns_free(d); /* a query still pending is cancelled: its callback runs now */
        char rb[16];
        char **ns = p.have ? calloc(p.resp.nans + 1, sizeof(char *)) : NULL;
        size_t nns = 0;
        for (size_t k = 0; ns && k < p.resp.nans; k++)
            if (p.resp.ans[k].type == DNS_T_NS && strcmp(p.resp.ans[k].name, ".") == 0)
                ns[nns++] = p.resp.ans[k].data;
        if (p.have && p.resp.kind == ITR_RCODE)
            nk_seterr(why, "%s: answered %s", a, dns_rcode_name(p.resp.rcode, rb));
        else if (p.have && nns == 0)
            nk_seterr(why, "%s: no NS record for the root in its answer", a);
        else if (!p.have)
            nk_seterr(why, "%s: %s", a, p.why[0] ? p.why : "no answer");
        for (size_t k = 0; p.have && k < p.resp.nglue; k++)
            eng_learn(e, p.resp.glue[k].name, p.resp.glue[k].addr, p.resp.glue[k].family);
        bool missing = false;
        for (size_t k = 0; k < nns; k++) {
            bool known = false;
            for (size_t j = 0; j < e->nkn && !known; j++)
                known = strcasecmp(e->kn[j].name, ns[k]) == 0;
            missing = missing || !known;
        }
        if (nns)
            eng_remember_zone(e, ".", ns, nns);
        free(ns);
        if (p.have)
            itr_resp_free(&p.resp);
        if (nns) {
            if (missing && load_hints(e, false) < 0)
                e->err[0] = '\0'; /* no hints: the names without an address are reported */
            snprintf(from, fromlen, "%s", a);
            return eng_oom(e) ? -1 : 0;
        }
    }
    if (!eng_oom(e))
        nk_seterr(e->err, "the root's NS set: %s", e->expired ? "out of time" : why);
    return -1;
}

struct itr_trace *itr_run(struct loop *l, const struct itr_opts *o, const char *name, int type,
                          char err[NK_ERRLEN])
{
    struct eng e;
    memset(&e, 0, sizeof(e));
    e.l = l;
    e.o = o;
    e.port = o->nroots > 0 ? net_port((const struct sockaddr *)&o->roots[0].ss) : 53;
    e.overall.fn = eng_overall_fn;
    e.overall.arg = &e;
    struct itr_trace *t = NULL;
    char from[NET_ADDRSTRLEN + 8] = "";
    loop_timer_set(l, &e.overall, (uint64_t)(o->max_ms > 0 ? o->max_ms : ITR_DEF_MAX_MS));
    if (o->nroots > 0)
        eng_remember_zone(&e, ".", NULL, 0);
    else if (o->nprime > 0)
        prime_roots(&e, from, sizeof(from));
    else
        load_hints(&e, true);
    unsigned primed = e.queries;
    if (!eng_oom(&e)) {
        struct walk w;
        struct walk *ws = &w;
        eng_walk_init(&w, &e, name, type, 0);
        eng_walk_group(&e, &ws, 1);
        t = eng_walk_end(&w);
        if (t) {
            snprintf(t->root_from, sizeof(t->root_from), "%s", from);
            t->queries += primed; /* the query (or queries) that primed the root's NS set */
        }
    }
    loop_timer_cancel(l, &e.overall);
    if (!t)
        snprintf(err, NK_ERRLEN, "%s", e.err);
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
