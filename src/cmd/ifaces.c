/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces.c - netkit ifaces: interfaces, addresses, MACs, neighbours, host configuration.
 *
 *   netkit ifaces [-b] [-s] [-4|-6] [IFNAME...]   every interface (or those named)
 *   netkit ifaces -n [-4|-6] [IFNAME...]          the neighbour table (ifaces_neigh.c)
 *   netkit ifaces -H [-4|-6]                      host name, gateways, DNS (ifaces_host.c)
 *   netkit ifaces -s --watch [S] [IFNAME...]      rates every S seconds (ifaces_watch.c)
 *
 * Data comes from rtnetlink (rtnl.h, parsed by links.h), vendors from the IEEE registry (oui.h),
 * host-wide settings from hostinfo.h. `--json` uses the field names and values of `ip -j addr`,
 * `ip -j -s link` and `ip -j neigh`.
 */
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/commands.h"
#include "cli/msg.h"
#include "cli/out.h"
#include "cmd/ifaces.h"
#include "link/links.h"
#include "link/oui.h"
#include "link/rtnl.h"

enum {
    OPT_BRIEF = 1,
    OPT_STATS,
    OPT_IPV4,
    OPT_IPV6,
    OPT_NEIGH,
    OPT_HOST,
    OPT_WATCH,
};

static const struct nk_opt opts[] = {
    NK_OPT_FLAG(OPT_BRIEF, 'b', "brief", "one line per interface: name, state, MAC, addresses"),
    NK_OPT_FLAG(OPT_STATS, 's', "stats", "RX/TX bytes, packets, errors, dropped"),
    NK_OPT_FLAG(OPT_IPV4, '4', "ipv4", "only IPv4 addresses (neighbours, gateways)"),
    NK_OPT_FLAG(OPT_IPV6, '6', "ipv6", "only IPv6 addresses (neighbours, gateways)"),
    /* -b and -s shape the interface list: the other two views are tables of their own. */
    NK_OPT_FLAG(OPT_NEIGH, 'n', "neighbors",
                "the neighbour table (ARP / NDP): address, MAC, interface, state",
                .excludes = {OPT_HOST, OPT_BRIEF, OPT_STATS}),
    NK_OPT_FLAG(OPT_HOST, 'H', "host",
                "host name, default gateways, DNS servers and search domains",
                .excludes = {OPT_BRIEF, OPT_STATS}),
    NK_OPT_INT(OPT_WATCH, 0, "watch", "S", 1, 3600,
               "with -s: rates (bytes/s, packets/s, errors) every S seconds (default 1)",
               .optional = true, .requires = OPT_STATS),
    NK_OPT_END,
};

static const char CMD[] = "ifaces";

extern const struct nk_command nk_cmd_ifaces;

/* ---- small text helpers ---- */

/* The lines of the views, each kind aligned across interfaces (out.h's columns). */

/* "2: eth0  UP  mtu 1500  <...>" */
static const struct out_cols link_cols = {
    .n = 4,
    .col = {{.right = true, .gap = ": "}, {.gap = "  "}, {.gap = "  "}, {0}},
};
/* "    link/ether MAC (vendor)  brd ...": one cell, as ip prints it, so the line reads the same
 * whether one interface is shown or all (a column would pad "link/ether" to "link/loopback"). */
static const struct out_cols hw_cols = {
    .n = 1,
};
/* "    inet  10.0.0.1/24  scope global  brd ..." */
static const struct out_cols addr_cols = {
    .n = 3,
    .col = {{.gap = "  "}},
};
/* -b: name, state, MAC, addresses */
static const struct out_cols brief_cols = {
    .n = 4,
    .col = {{.gap = "  "}, {.gap = "  "}, {.min = 17, .gap = "  "}},
};

void ifaces_add_name(const char *name, void *arg)
{
    struct ifaces_names *n = arg;
    if (n->fields)
        out_bool(n->o, name, NULL, true);
    else
        out_str(n->o, OUT_C_NONE, NULL, NULL, name);
    size_t l = strlen(n->buf);
    snprintf(n->buf + l, sizeof(n->buf) - l, "%s%s", l ? n->sep : "", name);
}

static enum out_color state_color(int operstate)
{
    switch (operstate) {
    case IF_OPER_UP: return OUT_C_GOOD;
    case IF_OPER_DOWN:
    case IF_OPER_LOWERLAYERDOWN: return OUT_C_BAD;
    default: return OUT_C_NONE;
    }
}

