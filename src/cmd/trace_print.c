/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_print.c - the report of `netkit trace`: one line per step in text (name, route,
 * neighbor, path, port, connect, verdict), one object per address in JSON, from what the steps
 * found (trace.h). */
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

#include "cli/out.h"
#include "cmd/trace.h"
#include "dns/dns.h"
#include "dns/dnsname.h"
#include "lib/err.h"
#include "link/links.h"
#include "link/oui.h"
#include "link/routeget.h"
#include "path/path.h"
#include "path/verdict.h"
#include "ports/services.h"

static void emit_state(const char *name, void *arg)
{
    char *buf = arg;
    size_t l = strlen(buf);
    snprintf(buf + l, 64 - l, "%s%s", l ? "," : "", name);
}

static const char *ip_text(const struct net_addr *a, char *buf, size_t len)
{
    return net_ntop((const struct sockaddr *)&a->ss, buf, len);
}

static void print_name(struct out *o, const struct trace_req *r, const struct trace_name *ns)
{
    out_obj_begin(o, "name");
    const struct dns_result *res = &ns->res;
    bool hosts = res->nans > 0;
    for (size_t i = 0; i < res->nans; i++)
        hosts = hosts && res->ans[i].hosts;
    const char *source = ns->literal ? "literal" : hosts || !res->server[0] ? "hosts" : "dns";
    if (ns->rc < 0 && !ns->literal)
        source = res->server[0] ? "dns" : (res->status == DNS_S_NOERROR ? "hosts" : "dns");
    out_text(o, "name      ");
    out_str(o, OUT_C_NAME, "source", "%s", source);
    if (res->server[0])
        out_str(o, OUT_C_NONE, "server", " %s", res->server);
    else
        out_null(o, "server");
    out_arr_begin(o, "cname");
    bool first = true;
    uint32_t ttl = 0;
    bool has_ttl = false;
    for (size_t i = 0; i < res->nans; i++) {
        const struct dns_answer *a = &res->ans[i];
        if (a->type == DNS_T_CNAME) {
            out_text(o, "%s", first ? "  cname " : " -> ");
            out_str(o, OUT_C_NAME, NULL, "%s", a->data);
            first = false;
        } else if ((a->type == DNS_T_A || a->type == DNS_T_AAAA) && !a->hosts) {
            ttl = has_ttl && ttl < a->ttl ? ttl : a->ttl;
            has_ttl = true;
        }
    }
    out_arr_end(o);
    out_arr_begin(o, "addresses");
    char b[NET_ADDRSTRLEN];
    for (size_t i = 0; i < ns->n; i++) {
        out_text(o, "%s", i ? " " : "  ");
        int fam = ns->addrs[i].ss.ss_family;
        out_str(o, fam == AF_INET6 ? OUT_C_INET6 : OUT_C_INET, NULL, "%s",
                ip_text(&ns->addrs[i], b, sizeof(b)));
    }
    out_arr_end(o);
    if (has_ttl)
        out_u64(o, "ttl", "  ttl %llu", (unsigned long long)ttl);
    else
        out_null(o, "ttl");
    out_dbl(o, "time_ms", "  (%.1f ms)", res->time_ms);
    out_str(o, OUT_C_NONE, "status", NULL, ns->rc == 0 ? "NOERROR" : dns_status_name(res->status));
    if (ns->rc < 0)
        out_str(o, OUT_C_BAD, NULL, "  %s", ns->err);
    out_text(o, "\n");
    out_obj_end(o);
    (void)r;
}

