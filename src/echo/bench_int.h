/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench_int.h - what the load generator (bench.c) and its UDP mode (bench_udp.c) share. Not for
 * other modules: they use echo/bench.h. */
#ifndef NETKIT_BENCH_INT_H
#define NETKIT_BENCH_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "echo/bench.h"
#include "lib/loop.h"

/* Bytes read per recv. */
#define RX_BUF (64 * 1024)

enum conn_state {
    C_IDLE,       /* not opened yet */
    C_CONNECTING, /* connect in progress */
    C_OPEN,       /* exchanging messages */
    C_DONE,       /* closed (finished or failed) */
};

struct worker;

/* A message in flight. */
struct slot {
    uint64_t sent_ns; /* when it was queued (open loop: when it was due) */
    uint32_t off;     /* its bytes: pool[off, off + size) */
    uint32_t seq;     /* UDP: its sequence number; 0 when the slot is free */
};

/* One connection. */
struct conn {
    struct loop_io io;       /* its socket in the worker's loop */
    struct worker *w;        /* owner */
    struct slot *q;          /* in-flight messages: a ring of pipeline entries */
    unsigned q_head, q_len;  /* the ring's oldest entry and length */
    size_t rx_pos;           /* bytes of the oldest message already verified */
    const unsigned char *tx; /* queued bytes the socket has not taken yet (in the pool) */
    size_t tx_left;          /* how many */
    uint64_t since_ms;       /* connect start, or last progress while messages are in flight */
    uint64_t quota;          /* messages it may still start (UINT64_MAX with a duration) */
    enum conn_state state;   /* where it is */
    uint64_t next_due;       /* open loop: when its next message is due (ns) */
    uint32_t next_seq;       /* UDP: the next datagram's sequence number */
};

/* One thread's share of the work. */
struct worker {
    struct bench *b;            /* the run */
    const struct bench_opts *o; /* settings */
    pthread_t th;               /* the thread */
    struct loop *loop;          /* its event loop */
    struct conn *conns;         /* its connections */
    unsigned nconns;            /* how many */
    unsigned opened;            /* connections started so far (conns[0, opened)) */
    unsigned live;              /* connections started and not yet done */
    double rate;                /* connections to open per millisecond */
    uint64_t start_ms;          /* when it started (loop clock) */
    unsigned char *pool;        /* random payload bytes */
    size_t pool_size;           /* their count */
    unsigned batch_max;         /* messages that fit in the pool side by side */
    struct slot *slots;         /* every connection's ring, pipeline entries each */
    unsigned char *rx;          /* receive buffer */
    uint64_t rng;               /* xorshift state for payload offsets */
    bool sending_done;          /* no new message: count reached, duration over, or stopped */
    struct loop_timer open_tm;  /* opens connections at the rate */
    struct loop_timer watch_tm; /* watchdog */
    struct loop_timer end_tm;   /* end of --duration */
    struct hist *hist;          /* round-trip times in ns */
    struct loop_timer sched_tm; /* open loop: sends what is due */
    uint64_t interval_ns;       /* open loop: between one connection's messages */
    uint64_t sched_start_ns;    /* open loop: the first message's due time */
    uint64_t behind_max_ns;     /* open loop: furthest behind schedule */
    uint64_t late;              /* open loop: messages sent over 1 ms late */
    uint64_t lost;              /* UDP: datagrams never echoed */
    uint64_t messages;          /* verified messages */
    uint64_t bytes;             /* their payload bytes */
    uint64_t established;       /* connections that connected */
    uint64_t err_by_kind[BENCH_E_KINDS]; /* errors per kind */
    uint64_t pub_messages;       /* published copies for the progress line (atomic access) */
    uint64_t pub_errors;         /* ... */
    unsigned pub_connected;      /* ... */
    unsigned connected;          /* connections open now */
    char first_error[NK_ERRLEN]; /* first error's text */
    uint64_t first_error_ns;     /* and when */
    uint64_t end_ns;             /* when its last connection finished */
};

struct bench {
    struct bench_opts o; /* settings (copied) */
    struct worker *w;    /* the workers */
    unsigned nw;         /* how many */
    unsigned started;    /* threads started (for joining) */
    int interrupted;     /* a worker's loop ended on an interrupt (atomic access) */
    uint64_t start_ns;   /* when bench_start began */
    pthread_mutex_t mu;  /* guards running */
    pthread_cond_t cv;   /* signalled when a worker ends */
    unsigned running;    /* workers still running */
};

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Open loop: how many messages are due by t (at most max), and their first due time. Counts
 * how far behind schedule they are sent. */
static inline unsigned due_now(struct conn *c, uint64_t t, unsigned max, uint64_t *first)
{
    struct worker *w = c->w;
    if (c->next_due > t || max == 0)
        return 0;
    uint64_t n = (t - c->next_due) / w->interval_ns + 1;
    if (n > max)
        n = max;
    *first = c->next_due;
    for (uint64_t j = 0; j < n; j++) {
        uint64_t lag = t - (c->next_due + j * w->interval_ns);
        if (lag > w->behind_max_ns)
            w->behind_max_ns = lag;
        if (lag > 1000000u)
            w->late++;
    }
    c->next_due += n * w->interval_ns;
    return (unsigned)n;
}

/* bench.c: a connection that connected, its end, and its failures. */
void bench_conn_opened(struct conn *c);
void bench_conn_close(struct conn *c);
void bench_conn_fail(struct conn *c, enum bench_err kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum bench_err bench_errno_kind(int e);
void bench_sock_fail(struct conn *c, int e, const char *what);

/* bench_udp.c: a connection of a UDP run. */
void bench_udp_open(struct worker *w, struct conn *c);
void bench_udp_fill(struct conn *c, uint64_t t);
void bench_udp_expire(struct conn *c, uint64_t now);

#endif
