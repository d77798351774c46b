/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_ports.c - netkit ports: services, the host's sockets, connect scans.
 *
 *   netkit ports [OPTIONS]                    the listening sockets (TCP LISTEN, bound UDP)
 *   netkit ports PORT|SERVICE|LOW-HIGH...     service lookups (/etc/services)
 *     -a, --all           every socket, connections too     -t, --tcp  -u, --udp
 *     -p, --processes     owning process of each socket
 *         --scan HOST     TCP connect scan (ports from --ports, default 1-1024)
 *         --ports SPEC    22,80,8000-8100    --timeout MS    -c, --concurrency N
 */
#include <errno.h>
#include <inttypes.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "dns/hostaddr.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "ports/portspec.h"
#include "ports/scan.h"
#include "ports/services.h"
#include "ports/targets.h"
#include "ports/sockdiag.h"
#include "ports/sockproc.h"
#include "cmd/ports.h"
#include "cmd/ports_scan.h"

#define CMD "ports"

extern const struct nk_command nk_cmd_ports;

enum {
    OPT_ALL = 1,
    OPT_TCP,
    OPT_UDP,
    OPT_PROCS,
    OPT_SCAN,
    OPT_PORTS,
    OPT_TIMEOUT,
    OPT_CONC,
    OPT_FORCE,
    OPT_VERBOSE,
    OPT_LISTENING,
    OPT_NUMERIC,
    OPT_STATE,
    OPT_LOCAL,
    OPT_PEER,
    OPT_WATCH,
    OPT_V4,
    OPT_V6,
};

/* --state's words, and the kernel's TCP_* state of each (-1: listen, as sockdiag_listening). */
static const char *const state_names[] = {
    "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait",
    "close-wait",  "last-ack", "closing",  "listen",     "unconn",     NULL,
};
static const int state_codes[] = {1, 2, 3, 4, 5, 6, 8, 9, 11, -1, 7};
#define STATE_LISTEN 9

static const struct nk_opt opts[] = {
    NK_OPT_FLAG(OPT_ALL, 'a', "all", "all sockets, established connections too"),
    NK_OPT_FLAG(OPT_TCP, 't', "tcp", "only TCP"),
    NK_OPT_FLAG(OPT_UDP, 'u', "udp", "only UDP"),
    NK_OPT_FLAG(OPT_PROCS, 'p', "processes", "owning process (pid, name) of each socket"),
    NK_OPT_STR(OPT_SCAN, 0, "scan", "TARGET",
               "TCP connect scan of hosts, addresses, CIDR blocks (comma separated, repeatable)",
               .comp = NK_COMP_HOST, .excludes = {OPT_ALL, OPT_PROCS},
               .why = "--scan is a scan, not a list of sockets"),
    NK_OPT_STR(OPT_PORTS, 0, "ports", "SPEC",
               "ports to scan, e.g. 22,80,8000-8100, or all (default 1-1024 and /etc/services)",
               .requires = OPT_SCAN, .comp = NK_COMP_SERVICE),
    NK_OPT_FLAG(OPT_FORCE, 0, "force", "scan blocks larger than /16 (IPv4) or /112 (IPv6)",
                .requires = OPT_SCAN),
    NK_OPT_FLAG(OPT_VERBOSE, 'v', "verbose", "list every scanned port with its reason",
                .requires = OPT_SCAN),
    NK_OPT_FLAG(OPT_LISTENING, 'l', "listening", "listening sockets: the default listing",
                .excludes = {OPT_SCAN}, .why = "--scan lists no sockets"),
    NK_OPT_FLAG(OPT_NUMERIC, 'n', "numeric", "accepted for ss's habit (always numeric)",
                .excludes = {OPT_SCAN}, .why = "--scan lists no sockets"),
    NK_OPT_ENUM(OPT_STATE, 0, "state", "STATE", state_names,
                "only sockets in STATE (repeatable); other than listen implies -a",
                .excludes = {OPT_SCAN}, .why = "--scan lists no sockets"),
    NK_OPT_STR(OPT_LOCAL, 0, "local", "ADDR[/LEN]", "only sockets whose local address matches",
               .excludes = {OPT_SCAN}, .why = "--scan lists no sockets"),
    NK_OPT_STR(OPT_PEER, 0, "peer", "ADDR[/LEN]", "only sockets whose peer address matches",
               .excludes = {OPT_SCAN}, .why = "--scan lists no sockets"),
    NK_OPT_INT(OPT_WATCH, 0, "watch", "S", 1, 3600,
               "live listing, refreshed every S seconds (default 1)", .optional = true,
               .excludes = {OPT_SCAN}, .why = "--scan lists no sockets"),
    NK_OPT_FLAG(OPT_V4, '4', "ipv4", "only IPv4 sockets (with --scan: a name's IPv4 addresses)"),
    NK_OPT_FLAG(OPT_V6, '6', "ipv6", "only IPv6 sockets (with --scan: a name's IPv6 addresses)"),
    NK_OPT_INT(OPT_TIMEOUT, 0, "timeout", "MS", 1, 600000,
               "per-port connect timeout in ms, default 1000", .requires = OPT_SCAN),
    NK_OPT_INT(OPT_CONC, 'c', "concurrency", "N", 1, 1000000, "connects in flight, default 1024",
               .requires = OPT_SCAN),
    NK_OPT_END,
};

