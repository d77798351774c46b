/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_echo_bind.c - echo-serve's -b address parser on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "echo/echo_server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (!s)
        return 0;
    struct net_addr a;
    char err[NK_ERRLEN];
    if (es_parse_bind(s, &a, err) == 0) {
        /* Whatever parsed must format and be an address family a socket can use. */
        char buf[NET_ADDRSTRLEN];
        net_ntop_port((struct sockaddr *)&a.ss, buf, sizeof(buf));
        if (a.ss.ss_family != AF_INET && a.ss.ss_family != AF_INET6)
            abort();
        (void)es_udp_drop((struct sockaddr *)&a.ss);
    }
    free(s);
    return 0;
}
