/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace_judge.c - judging one zone of a --trace: which servers are lame, whether their NS
 * sets, SOA serials and answers agree, which answer is the zone's, and why a chain broke.
 * Pure: the servers' parsed answers in, problems out (unit tests build steps by hand). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/err.h"
#include "lib/vec.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "dns/itrace_judge.h"

static char *xdup(char *oom, const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        nk_seterr(oom, "out of memory");
    return d;
}

void itr_problem(char *oom, struct itr_step *st, const char *kind, const struct itr_server *s,
                 const char *fmt, ...)
{
    char buf[4 * NK_ERRLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    struct itr_problem *p = nk_grow((void **)&st->prob, &st->nprob, &st->capprob, sizeof(*p));
    if (!p) {
        nk_seterr(oom, "out of memory");
        return;
    }
    p->kind = kind;
    p->server = s && s->addr[0] ? xdup(oom, s->addr) : NULL;
    p->name = s && s->name ? xdup(oom, s->name) : NULL;
    p->detail = xdup(oom, buf);
}

/* ---- judging a step ---- */

/* What server s said, as a key to compare servers by, and in words. */
static void outcome_key(const struct itr_server *s, char *buf, size_t len)
{
    const struct itr_resp *r = &s->resp;
    size_t used = 0;
    buf[0] = '\0';
    switch (r->kind) {
    case ITR_REFERRAL: snprintf(buf, len, "a referral to %s", r->child); return;
    case ITR_NXDOMAIN: snprintf(buf, len, "NXDOMAIN"); return;
    case ITR_NODATA: snprintf(buf, len, "NODATA"); return;
    case ITR_ANSWER: break;
    default: return;
    }
    /* The records' types and data, sorted by a selection over the handful there are. */
    const struct itr_rec *prev = NULL;
    for (size_t n = 0; n < r->nans; n++) {
        const struct itr_rec *best = NULL;
        for (size_t i = 0; i < r->nans; i++) {
            const struct itr_rec *a = &r->ans[i];
            int cp =
                prev ? (a->type - prev->type ? a->type - prev->type : strcmp(a->data, prev->data))
                     : 1;
            if (cp <= 0)
                continue;
            if (!best || a->type < best->type ||
                (a->type == best->type && strcmp(a->data, best->data) < 0))
                best = a;
        }
        if (!best)
            break;
        char tb[DNS_TYPE_BUF];
        int w = snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "",
                         dns_type_name(best->type, tb), best->data);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
        prev = best;
    }
}

/* Lame servers get a problem each. True if s is usable. */
static bool judge_server(char *oom, struct itr_step *st, struct itr_server *s)
{
    char rb[16];
    if (!s->addr[0]) {
        s->lame = true;
        itr_problem(oom, st, "lame", s, "%s", s->error[0] ? s->error : "no address");
        return false;
    }
    if (!s->have_resp) {
        s->lame = true;
        itr_problem(oom, st, "lame", s, "%s", s->error[0] ? s->error : "no answer");
        return false;
    }
    const struct itr_resp *r = &s->resp;
    if (r->kind == ITR_RCODE) {
        s->lame = true;
        itr_problem(oom, st, "lame", s, "answered %s for %s", dns_rcode_name(r->rcode, rb),
                    st->zone);
        return false;
    }
    if (r->kind == ITR_LAME) {
        s->lame = true;
        itr_problem(oom, st, "lame", s, "%s", r->why);
        return false;
    }
    if (r->kind != ITR_REFERRAL && !r->aa) {
        s->lame = true;
        itr_problem(oom, st, "lame", s, "answered without the AA bit: not authoritative for %s",
                    st->zone);
        return false;
    }
    if (s->soa_noaa) {
        s->lame = true;
        itr_problem(oom, st, "lame", s,
                    "not authoritative for %s (its SOA came without the AA bit)", st->zone);
        return false;
    }
    return true;
}

