/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace.c - netkit trace: every step from a name to a connected socket, and where it breaks.
 *
 *   netkit trace [OPTIONS] HOST [PORT|SERVICE]
 *     name      hosts file, then DNS (dns/hostaddr.h), or the literal address
 *     route     the kernel's route for the address (RTM_GETROUTE, link/routeget.h)
 *     neighbor  the next hop's link-layer address (RTM_GETNEIGH), vendor (link/oui.h)
 *     path      hops by TTL, all in flight, from the error queue; the path MTU (path/path.h)
 *     port      service name and class (ports/services.h)
 *     connect   open / refused / unreachable / timeout (UDP: open / closed / open|filtered)
 *     verdict   path/verdict.h, and the exit status: 0 reachable, 1 not, 2 bad input
 *   -4, -6   -a, --all   -s, --server ADDR   -u, --udp   -c, --count N   --no-path
 *   --max-hops N   --timeout MS
 */
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "dns/dns.h"
#include "dns/dnsname.h"
#include "dns/hostaddr.h"
#include "lib/err.h"
#include "lib/loop.h"
#include "lib/sig.h"
#include "link/links.h"
#include "link/oui.h"
#include "link/routeget.h"
#include "path/path.h"
#include "path/verdict.h"
#include "ports/services.h"

static const char *const CMD = "trace";

extern const struct nk_command nk_cmd_trace;

/* Defaults of the contract (netkit-trace(1)). */
#define TRACE_TIMEOUT_MS 3000
#define TRACE_MAX_HOPS   30
/* With --no-path, the probes after a failed connect get this long (the verdict within
 * --timeout plus 1 s). */
#define TRACE_LATE_PROBE_MS 1000

enum {
    OPT_V4 = 1,
    OPT_V6,
    OPT_ALL,
    OPT_SERVER,
    OPT_UDP,
    OPT_COUNT,
    OPT_NO_PATH,
    OPT_MAX_HOPS,
    OPT_TIMEOUT,
};

static const struct nk_opt opts[] = {
    NK_OPT_FLAG(OPT_V4, '4', "ipv4", "only IPv4 addresses"),
    NK_OPT_FLAG(OPT_V6, '6', "ipv6", "only IPv6 addresses"),
    NK_OPT_FLAG(OPT_ALL, 'a', "all", "every address of HOST, not only the first the system tries"),
    NK_OPT_STR(OPT_SERVER, 's', "server", "ADDR[:PORT]", "DNS server(s) to ask, comma-separated"),
    NK_OPT_FLAG(OPT_UDP, 'u', "udp", "probe and test a UDP port instead of TCP"),
    NK_OPT_INT(OPT_COUNT, 'c', "count", "N", 1, PATH_MAX_COUNT,
               "connect N times: min/avg/max handshake time and loss (a TCP ping)"),
    NK_OPT_FLAG(OPT_NO_PATH, 0, "no-path",
                "skip the hop probes (they still run when the connect fails)"),
    NK_OPT_INT(OPT_MAX_HOPS, 0, "max-hops", "N", 1, PATH_MAX_HOPS,
               "highest TTL probed (default " NK_STR(TRACE_MAX_HOPS) ")"),
    NK_OPT_INT(OPT_TIMEOUT, 0, "timeout", "MS", 1, 600000,
               "per probe and per connect (default " NK_STR(TRACE_TIMEOUT_MS) ")"),
    NK_OPT_END,
};

/* What to trace. */
struct req {
    const char *host;    /* HOST */
    const char *portarg; /* PORT or SERVICE as typed, NULL for none */
    int port;            /* its number, 0 for none */
    bool udp;            /* -u */
    int family;          /* -4 / -6 */
    bool all;            /* -a */
    const char *server;  /* -s, or the shell's `set server` */
    int count;           /* -c, 1 by default */
    bool no_path;        /* --no-path */
    int max_hops;        /* --max-hops */
    int timeout_ms;      /* --timeout */
    bool live;           /* a live line on stderr while probes are out (a terminal, text) */
};