/* ---- vendors ---- */

/* The query slot for this MAC's OUI, adding it if new; NULL if the MAC has no vendor. */
struct oui_query *ifaces_oui_slot(struct ifaces_view *v, const uint8_t *mac, size_t len, bool add)
{
    if (!oui_applies(mac, len))
        return NULL;
    for (size_t i = 0; i < v->nouis; i++)
        if (memcmp(v->ouis[i].oui, mac, 3) == 0)
            return &v->ouis[i];
    if (!add)
        return NULL;
    struct oui_query *q = realloc(v->ouis, (v->nouis + 1) * sizeof(*q));
    if (!q)
        return NULL;
    v->ouis = q;
    q = &v->ouis[v->nouis++];
    memset(q, 0, sizeof(*q));
    memcpy(q->oui, mac, 3);
    return q;
}

const char *ifaces_vendor(struct ifaces_view *v, const uint8_t *mac, size_t len)
{
    struct oui_query *q = ifaces_oui_slot(v, mac, len, false);
    return q && q->found ? q->vendor : NULL;
}

/* ---- interfaces ---- */

static bool addr_wanted(const struct ifaces_req *r, const struct nk_addr *a, int ifindex)
{
    return a->ifindex == ifindex && (r->family == AF_UNSPEC || a->family == r->family);
}

static size_t count_addrs(const struct ifaces_req *r, const struct ifaces_view *v, int ifindex)
{
    size_t n = 0;
    for (size_t i = 0; i < v->t.naddrs; i++)
        n += addr_wanted(r, &v->t.addrs[i], ifindex);
    return n;
}

/* "10.0.0.1/24", or "10.0.0.1 peer 10.0.0.2/32" on point-to-point links. */
static void addr_text(const struct nk_addr *a, char *buf, size_t len)
{
    char l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
    nk_ip_str(a->family, a->local, l, sizeof(l));
    size_t alen = a->family == AF_INET ? 4 : 16;
    if (a->has_address && memcmp(a->local, a->address, alen) != 0)
        snprintf(buf, len, "%s peer %s/%u", l, nk_ip_str(a->family, a->address, p, sizeof(p)),
                 a->prefixlen);
    else
        snprintf(buf, len, "%s/%u", l, a->prefixlen);
}

static void link_name(const struct ifaces_view *v, const struct nk_link *l, char *buf, size_t len)
{
    if (l->has_link && l->link == 0)
        snprintf(buf, len, "%s@NONE", l->ifname);
    else if (l->has_link) { /* the kernel sends IFLA_LINK only when it differs from ifindex */
        const struct nk_link *peer = nk_table_link(&v->t, (int)l->link);
        if (l->has_link_netnsid || !peer)
            snprintf(buf, len, "%s@if%u", l->ifname, l->link);
        else
            snprintf(buf, len, "%s@%s", l->ifname, peer->ifname);
    } else
        snprintf(buf, len, "%s", l->ifname);
}

