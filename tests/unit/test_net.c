/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Address parsing and formatting, the ephemeral range, and the listen/connect helpers on
 * loopback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
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
        const struct sockaddr *sa = (const struct sockaddr *)&a.ss;
        assert_int_equal(net_is_loopback(sa), cases[i].lo);
        const void *raw = sa->sa_family == AF_INET
                              ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                              : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        assert_int_equal(net_is_loopback_raw(sa->sa_family, raw), cases[i].lo);
    }
}

static void unbracket(void **state)
{
    char buf[NET_ADDRSTRLEN], tiny[4];
    (void)state;
    assert_string_equal(net_unbracket("[::1]", buf, sizeof(buf)), "::1");
    assert_string_equal(net_unbracket("[fe80::1%lo]", buf, sizeof(buf)), "fe80::1%lo");
    assert_string_equal(net_unbracket("[]", buf, sizeof(buf)), "");
    /* Anything else comes back as it is. */
    const char *same[] = {"::1", "host.example", "[::1", "::1]", "[::1]:80", "[", ""};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        assert_ptr_equal(net_unbracket(same[i], buf, sizeof(buf)), same[i]);
    const char *big = "[2001:db8::1]";
    assert_ptr_equal(net_unbracket(big, tiny, sizeof(tiny)), big); /* it would not fit */
}

static int range(const char *s, int *lo, int *hi, char *err)
{
    return net_parse_port_range(s, strlen(s), lo, hi, err);
}

static void port_range_ok(void **state)
{
    char err[NK_ERRLEN];
    int lo = 0, hi = 0;
    (void)state;
    assert_int_equal(range("32768\t60999\n", &lo, &hi, err), 0);
    assert_int_equal(lo, 32768);
    assert_int_equal(hi, 60999);
    assert_int_equal(range("1 65535", &lo, &hi, err), 0);
    assert_int_equal(hi - lo + 1, 65535);
    assert_int_equal(range("  1024   1024  \n", &lo, &hi, err), 0);
    assert_int_equal(lo, hi);
    /* Not NUL-terminated: the length is what counts. */
    assert_int_equal(net_parse_port_range("1000 2000XYZ", 9, &lo, &hi, err), 0);
    assert_int_equal(hi, 2000);
}

static void port_range_bad(void **state)
{
    char err[NK_ERRLEN];
    int lo = 7, hi = 7;
    (void)state;
    const char *bad[] = {"",      "\n",  "32768", "32768\t", "0 100", "100 65536",
                         "1 2 3", "a b", "-1 5",  "1\t2x",   "x 2",   "99999999999999999999 1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(range(bad[i], &lo, &hi, err), -1);
    assert_int_equal(lo, 7); /* untouched on failure */
    assert_int_equal(hi, 7);
    assert_int_equal(range("70000 70001", &lo, &hi, err), -1);
    assert_string_equal(err, "70000: port out of range (1-65535)");
    assert_int_equal(range("60999 32768", &lo, &hi, err), -1);
    assert_string_equal(err, "ephemeral port range: 60999 > 32768");
    assert_int_equal(range("1 2 3", &lo, &hi, err), -1);
    assert_string_equal(err, "ephemeral port range: expected 'LOW HIGH'");
    assert_int_equal(net_parse_port_range("1\0 2", 5, &lo, &hi, err), -1); /* a NUL inside */
}

static void port_range_file(void **state)
{
    char path[] = "/tmp/nk-range-XXXXXX", err[NK_ERRLEN];
    int fd = mkstemp(path), lo, hi;
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "1024\t2048\n", 10), 10);
    close(fd);
    assert_int_equal(net_ephemeral_range(path, &lo, &hi, err), 0);
    assert_int_equal(lo, 1024);
    assert_int_equal(hi, 2048);
    unlink(path);
    assert_int_equal(net_ephemeral_range(path, &lo, &hi, err), -1);
    assert_non_null(strstr(err, "no such file"));
    /* This host's own range parses too. */
    assert_int_equal(net_ephemeral_range(NET_RANGE_FILE, &lo, &hi, err), 0);
    assert_true(1 <= lo && lo <= hi && hi <= 65535);
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
        cmocka_unit_test(hostport),        cmocka_unit_test(hostport_bad),
        cmocka_unit_test(loopback),        cmocka_unit_test(unbracket),
        cmocka_unit_test(port_range_ok),   cmocka_unit_test(port_range_bad),
        cmocka_unit_test(port_range_file), cmocka_unit_test(listen_connect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
