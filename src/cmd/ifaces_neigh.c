/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces_neigh.c - `netkit ifaces -n`: the neighbour table (ARP / NDP), as `ip neigh` has it,
 * with each MAC's vendor. JSON uses the field names of `ip -j neigh`. */
#include <linux/neighbour.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/out.h"
#include "cmd/ifaces.h"
#include "link/links.h"
#include "link/oui.h"

static const struct out_cols neigh_cols = {
    .n = 5,
    .col = {{.title = "ADDRESS", .gap = "  "},
            {.title = "MAC", .min = 17, .gap = "  "},
            {.title = "INTERFACE", .gap = "  "},
            {.title = "STATE", .min = 10, .gap = "  "},
            {.title = "VENDOR"}},
};

static bool neigh_wanted(const struct ifaces_req *r, const struct ifaces_view *v,
                         const struct nk_neigh *n)
{
    if (!nk_neigh_shown(n) || !n->has_dst)
        return false;
    if (r->family != AF_UNSPEC && n->family != r->family)
        return false;
    if (v->nshow == 0 && r->nnames == 0)
        return true;
    for (size_t i = 0; i < v->nshow; i++)
        if (v->show[i]->ifindex == n->ifindex)
            return true;
    return false;
}

int ifaces_neighs(struct out *o, const struct ifaces_req *r, struct ifaces_view *v)
{
    char b[INET6_ADDRSTRLEN], mac[3 * NK_HWADDR_MAX + 1], idx[16];
    if (r->nnames == 0)
        v->nshow = 0; /* no interface filter */
    for (size_t i = 0; i < v->t.nneighs; i++)
        if (neigh_wanted(r, v, &v->t.neighs[i]))
            ifaces_oui_slot(v, v->t.neighs[i].lladdr, v->t.neighs[i].lladdr_len, true);
    bool vendors = oui_lookup(NULL, v->ouis, v->nouis) > 0;
    out_table_begin(o);
    out_titles(o, &neigh_cols, vendors ? 5 : 4, OUT_C_DIM);
    out_arr_begin(o, NULL);
    for (size_t i = 0; i < v->t.nneighs; i++) {
        const struct nk_neigh *n = &v->t.neighs[i];
        if (!neigh_wanted(r, v, n))
            continue;
        out_obj_begin(o, NULL);
        out_row(o, &neigh_cols);
        nk_ip_str(n->family, n->dst, b, sizeof(b));
        out_str(o, n->family == AF_INET ? OUT_C_INET : OUT_C_INET6, "dst", "%s", b);
        out_cell(o);
        const struct nk_link *lk = nk_table_link(&v->t, n->ifindex);
        snprintf(idx, sizeof(idx), "if%d", n->ifindex);
        const char *dev = lk ? lk->ifname : idx;
        out_str(o, OUT_C_NAME, "dev", NULL, dev);
        if (n->lladdr_len) {
            nk_hwaddr_str(n->lladdr, n->lladdr_len, lk ? lk->type : 1, mac, sizeof(mac));
            out_str(o, OUT_C_MAC, "lladdr", "%s", mac);
        } else {
            out_ctext(o, OUT_C_DIM, "-");
        }
        out_cell(o);
        out_ctext(o, OUT_C_NAME, "%s", dev);
        out_cell(o);
        if (n->flags & NTF_ROUTER)
            out_null(o, "router");
        if (n->flags & NTF_PROXY)
            out_null(o, "proxy");
        struct ifaces_names st = {.o = o, .sep = " "};
        if (n->state) {
            out_arr_begin(o, "state");
            nk_neigh_states(n->state, ifaces_add_name, &st);
            out_arr_end(o);
        }
        const char *vendor = ifaces_vendor(v, n->lladdr, n->lladdr_len);
        enum out_color sc = (n->state & NUD_REACHABLE)                   ? OUT_C_GOOD
                            : (n->state & (NUD_FAILED | NUD_INCOMPLETE)) ? OUT_C_BAD
                                                                         : OUT_C_NONE;
        out_ctext(o, sc, "%s", st.buf);
        out_cell(o);
        if (n->flags & NTF_ROUTER)
            out_text(o, "router ");
        if (vendor)
            out_str(o, OUT_C_DIM, "vendor", "%s", vendor);
        out_row_end(o);
        out_obj_end(o);
    }
    out_arr_end(o);
    out_table_end(o);
    return NK_OK;
}
