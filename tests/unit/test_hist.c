/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_hist.c - the latency histogram: exact small values, bounded error, percentiles, merge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/hist.h"

static void test_empty(void **state)
{
    (void)state;
    struct hist *h = malloc(sizeof(*h));
    hist_init(h);
    assert_int_equal(hist_percentile(h, 50), 0);
    assert_int_equal(hist_percentile(h, 100), 0);
    assert_true(hist_mean(h) == 0.0);
    free(h);
}

static void test_small_values_exact(void **state)
{
    (void)state;
    for (uint64_t v = 0; v < 512; v++) {
        assert_int_equal(hist_index(v), v);
        assert_int_equal(hist_lowest(hist_index(v)), v);
        assert_int_equal(hist_highest(hist_index(v)), v);
    }
}

/* Every value lies inside its bucket, buckets are contiguous and the error is within 1/256. */
static void test_buckets_contiguous(void **state)
{
    (void)state;
    for (unsigned i = 1; i < HIST_BUCKETS; i++)
        assert_int_equal(hist_lowest(i), hist_highest(i - 1) + 1);
    uint64_t vals[] = {512,   513,   1023,    1024,      1025,
                       65535, 65536, 1000000, 123456789, (UINT64_C(1) << 40) - 1};
    for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
        unsigned i = hist_index(vals[k]);
        assert_true(hist_lowest(i) <= vals[k] && vals[k] <= hist_highest(i));
        assert_true((double)(hist_highest(i) - hist_lowest(i)) <= (double)vals[k] / 256.0);
    }
    assert_int_equal(hist_index((UINT64_C(1) << 40) - 1), HIST_BUCKETS - 1);
}

static void test_clamp_huge(void **state)
{
    (void)state;
    struct hist *h = malloc(sizeof(*h));
    hist_init(h);
    hist_record(h, UINT64_MAX);
    hist_record(h, 5);
    assert_int_equal(hist_index(UINT64_MAX), HIST_BUCKETS - 1);
    assert_int_equal(h->max, UINT64_MAX);
    assert_int_equal(hist_percentile(h, 100), UINT64_MAX);
    assert_int_equal(hist_percentile(h, 50), 5);
    free(h);
}

static void test_percentiles_uniform(void **state)
{
    (void)state;
    struct hist *h = malloc(sizeof(*h));
    hist_init(h);
    for (uint64_t v = 1; v <= 100000; v++)
        hist_record(h, v * 10);
    assert_int_equal(h->count, 100000);
    assert_int_equal(hist_percentile(h, 0), 10);
    assert_int_equal(hist_percentile(h, 100), 1000000);
    uint64_t p50 = hist_percentile(h, 50), p99 = hist_percentile(h, 99),
             p999 = hist_percentile(h, 99.9);
    assert_true(p50 >= 500000 && p50 <= 500000 + 500000 / 256 + 1);
    assert_true(p99 >= 990000 && p99 <= 990000 + 990000 / 256 + 1);
    assert_true(p999 >= 999000 && p999 <= 1000000);
    assert_true(p50 <= p99 && p99 <= p999);
    double mean = hist_mean(h);
    assert_true(mean > 500004 && mean < 500006);
    free(h);
}

static void test_single_value(void **state)
{
    (void)state;
    struct hist *h = malloc(sizeof(*h));
    hist_init(h);
    hist_record(h, 123457);
    /* The bucket's upper edge is clamped to the exact max. */
    assert_int_equal(hist_percentile(h, 50), 123457);
    assert_int_equal(hist_percentile(h, 99.9), 123457);
    assert_int_equal(h->min, 123457);
    free(h);
}

static void test_merge(void **state)
{
    (void)state;
    struct hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    hist_init(a);
    hist_init(b);
    for (int i = 0; i < 90; i++)
        hist_record(a, 100);
    for (int i = 0; i < 10; i++)
        hist_record(b, 5000);
    hist_merge(a, b);
    assert_int_equal(a->count, 100);
    assert_int_equal(a->min, 100);
    assert_int_equal(a->max, 5000);
    assert_int_equal(hist_percentile(a, 90), 100);
    assert_true(hist_percentile(a, 91) >= 5000);
    /* Merging an empty histogram changes nothing. */
    hist_init(b);
    hist_merge(a, b);
    assert_int_equal(a->min, 100);
    assert_int_equal(a->count, 100);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_small_values_exact),
        cmocka_unit_test(test_buckets_contiguous),
        cmocka_unit_test(test_clamp_huge),
        cmocka_unit_test(test_percentiles_uniform),
        cmocka_unit_test(test_single_value),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
