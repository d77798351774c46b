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

/* Ask every server of the step: the question, the zone's SOA and its NS set. */
static void ask(struct eng *e, struct itr_step *st, const char *zone)
{
    for (size_t i = 0; i < st->nsrv; i++) {
        struct itr_server *s = &st->srv[i];
        if (!s->addr[0])
            continue;
        eng_send(e, s, Q_MAIN, st->qname, zone, st->qtype);
        eng_send(e, s, Q_SOA, zone, zone, DNS_T_SOA);
        eng_send(e, s, Q_NS, zone, zone, DNS_T_NS);
    }
    eng_wait(e);
}

/* Address mode's second type at the final zone: its records join the answer. */
static void ask_extra(struct eng *e, struct itr_trace *t, struct itr_step *st, int type)
{
    for (size_t i = 0; i < st->nsrv; i++)
        if (!st->srv[i].lame && st->srv[i].addr[0])
            eng_send(e, &st->srv[i], Q_EXTRA, st->qname, st->zone, type);
    eng_wait(e);
    for (size_t i = 0; i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        if (!s->have_extra || !s->extra.aa || s->extra.kind != ITR_ANSWER)
            continue;
        for (size_t k = 0; k < s->extra.nans; k++)
            if (s->extra.ans[k].type == type && strcasecmp(s->extra.ans[k].name, st->qname) == 0 &&
                eng_add_answer(t, &s->extra.ans[k]) < 0)
                nk_seterr(e->err, "out of memory");
        return;
    }
}

struct itr_trace *eng_trace(struct eng *e, const char *name, int type, int depth,
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
        zone = eng_dup(e, z->zone);
        ns = calloc(z->nns + 1, sizeof(char *));
        for (size_t i = 0; ns && i < z->nns; i++)
            ns[nns++] = eng_dup(e, z->ns[i]);
    }
    while (!eng_oom(e) && zone && ns) {
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
        st->zone = eng_dup(e, zone);
        st->qname = eng_dup(e, cur);
        st->qtype = qtype;
        if (strcmp(zone, ".") == 0 && e->o->nroots > 0) {
            for (int i = 0; i < e->o->nroots; i++) {
                char a[NET_ADDRSTRLEN];
                net_ntop((const struct sockaddr *)&e->o->roots[i].ss, a, sizeof(a));
                eng_add_server(e, st, NULL, a);
            }
        } else {
            eng_build_servers(e, st, ns, nns, depth);
            st = &t->steps[t->nsteps - 1]; /* nested traces leave t->steps alone, but be sure */
        }
        if (eng_oom(e))
            break;
        ask(e, st, zone);
        if (eng_oom(e))
            break;
        int pick = itr_judge(st, parent_zone, parent_set, e->err);
        if (pick < 0) {
            itr_broken(t, st);
            break;
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
            free(parent_zone);
            parent_zone = zone;
            zone = eng_dup(e, r->child);
            free(parent_set);
            parent_set = join(r->ns, r->nns);
            for (size_t i = 0; i < nns; i++)
                free(ns[i]);
            free(ns);
            nns = 0;
            ns = calloc(r->nns + 1, sizeof(char *));
            for (size_t i = 0; ns && i < r->nns; i++)
                ns[nns++] = eng_dup(e, r->ns[i]);
            continue;
        }
        for (size_t i = 0; i < r->nans; i++)
            if (eng_add_answer(t, &r->ans[i]) < 0)
                nk_seterr(e->err, "out of memory");
        if (r->cname) {
            st->cname = eng_dup(e, r->cname);
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
            zone = eng_dup(e, nz->zone);
            for (size_t i = 0; i < nns; i++)
                free(ns[i]);
            free(ns);
            nns = 0;
            ns = calloc(nz->nns + 1, sizeof(char *));
            for (size_t i = 0; ns && i < nz->nns; i++)
                ns[nns++] = eng_dup(e, nz->ns[i]);
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
    if (eng_oom(e) && !t->reason[0])
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
        eng_learn(e, g[i].name, g[i].addr, g[i].family);
        if (nns == 0 || strcmp(ns[nns - 1], g[i].name) != 0)
            ns[nns++] = g[i].name;
    }
    if (ns)
        eng_remember_zone(e, ".", ns, nns);
    free(ns);
    itr_glue_free(g, ng);
    return eng_oom(e) ? -1 : 0;
}

struct itr_trace *itr_run(struct loop *l, const struct itr_opts *o, const char *name, int type,
                          char err[NK_ERRLEN])
{
    struct eng e;
    memset(&e, 0, sizeof(e));
    e.l = l;
    e.o = o;
    e.port = o->nroots > 0 ? net_port((const struct sockaddr *)&o->roots[0].ss) : 53;
    e.grace.fn = eng_grace_fn;
    e.grace.arg = &e;
    e.overall.fn = eng_overall_fn;
    e.overall.arg = &e;
    struct itr_trace *t = NULL;
    if (o->nroots > 0)
        eng_remember_zone(&e, ".", NULL, 0);
    else
        load_hints(&e);
    if (!eng_oom(&e)) {
        loop_timer_set(l, &e.overall, (uint64_t)(o->max_ms > 0 ? o->max_ms : ITR_DEF_MAX_MS));
        t = eng_trace(&e, name, type, 0, NULL);
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
