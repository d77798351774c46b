/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ifaces_host.c - `netkit ifaces -H`: the host name, the default gateways (from the route
 * dump), and the DNS servers and search domains of resolv.conf (link/hostinfo.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/msg.h"
#include "cli/out.h"
#include "cmd/ifaces.h"
#include "link/hostinfo.h"
#include "link/links.h"

static const char CMD[] = "ifaces";

/* One "Label   value" line of the host view, the label padded. */
static void host_label(struct out *o, const char *label)
{
    out_ctext(o, OUT_C_DIM, "%-16s", label);
}

int ifaces_host(struct out *o, const struct ifaces_req *r, struct ifaces_view *v)
{
    char err[NK_ERRLEN], host[256], b[INET6_ADDRSTRLEN];
    struct nk_resolv res;
    if (nk_hostname(host, sizeof(host), err) < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    if (nk_resolv_read(NULL, &res, err) < 0) {
        nk_err(CMD, "%s", err);
        return NK_FAIL;
    }
    struct nk_gateway gw[32];
    size_t ngw = nk_gateways(&v->t, gw, sizeof(gw) / sizeof(gw[0]));

    out_obj_begin(o, NULL);
    host_label(o, "Host name");
    out_str(o, OUT_C_NAME, "hostname", "%s\n", host);
    out_arr_begin(o, "gateways");
    size_t shown = 0;
    for (size_t i = 0; i < ngw; i++) {
        if (r->family != AF_UNSPEC && gw[i].family != r->family)
            continue;
        const struct nk_link *l = nk_table_link(&v->t, gw[i].oif);
        host_label(o, gw[i].family == AF_INET ? "IPv4 gateway" : "IPv6 gateway");
        out_obj_begin(o, NULL);
        out_str(o, OUT_C_NONE, "family", NULL, nk_family_name(gw[i].family));
        out_str(o, gw[i].family == AF_INET ? OUT_C_INET : OUT_C_INET6, "gateway", "%s",
                nk_ip_str(gw[i].family, gw[i].addr, b, sizeof(b)));
        if (l)
            out_str(o, OUT_C_NAME, "dev", "  dev %s", l->ifname);
        if (gw[i].metric)
            out_u64(o, "metric", "  metric %llu", gw[i].metric);
        out_text(o, "\n");
        out_obj_end(o);
        shown++;
    }
    out_arr_end(o);
    if (!shown) {
        host_label(o, "Gateway");
        out_ctext(o, OUT_C_DIM, "(none)\n");
    }
    out_obj_begin(o, "dns");
    out_arr_begin(o, "servers");
    host_label(o, "DNS servers");
    shown = 0;
    for (int i = 0; i < res.nservers; i++) {
        bool v6 = strchr(res.servers[i], ':') != NULL;
        if ((r->family == AF_INET && v6) || (r->family == AF_INET6 && !v6))
            continue;
        if (shown++)
            host_label(o, "");
        out_str(o, v6 ? OUT_C_INET6 : OUT_C_INET, NULL, "%s\n", res.servers[i]);
    }
    if (!shown)
        out_ctext(o, OUT_C_DIM, "(none)\n");
    out_arr_end(o);
    out_arr_begin(o, "search");
    host_label(o, "Search domains");
    for (int i = 0; i < res.nsearch; i++)
        out_str(o, OUT_C_NONE, NULL, i ? " %s" : "%s", res.search[i]);
    out_text(o, res.nsearch ? "\n" : "");
    if (!res.nsearch)
        out_ctext(o, OUT_C_DIM, "(none)\n");
    out_arr_end(o);
    out_obj_end(o);
    out_obj_end(o);
    return NK_OK;
}
