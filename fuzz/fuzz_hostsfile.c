/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: random bytes as a hosts file; every name of the input is looked up, and what is
 * found is that name (case ignored) with an address inet_pton reads back. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "dns/hostsfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hosts *h = hosts_parse((const char *)data, size);
    if (!h)
        return 0;
    /* Each word of the input, as a name. */
    char name[64];
    size_t i = 0;
    while (i < size) {
        size_t k = 0;
        while (i < size && (data[i] <= ' ' || data[i] == '#'))
            i++;
        while (i < size && data[i] > ' ' && data[i] != '#' && k + 1 < sizeof(name))
            name[k++] = (char)data[i++];
        while (i < size && data[i] > ' ' && data[i] != '#')
            i++;
        name[k] = '\0';
        if (k == 0)
            continue;
        const struct hosts_entry *e;
        size_t n = hosts_find(h, name, &e);
        unsigned last = 0;
        for (size_t j = 0; j < n; j++) {
            unsigned char bin[16];
            if (strcasecmp(e[j].name, name) != 0 || (j && e[j].line < last) ||
                inet_pton(e[j].family, e[j].addr, bin) != 1)
                abort();
            last = e[j].line;
        }
        (void)hosts_plain_name(name);
    }
    hosts_free(h);
    return 0;
}
