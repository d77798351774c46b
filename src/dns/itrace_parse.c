/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace_parse.c - the pure half of --trace: a response classified against the question and
 * the zone asked (answer, referral, NXDOMAIN, NODATA, lame), and the root hints file. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "lib/err.h"
#include "lib/vec.h"
#include "dns/dnsfmt.h"
#include "dns/dnsname.h"
#include "dns/itrace.h"

bool itr_in_zone(const char *name, const char *zone)
{
    if (strcmp(zone, ".") == 0)
        return true;
    size_t ln = strlen(name), lz = strlen(zone);
    if (ln < lz || strcasecmp(name + ln - lz, zone) != 0)
        return false;
    return ln == lz || name[ln - lz - 1] == '.';
}

void itr_resp_free(struct itr_resp *r)
{
    for (size_t i = 0; i < r->nans; i++)
        free(r->ans[i].name);
    free(r->ans);
    free(r->cname);
    free(r->child);
    for (size_t i = 0; i < r->nns; i++)
        free(r->ns[i]);
    free(r->ns);
    itr_glue_free(r->glue, r->nglue);
    memset(r, 0, sizeof(*r));
}

void itr_glue_free(struct itr_glue *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(g[i].name);
    free(g);
}

static int add_rec(struct itr_resp *r, const char *name, int type, uint32_t ttl, const char *data)
{
    struct itr_rec *a = nk_grow((void **)&r->ans, &r->nans, &r->capans, sizeof(*a));
    if (!a)
        return -1;
    size_t ln = strlen(name) + 1, ld = strlen(data) + 1;
    a->name = malloc(ln + ld);
    if (!a->name) {
        r->nans--;
        return -1;
    }
    memcpy(a->name, name, ln);
    a->data = memcpy(a->name + ln, data, ld);
    a->type = type;
    a->ttl = ttl;
    return 0;
}

/* Add name to the sorted set r->ns unless there. */
static int add_ns(struct itr_resp *r, const char *name)
{
    size_t i = 0;
    for (; i < r->nns; i++) {
        int c = strcasecmp(r->ns[i], name);
        if (c == 0)
            return 0;
        if (c > 0)
            break;
    }
    char *dup = strdup(name);
    char **slot = dup ? nk_grow((void **)&r->ns, &r->nns, &r->capns, sizeof(char *)) : NULL;
    if (!slot) {
        free(dup);
        return -1;
    }
    memmove(&r->ns[i + 1], &r->ns[i], (r->nns - 1 - i) * sizeof(char *));
    r->ns[i] = dup;
    return 0;
}

static int add_glue(struct itr_glue **g, size_t *n, size_t *cap, const char *name, const char *addr,
                    int family)
{
    for (size_t i = 0; i < *n; i++)
        if (strcasecmp((*g)[i].name, name) == 0 && strcmp((*g)[i].addr, addr) == 0)
            return 0;
    char *dup = strdup(name);
    struct itr_glue *e = dup ? nk_grow((void **)g, n, cap, sizeof(*e)) : NULL;
    if (!e) {
        free(dup);
        return -1;
    }
    e->name = dup;
    snprintf(e->addr, sizeof(e->addr), "%s", addr);
    e->family = family;
    return 0;
}

/* The serial of the SOA record rr (two names, then serial and four more numbers). */
static int soa_serial(const uint8_t *pkt, size_t len, const struct dns_rr *rr, uint32_t *serial,
                      char err[NK_ERRLEN])
{
    char tmp[DNS_PNAME_MAX];
    size_t off = rr->rdoff;
    if (dns_name_read(pkt, len, &off, tmp, sizeof(tmp), err) < 0 ||
        dns_name_read(pkt, len, &off, tmp, sizeof(tmp), err) < 0)
        return -1;
    if (off + 20 > rr->rdoff + rr->rdlen)
        return nk_seterr(err, "malformed answer: SOA data cut short");
    const uint8_t *p = pkt + off;
    *serial = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return 0;
}