/* The name step. */
struct name_step {
    bool literal;           /* HOST was an address */
    int rc;                 /* hostaddr's status: 0, -1 failed */
    char err[NK_ERRLEN];    /* why it failed */
    struct dns_result res;  /* the lookup (records, server, time) */
    struct net_addr *addrs; /* the addresses, the order they are tried in */
    size_t n;               /* how many */
};

/* The route, neighbour, path and connect steps of one address. */
struct addr_steps {
    struct net_addr dst;          /* the address, with the port */
    char addr[NET_ADDRSTRLEN];    /* it, as text */
    struct nk_routeget rt;        /* the route */
    double rt_ms;                 /* its time */
    bool nb_ran;                  /* a next hop to look at */
    int nb_family;                /* its family */
    uint8_t nb_ip[16];            /* its address */
    char nb_addr[NET_ADDRSTRLEN]; /* as text */
    int found_before;             /* 1 when the entry existed before our packets */
    struct nk_neigh before;       /* it then */
    int found_after;              /* 1 when the entry exists after them */
    struct nk_neigh after;        /* it now */
    double nb_ms;                 /* the neighbour lookups' time */
    bool path_ran;                /* the probes ran */
    struct path_result path;      /* probes and connect */
};

/* ---- helpers ---- */

static bool neigh_usable(const struct nk_neigh *n)
{
    return n->state &
           (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP);
}

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

/* ---- the steps ---- */

static void name_step(const struct req *r, struct name_step *ns)
{
    char buf[NET_ADDRSTRLEN], e[NK_ERRLEN];
    struct net_addr a;
    ns->literal = net_parse_ip(net_unbracket(r->host, buf, sizeof(buf)), 0, &a, e) == 0;
    struct hostaddr_req hq = {.host = r->host,
                              .port = r->port,
                              .family = r->family,
                              .timeout_ms = r->timeout_ms,
                              .server = r->server};
    ns->rc = hostaddr_lookup_result(&hq, &ns->addrs, &ns->n, &ns->res, ns->err);
}

/* Route and neighbour (before), then the path and connect, then the neighbour again. */
static int addr_step(const struct req *r, struct nk_rtnl *rt, struct addr_steps *s,
                     char err[NK_ERRLEN])
{
    ip_text(&s->dst, s->addr, sizeof(s->addr));
    uint64_t t0 = loop_clock_us();
    if (nk_routeget(rt, &s->dst, &s->rt, err) < 0)
        return -1;
    s->rt_ms = (double)(loop_clock_us() - t0) / 1000.0;
    if (s->rt.err)
        return 0; /* no route: nothing further can go out */
    if (s->rt.type == RTN_UNICAST && s->rt.oif > 0) {
        s->nb_ran = true;
        s->nb_family = s->rt.has_gw ? s->rt.gw_family : s->rt.family;
        memcpy(s->nb_ip, s->rt.has_gw ? s->rt.gw : s->rt.dst, 16);
        nk_ip_str(s->nb_family, s->nb_ip, s->nb_addr, sizeof(s->nb_addr));
        t0 = loop_clock_us();
        if ((s->found_before =
                 nk_neigh_get(rt, s->nb_family, s->nb_ip, s->rt.oif, &s->before, err)) < 0)
            return -1;
        s->nb_ms = (double)(loop_clock_us() - t0) / 1000.0;
    }
    struct path_req pq = {.dst = s->dst,
                          .udp = r->udp,
                          .probes = !r->port || !r->no_path,
                          .connect = r->port != 0,
                          .count = r->count,
                          .max_hops = r->max_hops,
                          .timeout_ms = r->timeout_ms};
    if (r->live)
        fprintf(stderr, "tracing %s: %s%s out, up to %.1f s ...", s->addr,
                pq.probes ? "hop probes" : "",
                pq.connect ? (pq.probes ? " and the connect" : "the connect") : "",
                r->timeout_ms / 1000.0 * (pq.connect ? r->count : 1));
    int prc = path_run(&pq, &s->path, err);
    if (r->live)
        fputs("\r\033[K", stderr);
    if (prc < 0)
        return -1;
    s->path_ran = pq.probes;
    if (r->port && r->no_path && s->path.conn.state != PATH_C_OPEN && !s->path.interrupted) {
        /* The connect failed: find where, inside the time left (--timeout plus 1 s). */
        struct path_conn conn = s->path.conn;
        pq.probes = true;
        pq.connect = false;
        pq.timeout_ms = r->timeout_ms < TRACE_LATE_PROBE_MS ? r->timeout_ms : TRACE_LATE_PROBE_MS;
        if (path_run(&pq, &s->path, err) < 0)
            return -1;
        s->path.conn = conn;
        s->path_ran = true;
    }
    if (s->nb_ran &&
        (s->found_after = nk_neigh_get(rt, s->nb_family, s->nb_ip, s->rt.oif, &s->after, err)) < 0)
        return -1;
    return 0;
}