/* ---- service lookups ---- */

/* One line of a lookup's answer. */
struct lookup_ent {
    int port;          /* the port */
    const char *proto; /* "tcp" or "udp" */
    bool known;        /* s holds a service */
    struct service s;  /* the service, when known */
};

/* Everything the lookup arguments produced. */
struct lookup_set {
    struct lookup_ent *v;      /* answers in argument order */
    size_t n, cap;             /* count and allocation */
    int failed;                /* names that are no service */
    struct services_table tab; /* every port's name: a range is checked here, not file by file */
};

static int lookup_push(struct lookup_set *set, int port, const char *proto, const struct service *s)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        struct lookup_ent *p = realloc(set->v, cap * sizeof(*p));
        if (!p)
            return -1;
        set->v = p;
        set->cap = cap;
    }
    struct lookup_ent *e = &set->v[set->n++];
    memset(e, 0, sizeof(*e));
    e->port = port;
    e->proto = proto;
    if (s) {
        e->known = true;
        e->s = *s;
    }
    return 0;
}

/* Add the answers for one argument; prints what is unknown. -1 only when out of memory. */
static int lookup_arg(struct lookup_set *set, const char *a, const struct ports_req *rq)
{
    static const char *const protos[] = {"tcp", "udp"};
    char err[NK_ERRLEN];
    int lo, hi;
    enum portspec_kind k = portspec_item(a, &lo, &hi, err);
    size_t before = set->n;
    for (int port = (k == PORTSPEC_NAME ? 0 : lo); port <= (k == PORTSPEC_NAME ? 0 : hi); port++)
        for (int i = 0; i < 2; i++) {
            if ((i == 0 && !rq->tcp) || (i == 1 && !rq->udp))
                continue;
            struct service s;
            int ipproto = i == 0 ? IPPROTO_TCP : IPPROTO_UDP;
            /* One look at the table per port of a range; the file only for known ones. */
            if (k == PORTSPEC_RANGE && set->tab.tcp &&
                !services_table_name(&set->tab, port, ipproto))
                continue;
            int found = k == PORTSPEC_NAME ? services_by_name(a, protos[i], &s)
                                           : services_by_port(port, protos[i], &s);
            /* A single port is always answered; a range lists its known services. */
            if (!found && k != PORTSPEC_PORT)
                continue;
            if (lookup_push(set, found ? s.port : port, protos[i], found ? &s : NULL) < 0)
                return -1;
        }
    if (set->n == before && k == PORTSPEC_NAME) {
        nk_err(CMD, "'%s': unknown service", a);
        set->failed++;
    } else if (set->n == before && k == PORTSPEC_RANGE) {
        nk_err(CMD, "%s: no known services in this range", a);
    }
    return 0;
}

static void aliases_text(const struct service *s, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < s->naliases; i++) {
        int n = snprintf(buf + used, len - used, "%s%s", i ? "," : "", s->aliases[i]);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, len, "-");
}

static const struct out_cols lookup_cols = {
    .n = 6,
    .col = {{.title = "PORT", .min = 6},
            {.title = "PROTO"},
            {.title = "SERVICE"},
            {.title = "ALIASES"},
            {.title = "CLASS", .min = 10},
            {.title = "EPHEMERAL"}},
};

