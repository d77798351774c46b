/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_dnsname.c - random text as a query name, a type list, a server list, an address. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "dns/dnsname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (!s)
        return 0;
    char err[NK_ERRLEN], out[DNS_NAME_BUF], rev[128], csv[DNS_MAX_SERVERS * NET_ADDRSTRLEN];
    if (dns_name_to_ascii(s, out, err) == 0 && dns_name_check(out, err) != 0)
        __builtin_trap(); /* what the conversion returns is always a valid name */
    int types[8], nt = 0, t;
    dns_type_list_parse(s, types, 8, &nt, err);
    if (dns_type_parse(s, &t, err) == 0 && (t < 1 || t > 65535))
        __builtin_trap();
    struct net_addr srv[DNS_MAX_SERVERS];
    int ns = 0;
    if (dns_servers_parse(s, srv, DNS_MAX_SERVERS, &ns, err) == 0)
        dns_servers_csv(srv, ns, csv, sizeof(csv));
    dns_reverse_name(s, rev, sizeof(rev));
    free(s);
    return 0;
}
