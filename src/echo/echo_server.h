/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_server.h - the RFC 862 echo server behind `netkit echo-serve`.
 *
 * N worker threads, each with its own event loop. Every worker watches the same listening
 * sockets with EPOLLEXCLUSIVE, so one wake-up goes to one worker and a connection then lives on
 * the worker that accepted it. A connection owns no data buffer while idle: reads go through the
 * worker's buffer and only what the peer has not taken yet is kept (at most ES_PEND_MAX bytes;
 * at that bound the connection is not read until it drains).
 *
 *     es_open(&srv, &cfg, err);        // bind and listen (nothing runs yet)
 *     es_listener(srv, i, ...);        // the bound addresses, for the readiness lines
 *     es_start(srv, err);              // start the workers
 *     es_join(srv, &stats);            // until a signal or a failure stops the workers
 *     es_free(srv);
 *
 * A signal caught with lib/sig.h wakes every worker's loop (loop_interrupt_all): each closes its
 * connections at once, with the echo they owe if their sockets take it. es_stop is the gentle
 * stop (used when one worker fails, and by es_free): no more accepting, pending echoes get a
 * grace period to drain.
 *
 * Nothing here prints; per-connection events go through the caller's callback, and cost the
 * data path one predictable branch when there is none. es_counters reads live totals for a
 * status line.
 */
#ifndef NK_ECHO_SERVER_H
#define NK_ECHO_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "lib/net.h"
#include "lib/nk.h"

/* At most this many -b addresses. */
#define ES_MAX_BINDS 16
/* What a connection may hold for a peer that does not read, and the per-worker read buffer. */
#define ES_PEND_MAX 65536

/* How a connection ended, for the log. */
enum es_end {
    ES_END_EOF,      /* the client closed (or half-closed) and got all of its echo */
    ES_END_RESET,    /* reset, EPIPE or another socket error */
    ES_END_IDLE,     /* closed by --idle-timeout */
    ES_END_SHUTDOWN, /* closed because the server stopped */
};

/* What happened to a connection, for -v. */
enum es_ev {
    ES_EV_ACCEPT, /* accepted: fd, listen_fd, worker, local, peer */
    ES_EV_DATA,   /* bytes moved: new_in/new_out since the previous data event (at most one a
                     second per connection; with verbose 2, one per read, with the bytes) */
    ES_EV_EOF,    /* the client half-closed; in_flight: its bytes not echoed yet */
    ES_EV_CLOSE,  /* closed; client_first says who closed first */
    ES_EV_RESET,  /* reset or another socket error (error); the connection is gone */
};

/* One event, passed to the event callback on the worker thread that saw it. */
struct es_event {
    enum es_ev kind;
    uint64_t time_us;             /* wall clock, microseconds since the epoch */
    int fd;                       /* the connected socket */
    int listen_fd;                /* accept: the listening socket it came from */
    int worker;                   /* the worker that owns the connection (0-based) */
    const struct sockaddr *local; /* accept: the server's end of the socket pair, or NULL */
    const struct sockaddr *peer;  /* the client's address (family AF_UNIX for --unix) */
    uint64_t bytes_in;            /* received so far */
    uint64_t bytes_out;           /* echoed so far */
    uint64_t new_in, new_out;     /* data: since the previous data event */
    uint64_t in_flight;           /* eof: received or queued in the socket, not echoed yet */
    const unsigned char *data;    /* data with verbose 2: the bytes just read, else NULL */
    size_t len;                   /* their count */
    enum es_end end;              /* close, reset: why */
    bool client_first;            /* close: the client closed (half-closed) first */
    int error;                    /* reset: the errno */
    uint64_t duration_ms;         /* close, reset: since the accept */
};

/* Called on a worker thread for each event (only when set). Events of one connection come in
 * order, from one thread; different connections' events come from different threads. */
typedef void (*es_event_fn)(void *arg, const struct es_event *e);

/* What to serve. Zeroed fields take the defaults. */
struct es_config {
    struct net_addr binds[ES_MAX_BINDS]; /* -b addresses (port ignored); none: 0.0.0.0 and :: */
    int nbinds;                          /* how many */
    int port;                            /* TCP/UDP port; 0 picks one shared by every socket */
    bool udp;                            /* also serve UDP on the same addresses and port */
    const char *unix_path;               /* serve on this Unix stream socket instead, or NULL */
    int threads;                         /* workers; 0: the CPUs this process may run on */
    int max_conns;                       /* connections held at once; 0: the descriptor limit */
    int idle_timeout_s;                  /* close connections idle this long; 0: never */
    int grace_ms;                        /* on stop, how long pending echoes may drain */
    es_event_fn event;                   /* -v: per-connection events, or NULL */
    void *event_arg;                     /* its argument */
    int verbose;                         /* 2: data events carry the bytes (-vv) */
};

/* Totals, summed over the workers after es_join. */
struct es_stats {
    uint64_t conns;        /* connections accepted */
    uint64_t bytes;        /* bytes echoed (TCP, Unix and UDP) */
    uint64_t datagrams;    /* UDP datagrams echoed */
    uint64_t dropped;      /* UDP datagrams dropped by the loop guard (source port 7 or 19) */
    uint64_t accept_pause; /* times accepting paused on a descriptor shortage */
};

struct echo_server;

/* Bind and listen on everything cfg asks for. Returns NK_OK, NK_FAIL (address in use, not
 * permitted, ...) or NK_USAGE (an address that cannot be used at all), with err filled. */
int es_open(struct echo_server **out, const struct es_config *cfg, char err[NK_ERRLEN]);

/* Number of listening sockets, and the i-th one's protocol ("tcp", "udp", "unix") and address. */
int es_listener_count(const struct echo_server *s);
void es_listener(const struct echo_server *s, int i, const char **proto,
                 const struct net_addr **addr);

/* The effective settings, after defaults (for -v). */
int es_threads(const struct echo_server *s);
int es_max_conns(const struct echo_server *s);

/* Start the workers. NK_OK, or NK_FAIL with err. */
int es_start(struct echo_server *s, char err[NK_ERRLEN]);
/* Ask every worker to stop: thread-safe (not async-signal-safe). */
void es_stop(struct echo_server *s);
/* True once a worker's loop failed (the others were then stopped). */
bool es_failed(const struct echo_server *s);
/* Live totals (connections open now, accepted, bytes in and out), published by each worker
 * about four times a second (only after es_publish(s, true) before es_start). */
struct es_live {
    uint64_t open, accepted, bytes_in, bytes_out;
};
void es_publish(struct echo_server *s, bool on);
void es_counters(const struct echo_server *s, struct es_live *l);
/* Wait up to ms for the workers to finish; true once they all have (then call es_join). */
bool es_wait(struct echo_server *s, int ms);
/* Wait for the workers to finish (a signal, es_stop or a failure ends them) and sum their
 * counters. */
void es_join(struct echo_server *s, struct es_stats *st);
/* Close the listeners (removing a Unix socket's file) and free. */
void es_free(struct echo_server *s);

/* The UDP loop guard: true for a datagram that must not be answered (source port 7 or 19,
 * or port 0, which cannot be answered anyway). */
bool es_udp_drop(const struct sockaddr *src);

/* A -b value: "1.2.3.4", "::1", "[::1]" or "fe80::1%eth0". Pure. 0, or -1 with err. */
int es_parse_bind(const char *s, struct net_addr *a, char err[NK_ERRLEN]);

#endif
