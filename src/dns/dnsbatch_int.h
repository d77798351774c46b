/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsbatch_int.h - inside the batch engine: the state that dnsbatch.c (the pump and the run),
 * dnsbatch_win.c (attempts, the adaptive window, hedged retries) and dnsbatch_input.c (the
 * names) share. Not for other modules: they use dns/dnsbatch.h. */
#ifndef NK_DNSBATCH_INT_H
#define NK_DNSBATCH_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "dns/dns.h"
#include "dns/dnsbatch.h"
#include "dns/dnsname.h"
#include "lib/loop.h"
#include "lib/nk.h"

/* The window starts here (or at -c if smaller): about where one server on loopback peaks. */
#define WIN_INIT 64
/* ... and never shrinks below this (or -c): random loss cuts the window again and again, and a
 * floor of a few round trips' worth keeps the pipe full while lost queries are asked again on
 * their own timers (outside the window). */
#define WIN_MIN 32
/* How often the hedging timer looks for late answers. */
#define HEDGE_TICK_MS 2

/* One attempt (a dns_lookup) of an item; outlives the item if the item finished first. */
struct dnsb_att {
    struct dnsb_item *it;   /* NULL once the item is done: the answer is then ignored */
    uint64_t sseq;          /* its send number */
    struct batch *b;        /* the batch */
    struct dnsb_att *spare; /* in batch.spare_att */
};

/* Names read from a descriptor, one per line. */
struct reader {
    int fd;                /* the input */
    struct dnsb_lines *ln; /* its lines */
    bool unpollable;       /* a regular file: epoll refuses it, reads never wait */
    bool waiting;          /* io is registered for EPOLLIN */
    struct loop_io io;     /* readiness of fd */
};

struct batch {
    const struct dnsb_cfg *c;      /* what to run */
    struct dnsb_stats st;          /* totals */
    struct dnsb_item **ring;       /* reorder window, by seq % rsize */
    size_t rsize;                  /* its size (a power of two) */
    uint64_t next_seq;             /* next item's seq */
    uint64_t next_emit;            /* next seq to hand over */
    struct dnsb_item *head, *tail; /* items in flight, by last attempt's start */
    double cwnd;                   /* the adaptive window */
    double ssthresh;               /* above it the window grows slowly */
    double round_left;             /* answers left in this round (one window's worth) */
    uint64_t round_idle;           /* dns_idle_reads at the start of the round */
    bool waited;                   /* this round, we caught up with the server at least once */
    uint64_t last_cut_sseq;        /* send number when the window was last halved */
    uint64_t sseq;                 /* attempts sent so far */
    double srtt, rttvar;           /* smoothed round trip and its variation (ms) */
    unsigned retrying;             /* items in flight asked again: outside the window */
    uint64_t expire_ms;            /* when lookups past cfg->lookup_ms were last looked for */
    bool have_rtt;                 /* srtt holds a measurement */
    uint64_t stale;                /* attempts whose item finished first */
    int argi;                      /* next positional name */
    struct reader rd;              /* or the input descriptor */
    char name[DNSB_LINE_MAX + 1];  /* the current input name */
    char ascii[DNS_NAME_BUF + 80]; /* what is asked for it */
    char name_err[NK_ERRLEN];      /* why it is bad, "" if it is not */
    bool name_reverse;             /* it is an address: PTR */
    const int *types;              /* the types it is asked for (cfg's, or its own) */
    int ntypes;                    /* how many (0: address mode) */
    bool line_bad;                 /* a bad input line: one result, whatever the types */
    int type_idx;                  /* next type for it; -1: need a new name */
    bool input_done;               /* no more names */
    bool in_pump;                  /* pump is running: callbacks must not re-enter it */
    bool finishing;                /* the last result was handed over */
    bool deadline_hit;             /* the overall deadline passed */
    int fail;                      /* reading failed or out of memory: stop */
    char err[NK_ERRLEN];           /* why */
    struct loop_timer hedge;       /* looks for late answers */
    struct loop_timer prog;        /* progress callback */
    struct loop_timer deadline;    /* overall deadline */
    struct loop_timer fin;         /* ends the run outside any c-ares callback */
    /* Items and attempts for reuse: a batch frees and allocates one of each per answer. */
    struct dnsb_item *spare_item; /* linked through next */
    struct dnsb_att *spare_att;   /* linked through spare */
};

/* The loop's clock, brought up to date. */
static inline uint64_t now_ms(struct batch *b)
{
    loop_update_time(b->c->loop);
    return loop_now_ms(b->c->loop);
}

/* dnsbatch.c */
/* Hand over finished results in input order and start lookups while the window has room;
 * once everything is handed over, end the run. Not re-entered: a callback that comes while it
 * runs leaves the work to it. */
void batch_pump(struct batch *b);

/* dnsbatch_win.c */
/* Start an attempt of it (a dns_lookup) and move it to the in-flight list's tail: 0, or -1
 * with b->err. */
int batch_send_att(struct batch *b, struct dnsb_item *it);
/* End it with res (its own from now on): off the in-flight list; answers to its attempts
 * still out are ignored. */
void batch_complete(struct batch *b, struct dnsb_item *it, struct dns_result *res);
/* b->hedge, every HEDGE_TICK_MS while lookups are in flight: asks again what is overdue and
 * ends what is past cfg->lookup_ms. */
void batch_hedge_fn(struct loop *l, struct loop_timer *t);

/* dnsbatch_input.c */
/* Load the next name into b->name: 1, 0 (wait: input arriving calls batch_pump), -1 (end), -2
 * (error, in b->err). */
int batch_next_name(struct batch *b);

#endif
