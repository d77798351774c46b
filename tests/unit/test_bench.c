/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bench.c - the bench's pure parts: the ephemeral port range parser and preflight. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

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

/* Soft and hard descriptor limits, or false (raising the hard limit needs CAP_SYS_RESOURCE). */
static bool set_nofile(rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};
    return setrlimit(RLIMIT_NOFILE, &rl) == 0;
}

/* An ephemeral range of ten ports, in a network namespace of this test's own (the range is
 * per namespace), or false when this process may not make one (not root). */
static bool ten_ephemeral_ports(void)
{
    if (unshare(CLONE_NEWNET) < 0)
        return false;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "w");
    assert_non_null(f);
    assert_true(fputs("40000 40009\n", f) >= 0);
    assert_int_equal(fclose(f), 0);
    return true;
}

/* TCP needs a local port per connection to one address, so eleven connections do not fit in
 * ten ports and ten do; a Unix socket has no ports, so eleven pass. */
static void test_preflight_ports_only_for_tcp(void **state)
{
    (void)state;
    if (!ten_ephemeral_ports())
        skip();
    struct bench_opts o = {.connections = 11};
    char err[NK_ERRLEN] = "";
    o.addr.ss.ss_family = AF_INET;
    assert_int_equal(bench_preflight(&o, err), -1);
    assert_string_equal(err, "11 connections to one address need as many local ports, but the "
                             "ephemeral range 40000-40009 has 10 "
                             "(sysctl net.ipv4.ip_local_port_range)");
    o.addr.ss.ss_family = AF_INET6;
    err[0] = '\0';
    assert_int_equal(bench_preflight(&o, err), -1);
    assert_non_null(strstr(err, "has 10"));
    o.addr.ss.ss_family = AF_UNIX;
    assert_int_equal(bench_preflight(&o, err), 0);
    o.addr.ss.ss_family = AF_INET;
    o.connections = 10;
    assert_int_equal(bench_preflight(&o, err), 0);
}

/* Every connection needs a descriptor: the soft limit is raised to the hard one, and a run
 * beyond the hard limit is refused before it starts. (Last: it lowers the hard limit.) */
static void test_preflight_descriptor_limit(void **state)
{
    (void)state;
    assert_true(set_nofile(100, 200));
    struct bench_opts o = {.connections = 100};
    char err[NK_ERRLEN] = "";
    o.addr.ss.ss_family = AF_UNIX;
    assert_int_equal(bench_preflight(&o, err), 0); /* fits only once raised to 200 */
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
    assert_int_equal(rl.rlim_cur, 200);
    o.connections = 190;
    assert_int_equal(bench_preflight(&o, err), -1);
    assert_non_null(strstr(err, "190 connections need about"));
    assert_non_null(strstr(err, "but the limit is 200"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_range_ok),
        cmocka_unit_test(test_port_range_bad),
        cmocka_unit_test(test_preflight_ports_only_for_tcp),
        cmocka_unit_test(test_preflight_descriptor_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
