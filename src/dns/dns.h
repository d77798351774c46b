/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dns.h - DNS lookups through c-ares 1.18 on the shared event loop.
 *
 * One c-ares channel is driven by loop.h through ARES_OPT_SOCK_STATE_CB (never ares_fds or
 * select); ARES_FLAG_NOCHECKRESP lets SERVFAIL and REFUSED through as themselves; the socket
 * functions are wrapped to learn which server answered. A lookup is either one record type
 * (ares_search / ares_query, answer walked by dnsfmt) or "address mode": the hosts file first
 * (ares_getaddrinfo with ARES_AI_ENVHOSTS on a files-only channel, so CARES_HOSTS works), then
 * A and AAAA from DNS as two queries, their CNAME chain kept once.
 *
 * This is the one place netkit drives c-ares: the library is initialised once per process
 * (dns_new), server lists and names are checked by dnsname.h, and how a lookup ended is worded
 * by dns_status_name / dns_status_text for every command. hostaddr.h is a user of it (address
 * mode on a loop of its own). Nothing here prints or exits.
 */
#ifndef NK_DNS_H
#define NK_DNS_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/loop.h"
#include "lib/net.h"
#include "lib/nk.h"

/* How a lookup ended (the JSON `status` field of netkit-resolve(1)). */
enum dns_status {
    DNS_S_NOERROR,  /* answers came back */
    DNS_S_NXDOMAIN, /* no such name */
    DNS_S_NODATA,   /* the name exists, without records of that type */
    DNS_S_SERVFAIL, /* the server failed */
    DNS_S_REFUSED,  /* the server refused */
    DNS_S_TIMEOUT,  /* no answer in time */
    DNS_S_ERROR,    /* anything else: see error */
};

/* Channel settings. */
struct dns_opts {
    const struct net_addr *servers; /* servers to ask; NULL/0: resolv.conf's */
    int nservers;                   /* how many */
    const char *resolvconf;         /* resolv.conf to read, or NULL: $NETKIT_RESOLV_CONF if set
                                       (how tests keep the machine's out), else /etc/resolv.conf */
    int timeout_ms;                 /* first try's timeout (c-ares doubles it each round) */
    int tries;                      /* tries per server */
    bool tcp;                       /* every query over TCP */
    bool no_search;                 /* ask the name as given, no search list */
    bool no_hosts;                  /* address mode skips the hosts file */
    int family;                     /* address mode: AF_UNSPEC, AF_INET or AF_INET6 */
    bool sections;                  /* keep the authority and additional sections, the
                                       transport and size, and ask with EDNS (as dig does,
                                       so the server's EDNS buffer size shows): resolve -v */
};

/* One record of a result. */
struct dns_answer {
    char *name;   /* owner name, with the final dot */
    int type;     /* record type */
    uint32_t ttl; /* seconds (0 for the hosts file) */
    char *data;   /* presentation form, as dig +short prints it (same block as name) */
    bool hosts;   /* came from the hosts file, not DNS */
};

/* What a lookup returns. */
struct dns_result {
    enum dns_status status;      /* how it ended */
    char error[NK_ERRLEN];       /* DNS_S_ERROR: why */
    bool have_hdr;               /* a response header was seen: rcode and flags are valid */
    int rcode;                   /* response code of the (last) answer */
    uint16_t flags;              /* its header flags */
    char server[NET_ADDRSTRLEN]; /* "127.0.0.1:53" that answered, "" if none did (or hosts) */
    double time_ms;              /* from dns_lookup to the end */
    struct dns_answer *ans;      /* the records, answer-section order (CNAMEs first) */
    size_t nans;                 /* how many */
    size_t capans;               /* allocated */
    /* With dns_opts.sections (address mode: both answers together, each record once): */
    struct dns_answer *auth; /* the authority section (the SOA of a negative answer) */
    size_t nauth, capauth;   /* how many, allocated */
    struct dns_answer *addl; /* the additional section without the OPT record (glue) */
    size_t naddl, capaddl;   /* how many, allocated */
    int nresp;               /* DNS responses these came from (0: the hosts file, none) */
    bool tcp;                /* a response came over TCP */
    size_t size;             /* bytes of the response(s) */
    bool has_edns;           /* a response had an OPT record: */
    uint16_t edns;           /* ... its UDP buffer size */
};

/* Called once per lookup, maybe from inside dns_lookup (the hosts file answers at once). The
 * result belongs to the callee: move what it keeps, then dns_result_free. */
typedef void (*dns_done_fn)(void *arg, struct dns_result *r);

struct dns;

/* A channel on loop l. NULL with "WHAT: WHY" in err. */
struct dns *dns_new(struct loop *l, const struct dns_opts *o, char err[NK_ERRLEN]);
/* Not from inside a callback. Pending lookups are cancelled (their callbacks run first). */
void dns_free(struct dns *d);

/* Look up ascii_name: type > 0 asks DNS for that type; type 0 is address mode. 0, or -1 with
 * err (out of memory) and no callback. */
int dns_lookup(struct dns *d, const char *ascii_name, int type, dns_done_fn fn, void *arg,
               char err[NK_ERRLEN]);

/* End every pending lookup now: each callback runs with DNS_S_TIMEOUT (the overall deadline). */
void dns_cancel_all(struct dns *d);

/* Lookups still pending. */
size_t dns_pending(const struct dns *d);

/* Reads that found no answer waiting so far: the caller had caught up with the servers. While
 * this stays put, answers are arriving faster than the caller handles them. (Every TCP read
 * counts: a stream does not tell.) */
uint64_t dns_idle_reads(const struct dns *d);

void dns_result_free(struct dns_result *r);

/* A raw query's outcome: the whole response packet, whatever its rcode. */
struct dns_raw {
    enum dns_status status; /* NOERROR when a packet came (any rcode), TIMEOUT, or ERROR */
    char error[NK_ERRLEN];  /* ERROR: why */
    const uint8_t *pkt;     /* the response, valid during the callback only; NULL without one */
    size_t len;             /* its length */
    double rtt_ms;          /* from dns_query_raw to the answer */
};

/* Called once per raw query, maybe from inside dns_query_raw or dns_cancel_all. */
typedef void (*dns_raw_fn)(void *arg, const struct dns_raw *r);

/* Send one query for ascii_name (absolute, no search list) and type to the channel's servers,
 * with RD set only if rd (an iterative resolver asks with it clear) and an EDNS buffer of 1232
 * bytes; fn gets the response packet as it came (a truncated one is asked again over TCP).
 * Give a channel one server to know who answered. 0, or -1 with err and no callback. */
int dns_query_raw(struct dns *d, const char *ascii_name, int type, bool rd, dns_raw_fn fn,
                  void *arg, char err[NK_ERRLEN]);

/* "NOERROR", "NXDOMAIN", ... */
const char *dns_status_name(enum dns_status s);

/* Room for dns_status_text's words. */
#define DNS_TEXT_BUF 64
/* Why lookup r of type (0: address mode) found nothing, as a message puts it after "NAME: ":
 * "no such name (NXDOMAIN)", "no MX record (NODATA)" ("no address (NODATA)" in address mode),
 * "server failure (SERVFAIL)", "query refused (REFUSED)", "no answer in time (TIMEOUT)", or
 * r->error ("connection refused", ...). Points into r, buf or a constant. */
const char *dns_status_text(const struct dns_result *r, int type, char buf[DNS_TEXT_BUF]);

#endif
