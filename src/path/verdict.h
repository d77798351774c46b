/* SPDX-License-Identifier: GPL-3.0-or-later */
/* verdict.h - where a trace breaks, in plain words: the facts each step found go in, the
 * verdict (a word from netkit-trace(1)'s list) and one sentence come out. Pure, so the wording
 * of every case is unit-tested without a network. */
#ifndef NK_VERDICT_H
#define NK_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include "path/path.h"

/* The verdicts, in the order of verdict_name. */
enum verdict {
    V_REACHABLE,
    V_NO_NAME,
    V_DNS_ERROR,
    V_NO_ROUTE,
    V_NO_NEIGHBOR,
    V_REFUSED,
    V_UNREACHABLE,
    V_TIMEOUT,
    V_CLOSED,
    V_OPEN_FILTERED,
};

/* What the steps found (strings are printable addresses, NULL when unknown). */
struct verdict_facts {
    const char *host; /* HOST as given */
    int port;         /* the port, 0 when none was given */
    bool udp;         /* -u */
    int timeout_ms;   /* --timeout */
    /* name */
    bool name_failed;       /* the lookup found no address */
    bool nxdomain;          /* ... because the name does not exist (NXDOMAIN or NODATA) */
    const char *name_error; /* the lookup's own words ("no answer in time (TIMEOUT)") */
    /* route */
    const char *address;    /* the address traced */
    bool no_route;          /* the kernel has no usable route */
    const char *route_type; /* the refusing route's type ("blackhole" ...), NULL: none at all */
    /* next hop */
    const char *next_hop; /* the gateway, or NULL when the destination is on-link */
    bool neigh_failed;    /* the next hop's neighbour entry is FAILED or INCOMPLETE */
    bool ipv6;            /* NDP rather than ARP */
    /* path */
    const struct path_result *path; /* the probes (nhops 0 when none ran) */
    const char *last_hop;           /* the last hop that answered, or NULL */
    /* connect */
    enum path_conn_state conn; /* PATH_C_NONE without a port */
    const char *icmp_from;     /* who sent the ICMP error that ended it, or NULL */
    const char *icmp_text;     /* its words ("administratively prohibited"), or NULL */
    const char *conn_err;      /* the connect's errno in words, when no ICMP came */
};

/* "reachable", "no-name", ... "open|filtered". */
const char *verdict_name(enum verdict v);

/* Decide and word it: the verdict, and the reason in buf (one sentence, no full stop). */
enum verdict verdict_decide(const struct verdict_facts *f, char *buf, size_t len);

#endif
