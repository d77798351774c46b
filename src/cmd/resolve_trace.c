/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve_trace.c - `netkit resolve --trace`: the trace tree of dns/itrace.h as text (one block
 * per zone: its servers, the referral, the problems; nested lookups indented; then the answer
 * as plain resolve prints it) or as one JSON object per name. */
#include <stdio.h>
#include <string.h>

#include "cli/msg.h"
#include "cli/out.h"
#include "cmd/resolve_trace.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "lib/num.h"
#include "lib/loop.h"
#include "lib/sig.h"

#define CMD "resolve"

static double ms2(double v)
{
    return nk_round2(v);
}

/* ---- JSON ---- */

static void json_trace(struct out *o, const struct itr_trace *t, const char *key);

static void json_records(struct out *o, const char *key, const struct itr_rec *a, size_t n)
{
    out_arr_begin(o, key);
    for (size_t i = 0; i < n; i++) {
        char tb[DNS_TYPE_BUF];
        out_obj_begin(o, NULL);
        out_str(o, OUT_C_NONE, "name", NULL, a[i].name);
        out_str(o, OUT_C_NONE, "type", NULL, dns_type_name(a[i].type, tb));
        out_u64(o, "ttl", NULL, a[i].ttl);
        out_str(o, OUT_C_NONE, "data", NULL, a[i].data);
        out_obj_end(o);
    }
    out_arr_end(o);
}

static void json_str_or_null(struct out *o, const char *key, const char *v)
{
    if (v && *v)
        out_str(o, OUT_C_NONE, key, NULL, v);
    else
        out_null(o, key);
}

static void json_step(struct out *o, const struct itr_step *st)
{
    char tb[DNS_TYPE_BUF], rb[16];
    out_obj_begin(o, NULL);
    out_str(o, OUT_C_NONE, "zone", NULL, st->zone);
    out_str(o, OUT_C_NONE, "name", NULL, st->qname);
    out_str(o, OUT_C_NONE, "qtype", NULL, dns_type_name(st->qtype, tb));
    out_arr_begin(o, "servers");
    for (size_t i = 0; i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        out_obj_begin(o, NULL);
        json_str_or_null(o, "name", s->name);
        json_str_or_null(o, "address", s->addr);
        if (s->rtt_ms >= 0)
            out_dbl(o, "rtt_ms", NULL, ms2(s->rtt_ms));
        else
            out_null(o, "rtt_ms");
        if (s->rcode >= 0)
            out_str(o, OUT_C_NONE, "rcode", NULL, dns_rcode_name(s->rcode, rb));
        else
            out_null(o, "rcode");
        out_bool(o, "aa", NULL, s->aa);
        if (s->have_serial)
            out_u64(o, "serial", NULL, s->serial);
        else
            out_null(o, "serial");
        json_str_or_null(o, "error", s->error);
        if (s->lookup)
            json_trace(o, s->lookup, "lookup");
        else
            out_null(o, "lookup");
        out_obj_end(o);
    }
    out_arr_end(o);
    if (st->ref_zone) {
        out_obj_begin(o, "referral");
        out_str(o, OUT_C_NONE, "zone", NULL, st->ref_zone);
        out_arr_begin(o, "ns");
        for (size_t i = 0; i < st->nref_ns; i++)
            out_str(o, OUT_C_NONE, NULL, NULL, st->ref_ns[i]);
        out_arr_end(o);
        out_arr_begin(o, "glue");
        for (size_t i = 0; i < st->nglue; i++) {
            out_obj_begin(o, NULL);
            out_str(o, OUT_C_NONE, "name", NULL, st->glue[i].name);
            out_str(o, OUT_C_NONE, "address", NULL, st->glue[i].addr);
            out_obj_end(o);
        }
        out_arr_end(o);
        out_obj_end(o);
    } else {
        out_null(o, "referral");
    }
    if (st->cname) {
        out_obj_begin(o, "chain");
        out_str(o, OUT_C_NONE, "type", NULL, st->dname ? "DNAME" : "CNAME");
        out_str(o, OUT_C_NONE, "target", NULL, st->cname);
        out_bool(o, "leaves_zone", NULL, st->leaves);
        out_obj_end(o);
    } else {
        out_null(o, "chain");
    }
    out_arr_begin(o, "problems");
    for (size_t i = 0; i < st->nprob; i++) {
        const struct itr_problem *p = &st->prob[i];
        out_obj_begin(o, NULL);
        out_str(o, OUT_C_NONE, "kind", NULL, p->kind);
        json_str_or_null(o, "server", p->server);
        json_str_or_null(o, "name", p->name);
        out_str(o, OUT_C_NONE, "detail", NULL, p->detail);
        out_obj_end(o);
    }
    out_arr_end(o);
    out_obj_end(o);
}

