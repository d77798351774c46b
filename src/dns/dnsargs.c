/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dnsargs.c - dig's word order: @SERVER, -x ADDR, NAME and the type words after it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/err.h"
#include "dns/dnsargs.h"
#include "dns/dnsname.h"

int dns_type_word(const char *s, int *type)
{
    char err[NK_ERRLEN];
    if (!*s || isdigit((unsigned char)s[0]))
        return 0;
    return dns_type_parse(s, type, err) == 0;
}

/* A class word other than IN, as dig takes it after a name (version.bind CH TXT). */
static bool other_class(const char *s)
{
    static const char *const cls[] = {"CH", "CHAOS", "HS", "HESIOD", "NONE", NULL};
    for (int i = 0; cls[i]; i++)
        if (strcasecmp(s, cls[i]) == 0)
            return true;
    return strncasecmp(s, "CLASS", 5) == 0 && isdigit((unsigned char)s[5]);
}

int dns_args_parse(const struct dns_word *w, int n, struct dns_query *q, int maxq, int *nq,
                   struct net_addr *srv, int maxsrv, int *nsrv, char err[NK_ERRLEN])
{
    struct dns_query *cur = NULL; /* the query a type word would belong to */
    for (int i = 0; i < n; i++) {
        const char *s = w[i].s;
        int type;
        if (w[i].reverse) {
            char rev[DNS_NAME_BUF + 80];
            if (!dns_reverse_name(s, rev, sizeof(rev)))
                return nk_seterr(err, "-x '%.64s': not an IP address", s);
        } else if (s[0] == '@') {
            if (!s[1])
                return nk_seterr(err, "'@': missing server");
            if (dns_servers_parse(s + 1, srv, maxsrv, nsrv, err) < 0)
                return -1;
            continue; /* a server between a name and its type words changes nothing */
        } else if (cur && dns_type_word(s, &type)) {
            if (cur->ntypes >= DNS_ARGS_TYPES)
                return nk_seterr(err, "'%.64s': too many types for %.64s (at most %d)", s,
                                 cur->name, DNS_ARGS_TYPES);
            cur->types[cur->ntypes++] = type;
            continue;
        } else if (cur && strcasecmp(s, "IN") == 0) {
            continue; /* the class: the only one netkit asks */
        } else if (cur && other_class(s)) {
            return nk_seterr(err, "'%.64s': only class IN is asked", s);
        } else if (s[0] == '+') {
            return nk_seterr(err,
                             "'%.64s': dig's +options are not taken (see --help: --short, "
                             "--tcp, --timeout, --tries)",
                             s);
        }
        if (*nq >= maxq)
            return nk_seterr(err, "'%.64s': too many names (at most %d)", s, maxq);
        cur = &q[(*nq)++];
        memset(cur, 0, sizeof(*cur));
        cur->name = s;
        cur->reverse = w[i].reverse;
    }
    return 0;
}