/* The servers' NS sets against each other and the parent's; their serials. */
static void judge_zone(char *oom, struct itr_step *st, const char *parent_zone,
                       const char *parent_set)
{
    const char *major = NULL;
    size_t best = 0;
    for (size_t i = 0; i < st->nsrv; i++) {
        if (!st->srv[i].nsset)
            continue;
        size_t c = 0;
        for (size_t k = 0; k < st->nsrv; k++)
            c += st->srv[k].nsset && strcasecmp(st->srv[k].nsset, st->srv[i].nsset) == 0;
        if (c > best) {
            best = c;
            major = st->srv[i].nsset;
        }
    }
    for (size_t i = 0; major && i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        if (s->nsset && strcasecmp(s->nsset, major) != 0)
            itr_problem(oom, st, "ns-mismatch", s, "NS set %s; the others have %s", s->nsset,
                        major);
    }
    if (major && parent_set && strcasecmp(major, parent_set) != 0)
        itr_problem(oom, st, "ns-mismatch", NULL,
                    "the parent %s delegates to %s; the zone's servers say %s", parent_zone,
                    parent_set, major);
    uint32_t hi = 0;
    const struct itr_server *hs = NULL;
    bool differ = false;
    for (size_t i = 0; i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        if (!s->have_serial)
            continue;
        if (hs && s->serial != hi)
            differ = true;
        if (!hs || (int32_t)(s->serial - hi) > 0) { /* RFC 1982 serial arithmetic */
            hi = s->serial;
            hs = s;
        }
    }
    for (size_t i = 0; differ && i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        if (s->have_serial && s->serial != hi)
            itr_problem(oom, st, "serial-mismatch", s, "SOA serial %u; %s (%s) has %u", s->serial,
                        hs->name ? hs->name : hs->addr, hs->addr, hi);
    }
}

/* Judge the step: problems, and the index of a server whose answer is the zone's (the most
 * common usable one), or -1 when none is usable. */
int itr_judge(struct itr_step *st, const char *parent_zone, const char *parent_set, char *oom)
{
    char keys[ITR_MAX_SERVERS][512];
    bool good[ITR_MAX_SERVERS];
    int pick = -1;
    size_t best = 0;
    for (size_t i = 0; i < st->nsrv; i++) {
        good[i] = judge_server(oom, st, &st->srv[i]);
        keys[i][0] = '\0';
        if (good[i])
            outcome_key(&st->srv[i], keys[i], sizeof(keys[i]));
    }
    for (size_t i = 0; i < st->nsrv; i++) {
        if (!good[i])
            continue;
        size_t c = 0;
        for (size_t k = 0; k < st->nsrv; k++)
            c += good[k] && strcmp(keys[k], keys[i]) == 0;
        if (c > best) {
            best = c;
            pick = (int)i;
        }
    }
    for (size_t i = 0; pick >= 0 && i < st->nsrv; i++)
        if (good[i] && strcmp(keys[i], keys[pick]) != 0)
            itr_problem(oom, st, "answer-mismatch", &st->srv[i], "answered %s; %s (%s) answered %s",
                        keys[i], st->srv[pick].name ? st->srv[pick].name : st->srv[pick].addr,
                        st->srv[pick].addr, keys[pick]);
    judge_zone(oom, st, parent_zone, parent_set);
    return pick;
}

/* Why no server of the step was usable, into t->reason; the status from the failures. */
void itr_broken(struct itr_trace *t, const struct itr_step *st)
{
    size_t used = 0;
    bool all_timeout = true, all_refused = true;
    int w = snprintf(t->reason, sizeof(t->reason), "%s: no server of %s gave a usable answer",
                     st->qname, st->zone);
    used = w > 0 ? (size_t)w : 0;
    for (size_t i = 0; i < st->nprob && used < sizeof(t->reason); i++) {
        const struct itr_problem *p = &st->prob[i];
        if (strcmp(p->kind, "lame") != 0)
            continue;
        w = snprintf(t->reason + used, sizeof(t->reason) - used, "%s %s%s%s%s: %s", i ? ";" : ":",
                     p->name ? p->name : "", p->name && p->server ? " (" : "",
                     p->server ? p->server : "", p->name && p->server ? ")" : "", p->detail);
        if (w < 0)
            break;
        used += (size_t)w;
        all_timeout = all_timeout && (strstr(p->detail, "no answer") != NULL ||
                                      strstr(p->detail, "did not answer") != NULL);
        all_refused = all_refused && strstr(p->detail, "REFUSED") != NULL;
    }
    if (st->nsrv == 0) {
        snprintf(t->reason, sizeof(t->reason), "%s: %s has no server to ask", st->qname, st->zone);
        all_timeout = all_refused = false;
    }
    t->status = all_timeout ? DNS_S_TIMEOUT : all_refused ? DNS_S_REFUSED : DNS_S_ERROR;
}
