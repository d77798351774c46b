/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bench.c - the bench's pure parts: the ephemeral port range parser and preflight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "echo/bench.h"

static int parse(const char *s, int *lo, int *hi)
{
    char err[NK_ERRLEN];
    return bench_parse_port_range(s, strlen(s), lo, hi, err);
}

static void test_port_range_ok(void **state)
{
    (void)state;
    int lo = 0, hi = 0;
    assert_int_equal(parse("32768\t60999\n", &lo, &hi), 0);
    assert_int_equal(lo, 32768);
    assert_int_equal(hi, 60999);
    assert_int_equal(parse("1 65535", &lo, &hi), 0);
    assert_int_equal(hi - lo + 1, 65535);
    assert_int_equal(parse("  1024   1024  \n", &lo, &hi), 0);
    assert_int_equal(lo, hi);
}

static void test_port_range_bad(void **state)
{
    (void)state;
    int lo = 7, hi = 7;
    char err[NK_ERRLEN];
    const char *bad[] = {"",
                         "\n",
                         "32768",
                         "32768\t",
                         "0 100",
                         "100 65536",
                         "60999 32768",
                         "1 2 3",
                         "a b",
                         "-1 5",
                         "99999999999999999999 1",
                         "1\t2x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(parse(bad[i], &lo, &hi), -1);
    assert_int_equal(lo, 7); /* untouched on failure */
    assert_int_equal(bench_parse_port_range("60999 32768", 11, &lo, &hi, err), -1);
    assert_string_equal(err, "port range: 60999-32768 is empty");
    /* Not NUL-terminated: the length is what counts. */
    assert_int_equal(bench_parse_port_range("1000 2000XYZ", 9, &lo, &hi, err), 0);
    assert_int_equal(hi, 2000);
}

static void test_preflight_unix_skips_ports(void **state)
{
    (void)state;
    struct bench_opts o = {.connections = 10};
    char err[NK_ERRLEN];
    o.addr.ss.ss_family = AF_UNIX;
    assert_int_equal(bench_preflight(&o, err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_range_ok),
        cmocka_unit_test(test_port_range_bad),
        cmocka_unit_test(test_preflight_unix_skips_ports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
