/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace.c - netkit trace: every step from a name to a connected socket, and where it breaks.
 *
 *   netkit trace [OPTIONS] HOST [PORT|SERVICE]
 *     name      hosts file, then DNS (dns/hostaddr.h), or the literal address
 *     route     the kernel's route for the address (RTM_GETROUTE, link/routeget.h)
 *     neighbor  the next hop's link-layer address (RTM_GETNEIGH), vendor (link/oui.h)
 *     path      hops by TTL, in growing windows, from the error queue; the path MTU (path/path.h)
 *     port      service name and class (ports/services.h)
 *     connect   open / refused / unreachable / timeout (UDP: open / closed / open|filtered)
 *     verdict   path/verdict.h, and the exit status: 0 reachable, 1 not, 2 bad input
 *   -4, -6   -a, --all   -s, --server ADDR   -u, --udp   -c, --count N   --no-path
 *   --max-hops N   --timeout MS
 *
 * The steps run here; trace_print.c prints what they found (trace.h between the two).
 */
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cli/progress.h"
#include "cmd/trace.h"
#include "dns/dns.h"
#include "dns/dnsname.h"
#include "dns/hostaddr.h"
#include "lib/loop.h"
#include "lib/sig.h"
#include "link/links.h"
#include "link/routeget.h"
#include "path/path.h"
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

/* ---- the steps ---- */

static void name_step(const struct trace_req *r, struct trace_name *ns)
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
static int addr_step(const struct trace_req *r, struct nk_rtnl *rt, struct trace_steps *s,
                     char err[NK_ERRLEN])
{
    net_ntop((const struct sockaddr *)&s->dst.ss, s->addr, sizeof(s->addr));
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
    /* A live line while the probes are out (on a terminal; progress.h), gone once they end. */
    struct progress line;
    if (r->live) {
        progress_start(&line);
        progress_show(&line, "tracing %s: %s%s out, up to %.1f s ...", s->addr,
                      pq.probes ? "hop probes" : "",
                      pq.connect ? (pq.probes ? " and the connect" : "the connect") : "",
                      r->timeout_ms / 1000.0 * (pq.connect ? r->count : 1));
    }
    int prc = path_run(&pq, &s->path, err);
    if (r->live)
        progress_end(&line);
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
    if (!s->nb_ran)
        return 0;
    /* The entry again, for what ARP/NDP made of the first packet; unless it was usable before
     * and an answer came back through it (a hop, or the port): then it is known to work. */
    const struct path_result *p = &s->path;
    if (s->found_before > 0 && trace_neigh_usable(&s->before) &&
        (p->last_answer > 0 || p->conn.state == PATH_C_OPEN || p->conn.state == PATH_C_REFUSED)) {
        s->found_after = s->found_before;
        s->after = s->before;
        return 0;
    }
    if ((s->found_after = nk_neigh_get(rt, s->nb_family, s->nb_ip, s->rt.oif, &s->after, err)) < 0)
        return -1;
    return 0;
}

/* The address the system would try first: the first one the kernel has a usable route for
 * (glibc's RFC 6724 sort puts unroutable ones last), else the first. */
static size_t first_usable(struct nk_rtnl *rt, const struct trace_name *ns)
{
    char e[NK_ERRLEN];
    for (size_t i = 0; i < ns->n; i++) {
        struct nk_routeget g;
        if (nk_routeget(rt, &ns->addrs[i], &g, e) == 0 && !g.err)
            return i;
    }
    return 0;
}

static int run_trace(const struct trace_req *r, struct nk_ctx *ctx)
{
    struct trace_name ns = {0};
    name_step(r, &ns);
    if (ns.rc == -2) {
        dns_result_free(&ns.res);
        return nk_usage(CMD, "%s", ns.err);
    }
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    int rc = NK_FAIL;
    char err[NK_ERRLEN];
    struct nk_rtnl rt = {0};
    struct trace_steps *s = NULL;
    bool opened = false;
    if (ns.rc < 0) {
        rc = trace_print_noname(o, r, &ns);
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
    /* One address needs no choosing (its route is asked for once, in its own step). */
    size_t from = r->all || ns.n == 1 ? 0 : first_usable(&rt, &ns);
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
        if (trace_print_addr(o, r, &ns, s) != NK_OK)
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
    struct trace_req r = {.server = ctx->server,
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
    r.live = !ctx->json;
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
        "next hop (neighbour table, vendor), path (hops by TTL towards the port, windows of\n"
        "4, 8, 16 TTLs at once, from the socket error queue; path MTU), port (service and\n"
        "class), connect (open with the socket pair, refused, unreachable with the ICMP\n"
        "sender, timeout), and a verdict in words. No root needed. Exit 0 when reachable,\n"
        "1 otherwise.",
    .habits = habits,
};
