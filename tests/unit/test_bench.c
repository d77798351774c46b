/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bench.c - the bench's preflight (its port range parser is lib/net's: test_net.c). */
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
        cmocka_unit_test(test_preflight_ports_only_for_tcp),
        cmocka_unit_test(test_preflight_descriptor_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
