/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_echo_server.c - the echo server's pure parts: -b addresses and the UDP loop guard. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "echo/echo_server.h"

static void bind_ok(const char *s, int family, const char *text)
{
    struct net_addr a;
    char err[NK_ERRLEN] = "", buf[NET_ADDRSTRLEN];
    assert_int_equal(es_parse_bind(s, &a, err), 0);
    assert_int_equal(a.ss.ss_family, family);
    assert_string_equal(net_ntop((struct sockaddr *)&a.ss, buf, sizeof(buf)), text);
    assert_int_equal(net_port((struct sockaddr *)&a.ss), 0);
}

static void bind_bad(const char *s, const char *msg)
{
    struct net_addr a;
    char err[NK_ERRLEN] = "";
    assert_int_equal(es_parse_bind(s, &a, err), -1);
    assert_non_null(strstr(err, msg));
}

static void test_bind_good(void **state)
{
    (void)state;
    bind_ok("127.0.0.1", AF_INET, "127.0.0.1");
    bind_ok("0.0.0.0", AF_INET, "0.0.0.0");
    bind_ok("::1", AF_INET6, "::1");
    bind_ok("[::1]", AF_INET6, "::1");
    bind_ok("[::]", AF_INET6, "::");
    bind_ok("::ffff:10.0.0.1", AF_INET6, "::ffff:10.0.0.1");
    bind_ok("fe80::1%1", AF_INET6, "fe80::1");
}

static void test_bind_bad(void **state)
{
    (void)state;
    bind_bad("", "empty address");
    bind_bad("[", "not an IP address");
    bind_bad("[]", "not an IP address");
    bind_bad("[::1", "not an IP address");
    bind_bad("[127.0.0.1]", "not an IPv6 address");
    bind_bad("127.0.0.1:80", "not an IP address");
    bind_bad("[::1]:80", "not an IP address");
    bind_bad("localhost", "'localhost': not an IP address");
    bind_bad("999.1.1.1", "not an IP address");
    bind_bad("1.2.3", "not an IP address");
    bind_bad("fe80::1%nosuchif0", "unknown scope");
    char longer[300];
    memset(longer, 'a', sizeof(longer) - 1);
    longer[0] = '[';
    longer[sizeof(longer) - 2] = ']';
    longer[sizeof(longer) - 1] = '\0';
    bind_bad(longer, "not an IP address");
}

static void test_udp_guard(void **state)
{
    (void)state;
    struct sockaddr_in in4 = {.sin_family = AF_INET};
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    int ports[] = {0, 7, 19, 1, 6, 8, 18, 20, 53, 65535};
    int drop[] = {1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
        in4.sin_port = htons((uint16_t)ports[i]);
        in6.sin6_port = htons((uint16_t)ports[i]);
        assert_int_equal(es_udp_drop((struct sockaddr *)&in4), drop[i]);
        assert_int_equal(es_udp_drop((struct sockaddr *)&in6), drop[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bind_good),
        cmocka_unit_test(test_bind_bad),
        cmocka_unit_test(test_udp_guard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
