/* SPDX-License-Identifier: GPL-3.0-or-later */
/* itrace.h - iterative resolution from the root, asking every server of each zone.
 *
 * The engine (itrace.c, itrace_walk.c; itrace_judge.c judges each zone) starts at the root
 * servers (root hints, addresses given, or the root's NS set asked of a recursive server as dig
 * @SERVER +trace does), sends non-recursive queries down the delegation chain through dns.h (one
 * channel per server, so each answer is known to come from that server), and asks every server of
 * a zone in parallel: the question itself, the zone's SOA (serial, AA bit) and its NS set. It
 * follows referrals, resolves a zone's NS names without glue by nested traces run at once, follows
 * CNAME and DNAME chains across zones, and names what it finds wrong: lame servers, NS-set, serial
 * and answer mismatches. It is bounded in depth, queries and time, never prints, and returns a
 * result tree.
 *
 * The parsers (itrace_parse.c) are pure: a response packet classified against the question and
 * the zone asked (answer, referral with its NS set and glue, NXDOMAIN, NODATA, lame), and the
 * root hints file. Unit tests and a fuzzer feed them buffers.
 */
#ifndef NK_ITRACE_H
#define NK_ITRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dns/dns.h"
#include "lib/loop.h"
#include "lib/net.h"
#include "lib/nk.h"

/* Debian's dns-root-data. */
#define ITR_HINTS_PATH "/usr/share/dns/root.hints"
/* Bounds: steps of one trace, CNAME/DNAME links, nesting of glueless lookups, queries in all
 * (nested ones included), servers asked per zone, and the whole run's time by default. */
#define ITR_MAX_STEPS   32
#define ITR_MAX_CHAIN   12
#define ITR_MAX_NEST    3
#define ITR_MAX_QUERIES 600
#define ITR_MAX_SERVERS 16
#define ITR_DEF_MAX_MS  30000
/* Once a server of a zone gave a usable answer, a silent one is waited for ITR_GRACE_FACTOR
 * times the slowest usable answer, at least ITR_DEF_GRACE_MS (or --grace), and never past its
 * own timeout: a loopback answer takes well under a millisecond, one across the world a few
 * hundred. */
#define ITR_GRACE_FACTOR 4
#define ITR_DEF_GRACE_MS 200

/* ---- the pure part ---- */

/* A record: owner and data (presentation form as dig +short) in one block. */
struct itr_rec {
    char *name;   /* owner, with the final dot */
    int type;     /* record type */
    uint32_t ttl; /* seconds */
    char *data;   /* presentation form */
};

/* An NS name's address from a referral's additional section (or the root hints). */
struct itr_glue {
    char *name;                /* the NS name, with the final dot */
    char addr[NET_ADDRSTRLEN]; /* numeric address */
    int family;                /* AF_INET or AF_INET6 */
};

/* What one response says about the question. */
enum itr_kind {
    ITR_ANSWER,   /* records for the name (maybe a CNAME/DNAME chain to follow: cname) */
    ITR_REFERRAL, /* a delegation to child, below the zone asked */
    ITR_NXDOMAIN, /* no such name */
    ITR_NODATA,   /* the name exists, no record of the type */
    ITR_LAME,     /* an answer no server of the zone should give: why says what */
    ITR_RCODE,    /* an rcode other than NOERROR and NXDOMAIN (REFUSED, SERVFAIL, ...) */
};

/* One response, parsed. */
struct itr_resp {
    enum itr_kind kind;    /* classification */
    int rcode;             /* response code */
    bool aa;               /* authoritative answer bit */
    char why[NK_ERRLEN];   /* ITR_LAME: why */
    struct itr_rec *ans;   /* answer section (OPT and RRSIG left out) */
    size_t nans, capans;   /* count, room */
    char *cname;           /* ITR_ANSWER without final data: where the chain goes on */
    bool dname;            /* a DNAME took part in the chain */
    char *child;           /* ITR_REFERRAL: the child zone */
    char **ns;             /* ITR_REFERRAL: its NS names, sorted, no duplicates */
    size_t nns, capns;     /* count, room */
    struct itr_glue *glue; /* ITR_REFERRAL (or an answer to NS): the NS names' addresses */
    size_t nglue, capglue; /* count, room */
    bool have_serial;      /* a SOA for the zone was in the answer or authority section */
    uint32_t serial;       /* its serial */
};

/* Classify the response pkt to the question qname/qtype sent to a server of zone (names in
 * presentation form with the final dot, compared case-insensitively). 0, or -1 with the reason
 * in err when the packet is malformed. r is zeroed first; itr_resp_free releases it. */
int itr_parse_response(const uint8_t *pkt, size_t len, const char *qname, int qtype,
                       const char *zone, struct itr_resp *r, char err[NK_ERRLEN]);
void itr_resp_free(struct itr_resp *r);

