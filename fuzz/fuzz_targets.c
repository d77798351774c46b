/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_targets.c - scan target lists from arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ports/targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    if (!s)
        return 0;
    struct targets t = {0};
    char err[NK_ERRLEN] = "";
    bool force = size && (data[0] & 1);
    if (targets_parse(s, force, &t, err) == 0) {
        for (size_t i = 0; i < t.n; i++) {
            const struct target *x = &t.v[i];
            uint64_t n = target_size(x);
            if (x->kind == TARGET_NAME ? n != 0 : (n == 0 || n > TARGETS_MAX_BLOCK))
                abort();
            if (x->kind == TARGET_CIDR && !force &&
                x->prefix <
                    (x->base.ss.ss_family == AF_INET ? TARGETS_MIN_PREFIX4 : TARGETS_MIN_PREFIX6))
                abort();
            if (n) { /* the first and last addresses stay inside the block */
                struct net_addr a;
                target_addr(x, n - 1, &a);
                if (a.ss.ss_family != x->base.ss.ss_family)
                    abort();
            }
            if (!memchr(x->text, '\0', sizeof(x->text)))
                abort();
        }
    } else if (!err[0]) {
        abort(); /* a failure always says why */
    }
    targets_free(&t);
    free(s);
    return 0;
}
