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
#include "dns/itrace_eng.h"
#include "dns/itrace_judge.h"
#include "dns/itrace.h"

char *eng_dup(struct eng *e, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        nk_seterr(e->err, "out of memory");
    return d;
}

bool eng_oom(struct eng *e)
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

int eng_add_answer(struct itr_trace *t, const struct itr_rec *a)
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

struct dns *eng_channel(struct eng *e, const struct net_addr *sa)
{
    struct dns_opts o = {.servers = sa,
                         .nservers = 1,
                         .timeout_ms = e->o->timeout_ms,
                         .tries = e->o->tries,
                         .tcp = e->o->tcp,
                         .no_search = true,
                         .no_hosts = true};
    return dns_new(e->l, &o, e->err);
}

static struct dns *chan_for(struct walk *w, const struct net_addr *sa)
{
    struct eng *e = w->e;
    for (size_t i = 0; i < w->nch; i++)
        if (w->ch[i].sa.len == sa->len && memcmp(&w->ch[i].sa.ss, &sa->ss, sa->len) == 0)
            return w->ch[i].d;
    struct dns *d = eng_channel(e, sa);
    if (!d)
        return NULL;
    struct chan *c = nk_grow((void **)&w->ch, &w->nch, &w->capch, sizeof(*c));
    if (!c) {
        dns_free(d);
        nk_seterr(e->err, "out of memory");
        return NULL;
    }
    c->sa = *sa;
    c->d = d;
    return d;
}

void eng_close_walk(struct walk *w)
{
    loop_timer_cancel(w->e->l, &w->grace);
    for (size_t i = 0; i < w->nch; i++)
        dns_free(w->ch[i].d);
    free(w->ch);
    w->ch = NULL;
    w->nch = w->capch = 0;
}

/* End the walk's queries still in flight: cancelled, they come back as "no answer". */
static void cut(struct walk *w)
{
    w->cutting = true;
    for (size_t i = 0; i < w->nch; i++)
        if (dns_pending(w->ch[i].d))
            dns_cancel_all(w->ch[i].d);
    w->cutting = false;
}

void eng_grace_fn(struct loop *l, struct loop_timer *t)
{
    (void)l;
    cut(t->arg);
}

/* The waiting group sees the run's time is up and cuts its walks. */
void eng_overall_fn(struct loop *l, struct loop_timer *t)
{
    struct eng *e = t->arg;
    e->expired = true;
    loop_stop(l);
}

static void on_raw(void *arg, const struct dns_raw *r)
{
    struct q *q = arg;
    struct eng *e = q->e;
    struct walk *w = q->w;
    struct itr_server *s = q->s;
    char err[NK_ERRLEN] = "";
    struct itr_resp resp;
    bool have = false;
    if (r->status == DNS_S_NOERROR) {
        if (itr_parse_response(r->pkt, r->len, q->qname, q->qtype, q->zone, &resp, err) == 0)
            have = true;
    } else if (r->status == DNS_S_TIMEOUT) {
        if (w->cutting && !e->expired)
            nk_seterr(err, "did not answer within %.0f ms (the others had answered)", r->rtt_ms);
        else if (r->rtt_ms > 0 && !e->expired)
            nk_seterr(err, "did not answer within %.0f ms (TIMEOUT)", r->rtt_ms);
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
                w->useful = true;
                if (r->rtt_ms > w->slowest)
                    w->slowest = r->rtt_ms;
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
                w->useful = true;
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
                int wr = snprintf(set + used, sizeof(set) - used, "%s%s", k ? " " : "", tmp.ns[k]);
                if (wr < 0 || (size_t)wr >= sizeof(set) - used)
                    break;
                used += (size_t)wr;
            }
            free(tmp.ns);
            if (tmp.nns)
                s->nsset = eng_dup(e, set);
        }
        if (have)
            itr_resp_free(&resp);
        break;
    }
    free(q);
    if (--w->outstanding == 0) {
        loop_timer_cancel(e->l, &w->grace);
        loop_stop(e->l);
    } else if (w->useful && !w->grace.slot && !w->cutting) {
        double g = ITR_GRACE_FACTOR * w->slowest;
        int least = e->o->grace_ms > 0 ? e->o->grace_ms : ITR_DEF_GRACE_MS;
        if (g < least)
            g = least;
        loop_timer_set(e->l, &w->grace, (uint64_t)g);
    }
}

