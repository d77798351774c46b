/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_targets.c - scan target lists: addresses, blocks, names, and what is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "ports/targets.h"

static void expect_err(const char *s, bool force, const char *msg)
{
    struct targets t = {0};
    char err[NK_ERRLEN] = "";
    assert_int_equal(targets_parse(s, force, &t, err), -1);
    assert_string_equal(err, msg);
    targets_free(&t);
}

static const char *ntop(const struct target *t, uint64_t i, char *buf, size_t len)
{
    struct net_addr a;
    target_addr(t, i, &a);
    return net_ntop((const struct sockaddr *)&a.ss, buf, len);
}

static void test_mixed_list(void **state)
{
    (void)state;
    struct targets t = {0};
    char err[NK_ERRLEN], b[NET_ADDRSTRLEN];
    assert_int_equal(targets_parse("10.0.0.0/28,db.example,[::1]", false, &t, err), 0);
    assert_int_equal(targets_parse("::1,2001:db8::/126", false, &t, err), 0); /* appends */
    assert_int_equal(t.n, 5);
    assert_int_equal(t.v[0].kind, TARGET_CIDR);
    assert_int_equal(t.v[0].prefix, 28);
    assert_int_equal(target_size(&t.v[0]), 16);
    assert_string_equal(ntop(&t.v[0], 0, b, sizeof(b)), "10.0.0.0");
    assert_string_equal(ntop(&t.v[0], 15, b, sizeof(b)), "10.0.0.15");
    assert_int_equal(t.v[1].kind, TARGET_NAME);
    assert_string_equal(t.v[1].text, "db.example");
    assert_int_equal(target_size(&t.v[1]), 0);
    assert_int_equal(t.v[2].kind, TARGET_ADDR);
    assert_string_equal(t.v[2].text, "::1");
    assert_int_equal(target_size(&t.v[2]), 1);
    assert_int_equal(t.v[3].kind, TARGET_ADDR);
    assert_int_equal(t.v[4].kind, TARGET_CIDR);
    assert_int_equal(target_size(&t.v[4]), 4);
    assert_string_equal(ntop(&t.v[4], 3, b, sizeof(b)), "2001:db8::3");
    targets_free(&t);
}

static void test_host_bits_cleared_and_carry(void **state)
{
    (void)state;
    struct targets t = {0};
    char err[NK_ERRLEN], b[NET_ADDRSTRLEN];
    assert_int_equal(targets_parse("192.168.1.77/23", false, &t, err), 0);
    assert_string_equal(ntop(&t.v[0], 0, b, sizeof(b)), "192.168.0.0");
    assert_string_equal(ntop(&t.v[0], 256, b, sizeof(b)), "192.168.1.0");
    assert_string_equal(ntop(&t.v[0], 511, b, sizeof(b)), "192.168.1.255");
    assert_int_equal(targets_parse("10.1.2.3/32,10.1.2.3/31,[fe80::1]/128", false, &t, err), 0);
    assert_int_equal(target_size(&t.v[1]), 1);
    assert_int_equal(target_size(&t.v[2]), 2);
    assert_string_equal(ntop(&t.v[2], 1, b, sizeof(b)), "10.1.2.3");
    assert_int_equal(target_size(&t.v[3]), 1);
    assert_int_equal(targets_parse("10.0.0.0/16,::/112", false, &t, err), 0); /* the limits */
    assert_int_equal(target_size(&t.v[4]), 65536);
    assert_string_equal(ntop(&t.v[5], 65535, b, sizeof(b)), "::ffff");
    targets_free(&t);
}

