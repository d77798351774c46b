/* SPDX-License-Identifier: GPL-3.0-or-later */
/* path.h - hop probes, the connect test and path MTU discovery towards one address and port,
 * without raw sockets or privileges (as tracepath): ordinary TCP or UDP sockets with a limited
 * TTL (hop limit), every TTL in flight at once, the routers' ICMP errors read from each socket's
 * error queue (IP_RECVERR / IPV6_RECVERR), and don't-fragment UDP datagrams for the path MTU
 * (IP_PMTUDISC_DO, IP_MTU). Everything runs on one lib/loop.h loop under one deadline. Nothing
 * here prints. */
#ifndef NK_PATH_H
#define NK_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/net.h"
#include "lib/nk.h"

/* Most hops probed (--max-hops' upper bound). */
#define PATH_MAX_HOPS 64
/* Most connects of one run (-c's upper bound). */
#define PATH_MAX_COUNT 1000

/* What an ICMP error (or its absence) means to a probe. */
enum path_icmp_kind {
    PATH_ICMP_NONE,    /* no ICMP: a local error, or nothing */
    PATH_ICMP_TTL,     /* time exceeded in transit: a router on the way */
    PATH_ICMP_PORT,    /* port unreachable: the destination, nothing listens (UDP) */
    PATH_ICMP_FRAG,    /* fragmentation needed / packet too big: an MTU on the way */
    PATH_ICMP_UNREACH, /* any other destination unreachable (host, net, prohibited ...) */
    PATH_ICMP_OTHER,   /* anything else */
};

/* One ICMP error as the error queue carried it. */
struct path_icmp {
    bool has;             /* an ICMP error arrived */
    int family;           /* AF_INET (ICMP) or AF_INET6 (ICMPv6) */
    int type, code;       /* its type and code */
    uint32_t info;        /* ee_info: the next-hop MTU of a "fragmentation needed" */
    struct net_addr from; /* the router (or host) that sent it */
};

/* Classify type/code of family (AF_INET: ICMP, AF_INET6: ICMPv6). Pure. */
enum path_icmp_kind path_icmp_classify(int family, int type, int code);
/* The words of an ICMP type/code: "time exceeded", "administratively prohibited",
 * "host unreachable", "port unreachable", "fragmentation needed" ... ("ICMP type T code C" in
 * buf for the rest). Pure. */
const char *path_icmp_text(int family, int type, int code, char *buf, size_t len);

/* One hop of the path. */
struct path_hop {
    int ttl;               /* its TTL / hop limit, 1-based */
    bool answered;         /* a reply came: from, rtt_ms are set; false: a silent hop */
    struct net_addr from;  /* who answered (port 0) */
    double rtt_ms;         /* from send to the reply */
    struct path_icmp icmp; /* the ICMP error it sent (none when the destination answered) */
    uint32_t mtu;          /* the MTU this router reported (fragmentation needed), 0 if none */
    bool dest;             /* it is the destination itself (a TCP answer or a port unreachable) */
};

/* How a connect test ended. */
enum path_conn_state {
    PATH_C_NONE,         /* did not run */
    PATH_C_OPEN,         /* TCP: handshake done; UDP: a reply came */
    PATH_C_REFUSED,      /* TCP: reset */
    PATH_C_UNREACHABLE,  /* an ICMP unreachable (or a local one: the next hop did not answer) */
    PATH_C_TIMEOUT,      /* TCP: nothing in time */
    PATH_C_CLOSED,       /* UDP: port unreachable */
    PATH_C_OPENFILTERED, /* UDP: nothing came back */
};

/* "open", "refused", ... as the JSON carries them; NULL for PATH_C_NONE. */
const char *path_conn_name(enum path_conn_state s);

/* The first (or only) connect, and -c's statistics. */
struct path_conn {
    enum path_conn_state state;       /* how the first connect that counts ended (see below) */
    double rtt_ms;                    /* handshake (or reply) time of that connect */
    struct net_addr local;            /* our end of the socket pair */
    struct net_addr peer;             /* the other end */
    int err;                          /* the connect's errno, 0 when open */
    struct path_icmp icmp;            /* the ICMP error that ended it, if one did */
    int count;                        /* connects made */
    int lost;                         /* of them, not open */
    double rtt_min, rtt_avg, rtt_max; /* over the open ones */
};

/* What to do. */
struct path_req {
    struct net_addr dst; /* the destination with its port (0: no port) */
    bool udp;            /* UDP probes and test instead of TCP */
    bool probes;         /* run the hop probes (and the path MTU) */
    bool connect;        /* run the connect test (needs a port) */
    int count;           /* connects to make (>= 1) */
    int max_hops;        /* TTLs 1..max_hops */
    int timeout_ms;      /* per probe and per connect */
};

/* What came back. */
struct path_result {
    struct path_hop hops[PATH_MAX_HOPS]; /* hops[i] is TTL i+1 */
    int nhops;                           /* hops shown: up to the destination, else max_hops */
    bool reached;                        /* the destination answered a probe (hops[nhops-1]) */
    int last_answer;                     /* TTL of the last hop that answered, 0 if none */
    uint32_t pmtu;                       /* the path MTU found, 0 if not measured */
    struct path_conn conn;               /* the connect test */
    bool interrupted;                    /* Ctrl-C ended it early */
};

/* Run the probes and the connect test of req (both at once when both are asked for) and fill
 * *res. 0, or -1 with "WHAT: WHY" in err (sockets or the loop failed). */
int path_run(const struct path_req *req, struct path_result *res, char err[NK_ERRLEN]);

#endif
