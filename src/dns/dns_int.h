/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns_int.h - inside the c-ares module: the channel's state and the helpers that dns.c (the
 * channel, its descriptors and timer), dns_sock.c (the socket functions), dns_lookup.c (lookups
 * and their results) and dns_raw.c (raw queries) share. Not for other modules: they use
 * dns/dns.h. */
#ifndef NK_DNS_INT_H
#define NK_DNS_INT_H

#include <ares.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dns/dns.h"
#include "lib/loop.h"
#include "lib/net.h"
#include "lib/nk.h"

struct hosts;
struct job;

/* One descriptor c-ares opened: its loop handle and the server it talks to. */
struct watch {
    struct loop_io io;    /* registered while c-ares wants events */
    struct dns *d;        /* owner */
    bool active;          /* io is in the loop */
    bool has_peer;        /* peer is valid (connect was called) */
    struct net_addr peer; /* the server this socket is connected to */
};

/* One channel (dns_new): c-ares' channels and what runs them on the loop. */
struct dns {
    struct loop *l;             /* the loop the channel runs on */
    ares_channel ch;            /* DNS channel */
    ares_channel hch;           /* files-only channel for the hosts file; NULL with no_hosts */
    bool no_domains;            /* resolv.conf gave no search list: a name with a dot is
                                   asked as it is, and ares_search would only add its own
                                   bookkeeping to ares_query */
    struct hosts *hosts;        /* the hosts file, read once (hch only for the names c-ares
                                   treats specially: hosts_plain_name) */
    struct dns_opts o;          /* settings (servers pointer not kept) */
    struct loop_timer timer;    /* c-ares retry and timeout processing */
    struct watch **w;           /* per descriptor, indexed by fd; kept until dns_free, so a
                                   pending event for a closed socket never touches freed memory */
    size_t nw;                  /* size of w */
    struct net_addr last_from;  /* who sent the packet read last (raw: formatting it
                                   for every packet cost more than parsing it) */
    struct net_addr shown_from; /* the address last_server was formatted from */
    char last_server[NET_ADDRSTRLEN]; /* shown_from as "ADDR:PORT" */
    size_t pending;                   /* lookups not yet finished */
    uint64_t idle_reads;              /* reads that found nothing waiting */
    bool tcp_hangup;                  /* a TCP server closed a connection on us */
    bool last_tcp;                    /* the packet read last came over TCP */
    struct job *spare;                /* finished jobs for reuse: a batch starts and ends one
                                         per answer, and malloc's slow path for blocks this
                                         size cost more than the rest of a lookup's work */
};

/* dns.c */
/* The watch of descriptor fd, made on first use: NULL for a negative fd or out of memory. */
struct watch *dns_get_watch(struct dns *d, int fd);
/* Arm the timer for c-ares' next deadline if it is not armed; cancel it when idle. */
void dns_arm_timer(struct dns *d);

/* dns_sock.c */
/* The socket functions dns_new installs on the channel (their user data is the struct dns):
 * plain system calls that record the server each socket talks to and who sent each packet. */
extern const struct ares_socket_functions dns_sock_funcs;

/* dns_lookup.c */
/* c-ares status (with NOCHECKRESP, so rcodes arrive as themselves) to ours; err says why for
 * DNS_S_ERROR. */
enum dns_status dns_map_status(int st, char err[NK_ERRLEN]);
/* Free the finished lookups kept for reuse (dns_free). */
void dns_free_spares(struct dns *d);

#endif
