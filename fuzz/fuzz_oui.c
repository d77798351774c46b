/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_oui.c - random registry text: the line parser on every line, the scan for OUIs taken
 * from the input's first bytes, and the index built from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "link/oui.h"
#include "link/ouiidx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 6)
        return 0;
    struct oui_query q[2] = {{{data[0], data[1], data[2]}, false, ""},
                             {{data[3], data[4], data[5]}, false, ""}};
    /* An exact-size copy, so reading one byte too far is caught. */
    char *buf = malloc(size - 6 + 1);
    if (!buf)
        return 0;
    memcpy(buf, data + 6, size - 6);
    size_t len = size - 6;
    oui_scan(buf, len, q, 2);
    for (int i = 0; i < 2; i++)
        if (q[i].found && strlen(q[i].vendor) >= OUI_NAMELEN)
            abort();
    size_t start = 0;
    for (size_t i = 0; i <= len; i++)
        if (i == len || buf[i] == '\n') {
            uint8_t oui[3];
            char vendor[OUI_NAMELEN];
            oui_parse_line(buf + start, i - start, oui, vendor, sizeof(vendor));
            start = i + 1;
        }
    oui_applies(data, size >= 8 ? 8 : 6);
    /* The index over the same text, from an offset taken from the input. */
    struct ouiidx_entry *e = NULL;
    size_t ne = 0, cap = 0, from = len ? data[0] % (len + 1) : 0;
    if (ouiidx_collect(buf, len, from, len, 0, &e, &ne, &cap) == 0) {
        ouiidx_sort(e, ne);
        for (size_t i = 0; i < ne; i++)
            if (ouiidx_find(e, ne, e[i].oui) == NULL || e[i].offset >= len)
                abort();
    }
    free(e);
    free(buf);
    return 0;
}