/* The DNAME substitution: name (below owner) with owner replaced by target, into out. */
static int dname_subst(const char *name, const char *owner, const char *target, char *out,
                       size_t outlen)
{
    size_t ln = strlen(name), lo = strlen(owner);
    size_t keep = strcmp(owner, ".") == 0 ? ln - 1 : ln - lo; /* the labels before owner */
    int w = snprintf(out, outlen, "%.*s%s", (int)keep, name, strcmp(target, ".") ? target : "");
    if (w < 0 || (size_t)w >= outlen || w == 0)
        return -1;
    return 0;
}

/* Follow the chain from qname through the answer records: *final when data of qtype for the
 * name reached came along; cur ends at that name. */
static void follow_chain(struct itr_resp *r, const char *qname, int qtype, char *cur, size_t curlen,
                         bool *final, bool *moved)
{
    snprintf(cur, curlen, "%s", qname);
    *final = *moved = false;
    for (int hop = 0; hop <= ITR_MAX_CHAIN; hop++) {
        const char *next = NULL;
        bool via_dname = false;
        for (size_t i = 0; i < r->nans; i++) {
            const struct itr_rec *a = &r->ans[i];
            if (strcasecmp(a->name, cur) == 0 &&
                (a->type == qtype || qtype == DNS_T_ANY ||
                 (qtype == DNS_T_CNAME && a->type == DNS_T_CNAME))) {
                *final = true;
                return;
            }
            if (strcasecmp(a->name, cur) == 0 && a->type == DNS_T_CNAME)
                next = a->data;
        }
        if (!next) { /* a DNAME above cur, with no synthesized CNAME for it */
            for (size_t i = 0; i < r->nans; i++) {
                const struct itr_rec *a = &r->ans[i];
                if (a->type == DNS_T_DNAME && strcasecmp(a->name, cur) != 0 &&
                    itr_in_zone(cur, a->name)) {
                    char buf[DNS_PNAME_MAX];
                    if (dname_subst(cur, a->name, a->data, buf, sizeof(buf)) == 0) {
                        snprintf(cur, curlen, "%s", buf);
                        via_dname = true;
                        r->dname = true;
                        *moved = true;
                    }
                    break;
                }
            }
            if (!via_dname)
                return;
            continue;
        }
        for (size_t i = 0; i < r->nans; i++) /* a CNAME synthesized from a DNAME */
            if (r->ans[i].type == DNS_T_DNAME && itr_in_zone(cur, r->ans[i].name) &&
                strcasecmp(cur, r->ans[i].name) != 0)
                r->dname = true;
        if (strcasecmp(next, cur) == 0)
            return;
        snprintf(cur, curlen, "%s", next);
        *moved = true;
    }
}

