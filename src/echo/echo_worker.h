/* SPDX-License-Identifier: GPL-3.0-or-later */
/* echo_worker.h - internals shared by echo_server.c (setup, threads, accept, stop) and
 * echo_conn.c (the per-connection and UDP data path). Not for other modules. */
#ifndef NK_ECHO_WORKER_H
#define NK_ECHO_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "echo/echo_server.h"
#include "lib/loop.h"
#include "lib/net.h"

/* Listening sockets: -b addresses times TCP and UDP, or the one Unix socket. */
#define ES_MAX_LISTEN (2 * ES_MAX_BINDS)
/* UDP datagrams moved per recvmmsg/sendmmsg call. */
#define ES_UDP_BATCH 32
/* Room for the largest UDP payload (65,507 bytes) in each batch slot. */
#define ES_UDP_SLOT 65536

struct es_worker;

/* A client's address, kept compactly (a sockaddr_storage would double an idle connection). */
union es_peer {
    struct sockaddr sa;      /* family tag */
    struct sockaddr_in in4;  /* AF_INET */
    struct sockaddr_in6 in6; /* AF_INET6 */
};

/* One accepted connection. Idle, it is this struct and nothing else (about 160 bytes). The
 * fields an echo touches come first, within 64 bytes of each other, so that serving a message
 * costs one or two cache lines of the connection however many connections there are. */
struct es_conn {
    struct loop_io io;           /* the socket in the worker's loop; first, so io casts back */
    struct es_worker *w;         /* owner */
    uint32_t pend_off;           /* first unsent byte in pend */
    uint32_t pend_len;           /* bytes in pend from pend_off on; 0 when nothing waits */
    uint64_t bytes_in;           /* received; what was echoed is bytes_in - pend_len */
    uint64_t last_ms;            /* last time bytes moved, for the idle check */
    char *pend;                  /* echo the peer has not taken yet (malloc'd), or NULL */
    struct es_conn *prev, *next; /* the worker's list of open connections */
    uint64_t start_ms;           /* accept time (loop clock) */
    struct loop_timer idle;      /* --idle-timeout check (armed only when a timeout is set) */
    union es_peer peer;          /* client address (family AF_UNIX for --unix) */
    /* -v only (cold): what the last data event reported, and when */
    uint64_t log_in, log_out, log_ms;
    bool eof; /* the client's half-close was seen (and logged) */
};

/* A listening or bound socket. */
struct es_listen {
    int fd;               /* the socket, shared by every worker's loop */
    int type;             /* SOCK_STREAM or SOCK_DGRAM */
    const char *proto;    /* "tcp", "udp" or "unix" */
    struct net_addr addr; /* where it is bound (the real port) */
};

/* One worker thread and its loop. Fields are the worker's own unless marked atomic. */
struct es_worker {
    struct echo_server *srv;           /* the server */
    int idx;                           /* its index in srv->w */
    bool log;                          /* events wanted (cfg.event set) */
    struct loop_timer log_tm;          /* -v: reports data not yet logged, once a second */
    struct loop_timer pub_tm;          /* publishes the live counters */
    struct loop *loop;                 /* this thread's event loop */
    pthread_t thread;                  /* the thread */
    bool started;                      /* thread was created (so join it) */
    int wakefd;                        /* eventfd other threads write: stop, or accept again */
    struct loop_io wake_io;            /* wakefd in the loop */
    struct loop_io lio[ES_MAX_LISTEN]; /* each listener in this loop, indexed like srv->lis */
    bool accepting;                    /* the stream listeners are registered */
    atomic_bool paused;       /* stopped accepting at --max-conns; whoever frees a slot clears it
                                 and wakes this worker */
    struct loop_timer retry;  /* accept again after a descriptor shortage (EMFILE/ENFILE) */
    struct loop_timer stop_t; /* does the stop work outside the I/O batch */
    struct loop_timer grace;  /* ends the drain on stop */
    bool stopping;            /* stop begun: no accepting, close when drained */
    char *buf;                /* ES_PEND_MAX bytes that every read goes through */
    struct es_conn *conns;    /* open connections (doubly linked) */
    size_t nconns;            /* how many */
    struct mmsghdr *msgs;     /* UDP batch headers (only with -u) */
    struct iovec *iov;        /* one per batch slot */
    struct sockaddr_storage *names; /* source addresses, one per slot */
    char *ubuf;                     /* ES_UDP_BATCH * ES_UDP_SLOT bytes of datagram payload */
    uint64_t n_conns;               /* counter: connections accepted */
    uint64_t n_bytes;               /* counter: bytes echoed */
    uint64_t n_dgrams;              /* counter: datagrams echoed */
    uint64_t n_dropped;             /* counter: datagrams dropped by the loop guard */
    uint64_t n_pause;               /* counter: accept pauses on descriptor shortage */
    uint64_t n_in;                  /* counter: bytes received (TCP, Unix) */
    _Atomic uint64_t pub_open, pub_accepted, pub_in, pub_out; /* published copies */
};

struct echo_server {
    struct es_config cfg;                /* what was asked (defaults filled in) */
    char unix_path[108];                 /* copy of cfg.unix_path, for unlinking */
    struct es_listen lis[ES_MAX_LISTEN]; /* listening sockets */
    int nlis;                            /* how many */
    struct es_worker *w;                 /* the workers */
    int nw;                              /* how many */
    int max_conns;                       /* effective --max-conns */
    atomic_int nconns;                   /* connections open now, over all workers */
    atomic_bool stop;                    /* es_stop was called */
    atomic_bool failed;                  /* a worker's loop failed */
    int donefd;                          /* eventfd: each worker adds 1 as it ends (es_join) */
    bool publish;                        /* workers publish live counters */
    pthread_mutex_t mu;                  /* guards running */
    pthread_cond_t cv;                   /* signalled when a worker ends */
    int running;                         /* workers still running */
};

/* echo_conn.c: take a freshly accepted socket; the data path; UDP. */
void es_conn_accepted(struct es_worker *w, int fd, int listen_fd, const struct sockaddr *peer,
                      socklen_t plen);
/* -v: report every connection's data not yet logged (the once-a-second timer). */
void es_conn_log_tick(struct es_worker *w);
void es_conn_close(struct es_conn *c, enum es_end end);
/* Close for a stop outside the loop: send what it owes if the socket takes it now, then close. */
void es_conn_shutdown(struct es_conn *c);
void es_udp_event(struct loop *l, struct loop_io *io, uint32_t events);
int es_udp_init(struct es_worker *w);
void es_udp_free(struct es_worker *w);

/* echo_server.c: a connection went away (slot accounting, resume accepting, stop progress). */
void es_conn_released(struct es_worker *w);

#endif
