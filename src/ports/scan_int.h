/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scan_int.h - what the connect scanner (scan.c) and its UDP part (scan_udp.c) share. Not for
 * other modules: they use ports/scan.h. */
#ifndef NETKIT_SCAN_INT_H
#define NETKIT_SCAN_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/loop.h"
#include "ports/scan.h"

struct scanner;

/* One probe in flight. */
struct probe {
    struct loop_io io;       /* the socket being connected (fd -1 when idle) */
    struct loop_timer timer; /* its per-port timeout */
    struct scanner *sc;      /* back pointer */
    int port;                /* port being tried, -1 when idle */
    size_t host;             /* index of its address */
    size_t pidx;             /* index of its port */
    int family;              /* the socket's family (a kept socket must match the next host) */
    bool waiting;            /* UDP: the timer is the paced time of its next probe */
    int tries;               /* attempts at this port (self-connections, UDP silence) */
    int cfd;                 /* UDP: the canary's socket beside a retry, -1 for none */
    uint64_t sent_ms;        /* UDP: when the probe went out */
};

/* UDP: what one host has shown of its ICMP rate limit (one thread runs a UDP scan). */
struct udp_host {
    uint64_t tat;      /* the pacing clock: when its next probe may go (ms) */
    uint64_t first_ms; /* its first probe */
    int gap_ms;        /* the pacing interval now */
    int canary;        /* a port that answered port-unreachable, -1 while none has */
    int rtt_ms;        /* the slowest ICMP or reply seen, -1 while none */
    int icmp;          /* ICMP errors received */
};

/* What the threads of one scan share. */
struct shared {
    const struct scan_req *req; /* what to do */
    struct scan_result *res;    /* res->state: each port written by the one thread that took it */
    size_t nwork;               /* (address, port) pairs */
    size_t next;                /* index of the next pair to hand out (atomic) */
    int stop;                   /* non-zero (atomic): every thread winds down */
    uint64_t start_us;          /* when the scan started */
    struct udp_host *uh;        /* UDP: each host's pacing (one thread runs UDP) */
    struct scanner *threads;    /* every thread's state, for the leader's progress line */
    int nthreads;               /* how many */
};

/* One thread's part of a scan: its loop and slots. */
struct scanner {
    struct shared *sh;       /* the scan */
    struct loop *loop;       /* this thread's event loop */
    struct probe *probes;    /* its slots */
    int nprobes;             /* how many */
    int active;              /* slots with a probe in flight or paced */
    struct loop_timer tick;  /* progress reports (the leader's, when asked for) */
    bool leader;             /* the calling thread: it reports progress */
    bool started;            /* its thread is running (and must be joined) */
    bool interrupted;        /* it stopped on an interrupt (loop_interrupt_all) */
    struct scan_stats stats; /* its counts (atomic: the leader reads them for progress) */
    int fatal;               /* errno of an error that stops the scan, 0 if none */
    const char *fatal_what;  /* which call failed */
    pthread_t tid;           /* its thread */
};

/* scan.c */
enum scan_state scan_classify(int e);
enum scan_state scan_icmp_reason(int fd, enum scan_state st);
void scan_record(struct scanner *sc, const struct probe *p, enum scan_state st);
void scan_set_fatal(struct scanner *sc, int e, const char *what);
bool scan_next_port(struct scanner *sc, struct probe *p);
void scan_probe_close(struct scanner *sc, struct probe *p, bool watched, bool established);
void scan_finish_if_done(struct scanner *sc);

/* scan_udp.c */
void scan_udp_init(struct udp_host *h, size_t n);
void scan_udp_fill(struct scanner *sc, struct probe *p);
void scan_udp_on_io(struct scanner *sc, struct probe *p);
void scan_udp_on_timeout(struct scanner *sc, struct probe *p);

#endif
