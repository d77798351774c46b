/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace.h - inside `netkit trace`: the request and what each step found, passed from the steps
 * (trace.c) to the report (trace_print.c). */
#ifndef NK_TRACE_H
#define NK_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/neighbour.h>

#include "cli/out.h"
#include "dns/dns.h"
#include "lib/net.h"
#include "lib/nk.h"
#include "link/links.h"
#include "link/routeget.h"
#include "path/path.h"

/* What to trace. */
struct trace_req {
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
    bool live;           /* a live line while probes are out (text; progress.h: a terminal) */
};

/* The name step. */
struct trace_name {
    bool literal;           /* HOST was an address */
    int rc;                 /* hostaddr's status: 0, -1 failed */
    char err[NK_ERRLEN];    /* why it failed */
    struct dns_result res;  /* the lookup (records, server, time) */
    struct net_addr *addrs; /* the addresses, the order they are tried in */
    size_t n;               /* how many */
};

/* The route, neighbour, path and connect steps of one address. */
struct trace_steps {
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
    struct nk_neigh after;        /* it now (a copy of before when that was usable and the
                                     packets were answered: no second look) */
    double nb_ms;                 /* the neighbour lookups' time */
    bool path_ran;                /* the probes ran */
    struct path_result path;      /* probes and connect */
};

/* An entry the kernel sends with (or is confirming): anything but none, INCOMPLETE, FAILED. */
static inline bool trace_neigh_usable(const struct nk_neigh *n)
{
    return n->state &
           (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT | NUD_NOARP);
}

/* The report when the name found nothing: the name step, every later step null, and the
 * verdict. The exit status (NK_FAIL). */
int trace_print_noname(struct out *o, const struct trace_req *r, struct trace_name *ns);
/* The report of one address: every step, then the verdict. NK_OK when it is reachable. */
int trace_print_addr(struct out *o, const struct trace_req *r, struct trace_name *ns,
                     struct trace_steps *s);

#endif
