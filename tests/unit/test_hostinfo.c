/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_hostinfo.c - resolv.conf parsing and default-gateway selection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "link/hostinfo.h"

static void parse(const char *text, struct nk_resolv *r)
{
    nk_resolv_parse(text, strlen(text), r);
}

static void test_resolv_basic(void **state)
{
    (void)state;
    struct nk_resolv r;
    parse("# generated\n"
          "nameserver 192.0.2.53\n"
          "nameserver\t2001:db8::53  # trailing comment\n"
          "; another comment\n"
          "search example.test corp.example.test\n"
          "options ndots:2 timeout:1\n"
          "nameserver 127.0.0.1",
          &r);
    assert_int_equal(r.nservers, 3);
    assert_string_equal(r.servers[0], "192.0.2.53");
    assert_string_equal(r.servers[1], "2001:db8::53");
    assert_string_equal(r.servers[2], "127.0.0.1"); /* no final newline */
    assert_int_equal(r.nsearch, 2);
    assert_string_equal(r.search[0], "example.test");
    assert_string_equal(r.search[1], "corp.example.test");
}

static void test_resolv_last_search_wins(void **state)
{
    (void)state;
    struct nk_resolv r;
    parse("search a.test b.test\ndomain only.test extra.test\n", &r);
    assert_int_equal(r.nsearch, 1);
    assert_string_equal(r.search[0], "only.test");
    parse("domain d.test\r\nsearch s1.test   s2.test\r\n", &r);
    assert_int_equal(r.nsearch, 2);
    assert_string_equal(r.search[0], "s1.test");
    assert_string_equal(r.search[1], "s2.test");
}

static void test_resolv_odd_input(void **state)
{
    (void)state;
    struct nk_resolv r;
    parse("", &r);
    assert_int_equal(r.nservers, 0);
    assert_int_equal(r.nsearch, 0);
    /* A keyword without its value, comments, words that only start like keywords. */
    parse("nameserver\nnameserver # none\nnameservers 10.0.0.1\n#nameserver 10.0.0.2\n"
          "   nameserver 10.0.0.3\n",
          &r);
    assert_int_equal(r.nservers, 1);
    assert_string_equal(r.servers[0], "10.0.0.3");
    /* Too many servers and domains: the first NK_RESOLV_MAX are kept. */
    char big[8192] = "";
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof(big) - strlen(big), "nameserver 10.0.0.%d\n", i);
    strcat(big, "search");
    for (int i = 0; i < 40; i++)
        snprintf(big + strlen(big), sizeof(big) - strlen(big), " d%d.test", i);
    parse(big, &r);
    assert_int_equal(r.nservers, NK_RESOLV_MAX);
    assert_int_equal(r.nsearch, NK_RESOLV_MAX);
    assert_string_equal(r.servers[NK_RESOLV_MAX - 1], "10.0.0.15");
    /* An over-long word is cut, terminated. */
    char longw[1200] = "search ";
    memset(longw + 7, 'x', 1000);
    parse(longw, &r);
    assert_int_equal(r.nsearch, 1);
    assert_int_equal(strlen(r.search[0]), NK_RESOLV_NAMELEN - 1);
    /* NUL bytes inside the buffer do not stop the parse early or overrun. */
    const char nul[] = "nameserver 10.1.1.1\n\0\nnameserver 10.2.2.2\n";
    nk_resolv_parse(nul, sizeof(nul) - 1, &r);
    assert_int_equal(r.nservers, 2);
}

static void test_resolv_read(void **state)
{
    (void)state;
    struct nk_resolv r;
    char err[NK_ERRLEN] = "";
    assert_int_equal(nk_resolv_read("/nonexistent/resolv.conf", &r, err), 0);
    assert_int_equal(r.nservers, 0);
    /* A directory cannot be read: an error naming it. */
    assert_int_equal(nk_resolv_read("/", &r, err), -1);
    assert_non_null(strstr(err, "/: "));
    char path[] = "/tmp/nk-resolv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "nameserver 192.0.2.1\nsearch t.test\n";
    assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
    close(fd);
    setenv("NETKIT_RESOLV_CONF", path, 1);
    assert_int_equal(nk_resolv_read(NULL, &r, err), 0);
    unsetenv("NETKIT_RESOLV_CONF");
    unlink(path);
    assert_int_equal(r.nservers, 1);
    assert_string_equal(r.search[0], "t.test");
}

static void test_gateways_fixture(void **state)
{
    (void)state;
    const char *dir = getenv("NETKIT_FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/rtnl/route.bin", dir ? dir : "tests/fixtures");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(65536);
    size_t len = fread(buf, 1, 65536, f);
    fclose(f);
    struct nk_table t = {0};
    char err[NK_ERRLEN];
    assert_int_equal(nk_parse_dump(buf, len, 0, &t, err), 0);
    free(buf);
    struct nk_gateway gw[8];
    size_t n = nk_gateways(&t, gw, 8);
    assert_int_equal(n, 2);
    char b[64];
    assert_int_equal(gw[0].family, AF_INET); /* IPv4 first */
    assert_string_equal(inet_ntop(AF_INET, gw[0].addr, b, sizeof(b)), "10.9.0.254");
    assert_int_equal(gw[1].family, AF_INET6);
    assert_string_equal(inet_ntop(AF_INET6, gw[1].addr, b, sizeof(b)), "fd00:9::fe");
    assert_int_equal(gw[1].metric, 1024);
    assert_int_equal(gw[0].oif, gw[1].oif);
    assert_int_equal(nk_gateways(&t, gw, 1), 1);
    nk_table_free(&t);
}

static void test_gateways_selection(void **state)
{
    (void)state;
    struct nk_route routes[] = {
        /* not default */
        {AF_INET, 24, RTN_UNICAST, RT_TABLE_MAIN, 0, 1, {{AF_INET, {10, 0, 0, 1}, 2}}},
        /* another table */
        {AF_INET, 0, RTN_UNICAST, 100, 0, 1, {{AF_INET, {10, 0, 0, 2}, 2}}},
        /* unreachable default */
        {AF_INET, 0, RTN_UNREACHABLE, RT_TABLE_MAIN, 0, 0, {{0}}},
        /* a default without a gateway (point-to-point) */
        {AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 0, 1, {{0, {0}, 3}}},
        /* multipath: two hops, metric 20 */
        {AF_INET,
         0,
         RTN_UNICAST,
         RT_TABLE_MAIN,
         20,
         2,
         {{AF_INET, {10, 0, 0, 3}, 2}, {AF_INET, {10, 0, 0, 4}, 3}}},
        /* metric 10: sorts first */
        {AF_INET, 0, RTN_UNICAST, RT_TABLE_MAIN, 10, 1, {{AF_INET, {10, 0, 0, 5}, 2}}},
    };
    struct nk_table t = {.routes = routes, .nroutes = 6};
    struct nk_gateway gw[8];
    size_t n = nk_gateways(&t, gw, 8);
    assert_int_equal(n, 3);
    assert_int_equal(gw[0].addr[3], 5);
    assert_int_equal(gw[1].metric, 20);
    assert_int_equal(gw[2].metric, 20);
    assert_int_equal(gw[1].addr[3] + gw[2].addr[3], 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolv_basic),     cmocka_unit_test(test_resolv_last_search_wins),
        cmocka_unit_test(test_resolv_odd_input), cmocka_unit_test(test_resolv_read),
        cmocka_unit_test(test_gateways_fixture), cmocka_unit_test(test_gateways_selection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