void eng_send(struct walk *w, struct itr_server *s, enum role role, const char *qname,
              const char *zone, int qtype)
{
    struct eng *e = w->e;
    if (e->queries >= ITR_MAX_QUERIES || e->expired || eng_oom(e))
        return;
    struct dns *d = chan_for(w, &s->sa);
    struct q *q = d ? malloc(sizeof(*q)) : NULL;
    if (!q) {
        if (!eng_oom(e))
            nk_seterr(e->err, "out of memory");
        return;
    }
    *q = (struct q){e, w, s, role, qname, zone, qtype};
    e->queries++;
    w->queries++;
    w->outstanding++;
    char err[NK_ERRLEN];
    if (dns_query_raw(d, qname, qtype, false, on_raw, q, err) < 0) {
        w->outstanding--;
        free(q);
        if (role == Q_MAIN)
            snprintf(s->error, sizeof(s->error), "%s", err);
    }
}

static bool busy(struct walk **ws, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ws[i]->outstanding)
            return true;
    return false;
}

/* Run the loop until every query of the walks' round is back, or cut by its walk's grace; the
 * run's deadline and Ctrl-C cut them all. Bounded by the deadline's timer. */
void eng_wait(struct eng *e, struct walk **ws, size_t n)
{
    while (busy(ws, n) && !e->expired)
        if (loop_run(e->l) < 0 && errno == EINTR)
            e->interrupted = e->expired = true;
    for (size_t i = 0; i < n; i++) {
        if (ws[i]->outstanding)
            cut(ws[i]);
        loop_timer_cancel(e->l, &ws[i]->grace);
    }
}

/* ---- servers of a zone ---- */

void eng_learn(struct eng *e, const char *name, const char *addr, int family)
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

void eng_remember_zone(struct eng *e, const char *zone, char **ns, size_t nns)
{
    for (size_t i = 0; i < e->nzc; i++)
        if (strcasecmp(e->zc[i].zone, zone) == 0)
            return;
    struct zone *z = nk_grow((void **)&e->zc, &e->nzc, &e->capzc, sizeof(*z));
    if (!z) {
        nk_seterr(e->err, "out of memory");
        return;
    }
    z->zone = eng_dup(e, zone);
    z->ns = calloc(nns ? nns : 1, sizeof(char *));
    if (!z->ns) {
        nk_seterr(e->err, "out of memory");
        return;
    }
    for (size_t i = 0; i < nns; i++)
        z->ns[z->nns++] = eng_dup(e, ns[i]);
}

/* Add a server (name, address text) to the step, if room. */
struct itr_server *eng_add_server(struct eng *e, struct itr_step *st, const char *name,
                                  const char *addr)
{
    if (st->nsrv >= ITR_MAX_SERVERS)
        return NULL;
    struct itr_server *s = nk_grow((void **)&st->srv, &st->nsrv, &st->capsrv, sizeof(*s));
    if (!s) {
        nk_seterr(e->err, "out of memory");
        return NULL;
    }
    s->name = name ? eng_dup(e, name) : NULL;
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
 * -6. With st, adds a server per address (if room); returns how many there are. */
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
                (!st || eng_add_server(e, st, name, e->kn[i].addr)))
                added++;
    }
    return added;
}

