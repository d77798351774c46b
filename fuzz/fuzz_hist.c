/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_hist.c - record arbitrary values; percentiles must stay ordered and within [min, max],
 * and every value must land in a bucket that contains it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct hist h;
    hist_init(&h);
    for (size_t i = 0; i + 8 <= size; i += 8) {
        uint64_t v;
        memcpy(&v, data + i, 8);
        v >>= data[i] % 64; /* spread over every magnitude */
        unsigned idx = hist_index(v);
        if (idx >= HIST_BUCKETS)
            abort();
        if (v < (UINT64_C(1) << HIST_MAX_BITS) && (hist_lowest(idx) > v || hist_highest(idx) < v))
            abort();
        hist_record(&h, v);
    }
    uint64_t prev = hist_percentile(&h, 0);
    double ps[] = {1, 25, 50, 90, 99, 99.9, 100};
    for (size_t k = 0; k < sizeof(ps) / sizeof(ps[0]); k++) {
        uint64_t p = hist_percentile(&h, ps[k]);
        if (p < prev || (h.count && (p < h.min || p > h.max)))
            abort();
        prev = p;
    }
    return 0;
}
