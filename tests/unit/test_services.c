/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_services.c - port classes, the ephemeral range parser, the service table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "ports/services.h"

static void test_class(void **state)
{
    (void)state;
    assert_string_equal(services_class(0), "well-known");
    assert_string_equal(services_class(1023), "well-known");
    assert_string_equal(services_class(1024), "registered");
    assert_string_equal(services_class(49151), "registered");
    assert_string_equal(services_class(49152), "dynamic");
    assert_string_equal(services_class(65535), "dynamic");
}

static void test_range_parse(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    int lo, hi;
    assert_int_equal(services_parse_range("32768\t60999\n", &lo, &hi, err), 0);
    assert_int_equal(lo, 32768);
    assert_int_equal(hi, 60999);
    assert_int_equal(services_parse_range("40000 40000", &lo, &hi, err), 0);
    assert_int_equal(lo, 40000);
    assert_int_equal(services_parse_range("", &lo, &hi, err), -1);
    assert_int_equal(services_parse_range("1 2 3", &lo, &hi, err), -1);
    assert_int_equal(services_parse_range("x 2", &lo, &hi, err), -1);
    assert_int_equal(services_parse_range("70000 70001", &lo, &hi, err), -1);
    assert_string_equal(err, "70000: port out of range (0-65535)");
    assert_int_equal(services_parse_range("5 4", &lo, &hi, err), -1);
    assert_string_equal(err, "ephemeral port range: 5 > 4");
}

static void test_range_file(void **state)
{
    (void)state;
    char path[] = "/tmp/nk-range-XXXXXX", err[NK_ERRLEN];
    int fd = mkstemp(path), lo, hi;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "1024\t2048\n", 10), 10);
    close(fd);
    assert_int_equal(services_ephemeral_range(path, &lo, &hi, err), 0);
    assert_int_equal(lo, 1024);
    assert_int_equal(hi, 2048);
    unlink(path);
    assert_int_equal(services_ephemeral_range(path, &lo, &hi, err), -1);
    assert_non_null(strstr(err, "no such file"));
}

static void test_lookups(void **state)
{
    (void)state;
    struct service s;
    /* netbase is a dependency: ssh is 22/tcp there. */
    assert_int_equal(services_by_name("ssh", "tcp", &s), 1);
    assert_int_equal(s.port, 22);
    assert_string_equal(s.proto, "tcp");
    assert_int_equal(services_by_port(80, "tcp", &s), 1);
    assert_string_equal(s.name, "http");
    assert_int_equal(s.naliases, 1);
    assert_string_equal(s.aliases[0], "www");
    assert_int_equal(services_by_name("www", "tcp", &s), 1); /* an alias */
    assert_string_equal(s.name, "http");
    assert_int_equal(services_by_name("no-such-service", "tcp", &s), 0);
    assert_int_equal(services_by_port(1, "udp", &s), 0);
}

static void test_table(void **state)
{
    (void)state;
    struct services_table t;
    assert_int_equal(services_table_load(&t), 0);
    assert_string_equal(services_table_name(&t, 22, IPPROTO_TCP), "ssh");
    assert_string_equal(services_table_name(&t, 53, IPPROTO_UDP), "domain");
    assert_null(services_table_name(&t, 1, IPPROTO_UDP));
    assert_null(services_table_name(&t, 70000, IPPROTO_TCP));
    services_table_free(&t);
    assert_null(services_table_name(&t, 22, IPPROTO_TCP));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_class),      cmocka_unit_test(test_range_parse),
        cmocka_unit_test(test_range_file), cmocka_unit_test(test_lookups),
        cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
