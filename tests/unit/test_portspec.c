/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_portspec.c - port lists and lookup arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ports/portspec.h"

static struct portspec ps;

static int fake_names(const char *name, void *arg)
{
    (void)arg;
    if (strcmp(name, "ssh") == 0)
        return 22;
    if (strcmp(name, "http") == 0)
        return 80;
    return -1;
}

static void expect_err(const char *spec, const char *msg)
{
    char err[NK_ERRLEN] = "";
    assert_int_equal(portspec_parse(spec, &ps, fake_names, NULL, err), -1);
    assert_string_equal(err, msg);
}

static void test_list(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    assert_int_equal(portspec_parse("22,80,8000-8100", &ps, NULL, NULL, err), 0);
    assert_int_equal(ps.count, 103);
    assert_true(portspec_has(&ps, 22));
    assert_true(portspec_has(&ps, 8000));
    assert_true(portspec_has(&ps, 8100));
    assert_false(portspec_has(&ps, 8101));
    assert_false(portspec_has(&ps, 23));
    assert_int_equal(portspec_next(&ps, 0), 22);
    assert_int_equal(portspec_next(&ps, 23), 80);
    assert_int_equal(portspec_next(&ps, 81), 8000);
    assert_int_equal(portspec_next(&ps, 8101), -1);
}

static void test_full_range_and_edges(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    assert_int_equal(portspec_parse("0-65535", &ps, NULL, NULL, err), 0);
    assert_int_equal(ps.count, 65536);
    assert_int_equal(portspec_next(&ps, 65535), 65535);
    assert_int_equal(portspec_next(&ps, 63), 63);
    assert_int_equal(portspec_next(&ps, 64), 64);
    assert_int_equal(portspec_parse("65535", &ps, NULL, NULL, err), 0);
    assert_int_equal(ps.count, 1);
    assert_int_equal(portspec_next(&ps, 0), 65535);
    assert_int_equal(portspec_parse("0", &ps, NULL, NULL, err), 0);
    assert_int_equal(portspec_next(&ps, 0), 0);
    assert_int_equal(portspec_parse("7-7", &ps, NULL, NULL, err), 0);
    assert_int_equal(ps.count, 1);
}

static void test_duplicates_counted_once(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    assert_int_equal(portspec_parse("80,80,70-90,ssh,22", &ps, fake_names, NULL, err), 0);
    assert_int_equal(ps.count, 22);
}

static void test_names(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    assert_int_equal(portspec_parse("ssh,http", &ps, fake_names, NULL, err), 0);
    assert_int_equal(ps.count, 2);
    assert_true(portspec_has(&ps, 22) && portspec_has(&ps, 80));
    /* Without a resolver a name is an unknown service. */
    assert_int_equal(portspec_parse("ssh", &ps, NULL, NULL, err), -1);
    assert_string_equal(err, "'ssh': unknown service");
}

static void test_errors(void **state)
{
    (void)state;
    expect_err("0-70000", "70000: port out of range (0-65535)");
    expect_err("70000", "70000: port out of range (0-65535)");
    expect_err("99999999999999999999", "99999999999999999999: port out of range (0-65535)");
    expect_err("10-5", "10-5: empty range (10 > 5)");
    expect_err("abc", "'abc': unknown service");
    expect_err("", "'': empty port list");
    expect_err("22,,80", "'22,,80': empty item");
    expect_err(",22", "',22': empty item");
    expect_err("22,", "'22,': empty item");
    expect_err("1x", "'1x': port is not a number");
    expect_err("10-", "'10-': not a port or range");
    expect_err("10--20", "'10--20': not a port or range");
    expect_err("1-2-3", "'2-3': port is not a number");
    expect_err("22 ,80", "'22 ': port is not a number");
    char err[NK_ERRLEN];
    assert_int_equal(portspec_parse(NULL, &ps, NULL, NULL, err), -1);
}

static void test_item_kinds(void **state)
{
    (void)state;
    char err[NK_ERRLEN];
    int lo, hi;
    assert_int_equal(portspec_item("80", &lo, &hi, err), PORTSPEC_PORT);
    assert_int_equal(lo, 80);
    assert_int_equal(hi, 80);
    assert_int_equal(portspec_item("8000-8100", &lo, &hi, err), PORTSPEC_RANGE);
    assert_int_equal(lo, 8000);
    assert_int_equal(hi, 8100);
    assert_int_equal(portspec_item("ssh", &lo, &hi, err), PORTSPEC_NAME);
    assert_int_equal(portspec_item("-5", &lo, &hi, err), PORTSPEC_NAME);
    assert_int_equal(portspec_item("", &lo, &hi, err), PORTSPEC_BAD);
    assert_string_equal(err, "'': empty port or service");
    assert_int_equal(portspec_item("65536", &lo, &hi, err), PORTSPEC_BAD);
    assert_string_equal(err, "65536: port out of range (0-65535)");
    char longarg[200];
    memset(longarg, '1', sizeof(longarg) - 1);
    longarg[sizeof(longarg) - 1] = '\0';
    assert_int_equal(portspec_item(longarg, &lo, &hi, err), PORTSPEC_BAD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_full_range_and_edges),
        cmocka_unit_test(test_duplicates_counted_once),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_item_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