/* The root servers in a root hints file (zone-file syntax: `. NS name` and `name A addr`):
 * the NS names of "." with their addresses, in file order, family 0 for both, or AF_INET /
 * AF_INET6 only. *out is allocated (itr_glue_free). 0, or -1 with "line N: WHY" or "no root
 * server addresses" in err. */
int itr_hints_parse(const char *buf, size_t len, int family, struct itr_glue **out, size_t *n,
                    char err[NK_ERRLEN]);
void itr_glue_free(struct itr_glue *g, size_t n);

/* Is name equal to zone or below it (case-insensitive, names with the final dot)? */
bool itr_in_zone(const char *name, const char *zone);

/* ---- the engine ---- */

/* Settings of a run. */
struct itr_opts {
    const struct net_addr *roots; /* --root: start at these instead of the hints */
    int nroots;                   /* how many */
    const struct net_addr *prime; /* -s/@SERVER: ask these (RD set) for the root's NS set first,
                                     as dig @SERVER +trace does; the first that answers */
    int nprime;                   /* how many */
    const char *hints_path;       /* NULL: ITR_HINTS_PATH */
    int timeout_ms;               /* per query, first try */
    int tries;                    /* tries per query */
    bool tcp;                     /* every query over TCP */
    int family;                   /* servers' addresses: AF_UNSPEC (IPv4, IPv6 if none), ... */
    int max_ms;                   /* the whole run; 0: ITR_DEF_MAX_MS */
    int grace_ms;                 /* a silent server's least wait once another answered (4x the
                                     slowest answer if longer); 0: ITR_DEF_GRACE_MS */
};

struct itr_trace;

/* One server of a zone, as asked. */
struct itr_server {
    char *name;                /* NS name, NULL for a --root address */
    char addr[NET_ADDRSTRLEN]; /* "" when no address was found */
    struct net_addr sa;        /* the address with its port */
    double rtt_ms;             /* of the question; < 0 without an answer */
    int rcode;                 /* -1 without an answer */
    bool aa;                   /* the answer had AA */
    char error[NK_ERRLEN];     /* why there is no answer, "" otherwise */
    struct itr_trace *lookup;  /* the nested trace that found the address, or NULL */
    struct itr_resp resp;      /* the answer to the question */
    bool have_resp;            /* resp is valid */
    struct itr_resp extra;     /* the final zone, address mode: the second type's answer */
    bool have_extra;           /* extra is valid */
    bool have_serial;          /* the zone's SOA came back with AA */
    uint32_t serial;           /* its serial */
    bool soa_noaa;             /* the SOA came back without AA */
    char *nsset;               /* the zone's NS set as this server answered it ("a. b."), or NULL */
    bool lame;                 /* counted lame (a problem says why) */
};

/* A problem found in a zone. */
struct itr_problem {
    const char *kind; /* "lame", "ns-mismatch", "serial-mismatch", "answer-mismatch" */
    char *server;     /* the server's address, or NULL (the zone as a whole) */
    char *name;       /* the server's NS name, or NULL */
    char *detail;     /* in words */
};

/* One zone asked. */
struct itr_step {
    char *zone;               /* "." , "test." ... */
    char *qname;              /* the name asked */
    int qtype;                /* the type asked */
    struct itr_server *srv;   /* servers, in the delegation's order */
    size_t nsrv, capsrv;      /* count, room */
    char *ref_zone;           /* the referral followed (NULL: none) */
    char **ref_ns;            /* its NS names */
    size_t nref_ns;           /* count */
    struct itr_glue *glue;    /* its glue */
    size_t nglue;             /* count */
    char *cname;              /* the chain went on to this name (CNAME or DNAME), or NULL */
    bool dname;               /* by a DNAME */
    bool leaves;              /* ... into another zone */
    struct itr_problem *prob; /* problems */
    size_t nprob, capprob;    /* count, room */
};

/* The whole trace of one name. */
struct itr_trace {
    char *query;                        /* as asked */
    int type;                           /* 0: address mode (A and AAAA) */
    struct itr_step *steps;             /* zones in order */
    size_t nsteps, capsteps;            /* count, room */
    enum dns_status status;             /* NOERROR, NXDOMAIN, NODATA when it ended well */
    bool ok;                            /* an answer or an authoritative NXDOMAIN/NODATA came */
    struct itr_rec *ans;                /* the answer (the chain's CNAMEs first) */
    size_t nans, capans;                /* count, room */
    char reason[4 * NK_ERRLEN];         /* where it broke, "" when ok */
    unsigned queries;                   /* queries sent (nested ones included) */
    char root_from[NET_ADDRSTRLEN + 8]; /* the server the root's NS set came from, or "" */
    double time_ms;                     /* how long it took */
};

/* Trace name (ASCII) for type (0: address mode) on loop l. NULL with err only when nothing
 * could start (hints unreadable, out of memory); a chain that breaks is a trace with !ok. */
struct itr_trace *itr_run(struct loop *l, const struct itr_opts *o, const char *name, int type,
                          char err[NK_ERRLEN]);
void itr_free(struct itr_trace *t);

#endif
