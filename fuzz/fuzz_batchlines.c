/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: random bytes, in chunks of random sizes, through resolve -f's line splitter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "dns/dnsbatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] * 37 + 1; /* the first byte picks the read size */
    data++;
    size--;
    struct dnsb_lines *r = calloc(1, sizeof(*r));
    if (!r)
        return 0;
    size_t off = 0, total = 0;
    uint64_t last = 0;
    char err[NK_ERRLEN], *line;
    for (;;) {
        int rc = dnsb_lines_next(r, &line, err);
        if (rc == -1)
            break;
        if (rc == 1 || rc == 2) {
            size_t l = strlen(line);
            /* A line holds no newline, fits the limit, and line numbers only go up by one. */
            if (memchr(line, '\n', l) || l > DNSB_LINE_MAX || r->lineno != last + 1)
                abort();
            last = r->lineno;
            total += l;
            continue;
        }
        if (rc != 0)
            abort();
        size_t room;
        char *p = dnsb_lines_space(r, &room);
        size_t k = size - off < chunk ? size - off : chunk;
        if (room == 0)
            abort(); /* it would never end */
        k = k < room ? k : room;
        memcpy(p, data + off, k);
        off += k;
        dnsb_lines_added(r, k);
    }
    if (off != size)
        abort(); /* the end came before the input did */
    free(r);
    (void)total;
    return 0;
}
