/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_routeget.c - the route-get reply parser, fed from replies recorded in tests/fixtures/rtnl
 * (record_routeget.py there builds the namespace), and its edge cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link/routeget.h"

static char *load(const char *name, size_t *len)
{
    const char *dir = getenv("NETKIT_FIXTURES");
    char path[512];
    snprintf(path, sizeof(path), "%s/rtnl/%s", dir ? dir : "tests/fixtures", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    assert_true(*len > 0);
    return buf;
}

/* Walk a recorded reply into *r: the walk's result, and the kernel's errno in *kerr. */
static int replay(const char *name, struct nk_routeget *r, int *kerr)
{
    size_t len;
    char *buf = load(name, &len);
    char err[NK_ERRLEN] = "";
    memset(r, 0, sizeof(*r));
    struct nk_nl_walk w = {.what = "netlink", .msg = nk_routeget_parse, .arg = r};
    int rc = nk_nl_walk(&w, buf, len, err);
    *kerr = w.kerr;
    free(buf);
    return rc;
}

static const char *ip(int family, const uint8_t *a, char *b)
{
    return inet_ntop(family, a, b, INET6_ADDRSTRLEN);
}

static void test_via_gateway(void **state)
{
    (void)state;
    struct nk_routeget r;
    int kerr;
    char b[INET6_ADDRSTRLEN];
    assert_int_equal(replay("routeget-gw4.bin", &r, &kerr), 0);
    assert_int_equal(kerr, 0);
    assert_int_equal(r.family, AF_INET);
    assert_int_equal(r.type, RTN_UNICAST);
    assert_string_equal(ip(AF_INET, r.dst, b), "10.5.0.1");
    assert_true(r.has_gw);
    assert_int_equal(r.gw_family, AF_INET);
    assert_string_equal(ip(AF_INET, r.gw, b), "10.9.0.254");
    assert_true(r.has_src);
    assert_string_equal(ip(AF_INET, r.src, b), "10.9.0.1");
    assert_true(r.oif > 0);
    assert_int_equal(r.mtu, 0);
    assert_int_equal(r.table, RT_TABLE_MAIN);
}

static void test_route_mtu(void **state)
{
    (void)state;
    struct nk_routeget r;
    int kerr;
    char b[INET6_ADDRSTRLEN];
    assert_int_equal(replay("routeget-mtu4.bin", &r, &kerr), 0);
    assert_int_equal(r.mtu, 1280);
    assert_string_equal(ip(AF_INET, r.gw, b), "10.9.0.253");
}

static void test_on_link_and_local(void **state)
{
    (void)state;
    struct nk_routeget r;
    int kerr;
    assert_int_equal(replay("routeget-link4.bin", &r, &kerr), 0);
    assert_int_equal(r.type, RTN_UNICAST);
    assert_false(r.has_gw);
    assert_int_equal(replay("routeget-local4.bin", &r, &kerr), 0);
    assert_int_equal(r.type, RTN_LOCAL);
    assert_string_equal(nk_route_type_name(r.type), "local");
}

static void test_ipv6(void **state)
{
    (void)state;
    struct nk_routeget r;
    int kerr;
    char b[INET6_ADDRSTRLEN];
    assert_int_equal(replay("routeget-gw6.bin", &r, &kerr), 0);
    assert_int_equal(r.family, AF_INET6);
    assert_string_equal(ip(AF_INET6, r.dst, b), "2001:db8::1");
    assert_string_equal(ip(AF_INET6, r.gw, b), "fd00:9::fe");
    assert_string_equal(ip(AF_INET6, r.src, b), "fd00:9::1");
}

static void test_kernel_error_is_the_route_type(void **state)
{
    (void)state;
    struct nk_routeget r;
    int kerr;
    assert_int_equal(replay("routeget-black4.bin", &r, &kerr), -1);
    assert_int_equal(kerr, EINVAL);
    assert_int_equal(nk_routeget_errtype(kerr), RTN_BLACKHOLE);
    assert_int_equal(nk_routeget_errtype(EACCES), RTN_PROHIBIT);
    assert_int_equal(nk_routeget_errtype(EHOSTUNREACH), RTN_UNREACHABLE);
    assert_int_equal(nk_routeget_errtype(EAGAIN), RTN_THROW);
    assert_int_equal(nk_routeget_errtype(ENETUNREACH), RTN_UNSPEC);
    assert_null(nk_route_type_name(RTN_UNSPEC));
    assert_string_equal(nk_route_type_name(RTN_PROHIBIT), "prohibit");
    assert_null(nk_route_type_name(200));
}

/* A message built by hand: truncated, odd attribute sizes, other types. */
static void test_edge_cases(void **state)
{
    (void)state;
    char buf[256] __attribute__((aligned(4)));
    char err[NK_ERRLEN];
    struct nk_routeget r;
    /* A header with less than a struct rtmsg behind it. */
    memset(buf, 0, sizeof(buf));
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWROUTE;
    mnl_nlmsg_put_extra_header(nlh, 4);
    assert_int_equal(nk_routeget_parse(nlh, &r, err), -1);
    assert_string_equal(err, "netlink: truncated route message");
    /* Other message types and families are ignored. */
    nlh->nlmsg_type = RTM_NEWLINK;
    assert_int_equal(nk_routeget_parse(nlh, &r, err), 0);
    memset(buf, 0, sizeof(buf));
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWROUTE;
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = AF_UNIX;
    memset(&r, 0x55, sizeof(r));
    assert_int_equal(nk_routeget_parse(nlh, &r, err), 0);
    assert_int_equal((unsigned char)r.type, 0x55); /* untouched */
    /* Addresses of the wrong size are skipped, a short RTA_OIF too; an empty RTA_METRICS. */
    rtm->rtm_family = AF_INET;
    rtm->rtm_type = RTN_UNICAST;
    const uint8_t six[6] = {1, 2, 3, 4, 5, 6};
    mnl_attr_put(nlh, RTA_GATEWAY, sizeof(six), six);
    mnl_attr_put(nlh, RTA_PREFSRC, sizeof(six), six);
    mnl_attr_put_u16(nlh, RTA_OIF, 7);
    struct nlattr *m = mnl_attr_nest_start(nlh, RTA_METRICS);
    mnl_attr_nest_end(nlh, m);
    assert_int_equal(nk_routeget_parse(nlh, &r, err), 0);
    assert_false(r.has_gw);
    assert_false(r.has_src);
    assert_int_equal(r.oif, 0);
    assert_int_equal(r.mtu, 0);
    /* RTA_VIA with an IPv6 gateway for an IPv4 route. */
    uint8_t via[2 + 16] = {0};
    unsigned short fam = AF_INET6;
    memcpy(via, &fam, 2);
    via[2 + 15] = 9;
    mnl_attr_put(nlh, RTA_VIA, sizeof(via), via);
    assert_int_equal(nk_routeget_parse(nlh, &r, err), 0);
    assert_true(r.has_gw);
    assert_int_equal(r.gw_family, AF_INET6);
    assert_int_equal(r.gw[15], 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_via_gateway),
        cmocka_unit_test(test_route_mtu),
        cmocka_unit_test(test_on_link_and_local),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_kernel_error_is_the_route_type),
        cmocka_unit_test(test_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
