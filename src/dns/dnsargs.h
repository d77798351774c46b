/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsargs.h - dig's word order for `netkit resolve`: the positional words and the values of -x,
 * in the order the command line gave them, into queries and servers. Pure: words in, queries
 * out; unit tests and a fuzzer feed it directly.
 *
 *   @SERVER        a server, as -s SERVER (anywhere on the line; every query asks it)
 *   -x ADDR        a query for the PTR of ADDR (its reverse name)
 *   NAME           a query for NAME
 *   TYPE           right after a query (or after another TYPE of it): asks that query for TYPE
 *                  (a mnemonic or TYPEnnn, any case; several are all asked, in order). Before
 *                  any query a word is a name: `resolve mx` looks up the host mx.
 *   IN             right after a query: its class, accepted (netkit asks class IN only); the
 *                  other classes there (CH, HS, CLASSnnn) are refused, as is a dig +option
 *
 * A type word belongs to the query before it only: `a.test MX b.test` asks a.test for MX and
 * b.test for the default (dig clones its default lookup for each new name the same way).
 */
#ifndef NK_DNSARGS_H
#define NK_DNSARGS_H

#include <stdbool.h>
#include "lib/net.h"
#include "lib/nk.h"

/* Most type words after one query. */
#define DNS_ARGS_TYPES 16

/* One word of the command line. */
struct dns_word {
    const char *s; /* the word */
    bool reverse;  /* the value of -x */
};

/* One query. */
struct dns_query {
    const char *name;          /* as given (the address for -x); points into the words */
    int types[DNS_ARGS_TYPES]; /* the type words after it, in order */
    int ntypes;                /* how many (0: the command's default) */
    bool reverse;              /* -x: name is an address, asked as its reverse name */
};

/* A word that is a record type where dig takes one: a mnemonic ("mx") or TYPEnnn, never a bare
 * number (`resolve example.org 53` looks up 53). 1 with *type set, or 0. */
int dns_type_word(const char *s, int *type);

/* The n words into at most maxq queries (q, *nq) and servers appended to srv[*nsrv] (at most
 * maxsrv in all). 0, or -1 naming the bad word in err ("'@': missing server", "-x 'foo': not
 * an IP address", a bad server, too many types). */
int dns_args_parse(const struct dns_word *w, int n, struct dns_query *q, int maxq, int *nq,
                   struct net_addr *srv, int maxsrv, int *nsrv, char err[NK_ERRLEN]);

#endif
