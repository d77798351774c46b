/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostaddr.h - a host argument (name or numeric address) to the list of addresses to try, for
 * the commands that connect somewhere (echo-connect, ports --scan). Names go through dns.h's
 * address mode, as `resolve` asks them: the hosts file first (CARES_HOSTS honoured), then DNS
 * with resolv.conf's servers and search list, or the DNS servers given. Numeric addresses
 * never touch DNS. */
#ifndef NK_HOSTADDR_H
#define NK_HOSTADDR_H

#include <stddef.h>
#include "lib/net.h"

/* What to look up. */
struct hostaddr_req {
    const char *host;   /* a name, an IPv4 address or an IPv6 address (optionally [bracketed]) */
    int port;           /* stored into every address returned */
    int family;         /* AF_UNSPEC (both, IPv6 first as RFC 6724 would), AF_INET or AF_INET6 */
    int timeout_ms;     /* overall deadline for the lookup; 0 means NK_TIMEOUT_MS */
    const char *server; /* DNS servers "ADDR[:PORT],..." (dns_servers_parse), or NULL for
                           resolv.conf's */
};

/* Fills *addrs (malloc'd, free() it) with *n >= 1 addresses, IPv6 first, and returns 0; or
 * returns -1 with "HOST: " and dns_status_text's words in err ("HOST: no such name (NXDOMAIN)",
 * "HOST: no answer in time (TIMEOUT)" ...). A malformed host (empty, bad label: the checks of
 * dns_name_to_ascii) returns -2 (bad input: exit 2). */
int hostaddr_lookup(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                    char err[NK_ERRLEN]);

struct dns_result;
/* hostaddr_lookup, keeping the lookup itself in *res for a caller that shows it (trace's name
 * step): the records with their TTLs and hosts-file flags, the CNAMEs, the server that answered,
 * the time and the status, also when the lookup failed (-1). A numeric host or localhost leaves
 * *res zeroed (status NOERROR, no records). dns_result_free(res) afterwards in every case. */
int hostaddr_lookup_result(const struct hostaddr_req *req, struct net_addr **addrs, size_t *n,
                           struct dns_result *res, char err[NK_ERRLEN]);

#endif