/* Server v takes address addr (text) at the engine's port. */
static bool set_addr(struct eng *e, struct itr_server *v, const char *addr)
{
    char err[NK_ERRLEN];
    if (net_parse_ip(addr, e->port, &v->sa, err) < 0)
        return false;
    if (e->port != 53)
        net_ntop_port((struct sockaddr *)&v->sa.ss, v->addr, sizeof(v->addr));
    else
        snprintf(v->addr, sizeof(v->addr), "%s", addr);
    return true;
}

/* The addresses a nested lookup of name found (the A/AAAA records of its chain's end). */
static void learn_lookup(struct eng *e, const char *name, const struct itr_trace *sub)
{
    for (size_t k = 0; k < sub->nans; k++)
        if ((sub->ans[k].type == DNS_T_A || sub->ans[k].type == DNS_T_AAAA) &&
            strcasecmp(sub->ans[k].name, sub->ans[sub->nans - 1].name) == 0)
            eng_learn(e, name, sub->ans[k].data, sub->ans[k].type == DNS_T_A ? AF_INET : AF_INET6);
}

/* The step's servers: the NS names with their addresses, in the NS set's order. The names
 * without a known address are looked up first, all at once (a group of nested walks). */
void eng_build_servers(struct walk *w, struct itr_step *st, char **ns, size_t nns)
{
    struct eng *e = w->e;
    int type = e->o->family == AF_INET6 ? DNS_T_AAAA : DNS_T_A;
    struct walk *sub = calloc(nns ? nns : 1, sizeof(*sub));
    struct walk **ptr = calloc(nns ? nns : 1, sizeof(*ptr));
    struct itr_trace **found = calloc(nns ? nns : 1, sizeof(*found));
    bool *look = calloc(nns ? nns : 1, sizeof(*look));
    if (!sub || !ptr || !found || !look) {
        nk_seterr(e->err, "out of memory");
        goto out;
    }
    size_t nsub = 0;
    for (size_t i = 0; i < nns && !e->expired; i++) {
        if (add_known(e, NULL, ns[i]) > 0 || itr_in_zone(ns[i], st->zone) ||
            w->depth >= ITR_MAX_NEST)
            continue;
        look[i] = true;
        ptr[nsub] = &sub[nsub];
        eng_walk_init(&sub[nsub++], e, ns[i], type, w->depth + 1);
    }
    eng_walk_group(e, ptr, nsub);
    for (size_t k = 0; k < nsub; k++) {
        found[k] = eng_walk_end(&sub[k]);
        if (found[k]) {
            w->queries += found[k]->queries;
            learn_lookup(e, found[k]->query, found[k]);
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < nns && !eng_oom(e) && !e->expired; i++) {
        if (!look[i]) {
            if (add_known(e, st, ns[i]) > 0)
                continue;
            struct itr_server *s = eng_add_server(e, st, ns[i], NULL);
            if (!s)
                break;
            if (itr_in_zone(ns[i], st->zone))
                nk_seterr(s->error, "no glue for a name inside the zone it serves");
            else
                nk_seterr(s->error, "no glue, and lookups nested %d deep already", w->depth);
            continue;
        }
        struct itr_trace *t = found[k++];
        struct itr_server *s = t ? eng_add_server(e, st, ns[i], NULL) : NULL;
        if (!s)
            break;
        s->lookup = t;
        found[k - 1] = NULL;
        /* The first address goes on this entry (it carries the lookup), others after it. */
        size_t idx = (size_t)(s - st->srv);
        bool first = true;
        for (size_t j = 0; j < e->nkn; j++) {
            if (strcasecmp(e->kn[j].name, ns[i]) != 0)
                continue;
            if (first)
                first = !set_addr(e, &st->srv[idx], e->kn[j].addr);
            else if (st->nsrv < ITR_MAX_SERVERS)
                eng_add_server(e, st, ns[i], e->kn[j].addr);
        }
        if (first)
            nk_seterr(st->srv[idx].error, "no glue, and its own lookup found no address");
    }
out:
    for (size_t j = 0; found && j < nns; j++)
        itr_free(found[j]);
    free(sub);
    free(ptr);
    free(found);
    free(look);
}
