/* SPDX-License-Identifier: GPL-3.0-or-later */
/* path_int.h - inside path_run: the run's state and what path.c (the run, the sockets' helpers,
 * the ICMP words), path_hops.c (the hop probes) and path_conn.c (the connect test and the path
 * MTU) share. Not for use outside src/path/path*.c: other modules use path/path.h. */
#ifndef NK_PATH_INT_H
#define NK_PATH_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/loop.h"
#include "lib/net.h"
#include "path/path.h"

/* TTLs sent at once first; each later window is twice the one before, at most PATH_WINDOW_MAX. */
#define PATH_WINDOW     4
#define PATH_WINDOW_MAX 16

/* What a socket is for. */
enum probe_kind {
    PROBE_HOP,
    PROBE_CONN,
    PROBE_PMTU
};

struct run;

/* One socket in flight. */
struct probe {
    struct loop_io io;    /* the socket; fd -1 when closed */
    struct run *run;      /* the run it belongs to */
    enum probe_kind kind; /* what it is for */
    int ttl;              /* PROBE_HOP: its TTL */
    uint64_t sent_us;     /* when it went out */
    bool done;            /* it has its answer (or gave up) */
};

/* One path_run. */
struct run {
    struct loop *l;                   /* the loop */
    const struct path_req *req;       /* what to do */
    struct path_result *res;          /* where results go */
    struct probe hop[PATH_MAX_HOPS];  /* one per TTL */
    struct probe conn;                /* the connect test now in flight */
    struct probe pmtu;                /* the path MTU socket */
    struct loop_timer probe_deadline; /* the hop probes' and path MTU's time is up */
    struct loop_timer conn_deadline;  /* the connect in flight's time is up */
    struct loop_timer window;         /* the window stayed quiet: open the next */
    int launched;                     /* TTLs 1..launched have been sent */
    int next_window;                  /* how many the next window sends */
    int end_ttl;                      /* the first TTL that ended the path, 0 if none yet */
    double max_rtt_ms;                /* the slowest answer a hop gave so far */
    bool probes_done;                 /* every hop probe and the path MTU ended */
    bool conns_done;                  /* every connect ended */
    int nopen;                        /* connects that were open */
    double rtt_sum;                   /* their handshake times */
    struct path_icmp frag[8];         /* "fragmentation needed" errors seen */
    int nfrag;                        /* how many */
    int err;                          /* errno of a failure of our own, 0 if none */
};

/* What a UDP probe or connect test sends. */
static const char probe_payload[] = "netkit trace probe";

/* The destination's address family. */
static inline int family_of(const struct run *r)
{
    return r->req->dst.ss.ss_family;
}

/* Milliseconds since t0 (loop_clock_us). */
static inline double since_ms(uint64_t t0)
{
    return (double)(loop_clock_us() - t0) / 1000.0;
}

/* path.c */

/* A non-blocking socket with the error queue on (and a TTL when ttl > 0). -1 with errno. */
int path_open_sock(int family, int type, int ttl);
/* Read one entry of fd's error queue into *ic (has: it was an ICMP error). 1 read, 0 empty. */
int path_read_errqueue(int fd, struct path_icmp *ic);
/* The pending error of fd (SO_ERROR); read it before the error queue. */
int path_so_error(int fd);
/* True when the TCP socket fd is connected (its handshake completed). */
bool path_tcp_connected(int fd);
/* True when a and b hold the same IP address (ports aside). */
bool path_same_ip(const struct net_addr *a, const struct net_addr *b);
/* Close p's socket (if open) and mark it done. */
void path_probe_close(struct run *r, struct probe *p);
/* End the probes when every one has ended, stop the loop when the connects have too. */
void path_check_done(struct run *r);

/* path_hops.c */

/* Start the probe of one TTL. 0, or -1 with errno. */
int path_hop_start(struct run *r, struct probe *p);
/* Send the TTLs up to n not sent yet, and give the window a grace before the next opens. */
void path_launch_upto(struct run *r, int n);
/* The window timer: the window stayed quiet, open the next. */
void path_on_window(struct loop *l, struct loop_timer *t);

/* path_conn.c */

/* Start one connect test. 0, or -1 with errno. */
int path_conn_start(struct run *r);
/* The connect timer: the connect in flight timed out. */
void path_on_conn_deadline(struct loop *l, struct loop_timer *t);
/* Open the path MTU socket and send its first datagram. 0, or -1 with errno. */
int path_pmtu_start(struct run *r);
/* The MTU the kernel holds for the connected socket's destination, 0 if unknown. */
uint32_t path_sock_mtu(int fd, int family);

#endif