static void show_lookup(struct out *o, const struct lookup_set *set, int elo, int ehi)
{
    char al[SERVICES_MAX_ALIASES * 33];
    out_table_begin(o);
    out_arr_begin(o, NULL);
    if (set->n)
        out_titles(o, &lookup_cols, lookup_cols.n, OUT_C_NONE);
    for (size_t i = 0; i < set->n; i++) {
        const struct lookup_ent *e = &set->v[i];
        out_obj_begin(o, NULL);
        out_row(o, &lookup_cols);
        out_u64(o, "port", "%" PRIu64, (uint64_t)e->port);
        out_cell(o);
        out_str(o, OUT_C_NONE, "proto", "%s", e->proto);
        out_cell(o);
        out_str(o, OUT_C_NONE, "service", NULL, e->known ? e->s.name : NULL);
        out_ctext(o, e->known ? OUT_C_NAME : OUT_C_DIM, "%s", e->known ? e->s.name : "-");
        out_cell(o);
        out_arr_begin(o, "aliases");
        for (int k = 0; e->known && k < e->s.naliases; k++)
            out_str(o, OUT_C_NONE, NULL, NULL, e->s.aliases[k]);
        out_arr_end(o);
        aliases_text(&e->s, al, sizeof(al));
        out_text(o, "%s", e->known ? al : "-");
        out_cell(o);
        out_str(o, OUT_C_NONE, "class", "%s", services_class(e->port));
        out_cell(o);
        if (elo < 0)
            out_null(o, "ephemeral");
        else
            out_bool(o, "ephemeral", "%s", e->port >= elo && e->port <= ehi);
        out_row_end(o);
        out_obj_end(o);
    }
    out_arr_end(o);
    out_table_end(o);
}

static int do_lookup(const struct ports_req *rq, struct nk_ctx *ctx)
{
    char err[NK_ERRLEN];
    /* Check every argument before printing anything: a malformed one is a usage error. */
    for (int i = 0; i < rq->nargs; i++) {
        int lo, hi;
        if (portspec_item(rq->args[i], &lo, &hi, err) == PORTSPEC_BAD)
            return nk_usage(CMD, "%s", err);
    }
    int elo = -1, ehi = -1;
    if (net_ephemeral_range(NET_RANGE_FILE, &elo, &ehi, err) < 0) {
        nk_err(CMD, "%s", err); /* the lookups still answer; "ephemeral" is then unknown */
        elo = ehi = -1;
    }
    struct lookup_set set = {0};
    services_table_load(&set.tab); /* on failure ranges are looked up port by port */
    for (int i = 0; i < rq->nargs; i++)
        if (lookup_arg(&set, rq->args[i], rq) < 0) {
            nk_err(CMD, "out of memory");
            free(set.v);
            services_table_free(&set.tab);
            return NK_FAIL;
        }
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    show_lookup(o, &set, elo, ehi);
    int status = set.failed ? NK_FAIL : NK_OK;
    free(set.v);
    services_table_free(&set.tab);
    return out_close(o) < 0 ? NK_FAIL : status;
}

/* ---- the host's sockets ---- */

/* "ADDR" of a socket's raw address (with %scope for a link-local IPv6 one). */
static void addr_text(int family, const uint8_t *a, uint32_t ifindex, char *buf, size_t len)
{
    char tmp[INET6_ADDRSTRLEN] = "?";
    inet_ntop(family, a, tmp, sizeof(tmp));
    char ifn[IF_NAMESIZE];
    if (family == AF_INET6 && ifindex && a[0] == 0xfe && (a[1] & 0xc0) == 0x80 &&
        if_indextoname(ifindex, ifn))
        snprintf(buf, len, "%s%%%s", tmp, ifn);
    else
        snprintf(buf, len, "%s", tmp);
}

/* "ADDR:PORT", "[V6]:PORT"; port 0 shows as '*' (not connected), as ss does. */
static void endpoint_text(int family, const char *addr, int port, char *buf, size_t len)
{
    char p[8] = "*";
    if (port)
        snprintf(p, sizeof(p), "%d", port);
    if (family == AF_INET6)
        snprintf(buf, len, "[%s]:%s", addr, p);
    else
        snprintf(buf, len, "%s:%s", addr, p);
}

