/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer: random bytes as nsswitch.conf. A services line that comes back is shorter than the
 * buffer, NUL-terminated, never empty, has no `db` source when there is no database, no '[', and
 * its sources appear in the input in the same order. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "ports/services.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *conf = fuzz_cstr(data, size);
    if (!conf)
        return 0;
    for (size_t cap = 1; cap <= 64; cap *= 4) {
        char out[64];
        memset(out, 'x', sizeof(out));
        bool have_db = cap & 1;
        int rc = services_nss_line(conf, have_db, out, cap);
        if (rc != 0 && rc != 1)
            abort();
        if (!rc)
            continue;
        size_t len = strnlen(out, cap);
        if (len == 0 || len >= cap || have_db || strchr(out, '['))
            abort();
        const char *from = strstr(conf, "services:");
        for (char *w = strtok(out, " "); w; w = strtok(NULL, " ")) {
            if (strcmp(w, "db") == 0 || !from || !(from = strstr(from, w)))
                abort();
            from += strlen(w);
        }
    }
    free(conf);
    return 0;
}
