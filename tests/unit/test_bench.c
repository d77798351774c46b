/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_bench.c - the bench's preflight (its port range parser is lib/net's: test_net.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "echo/bench.h"

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
        cmocka_unit_test(test_preflight_unix_skips_ports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