static void test_force(void **state)
{
    (void)state;
    struct targets t = {0};
    char err[NK_ERRLEN];
    expect_err("10.0.0.0/15", false, "'10.0.0.0/15': 131072 addresses, more than /16: add --force");
    expect_err("fd00::/111", false, "'fd00::/111': 131072 addresses, more than /112: add --force");
    assert_int_equal(targets_parse("10.0.0.0/8", true, &t, err), 0);
    assert_int_equal(target_size(&t.v[0]), 1u << 24);
    expect_err("10.0.0.0/7", true, "'10.0.0.0/7': more than 16777216 addresses: too large to scan");
    expect_err("::/0", true, "'::/0': more than 16777216 addresses: too large to scan");
    targets_free(&t);
}

static void test_errors(void **state)
{
    (void)state;
    expect_err("", false, "'': empty target");
    expect_err("a,,b", false, "'a,,b': empty item");
    expect_err("a,", false, "'a,': empty item");
    expect_err(",a", false, "',a': empty item");
    expect_err("10.0.0.0/33", false, "'10.0.0.0/33': prefix length out of range (0-32)");
    expect_err("::/129", false, "'::/129': prefix length out of range (0-128)");
    expect_err("10.0.0.0/", false, "'10.0.0.0/': prefix length out of range (0-32)");
    expect_err("10.0.0.0/2x", false, "'10.0.0.0/2x': prefix length out of range (0-32)");
    expect_err("10.0.0.0/-1", false, "'10.0.0.0/-1': prefix length out of range (0-32)");
    expect_err("host/24", false, "'host/24': not an address block");
    expect_err("fe80::%lo/64", false, "'fe80::%lo/64': not an address block");
    expect_err("[::1", false, "'[::1': unbalanced brackets");
    expect_err("[::1]x", false, "'[::1]x': unbalanced brackets");
    expect_err("1::2::3", false, "'1::2::3': not an IP address");
}

static bool match(const char *prefix, int family, const char *addr)
{
    struct target t;
    char err[NK_ERRLEN];
    assert_int_equal(target_prefix_parse(prefix, &t, err), 0);
    uint8_t raw[16];
    assert_int_equal(inet_pton(family, addr, raw), 1);
    return target_match(&t, family, raw);
}

static void test_prefix_match(void **state)
{
    (void)state;
    assert_true(match("10.0.0.0/8", AF_INET, "10.200.1.2"));
    assert_false(match("10.0.0.0/8", AF_INET, "11.0.0.1"));
    assert_true(match("192.168.1.128/25", AF_INET, "192.168.1.200"));
    assert_false(match("192.168.1.128/25", AF_INET, "192.168.1.127"));
    assert_true(match("0.0.0.0/0", AF_INET, "1.2.3.4")); /* no size limit here */
    assert_true(match("127.0.0.1", AF_INET, "127.0.0.1"));
    assert_false(match("127.0.0.1", AF_INET, "127.0.0.2"));
    assert_true(match("127.0.0.0/8", AF_INET6, "::ffff:127.0.0.5")); /* IPv4-mapped */
    assert_false(match("127.0.0.0/8", AF_INET6, "::1"));
    assert_true(match("::1", AF_INET6, "::1"));
    assert_true(match("[::1]", AF_INET6, "::1"));
    assert_true(match("[fe80::]/10", AF_INET6, "fe80::1"));
    assert_true(match("2001:db8::/33", AF_INET6, "2001:db8:7fff::1"));
    assert_false(match("2001:db8::/33", AF_INET6, "2001:db8:8000::1"));
    assert_false(match("::/0", AF_INET, "1.2.3.4"));
    struct target t;
    char err[NK_ERRLEN];
    assert_int_equal(target_prefix_parse("db.example", &t, err), -1);
    assert_string_equal(err, "'db.example': not an address or ADDR/LEN");
    assert_int_equal(target_prefix_parse("", &t, err), -1);
    assert_int_equal(target_prefix_parse("10.0.0.0/40", &t, err), -1);
    assert_string_equal(err, "'10.0.0.0/40': prefix length out of range (0-32)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed_list),   cmocka_unit_test(test_host_bits_cleared_and_carry),
        cmocka_unit_test(test_force),        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_prefix_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