static void print_addr(struct out *o, const struct nk_link *l, const struct nk_addr *a)
{
    char buf[128], b[INET6_ADDRSTRLEN];
    enum out_color c = a->family == AF_INET ? OUT_C_INET : OUT_C_INET6;
    out_obj_begin(o, NULL);
    out_row(o, &addr_cols);
    out_str(o, OUT_C_NONE, "family", "    %-6s", nk_family_name(a->family));
    size_t alen = a->family == AF_INET ? 4 : 16;
    out_str(o, c, "local", NULL, nk_ip_str(a->family, a->local, b, sizeof(b)));
    if (a->has_address && memcmp(a->local, a->address, alen) != 0)
        out_str(o, c, "address", NULL, nk_ip_str(a->family, a->address, b, sizeof(b)));
    out_u64(o, "prefixlen", NULL, a->prefixlen);
    addr_text(a, buf, sizeof(buf));
    out_ctext(o, c, "%s", buf);
    out_cell(o);
    /* JSON keeps ip's key order; the text puts the scope first so the columns line up. */
    char brd[INET6_ADDRSTRLEN] = "", any[INET6_ADDRSTRLEN] = "";
    if (a->has_broadcast)
        out_str(o, c, "broadcast", NULL, nk_ip_str(a->family, a->broadcast, brd, sizeof(brd)));
    if (a->has_anycast)
        out_str(o, c, "anycast", NULL, nk_ip_str(a->family, a->anycast, any, sizeof(any)));
    const char *scope = nk_scope_name(a->scope, b, sizeof(b));
    out_str(o, OUT_C_NONE, "scope", "scope %s", scope);
    struct ifaces_names fl = {.o = o, .sep = " ", .fields = true};
    nk_addr_flags(a, ifaces_add_name, &fl);
    bool other_label = a->label[0] && strcmp(a->label, l->ifname) != 0;
    bool temporary = a->has_cacheinfo && a->valid_lft != 0xffffffffu;
    out_cell(o);
    if (brd[0])
        out_ctext(o, c, " brd %s", brd);
    if (any[0])
        out_ctext(o, c, " any %s", any);
    if (fl.buf[0])
        out_ctext(o, OUT_C_DIM, " %s", fl.buf);
    if (a->label[0])
        out_str(o, OUT_C_NONE, "label", other_label ? " label %s" : NULL, a->label);
    if (a->has_cacheinfo) {
        out_u64(o, "valid_life_time", NULL, a->valid_lft);
        out_u64(o, "preferred_life_time", NULL, a->preferred_lft);
        if (temporary)
            out_ctext(o, OUT_C_DIM, " valid %us preferred %us", a->valid_lft, a->preferred_lft);
    }
    out_row_end(o);
    out_obj_end(o);
}

/* One direction of the counters: the JSON object's name, the text label, and each counter with
 * its `ip -j -s link` key, its text heading and where it sits in rtnl_link_stats64. */
struct stat_dir {
    const char *key;   /* "rx" */
    const char *label; /* "RX" */
    struct {
        const char *key;  /* JSON key */
        const char *head; /* text column heading */
        size_t off;       /* offset of the __u64 counter */
    } f[6];
    size_t compressed; /* offset of the compressed counter (JSON only, when non-zero) */
};

#define ST(f) offsetof(struct rtnl_link_stats64, f)
static const struct stat_dir stat_dirs[] = {
    {"rx",
     "RX",
     {{"bytes", "bytes", ST(rx_bytes)},
      {"packets", "packets", ST(rx_packets)},
      {"errors", "errors", ST(rx_errors)},
      {"dropped", "dropped", ST(rx_dropped)},
      {"over_errors", "overrun", ST(rx_over_errors)},
      {"multicast", "mcast", ST(multicast)}},
     ST(rx_compressed)},
    {"tx",
     "TX",
     {{"bytes", "bytes", ST(tx_bytes)},
      {"packets", "packets", ST(tx_packets)},
      {"errors", "errors", ST(tx_errors)},
      {"dropped", "dropped", ST(tx_dropped)},
      {"carrier_errors", "carrier", ST(tx_carrier_errors)},
      {"collisions", "collsns", ST(collisions)}},
     ST(tx_compressed)},
};
#undef ST

/* "stats64" in JSON; in text a heading line and a value line per direction. */
static void print_stats(struct out *o, const struct rtnl_link_stats64 *s)
{
    /* Text columns: two wide counters, then narrow ones; the last is not padded. */
    static const int width[6] = {14, 14, 10, 10, 10, 0};
    static const char *const val_fmt[6] = {"%-14" PRIu64 " ", "%-14" PRIu64 " ", "%-10" PRIu64 " ",
                                           "%-10" PRIu64 " ", "%-10" PRIu64 " ", "%" PRIu64 "\n"};
    const unsigned char *base = (const unsigned char *)s;
    out_obj_begin(o, "stats64");
    for (size_t d = 0; d < sizeof(stat_dirs) / sizeof(stat_dirs[0]); d++) {
        const struct stat_dir *sd = &stat_dirs[d];
        char head[128];
        size_t n = (size_t)snprintf(head, sizeof(head), "    %s  ", sd->label);
        for (int i = 0; i < 6 && n < sizeof(head); i++)
            n += (size_t)snprintf(head + n, sizeof(head) - n, i < 5 ? "%-*s " : "%*s", width[i],
                                  sd->f[i].head);
        out_ctext(o, OUT_C_DIM, "%s\n", head);
        out_text(o, "        ");
        out_obj_begin(o, sd->key);
        for (int i = 0; i < 6; i++) {
            uint64_t v;
            memcpy(&v, base + sd->f[i].off, sizeof(v));
            out_u64(o, sd->f[i].key, val_fmt[i], v);
        }
        uint64_t comp;
        memcpy(&comp, base + sd->compressed, sizeof(comp));
        if (comp)
            out_u64(o, "compressed", NULL, comp);
        out_obj_end(o);
    }
    out_obj_end(o);
}