static void print_route(struct out *o, const struct trace_steps *s)
{
    const struct nk_routeget *rt = &s->rt;
    char b[NET_ADDRSTRLEN];
    out_obj_begin(o, "route");
    out_text(o, "route     ");
    out_str(o, s->dst.ss.ss_family == AF_INET6 ? OUT_C_INET6 : OUT_C_INET, "address", "%s",
            s->addr);
    const char *type = nk_route_type_name(rt->type);
    if (type)
        out_str(o, OUT_C_NONE, "type", rt->type == RTN_UNICAST ? NULL : " %s", type);
    else
        out_null(o, "type");
    if (rt->err) {
        out_null(o, "dev");
        out_null(o, "src");
        out_null(o, "gateway");
        out_null(o, "mtu");
        /* The kernel's errno names the refusing route's type; say that rather than its
         * generic words ("invalid argument" for a blackhole). */
        char why[64];
        if (type)
            snprintf(why, sizeof(why), "%s route", type);
        else
            snprintf(why, sizeof(why), "%s", nk_strerror(rt->err));
        out_str(o, OUT_C_BAD, "error", ": %s", why);
    } else {
        if (rt->has_gw)
            out_str(o, OUT_C_INET, "gateway", " via %s",
                    nk_ip_str(rt->gw_family, rt->gw, b, sizeof(b)));
        else {
            out_null(o, "gateway");
            out_text(o, " on-link");
        }
        if (rt->dev[0])
            out_str(o, OUT_C_NAME, "dev", " dev %s", rt->dev);
        else
            out_null(o, "dev");
        if (rt->has_src)
            out_str(o, OUT_C_INET, "src", " src %s", nk_ip_str(rt->family, rt->src, b, sizeof(b)));
        else
            out_null(o, "src");
        uint32_t mtu = rt->mtu ? rt->mtu : rt->dev_mtu;
        if (mtu)
            out_u64(o, "mtu", " mtu %llu", (unsigned long long)mtu);
        else
            out_null(o, "mtu");
        out_null(o, "error");
    }
    out_dbl(o, "time_ms", "  (%.1f ms)\n", s->rt_ms);
    out_obj_end(o);
}

static void print_neigh(struct out *o, const struct trace_steps *s)
{
    if (!s->nb_ran) {
        out_null(o, "neighbor");
        return;
    }
    const struct nk_neigh *n = s->found_after ? &s->after : s->found_before ? &s->before : NULL;
    out_obj_begin(o, "neighbor");
    out_text(o, "neighbor  ");
    out_str(o, s->nb_family == AF_INET6 ? OUT_C_INET6 : OUT_C_INET, "address", "%s", s->nb_addr);
    char mac[3 * NK_HWADDR_MAX + 1];
    if (n && n->lladdr_len) {
        out_str(o, OUT_C_MAC, "lladdr", " at %s",
                nk_hwaddr_str(n->lladdr, n->lladdr_len, 1, mac, sizeof(mac)));
        struct oui_query q = {0};
        if (oui_applies(n->lladdr, n->lladdr_len)) {
            memcpy(q.oui, n->lladdr, 3);
            oui_lookup(NULL, &q, 1);
        }
        if (q.found)
            out_str(o, OUT_C_DIM, "vendor", " (%s)", q.vendor);
        else
            out_null(o, "vendor");
    } else {
        out_null(o, "lladdr");
        out_null(o, "vendor");
    }
    char st[64] = "";
    if (n)
        nk_neigh_states(n->state, emit_state, st);
    if (st[0])
        out_str(o, trace_neigh_usable(n) ? OUT_C_GOOD : OUT_C_BAD, "state", " %s", st);
    else
        out_str(o, OUT_C_BAD, "state", " %s", "none");
    bool usable_before = s->found_before > 0 && trace_neigh_usable(&s->before);
    bool now = !usable_before && n && trace_neigh_usable(n);
    out_bool(o, "resolved_now", now ? ", resolved now (ARP/NDP after the first packet)" : NULL,
             now);
    out_dbl(o, "time_ms", "  (%.1f ms)\n", s->nb_ms);
    out_obj_end(o);
}

static void print_icmp(struct out *o, const struct path_icmp *ic, const char *key)
{
    if (!ic->has) {
        out_null(o, key);
        return;
    }
    out_obj_begin(o, key);
    out_i64(o, "type", NULL, ic->type);
    out_i64(o, "code", NULL, ic->code);
    out_obj_end(o);
}

static void print_path(struct out *o, const struct trace_steps *s)
{
    if (!s->path_ran) {
        out_null(o, "path");
        return;
    }
    const struct path_result *p = &s->path;
    char b[NET_ADDRSTRLEN], t[64];
    out_obj_begin(o, "path");
    out_arr_begin(o, "hops");
    for (int i = 0; i < p->nhops; i++) {
        const struct path_hop *h = &p->hops[i];
        out_obj_begin(o, NULL);
        out_text(o, i ? "          " : "path      ");
        out_i64(o, "ttl", "%2lld  ", (long long)h->ttl);
        if (h->answered) {
            int fam = h->from.ss.ss_family;
            out_str(o, fam == AF_INET6 ? OUT_C_INET6 : OUT_C_INET, "address", "%s",
                    ip_text(&h->from, b, sizeof(b)));
            out_dbl(o, "rtt_ms", "  %.3f ms", h->rtt_ms);
        } else {
            out_null(o, "address");
            out_null(o, "rtt_ms");
            out_text(o, "*");
        }
        if (h->mtu)
            out_u64(o, "mtu", "  mtu %llu", (unsigned long long)h->mtu);
        else
            out_null(o, "mtu");
        print_icmp(o, &h->icmp, "icmp");
        if (h->icmp.has &&
            path_icmp_classify(h->icmp.family, h->icmp.type, h->icmp.code) != PATH_ICMP_TTL)
            out_ctext(o, OUT_C_BAD, "  %s",
                      path_icmp_text(h->icmp.family, h->icmp.type, h->icmp.code, t, sizeof(t)));
        if (h->dest)
            out_ctext(o, OUT_C_GOOD, "  (destination)");
        out_text(o, "\n");
        out_obj_end(o);
    }
    out_arr_end(o);
    if (p->nhops == 0)
        out_text(o, "path      no hop answered\n");
    out_bool(o, "reached", NULL, p->reached);
    if (p->pmtu)
        out_u64(o, "pmtu", "          path MTU %llu\n", (unsigned long long)p->pmtu);
    else
        out_null(o, "pmtu");
    out_obj_end(o);
}

