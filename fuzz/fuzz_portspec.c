/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_portspec.c - port lists and lookup arguments from arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ports/portspec.h"

static int names(const char *name, void *arg)
{
    (void)arg;
    return strcmp(name, "ssh") == 0 ? 22 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct portspec ps;
    char *s = fuzz_cstr(data, size);
    if (!s)
        return 0;
    char err[NK_ERRLEN];
    if (portspec_parse(s, &ps, names, NULL, err) == 0) {
        /* The count and the bitmap agree, and iteration visits exactly the set. */
        size_t n = 0;
        for (int p = portspec_next(&ps, 0); p >= 0; p = portspec_next(&ps, p + 1)) {
            if (!portspec_has(&ps, p))
                abort();
            n++;
        }
        if (n != ps.count || n == 0)
            abort();
    } else if (!err[0]) {
        abort(); /* a failure always says why */
    }
    int lo, hi;
    enum portspec_kind k = portspec_item(s, &lo, &hi, err);
    if ((k == PORTSPEC_PORT || k == PORTSPEC_RANGE) && (lo < 0 || hi > 65535 || lo > hi))
        abort();
    free(s);
    return 0;
}