int itr_parse_response(const uint8_t *pkt, size_t len, const char *qname, int qtype,
                       const char *zone, struct itr_resp *r, char err[NK_ERRLEN])
{
    memset(r, 0, sizeof(*r));
    struct dns_walk w;
    struct dns_rr rr;
    static char data[1 << 16];
    if (dns_walk_init(&w, pkt, len, err) < 0)
        return -1;
    r->rcode = w.hdr.rcode;
    r->aa = (w.hdr.flags & DNS_F_AA) != 0;
    unsigned an = w.hdr.ancount, ns = w.hdr.nscount;
    w.left = an + ns + w.hdr.arcount; /* every section, told apart by count */
    struct itr_glue *glue = NULL;     /* every address in additional, matched to NS later */
    size_t nglue = 0, capglue = 0;
    char *child = NULL;
    bool soa_auth = false;
    int rc;
    for (unsigned i = 0; (rc = dns_walk_next(&w, &rr, err)) > 0; i++) {
        if (rr.type == DNS_T_OPT || rr.rclass != 1)
            continue;
        if (i < an) {
            if (rr.type == DNS_T_RRSIG)
                continue;
            if (rr.type == DNS_T_SOA && strcasecmp(rr.name, zone) == 0) {
                if (soa_serial(pkt, len, &rr, &r->serial, err) < 0)
                    goto fail;
                r->have_serial = true;
            }
            if (dns_rdata_format(pkt, len, &rr, data, sizeof(data), err) < 0)
                goto fail;
            if (add_rec(r, rr.name, rr.type, rr.ttl, data) < 0)
                goto oom;
        } else if (i < an + ns) {
            if (rr.type == DNS_T_SOA) {
                soa_auth = true;
                if (strcasecmp(rr.name, zone) == 0) {
                    if (soa_serial(pkt, len, &rr, &r->serial, err) < 0)
                        goto fail;
                    r->have_serial = true;
                }
            } else if (rr.type == DNS_T_NS) {
                if (child && strcasecmp(child, rr.name) != 0)
                    continue; /* one delegation per referral: the first owner's */
                if (!child && !(child = strdup(rr.name)))
                    goto oom;
                if (dns_rdata_format(pkt, len, &rr, data, sizeof(data), err) < 0)
                    goto fail;
                if (add_ns(r, data) < 0)
                    goto oom;
            }
        } else if (rr.type == DNS_T_A || rr.type == DNS_T_AAAA) {
            if (dns_rdata_format(pkt, len, &rr, data, sizeof(data), err) < 0)
                goto fail;
            if (add_glue(&glue, &nglue, &capglue, rr.name, data,
                         rr.type == DNS_T_A ? AF_INET : AF_INET6) < 0)
                goto oom;
        }
    }
    if (rc < 0)
        goto fail;

    char cur[DNS_PNAME_MAX];
    bool final = false, moved = false;
    if (r->rcode != DNS_RC_NOERROR && r->rcode != DNS_RC_NXDOMAIN) {
        r->kind = ITR_RCODE;
    } else {
        follow_chain(r, qname, qtype, cur, sizeof(cur), &final, &moved);
        if (r->rcode == DNS_RC_NXDOMAIN) {
            r->kind = ITR_NXDOMAIN;
            if (moved && !(r->cname = strdup(cur)))
                goto oom;
        } else if (final || moved) {
            r->kind = ITR_ANSWER;
            if (!final && !(r->cname = strdup(cur)))
                goto oom;
            /* An NS set asked for (the root's, of a recursive server): its addresses too. */
            for (size_t i = 0; qtype == DNS_T_NS && i < nglue; i++) {
                bool wanted = false;
                for (size_t k = 0; k < r->nans && !wanted; k++)
                    wanted =
                        r->ans[k].type == DNS_T_NS && strcasecmp(r->ans[k].data, glue[i].name) == 0;
                if (wanted && add_glue(&r->glue, &r->nglue, &r->capglue, glue[i].name, glue[i].addr,
                                       glue[i].family) < 0)
                    goto oom;
            }
        } else if (child && !r->aa) {
            /* A delegation must lead down: below the zone asked, at or above the name. */
            if (strcasecmp(child, zone) == 0 || !itr_in_zone(child, zone) ||
                !itr_in_zone(qname, child)) {
                r->kind = ITR_LAME;
                nk_seterr(r->why, "referral to %s, not a zone below %s on the way to %s", child,
                          zone, qname);
            } else {
                r->kind = ITR_REFERRAL;
                r->child = child;
                child = NULL;
                for (size_t i = 0; i < nglue; i++) {
                    bool wanted = false;
                    for (size_t k = 0; k < r->nns && !wanted; k++)
                        wanted = strcasecmp(r->ns[k], glue[i].name) == 0;
                    if (wanted && add_glue(&r->glue, &r->nglue, &r->capglue, glue[i].name,
                                           glue[i].addr, glue[i].family) < 0)
                        goto oom;
                }
            }
        } else if (r->aa) {
            r->kind = ITR_NODATA;
        } else {
            r->kind = ITR_LAME;
            nk_seterr(r->why, "%s",
                      soa_auth ? "a negative answer without the AA bit"
                               : "no answer, no referral and no AA bit");
        }
    }
    if (r->kind != ITR_REFERRAL) {
        for (size_t i = 0; i < r->nns; i++)
            free(r->ns[i]);
        free(r->ns);
        r->ns = NULL;
        r->nns = r->capns = 0;
    }
    free(child);
    itr_glue_free(glue, nglue);
    return 0;
oom:
    nk_seterr(err, "out of memory");
fail:
    free(child);
    itr_glue_free(glue, nglue);
    itr_resp_free(r);
    return -1;
}

/* ---- root hints ---- */

