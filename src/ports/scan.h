/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan.h - TCP connect scan of one address on the event loop: up to `concurrency` non-blocking
 * connects in flight, a per-port timeout, self-connections detected and retried. Nothing here
 * prints: progress goes to a caller's callback. */
#ifndef NK_SCAN_H
#define NK_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/net.h"
#include "ports/portspec.h"

/* What became of one port. */
enum scan_state {
    SCAN_UNTRIED = 0, /* not scanned (not in the list, or the scan was interrupted) */
    SCAN_OPEN,        /* connect succeeded */
    SCAN_REFUSED,     /* closed: the host answered with a reset */
    SCAN_TIMEOUT,     /* filtered: no answer within the timeout */
    SCAN_UNREACH,     /* filtered: unreachable (ICMP error, blackhole or prohibiting route) */
};

/* Counts, kept as the scan runs. */
struct scan_stats {
    size_t total;        /* ports to scan */
    size_t done;         /* ports with a result */
    size_t open;         /* SCAN_OPEN */
    size_t refused;      /* SCAN_REFUSED */
    size_t timeout;      /* SCAN_TIMEOUT */
    size_t unreach;      /* SCAN_UNREACH */
    size_t self;         /* self-connections seen and discarded (each port retried) */
    uint64_t elapsed_ms; /* wall time so far */
};

/* Called about every 100 ms while the scan runs (by the calling thread). */
typedef void (*scan_progress_fn)(const struct scan_stats *st, void *arg);

/* A scan to run. */
struct scan_req {
    struct net_addr addr;         /* target (its port is ignored) */
    const struct portspec *ports; /* which ports */
    int timeout_ms;               /* per-port connect timeout */
    int concurrency;              /* connects in flight at most (clamped to the fd limit) */
    scan_progress_fn progress;    /* NULL for none */
    void *progress_arg;           /* passed to progress */
};

/* A scan's results. */
struct scan_result {
    uint8_t state[65536];    /* enum scan_state for each port */
    struct scan_stats stats; /* the counts at the end */
    bool interrupted;        /* stopped early by an interrupt (lib/sig.h: Ctrl-C) */
    int concurrency;         /* the concurrency actually used */
    int threads;             /* threads (one event loop each) that ran it */
};

/* Run the scan. 0 when it ran (even interrupted: loop_interrupt_all stops it, and the ports not
 * yet tried stay SCAN_UNTRIED), -1 with the reason when it could not (no event loop, no
 * descriptors, no local ports). */
int scan_run(const struct scan_req *req, struct scan_result *res, char err[NK_ERRLEN]);

/* The reason word of a state: "open", "refused", "timeout", "unreachable". */
const char *scan_state_name(enum scan_state s);

#endif