static void print_service(struct out *o, const struct trace_req *r)
{
    if (!r->port) {
        out_null(o, "service");
        return;
    }
    struct service sv;
    out_obj_begin(o, "service");
    out_text(o, "port      ");
    out_i64(o, "port", "%lld", (long long)r->port);
    out_text(o, "/%s", r->udp ? "udp" : "tcp");
    if (services_by_port(r->port, r->udp ? "udp" : "tcp", &sv))
        out_str(o, OUT_C_NAME, "name", " %s", sv.name);
    else
        out_null(o, "name");
    out_str(o, OUT_C_DIM, "class", " (%s)\n", services_class(r->port));
    out_obj_end(o);
}

static void print_endpoint(struct out *o, const char *key, const struct net_addr *a)
{
    char b[NET_ADDRSTRLEN];
    out_obj_begin(o, key);
    out_str(o, OUT_C_NONE, "address", NULL, ip_text(a, b, sizeof(b)));
    out_i64(o, "port", NULL, net_port((const struct sockaddr *)&a->ss));
    out_obj_end(o);
}

static void print_connect(struct out *o, const struct trace_req *r, const struct trace_steps *s)
{
    if (!r->port) {
        out_null(o, "connect");
        return;
    }
    const struct path_conn *c = &s->path.conn;
    char b[NET_ADDRSTRLEN], b2[NET_ADDRSTRLEN], t[64];
    out_obj_begin(o, "connect");
    out_text(o, "connect   ");
    const char *name = path_conn_name(c->state);
    if (name) {
        out_str(o, c->state == PATH_C_OPEN ? OUT_C_GOOD : OUT_C_BAD, "state", "%s", name);
    } else {
        out_null(o, "state"); /* Ctrl-C came first */
        out_ctext(o, OUT_C_BAD, "interrupted");
    }
    if (c->state == PATH_C_OPEN) {
        out_dbl(o, "rtt_ms", " in %.3f ms", c->rtt_ms);
        out_text(o, ": %s -> %s",
                 net_ntop_port((const struct sockaddr *)&c->local.ss, b, sizeof(b)),
                 net_ntop_port((const struct sockaddr *)&c->peer.ss, b2, sizeof(b2)));
        print_endpoint(o, "local", &c->local);
        print_endpoint(o, "peer", &c->peer);
    } else {
        out_null(o, "rtt_ms");
        out_null(o, "local");
        print_endpoint(o, "peer", &c->peer);
    }
    if (c->icmp.has && c->icmp.from.len) {
        out_str(o, OUT_C_INET, "from", " from %s", ip_text(&c->icmp.from, b, sizeof(b)));
        out_text(o, " (%s)",
                 path_icmp_text(c->icmp.family, c->icmp.type, c->icmp.code, t, sizeof(t)));
    } else if (c->state == PATH_C_REFUSED || c->state == PATH_C_CLOSED) {
        out_str(o, OUT_C_INET, "from", " from %s", s->addr);
    } else {
        out_null(o, "from");
        if (c->state == PATH_C_UNREACHABLE)
            out_text(o, " (%s)", nk_strerror(c->err));
    }
    print_icmp(o, &c->icmp, "icmp");
    out_i64(o, "count", r->count > 1 ? "\n          %lld connects" : NULL, c->count);
    out_i64(o, "lost", r->count > 1 ? ", %lld lost" : NULL, c->lost);
    if (c->count > c->lost) {
        out_dbl(o, "rtt_ms_min", r->count > 1 ? ", rtt min/avg/max %.3f" : NULL, c->rtt_min);
        out_dbl(o, "rtt_ms_avg", r->count > 1 ? "/%.3f" : NULL, c->rtt_avg);
        out_dbl(o, "rtt_ms_max", r->count > 1 ? "/%.3f ms" : NULL, c->rtt_max);
    } else {
        out_null(o, "rtt_ms_min");
        out_null(o, "rtt_ms_avg");
        out_null(o, "rtt_ms_max");
    }
    out_text(o, "\n");
    out_obj_end(o);
}