/* ---- printing ---- */

static void print_name(struct out *o, const struct req *r, const struct name_step *ns)
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

static void print_route(struct out *o, const struct addr_steps *s)
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

static void print_neigh(struct out *o, const struct addr_steps *s)
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
        out_str(o, neigh_usable(n) ? OUT_C_GOOD : OUT_C_BAD, "state", " %s", st);
    else
        out_str(o, OUT_C_BAD, "state", " %s", "none");
    bool usable_before = s->found_before > 0 && neigh_usable(&s->before);
    bool now = !usable_before && n && neigh_usable(n);
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

static void print_path(struct out *o, const struct addr_steps *s)
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

static void print_service(struct out *o, const struct req *r)
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

static void print_connect(struct out *o, const struct req *r, const struct addr_steps *s)
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

static void print_head(struct out *o, const struct req *r)
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
static int trace_noname(struct out *o, const struct req *r, struct name_step *ns)
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

static int trace_addr(struct out *o, const struct req *r, struct name_step *ns,
                      struct addr_steps *s)
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

/* The address the system would try first: the first one the kernel has a usable route for
 * (glibc's RFC 6724 sort puts unroutable ones last), else the first. */
static size_t first_usable(struct nk_rtnl *rt, const struct name_step *ns)
{
    char e[NK_ERRLEN];
    for (size_t i = 0; i < ns->n; i++) {
        struct nk_routeget g;
        if (nk_routeget(rt, &ns->addrs[i], &g, e) == 0 && !g.err)
            return i;
    }
    return 0;
}

