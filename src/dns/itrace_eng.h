/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace_eng.h - inside the --trace engine: the state shared by itrace.c (channels, queries,
 * waiting, a zone's servers) and itrace_walk.c (the walk down the delegations, the run).
 *
 * A walk is one trace (the name asked, or a glueless NS name's nested lookup) as a state
 * machine: build a step (its servers), send its queries, judge what came back. Walks run in
 * groups in lock step (every walk of the group sends, then the group waits for all of them),
 * so a zone's glueless NS names are looked up at once. Only the innermost group has queries
 * in flight: a walk's build, which may run a nested group, comes before any walk of its group
 * sends. Each walk has its own channels, grace timer and count of queries in flight. */
#ifndef NK_ITRACE_ENG_H
#define NK_ITRACE_ENG_H

#include <stdbool.h>
#include <stdint.h>
#include "dns/dns.h"
#include "dns/dnsfmt.h"
#include "dns/itrace.h"
#include "lib/loop.h"

/* A channel to one server, made once per address and kept for the walk. */
struct chan {
    struct net_addr sa; /* the server */
    struct dns *d;      /* its channel */
};

/* An address seen for a name (glue or a nested lookup's answer): asked again without a lookup. */
struct known {
    char *name;                /* NS name */
    char addr[NET_ADDRSTRLEN]; /* address */
    int family;                /* AF_INET or AF_INET6 */
};

/* A zone's servers as learnt, so a CNAME into a known zone starts there, not at the root. */
struct zone {
    char *zone;            /* name */
    char **ns;             /* NS names */
    size_t nns;            /* count */
    struct itr_glue *glue; /* addresses learnt with it */
    size_t nglue;          /* count */
};

struct eng {
    struct loop *l;            /* the loop */
    const struct itr_opts *o;  /* settings */
    int port;                  /* every server's port (53, or the --root one) */
    struct known *kn;          /* addresses learnt */
    size_t nkn, capkn;         /* count, room */
    struct zone *zc;           /* zones learnt */
    size_t nzc, capzc;         /* count, room */
    unsigned queries;          /* sent so far */
    uint64_t t0_ms;            /* start */
    bool expired;              /* the whole run's time is up */
    bool interrupted;          /* Ctrl-C */
    struct loop_timer overall; /* the whole run's deadline */
    char err[NK_ERRLEN];       /* out of memory and the like */
};

/* Roles of the queries of a step. */
enum role {
    Q_MAIN,
    Q_SOA,
    Q_NS,
    Q_EXTRA
};

/* Where a walk is. */
enum phase {
    PH_STEP,  /* the next zone is to be asked */
    PH_EXTRA, /* address mode: the final zone is to be asked the second type */
    PH_DONE   /* the trace ended (well or not) */
};

/* One trace under way. */
struct walk {
    struct eng *e;           /* engine */
    struct itr_trace *t;     /* the result (NULL: out of memory) */
    int depth;               /* nesting of glueless lookups */
    enum phase phase;        /* what comes next */
    char cur[DNS_PNAME_MAX]; /* the name asked now (the chain moves it) */
    int qtype;               /* the type asked */
    int extra;               /* address mode's second type, or 0 */
    int chain;               /* CNAME/DNAME links followed */
    char *zone;              /* the zone asked next */
    char *parent_zone;       /* its parent, when reached by a referral */
    char *parent_set;        /* the parent's NS set for it ("a. b.") */
    char **ns;               /* the zone's NS names */
    size_t nns;              /* count */
    size_t before;           /* answers before the extra round */
    uint64_t t0;             /* start, us */
    unsigned queries;        /* sent by this walk and its nested lookups */
    size_t outstanding;      /* queries of this round not yet back */
    bool cutting;            /* the grace ended: cancelled queries are "no answer in time" */
    bool useful;             /* a usable answer came in this round */
    double slowest;          /* the slowest usable answer of the round, ms */
    struct loop_timer grace; /* ends waiting for the silent */
    struct chan *ch;         /* channels, one per server address */
    size_t nch, capch;       /* count, room */
};

/* One query in flight. */
struct q {
    struct eng *e;        /* engine */
    struct walk *w;       /* the walk it belongs to */
    struct itr_server *s; /* whose */
    enum role role;       /* what for */
    const char *qname;    /* asked (lives in the step) */
    const char *zone;     /* the zone (lives in the step) */
    int qtype;            /* asked */
};

/* strdup, or NULL with "out of memory" in e->err. */
char *eng_dup(struct eng *e, const char *s);
/* Memory ran out (e->err says so). */
bool eng_oom(struct eng *e);
/* Add a copy of a to the trace's answers unless there. 0 or -1. */
int eng_add_answer(struct itr_trace *t, const struct itr_rec *a);
/* Send one query of role to server s for walk w (nothing once a bound is reached). */
void eng_send(struct walk *w, struct itr_server *s, enum role role, const char *qname,
              const char *zone, int qtype);
/* A c-ares channel of the engine's settings that asks the one server sa (NULL, e->err set). */
struct dns *eng_channel(struct eng *e, const struct net_addr *sa);
/* Run the loop until every query of the walks' round is back (or cut). */
void eng_wait(struct eng *e, struct walk **ws, size_t n);
/* The walk's channels closed (nothing in flight). */
void eng_close_walk(struct walk *w);
/* An address learnt for an NS name; a zone's NS names learnt. */
void eng_learn(struct eng *e, const char *name, const char *addr, int family);
void eng_remember_zone(struct eng *e, const char *zone, char **ns, size_t nns);
/* A server (its address text, or NULL) added to the step, if room. */
struct itr_server *eng_add_server(struct eng *e, struct itr_step *st, const char *name,
                                  const char *addr);
/* The step of walk w: the NS names with their addresses, in the NS set's order; the names
 * without one are looked up at once, each by a nested walk. */
void eng_build_servers(struct walk *w, struct itr_step *st, char **ns, size_t nns);
/* Timers: the grace period of a step, the whole run's deadline. */
void eng_grace_fn(struct loop *l, struct loop_timer *t);
void eng_overall_fn(struct loop *l, struct loop_timer *t);
/* A walk of name for type (0: address mode), depth levels of glueless lookups deep: begun
 * (phase PH_DONE at once when out of memory). */
void eng_walk_init(struct walk *w, struct eng *e, const char *name, int type, int depth);
/* Run the walks in lock step until each is done. */
void eng_walk_group(struct eng *e, struct walk **ws, size_t n);
/* The walk's trace (NULL when out of memory), its state released. */
struct itr_trace *eng_walk_end(struct walk *w);

#endif
