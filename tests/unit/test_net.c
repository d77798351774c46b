/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Address parsing and formatting, and the listen/connect helpers on loopback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/net.h"

/* Parse s with default port 53 and return the formatted address, or NULL on error. */
static const char *hp(const char *s, char *buf, char *err)
{
    struct net_addr a;
    if (net_parse_hostport(s, 53, &a, err) < 0)
        return NULL;
    return net_ntop_port((const struct sockaddr *)&a.ss, buf, NET_ADDRSTRLEN);
}

static void hostport(void **state)
{
    char buf[NET_ADDRSTRLEN], err[NK_ERRLEN];
    (void)state;
    assert_string_equal(hp("127.0.0.1", buf, err), "127.0.0.1:53");
    assert_string_equal(hp("127.0.0.1:5300", buf, err), "127.0.0.1:5300");
    assert_string_equal(hp("::1", buf, err), "[::1]:53");
    assert_string_equal(hp("[::1]:5300", buf, err), "[::1]:5300");
    assert_string_equal(hp("[2001:db8::1]", buf, err), "[2001:db8::1]:53");
    assert_string_equal(hp("127.0.0.1:0", buf, err), "127.0.0.1:0");
}

static void hostport_bad(void **state)
{
    char buf[NET_ADDRSTRLEN], err[NK_ERRLEN];
    static const char *bad[] = {"",           "1.2.3",         "127.0.0.1:", "127.0.0.1:70000",
                                "[::1",       "[::1]x",        "[::1]:-1",   "host.test",
                                "1.2.3.4:ab", "::1%nosuchif0", "[]:53",      "256.1.1.1",
                                NULL};
    (void)state;
    for (int i = 0; bad[i]; i++)
        assert_null(hp(bad[i], buf, err));
    assert_null(hp("127.0.0.1:70000", buf, err));
    assert_string_equal(err, "70000: port out of range (0-65535)");
}

static void loopback(void **state)
{
    struct net_addr a;
    char err[NK_ERRLEN];
    (void)state;
    static const struct {
        const char *s;
        bool lo;
    } cases[] = {{"127.0.0.1", true},        {"127.9.8.7", true}, {"::1", true},
                 {"::ffff:127.0.0.1", true}, {"0.0.0.0", false},  {"::", false},
                 {"10.0.0.1", false}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(net_parse_ip(cases[i].s, 0, &a, err), 0);
        assert_int_equal(net_is_loopback((const struct sockaddr *)&a.ss), cases[i].lo);
    }
}

static void listen_connect(void **state)
{
    struct net_addr a, bound;
    char err[NK_ERRLEN];
    (void)state;
    assert_int_equal(net_parse_hostport("127.0.0.1:0", 0, &a, err), 0);
    int lfd = net_listen(&a, SOCK_STREAM, 16, false, err);
    assert_true(lfd >= 0);
    assert_int_equal(net_local_addr(lfd, &bound), 0);
    int port = net_port((const struct sockaddr *)&bound.ss);
    assert_true(port > 0);
    /* The same address again is in use. */
    net_set_port((struct sockaddr *)&a.ss, port);
    assert_int_equal(net_listen(&a, SOCK_STREAM, 16, false, err), -1);
    assert_int_equal(errno, EADDRINUSE);
    assert_non_null(strstr(err, "address already in use"));
    int cfd = net_connect_nb(&bound, SOCK_STREAM, err);
    assert_true(cfd >= 0);
    close(cfd);
    close(lfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hostport),
        cmocka_unit_test(hostport_bad),
        cmocka_unit_test(loopback),
        cmocka_unit_test(listen_connect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