/* What ports_show_sockets prints for one socket. */
struct sock_row {
    char laddr[NET_ADDRSTRLEN];      /* local address */
    char paddr[NET_ADDRSTRLEN];      /* peer address */
    char local[NET_ADDRSTRLEN + 16]; /* local endpoint text: "[ADDR]:PORT" */
    char peer[NET_ADDRSTRLEN + 16];  /* peer endpoint text */
    const char *service;             /* service name or NULL */
    bool exposed;                    /* listening beyond loopback */
};

/* The port that names a socket's service: a listener's own; for a connection, the end that
 * is not an ephemeral port (the server's), else the lower one. */
static int server_port(const struct sockent *e, int elo, int ehi)
{
    if (!e->pport || sockdiag_listening(e))
        return e->lport;
    bool leph = e->lport >= elo && e->lport <= ehi, peph = e->pport >= elo && e->pport <= ehi;
    if (leph != peph)
        return leph ? e->pport : e->lport;
    return e->lport < e->pport ? e->lport : e->pport;
}

static void sock_row(const struct sockent *e, const struct services_table *svc, int elo, int ehi,
                     struct sock_row *r)
{
    addr_text(e->family, e->local, e->ifindex, r->laddr, sizeof(r->laddr));
    addr_text(e->family, e->peer, e->ifindex, r->paddr, sizeof(r->paddr));
    endpoint_text(e->family, r->laddr, e->lport, r->local, sizeof(r->local));
    endpoint_text(e->family, r->paddr, e->pport, r->peer, sizeof(r->peer));
    r->service = services_table_name(svc, server_port(e, elo, ehi), e->ipproto);
    r->exposed = sockdiag_listening(e) && !net_is_loopback_raw(e->family, e->local);
}

static void endpoint_json(struct out *o, const char *key, const char *addr, int port)
{
    out_obj_begin(o, key);
    out_str(o, OUT_C_NONE, "address", NULL, addr);
    out_u64(o, "port", NULL, (uint64_t)port);
    out_obj_end(o);
}

static const struct out_cols sock_cols = {
    .n = 9,
    .col = {{.title = "PROTO"},
            {.title = "STATE", .min = 6},
            {.title = "RECV-Q", .right = true},
            {.title = "SEND-Q", .right = true},
            {.title = "LOCAL"},
            {.title = "PEER"},
            {.title = "SERVICE"},
            {.title = "EXPOSED"},
            {.title = "PROCESS"}},
};

