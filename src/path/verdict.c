/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verdict.c - the first step that failed decides: the name, the route, the next hop, then what
 * the connect (or, without a port, the path) said. */
#include <stdio.h>

#include "path/verdict.h"

const char *verdict_name(enum verdict v)
{
    static const char *const names[] = {
        [V_REACHABLE] = "reachable",     [V_NO_NAME] = "no-name",
        [V_DNS_ERROR] = "dns-error",     [V_NO_ROUTE] = "no-route",
        [V_NO_NEIGHBOR] = "no-neighbor", [V_REFUSED] = "refused",
        [V_UNREACHABLE] = "unreachable", [V_TIMEOUT] = "timeout",
        [V_CLOSED] = "closed",           [V_OPEN_FILTERED] = "open|filtered",
    };
    return names[v];
}

/* "10.3.0.2:80" or "[fd00::2]:80" for the destination with its port. */
static const char *endpoint(const struct verdict_facts *f, char *buf, size_t len)
{
    bool v6 = f->address && f->ipv6;
    snprintf(buf, len, "%s%s%s:%d%s", v6 ? "[" : "", f->address ? f->address : f->host,
             v6 ? "]" : "", f->port, f->udp ? "/udp" : "");
    return buf;
}

/* Where the silence starts, from the hops that answered. */
static void silence(const struct verdict_facts *f, char *buf, size_t len)
{
    double s = f->timeout_ms / 1000.0;
    const struct path_result *p = f->path;
    if (!p || p->nhops == 0)
        snprintf(buf, len, "no answer in %.1f s", s);
    else if (p->last_answer == 0)
        snprintf(buf, len, "no answer in %.1f s; no hop on the path answers", s);
    else if (p->reached)
        snprintf(buf, len, "no answer in %.1f s from the port, though %s answers the probes", s,
                 f->address);
    else
        snprintf(buf, len,
                 "no answer in %.1f s; the path answers up to hop %d (%s), then nothing: the "
                 "packets are dropped at or after hop %d",
                 s, p->last_answer, f->last_hop ? f->last_hop : "?", p->last_answer + 1);
}

enum verdict verdict_decide(const struct verdict_facts *f, char *buf, size_t len)
{
    char ep[128];
    if (f->name_failed) {
        snprintf(buf, len, "%s: %s", f->host, f->name_error ? f->name_error : "no address");
        return f->nxdomain ? V_NO_NAME : V_DNS_ERROR;
    }
    if (f->no_route) {
        if (f->route_type)
            snprintf(buf, len, "no route to %s (a %s route)", f->address, f->route_type);
        else
            snprintf(buf, len, "no route to %s", f->address);
        return V_NO_ROUTE;
    }
    bool failed = f->port ? f->conn != PATH_C_OPEN : !(f->path && f->path->reached);
    if (failed && f->neigh_failed) {
        const char *proto = f->ipv6 ? "NDP" : "ARP";
        if (f->next_hop)
            snprintf(buf, len, "the gateway %s does not answer %s", f->next_hop, proto);
        else
            snprintf(buf, len, "%s does not answer %s", f->address, proto);
        return V_NO_NEIGHBOR;
    }
    if (!f->port) {
        const struct path_result *p = f->path;
        if (p && p->reached) {
            snprintf(buf, len, "%s answers at hop %d", f->address, p->nhops);
            return V_REACHABLE;
        }
        const struct path_hop *end = p && p->nhops ? &p->hops[p->nhops - 1] : NULL;
        if (end && end->answered && end->icmp.has &&
            path_icmp_classify(end->icmp.family, end->icmp.type, end->icmp.code) != PATH_ICMP_TTL) {
            snprintf(buf, len, "%s rejects it (%s)", f->last_hop ? f->last_hop : "a router",
                     f->icmp_text ? f->icmp_text : "unreachable");
            return V_UNREACHABLE;
        }
        silence(f, buf, len);
        return V_TIMEOUT;
    }
    switch (f->conn) {
    case PATH_C_OPEN:
        snprintf(buf, len, "%s is %s", endpoint(f, ep, sizeof(ep)),
                 f->udp ? "open (it answered)" : "open");
        return V_REACHABLE;
    case PATH_C_REFUSED:
        snprintf(buf, len, "nothing listens on %s (refused)", endpoint(f, ep, sizeof(ep)));
        return V_REFUSED;
    case PATH_C_CLOSED:
        snprintf(buf, len, "nothing listens on %s (port unreachable)", endpoint(f, ep, sizeof(ep)));
        return V_CLOSED;
    case PATH_C_OPENFILTERED:
        snprintf(buf, len, "no answer from %s in %.1f s: open, or filtered on the way",
                 endpoint(f, ep, sizeof(ep)), f->timeout_ms / 1000.0);
        return V_OPEN_FILTERED;
    case PATH_C_UNREACHABLE:
        if (f->icmp_from)
            snprintf(buf, len, "%s rejects it (%s)", f->icmp_from,
                     f->icmp_text ? f->icmp_text : "unreachable");
        else
            snprintf(buf, len, "%s is unreachable (%s)", endpoint(f, ep, sizeof(ep)),
                     f->conn_err ? f->conn_err : "no reason given");
        return V_UNREACHABLE;
    default: silence(f, buf, len); return V_TIMEOUT;
    }
}