static void json_trace(struct out *o, const struct itr_trace *t, const char *key)
{
    char tb[DNS_TYPE_BUF];
    out_obj_begin(o, key);
    out_str(o, OUT_C_NONE, "query", NULL, t->query);
    out_str(o, OUT_C_NONE, "type", NULL, t->type ? dns_type_name(t->type, tb) : "ADDR");
    if (!key) /* the name asked: where the root's NS set came from (-s/@SERVER), or null */
        json_str_or_null(o, "root_from", t->root_from[0] ? t->root_from : NULL);
    out_arr_begin(o, "steps");
    for (size_t i = 0; i < t->nsteps; i++)
        json_step(o, &t->steps[i]);
    out_arr_end(o);
    out_str(o, OUT_C_NONE, "status", NULL, dns_status_name(t->status));
    json_records(o, "answers", t->ans, t->nans);
    json_str_or_null(o, "reason", t->ok ? NULL : t->reason);
    out_u64(o, "queries", NULL, t->queries);
    out_dbl(o, "time_ms", NULL, ms2(t->time_ms));
    out_obj_end(o);
}

/* ---- text ---- */

static void text_trace(struct out *o, const struct itr_trace *t, int depth);

static void text_step(struct out *o, const struct itr_step *st, int depth)
{
    char tb[DNS_TYPE_BUF], rb[16];
    int ind = 4 * depth;
    int wn = 0, wa = 0;
    for (size_t i = 0; i < st->nsrv; i++) {
        int n = st->srv[i].name ? (int)strlen(st->srv[i].name) : 0;
        int a = st->srv[i].addr[0] ? (int)strlen(st->srv[i].addr) : 1;
        wn = n > wn ? n : wn;
        wa = a > wa ? a : wa;
    }
    out_text(o, "%*s", ind, "");
    out_ctext(o, OUT_C_NAME, "%s", st->zone);
    out_text(o, "  %s %s, %zu server%s\n", st->qname, dns_type_name(st->qtype, tb), st->nsrv,
             st->nsrv == 1 ? "" : "s");
    for (size_t i = 0; i < st->nsrv; i++) {
        const struct itr_server *s = &st->srv[i];
        out_text(o, "%*s  %-*s%s", ind, "", wn, s->name ? s->name : "", wn ? "  " : "");
        out_ctext(o, OUT_C_INET, "%-*s", wa, s->addr[0] ? s->addr : "-");
        if (s->rcode >= 0) {
            out_text(o, "  %7.2f ms  ", s->rtt_ms);
            out_ctext(o, s->lame ? OUT_C_BAD : OUT_C_GOOD, "%s", dns_rcode_name(s->rcode, rb));
            if (s->aa)
                out_text(o, " aa");
            if (s->have_serial)
                out_text(o, "  serial %u", s->serial);
        } else {
            out_ctext(o, OUT_C_BAD, "  %s", s->error[0] ? s->error : "no answer");
        }
        out_text(o, "\n");
        if (s->lookup)
            text_trace(o, s->lookup, depth + 1);
    }
    if (st->ref_zone) {
        out_text(o, "%*s  -> %s  NS", ind, "", st->ref_zone);
        for (size_t i = 0; i < st->nref_ns; i++)
            out_text(o, " %s", st->ref_ns[i]);
        out_text(o, "\n");
        if (st->nglue) {
            out_text(o, "%*s     glue", ind, "");
            for (size_t i = 0; i < st->nglue; i++)
                out_text(o, "%s %s %s", i ? "," : "", st->glue[i].name, st->glue[i].addr);
            out_text(o, "\n");
        } else {
            out_text(o, "%*s     no glue\n", ind, "");
        }
    }
    if (st->cname)
        out_text(o, "%*s  -> %s %s%s%s\n", ind, "", st->dname ? "DNAME" : "CNAME", st->cname,
                 st->leaves ? ", leaving " : "", st->leaves ? st->zone : "");
    for (size_t i = 0; i < st->nprob; i++) {
        const struct itr_problem *p = &st->prob[i];
        out_text(o, "%*s  ", ind, "");
        out_ctext(o, OUT_C_WARN, "! %s", p->kind);
        if (p->name && p->server)
            out_text(o, " %s (%s)", p->name, p->server);
        else if (p->name || p->server)
            out_text(o, " %s", p->name ? p->name : p->server);
        out_text(o, ": %s\n", p->detail);
    }
}