static int run_trace(const struct req *r, struct nk_ctx *ctx)
{
    struct name_step ns = {0};
    name_step(r, &ns);
    if (ns.rc == -2) {
        dns_result_free(&ns.res);
        return nk_usage(CMD, "%s", ns.err);
    }
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    int rc = NK_FAIL;
    char err[NK_ERRLEN];
    struct nk_rtnl rt = {0};
    struct addr_steps *s = NULL;
    bool opened = false;
    if (ns.rc < 0) {
        rc = trace_noname(o, r, &ns);
        goto done;
    }
    if (nk_rtnl_open(&rt, err) < 0) {
        nk_err(CMD, "%s", err);
        goto done;
    }
    opened = true;
    if (!(s = calloc(1, sizeof(*s)))) {
        nk_err(CMD, "out of memory");
        goto done;
    }
    size_t from = r->all ? 0 : first_usable(&rt, &ns);
    size_t to = r->all ? ns.n : from + 1;
    rc = NK_OK;
    /* Ctrl-C ends the probes and the connect: what was found so far is shown, status 1. */
    struct nk_sig_saved sig;
    nk_sig_install(false, &sig);
    for (size_t i = from; i < to; i++) {
        memset(s, 0, sizeof(*s));
        s->dst = ns.addrs[i];
        net_set_port((struct sockaddr *)&s->dst.ss, r->port);
        if (addr_step(r, &rt, s, err) < 0) {
            nk_err(CMD, "%s", err);
            rc = NK_FAIL;
            break;
        }
        if (i > from)
            out_text(o, "\n");
        if (trace_addr(o, r, &ns, s) != NK_OK)
            rc = NK_FAIL;
        if (s->path.interrupted) {
            rc = NK_FAIL;
            break;
        }
    }
    nk_sig_restore(&sig);
done:
    if (out_close(o) < 0 && rc == NK_OK)
        rc = NK_FAIL;
    free(s);
    if (opened)
        nk_rtnl_close(&rt);
    free(ns.addrs);
    dns_result_free(&ns.res);
    return rc;
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct req r = {.server = ctx->server,
                    .count = 1,
                    .max_hops = TRACE_MAX_HOPS,
                    .timeout_ms = ctx->timeout_ms > 0 ? ctx->timeout_ms : TRACE_TIMEOUT_MS};
    struct nk_opt_parser p;
    int id;
    nk_opt_init(&p, &nk_cmd_trace, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0) {
        switch (id) {
        case OPT_ALL: r.all = true; break;
        case OPT_SERVER: r.server = p.arg; break;
        case OPT_UDP: r.udp = true; break;
        case OPT_COUNT: r.count = (int)p.num; break;
        case OPT_NO_PATH: r.no_path = true; break;
        case OPT_MAX_HOPS: r.max_hops = (int)p.num; break;
        case OPT_TIMEOUT: r.timeout_ms = (int)p.num; break;
        }
    }
    if (id < 0)
        return p.status;
    r.family = nk_opt_family(&p, OPT_V4, OPT_V6);
    if (p.argc < 1 || p.argc > 2)
        return nk_usage(CMD, p.argc < 1 ? "HOST expected%s" : "'%s': too many arguments",
                        p.argc < 1 ? "" : p.argv[2]);
    r.host = p.argv[0];
    char err[NK_ERRLEN];
    if (p.argc == 2) {
        r.portarg = p.argv[1];
        struct service sv;
        if (net_parse_port(r.portarg, &r.port, err) < 0) {
            if (!services_by_name(r.portarg, r.udp ? "udp" : "tcp", &sv))
                return nk_usage(CMD, "'%s': not a port or a %s service name", r.portarg,
                                r.udp ? "UDP" : "TCP");
            r.port = sv.port;
        } else if (r.port == 0) {
            return nk_usage(CMD, "0: port out of range (1-65535)");
        }
    } else if (nk_opt_seen(&p, OPT_COUNT) || nk_opt_seen(&p, OPT_NO_PATH)) {
        return nk_usage(CMD, "%s needs a PORT",
                        nk_opt_seen(&p, OPT_COUNT) ? "--count" : "--no-path");
    }
    if (r.server) {
        struct net_addr srv[DNS_MAX_SERVERS];
        int nsrv = 0;
        if (dns_servers_parse(r.server, srv, DNS_MAX_SERVERS, &nsrv, err) < 0)
            return nk_usage(CMD, "%s", err);
    }
    r.live = !ctx->json && isatty(STDERR_FILENO);
    return run_trace(&r, ctx);
}

/* What traceroute and tracepath users type, and what it is here. */
static const struct nk_habit habits[] = {
    {"-m", NULL, "for traceroute's -m (most hops), type --max-hops N"},
    {"-w", NULL, "for traceroute's -w (the wait), type --timeout MS"},
    {"-n", NULL, "hops are shown as addresses, never looked up"},
    {"-p", NULL, "the port is an argument: netkit trace HOST PORT"},
    {"-T", NULL, "TCP is the default"},
    {"-U", NULL, "for UDP, type -u"},
    {0},
};

const struct nk_command nk_cmd_trace = {
    .name = "trace",
    .run = run,
    .opts = opts,
    .args = "HOST [PORT|SERVICE]",
    .args_comp = NK_COMP_HOST,
    .args_comp2 = NK_COMP_SERVICE,
    .summary = "every step from a name to a connected socket, and where it breaks",
    .details =
        "Steps: name (hosts file, DNS or a literal), route (the kernel's, as ip route get),\n"
        "next hop (neighbour table, vendor), path (hops by TTL towards the port, all in\n"
        "flight, from the socket error queue; path MTU), port (service and class), connect\n"
        "(open with the socket pair, refused, unreachable with the ICMP sender, timeout),\n"
        "and a verdict in words. No root needed. Exit 0 when reachable, 1 otherwise.",
    .habits = habits,
};
