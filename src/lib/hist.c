/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hist.c - log-linear histogram: bucket index from the value's top HIST_SUB_BITS+1 bits. */
#include <math.h>
#include <string.h>

#include "lib/hist.h"

#define SUB_COUNT (1u << HIST_SUB_BITS)

void hist_init(struct hist *h)
{
    memset(h, 0, sizeof(*h));
    h->min = UINT64_MAX;
}

unsigned hist_index(uint64_t v)
{
    if (v >= (UINT64_C(1) << HIST_MAX_BITS))
        return HIST_BUCKETS - 1;
    if (v < 2 * SUB_COUNT)
        return (unsigned)v;
    /* v in [2^msb, 2^(msb+1)): keep its top SUB_BITS+1 bits; shift >= 1 here. */
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb - HIST_SUB_BITS;
    return (shift + 1) * SUB_COUNT + (unsigned)((v >> shift) - SUB_COUNT);
}

/* The shift (bucket width log2) of bucket idx. */
static unsigned idx_shift(unsigned idx)
{
    return idx < 2 * SUB_COUNT ? 0 : idx / SUB_COUNT - 1;
}

uint64_t hist_lowest(unsigned idx)
{
    unsigned s = idx_shift(idx);
    if (s == 0)
        return idx;
    return ((uint64_t)(idx % SUB_COUNT) + SUB_COUNT) << s;
}

uint64_t hist_highest(unsigned idx)
{
    return hist_lowest(idx) + (UINT64_C(1) << idx_shift(idx)) - 1;
}

void hist_record(struct hist *h, uint64_t v)
{
    h->counts[hist_index(v)]++;
    h->count++;
    h->sum += (double)v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        dst->counts[i] += src->counts[i];
    dst->count += src->count;
    dst->sum += src->sum;
    if (src->min < dst->min)
        dst->min = src->min;
    if (src->max > dst->max)
        dst->max = src->max;
}

uint64_t hist_percentile(const struct hist *h, double p)
{
    if (h->count == 0)
        return 0;
    if (p <= 0)
        return h->min;
    if (p >= 100)
        return h->max;
    uint64_t want = (uint64_t)ceil(p / 100.0 * (double)h->count);
    if (want < 1)
        want = 1;
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= want) {
            uint64_t v = hist_highest(i);
            return v < h->min ? h->min : v > h->max ? h->max : v;
        }
    }
    return h->max;
}

double hist_mean(const struct hist *h)
{
    return h->count ? h->sum / (double)h->count : 0.0;
}
