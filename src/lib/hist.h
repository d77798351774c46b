/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hist.h - a constant-memory log-linear latency histogram (HdrHistogram in spirit).
 *
 * Values below 2*M (M = 2^HIST_SUB_BITS) are counted exactly; above, each power of two is split
 * into M equal buckets, so any recorded value is reported within 1/M (0.4%) of itself, whatever
 * its size. Memory is fixed (HIST_BUCKETS counters), recording is a few instructions, two
 * histograms merge by adding counters: one per thread, merged at the end.
 */
#ifndef NK_HIST_H
#define NK_HIST_H

#include <stdint.h>

/* log2 of the linear buckets per power of two: 256 buckets, relative error <= 1/256. */
#define HIST_SUB_BITS 8
/* Largest trackable value is 2^HIST_MAX_BITS - 1 (in nanoseconds: about 18 minutes); larger
 * values are clamped into the last bucket (max still records them exactly). */
#define HIST_MAX_BITS 40
/* Buckets: 2M exact ones, then M per power of two from 2^(SUB_BITS+1) up to 2^MAX_BITS. */
#define HIST_BUCKETS ((HIST_MAX_BITS - HIST_SUB_BITS + 1) * (1u << HIST_SUB_BITS))

struct hist {
    uint64_t count;                /* values recorded */
    uint64_t min;                  /* smallest value recorded, exact (UINT64_MAX when empty) */
    uint64_t max;                  /* largest value recorded, exact (0 when empty) */
    double sum;                    /* sum of the values, for the mean */
    uint64_t counts[HIST_BUCKETS]; /* per-bucket counts */
};

void hist_init(struct hist *h);
void hist_record(struct hist *h, uint64_t v);
/* Add src's counts into dst. */
void hist_merge(struct hist *dst, const struct hist *src);
/* The value at percentile p (0-100): the highest value equivalent to the bucket holding the
 * ceil(p% * count)-th smallest value, clamped to [min, max]. 0 for an empty histogram. */
uint64_t hist_percentile(const struct hist *h, double p);
double hist_mean(const struct hist *h);

/* Bucket arithmetic, exposed for the unit tests. */
unsigned hist_index(uint64_t v);
uint64_t hist_lowest(unsigned idx);  /* smallest value mapping to idx */
uint64_t hist_highest(unsigned idx); /* largest value mapping to idx */

#endif