static void text_trace(struct out *o, const struct itr_trace *t, int depth)
{
    char tb[DNS_TYPE_BUF];
    int ind = 4 * depth;
    if (depth > 0)
        out_text(o, "%*s; lookup of %s %s\n", ind, "", t->query, dns_type_name(t->type, tb));
    else if (t->root_from[0])
        out_text(o, "; the root's NS set from %s\n", t->root_from);
    for (size_t i = 0; i < t->nsteps; i++)
        text_step(o, &t->steps[i], depth);
    for (size_t i = 0; i < t->nans; i++) {
        const struct itr_rec *a = &t->ans[i];
        out_text(o, "%*s", ind, "");
        out_ctext(o, OUT_C_NAME, "%s", a->name);
        out_text(o, "  %s  %u  ", dns_type_name(a->type, tb), a->ttl);
        out_ctext(o,
                  a->type == DNS_T_A      ? OUT_C_INET
                  : a->type == DNS_T_AAAA ? OUT_C_INET6
                                          : OUT_C_NONE,
                  "%s\n", a->data);
    }
    size_t np = 0;
    for (size_t i = 0; i < t->nsteps; i++)
        np += t->steps[i].nprob;
    out_text(o, "%*s; %s", ind, "", dns_status_name(t->status));
    if (!t->ok)
        out_text(o, ": %s", t->reason);
    out_text(o, " (%zu zone%s, %u queries, %.2f ms, %zu problem%s)\n", t->nsteps,
             t->nsteps == 1 ? "" : "s", t->queries, t->time_ms, np, np == 1 ? "" : "s");
}

int resolve_trace(char **names, int n, int type, const struct itr_opts *o, bool json, bool color)
{
    struct loop *l = loop_new();
    if (!l) {
        nk_err(CMD, "event loop: out of memory");
        return NK_FAIL;
    }
    struct out *out = out_new(stdout, json, color);
    int status = NK_OK;
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    for (int i = 0; i < n && !loop_interrupted(); i++) {
        char name[DNS_NAME_BUF + 80], err[NK_ERRLEN];
        int qtype = type;
        if (type == 0 && dns_reverse_name(names[i], name, sizeof(name))) {
            qtype = DNS_T_PTR;
        } else if (dns_name_to_ascii(names[i], name, err) < 0) {
            nk_err(CMD, "%s", err);
            status = NK_FAIL;
            continue;
        }
        struct itr_trace *t = itr_run(l, o, name, qtype, err);
        if (!t) {
            nk_err(CMD, "%s", err);
            status = NK_FAIL;
            continue;
        }
        if (json)
            json_trace(out, t, NULL);
        else
            text_trace(out, t, 0);
        out_flush(out);
        if (!t->ok) {
            nk_err(CMD, "%s", t->reason);
            status = NK_FAIL;
        }
        itr_free(t);
    }
    nk_sig_restore(&sig);
    if (out_close(out) < 0)
        status = NK_FAIL;
    loop_free(l);
    return status;
}