/* Lower-case name with a final dot into out. */
static void norm_name(const char *s, char *out, size_t len)
{
    size_t i = 0;
    for (; s[i] && i + 2 < len; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    if (i == 0 || out[i - 1] != '.')
        out[i++] = '.';
    out[i] = '\0';
}

int itr_hints_parse(const char *buf, size_t len, int family, struct itr_glue **out, size_t *n,
                    char err[NK_ERRLEN])
{
    char **order = NULL; /* the NS names of ".", in the file's order */
    size_t norder = 0, caporder = 0;
    struct itr_glue *addrs = NULL;
    size_t naddrs = 0, capaddrs = 0;
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    unsigned lineno = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *line = buf + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        lineno++;
        char text[512];
        if (ll >= sizeof(text)) {
            nk_seterr(err, "line %u: too long", lineno);
            goto fail;
        }
        memcpy(text, line, ll);
        text[ll] = '\0';
        char *semi = memchr(text, ';', ll);
        if (semi)
            *semi = '\0';
        char *tok[8];
        int nt = 0;
        for (char *save = NULL, *t = strtok_r(text, " \t\r", &save); t && nt < 8;
             t = strtok_r(NULL, " \t\r", &save))
            tok[nt++] = t;
        if (nt == 0)
            continue;
        if (memchr(line, '\0', ll)) {
            nk_seterr(err, "line %u: a NUL byte", lineno);
            goto fail;
        }
        /* owner [TTL] [IN] TYPE DATA */
        int k = 1;
        if (k < nt && isdigit((unsigned char)tok[k][0]))
            k++;
        if (k < nt && strcasecmp(tok[k], "IN") == 0)
            k++;
        if (k + 1 >= nt) {
            nk_seterr(err, "line %u: expected NAME [TTL] [IN] TYPE DATA", lineno);
            goto fail;
        }
        char owner[DNS_NAME_BUF + 2], data[DNS_NAME_BUF + 2];
        norm_name(tok[0], owner, sizeof(owner));
        const char *type = tok[k], *val = tok[k + 1];
        if (strcasecmp(type, "NS") == 0) {
            if (strcmp(owner, ".") != 0)
                continue;
            norm_name(val, data, sizeof(data));
            bool seen = false;
            for (size_t i = 0; i < norder && !seen; i++)
                seen = strcmp(order[i], data) == 0;
            char *dup = seen ? NULL : strdup(data);
            char **slot = dup ? nk_grow((void **)&order, &norder, &caporder, sizeof(char *)) : NULL;
            if (!seen && !slot) {
                free(dup);
                nk_seterr(err, "out of memory");
                goto fail;
            }
            if (slot)
                *slot = dup;
        } else if (strcasecmp(type, "A") == 0 || strcasecmp(type, "AAAA") == 0) {
            int fam = strcasecmp(type, "A") == 0 ? AF_INET : AF_INET6;
            unsigned char bin[16];
            if (inet_pton(fam, val, bin) != 1) {
                nk_seterr(err, "line %u: '%s': not an IPv%c address", lineno, val,
                          fam == AF_INET ? '4' : '6');
                goto fail;
            }
            if (add_glue(&addrs, &naddrs, &capaddrs, owner, val, fam) < 0) {
                nk_seterr(err, "out of memory");
                goto fail;
            }
        }
    }
    for (size_t i = 0; i < norder; i++)
        for (size_t j = 0; j < naddrs; j++) {
            if (strcmp(order[i], addrs[j].name) != 0 || (family && addrs[j].family != family))
                continue;
            if (add_glue(out, n, &cap, addrs[j].name, addrs[j].addr, addrs[j].family) < 0) {
                nk_seterr(err, "out of memory");
                goto fail;
            }
        }
    if (*n == 0) {
        nk_seterr(err, "no root server addresses");
        goto fail;
    }
    for (size_t i = 0; i < norder; i++)
        free(order[i]);
    free(order);
    itr_glue_free(addrs, naddrs);
    return 0;
fail:
    for (size_t i = 0; i < norder; i++)
        free(order[i]);
    free(order);
    itr_glue_free(addrs, naddrs);
    itr_glue_free(*out, *n);
    *out = NULL;
    *n = 0;
    return -1;
}
