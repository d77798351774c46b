/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.h - TCP connect scan of a set of addresses on the event loop: up to `concurrency`
 * non-blocking connects in flight, a per-port timeout, self-connections detected and retried.
 * Nothing here prints: progress goes to a caller's callback. */
#ifndef NK_SCAN_H
#define NK_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/net.h"
#include "ports/portspec.h"

/* What became of one port, and why (nmap's REASON). */
enum scan_state {
    SCAN_UNTRIED = 0,  /* not scanned (the scan was interrupted) */
    SCAN_OPEN,         /* open: the connect succeeded (syn-ack) */
    SCAN_REFUSED,      /* closed: the host answered with a reset */
    SCAN_PORT_UNREACH, /* closed: ICMP port unreachable */
    SCAN_TIMEOUT,      /* filtered: no answer within the timeout */
    SCAN_HOST_UNREACH, /* filtered: ICMP host unreachable (or no ARP/ND answer) */
    SCAN_NET_UNREACH,  /* filtered: ICMP network unreachable, no route, a blackhole route */
    SCAN_PROHIBITED,   /* filtered: ICMP administratively prohibited, a prohibit route */
    SCAN_REPLY,        /* UDP open: a reply came back */
    SCAN_NO_REPLY,     /* UDP open|filtered: silence, after every try */
    SCAN_NSTATES
};

/* The three verdicts. */
enum scan_verdict {
    SCAN_V_NONE,
    SCAN_V_OPEN,
    SCAN_V_CLOSED,
    SCAN_V_FILTERED,
    SCAN_V_OPEN_FILTERED, /* UDP silence: counted with the filtered ports */
};

/* Counts, kept as the scan runs (for the whole scan, and for each address). */
struct scan_stats {
    size_t total;            /* ports to scan (all addresses) */
    size_t done;             /* ports with a result */
    size_t open;             /* verdict open */
    size_t closed;           /* verdict closed */
    size_t filtered;         /* verdict filtered */
    size_t by[SCAN_NSTATES]; /* ports by state (reason) */
    size_t self;             /* self-connections seen and discarded (each port retried) */
    uint64_t elapsed_ms;     /* wall time so far */
};

/* Called about every 100 ms while the scan runs (by the calling thread). */
typedef void (*scan_progress_fn)(const struct scan_stats *st, void *arg);

/* A scan to run: every port of every address, interleaved (port 1 of each address, then port
 * 2 ...), under one budget of sockets. */
struct scan_req {
    const struct net_addr *addrs; /* targets (their ports are ignored) */
    size_t naddrs;                /* how many (>= 1) */
    const struct portspec *ports; /* which ports */
    int proto;                    /* IPPROTO_TCP (also 0) or IPPROTO_UDP */
    int timeout_ms;               /* per-port connect timeout */
    int concurrency;              /* connects in flight at most (clamped to the fd limit) */
    scan_progress_fn progress;    /* NULL for none */
    void *progress_arg;           /* passed to progress */
};

/* A scan's results. */
struct scan_result {
    size_t naddrs, nports;   /* as asked */
    int *ports;              /* the ports in ascending order (nports) */
    uint8_t *state;          /* enum scan_state of port index k of address i: [i * nports + k] */
    struct scan_stats *host; /* counts for each address (naddrs) */
    struct scan_stats stats; /* the counts at the end, for the whole scan */
    bool interrupted;        /* stopped early by an interrupt (lib/sig.h: Ctrl-C) */
    int concurrency;         /* the concurrency actually used */
    int threads;             /* threads (one event loop each) that ran it */
};

/* The UDP probe for a port: a request its service answers (DNS, NTP, SNMP, echo ...), or an
 * empty datagram. Returns its length; *data points to static bytes. */
size_t scan_udp_payload(int port, const uint8_t **data);

/* The slowest pacing of UDP probes to one host (ms): Linux sends at most one ICMP error per
 * second to a peer after a burst of six (net.ipv4.icmp_ratelimit, 1000 ms by default). */
#define SCAN_UDP_INTERVAL_MS 1000

/* Run the scan. 0 when it ran (even interrupted: loop_interrupt_all stops it, and the ports not
 * yet tried stay SCAN_UNTRIED), -1 with the reason when it could not (no event loop, no
 * descriptors, no local ports). */
int scan_run(const struct scan_req *req, struct scan_result *res, char err[NK_ERRLEN]);

/* The state of port of address i (SCAN_UNTRIED for a port not in the scan). */
enum scan_state scan_state_of(const struct scan_result *res, size_t i, int port);

/* Free what scan_run allocated in res (safe on a zeroed or failed result). */
void scan_result_free(struct scan_result *res);

/* The verdict of a state: open, closed or filtered. */
enum scan_verdict scan_verdict(enum scan_state s);
/* "open", "closed", "filtered", "open|filtered" ("" for none). */
const char *scan_verdict_name(enum scan_verdict v);
/* The REASON word: "syn-ack", "refused", "port-unreachable", "timeout", "host-unreachable",
 * "net-unreachable", "admin-prohibited", "reply", "no-reply" ("untried" for none). */
const char *scan_reason_name(enum scan_state s);

#endif