/* The second line of an interface: "link/ether MAC (vendor)  brd MAC". */
static void print_hw(struct out *o, struct ifaces_view *v, const struct nk_link *l)
{
    char tbuf[32], abuf[3 * NK_HWADDR_MAX + 1];
    const char *type = nk_link_type_name(l->type, tbuf, sizeof(tbuf));
    out_row(o, &hw_cols);
    out_str(o, OUT_C_NONE, "link_type", "    link/%s", type);
    if (l->addr_len) {
        nk_hwaddr_str(l->addr, l->addr_len, l->type, abuf, sizeof(abuf));
        out_text(o, " ");
        out_str(o, OUT_C_MAC, "address", "%s", abuf);
        const char *vendor = ifaces_vendor(v, l->addr, l->addr_len);
        if (vendor)
            out_str(o, OUT_C_DIM, "vendor", " (%s)", vendor);
    }
    if (l->brd_len) {
        if (l->flags & IFF_POINTOPOINT)
            out_bool(o, "link_pointtopoint", NULL, true);
        nk_hwaddr_str(l->brd, l->brd_len, l->type, abuf, sizeof(abuf));
        out_text(o, (l->flags & IFF_POINTOPOINT) ? "  peer " : "  brd ");
        out_str(o, OUT_C_NONE, "broadcast", "%s", abuf);
    }
    if (l->has_link_netnsid)
        out_i64(o, "link_netnsid", "  link-netnsid %lld", l->link_netnsid);
    out_row_end(o);
}

static void print_link(struct out *o, const struct ifaces_req *r, struct ifaces_view *v,
                       const struct nk_link *l)
{
    char buf[128], nbuf[128];
    out_obj_begin(o, NULL);
    out_row(o, &link_cols);
    out_i64(o, "ifindex", "%" PRId64, l->ifindex);
    out_cell(o);
    out_str(o, OUT_C_NAME, "ifname", NULL, l->ifname);
    link_name(v, l, nbuf, sizeof(nbuf));
    out_ctext(o, OUT_C_NAME, "%s", nbuf);
    out_cell(o);
    if (l->has_link) {
        const struct nk_link *peer = nk_table_link(&v->t, (int)l->link);
        if (l->link == 0)
            out_null(o, "link");
        else if (l->has_link_netnsid || !peer)
            out_i64(o, "link_index", NULL, l->link);
        else
            out_str(o, OUT_C_NONE, "link", NULL, peer->ifname);
    }
    const char *st = nk_operstate_name(l->operstate, buf, sizeof(buf));
    out_ctext(o, state_color(l->operstate), "%s", st);
    out_cell(o);
    struct ifaces_names fl = {.o = o, .sep = ","};
    out_arr_begin(o, "flags");
    nk_link_flags(l->flags, ifaces_add_name, &fl);
    out_arr_end(o);
    if (l->has_mtu)
        out_u64(o, "mtu", "mtu %-6llu", l->mtu);
    out_text(o, "  <%s>", fl.buf);
    if (l->qdisc[0])
        out_str(o, OUT_C_NONE, "qdisc", NULL, l->qdisc);
    if (l->master) {
        const struct nk_link *m = nk_table_link(&v->t, (int)l->master);
        snprintf(buf, sizeof(buf), "if%u", l->master);
        out_str(o, OUT_C_NONE, "master", "  master %s", m ? m->ifname : buf);
    }
    if (l->operstate >= 0)
        out_str(o, OUT_C_NONE, "operstate", NULL, st);
    if (l->has_group) {
        snprintf(buf, sizeof(buf), "%u", l->group);
        out_str(o, OUT_C_NONE, "group", NULL, l->group == 0 ? "default" : buf);
    }
    if (l->has_txqlen && l->txqlen)
        out_u64(o, "txqlen", NULL, l->txqlen);
    out_row_end(o);
    print_hw(o, v, l);
    out_arr_begin(o, "addr_info");
    for (size_t i = 0; i < v->t.naddrs; i++)
        if (addr_wanted(r, &v->t.addrs[i], l->ifindex))
            print_addr(o, l, &v->t.addrs[i]);
    out_arr_end(o);
    if (r->stats && l->has_stats)
        print_stats(o, &l->stats);
    out_obj_end(o);
}

