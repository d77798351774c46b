/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench.h - echo-connect --bench: a load generator that verifies every echo.
 *
 * One loop.h epoll loop per thread; each thread opens its share of the connections at a
 * controlled rate, keeps `pipeline` messages in flight on each, checks every echoed byte against
 * the random payload it sent, and records each round trip in its own histogram (merged at the
 * end). Nothing here prints: the caller polls bench_progress() for a live line and reads the
 * result. */
#ifndef NK_BENCH_H
#define NK_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/hist.h"
#include "lib/net.h"
#include "lib/nk.h"

/* Bounds on the bytes in flight (pipeline x size): per connection, and over all of them. */
#define BENCH_MAX_INFLIGHT_CONN (16u * 1024 * 1024)
#define BENCH_MAX_INFLIGHT      (UINT64_C(1) << 30)

/* What to run. */
struct bench_opts {
    struct net_addr addr;  /* where to connect (TCP or Unix stream) */
    unsigned connections;  /* connections held open */
    unsigned threads;      /* worker threads (each with its own loop); <= connections */
    unsigned pipeline;     /* messages in flight per connection */
    size_t size;           /* bytes per message */
    uint64_t count;        /* messages in all, or 0 with duration_ms */
    uint64_t duration_ms;  /* how long to send, or 0 with count */
    unsigned connect_rate; /* connections opened per second, over all threads */
    int timeout_ms;        /* connect timeout and longest wait for an echo */
    uint64_t seed;         /* payload randomness (0: from the clock) */
    uint64_t rate;         /* open loop: messages per second in all; 0: closed loop */
    bool udp;              /* UDP: a datagram per message, losses counted (size >= 8) */
};

/* Error kinds, counted separately. */
enum bench_err {
    BENCH_E_MISMATCH, /* an echo differed from the message sent */
    BENCH_E_RESET,    /* the connection was reset (ECONNRESET, EPIPE) */
    BENCH_E_TIMEOUT,  /* no connect or no echo within timeout_ms */
    BENCH_E_REFUSED,  /* the connect was refused */
    BENCH_E_CLOSED,   /* the server closed with messages in flight */
    BENCH_E_OTHER,    /* anything else (connect errors, ...) */
    BENCH_E_KINDS
};

/* Names of the kinds, for output: "mismatch", "reset", ... */
extern const char *const bench_err_names[BENCH_E_KINDS];

/* The outcome. */
struct bench_result {
    uint64_t connections;                /* connections that were established */
    uint64_t messages;                   /* messages whose echo came back identical */
    uint64_t bytes;                      /* payload bytes of those messages (one way) */
    uint64_t errors;                     /* sum of err_by_kind */
    uint64_t err_by_kind[BENCH_E_KINDS]; /* per kind */
    double elapsed_s;                    /* from the first connect to the last echo */
    struct hist *latency;                /* round trips in nanoseconds (malloc'd; bench_free) */
    char first_error[NK_ERRLEN];         /* the first error seen, for the message */
    bool interrupted;                    /* an interrupt (Ctrl-C) stopped the run early */
    /* open loop (rate): latency counts from each message's due time, not its send time */
    double achieved_rate;   /* messages verified per second, from the first due time */
    uint64_t behind_max_us; /* the furthest behind schedule a message was sent */
    uint64_t late;          /* messages sent more than 1 ms after they were due */
    /* UDP */
    uint64_t lost; /* datagrams sent whose echo never came (within timeout_ms) */
};

/* A snapshot for the progress line. */
struct bench_progress {
    uint64_t messages;  /* verified so far */
    uint64_t errors;    /* errors so far */
    unsigned connected; /* connections open now */
};

struct bench;

/* Check the descriptor limit (raising the soft limit to the hard one) and, for TCP, the
 * ephemeral port range against o->connections. 0, or -1 with a plain explanation in err. */
int bench_preflight(const struct bench_opts *o, char err[NK_ERRLEN]);

/* Start the threads. NULL with err on failure. */
struct bench *bench_start(const struct bench_opts *o, char err[NK_ERRLEN]);
/* Wait up to ms (-1: until the end) for the run to end: true once it has (then call
 * bench_finish). An interrupt (lib/sig.h: Ctrl-C) wakes every worker's loop, and the run ends
 * at once with what was measured. */
bool bench_wait(struct bench *b, int ms);
void bench_progress(struct bench *b, struct bench_progress *p);
/* Stop the threads now, from any thread: what is in flight is closed, counted as nothing. */
void bench_stop(struct bench *b);
/* Join the threads, merge their results into *r, free b. */
void bench_finish(struct bench *b, struct bench_result *r);
void bench_result_free(struct bench_result *r);

#endif
