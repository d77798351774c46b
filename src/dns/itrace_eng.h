/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace_eng.h - inside the --trace engine: the state shared by itrace.c (channels, queries,
 * waiting, a zone's servers) and itrace_walk.c (the walk down the delegations, the run). */
#ifndef NK_ITRACE_ENG_H
#define NK_ITRACE_ENG_H

#include <stdbool.h>
#include <stdint.h>
#include "dns/dns.h"
#include "dns/itrace.h"
#include "lib/loop.h"

/* A channel to one server, made once per address and kept for the run. */
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
    struct chan *ch;           /* channels */
    size_t nch, capch;         /* count, room */
    struct known *kn;          /* addresses learnt */
    size_t nkn, capkn;         /* count, room */
    struct zone *zc;           /* zones learnt */
    size_t nzc, capzc;         /* count, room */
    unsigned queries;          /* sent so far */
    uint64_t t0_ms;            /* start */
    bool expired;              /* the whole run's time is up */
    bool interrupted;          /* Ctrl-C */
    size_t outstanding;        /* queries of this step not yet back */
    bool cutting;              /* the grace ended: cancelled queries are "no answer in time" */
    bool useful;               /* a usable answer came in this step */
    double slowest;            /* the slowest usable answer of the step, ms */
    struct loop_timer grace;   /* ends waiting for the silent */
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

/* One query in flight. */
struct q {
    struct eng *e;        /* engine */
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
/* Send one query of role to server s (nothing once a bound is reached). */
void eng_send(struct eng *e, struct itr_server *s, enum role role, const char *qname,
              const char *zone, int qtype);
/* Run the loop until every query of the step is back (or cut). */
void eng_wait(struct eng *e);
/* An address learnt for an NS name; a zone's NS names learnt. */
void eng_learn(struct eng *e, const char *name, const char *addr, int family);
void eng_remember_zone(struct eng *e, const char *zone, char **ns, size_t nns);
/* A server (its address text, or NULL) added to the step, if room. */
struct itr_server *eng_add_server(struct eng *e, struct itr_step *st, const char *name,
                                  const char *addr);
/* The step's servers: the NS names with their addresses, a nested trace for those without. */
void eng_build_servers(struct eng *e, struct itr_step *st, char **ns, size_t nns, int depth);
/* Timers: the grace period of a step, the whole run's deadline. */
void eng_grace_fn(struct loop *l, struct loop_timer *t);
void eng_overall_fn(struct loop *l, struct loop_timer *t);
/* Trace name for type (0: address mode), depth levels of glueless lookups deep. */
struct itr_trace *eng_trace(struct eng *e, const char *name, int type, int depth,
                            const char *parent);

#endif