/* -b: one line per interface. */
static void print_brief(struct out *o, const struct ifaces_req *r, struct ifaces_view *v,
                        const struct nk_link *l)
{
    char buf[128], abuf[3 * NK_HWADDR_MAX + 1];
    out_obj_begin(o, NULL);
    out_row(o, &brief_cols);
    out_str(o, OUT_C_NAME, "ifname", NULL, l->ifname);
    link_name(v, l, buf, sizeof(buf));
    out_ctext(o, OUT_C_NAME, "%s", buf);
    out_cell(o);
    const char *st = nk_operstate_name(l->operstate, buf, sizeof(buf));
    out_str(o, state_color(l->operstate), "operstate", "%s", st);
    out_cell(o);
    abuf[0] = '\0';
    if (l->addr_len)
        nk_hwaddr_str(l->addr, l->addr_len, l->type, abuf, sizeof(abuf));
    out_str(o, OUT_C_MAC, l->addr_len ? "address" : NULL, "%s", abuf);
    out_cell(o);
    const char *vendor = ifaces_vendor(v, l->addr, l->addr_len);
    if (vendor)
        out_str(o, OUT_C_NONE, "vendor", NULL, vendor);
    out_arr_begin(o, "addr_info");
    int shown = 0;
    for (size_t i = 0; i < v->t.naddrs; i++) {
        const struct nk_addr *a = &v->t.addrs[i];
        if (!addr_wanted(r, a, l->ifindex))
            continue;
        if (shown++)
            out_text(o, " ");
        char b[INET6_ADDRSTRLEN];
        out_obj_begin(o, NULL);
        out_str(o, OUT_C_NONE, "local", NULL, nk_ip_str(a->family, a->local, b, sizeof(b)));
        out_u64(o, "prefixlen", NULL, a->prefixlen);
        out_obj_end(o);
        addr_text(a, buf, sizeof(buf));
        out_ctext(o, a->family == AF_INET ? OUT_C_INET : OUT_C_INET6, "%s", buf);
    }
    out_arr_end(o);
    out_row_end(o);
    if (r->stats && l->has_stats) /* the counters under the line, as in the full view */
        print_stats(o, &l->stats);
    out_obj_end(o);
}

/* Pick the links to show: the named ones in the order given, or all. Unknown names are
 * reported; returns NK_FAIL if any was unknown. */
int ifaces_select(const struct ifaces_req *r, struct ifaces_view *v)
{
    int status = NK_OK;
    v->show = calloc(v->t.nlinks + 1, sizeof(*v->show));
    if (!v->show) {
        nk_err(CMD, "out of memory");
        return NK_FAIL;
    }
    if (r->nnames == 0) {
        for (size_t i = 0; i < v->t.nlinks; i++)
            v->show[v->nshow++] = &v->t.links[i];
        return status;
    }
    for (int n = 0; n < r->nnames; n++) {
        const struct nk_link *l = nk_table_link_by_name(&v->t, r->names[n]);
        if (!l) {
            nk_err(CMD, "%s: no such interface", r->names[n]);
            status = NK_FAIL;
            continue;
        }
        bool dup = false;
        for (size_t i = 0; i < v->nshow; i++)
            dup |= v->show[i] == l;
        if (!dup && v->nshow < v->t.nlinks)
            v->show[v->nshow++] = l;
    }
    return status;
}

static int show_links(struct out *o, const struct ifaces_req *r, struct ifaces_view *v)
{
    /* Like `ip -4 addr`: with a family filter, interfaces without such addresses drop out. */
    if (r->family != AF_UNSPEC) {
        size_t k = 0;
        for (size_t i = 0; i < v->nshow; i++)
            if (count_addrs(r, v, v->show[i]->ifindex))
                v->show[k++] = v->show[i];
        v->nshow = k;
    }
    if (r->vendors) {
        for (size_t i = 0; i < v->nshow; i++)
            ifaces_oui_slot(v, v->show[i]->addr, v->show[i]->addr_len, true);
        oui_lookup(NULL, v->ouis, v->nouis);
    }
    out_table_begin(o);
    out_arr_begin(o, NULL);
    for (size_t i = 0; i < v->nshow; i++) {
        if (r->brief)
            print_brief(o, r, v, v->show[i]);
        else
            print_link(o, r, v, v->show[i]);
    }
    out_arr_end(o);
    out_table_end(o);
    return NK_OK;
}