void ports_show_sockets(struct out *o, const struct sockvec *v, bool procs,
                        const struct ports_show *how)
{
    static const struct ports_show plain = {0};
    if (!how)
        how = &plain;
    struct services_table svc;
    services_table_load(&svc); /* without it sockets are still listed, unnamed */
    int elo = -1, ehi = -1;
    char err[NK_ERRLEN];
    if (net_ephemeral_range(NET_RANGE_FILE, &elo, &ehi, err) < 0)
        elo = ehi = -1; /* then the lower port of a connection names its service */
    out_table_begin(o);
    if (!how->event) {
        out_arr_begin(o, NULL);
        out_titles(o, &sock_cols, procs ? 9 : 8, OUT_C_NONE);
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct sockent *e = &v->v[i];
        struct sock_row r;
        sock_row(e, &svc, elo, ehi, &r);
        out_obj_begin(o, NULL);
        out_row(o, &sock_cols);
        if (how->event) {
            out_str(o, OUT_C_NONE, "event", NULL, how->event);
            out_str(o, OUT_C_NONE, "time", NULL, how->when);
        }
        if (how->mark)
            out_ctext(o, how->mark[i] == '+' ? OUT_C_GOOD : OUT_C_BAD, "%c", how->mark[i]);
        out_str(o, OUT_C_NONE, "proto", "%s", e->ipproto == IPPROTO_TCP ? "tcp" : "udp");
        out_cell(o);
        out_str(o, sockdiag_listening(e) ? OUT_C_GOOD : OUT_C_NONE, "state", "%s",
                sockdiag_state_name(e));
        out_cell(o);
        out_u64(o, "recv_q", "%" PRIu64, e->rqueue);
        out_cell(o);
        out_u64(o, "send_q", "%" PRIu64, e->wqueue);
        out_cell(o);
        endpoint_json(o, "local", r.laddr, e->lport);
        endpoint_json(o, "peer", r.paddr, e->pport);
        enum out_color ac = e->family == AF_INET ? OUT_C_INET : OUT_C_INET6;
        out_ctext(o, ac, "%s", r.local);
        out_cell(o);
        out_ctext(o, ac, "%s", r.peer);
        out_cell(o);
        out_str(o, OUT_C_NONE, "service", NULL, r.service);
        out_ctext(o, r.service ? OUT_C_NAME : OUT_C_DIM, "%s", r.service ? r.service : "-");
        out_cell(o);
        out_bool(o, "exposed", NULL, r.exposed);
        if (r.exposed)
            out_ctext(o, OUT_C_WARN, "exposed");
        out_cell(o);
        if (procs && e->pid) {
            out_i64(o, "pid", NULL, e->pid);
            out_str(o, OUT_C_NONE, "process", NULL, e->comm);
            /* Text: PID/NAME:FD for each, comma separated (ss's users:(...)). */
            out_arr_begin(o, "processes");
            for (size_t k = 0; k < e->nowners; k++) {
                const struct sockowner *w = &e->owners[k];
                out_obj_begin(o, NULL);
                out_i64(o, "pid", k ? ",%" PRId64 : "%" PRId64, w->pid);
                out_str(o, OUT_C_NONE, "process", "/%s", w->comm);
                out_i64(o, "fd", ":%" PRId64, w->fd);
                out_obj_end(o);
            }
            out_arr_end(o);
        } else if (procs) {
            out_null(o, "pid");
            out_null(o, "process");
            out_arr_begin(o, "processes");
            out_arr_end(o);
            out_text(o, "-");
        }
        out_u64(o, "uid", NULL, e->uid);
        out_u64(o, "inode", NULL, e->inode);
        out_row_end(o);
        out_obj_end(o);
    }
    if (!how->event)
        out_arr_end(o);
    out_table_end(o);
    services_table_free(&svc);
}

/* What the listing keeps. */
struct sock_filter {
    bool ports;               /* port arguments given */
    struct portspec tcp, udp; /* the ports they name, per protocol */
    unsigned states;          /* --state bits, 0 for any */
    bool local, peer;         /* --local, --peer given */
    int family;               /* -4 / -6: AF_INET or AF_INET6, AF_UNSPEC for both */
    struct target lt, pt;     /* their blocks */
};

/* The filter from the arguments and options; usage errors are printed (returns NK_USAGE). */
static int filter_init(const struct ports_req *rq, struct sock_filter *f)
{
    char err[NK_ERRLEN];
    memset(f, 0, sizeof(*f));
    f->states = rq->states;
    if (rq->local && target_prefix_parse(rq->local, &f->lt, err) < 0)
        return nk_usage(CMD, "--local: %s", err);
    if (rq->peer && target_prefix_parse(rq->peer, &f->pt, err) < 0)
        return nk_usage(CMD, "--peer: %s", err);
    f->family = rq->family;
    f->local = rq->local != NULL;
    f->peer = rq->peer != NULL;
    f->ports = rq->nargs > 0;
    for (int i = 0; i < rq->nargs; i++) {
        const char *a = rq->args[i];
        int lo, hi;
        enum portspec_kind k = portspec_item(a, &lo, &hi, err);
        if (k == PORTSPEC_BAD)
            return nk_usage(CMD, "%s", err);
        if (k != PORTSPEC_NAME) {
            portspec_add_range(&f->tcp, lo, hi);
            portspec_add_range(&f->udp, lo, hi);
            continue;
        }
        struct service sv;
        bool found = false;
        if (services_by_name(a, "tcp", &sv)) {
            portspec_add_range(&f->tcp, sv.port, sv.port);
            found = true;
        }
        if (services_by_name(a, "udp", &sv)) {
            portspec_add_range(&f->udp, sv.port, sv.port);
            found = true;
        }
        if (!found)
            return nk_usage(CMD, "'%s': unknown service", a);
    }
    return NK_OK;
}

