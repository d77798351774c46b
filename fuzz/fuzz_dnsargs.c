/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_dnsargs.c - random command-line words through dig's word order (dns_args_parse): words
 * split at NUL bytes, a word starting with \x01 is the value of -x. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "dns/dnsargs.h"
#include "dns/dnsname.h"

#define MAXW 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    struct dns_word w[MAXW];
    int n = 0;
    for (size_t i = 0; i <= size && n < MAXW;) {
        size_t l = strlen(s + i);
        bool rev = s[i] == '\x01';
        w[n++] = (struct dns_word){s + i + (rev ? 1 : 0), rev};
        i += l + 1;
    }
    struct dns_query q[MAXW];
    struct net_addr srv[DNS_MAX_SERVERS];
    int nq = 0, nsrv = 0;
    char err[NK_ERRLEN];
    if (dns_args_parse(w, n, q, MAXW, &nq, srv, DNS_MAX_SERVERS, &nsrv, err) == 0) {
        if (nq > n || nsrv > DNS_MAX_SERVERS)
            __builtin_trap();
        for (int i = 0; i < nq; i++) {
            char rev[DNS_NAME_BUF + 80];
            if (q[i].ntypes < 0 || q[i].ntypes > DNS_ARGS_TYPES || !q[i].name ||
                q[i].name[0] == '@')
                __builtin_trap();
            if (q[i].reverse && !dns_reverse_name(q[i].name, rev, sizeof(rev)))
                __builtin_trap(); /* a -x value that passed is an address */
            for (int k = 0; k < q[i].ntypes; k++)
                if (q[i].types[k] < 1 || q[i].types[k] > 65535)
                    __builtin_trap();
        }
    }
    free(s);
    return 0;
}
