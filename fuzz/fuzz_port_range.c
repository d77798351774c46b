/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_port_range.c - the ephemeral port range parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lib/net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int lo = 0, hi = 0;
    char err[NK_ERRLEN];
    if (net_parse_port_range((const char *)data, size, &lo, &hi, err) == 0 &&
        !(1 <= lo && lo <= hi && hi <= 65535))
        abort();
    return 0;
}