static bool state_match(const struct sockent *e, unsigned states)
{
    for (int i = 0; state_names[i]; i++) {
        if (!(states & (1u << i)))
            continue;
        if (i == STATE_LISTEN ? sockdiag_listening(e)
                              : (e->state == state_codes[i] ||
                                 (state_codes[i] == 3 && e->state == 12))) /* NEW_SYN_RECV */
            return true;
    }
    return false;
}

static bool filter_match(const struct sock_filter *f, const struct sockent *e)
{
    if (f->ports) {
        const struct portspec *ps = e->ipproto == IPPROTO_TCP ? &f->tcp : &f->udp;
        if (!portspec_has(ps, e->lport) && !(e->pport && portspec_has(ps, e->pport)))
            return false;
    }
    if (f->family != AF_UNSPEC && e->family != f->family)
        return false;
    if (f->states && !state_match(e, f->states))
        return false;
    if (f->local && !target_match(&f->lt, e->family, e->local))
        return false;
    if (f->peer && (!e->pport || !target_match(&f->pt, e->family, e->peer)))
        return false;
    return true;
}

int ports_collect(const struct ports_req *rq, struct sockvec *out, bool quiet)
{
    char err[NK_ERRLEN];
    struct sockvec v = {0};
    struct sock_filter *filt = malloc(sizeof(*filt));
    if (!filt) {
        nk_err(CMD, "out of memory");
        return NK_FAIL;
    }
    int fs = filter_init(rq, filt);
    if (fs != NK_OK) {
        free(filt);
        return fs;
    }
    static const int fams[] = {AF_INET, AF_INET6};
    for (int proto = 0; proto < 2; proto++) {
        int ipproto = proto ? IPPROTO_UDP : IPPROTO_TCP;
        if ((ipproto == IPPROTO_TCP && !rq->tcp) || (ipproto == IPPROTO_UDP && !rq->udp))
            continue;
        /* Listening: TCP LISTEN; UDP unconnected (state CLOSE, filtered to bound ones). */
        uint32_t states =
            rq->all ? SOCKDIAG_ALL_STATES : (ipproto == IPPROTO_TCP ? 1u << 10 : 1u << 7);
        for (int f = 0; f < 2; f++) {
            /* A kernel without IPv6 (ipv6.disable=1) has no IPv6 sockets and no inet6 diag. */
            if (fams[f] == AF_INET6 && access("/proc/net/if_inet6", F_OK) != 0)
                continue;
            if (sockdiag_dump(ipproto, fams[f], states, &v, err) < 0) {
                nk_err(CMD, "%s", err);
                sockdiag_free(&v);
                free(filt);
                return NK_FAIL;
            }
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < v.n; i++)
        if ((rq->all || sockdiag_listening(&v.v[i])) && filter_match(filt, &v.v[i]))
            v.v[k++] = v.v[i];
    v.n = k;
    free(filt);
    if (rq->procs) {
        struct sockproc_stats st;
        if (sockproc_fill(&v, "/proc", &st, err) < 0) {
            nk_err(CMD, "%s", err);
            sockdiag_free(&v);
            return NK_FAIL;
        }
        size_t unknown = 0;
        for (size_t i = 0; i < v.n; i++)
            if (v.v[i].inode && !v.v[i].pid)
                unknown++;
        if (st.hidden && unknown && !quiet)
            nk_err(CMD,
                   "processes: %zu socket%s show%s no process: %zu process%s belong%s to "
                   "other users and cannot be inspected without root",
                   unknown, nk_s(unknown), unknown == 1 ? "s" : "", st.hidden,
                   st.hidden == 1 ? "" : "es", st.hidden == 1 ? "s" : "");
    }
    sockdiag_sort(&v);
    *out = v;
    return NK_OK;
}

static int do_sockets(const struct ports_req *rq, struct nk_ctx *ctx)
{
    struct sockvec v = {0};
    int st = ports_collect(rq, &v, false);
    if (st != NK_OK)
        return st;
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    ports_show_sockets(o, &v, rq->procs, NULL);
    sockdiag_free(&v);
    return out_close(o) < 0 ? NK_FAIL : NK_OK;
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct ports_req rq = {0};
    struct nk_opt_parser p;
    int id;
    nk_opt_init(&p, &nk_cmd_ports, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0)
        switch (id) {
        case OPT_ALL: rq.all = true; break;
        case OPT_TCP: rq.tcp = true; break;
        case OPT_UDP: rq.udp = true; break;
        case OPT_PROCS: rq.procs = true; break;
        case OPT_SCAN: {
            const char **v = realloc(rq.scan, (size_t)(rq.nscan + 1) * sizeof(*v));
            if (!v) {
                free(rq.scan);
                nk_err(CMD, "out of memory");
                return NK_FAIL;
            }
            rq.scan = v;
            rq.scan[rq.nscan++] = p.arg;
            break;
        }
        case OPT_FORCE: rq.force = true; break;
        case OPT_LISTENING: rq.listening = true; break;
        case OPT_NUMERIC: rq.numeric = true; break;
        case OPT_STATE: rq.states |= 1u << p.num; break;
        case OPT_LOCAL: rq.local = p.arg; break;
        case OPT_PEER: rq.peer = p.arg; break;
        case OPT_WATCH: rq.watch = p.arg ? (int)p.num : 1; break;
        case OPT_VERBOSE: rq.verbose = true; break;
        case OPT_PORTS: rq.ports = p.arg; break;
        case OPT_TIMEOUT: rq.timeout_ms = (int)p.num; break;
        case OPT_CONC: rq.concurrency = (int)p.num; break;
        }
    if (id < 0) {
        free(rq.scan);
        return p.status;
    }
    rq.nargs = p.argc;
    rq.args = p.argv;
    rq.family = nk_opt_family(&p, OPT_V4, OPT_V6);
    if (!rq.tcp && !rq.udp)
        rq.tcp = rq.udp = true;
    if (rq.nscan) { /* the option table rules out -a, -p and the listing options with it */
        int st = rq.nargs ? nk_usage(CMD, "'%s': --scan takes its ports from --ports", rq.args[0])
                 : rq.tcp && rq.udp && nk_opt_seen(&p, OPT_UDP)
                     ? nk_usage(CMD, "--scan: -t or -u, not both: one protocol per scan")
                     : ports_scan(&rq, ctx);
        free(rq.scan);
        return st;
    }
    /* A listing option makes the arguments filters of the listing, not lookups. */
    bool listing = rq.all || rq.listening || rq.procs || rq.numeric || rq.states || rq.local ||
                   rq.family != AF_UNSPEC || rq.peer || rq.watch;
    if (rq.nargs && !listing)
        return do_lookup(&rq, ctx);
    /* --state other than listen, --local and --peer (unless -l) look beyond the listening
     * sockets. */
    if ((rq.states & ~(1u << STATE_LISTEN)) || ((rq.local || rq.peer) && !rq.listening))
        rq.all = true;
    return rq.watch ? ports_watch(&rq, ctx) : do_sockets(&rq, ctx);
}

/* What ss, netstat and nmap users type, and what it is here. */
static const struct nk_habit habits[] = {
    {"-p", NULL, "-p is --processes; for nmap's -p PORTS, type --ports PORTS"},
    {"-c", NULL, "for netstat's -c (a listing refreshed every second), type --watch"},
    {"-E", NULL, "for ss's -E (socket events), type --watch"},
    {"-r", NULL, "addresses are shown as numbers; 'netkit resolve ADDR' names one"},
    {"-x", NULL, "netkit ports lists TCP and UDP sockets, not Unix ones"},
    {"-s", NULL, "for the sockets counted by state, type --watch; for a scan, --scan TARGET"},
    {0},
};

const struct nk_command nk_cmd_ports = {
    .name = "ports",
    .run = run,
    .opts = opts,
    .args = "[PORT|SERVICE|LOW-HIGH...]",
    .args_comp = NK_COMP_SERVICE,
    .summary = "services, listening sockets and their processes, TCP connect scans",
    .details =
        "Without arguments: the listening sockets (TCP LISTEN, bound UDP), with -a every socket.\n"
        "With arguments: look up ports, services and ranges in /etc/services.\n"
        "With --scan HOST: a TCP connect scan; each port is open, refused (closed), or timeout or\n"
        "unreachable (filtered).",
    .habits = habits,
};