/* ---- the command ---- */

int ifaces_gather(const struct ifaces_req *r, struct ifaces_view *v)
{
    char err[NK_ERRLEN];
    struct nk_rtnl nl;
    if (nk_rtnl_open(&nl, err) < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    /* Links always (names for every view); then what the view needs. */
    int rc = nk_rtnl_dump(&nl, RTM_GETLINK, AF_UNSPEC, r->stats, &v->t, err);
    if (rc == 0 && r->neigh)
        rc = nk_rtnl_dump(&nl, RTM_GETNEIGH, AF_UNSPEC, false, &v->t, err);
    else if (rc == 0 && r->host)
        rc = nk_rtnl_dump(&nl, RTM_GETROUTE, AF_UNSPEC, false, &v->t, err);
    else if (rc == 0)
        rc = nk_rtnl_dump(&nl, RTM_GETADDR, r->family, false, &v->t, err);
    nk_rtnl_close(&nl);
    if (rc < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    return NK_OK;
}

void ifaces_view_free(struct ifaces_view *v)
{
    free(v->show);
    free(v->ouis);
    nk_table_free(&v->t);
}

static int run(int argc, char **argv, struct nk_ctx *ctx)
{
    struct ifaces_req r = {.family = AF_UNSPEC};
    struct nk_opt_parser p;
    int id;
    nk_opt_init(&p, &nk_cmd_ifaces, ctx, argc, argv);
    while ((id = nk_opt_next(&p)) > 0)
        switch (id) {
        case OPT_BRIEF: r.brief = true; break;
        case OPT_STATS: r.stats = true; break;
        case OPT_NEIGH: r.neigh = true; break;
        case OPT_HOST: r.host = true; break;
        case OPT_WATCH: r.watch = p.arg ? (int)p.num : 1; break;
        }
    if (id < 0)
        return p.status;
    r.family = nk_opt_family(&p, OPT_IPV4, OPT_IPV6);
    r.vendors = !r.brief || ctx->json;
    r.nnames = p.argc;
    r.names = p.argv;
    if (r.host && r.nnames)
        return nk_usage(CMD, "'%s': -H takes no interface names", r.names[0]);

    if (r.watch)
        return ifaces_watch(&r, ctx);
    struct ifaces_view v = {0};
    int status = ifaces_gather(&r, &v);
    if (status == NK_OK)
        status = ifaces_select(&r, &v);
    struct out *o = out_new(stdout, ctx->json, ctx->color);
    /* Nothing to show when every name given was unknown (each was reported). */
    if (v.show && !(status != NK_OK && v.nshow == 0 && r.nnames > 0)) {
        int st = r.host    ? ifaces_host(o, &r, &v)
                 : r.neigh ? ifaces_neighs(o, &r, &v)
                           : show_links(o, &r, &v);
        if (st != NK_OK)
            status = st;
    }
    ifaces_view_free(&v);
    if (out_close(o) < 0 && status == NK_OK)
        status = NK_FAIL; /* main reports the write error */
    return status;
}

/* What ip and ifconfig users type, and what it is here. */
static const struct nk_habit habits[] = {
    {"-br", "--brief", NULL},
    {"-brief", "--brief", NULL},
    {"-stats", "--stats", NULL},
    {"-json", "--json", NULL},
    {"-a", NULL, "every interface is listed by default (ifconfig's -a)"},
    {"-c", NULL, "for ip's -c (colour), type --color"},
    {"-d", NULL, "the default view is the detailed one (ip's -d)"},
    {"-o", NULL, "for one line per interface (ip's -o), type -b"},
    {0},
};

const struct nk_command nk_cmd_ifaces = {
    .name = "ifaces",
    .run = run,
    .opts = opts,
    .args = "[IFNAME...]",
    .args_comp = NK_COMP_IFACE,
    .summary = "interfaces, addresses, MACs (with vendors), neighbours, gateways, DNS",
    .details =
        "Without options: every interface, up or down, with its index, state, flags, MTU, MAC\n"
        "(and vendor), and each address with its prefix length, broadcast and scope.\n"
        "IFNAMEs limit the list (or, with -n, the neighbours) to those interfaces.",
    .habits = habits,
};
