/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hostaddr: numeric hosts, malformed names, the hosts file (CARES_HOSTS), and a failing name
 * against a loopback port where no DNS server listens (never the system resolver). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/hostaddr.h"

/* No DNS server listens on the discard port: queries are refused at once. */
#define NO_SERVER "127.0.0.1:9"

static int lookup(const char *host, int family, struct net_addr **a, size_t *n, char *err)
{
    struct hostaddr_req req = {host, 7, family, 2000, NO_SERVER};
    return hostaddr_lookup(&req, a, n, err);
}

static const char *addr_str(const struct net_addr *a, char *buf)
{
    return net_ntop_port((const struct sockaddr *)&a->ss, buf, NET_ADDRSTRLEN);
}

static void numeric(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup("192.0.2.1", AF_UNSPEC, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "192.0.2.1:7");
    free(a);
    assert_int_equal(lookup("[2001:db8::1]", AF_UNSPEC, &a, &n, err), 0);
    assert_string_equal(addr_str(&a[0], buf), "[2001:db8::1]:7");
    free(a);
    assert_int_equal(lookup("::1", AF_INET, &a, &n, err), -1);
    assert_null(a);
}

static void malformed(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], label[80];
    (void)state;
    assert_int_equal(lookup("", AF_UNSPEC, &a, &n, err), -2);
    assert_int_equal(lookup("a..b", AF_UNSPEC, &a, &n, err), -2);
    assert_int_equal(lookup("has space", AF_UNSPEC, &a, &n, err), -2);
    memset(label, 'x', 64);
    label[64] = '\0';
    assert_int_equal(lookup(label, AF_UNSPEC, &a, &n, err), -2);
    assert_non_null(strstr(err, "not a valid host name"));
}

static void hosts_file(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup("echo.netkit.test", AF_INET, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "127.0.0.5:7");
    free(a);
    assert_int_equal(lookup("v6only.netkit.test", AF_INET6, &a, &n, err), 0);
    assert_string_equal(addr_str(&a[0], buf), "[::1]:7");
    free(a);
}

static void localhost_is_loopback(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN], buf[NET_ADDRSTRLEN];
    (void)state;
    assert_int_equal(lookup("localhost", AF_UNSPEC, &a, &n, err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(addr_str(&a[0], buf), "[::1]:7");
    assert_string_equal(addr_str(&a[1], buf), "127.0.0.1:7");
    free(a);
    assert_int_equal(lookup("db.LOCALHOST.", AF_INET, &a, &n, err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(addr_str(&a[0], buf), "127.0.0.1:7");
    free(a);
}

static void unresolvable(void **state)
{
    struct net_addr *a;
    size_t n;
    char err[NK_ERRLEN];
    (void)state;
    assert_int_equal(lookup("nowhere.invalid", AF_INET, &a, &n, err), -1);
    assert_null(a);
    assert_non_null(strstr(err, "nowhere.invalid"));
}

int main(void)
{
    char path[512];
    const char *fx = getenv("NETKIT_FIXTURES");
    snprintf(path, sizeof(path), "%s/hosts", fx ? fx : "tests/fixtures");
    setenv("CARES_HOSTS", path, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numeric),      cmocka_unit_test(malformed),
        cmocka_unit_test(hosts_file),   cmocka_unit_test(localhost_is_loopback),
        cmocka_unit_test(unresolvable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