static int print_verdict(struct out *o, const struct verdict_facts *f)
{
    char reason[512];
    enum verdict v = verdict_decide(f, reason, sizeof(reason));
    out_text(o, "verdict   ");
    out_str(o, v == V_REACHABLE ? OUT_C_GOOD : OUT_C_BAD, "verdict", "%s", verdict_name(v));
    out_str(o, OUT_C_NONE, "reason", ": %s\n", reason);
    return v == V_REACHABLE ? NK_OK : NK_FAIL;
}

static void print_head(struct out *o, const struct trace_req *r)
{
    out_str(o, OUT_C_NAME, "host", "trace %s", r->host);
    if (r->port)
        out_i64(o, "port", " port %lld", (long long)r->port);
    else
        out_null(o, "port");
    out_str(o, OUT_C_NONE, "proto", r->port ? "/%s" : NULL, r->udp ? "udp" : "tcp");
    out_text(o, "\n");
}

/* The verdict for a name that found nothing: every later step is null. */
int trace_print_noname(struct out *o, const struct trace_req *r, struct trace_name *ns)
{
    out_obj_begin(o, NULL);
    print_head(o, r);
    print_name(o, r, ns);
    static const char *const later[] = {"route", "neighbor", "path", "service", "connect"};
    for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
        out_null(o, later[i]);
    const char *colon = strstr(ns->err, ": ");
    struct verdict_facts f = {
        .host = r->host,
        .port = r->port,
        .name_failed = true,
        .nxdomain = ns->res.status == DNS_S_NXDOMAIN || ns->res.status == DNS_S_NODATA,
        .name_error = colon ? colon + 2 : ns->err,
    };
    int rc = print_verdict(o, &f);
    out_obj_end(o);
    return rc;
}

int trace_print_addr(struct out *o, const struct trace_req *r, struct trace_name *ns,
                     struct trace_steps *s)
{
    char last[NET_ADDRSTRLEN] = "", from[NET_ADDRSTRLEN] = "", t[64];
    out_obj_begin(o, NULL);
    print_head(o, r);
    print_name(o, r, ns);
    print_route(o, s);
    print_neigh(o, s);
    print_path(o, s);
    print_service(o, r);
    if (s->rt.err) {
        out_null(o, "connect");
    } else {
        print_connect(o, r, s);
    }
    const struct path_result *p = &s->path;
    if (p->last_answer)
        ip_text(&p->hops[p->last_answer - 1].from, last, sizeof(last));
    const struct nk_neigh *n = s->found_after ? &s->after : NULL;
    struct verdict_facts f = {
        .host = r->host,
        .port = r->port,
        .udp = r->udp,
        .timeout_ms = r->timeout_ms,
        .address = s->addr,
        .no_route = s->rt.err != 0,
        .route_type = nk_route_type_name(s->rt.type),
        .next_hop = s->rt.has_gw ? s->nb_addr : NULL,
        .neigh_failed = s->nb_ran && (!n || (n->state & (NUD_FAILED | NUD_INCOMPLETE))),
        .ipv6 = s->dst.ss.ss_family == AF_INET6,
        .path = s->path_ran ? p : NULL,
        .last_hop = last[0] ? last : NULL,
        .conn = r->port ? p->conn.state : PATH_C_NONE,
    };
    const struct path_icmp *ic = NULL;
    if (r->port && p->conn.icmp.has)
        ic = &p->conn.icmp;
    else if (!r->port && p->nhops && p->hops[p->nhops - 1].icmp.has)
        ic = &p->hops[p->nhops - 1].icmp;
    if (ic) {
        if (ic->from.len)
            f.icmp_from = ip_text(&ic->from, from, sizeof(from));
        f.icmp_text = path_icmp_text(ic->family, ic->type, ic->code, t, sizeof(t));
    }
    if (p->conn.err)
        f.conn_err = nk_strerror(p->conn.err);
    int rc = print_verdict(o, &f);
    out_obj_end(o);
    return rc;
}
